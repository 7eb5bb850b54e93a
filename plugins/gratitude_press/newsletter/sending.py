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
    report = Report(issue.issue_id, total=len(recipients))
    todo = _still_to_send(issue.issue_id, recipients, state, resend_unknown, report)
    batch = Batch(issue, cfg, renderer, state, report, redactor(password), now)
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
        smtp = connect(cfg, password, batch.redact)
    except SendError as error:
        report.stopped = batch.redact(error)
        report.not_attempted = todo
        return report
    batch.run(smtp, todo, progress)
    return report


def _still_to_send(issue_id, recipients, state, resend_unknown, report) -> list:
    """The recipients to send to now; those served or maybe served go in the report."""
    todo = []
    for recipient in recipients:
        status = state.get(issue_id, recipient.key).get("status")
        if status == SENT:
            report.skipped.append(recipient)
        elif status == SENDING and not resend_unknown:
            report.unknown.append((recipient, "an earlier run handed the message over but "
                                   "got no answer: it may have arrived"))
        else:
            todo.append(recipient)
    return todo


class Batch:
    """One issue sent to a list of recipients over one SMTP session, each outcome
    recorded in the state file before the next recipient."""

    def __init__(self, issue, cfg, renderer, state, report, redact, now=None):
        self.issue, self.cfg, self.renderer = issue, cfg, renderer
        self.state, self.report, self.redact, self.now = state, report, redact, now
        # One layout for everyone, fitted with the list-wide links (HEADROOM keeps
        # room for each recipient's longer unsubscribe URL).
        self.layout = renderer.fit(issue, Links(cfg.unsubscribe_page,
                                                renderer.urls(issue)["issue"]))

    def run(self, smtp, todo, progress=None):
        """Send to ``todo`` in order until done or until the server makes us stop."""
        try:
            for index, recipient in enumerate(todo):
                if progress:
                    progress(index, len(todo), recipient)
                stop = self.deliver(smtp, recipient)
                if stop:
                    self.report.stopped = stop
                    self.report.not_attempted = todo[index + 1:]
                    break
            if progress:
                progress(len(todo), len(todo), None)
        except BaseException:
            smtp.close()  # maybe inside DATA, where QUIT would become message text
            raise
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def deliver(self, smtp, recipient) -> str:
        """Send one message and record what happened; why the batch must stop, or ""."""
        message = personal_message(self.issue, self.cfg, self.renderer, self.layout,
                                   recipient, self.now)

        def handover():
            self.record(recipient, SENDING, message_id=message["Message-ID"])
        try:
            answer = transmit(smtp, self.cfg.sender_email, recipient.email,
                              message.as_bytes(), handover)
        except Refused as error:
            return self.refused(smtp, recipient, error)
        except ConnectionLost as error:
            return self.lost(recipient, error)
        self.record(recipient, SENT, message_id=message["Message-ID"],
                    response=self.redact(answer),
                    at=(self.now or dt.datetime.now(dt.timezone.utc)).isoformat(
                        timespec="seconds"))
        self.report.sent.append(recipient)
        return ""

    def refused(self, smtp, recipient, error) -> str:
        reason = self.redact(f"the server refused it: {error}")
        self.record(recipient, FAILED, reason=reason, code=error.code)
        self.report.failed.append((recipient, reason))
        if error.code == 421:  # the server is closing the connection
            return reason
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            return "the connection was lost after a refusal"
        return ""

    def lost(self, recipient, error) -> str:
        reason = self.redact(str(error))
        if error.delivered_unknown:  # not recorded: it stays "sending", never resent
            self.report.unknown.append((recipient, reason + " after the message was "
                                        "handed over: it may have arrived"))
        else:
            self.record(recipient, FAILED, reason=reason + " before the message was sent")
            self.report.failed.append((recipient, reason + " before it was sent"))
        return reason

    def record(self, recipient, status, **fields):
        self.state.record(self.issue.issue_id, recipient.key, status=status,
                          email=recipient.email, **fields)
