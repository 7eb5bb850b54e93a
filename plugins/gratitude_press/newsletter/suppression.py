"""The addresses ``send`` never mails again: unsubscribed, bounced, or added by hand.

``{"version": 1, "addresses": {address: {"reason", "at", "detail"}}, "mailbox":
{"uidvalidity", "last_uid"}}``. ``mailbox`` remembers how far ``unsubscribes`` has
read the unsubscribe mailbox, so each request is judged once. Changes are
read-modify-write under the file's lock (``storage.py``): ``unsubscribes`` and a
``send`` that records a bounce never lose each other's additions.
"""

import datetime as dt
from pathlib import Path

from .storage import identity, locked, read_json, write_json

UNSUBSCRIBED, BOUNCED, BY_HAND = "unsubscribed", "bounced", "added by hand"
HINT = (
    "restore it from a backup; without it people who unsubscribed would be mailed again"
)


def _complaint(data) -> str:
    return "" if isinstance(data.get("addresses"), dict) else "no 'addresses' object"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Suppressions:
    def __init__(self, path):
        self.path = Path(path)
        self.data = {"version": 1, "addresses": {}}
        self._seen = None
        self.refresh()

    def refresh(self):
        seen = identity(self.path)
        if seen is not None and seen == self._seen:
            return
        self.data = read_json(self.path, "the suppression list", HINT, _complaint) or {
            "version": 1,
            "addresses": {},
        }
        self._seen = seen

    def reason(self, address: str) -> str:
        """Why ``address`` is suppressed, or "" if it is not."""
        entry = self.data["addresses"].get(address.strip().lower())
        return entry.get("reason", "suppressed") if isinstance(entry, dict) else ""

    def __len__(self):
        return len(self.data["addresses"])

    def mailbox_mark(self) -> tuple:
        """(UIDVALIDITY, last UID read) of the unsubscribe mailbox, or ("", 0)."""
        mark = self.data.get("mailbox") or {}
        return str(mark.get("uidvalidity", "")), int(mark.get("last_uid", 0) or 0)

    def add(self, entries, mark=None) -> list:
        """Suppress each ``(address, reason, detail)``; keep ``mark``, the mailbox's
        (UIDVALIDITY, last UID), in the same write. The addresses newly added."""
        added = []

        def change(data):
            for address, reason, detail in entries:
                key = address.strip().lower()
                if key not in data["addresses"]:
                    data["addresses"][key] = {
                        "reason": reason,
                        "at": _now(),
                        "detail": detail,
                    }
                    added.append(key)
            if mark is not None:
                data["mailbox"] = {"uidvalidity": mark[0], "last_uid": mark[1]}

        with locked(self.path):
            self.refresh()
            change(self.data)
            write_json(self.path, self.data)
            self._seen = identity(self.path)
        return added
