"""The calls we make to each provider's API, as documented by the provider.

- Buttondown: ``POST /v1/emails`` (``Authorization: Token KEY``) with ``status``
  "draft", or "scheduled" plus ``publish_date``: without a status it would go out
  at once. ``GET``/``PATCH /v1/emails/{id}``.
- Mailchimp Marketing API 3.0: HTTP Basic with the key as password, on the data
  centre named at the end of the key. ``POST /campaigns``, ``PUT /campaigns/{id}/
  content``, ``POST /campaigns/{id}/actions/schedule`` (quarter hours only),
  ``GET``/``PATCH``/``DELETE /campaigns/{id}``.
- listmonk: ``Authorization: token api_user:token``; ``POST /api/campaigns`` makes a
  draft; ``PUT /api/campaigns/{id}`` and ``PUT /api/campaigns/{id}/status``.

Each class starts from the payload exported next to the issue (``render.
provider_payload``), which already carries the provider's own unsubscribe tag.
"""

import base64
import datetime as dt
from typing import ClassVar
from urllib.parse import quote

from .api import ApiError

DRAFT, SCHEDULED, SENDING, SENT = "draft", "scheduled", "sending", "sent"


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _path(template: str, campaign_id) -> str:
    return template.format(id=quote(str(campaign_id), safe=""))


class KeyProblem(Exception):
    """The API key cannot be right, seen before any call."""


class Provider:
    label = ""
    # the provider's status -> DRAFT, SCHEDULED, SENDING or SENT
    statuses: ClassVar[dict] = {}
    item = ""  # the path of one campaign, with {id}

    def status(self, client, campaign_id) -> str | None:
        """The campaign's status in our words (else the provider's); None if gone."""
        try:
            answer = client.call("GET", _path(self.item, campaign_id))
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        raw = str(self._data(answer).get("status", ""))
        return self.statuses.get(raw, raw or "unknown")

    def schedule_problem(self, moment) -> str:
        return ""

    def fill(self, client, campaign_id, payload, schedule):
        """What follows the creating call (content, scheduling)."""

    def discard(self, client, campaign_id):
        """Remove a campaign left half-made by a refused ``fill``."""

    @staticmethod
    def _data(answer) -> dict:
        return answer

    def _id(self, answer) -> str:
        found = self._data(answer).get("id")
        if found in (None, ""):
            raise ApiError(f"{self.label} answered without a campaign id", "lost")
        return str(found)


class Buttondown(Provider):
    label = "Buttondown"
    url = "https://api.buttondown.com/v1"
    statuses: ClassVar[dict] = {
        "draft": DRAFT,
        "scheduled": SCHEDULED,
        "about_to_send": SENDING,
        "in_flight": SENDING,
        "sent": SENT,
    }
    item = "/emails/{id}"

    def __init__(self, settings, key):
        self.base_url = settings.api_url or self.url
        self.headers = {"Authorization": f"Token {key}"}

    def create(self, client, payload, schedule) -> str:
        return self._id(client.call("POST", "/emails", self._body(payload, schedule)))

    def update(self, client, campaign_id, payload, schedule):
        client.call(
            "PATCH", _path(self.item, campaign_id), self._body(payload, schedule)
        )

    @staticmethod
    def _body(payload, schedule) -> dict:
        body = {
            "subject": payload["subject"],
            "body": payload["body"],
            "status": "draft",
        }  # never omitted: the default sends at once
        if schedule is not None:
            body.update(status="scheduled", publish_date=utc_text(schedule))
        return body


class Mailchimp(Provider):
    label = "Mailchimp"
    statuses: ClassVar[dict] = {
        "save": DRAFT,
        "paused": DRAFT,
        "schedule": SCHEDULED,
        "sending": SENDING,
        "sent": SENT,
    }
    item = "/campaigns/{id}"

    def __init__(self, settings, key):
        data_centre = key.rpartition("-")[2] if "-" in key else ""
        if not settings.api_url and not data_centre.isalnum():
            raise KeyProblem("a Mailchimp key ends with its data centre, like -us19")
        self.base_url = (
            settings.api_url or f"https://{data_centre}.api.mailchimp.com/3.0"
        )
        login = base64.b64encode(f"gratitude-press:{key}".encode()).decode("ascii")
        self.headers = {"Authorization": f"Basic {login}"}
        self.list_id = settings.mailchimp_list_id

    def create(self, client, payload, schedule) -> str:
        return self._id(client.call("POST", "/campaigns", self._campaign(payload)))

    def fill(self, client, campaign_id, payload, schedule):
        client.call(
            "PUT", _path(self.item + "/content", campaign_id), payload["content"]
        )
        if schedule is not None:
            client.call(
                "POST",
                _path(self.item + "/actions/schedule", campaign_id),
                {"schedule_time": utc_text(schedule)},
            )

    def update(self, client, campaign_id, payload, schedule):
        client.call("PATCH", _path(self.item, campaign_id), self._campaign(payload))
        self.fill(client, campaign_id, payload, schedule)

    def discard(self, client, campaign_id):
        client.call("DELETE", _path(self.item, campaign_id))

    def schedule_problem(self, moment) -> str:
        if moment.minute % 15 or moment.second or moment.microsecond:
            return "Mailchimp schedules only at :00, :15, :30 or :45"
        return ""

    def _campaign(self, payload) -> dict:
        return {
            "type": payload["type"],
            "recipients": {"list_id": self.list_id},
            "settings": payload["settings"],
        }


class Listmonk(Provider):
    label = "listmonk"
    statuses: ClassVar[dict] = {
        "draft": DRAFT,
        "scheduled": SCHEDULED,
        "running": SENDING,
        "finished": SENT,
    }
    item = "/campaigns/{id}"

    def __init__(self, settings, key):
        if ":" not in key:
            raise KeyProblem(
                "a listmonk key is the API user and its token: api_user:token"
            )
        self.base_url = f"{settings.api_url}/api"
        self.headers = {"Authorization": f"token {key}"}
        self.lists = list(settings.listmonk_lists)

    def create(self, client, payload, schedule) -> str:
        return self._id(
            client.call("POST", "/campaigns", self._body(payload, schedule))
        )

    def fill(self, client, campaign_id, payload, schedule):
        if schedule is not None:  # send_at is set: a draft may now become scheduled
            client.call(
                "PUT",
                _path(self.item + "/status", campaign_id),
                {"status": "scheduled"},
            )

    def update(self, client, campaign_id, payload, schedule):
        client.call("PUT", _path(self.item, campaign_id), self._body(payload, schedule))
        self.fill(client, campaign_id, payload, schedule)

    @staticmethod
    def _data(answer) -> dict:
        data = answer.get("data")
        return data if isinstance(data, dict) else {}

    def _body(self, payload, schedule) -> dict:
        body = {**payload, "type": "regular", "lists": self.lists}
        if schedule is not None:
            body["send_at"] = utc_text(schedule)
        return body


PROVIDER_CLASSES = {
    "buttondown": Buttondown,
    "mailchimp": Mailchimp,
    "listmonk": Listmonk,
}
