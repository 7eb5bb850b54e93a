"""Helpers of the deploy tests: a tiny site built three times, real local servers.

- ``build_versions``: the basic test site built for publishing as it is (v1), after
  one edit (v2), and after a post was removed and a 1 MB audio file added (v3); once
  per session, shared by the deploy test modules.
- ``SshServer``: Debian's sshd with its own keys, config and port. The client key's
  forced command can cap the size of the files the session writes
  (``failing_writes``): rsync's receiver then fails mid-transfer, as on a full disk.
- ``S3Front``: an HTTP front for moto's S3 server. It forwards every request, records
  the uploads that reached the server, and can go down after N uploads, as a server
  that stops mid-deploy.
"""

import contextlib
import functools
import getpass
import hashlib
import html
import http.client
import os
import random
import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import ROOT, Site, run_build, run_command, write_settings

SITEURL = "https://gratitude.example"  # publishconf.py's
SSHD = "/usr/sbin/sshd"
# Links in pages: (href|src)="...".
LINK = re.compile(r'\s(?:href|src)="([^"]+)"')
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "expect",
    "host",
    "content-length",
    "proxy-connection",
    "te",
    "upgrade",
}


# --- the site -------------------------------------------------------------------


def build_versions(tmp_path_factory) -> dict:
    """{"v1": output, "v2": output, "v3": output} of the tiny site, each built with
    the publish settings (absolute URLs on SITEURL). Built once per test session
    (per xdist worker); the tests only read them."""
    return _versions(tmp_path_factory.getbasetemp())


@functools.cache
def _versions(basetemp: Path) -> dict:
    folder = basetemp / "deploy-site"
    site = Site(folder / "site", template="basic")
    (site.content / "images").mkdir()
    for name in ("author.jpg", "favicon.png"):
        shutil.copy(ROOT / "content" / "images" / name, site.content / "images" / name)
    site.write("transcripts/hello.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
    outputs = {"v1": _publish(site, folder / "v1")}
    first = site.content / "posts" / "first.md"
    first.write_text(
        first.read_text().replace(
            "A short first post.", "A short first post, now edited."
        )
    )
    outputs["v2"] = _publish(site, folder / "v2")
    (site.content / "posts" / "second.md").unlink()
    (site.content / "audio").mkdir()
    audio = random.Random(7).randbytes(1 << 20)  # 1 MB that no compression shrinks
    (site.content / "audio" / "extra.mp3").write_bytes(audio)
    outputs["v3"] = _publish(site, folder / "v3")
    return outputs


def _publish(site, folder) -> Path:
    result = run_build(
        write_settings(site.folder, site.content, base="publishconf"), folder / "output"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "output"


def deploy_settings(folder: Path, deploy: dict, **overrides) -> Path:
    """A publish settings file with ``DEPLOY``; --no-build never reads its content."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_settings(
        folder, folder, base="publishconf", DEPLOY=deploy, **overrides
    )


def deploy(settings, output, *extra):
    """``python -m gratitude_press deploy --no-build`` in this interpreter."""
    return run_command(["deploy", "-s", settings, "-o", output, "--no-build", *extra])


def tree(folder: Path) -> dict:
    """{path: sha256} of every file under ``folder``."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return found


def changed(old: Path, new: Path) -> set:
    """Paths of ``new`` that ``old`` lacks or holds with other bytes."""
    before, after = tree(old), tree(new)
    return {path for path, digest in after.items() if before.get(path) != digest}


def link_targets(page: str) -> set:
    """Paths on this site (relative to its root) that a page links to."""
    found = set()
    for url in LINK.findall(page):
        parts = urlsplit(html.unescape(url))
        if f"{parts.scheme}://{parts.netloc}" != SITEURL:
            continue
        path = unquote(parts.path).lstrip("/")
        found.add(path + "index.html" if path == "" or path.endswith("/") else path)
    return found


def broken_links(pages: dict, files: set) -> set:
    """(page, target) for each link of ``pages`` ({path: html}) not in ``files``."""
    return {
        (page, target)
        for page, text in pages.items()
        for target in link_targets(text)
        if target not in files
    }


def local_pages(output: Path) -> dict:
    return {
        path.relative_to(output).as_posix(): path.read_text(encoding="utf-8")
        for path in output.rglob("*.html")
    }


# --- servers --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port, process=None, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=1),
        ):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class SshServer:
    """sshd on 127.0.0.1 that lets one test key in, as the user running the tests."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.user = getpass.getuser()
        self.limit_flag = folder / "limit-writes"
        for name in ("host", "client"):
            subprocess.run(
                [
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-f",
                    str(folder / name),
                ],
                check=True,
            )
        self._write_config()
        if os.geteuid() == 0:  # sshd as root wants its privilege separation folder
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        self.log = open(folder / "sshd.log", "wb")  # noqa: SIM115 closed in stop()
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(folder / "sshd_config")],
            stdout=self.log,
            stderr=self.log,
        )
        wait_listening(self.port, self.process)

    def _write_config(self):
        folder = self.folder
        # The forced command runs what the client asked for, with a cap on file size
        # while the flag file exists.
        forced = (
            f"if [ -e {self.limit_flag} ]; then ulimit -f 64; fi; "
            'exec sh -c \\"$SSH_ORIGINAL_COMMAND\\"'
        )
        client_key = (folder / "client.pub").read_text().strip()
        (folder / "authorized_keys").write_text(f'command="{forced}" {client_key}\n')
        (folder / "sshd_config").write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {folder}/host",
                    f"PidFile {folder}/sshd.pid",
                    f"AuthorizedKeysFile {folder}/authorized_keys",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "StrictModes no",
                    "",
                ]
            )
        )
        host_key = " ".join((folder / "host.pub").read_text().split()[:2])
        (folder / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {host_key}\n")

    def target(self, remote: Path) -> dict:
        return {
            "rsync": f"{self.user}@127.0.0.1:{remote}/",
            "port": self.port,
            "identity": str(self.folder / "client"),
            "known_hosts": str(self.folder / "known_hosts"),
        }

    @contextlib.contextmanager
    def failing_writes(self):
        """Files over 64 blocks cannot be written on the server: a full disk."""
        self.limit_flag.touch()
        try:
            yield
        finally:
            self.limit_flag.unlink()

    def stop(self):
        self.process.terminate()
        self.process.wait(5)
        self.log.close()


class S3Front:
    """Forwards to the S3 server at ``upstream`` and records what reached it."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.uploads = []  # (bucket, key) of each PUT the server answered 200
        self.admitted = 0  # PUTs let through to the server
        self.down_after = None  # stop answering once this many were let through
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Forward)
        self.server.daemon_threads = True
        self.server.front = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def admit(self, method) -> bool:
        """False once the server is "down"; counted when the request arrives, so
        uploads running at the same time cannot slip past the limit."""
        with self.lock:
            if self.down_after is not None and self.admitted >= self.down_after:
                return False
            self.admitted += method == "PUT"
            return True

    def record(self, path):
        bucket, _, key = unquote(urlsplit(path).path).lstrip("/").partition("/")
        with self.lock:
            self.uploads.append((bucket, key))

    @contextlib.contextmanager
    def going_down_after(self, uploads):
        """The server takes ``uploads`` more uploads, then answers nothing at all."""
        with self.lock:
            self.down_after = self.admitted + uploads
        try:
            yield
        finally:
            self.down_after = None

    def keys(self, bucket) -> list:
        with self.lock:
            return [key for name, key in self.uploads if name == bucket]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and 100-continue as S3 does

    def log_message(self, *args):
        pass

    def do_any(self):
        front = self.server.front
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if not front.admit(self.command):
            self.close_connection = True  # no answer at all: the server is gone
            return
        headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() not in HOP_BY_HOP
        }
        connection = http.client.HTTPConnection(
            "127.0.0.1", front.upstream_port, timeout=30
        )
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        is_part = "uploadId" in self.path  # a part of a multipart upload
        if self.command == "PUT" and answer.status == 200 and not is_part:
            front.record(self.path)
        self._answer(answer, data)

    def _answer(self, answer, data):
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        if self.command == "HEAD":
            self.send_header("Content-Length", answer.getheader("Content-Length", "0"))
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_any
