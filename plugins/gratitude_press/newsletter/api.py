"""A plain JSON-over-HTTPS client for the providers' APIs (urllib.request).

It retries a 429 after the server's Retry-After, follows no redirect (the key must
not travel to another address), and turns every failure into an ``ApiError``: one
line without the key, and whether the request may have been carried out.
"""

import datetime as dt
import json
import socket
import ssl
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime

ATTEMPTS = 4
MAX_WAIT = 60  # seconds: a longer Retry-After is reported, not slept through
DETAIL_LIMIT = 300
# Whether the provider may have acted on a request that failed.
REFUSED, UNSENT, LOST = "refused", "unsent", "lost"


class ApiError(Exception):
    """``outcome``: REFUSED (it answered no), UNSENT (never reached it) or LOST (sent,
    no answer: it may have acted)."""

    def __init__(self, line, outcome, status=None):
        super().__init__(line)
        self.outcome, self.status = outcome, status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError for the 3xx


class Client:
    def __init__(self, base_url, headers, label, timeout, redact=str, sleep=time.sleep):
        self.base_url, self.headers, self.label = base_url.rstrip("/"), headers, label
        self.timeout, self.redact, self.sleep = timeout, redact, sleep
        self.opener = urllib.request.build_opener(_NoRedirect)

    def call(self, method, path, body=None) -> dict:
        """The decoded JSON answer ({} when empty); ApiError otherwise."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {
            **self.headers,
            "Accept": "application/json",
            "User-Agent": "gratitude-press",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(1, ATTEMPTS + 1):
            request = urllib.request.Request(
                self.base_url + path, data=data, headers=headers, method=method
            )
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    return _decoded(response.read())
            except urllib.error.HTTPError as error:
                wait = self._wait(error, attempt, method, path)
                self.sleep(wait)
            except (urllib.error.URLError, OSError, ValueError) as error:
                raise self._failure(method, path, error) from None
        raise AssertionError("unreachable: the last attempt raises")

    def _wait(self, error, attempt, method, path) -> float:
        """Seconds to wait before retrying a 429; ApiError for anything else."""
        detail = describe(_body(error))
        if error.code != 429:
            raise ApiError(
                self.redact(
                    f"{self.label} refused {method} {path}: "
                    f"{error.code} {detail}".rstrip()
                ),
                REFUSED,
                error.code,
            )
        wait = retry_after(error.headers.get("Retry-After"))
        if attempt == ATTEMPTS or wait > MAX_WAIT:
            raise ApiError(
                f"{self.label} is rate-limiting us (429): try again in {wait:g} s",
                REFUSED,
                429,
            )
        return wait

    def _failure(self, method, path, error) -> ApiError:
        reason = getattr(error, "reason", error)
        where = f"{self.label} at {self.base_url}"
        if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
            return ApiError(
                f"cannot reach {where}: {_text(reason)} (check "
                "DIGEST_PROVIDER_API_URL)",
                UNSENT,
            )
        if isinstance(reason, ssl.SSLError):
            return ApiError(
                f"cannot reach {where}: TLS failed: {_text(reason)}", UNSENT
            )
        if isinstance(error, ValueError):
            return ApiError(
                f"{where} answered {method} {path} with something that is not JSON",
                LOST,
            )
        return ApiError(
            self.redact(f"no answer from {where} to {method} {path}: {_text(reason)}"),
            LOST,
        )


def _text(error) -> str:
    return " ".join(str(error).split()) or error.__class__.__name__


def _decoded(raw: bytes) -> dict:
    if not raw.strip():
        return {}
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")  # noqa: TRY004 (a bad answer, like bad JSON)
    return data


def _body(error) -> object:
    try:
        raw = error.read()
    except OSError:
        return ""
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return raw.decode("utf-8", "replace")


def describe(body) -> str:
    """The reason in an error answer, whatever the provider's format."""
    if isinstance(body, dict):  # Buttondown, Mailchimp (problem+json), listmonk
        head = str(body.get("code") or body.get("title") or "")
        text = "; ".join(
            describe(body[key]) for key in ("detail", "message") if body.get(key)
        )
        text = f"{head}: {text}" if head and text else head or text
        fields = [
            f"{item.get('field')}: {item.get('message')}"
            for item in body.get("errors") or ()
            if isinstance(item, dict)
        ]
        if fields:
            text += f" ({'; '.join(fields)})"
    elif isinstance(body, list):
        text = "; ".join(_item(item) for item in body)
    else:
        text = str(body or "")
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_LIMIT else text[:DETAIL_LIMIT] + "..."


def _item(item) -> str:
    """One entry of a validation list: {"loc": [...], "msg": ...} or plain text."""
    if isinstance(item, dict):
        where = ".".join(str(part) for part in item.get("loc") or () if part != "body")
        text = item.get("msg") or item.get("message") or json.dumps(item)
        return f"{where}: {text}" if where else str(text)
    return str(item)


def retry_after(value) -> float:
    """Seconds from a Retry-After header (a number or an HTTP date); 1 if absent."""
    if not value:
        return 1.0
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    if when.tzinfo is None:  # "-0000": UTC by RFC 5322
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
