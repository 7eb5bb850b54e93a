"""Reading unsubscribe requests from the unsubscribe mailbox over IMAP (imaplib).

Only messages whose subject says "unsubscribe" and that arrived after the last one
read (by UID, within the mailbox's UIDVALIDITY) are fetched. The folder is opened
read-only and bodies are fetched with BODY.PEEK, so the mailbox is left as it was:
nothing is marked read, moved or deleted.
"""

import email
import imaplib
import socket
import ssl
from email import policy

# Fetched whole, a request is small; a bigger message is not a client's request.
MAX_REQUEST_BYTES = 1_000_000


class MailboxError(Exception):
    """Why the mailbox could not be read, as one line."""


def read_requests(imap_cfg, password: str | None, mark: tuple, redact=str):
    """``(new mark, [(uid, message)])``: the requests after ``mark``, the mailbox's
    (UIDVALIDITY, last UID) when last read."""
    where = f"{imap_cfg.host}:{imap_cfg.port}"
    try:
        client = _connect(imap_cfg, password, where)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(_why(error, imap_cfg, where, redact)) from None
    try:
        return _requests(client, imap_cfg, mark, where)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(
            f"cannot read unsubscribe requests from IMAP {where}: "
            f"{redact(_text(error))}"
        ) from None
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _connect(imap_cfg, password, where):
    context = ssl.create_default_context()
    if imap_cfg.security == "ssl":
        client = imaplib.IMAP4_SSL(
            imap_cfg.host, imap_cfg.port, ssl_context=context, timeout=imap_cfg.timeout
        )
    else:
        client = imaplib.IMAP4(imap_cfg.host, imap_cfg.port, timeout=imap_cfg.timeout)
    try:
        if imap_cfg.security == "starttls":
            client.starttls(ssl_context=context)
        client.login(imap_cfg.user, password or "")
    except BaseException:
        try:
            client.shutdown()
        except OSError:  # a failed TLS handshake leaves the socket closed already
            pass
        raise
    return client


def _why(error, imap_cfg, where, redact) -> str:
    """One line for a failed connection or login, without the password."""
    start = f"cannot read unsubscribe requests from IMAP {where}"
    if isinstance(error, ConnectionRefusedError):
        return (
            f"{start}: connection refused (check DIGEST_IMAP_HOST and DIGEST_IMAP_PORT)"
        )
    if isinstance(error, (TimeoutError, socket.timeout)):
        return f"{start}: no answer within {imap_cfg.timeout:g} s (check host and port)"
    if isinstance(error, ssl.SSLError):
        return f"{start}: TLS failed: {_text(error)} (check DIGEST_IMAP_SECURITY)"
    text = redact(_text(error))
    if isinstance(error, imaplib.IMAP4.error) and "STARTTLS" not in text.upper():
        return (
            f"{start}: the server refused the login of {imap_cfg.user!r}: {text} "
            f"(check the password in ${imap_cfg.password_env} and "
            "DIGEST_IMAP_USER)"
        )
    return f"{start}: {text} (check DIGEST_IMAP_SECURITY, host and port)"


def _text(error) -> str:
    text = str(error) or error.__class__.__name__
    if isinstance(error, imaplib.IMAP4.error) and error.args:
        text = str(error.args[0])
        if text.startswith(("b'", 'b"')):  # imaplib quotes the server's bytes
            text = text[2:-1]
    return " ".join(text.split())


def _requests(client, imap_cfg, mark, where):
    status, _ = client.select(_quoted(imap_cfg.folder), readonly=True)
    if status != "OK":
        raise MailboxError(
            f"IMAP {where} has no folder {imap_cfg.folder!r} (check DIGEST_IMAP_FOLDER)"
        )
    validity = (client.response("UIDVALIDITY")[1] or [b""])[0]
    validity = validity.decode() if isinstance(validity, bytes) else str(validity or "")
    # Another UIDVALIDITY means the UIDs were renumbered: read everything again.
    last = mark[1] if mark[0] == validity else 0
    status, data = client.uid(
        "SEARCH", "UID", f"{last + 1}:*", "SUBJECT", '"unsubscribe"'
    )
    if status != "OK":
        raise MailboxError(f"IMAP {where} refused the search: {data!r}")
    # "n:*" always matches the newest message, even below n: keep the new ones only.
    uids = sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > last)
    found = [(uid, _fetch(client, uid)) for uid in uids]
    newest = max(uids, default=last)
    return (validity, newest), [(uid, message) for uid, message in found if message]


def _fetch(client, uid):
    status, data = client.uid("FETCH", str(uid), "(RFC822.SIZE BODY.PEEK[])")
    raw = next((part[1] for part in data or () if isinstance(part, tuple)), None)
    if status != "OK" or raw is None or len(raw) > MAX_REQUEST_BYTES:
        return None
    return email.message_from_bytes(raw, policy=policy.default)


def _quoted(folder: str) -> str:
    """imaplib sends the name as is: quote one with spaces or quotes in it."""
    if folder.isalnum():
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
