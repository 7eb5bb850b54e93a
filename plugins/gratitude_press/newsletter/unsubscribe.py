"""Unsubscribe without a server of ours: a mailto: with a token only we can make.

Every message sent over SMTP carries ``List-Unsubscribe: <mailto:ADDRESS?subject=
unsubscribe%20TOKEN>`` and the same link in its footer. TOKEN is an HMAC-SHA256 of
the recipient's address under a secret from the environment, so a request proves
which subscriber it is for: nobody can unsubscribe someone else, even by forging the
From line. ``unsubscribes`` reads the requests from that mailbox (``imap.py``) and
``judge`` decides each one. Pure: no network, no files.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from urllib.parse import quote

# 128 bits of the HMAC: unguessable, and short enough for a subject line.
TOKEN_LENGTH = 32
TOKEN_IN_TEXT = re.compile(r"\bunsubscribe[\s:]+([0-9a-f]{32})\b", re.IGNORECASE)
MIN_SECRET_LENGTH = 16
# How much of a request's text is searched for the token (a reply quotes the issue).
TEXT_LIMIT = 20_000


def token(secret: str, address: str) -> str:
    """The token of one address (case-insensitive, as mail systems treat them)."""
    digest = hmac.new(
        secret.encode("utf-8"), address.strip().lower().encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return digest[:TOKEN_LENGTH]


def mailto(mailbox: str, secret: str, address: str) -> str:
    """The RFC 2369 mailto: a reader's client sends to unsubscribe ``address``."""
    return (
        f"mailto:{quote(mailbox, safe='@+')}?subject=unsubscribe%20"
        f"{token(secret, address)}"
    )


def secret_problem(secret: str | None, env_name: str) -> str:
    """Why ``secret`` cannot sign tokens ("" when it can)."""
    hint = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
    if not secret:
        return (
            f"${env_name} is empty: export the unsubscribe secret in it (make one "
            f"once with {hint}, and keep it)"
        )
    if len(secret) < MIN_SECRET_LENGTH:
        return (
            f"${env_name} is shorter than {MIN_SECRET_LENGTH} characters: anyone "
            f"could guess tokens (make one with {hint})"
        )
    return ""


@dataclass(frozen=True)
class Verdict:
    """What one request asks: ``address`` to unsubscribe, or why it was ignored."""

    sender: str
    address: str = ""
    reason: str = ""


def _tokens(message: EmailMessage) -> list:
    """Tokens in the subject first, then in the text (a reply may move it there)."""
    found = TOKEN_IN_TEXT.findall(str(message.get("Subject", "")))
    body = message.get_body(preferencelist=("plain",))
    if body is not None:
        try:
            found += TOKEN_IN_TEXT.findall(body.get_content()[:TEXT_LIMIT])
        except (LookupError, ValueError):  # an unknown charset: the subject must do
            pass
    return [candidate.lower() for candidate in found]


def _senders(message: EmailMessage) -> list:
    return [
        address
        for _name, address in getaddresses(message.get_all("From", []))
        if "@" in address
    ]


def judge(message: EmailMessage, secret: str, known: dict) -> Verdict:
    """Whose unsubscribe ``message`` is; ``known`` maps tokens to subscribers' addresses
    (the recipient list, when there is one). The From line alone never decides."""
    senders = _senders(message)
    sender = senders[0] if senders else "(no sender)"
    tokens = _tokens(message)
    if not tokens:
        return Verdict(sender, reason="no unsubscribe token in it")
    for candidate in tokens:
        if candidate in known:
            return Verdict(sender, known[candidate])
        for address in senders:
            if hmac.compare_digest(candidate, token(secret, address)):
                return Verdict(sender, address.lower())
    return Verdict(sender, reason="its token is not the one sent to this address")
