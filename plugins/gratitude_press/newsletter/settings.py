"""Digest settings: every ``DIGEST_*`` name with its documented default, read once.

Set a name in ``pelicanconf.py`` only to change it. The SMTP password is never a
setting: ``DIGEST_SMTP_PASSWORD_ENV`` names the environment variable that holds it.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..settings import SettingValues

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
    # Small header image (a path under the site) and its width in pixels; "": none.
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
            "DIGEST_SITEURL", f"must be an absolute https:// URL, not {siteurl!r}",
            "emails need absolute links; set DIGEST_SITEURL to the published site, "
            "e.g. 'https://gratitude.example'")
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


def read(values) -> DigestSettings:
    """Validate and return the digest settings; raise ContentError on a bad value."""
    if not LIST_ID.match(values.text("DIGEST_LIST_ID")):
        raise values.error("DIGEST_LIST_ID", "must look like 'Name <id.domain>', not "
                           f"{values['DIGEST_LIST_ID']!r}")
    mailto = values.text("DIGEST_UNSUBSCRIBE_MAILTO")
    if mailto and not mailto.startswith("mailto:"):
        raise values.error("DIGEST_UNSUBSCRIBE_MAILTO",
                           f"must start with mailto:, not {mailto!r}")
    unsubscribe_url = _check_format(
        values, "DIGEST_UNSUBSCRIBE_URL", {"email": "a", "id": "1", "issue": "2026-01-05"},
        "use {email}, {id} or {issue}")
    if not ENV_NAME.match(values.text("DIGEST_SMTP_PASSWORD_ENV", empty=False)):
        raise values.error("DIGEST_SMTP_PASSWORD_ENV", "must be the name of an "
                           "environment variable (the password itself never goes in "
                           "settings)")
    sender, reply_to = _addresses(values)
    author = _identity(values, "AUTHOR")
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
        unsubscribe_url=values.https_url("DIGEST_UNSUBSCRIBE_URL", unsubscribe_url),
        unsubscribe_page=values.https_url("DIGEST_UNSUBSCRIBE_PAGE",
                                          values.text("DIGEST_UNSUBSCRIBE_PAGE")),
        unsubscribe_mailto=mailto,
        providers=values.names("DIGEST_PROVIDERS", PROVIDERS),
        listmonk_lists=values.names("DIGEST_LISTMONK_LISTS"),
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
        smtp_password_env=values["DIGEST_SMTP_PASSWORD_ENV"],
        smtp_timeout=values.number("DIGEST_SMTP_TIMEOUT"),
        state_file=values.text("DIGEST_STATE_FILE"),
    )


def read_settings(settings) -> DigestSettings:
    """``read`` for a plain settings dict (the digest command and tests)."""
    return read(SettingValues(settings, DEFAULTS))
