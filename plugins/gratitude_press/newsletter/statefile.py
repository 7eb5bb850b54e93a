"""What was sent, per issue: each recipient's outcome, or the provider's campaign.

``{"version": 1, "issues": {issue_id: {address: {...}}}, "campaigns": {issue_id:
{provider: {...}}}}``. Every change re-reads the file under its lock before writing
it back, so two runs (even of two issues) never lose each other's records; a whole
send holds its issue's lock (``issue_lock``), so two sends of one issue cannot both
mail a recipient or both create a campaign.
"""

from pathlib import Path

from .storage import identity, locked, read_json, write_json

SENT, SENDING, FAILED = "sent", "sending", "failed"
HINT = "restore it from a backup; without it everyone would be sent the issue again"


def _complaint(data) -> str:
    if not isinstance(data.get("issues"), dict):
        return "no 'issues' object"
    if not isinstance(data.get("campaigns", {}), dict):
        return "'campaigns' is not an object"
    return ""


class StateFile:
    def __init__(self, path):
        self.path = Path(path)
        self.data = {"version": 1, "issues": {}}
        self._seen = None  # identity() of the file when last read or written
        self.refresh()

    def refresh(self):
        """Read the file again if another process replaced it since."""
        seen = identity(self.path)
        if seen is not None and seen == self._seen:
            return
        self.data = read_json(self.path, "the send state", HINT, _complaint) or {
            "version": 1,
            "issues": {},
        }
        self._seen = seen

    def issue_lock(self, issue_id):
        """Held for a whole send of one issue; raises ``storage.Busy`` at once if
        another process is sending it."""
        return locked(self.path, issue_id, wait=False)

    def get(self, issue_id, key) -> dict:
        return self.data["issues"].get(issue_id, {}).get(key, {})

    def record(self, issue_id, key, **fields):
        def change(data):
            data["issues"].setdefault(issue_id, {})[key] = fields

        self._change(change)

    def campaign(self, issue_id, provider) -> dict:
        return self.data.get("campaigns", {}).get(issue_id, {}).get(provider, {})

    def record_campaign(self, issue_id, provider, fields: dict | None):
        """Keep what is known of the campaign; ``None`` forgets it."""

        def change(data):
            campaigns = data.setdefault("campaigns", {}).setdefault(issue_id, {})
            if fields is None:
                campaigns.pop(provider, None)
            else:
                campaigns[provider] = fields

        self._change(change)

    def _change(self, change):
        with locked(self.path):
            self.refresh()
            change(self.data)
            write_json(self.path, self.data)
            self._seen = identity(self.path)
