"""Sending an issue over SMTP at most once per recipient, never to a suppressed one.

The state file (``statefile.py``) records, per issue and recipient, what happened:
``sent`` (the server accepted the message), ``failed`` (it refused with a 4xx/5xx, or
the connection was lost before the message went out: safe to retry), and ``sending``
(the message was handed over but no answer came: the server may have it). A rerun
sends only to recipients without ``sent`` or ``sending``, so nobody gets an issue
twice; the ``sending`` ones are listed for a human to check (``--resend-unknown``
retries them). A whole send holds the issue's lock, so two runs started together
cannot both mail anyone.

Every message carries its own unsubscribe (``unsubscribe.py``); addresses in the
suppression list (unsubscribed, or refused for good with a 5xx at RCPT) are skipped.

The password is read from the environment variable named in settings and is never
written anywhere: every message that leaves this module goes through ``redact``.
"""

import datetime as dt
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from urllib.parse import quote

from . import unsubscribe
from .render import Links, build_message, list_links, message_id
from .statefile import FAILED, SENDING, SENT, StateFile
from .storage import Busy
from .suppression import BOUNCED

__all__ = ["FAILED", "SENDING", "SENT", "StateFile", "send_issue"]
CRLF = b"\r\n"
UNANSWERED = (
    "an earlier run handed the message over but got no answer: it may have arrived"
)
ENHANCED_STATUS = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")


class SendError(Exception):
    """A problem that stops the whole batch (connection, login, settings)."""


class ConnectionLost(Exception):
    def __init__(self, reason, delivered_unknown):
        super().__init__(reason)
        self.delivered_unknown = delivered_unknown


class Refused(Exception):
    def __init__(self, code, text, stage=""):
        super().__init__(f"{code} {text}")
        self.code, self.text, self.stage = code, text, stage


def redactor(*secrets):
    def redact(text) -> str:
        text = str(text)
        for secret in secrets:
            if secret:
                text = text.replace(secret, "***")
        return text

    return redact


def is_permanent_for_address(code: int, text: str) -> bool:
    """A 5xx at RCPT that is about this address (unknown user, disabled mailbox), not
    about us: a relay, login or policy refusal (5.7.x, 530) would hit every reader,
    and suppressing them all would be worse than retrying."""
    if not 500 <= code < 600 or code in (530, 535):
        return False
    enhanced = ENHANCED_STATUS.match(text or "")
    if enhanced is None:
        return code in (550, 551, 553)
    subject, detail = enhanced.group(2), enhanced.group(3)
    return subject == "1" or (subject == "2" and detail == "1")


@dataclass(frozen=True)
class Keys:
    """The unsubscribe secret, the SMTP password, and what hides both."""

    secret: str
    password: str | None
    redact: object


@dataclass
class Report:
    issue_id: str
    total: int = 0
    sent: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # already sent earlier
    suppressed: list = field(default_factory=list)  # (recipient, why)
    unknown: list = field(default_factory=list)  # (recipient, reason)
    failed: list = field(default_factory=list)  # (recipient, reason)
    not_attempted: list = field(default_factory=list)
    newly_suppressed: list = field(default_factory=list)  # refused for good this run
    stopped: str = ""
    busy: bool = False  # another process is sending this issue: this run did nothing

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unknown or self.not_attempted or self.stopped)


def unsubscribe_url(cfg, recipient, issue_id, secret) -> str:
    """The writer's own one-click endpoint for this recipient ("" when none)."""
    if not cfg.unsubscribe_url:
        return ""
    return cfg.unsubscribe_url.format(
        email=quote(recipient.email, safe=""),
        id=quote(recipient.token, safe=""),
        token=unsubscribe.token(secret, recipient.email),
        issue=issue_id,
    )


def unsubscribe_uris(cfg, recipient, issue_id, secret) -> tuple:
    """List-Unsubscribe: the https one-click endpoint first when there is one, then
    the mailto: that always works."""
    mailto = unsubscribe.mailto(cfg.unsubscribe_address, secret, recipient.email)
    url = unsubscribe_url(cfg, recipient, issue_id, secret)
    return (url, mailto) if url else (mailto,)


def personal_message(issue, cfg, renderer, layout, recipient, secret, now=None):
    """One recipient's copy: their own unsubscribe, their address, the time of sending
    (the exported email.eml carries the issue's date instead)."""
    uris = unsubscribe_uris(cfg, recipient, issue.issue_id, secret)
    rendered = renderer.render(
        issue, Links(uris[0], renderer.urls(issue)["issue"]), layout
    )
    return build_message(
        issue,
        cfg,
        rendered,
        to=Address(recipient.name, addr_spec=recipient.email),
        unsubscribe=uris,
        one_click=len(uris) > 1,
        msgid=message_id(issue, cfg, recipient.email),
        date=now or dt.datetime.now().astimezone(),
    )


def connect(cfg, password, redact):
    """An SMTP session, logged in if a user is set; SendError with one clear line."""
    where = f"{cfg.smtp_host}:{cfg.smtp_port}"
    try:
        if cfg.smtp_security == "ssl":
            smtp = smtplib.SMTP_SSL(
                cfg.smtp_host,
                cfg.smtp_port,
                timeout=cfg.smtp_timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout)
            if cfg.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo_or_helo_if_needed()
        if cfg.smtp_user:
            smtp.login(cfg.smtp_user, password)
        return smtp
    except ConnectionRefusedError:
        raise SendError(
            f"cannot connect to the SMTP server {where}: connection "
            "refused (check DIGEST_SMTP_HOST and DIGEST_SMTP_PORT)"
        ) from None
    except (TimeoutError, smtplib.SMTPServerDisconnected) as error:
        if not _is_timeout(error):
            raise SendError(
                f"the SMTP server {where} closed the connection at once "
                f"(check DIGEST_SMTP_SECURITY, host and port)"
            ) from None
        raise SendError(
            f"the SMTP server {where} did not answer within "
            f"{cfg.smtp_timeout:g} s (check the host, port and "
            "firewall)"
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        raise SendError(
            f"the SMTP server {where} refused the login of "
            f"{cfg.smtp_user!r}: {error.smtp_code} {redact(_text(error))} "
            f"(check the password in ${cfg.smtp_password_env})"
        ) from None
    except smtplib.SMTPNotSupportedError as error:
        raise SendError(
            f"the SMTP server {where} does not support this: "
            f"{redact(error)} (check DIGEST_SMTP_SECURITY)"
        ) from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
        raise SendError(
            f"cannot talk to the SMTP server {where}: "
            f"{redact(_describe(error))} (check DIGEST_SMTP_SECURITY, host "
            f"and port)"
        ) from None


def _is_timeout(error) -> bool:
    """smtplib reports a read timeout as SMTPServerDisconnected; the cause tells."""
    return isinstance(error, (TimeoutError, socket.timeout)) or isinstance(
        error.__context__, (TimeoutError, socket.timeout)
    )


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
            raise Refused(code, text.decode("utf-8", "replace"), "mail")
        code, text = smtp.rcpt(recipient)
        if code not in (250, 251):
            raise Refused(code, text.decode("utf-8", "replace"), "rcpt")
        code, text = smtp.docmd("data")
        if code != 354:
            raise Refused(code, text.decode("utf-8", "replace"), "data")
        on_handover()
        handed_over = True
        body = re.sub(rb"(?m)^\.", b"..", data)
        if not body.endswith(CRLF):
            body += CRLF
        smtp.send(body + b"." + CRLF)
        code, text = smtp.getreply()
        if code != 250:
            raise Refused(code, text.decode("utf-8", "replace"), "message")
        return f"{code} {text.decode('utf-8', 'replace')}"
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        reason = (
            "the connection timed out"
            if _is_timeout(error)
            else f"the connection was lost ({_describe(error)})"
        )
        raise ConnectionLost(reason, handed_over) from None


def send_issue(
    issue,
    cfg,
    renderer,
    recipients,
    state,
    *,
    secret,
    password=None,
    suppression=None,
    resend_unknown=False,
    dry_run=False,
    progress=None,
    say=print,
    now=None,
):
    """Send to every recipient not yet served nor suppressed; return a Report. Never
    raises for a server problem: each one is recorded and reported. ``progress(sent,
    to_send, recipient)`` counts only messages the server accepted."""
    report = Report(issue.issue_id, total=len(recipients))
    batch = Batch(
        issue,
        cfg,
        renderer,
        state,
        report,
        Keys(secret, password, redactor(password, secret)),
        suppression,
        now,
    )
    if dry_run:
        todo = _still_to_send(
            issue.issue_id, recipients, state, suppression, resend_unknown, report
        )
        for recipient in todo:
            say(
                f"would send {issue.issue_id} to {recipient.email} (unsubscribe: "
                f"{unsubscribe_uris(cfg, recipient, issue.issue_id, secret)[0]})"
            )
        report.not_attempted = todo
        return report
    try:
        with state.issue_lock(issue.issue_id):
            _send_locked(batch, recipients, resend_unknown, progress)
    except Busy as busy:
        holder = f" (process {busy.holder})" if busy.holder else ""
        report.stopped = (
            f"another send of {issue.issue_id} is running{holder}: this "
            "run sent nothing (that one mails everyone still waiting)"
        )
        report.busy = True
    return report


def _send_locked(batch, recipients, resend_unknown, progress):
    """The send itself, under the issue's lock: what others recorded counts."""
    report, state = batch.report, batch.state
    state.refresh()
    if batch.suppression is not None:
        batch.suppression.refresh()
    todo = _still_to_send(
        batch.issue.issue_id,
        recipients,
        state,
        batch.suppression,
        resend_unknown,
        report,
    )
    if progress:
        progress(0, len(todo), None)
    if not todo:
        return
    try:
        smtp = connect(batch.cfg, batch.keys.password, batch.redact)
    except SendError as error:
        report.stopped = batch.redact(error)
        report.not_attempted = todo
        return
    batch.run(smtp, todo, progress)


def _still_to_send(
    issue_id, recipients, state, suppression, resend_unknown, report
) -> list:
    """The recipients to send to now; the others go in the report."""
    todo = []
    for recipient in recipients:
        status = state.get(issue_id, recipient.key).get("status")
        why = suppression.reason(recipient.email) if suppression is not None else ""
        if status == SENT:
            report.skipped.append(recipient)
        elif why:
            report.suppressed.append((recipient, why))
        elif status == SENDING and not resend_unknown:
            report.unknown.append((recipient, UNANSWERED))
        else:
            todo.append(recipient)
    return todo


class Batch:
    """One issue sent to a list of recipients over one SMTP session, each outcome
    recorded in the state file before the next recipient."""

    def __init__(
        self, issue, cfg, renderer, state, report, keys, suppression=None, now=None
    ):
        self.issue, self.cfg, self.renderer = issue, cfg, renderer
        self.state, self.report, self.now = state, report, now
        self.keys, self.redact, self.suppression = keys, keys.redact, suppression
        # One layout for everyone, fitted with the list-wide links (HEADROOM keeps
        # room for each recipient's longer unsubscribe link).
        self.layout = renderer.fit(issue, list_links(cfg, renderer, issue))

    def run(self, smtp, todo, progress=None):
        """Send to ``todo`` in order until done or until the server makes us stop."""
        try:
            for index, recipient in enumerate(todo):
                if progress:
                    progress(len(self.report.sent), len(todo), recipient)
                stop = self.deliver(smtp, recipient)
                if stop:
                    self.report.stopped = stop
                    self.report.not_attempted = todo[index + 1 :]
                    break
            if progress:
                progress(len(self.report.sent), len(todo), None)
        except BaseException:
            smtp.close()  # maybe inside DATA, where QUIT would become message text
            raise
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def deliver(self, smtp, recipient) -> str:
        """Send one message and record what happened; why the batch must stop, or ""."""
        message = personal_message(
            self.issue,
            self.cfg,
            self.renderer,
            self.layout,
            recipient,
            self.keys.secret,
            self.now,
        )

        def handover():
            self.record(recipient, SENDING, message_id=message["Message-ID"])

        try:
            answer = transmit(
                smtp,
                self.cfg.sender_email,
                recipient.email,
                message.as_bytes(),
                handover,
            )
        except Refused as error:
            return self.refused(smtp, recipient, error)
        except ConnectionLost as error:
            return self.lost(recipient, error)
        self.record(
            recipient,
            SENT,
            message_id=message["Message-ID"],
            response=self.redact(answer),
            at=(self.now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        )
        self.report.sent.append(recipient)
        return ""

    def refused(self, smtp, recipient, error) -> str:
        reason = self.redact(f"the server refused it: {error}")
        self.record(recipient, FAILED, reason=reason, code=error.code)
        self.report.failed.append((recipient, reason))
        if (
            error.stage == "rcpt"
            and self.suppression is not None
            and is_permanent_for_address(error.code, error.text)
        ):
            self.suppression.add([(recipient.email, BOUNCED, reason)])
            self.report.newly_suppressed.append(recipient)
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
            self.report.unknown.append(
                (
                    recipient,
                    reason + " after the message was handed over: it may have arrived",
                )
            )
        else:
            self.record(
                recipient, FAILED, reason=reason + " before the message was sent"
            )
            self.report.failed.append((recipient, reason + " before it was sent"))
        return reason

    def record(self, recipient, status, **fields):
        self.state.record(
            self.issue.issue_id,
            recipient.key,
            status=status,
            email=recipient.email,
            **fields,
        )
