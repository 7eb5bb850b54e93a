"""Digest settings: every ``DIGEST_*`` name with its documented default, read once.

Set a name in ``pelicanconf.py`` only to change it. The SMTP password is never a
setting: ``DIGEST_SMTP_PASSWORD_ENV`` names the environment variable that holds it.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import ContentError

DEFAULTS = {
    # Absolute https base of every link in an email (None: SITEURL, which must then be
    # https). `make html` builds with an empty SITEURL, so pelicanconf sets this.
    "DIGEST_SITEURL": None,
    # Issue title when the intro file gives none; fields: {start}, {end} (dates).
    "DIGEST_TITLE": "The week of {start:%B} {start.day}, {start.year}",
    # Subject line; fields: {sitename}, {title}, {issue_id}, {start}, {end}, {count}.
    "DIGEST_SUBJECT": "{sitename}: {title}",
    # RFC 2919 list identifier: "Name <id.domain>".
    "DIGEST_LIST_ID": "Gratitude Press weekly <weekly.gratitude.example>",
    # One recipient's unsubscribe URL (https; it must accept the RFC 8058 one-click
    # POST). Fields: {email} (URL-quoted), {id} (the CSV `id` column, else a hash of
    # the address), {issue}.
    "DIGEST_UNSUBSCRIBE_URL": "https://gratitude.example/unsubscribe?list=weekly&id={id}",
    # The list-wide unsubscribe page used in the exported email.eml and the web copy.
    "DIGEST_UNSUBSCRIBE_PAGE": "https://gratitude.example/unsubscribe",
    # Optional mailto: unsubscribe added to List-Unsubscribe ("" for none).
    "DIGEST_UNSUBSCRIBE_MAILTO": "",
    # Provider payloads written next to each issue.
    "DIGEST_PROVIDERS": ("mailchimp", "buttondown", "listmonk"),
    "DIGEST_LISTMONK_LISTS": (),
    # Where issues live on the site; the sign-up page (content/pages/newsletter.md)
    # keeps /newsletter/, so the archive list is one level down.
    "DIGEST_PATH": "newsletter",
    "DIGEST_ARCHIVE_SAVE_AS": "newsletter/archive/index.html",
    "DIGEST_FEED_SAVE_AS": "newsletter/feed.xml",
    "DIGEST_SIGNUP_URL": "newsletter/",
    # Author intros: <PATH>/<DIGEST_INTRO_PATH>/<monday date or yyyy-wNN>.md
    "DIGEST_INTRO_PATH": "newsletter",
    # Small header image (a path under the site) and its width in pixels; None: none.
    "DIGEST_HEADER_IMAGE": "images/author.jpg",
    "DIGEST_HEADER_IMAGE_WIDTH": 56,
    # Gmail clips decoded HTML at about 102 KB: stay below this many bytes.
    "DIGEST_MAX_BYTES": 102_400,
    "DIGEST_SHORT_SUMMARY_WORDS": 24,
    # The command line's --since / --until land here (ISO dates): one more issue.
    "DIGEST_SINCE": None,
    "DIGEST_UNTIL": None,
    # Sending over SMTP.
    "DIGEST_SMTP_HOST": "localhost",
    "DIGEST_SMTP_PORT": 587,
    "DIGEST_SMTP_SECURITY": "starttls",  # starttls, ssl or none
    "DIGEST_SMTP_USER": "",
    "DIGEST_SMTP_PASSWORD_ENV": "DIGEST_SMTP_PASSWORD",
    "DIGEST_SMTP_TIMEOUT": 30,
    # Per issue and recipient: what the server accepted. Keep it out of output/.
    "DIGEST_STATE_FILE": ".digest-state.json",
}

PROVIDERS = ("mailchimp", "buttondown", "listmonk")
SECURITY = ("starttls", "ssl", "none")
LIST_ID = re.compile(r"^[^<>]*<[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+>$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class DigestSettings:
    siteurl: str
    site_siteurl: str
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
    unsubscribe_url: str
    unsubscribe_page: str
    unsubscribe_mailto: str
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

    def absolute(self, relative: str) -> str:
        """An absolute https URL for a site-relative one (e.g. an article's url)."""
        if relative.startswith(("https://", "http://", "mailto:")):
            return relative
        return f"{self.siteurl}/{relative.lstrip('/')}"


def _problem(source, name, message, hint=None):
    return ContentError(source, f"{name} {message}", hint=hint)


def _at_most(number, limit, source, name):
    if number > limit:
        raise _problem(source, name, f"must be at most {limit} (the email is {limit} px "
                       f"wide), got {number}")
    return number


def read_settings(settings: dict, source="pelicanconf.py") -> DigestSettings:
    """Validate and return the digest settings; raise ContentError on a bad value."""
    value = {name: settings.get(name, default) for name, default in DEFAULTS.items()}

    def text(name, *, empty=True):
        if not isinstance(value[name], str) or (not empty and not value[name].strip()):
            raise _problem(source, name, f"must be {'a' if empty else 'a non-empty'} "
                           f"string, got {value[name]!r}")
        return value[name]

    def optional_text(name):
        return None if value[name] is None else text(name)

    def integer(name, low=1):
        if isinstance(value[name], bool) or not isinstance(value[name], int) \
                or value[name] < low:
            raise _problem(source, name, f"must be a whole number >= {low}, "
                           f"got {value[name]!r}")
        return value[name]

    def names(name, allowed=None):
        items = value[name]
        if isinstance(items, str) or not isinstance(items, (list, tuple)):
            raise _problem(source, name, f"must be a list, got {items!r}")
        for item in items:
            if allowed is not None and item not in allowed:
                raise _problem(source, name, f"has an unknown entry {item!r}",
                               "choose from " + ", ".join(allowed))
        return tuple(items)

    def https(name, url):
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise _problem(source, name, f"must be an absolute https:// URL, got {url!r}")
        return url

    site_siteurl = settings.get("SITEURL") or ""
    siteurl = value["DIGEST_SITEURL"] if value["DIGEST_SITEURL"] is not None else site_siteurl
    if not isinstance(siteurl, str) or urlsplit(siteurl).scheme != "https":
        raise _problem(source, "DIGEST_SITEURL", f"must be an absolute https:// URL, got "
                       f"{siteurl!r}", "emails need absolute links; set DIGEST_SITEURL "
                       "to the published site, e.g. 'https://gratitude.example'")
    https("DIGEST_SITEURL", siteurl)
    text("DIGEST_TITLE", empty=False)
    text("DIGEST_SUBJECT", empty=False)
    if not LIST_ID.match(text("DIGEST_LIST_ID")):
        raise _problem(source, "DIGEST_LIST_ID", f"must look like 'Name <id.domain>', got "
                       f"{value['DIGEST_LIST_ID']!r}")
    https("DIGEST_UNSUBSCRIBE_URL", text("DIGEST_UNSUBSCRIBE_URL"))
    https("DIGEST_UNSUBSCRIBE_PAGE", text("DIGEST_UNSUBSCRIBE_PAGE"))
    mailto = text("DIGEST_UNSUBSCRIBE_MAILTO")
    if mailto and not mailto.startswith("mailto:"):
        raise _problem(source, "DIGEST_UNSUBSCRIBE_MAILTO", f"must start with mailto:, "
                       f"got {mailto!r}")
    for template, fields in (("DIGEST_UNSUBSCRIBE_URL", {"email": "a", "id": "1",
                                                          "issue": "2026-01-05"}),):
        try:
            value[template].format(**fields)
        except (KeyError, IndexError, ValueError) as error:
            raise _problem(source, template, f"has an unknown field {error}",
                           "use {email}, {id} or {issue}") from None
    security = text("DIGEST_SMTP_SECURITY").lower()
    if security not in SECURITY:
        raise _problem(source, "DIGEST_SMTP_SECURITY", f"must be one of "
                       f"{', '.join(SECURITY)}, got {value['DIGEST_SMTP_SECURITY']!r}")
    if not ENV_NAME.match(text("DIGEST_SMTP_PASSWORD_ENV", empty=False)):
        raise _problem(source, "DIGEST_SMTP_PASSWORD_ENV", "must be the name of an "
                       "environment variable (the password itself never goes in settings)")
    timeout = value["DIGEST_SMTP_TIMEOUT"]
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise _problem(source, "DIGEST_SMTP_TIMEOUT", f"must be a number of seconds > 0, "
                       f"got {timeout!r}")
    for name in ("DIGEST_SINCE", "DIGEST_UNTIL", "DIGEST_HEADER_IMAGE"):
        optional_text(name)
    for name in ("SENDER_EMAIL",):
        if not isinstance(settings.get(name), str) or "@" not in settings.get(name):
            raise _problem(source, name, f"must be an email address, got "
                           f"{settings.get(name)!r}")
    for name in ("DIGEST_PATH", "DIGEST_ARCHIVE_SAVE_AS", "DIGEST_FEED_SAVE_AS",
                 "DIGEST_SIGNUP_URL", "DIGEST_INTRO_PATH", "DIGEST_STATE_FILE",
                 "DIGEST_SMTP_USER"):
        text(name)
    text("DIGEST_SMTP_HOST", empty=False)

    def identity(name, default=""):
        found = settings.get(name, default)
        if not isinstance(found, str):
            raise _problem(source, name, f"must be a string, got {found!r}")
        return found

    return DigestSettings(
        siteurl=siteurl.rstrip("/"),
        site_siteurl=site_siteurl,
        sitename=identity("SITENAME"),
        author=identity("AUTHOR"),
        lang=identity("DEFAULT_LANG", "en") or "en",
        timezone=identity("TIMEZONE", "UTC") or "UTC",
        sender_name=identity("SENDER_NAME", identity("AUTHOR")),
        sender_email=settings["SENDER_EMAIL"],
        reply_to=identity("REPLY_TO_EMAIL", settings["SENDER_EMAIL"]),
        postal_address=identity("POSTAL_ADDRESS"),
        title=value["DIGEST_TITLE"],
        subject=value["DIGEST_SUBJECT"],
        list_id=value["DIGEST_LIST_ID"],
        unsubscribe_url=value["DIGEST_UNSUBSCRIBE_URL"],
        unsubscribe_page=value["DIGEST_UNSUBSCRIBE_PAGE"],
        unsubscribe_mailto=mailto,
        providers=names("DIGEST_PROVIDERS", PROVIDERS),
        listmonk_lists=names("DIGEST_LISTMONK_LISTS"),
        path=value["DIGEST_PATH"].strip("/"),
        archive_save_as=value["DIGEST_ARCHIVE_SAVE_AS"],
        feed_save_as=value["DIGEST_FEED_SAVE_AS"],
        signup_url=value["DIGEST_SIGNUP_URL"],
        intro_path=value["DIGEST_INTRO_PATH"],
        header_image=value["DIGEST_HEADER_IMAGE"],
        header_image_width=_at_most(integer("DIGEST_HEADER_IMAGE_WIDTH"), 600, source,
                                    "DIGEST_HEADER_IMAGE_WIDTH"),
        max_bytes=integer("DIGEST_MAX_BYTES", 10_000),
        short_summary_words=integer("DIGEST_SHORT_SUMMARY_WORDS"),
        since=value["DIGEST_SINCE"],
        until=value["DIGEST_UNTIL"],
        smtp_host=value["DIGEST_SMTP_HOST"],
        smtp_port=integer("DIGEST_SMTP_PORT"),
        smtp_security=security,
        smtp_user=value["DIGEST_SMTP_USER"],
        smtp_password_env=value["DIGEST_SMTP_PASSWORD_ENV"],
        smtp_timeout=float(timeout),
        state_file=value["DIGEST_STATE_FILE"],
    )
