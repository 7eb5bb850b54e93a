"""Buttondown, Mailchimp and listmonk on 127.0.0.1, as their API docs describe the
calls the digest makes: method, path, auth header, required fields and the error
answers (401/403, 400/422, 404, 429 with Retry-After). It records what it was asked
and the campaigns it made, and it can be told to misbehave once.

Base URLs: ``{url}/buttondown/v1``, ``{url}/mailchimp/3.0``, ``{url}/listmonk``.
"""

import base64
import datetime as dt
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUTTONDOWN_KEY = "bd-test-key-0123456789"
MAILCHIMP_KEY = "0123456789abcdef0123456789abcdef-us19"
MAILCHIMP_LISTS = {"a1b2c3d4e5"}
LISTMONK_KEY = "digest-api:lm-token-0123456789"
LISTMONK_LISTS = {3, 4}
BUTTONDOWN_STATUSES = {"draft", "scheduled", "about_to_send"}


class Answer(Exception):
    def __init__(self, status, body=None, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _future(text) -> bool:
    try:
        moment = dt.datetime.fromisoformat(str(text))  # "Z" is read since 3.11
    except ValueError:
        return False
    return moment.tzinfo is not None and moment > dt.datetime.now(dt.UTC)


class Providers:
    """The three services' state; one instance per test module."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.campaigns = {"buttondown": {}, "mailchimp": {}, "listmonk": {}}
        self.calls = []  # (provider, method, path)
        self.throttle = 0  # the next N requests get a 429
        self.drop_next_create = False  # make it, then close without an answer
        self.refuse_content = False  # Mailchimp: 400 on PUT .../content

    def made(self, provider) -> list:
        return list(self.campaigns[provider].values())

    def handle(self, provider, method, path, headers, body):
        with self.lock:
            self.calls.append((provider, method, path))
            if self.throttle:
                self.throttle -= 1
                raise Answer(
                    429,
                    {
                        "detail": "Request was throttled.",
                        "message": "too many requests",
                    },
                    {"Retry-After": "1"},
                )
            return getattr(self, provider)(method, path, headers, body)

    # --- Buttondown: Authorization: Token KEY ---------------------------------------
    def buttondown(self, method, path, headers, body):
        if headers.get("Authorization") != f"Token {BUTTONDOWN_KEY}":
            raise Answer(401, {"detail": "Invalid token."})
        emails = self.campaigns["buttondown"]
        if (method, path) == ("POST", "/v1/emails"):
            return self._buttondown_create(emails, body)
        found = re.fullmatch(r"/v1/emails/([\w-]+)", path)
        if not found or found.group(1) not in emails:
            raise Answer(404, {"detail": "Not found."})
        email = emails[found.group(1)]
        if method == "GET":
            return 200, email
        if method == "PATCH":
            if email["status"] not in ("draft", "scheduled"):
                raise Answer(
                    400,
                    {
                        "code": "email_already_sent",
                        "detail": "This email has already been sent.",
                    },
                )
            self._buttondown_fields(body, partial=True)
            email.update(body)
            return 200, email
        raise Answer(405, {"detail": f'Method "{method}" not allowed.'})

    def _buttondown_create(self, emails, body):
        self._buttondown_fields(body, partial=False)
        if any(e["subject"] == body["subject"] for e in emails.values()):
            raise Answer(
                400,
                {
                    "code": "email_duplicate",
                    "detail": "An email with this subject already exists.",
                },
            )
        # Without a status Buttondown sends at once: record that faithfully.
        email = {"id": str(uuid.uuid4()), "status": "about_to_send", **body}
        emails[email["id"]] = email
        return 201, email

    @staticmethod
    def _buttondown_fields(body, partial):
        problems = []
        if not partial and not isinstance(body.get("subject"), str):
            problems.append(
                {"loc": ["body", "subject"], "msg": "Field required", "type": "missing"}
            )
        if "status" in body and body["status"] not in BUTTONDOWN_STATUSES:
            problems.append({"loc": ["body", "status"], "msg": "Invalid status"})
        if problems:
            raise Answer(422, {"detail": problems})
        if body.get("status") == "scheduled" and not _future(body.get("publish_date")):
            raise Answer(
                400,
                {
                    "code": "publish_date_missing",
                    "detail": "A scheduled email needs a future publish_date.",
                },
            )

    # --- Mailchimp: HTTP Basic, any user, the key as password -------------------------
    def mailchimp(self, method, path, headers, body):
        if not self._mailchimp_key(headers.get("Authorization", "")):
            raise Answer(
                401,
                _problem(
                    401,
                    "API Key Invalid",
                    "Your API key may be "
                    "invalid, or you've attempted to access the "
                    "wrong datacenter.",
                ),
            )
        campaigns = self.campaigns["mailchimp"]
        if (method, path) == ("POST", "/3.0/campaigns"):
            return self._mailchimp_create(campaigns, body)
        found = re.fullmatch(r"/3.0/campaigns/(\w+)(/content|/actions/schedule)?", path)
        if not found or found.group(1) not in campaigns:
            raise Answer(
                404,
                _problem(
                    404,
                    "Resource Not Found",
                    "The requested resource could not be found.",
                ),
            )
        return self._mailchimp_campaign(
            campaigns, found.group(1), found.group(2) or "", method, body
        )

    @staticmethod
    def _mailchimp_key(header) -> bool:
        if not header.startswith("Basic "):
            return False
        try:
            login = base64.b64decode(header[6:]).decode()
        except ValueError:
            return False
        return login.partition(":")[2] == MAILCHIMP_KEY

    def _mailchimp_create(self, campaigns, body):
        settings = body.get("settings") or {}
        errors = [
            {"field": f"settings.{name}", "message": "This value should not be blank."}
            for name in ("subject_line", "from_name", "reply_to")
            if not settings.get(name)
        ]
        if body.get("type") not in ("regular", "plaintext", "absplit", "rss"):
            errors.append({"field": "type", "message": "Must be a campaign type."})
        if (body.get("recipients") or {}).get("list_id") not in MAILCHIMP_LISTS:
            errors.append(
                {"field": "recipients.list_id", "message": "The list does not exist."}
            )
        if errors:
            raise Answer(
                400,
                {
                    **_problem(
                        400,
                        "Invalid Resource",
                        "The resource submitted could not be validated.",
                    ),
                    "errors": errors,
                },
            )
        campaign = {
            "id": uuid.uuid4().hex[:10],
            "status": "save",
            **body,
            "content": {},
        }
        campaigns[campaign["id"]] = campaign
        return 200, campaign

    def _mailchimp_campaign(self, campaigns, campaign_id, part, method, body):
        campaign = campaigns[campaign_id]
        if (method, part) == ("GET", ""):
            return 200, campaign
        if (method, part) == ("DELETE", ""):
            del campaigns[campaign_id]
            return 204, None
        if campaign["status"] not in ("save", "paused"):
            raise Answer(
                400,
                _problem(
                    400,
                    "Bad Request",
                    f"This campaign cannot be changed: it is {campaign['status']}.",
                ),
            )
        if (method, part) == ("PATCH", ""):
            campaign.update(body)
            return 200, campaign
        if (method, part) == ("PUT", "/content"):
            if self.refuse_content or not isinstance(body.get("html"), str):
                raise Answer(
                    400,
                    _problem(
                        400, "Invalid Resource", "The content could not be parsed."
                    ),
                )
            campaign["content"] = body
            return 200, body
        if (method, part) == ("POST", "/actions/schedule"):
            return self._mailchimp_schedule(campaign, body)
        raise Answer(405, _problem(405, "Method Not Allowed", "Not allowed."))

    @staticmethod
    def _mailchimp_schedule(campaign, body):
        moment = str(body.get("schedule_time", ""))
        quarter = re.search(r"T\d\d:(00|15|30|45):00", moment)
        if not quarter or not _future(moment):
            raise Answer(
                400,
                _problem(
                    400,
                    "Invalid Resource",
                    "Schedule time must be in the future, on the quarter-hour.",
                ),
            )
        if "*|UNSUB|*" not in campaign["content"].get("html", ""):
            raise Answer(
                400,
                _problem(
                    400,
                    "Bad Request",
                    "Your campaign is not ready to send: no unsubscribe link.",
                ),
            )
        campaign.update(status="schedule", send_time=moment)
        return 204, None

    # --- listmonk: Authorization: token api_user:token --------------------------------
    def listmonk(self, method, path, headers, body):
        if headers.get("Authorization") != f"token {LISTMONK_KEY}":
            raise Answer(403, {"message": "invalid API credentials"})
        campaigns = self.campaigns["listmonk"]
        if (method, path) == ("POST", "/api/campaigns"):
            return self._listmonk_create(campaigns, body)
        found = re.fullmatch(r"/api/campaigns/(\d+)(/status)?", path)
        if not found or int(found.group(1)) not in campaigns:
            raise Answer(404, {"message": "Campaign not found."})
        campaign = campaigns[int(found.group(1))]
        if method == "GET" and not found.group(2):
            return 200, {"data": campaign}
        if campaign["status"] not in ("draft", "scheduled", "paused"):
            raise Answer(
                400, {"message": "Cannot update a running or finished campaign."}
            )
        if method == "PUT" and found.group(2):
            return self._listmonk_status(campaign, body)
        if method == "PUT":
            self._listmonk_fields(body)
            campaign.update(body)
            return 200, {"data": campaign}
        raise Answer(405, {"message": "Method not allowed."})

    def _listmonk_create(self, campaigns, body):
        self._listmonk_fields(body)
        campaign = {"id": len(campaigns) + 1, "status": "draft", **body}
        campaigns[campaign["id"]] = campaign
        return 200, {"data": campaign}

    @staticmethod
    def _listmonk_fields(body):
        for name in ("name", "subject", "body"):
            if not isinstance(body.get(name), str) or not body[name]:
                raise Answer(400, {"message": f"invalid {name}"})
        lists = body.get("lists")
        if not lists or not all(isinstance(i, int) for i in lists):
            raise Answer(400, {"message": "invalid lists"})
        if not set(lists) <= LISTMONK_LISTS:
            raise Answer(422, {"message": "one or more lists were not found"})
        if body.get("content_type") not in ("richtext", "html", "markdown", "plain"):
            raise Answer(400, {"message": "invalid content_type"})
        if body.get("type", "regular") not in ("regular", "optin"):
            raise Answer(400, {"message": "invalid type"})
        if "send_at" in body and not _future(body["send_at"]):
            raise Answer(400, {"message": "send_at date should be in the future"})

    @staticmethod
    def _listmonk_status(campaign, body):
        wanted = body.get("status")
        if wanted == "scheduled" and not campaign.get("send_at"):
            raise Answer(
                400, {"message": "campaign needs a send_at date to be scheduled"}
            )
        if wanted not in ("scheduled", "running", "paused", "cancelled"):
            raise Answer(400, {"message": "invalid status"})
        campaign["status"] = wanted
        return 200, {"data": campaign}


def _problem(status, title, detail) -> dict:
    return {
        "type": "https://mailchimp.com/developer/marketing/docs/errors/",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": "",
    }


class _Handler(BaseHTTPRequestHandler):
    providers: Providers = None

    def log_message(self, *args):  # quiet
        pass

    def _serve(self):
        provider, _, rest = self.path.lstrip("/").partition("/")
        rest = "/" + rest
        try:
            body = self._body()
            status, answer = self.providers.handle(
                provider, self.command, rest, dict(self.headers), body
            )
        except Answer as refusal:
            status, answer, extra = refusal.status, refusal.body, refusal.headers
        else:
            extra = {}
            if (
                self.command == "POST"
                and self.providers.drop_next_create
                and status in (200, 201)
            ):
                self.providers.drop_next_create = False
                self.close_connection = True
                return  # made it, and never said so
        self._answer(status, answer, extra)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return {}
        if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise Answer(415, {"detail": "Unsupported media type."})
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            raise Answer(400, {"detail": "JSON parse error."}) from None
        if not isinstance(body, dict):
            raise Answer(400, {"detail": "Expected an object."})
        return body

    def _answer(self, status, answer, extra):
        data = b"" if answer is None else json.dumps(answer).encode()
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        if data:
            kind = (
                "application/problem+json"
                if status >= 400 and self.path.startswith("/mailchimp")
                else "application/json"
            )
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


def start_providers():
    """(server, providers, base URL); stop with ``server.shutdown()``."""
    providers = Providers()
    handler = type("Handler", (_Handler,), {"providers": providers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, providers, f"http://127.0.0.1:{server.server_address[1]}"
