"""Digest settings: every ``DIGEST_*`` name with its documented default, read once.

Set a name in ``pelicanconf.py`` only to change it. No secret is ever a setting:
``DIGEST_SMTP_PASSWORD_ENV``, ``DIGEST_PROVIDER_KEY_ENV``, ``DIGEST_IMAP_PASSWORD_ENV``
and ``DIGEST_UNSUBSCRIBE_SECRET_ENV`` name the environment variables that hold them.
"""

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..settings import SettingValues
from ..urls import absolute_url

DEFAULTS = {
    # Absolute https base of every link in an email (unset: SITEURL, which must then be
    # https). `make html` builds with an empty SITEURL, so pelicanconf sets this.
    "DIGEST_SITEURL": None,
    # Issue title when the intro file gives none; fields: {start}, {end} (dates).
    "DIGEST_TITLE": "The week of {start:%B} {start.day}, {start.year}",
    # Subject line; fields: {sitename}, {title}, {issue_id}, {start}, {end}, {count}.
    "DIGEST_SUBJECT": "{sitename}: {title}",
    # RFC 2919 list identifier: "Name <id.domain>".
    "DIGEST_LIST_ID": "Gratitude Press weekly <weekly.gratitude.example>",
    # --- How `send` delivers an issue ------------------------------------------
    # "provider": the sign-up provider keeps the list and sends; `send` makes the issue
    # a draft (or scheduled) campaign through its API. "smtp": you keep the list in a
    # git-ignored CSV and `send` mails it through DIGEST_SMTP_HOST.
    "DIGEST_SEND_PATH": "smtp",
    # buttondown, mailchimp or listmonk (unset: NEWSLETTER_SIGNUP's provider).
    "DIGEST_PROVIDER": None,
    # The API root (unset: https://api.buttondown.com/v1, Mailchimp's data centre from
    # the key, listmonk's NEWSLETTER_SIGNUP root). https only; http only to 127.0.0.1.
    "DIGEST_PROVIDER_API_URL": None,
    # The environment variable holding the API key (listmonk: "api_user:token").
    "DIGEST_PROVIDER_KEY_ENV": "DIGEST_PROVIDER_API_KEY",
    "DIGEST_PROVIDER_TIMEOUT": 30,
    # Mailchimp's audience id (unset: NEWSLETTER_SIGNUP's "id").
    "DIGEST_MAILCHIMP_LIST_ID": None,
    # listmonk list ids (numbers) the campaign goes to; also written in listmonk.json.
    "DIGEST_LISTMONK_LISTS": (),
    # --- Unsubscribe (smtp path) -----------------------------------------------
    # Where readers mail "unsubscribe TOKEN" (List-Unsubscribe mailto: and the footer
    # link); unset: REPLY_TO_EMAIL. TOKEN is an HMAC of their address.
    "DIGEST_UNSUBSCRIBE_ADDRESS": None,
    # The environment variable holding the HMAC secret (16+ characters; keep it: a new
    # one makes the unsubscribe links of earlier emails fail).
    "DIGEST_UNSUBSCRIBE_SECRET_ENV": "DIGEST_UNSUBSCRIBE_SECRET",
    # Your own RFC 8058 one-click endpoint, only if you run one ("": none, mailto only).
    # It must answer POST "List-Unsubscribe=One-Click". Fields: {email} (URL-quoted),
    # {token}, {id} (the CSV `id` column, else a hash of the address), {issue}.
    "DIGEST_UNSUBSCRIBE_URL": "",
    # A page explaining how to unsubscribe, for the exported email files ("": the
    # mailto: address, subject "unsubscribe").
    "DIGEST_UNSUBSCRIBE_PAGE": "",
    # Unsubscribed and bounced addresses; `send` never mails them. Keep it out of git.
    "DIGEST_SUPPRESSION_FILE": ".digest-suppressed.json",
    # The mailbox of DIGEST_UNSUBSCRIBE_ADDRESS, read by `unsubscribes` and by `send`
    # before it sends ("": not read; add requests by hand: `unsubscribes --add`).
    "DIGEST_IMAP_HOST": "",
    "DIGEST_IMAP_PORT": None,  # unset: 993 for ssl, else 143
    "DIGEST_IMAP_SECURITY": "ssl",  # ssl, starttls or none
    "DIGEST_IMAP_USER": None,  # unset: DIGEST_UNSUBSCRIBE_ADDRESS
    "DIGEST_IMAP_PASSWORD_ENV": "DIGEST_IMAP_PASSWORD",
    "DIGEST_IMAP_FOLDER": "INBOX",
    "DIGEST_IMAP_TIMEOUT": 30,
    # --- Exports --------------------------------------------------------------
    # Provider payloads written next to each issue.
    "DIGEST_PROVIDERS": ("mailchimp", "buttondown", "listmonk"),
    # Where issues live on the site; the sign-up page (content/pages/newsletter.md)
    # keeps /newsletter/, so the archive list is one level down.
    "DIGEST_PATH": "newsletter",
    "DIGEST_ARCHIVE_SAVE_AS": "newsletter/archive/index.html",
    "DIGEST_FEED_SAVE_AS": "newsletter/feed.xml",
    "DIGEST_SIGNUP_URL": "newsletter/",
    # Author intros: <PATH>/<DIGEST_INTRO_PATH>/<monday date or yyyy-wNN>.md
    "DIGEST_INTRO_PATH": "newsletter",
    # Small header image (a path under the site) and its width in pixels; "": none.
    "DIGEST_HEADER_IMAGE": "images/author.jpg",
    "DIGEST_HEADER_IMAGE_WIDTH": 56,
    # Gmail clips decoded HTML at about 102 KB: stay below this many bytes.
    "DIGEST_MAX_BYTES": 102_400,
    "DIGEST_SHORT_SUMMARY_WORDS": 24,
    # The command line's --since / --until land here (ISO dates): one more issue.
    "DIGEST_SINCE": None,
    "DIGEST_UNTIL": None,
    # --- Sending over SMTP -----------------------------------------------------
    "DIGEST_SMTP_HOST": "localhost",
    "DIGEST_SMTP_PORT": 587,
    "DIGEST_SMTP_SECURITY": "starttls",  # starttls, ssl or none
    "DIGEST_SMTP_USER": "",
    "DIGEST_SMTP_PASSWORD_ENV": "DIGEST_SMTP_PASSWORD",
    "DIGEST_SMTP_TIMEOUT": 30,
    # Per issue: what each recipient's server accepted, or the provider campaign's id.
    # Keep it out of output/ and out of git.
    "DIGEST_STATE_FILE": ".digest-state.json",
}

PROVIDERS = ("mailchimp", "buttondown", "listmonk")
SEND_PATHS = ("smtp", "provider")
SECURITY = ("starttls", "ssl", "none")
LIST_ID = re.compile(r"^[^<>]*<[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+>$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
)
# RFC 2606 / 6761 names: nothing real answers there, so no unsubscribe can work.
PLACEHOLDER_DOMAINS = (
    "example",
    "test",
    "invalid",
    "localhost",
    "example.com",
    "example.net",
    "example.org",
)
IMAP_PORTS = {"ssl": 993, "starttls": 143, "none": 143}


@dataclass(frozen=True)
class ProviderSettings:
    """The provider path: which API, where, and the name of the key's variable."""

    name: str
    api_url: str | None  # None: the provider's public API (Mailchimp: from the key)
    key_env: str
    timeout: float
    mailchimp_list_id: str
    listmonk_lists: tuple


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str
    user: str
    password_env: str
    folder: str
    timeout: float


@dataclass(frozen=True)
class DigestSettings:
    siteurl: str
    sitename: str
    author: str
    lang: str
    timezone: str
    sender_name: str
    sender_email: str
    reply_to: str
    postal_address: str
    title: str
    subject: str
    list_id: str
    send_path: str
    provider: ProviderSettings | None  # None on the smtp path
    unsubscribe_address: str
    unsubscribe_secret_env: str
    unsubscribe_url: str  # "" : no one-click endpoint
    unsubscribe_page: str  # "" : the mailto: address in the exported files
    suppression_file: str
    imap: ImapSettings | None  # None: requests are not read from a mailbox
    providers: tuple
    listmonk_lists: tuple
    path: str
    archive_save_as: str
    feed_save_as: str
    signup_url: str
    intro_path: str
    header_image: str | None
    header_image_width: int
    max_bytes: int
    short_summary_words: int
    since: str | None
    until: str | None
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str
    smtp_password_env: str
    smtp_timeout: float
    state_file: str

    @property
    def domain(self) -> str:
        return self.sender_email.rpartition("@")[2] or urlsplit(self.siteurl).hostname

    @property
    def list_unsubscribe_link(self) -> str:
        """The unsubscribe link of the exported (list-wide) email files."""
        return (
            self.unsubscribe_page
            or f"mailto:{self.unsubscribe_address}?subject=unsubscribe"
        )

    def absolute(self, relative: str) -> str:
        """An absolute https URL for a site-relative one (e.g. an article's url),
        encoded for the exports (Markdown, JSON) it goes into."""
        return absolute_url(self.siteurl, relative)


def is_placeholder_host(host: str) -> bool:
    host = (host or "").lower().rstrip(".")
    return any(
        host == name or host.endswith("." + name) for name in PLACEHOLDER_DOMAINS
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_format(values, name, fields, hint):
    template = values.text(name)
    try:
        template.format(**fields)
    except (KeyError, IndexError, ValueError) as error:
        raise values.error(name, f"has an unknown field {error}", hint) from None
    return template


def _site_url(values) -> str:
    siteurl = values["DIGEST_SITEURL"]
    if siteurl is None:
        siteurl = values["SITEURL"] or ""
    parts = urlsplit(siteurl if isinstance(siteurl, str) else "")
    if parts.scheme != "https" or not parts.hostname:
        raise values.error(
            "DIGEST_SITEURL",
            f"must be an absolute https:// URL, not {siteurl!r}",
            "emails need absolute links; set DIGEST_SITEURL to the published site, "
            "e.g. 'https://gratitude.example'",
        )
    return siteurl.rstrip("/")


def _addresses(values):
    """(sender email, reply-to): the address checked, the reply-to defaulting to it."""
    sender = values["SENDER_EMAIL"]
    if not isinstance(sender, str) or "@" not in sender:
        raise values.error("SENDER_EMAIL", f"must be an email address, not {sender!r}")
    reply_to = values["REPLY_TO_EMAIL"] or sender
    return sender, reply_to


def _identity(values, name, default=""):
    found = values[name]
    if found is None:
        return default
    if not isinstance(found, str):
        raise values.error(name, f"must be text in quotes, not {found!r}")
    return found


def _env_name(values, name) -> str:
    if not ENV_NAME.match(values.text(name, empty=False)):
        raise values.error(
            name,
            "must be the name of an environment variable (the "
            "secret itself never goes in settings)",
        )
    return values[name]


def _real_https(values, name, value) -> str:
    """An https URL on a real domain, or "" (none)."""
    if not value:
        return ""
    url = values.https_url(name, value)
    host = urlsplit(url).hostname
    if is_placeholder_host(host):
        raise values.error(
            name,
            f"points at {host}, a placeholder domain where nothing answers",
            'set the address of a page or endpoint you really run, or "" to use the '
            "mailto: unsubscribe only",
        )
    return url


def _unsubscribe_url(values) -> str:
    template = _check_format(
        values,
        "DIGEST_UNSUBSCRIBE_URL",
        {"email": "a", "id": "1", "token": "t", "issue": "2026-01-05"},
        "use {email}, {token}, {id} or {issue}",
    )
    return _real_https(values, "DIGEST_UNSUBSCRIBE_URL", template)


def _unsubscribe_address(values, reply_to) -> str:
    if values["DIGEST_UNSUBSCRIBE_MAILTO"] is not None:  # the name before issue 16
        raise values.error(
            "DIGEST_UNSUBSCRIBE_MAILTO",
            "is no longer read",
            "set DIGEST_UNSUBSCRIBE_ADDRESS to the plain address",
        )
    address = values["DIGEST_UNSUBSCRIBE_ADDRESS"]
    address = reply_to if address is None else address
    if not isinstance(address, str) or not ADDRESS.match(address):
        raise values.error(
            "DIGEST_UNSUBSCRIBE_ADDRESS", f"must be an email address, not {address!r}"
        )
    return address


def _imap(values, unsubscribe_address) -> ImapSettings | None:
    host = values.text("DIGEST_IMAP_HOST").strip()
    security = values.choice("DIGEST_IMAP_SECURITY", SECURITY)
    port = (
        IMAP_PORTS[security]
        if values["DIGEST_IMAP_PORT"] is None
        else values.integer("DIGEST_IMAP_PORT", 1, 65535)
    )
    user = values["DIGEST_IMAP_USER"]
    user = unsubscribe_address if user is None else values.text("DIGEST_IMAP_USER")
    password_env = _env_name(values, "DIGEST_IMAP_PASSWORD_ENV")
    folder = values.text("DIGEST_IMAP_FOLDER", empty=False)
    timeout = values.number("DIGEST_IMAP_TIMEOUT")
    if not host:
        return None
    return ImapSettings(host, port, security, user, password_env, folder, timeout)


def _signup(values) -> dict:
    signup = values["NEWSLETTER_SIGNUP"]
    return signup if isinstance(signup, dict) else {}


def _api_url(values, provider) -> str | None:
    url = values["DIGEST_PROVIDER_API_URL"]
    name = "DIGEST_PROVIDER_API_URL"
    if url is None and provider == "listmonk":
        url = (
            _signup(values).get("root")
            if _signup(values).get("provider") == "listmonk"
            else None
        )
        if not url:
            raise values.error(
                name,
                "is needed for listmonk (your listmonk's address)",
                "e.g. 'https://lists.example.org'",
            )
    if url is None:
        return None
    parts = urlsplit(url if isinstance(url, str) else "")
    local = parts.scheme == "http" and is_loopback(parts.hostname or "")
    if not (parts.scheme == "https" or local) or not parts.hostname:
        raise values.error(
            name,
            f"must be an https:// URL, not {url!r}",
            "the API key must never cross a network in clear text",
        )
    return url.rstrip("/")


def _listmonk_lists(values) -> tuple:
    lists = values.names("DIGEST_LISTMONK_LISTS")
    if any(isinstance(item, bool) or not isinstance(item, int) for item in lists):
        raise values.error(
            "DIGEST_LISTMONK_LISTS",
            f"must list numbers, not {lists!r}",
            "the ids shown in listmonk's Lists page, e.g. [3]",
        )
    return lists


def _provider(values, send_path) -> ProviderSettings | None:
    if send_path != "provider":
        return None
    name = values["DIGEST_PROVIDER"]
    signup = _signup(values)
    if name is None and signup.get("provider") in PROVIDERS:
        name = signup["provider"]
    if name not in PROVIDERS:
        raise values.error(
            "DIGEST_PROVIDER",
            f"must be one of {', '.join(PROVIDERS)}, not {name!r}",
            "the provider that keeps your list",
        )
    list_id = values["DIGEST_MAILCHIMP_LIST_ID"]
    if list_id is None and signup.get("provider") == "mailchimp":
        list_id = signup.get("id")
    list_id = list_id if isinstance(list_id, str) else ""
    if name == "mailchimp" and not list_id:
        raise values.error(
            "DIGEST_MAILCHIMP_LIST_ID",
            "is needed to send through Mailchimp",
            "the audience id, from Audience > Settings",
        )
    lists = _listmonk_lists(values)
    if name == "listmonk" and not lists:
        raise values.error(
            "DIGEST_LISTMONK_LISTS",
            "is needed to send through listmonk",
            "the list ids, e.g. [3]",
        )
    return ProviderSettings(
        name,
        _api_url(values, name),
        _env_name(values, "DIGEST_PROVIDER_KEY_ENV"),
        values.number("DIGEST_PROVIDER_TIMEOUT"),
        list_id,
        lists,
    )


def read(values) -> DigestSettings:
    """Validate and return the digest settings; raise ContentError on a bad value."""
    if not LIST_ID.match(values.text("DIGEST_LIST_ID")):
        raise values.error(
            "DIGEST_LIST_ID",
            f"must look like 'Name <id.domain>', not {values['DIGEST_LIST_ID']!r}",
        )
    sender, reply_to = _addresses(values)
    author = _identity(values, "AUTHOR")
    send_path = values.choice("DIGEST_SEND_PATH", SEND_PATHS)
    unsubscribe_address = _unsubscribe_address(values, reply_to)
    return DigestSettings(
        siteurl=_site_url(values),
        sitename=_identity(values, "SITENAME"),
        author=author,
        lang=_identity(values, "DEFAULT_LANG", "en") or "en",
        timezone=_identity(values, "TIMEZONE", "UTC") or "UTC",
        sender_name=_identity(values, "SENDER_NAME", author),
        sender_email=sender,
        reply_to=reply_to,
        postal_address=_identity(values, "POSTAL_ADDRESS"),
        title=values.text("DIGEST_TITLE", empty=False),
        subject=values.text("DIGEST_SUBJECT", empty=False),
        list_id=values["DIGEST_LIST_ID"],
        send_path=send_path,
        provider=_provider(values, send_path),
        unsubscribe_address=unsubscribe_address,
        unsubscribe_secret_env=_env_name(values, "DIGEST_UNSUBSCRIBE_SECRET_ENV"),
        unsubscribe_url=_unsubscribe_url(values),
        unsubscribe_page=_real_https(
            values, "DIGEST_UNSUBSCRIBE_PAGE", values.text("DIGEST_UNSUBSCRIBE_PAGE")
        ),
        suppression_file=values.text("DIGEST_SUPPRESSION_FILE", empty=False),
        imap=_imap(values, unsubscribe_address),
        providers=values.names("DIGEST_PROVIDERS", PROVIDERS),
        listmonk_lists=_listmonk_lists(values),
        path=values.text("DIGEST_PATH").strip("/"),
        archive_save_as=values.text("DIGEST_ARCHIVE_SAVE_AS"),
        feed_save_as=values.text("DIGEST_FEED_SAVE_AS"),
        signup_url=values.text("DIGEST_SIGNUP_URL"),
        intro_path=values.text("DIGEST_INTRO_PATH"),
        header_image=values.optional_text("DIGEST_HEADER_IMAGE"),
        header_image_width=values.integer("DIGEST_HEADER_IMAGE_WIDTH", 1, 600),
        max_bytes=values.integer("DIGEST_MAX_BYTES", 10_000),
        short_summary_words=values.integer("DIGEST_SHORT_SUMMARY_WORDS"),
        since=values.optional_text("DIGEST_SINCE"),
        until=values.optional_text("DIGEST_UNTIL"),
        smtp_host=values.text("DIGEST_SMTP_HOST", empty=False),
        smtp_port=values.integer("DIGEST_SMTP_PORT"),
        smtp_security=values.choice("DIGEST_SMTP_SECURITY", SECURITY),
        smtp_user=values.text("DIGEST_SMTP_USER"),
        smtp_password_env=_env_name(values, "DIGEST_SMTP_PASSWORD_ENV"),
        smtp_timeout=values.number("DIGEST_SMTP_TIMEOUT"),
        state_file=values.text("DIGEST_STATE_FILE", empty=False),
    )


def read_settings(settings) -> DigestSettings:
    """``read`` for a plain settings dict (the digest command and tests)."""
    return read(SettingValues(settings, DEFAULTS))
