"""Sending an issue over SMTP at most once per recipient.

The state file records, per issue and recipient, what happened: ``sent`` (the server
accepted the message), ``failed`` (it refused with a 4xx/5xx, or the connection was
lost before the message went out: safe to retry), and ``sending`` (the message was
handed over but no answer came: the server may have it). A rerun sends only to
recipients without ``sent`` or ``sending``, so nobody gets an issue twice; the
``sending`` ones are listed for a human to check (``--resend-unknown`` retries them).

The password is read from the environment variable named in settings and is never
written anywhere: every message that leaves this module goes through ``redact``.
"""

import datetime as dt
import json
import os
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import quote

from ..errors import ContentError
from .render import Links, build_message, message_id

SENT, SENDING, FAILED = "sent", "sending", "failed"
CRLF = b"\r\n"


class SendError(Exception):
    """A problem that stops the whole batch (connection, login, settings)."""


class ConnectionLost(Exception):
    def __init__(self, reason, delivered_unknown):
        super().__init__(reason)
        self.delivered_unknown = delivered_unknown


class Refused(Exception):
    def __init__(self, code, text):
        super().__init__(f"{code} {text}")
        self.code = code


def redactor(secret: str | None):
    def redact(text) -> str:
        text = str(text)
        return text.replace(secret, "***") if secret else text
    return redact


class StateFile:
    """JSON ``{"issues": {issue_id: {email: {...}}}}``, replaced atomically on each change."""

    def __init__(self, path):
        self.path = Path(path)
        self.data = {"version": 1, "issues": {}}
        if self.path.exists():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(loaded.get("issues"), dict):
                    raise ValueError("no 'issues' object")
            except (ValueError, AttributeError, UnicodeDecodeError) as error:
                raise ContentError(self.path, f"the send state is unreadable ({error})",
                                   hint="restore it from a backup; without it everyone "
                                        "would be sent the issue again") from None
            self.data = loaded

    def get(self, issue_id, key) -> dict:
        return self.data["issues"].get(issue_id, {}).get(key, {})

    def record(self, issue_id, key, **fields):
        self.data["issues"].setdefault(issue_id, {})[key] = fields
        self.save()

    def save(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        try:  # make the rename itself durable
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
        except OSError:
            pass


@dataclass
class Report:
    issue_id: str
    total: int = 0
    sent: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # already sent earlier
    unknown: list = field(default_factory=list)  # (recipient, reason)
    failed: list = field(default_factory=list)  # (recipient, reason)
    not_attempted: list = field(default_factory=list)
    stopped: str = ""

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unknown or self.not_attempted or self.stopped)


def unsubscribe_url(cfg, recipient, issue_id) -> str:
    return cfg.unsubscribe_url.format(email=quote(recipient.email, safe=""),
                                      id=quote(recipient.token, safe=""), issue=issue_id)


def personal_message(issue, cfg, renderer, layout, recipient, now=None):
    """One recipient's copy: their unsubscribe URL, their address, the time of sending
    (the exported email.eml carries the issue's date instead)."""
    url = unsubscribe_url(cfg, recipient, issue.issue_id)
    rendered = renderer.render(issue, Links(url, renderer.urls(issue)["issue"]), layout)
    return build_message(
        issue, cfg, rendered, to=Address(recipient.name, addr_spec=recipient.email),
        unsubscribe_url=url, msgid=message_id(issue, cfg, recipient.email),
        date=now or dt.datetime.now().astimezone())


def connect(cfg, password, redact):
    """An SMTP session, logged in if a user is set; SendError with one clear line."""
    where = f"{cfg.smtp_host}:{cfg.smtp_port}"
    try:
        if cfg.smtp_security == "ssl":
            smtp = smtplib.SMTP_SSL(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout)
            if cfg.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo_or_helo_if_needed()
        if cfg.smtp_user:
            smtp.login(cfg.smtp_user, password)
        return smtp
    except ConnectionRefusedError:
        raise SendError(f"cannot connect to the SMTP server {where}: connection refused "
                        "(check DIGEST_SMTP_HOST and DIGEST_SMTP_PORT)") from None
    except (TimeoutError, socket.timeout, smtplib.SMTPServerDisconnected) as error:
        if not _is_timeout(error):
            raise SendError(f"the SMTP server {where} closed the connection at once "
                            f"(check DIGEST_SMTP_SECURITY, host and port)") from None
        raise SendError(f"the SMTP server {where} did not answer within "
                        f"{cfg.smtp_timeout:g} s (check the host, port and firewall)") from None
    except smtplib.SMTPAuthenticationError as error:
        raise SendError(f"the SMTP server {where} refused the login of "
                        f"{cfg.smtp_user!r}: {error.smtp_code} {redact(_text(error))} "
                        f"(check the password in ${cfg.smtp_password_env})") from None
    except smtplib.SMTPNotSupportedError as error:
        raise SendError(f"the SMTP server {where} does not support this: "
                        f"{redact(error)} (check DIGEST_SMTP_SECURITY)") from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
        raise SendError(f"cannot talk to the SMTP server {where}: "
                        f"{redact(_describe(error))} (check DIGEST_SMTP_SECURITY, host "
                        f"and port)") from None


def _is_timeout(error) -> bool:
    """smtplib reports a read timeout as SMTPServerDisconnected; the cause tells."""
    return isinstance(error, (TimeoutError, socket.timeout)) or \
        isinstance(error.__context__, (TimeoutError, socket.timeout))


def _text(error) -> str:
    raw = getattr(error, "smtp_error", b"")
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _describe(error) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error)}"
    return str(error) or error.__class__.__name__


def transmit(smtp, sender, recipient, data: bytes, on_handover):
    """One SMTP transaction. ``on_handover`` runs just before the message body goes
    out: from then on, a lost connection means the server may have it."""
    handed_over = False
    try:
        code, text = smtp.mail(sender)
        if code != 250:
            raise Refused(code, text.decode("utf-8", "replace"))
        code, text = smtp.rcpt(recipient)
        if code not in (250, 251):
            raise Refused(code, text.decode("utf-8", "replace"))
        code, text = smtp.docmd("data")
        if code != 354:
            raise Refused(code, text.decode("utf-8", "replace"))
        on_handover()
        handed_over = True
        body = re.sub(rb"(?m)^\.", b"..", data)
        if not body.endswith(CRLF):
            body += CRLF
        smtp.send(body + b"." + CRLF)
        code, text = smtp.getreply()
        if code != 250:
            raise Refused(code, text.decode("utf-8", "replace"))
        return f"{code} {text.decode('utf-8', 'replace')}"
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        reason = "the connection timed out" if _is_timeout(error) \
            else f"the connection was lost ({_describe(error)})"
        raise ConnectionLost(reason, handed_over) from None


def send_issue(issue, cfg, renderer, recipients, state, *, password=None,
               resend_unknown=False, dry_run=False, progress=None, say=print, now=None):
    """Send to every recipient not yet served; return a Report. Never raises for a
    server problem: each one is recorded and reported."""
    redact = redactor(password)
    report = Report(issue.issue_id, total=len(recipients))
    todo = []
    for recipient in recipients:
        status = state.get(issue.issue_id, recipient.key).get("status")
        if status == SENT:
            report.skipped.append(recipient)
        elif status == SENDING and not resend_unknown:
            report.unknown.append((recipient, "an earlier run handed the message over but "
                                   "got no answer: it may have arrived"))
        else:
            todo.append(recipient)
    layout = renderer.fit(issue, Links(cfg.unsubscribe_page, renderer.urls(issue)["issue"]))
    if dry_run:
        for recipient in todo:
            say(f"would send {issue.issue_id} to {recipient.email} (unsubscribe: "
                f"{unsubscribe_url(cfg, recipient, issue.issue_id)})")
        report.not_attempted = todo
        return report
    if progress:
        progress(0, len(todo), None)
    if not todo:
        return report
    try:
        smtp = connect(cfg, password, redact)
    except SendError as error:
        report.stopped = redact(error)
        report.not_attempted = todo
        return report
    try:
        for index, recipient in enumerate(todo):
            if progress:
                progress(index, len(todo), recipient)
            message = personal_message(issue, cfg, renderer, layout, recipient, now)
            key = recipient.key

            def handover(recipient=recipient, key=key):
                state.record(issue.issue_id, key, status=SENDING, email=recipient.email,
                             message_id=message["Message-ID"])
            try:
                answer = transmit(smtp, cfg.sender_email, recipient.email,
                                  message.as_bytes(), handover)
            except Refused as error:
                reason = redact(f"the server refused it: {error}")
                state.record(issue.issue_id, key, status=FAILED, email=recipient.email,
                             reason=reason, code=error.code)
                report.failed.append((recipient, reason))
                if error.code == 421:  # the server is closing the connection
                    report.stopped = reason
                    report.not_attempted = todo[index + 1:]
                    break
                try:
                    smtp.rset()
                except (smtplib.SMTPException, OSError):
                    report.stopped = "the connection was lost after a refusal"
                    report.not_attempted = todo[index + 1:]
                    break
                continue
            except ConnectionLost as error:
                reason = redact(str(error))
                if error.delivered_unknown:
                    report.unknown.append((recipient, reason + " after the message was "
                                           "handed over: it may have arrived"))
                else:
                    state.record(issue.issue_id, key, status=FAILED, email=recipient.email,
                                 reason=reason + " before the message was sent")
                    report.failed.append((recipient, reason + " before it was sent"))
                report.stopped = reason
                report.not_attempted = todo[index + 1:]
                break
            state.record(issue.issue_id, key, status=SENT, email=recipient.email,
                         message_id=message["Message-ID"], response=redact(answer),
                         at=(now or dt.datetime.now(dt.timezone.utc)).isoformat(
                             timespec="seconds"))
            report.sent.append(recipient)
        if progress:
            progress(len(todo), len(todo), None)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return report
