"""A real IMAP server for the unsubscribe tests: Debian's dovecot on 127.0.0.1.

Its own configuration, users and Maildir live in a temporary folder; the system's
dovecot service is never touched. Plain IMAP (with STARTTLS) and implicit TLS
(imaps) listen on ports of their own, with a certificate for 127.0.0.1 made by
openssl. Started once per test module; stopped by its pid.
"""

import email
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from pathlib import Path

USER, PASSWORD = "unsub", "mailbox-Pa55-for-tests"
START_WAIT = 20  # seconds for dovecot to listen (a failure, not a timing)


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot",) if os.access(path, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Dovecot:
    folder: Path
    imap_port: int
    imaps_port: int
    certificate: Path

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, message):
        """Put a message in the inbox, as the mail system would (IMAP APPEND)."""
        client = self.client()
        try:
            status, _ = client.append(
                "INBOX", None, None, message.as_bytes(policy=policy.SMTP)
            )
            assert status == "OK"
        finally:
            client.logout()

    def empty(self):
        client = self.client()
        try:
            client.select("INBOX")
            _status, data = client.search(None, "ALL")
            if data and data[0]:
                client.store("1:*", "+FLAGS", "\\Deleted")
                client.expunge()
        finally:
            client.logout()

    def messages(self) -> list:
        client = self.client()
        try:
            client.select("INBOX", readonly=True)
            _, data = client.search(None, "ALL")
            found = []
            for number in (data[0] or b"").split():
                _, parts = client.fetch(number, "(BODY.PEEK[])")
                found.append(
                    email.message_from_bytes(parts[0][1], policy=policy.default)
                )
            return found
        finally:
            client.logout()


def _config(folder: Path, imap_port, imaps_port, as_root: bool) -> str:
    if as_root:  # the package's dovecot/dovenull users run the login processes
        owner, users = "", "uid=nobody gid=nogroup"
    else:
        me = pwd.getpwuid(os.getuid())
        group = subprocess.run(
            ["id", "-gn"], capture_output=True, text=True, check=True
        ).stdout
        owner = (
            f"default_login_user = {me.pw_name}\n"
            f"default_internal_user = {me.pw_name}\n"
            f"default_internal_group = {group.strip()}\n"
        )
        users = f"uid={me.pw_name} gid={group.strip()}"
    return f"""base_dir = {folder}/run
state_dir = {folder}/state
instance_name = gratitude-press-tests
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
disable_plaintext_auth = no
auth_failure_delay = 0
log_path = {folder}/dovecot.log
{owner}mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {folder}/users
}}
userdb {{
  driver = static
  args = {users} home={folder}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


def _certificate(folder: Path):
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def _prepare(folder: Path, as_root: bool):
    # The login processes run as other users: they must reach the folder.
    folder.chmod(0o755)
    _certificate(folder)
    (folder / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    mail = folder / "mail" / USER
    for part in ("cur", "new", "tmp"):
        (mail / part).mkdir(parents=True)
    if as_root:
        nobody = pwd.getpwnam("nobody")
        for path in [folder / "mail", mail, *mail.iterdir()]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)


def _wait_until_listening(process, ports, log: Path):
    deadline = time.monotonic() + START_WAIT
    for port in ports:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("dovecot did not listen") from None
                time.sleep(0.05)


@contextmanager
def running_dovecot():
    binary = dovecot_binary()
    folder = Path(tempfile.mkdtemp(prefix="gratitude-dovecot-"))
    as_root = os.getuid() == 0
    ports = (free_port(), free_port())
    process = None
    try:
        _prepare(folder, as_root)
        (folder / "dovecot.conf").write_text(_config(folder, *ports, as_root))
        process = subprocess.Popen(
            [binary, "-F", "-c", str(folder / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until_listening(process, ports, folder / "dovecot.log")
        yield Dovecot(folder, ports[0], ports[1], folder / "cert.pem")
    finally:
        if process is not None:
            process.terminate()  # the master stops its children
            try:
                process.wait(timeout=START_WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)
