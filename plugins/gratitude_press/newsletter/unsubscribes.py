"""``unsubscribes``: the requests in the unsubscribe mailbox become suppressions.

``send`` runs the same step first, so an address is suppressed before the next issue
goes out. Each request is judged once (the suppression list keeps how far the
mailbox was read); a request without the right token changes nothing.
"""

from dataclasses import dataclass, field

from . import unsubscribe
from .imap import read_requests
from .suppression import UNSUBSCRIBED


@dataclass
class Outcome:
    read: int = 0
    added: list = field(default_factory=list)  # addresses newly suppressed
    ignored: list = field(default_factory=list)  # Verdicts without an address


def known_tokens(secret: str, recipients) -> dict:
    """token -> address for every recipient: a request sent from another address
    (an alias, a forward) still names its subscriber."""
    return {unsubscribe.token(secret, r.email): r.key for r in recipients}


def read_unsubscribes(
    imap_cfg, password, secret, suppressions, known=None, redact=str
) -> Outcome:
    """Read the new requests and suppress every valid one; ``imap.MailboxError`` if
    the mailbox cannot be read (then nothing changes)."""
    suppressions.refresh()
    mark, requests = read_requests(
        imap_cfg, password, suppressions.mailbox_mark(), redact
    )
    outcome = Outcome(read=len(requests))
    entries = []
    for uid, message in requests:
        verdict = unsubscribe.judge(message, secret, known or {})
        if verdict.address:
            entries.append(
                (
                    verdict.address,
                    UNSUBSCRIBED,
                    f"request from {verdict.sender}, IMAP UID {uid}",
                )
            )
        else:
            outcome.ignored.append(verdict)
    outcome.added = suppressions.add(entries, mark)
    return outcome
