"""The show's settings for directories and listeners, checked into plain values.

Each ``parse_*`` takes the ``SettingValues`` of the podcast concern and returns a
tuple of small frozen records, or raises ``values.error(...)`` naming the setting's
line. ``settings.read`` calls them; nothing here touches Pelican.
"""

import uuid
from dataclasses import dataclass

# Labels of the apps and directories a writer is most likely to list, by the short
# key PODCAST_LISTEN_ON accepts; any other key is shown as written ("Castro").
APPS = {
    "apple": "Apple Podcasts",
    "spotify": "Spotify",
    "youtube": "YouTube",
    "amazon": "Amazon Music",
    "overcast": "Overcast",
    "pocketcasts": "Pocket Casts",
    "castro": "Castro",
    "antennapod": "AntennaPod",
    "podcastaddict": "Podcast Addict",
    "fountain": "Fountain",
    "castbox": "Castbox",
    "podcastindex": "Podcast Index",
}
# Licences the Podcasting 2.0 namespace lets a feed name without a URL (SPDX ids,
# lower case), with the label and deed people read. Any other needs
# PODCAST_LICENSE_URL.
LICENSES = {
    "cc-by-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc-by-nc-4.0": ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "cc-by-nc-sa-4.0": (
        "CC BY-NC-SA 4.0",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    "cc-by-nd-4.0": ("CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    "cc-by-nc-nd-4.0": (
        "CC BY-NC-ND 4.0",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    ),
    "cc0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}
# Limits of the Podcasting 2.0 namespace for podcast:txt and podcast:license.
TXT_MAX, PURPOSE_MAX, LICENSE_MAX = 4000, 128, 128
PODROLL_KEYS = {"title", "guid", "feed_url", "link"}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Txt:
    purpose: str | None
    text: str


@dataclass(frozen=True)
class RemoteShow:
    """A show the writer recommends (``podcast:podroll``)."""

    title: str
    guid: str
    feed_url: str | None
    link: str | None

    @property
    def url(self):
        return self.link or self.feed_url


@dataclass(frozen=True)
class License:
    id: str
    label: str
    url: str | None


def parse_hosts(values, author):
    hosts = values["PODCAST_HOSTS"]
    if hosts is None:
        return (author,) if author else ()
    names = values.names("PODCAST_HOSTS")
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise values.error("PODCAST_HOSTS", f"must be a list of names, not {hosts!r}")
    return tuple(" ".join(name.split()) for name in names)


def parse_listen_on(values):
    """``PODCAST_LISTEN_ON``: ``{app key or label: https URL}``, in the given order."""
    apps = values["PODCAST_LISTEN_ON"]
    if not isinstance(apps, dict):
        raise values.error(
            "PODCAST_LISTEN_ON",
            f"must be a dict, not {apps!r}",
            'e.g. {"apple": "https://podcasts.apple.com/..."}',
        )
    links = []
    for key, url in apps.items():
        if not isinstance(key, str) or not key.strip():
            raise values.error("PODCAST_LISTEN_ON", f"has an empty app name {key!r}")
        if not isinstance(url, str):
            raise values.error("PODCAST_LISTEN_ON", f"gives {key!r} no URL: {url!r}")
        values.https_url("PODCAST_LISTEN_ON", url)
        links.append(Link(APPS.get(key.strip().lower(), key.strip()), url))
    return tuple(links)


def _txt_parts(entry):
    """``(purpose, text)`` of ``"text"`` or ``("purpose", "text")``, else Nones."""
    if isinstance(entry, str):
        return None, entry
    if isinstance(entry, (list, tuple)) and len(entry) == 2:
        return tuple(entry)
    return None, None


def _is_text(value, limit):
    return isinstance(value, str) and bool(value.strip()) and len(value) <= limit


def _txt(values, entry):
    purpose, text = _txt_parts(entry)
    if not _is_text(text, TXT_MAX):
        raise values.error(
            "PODCAST_TXT",
            f"has an entry {entry!r} that is not text of 1 to {TXT_MAX} characters",
            'give "text" or ("purpose", "text")',
        )
    if purpose is not None and not _is_text(purpose, PURPOSE_MAX):
        raise values.error(
            "PODCAST_TXT",
            f"has a purpose {purpose!r} that is not text of 1 to {PURPOSE_MAX} "
            "characters",
        )
    return Txt(purpose.strip() if purpose else None, text.strip())


def parse_txt(values):
    """``PODCAST_TXT``: verification strings (``podcast:txt``)."""
    return tuple(_txt(values, entry) for entry in values.names("PODCAST_TXT"))


def _optional_https(values, name, value):
    return None if value in (None, "") else values.https_url(name, value)


def _remote_show(values, entry):
    name = "PODCAST_PODROLL"
    if not isinstance(entry, dict) or set(entry) - PODROLL_KEYS:
        raise values.error(
            name,
            f"has an entry {entry!r} that is not a dict of "
            + ", ".join(sorted(PODROLL_KEYS)),
        )
    title = " ".join(str(entry.get("title") or "").split())
    try:
        guid = str(uuid.UUID(str(entry.get("guid"))))
    except ValueError:
        raise values.error(
            name,
            f"needs the podcast:guid (a UUID) of {title or entry!r}"
            f", not {entry.get('guid')!r}",
            "podcastindex.org shows it on the show's page",
        ) from None
    if not title:
        raise values.error(name, f"needs a title for the show {guid}")
    return RemoteShow(
        title,
        guid,
        _optional_https(values, name, entry.get("feed_url")),
        _optional_https(values, name, entry.get("link")),
    )


def parse_podroll(values):
    """``PODCAST_PODROLL``: shows the writer recommends (``podcast:podroll``)."""
    return tuple(
        _remote_show(values, entry) for entry in values.names("PODCAST_PODROLL")
    )


def parse_license(values):
    """``PODCAST_LICENSE`` (+ ``PODCAST_LICENSE_URL``), or None."""
    given = values.optional_text("PODCAST_LICENSE")
    url = _optional_https(values, "PODCAST_LICENSE_URL", values["PODCAST_LICENSE_URL"])
    if not given or not given.strip():
        return None
    identifier = given.strip().lower()
    if len(identifier) > LICENSE_MAX:
        raise values.error(
            "PODCAST_LICENSE", f"is longer than {LICENSE_MAX} characters"
        )
    label, deed = LICENSES.get(identifier, (given.strip(), None))
    if not (url or deed):
        raise values.error(
            "PODCAST_LICENSE",
            f"{given!r} needs PODCAST_LICENSE_URL",
            "a licence of your own needs a link to its full text; or "
            "use one of " + ", ".join(LICENSES),
        )
    return License(identifier, label, url or deed)


def parse_enclosure_prefix(values):
    """``PODCAST_ENCLOSURE_PREFIX``: an analytics redirect before feed media URLs."""
    prefix = values["PODCAST_ENCLOSURE_PREFIX"]
    if prefix in (None, ""):
        return ""
    values.https_url("PODCAST_ENCLOSURE_PREFIX")
    if not prefix.endswith("/"):
        raise values.error(
            "PODCAST_ENCLOSURE_PREFIX",
            f"must end with /, not {prefix!r}",
            "e.g. https://op3.dev/e/ or https://dts.podtrac.com/redirect.mp3/",
        )
    return prefix


def prefixed(prefix, url):
    """``url`` behind the analytics prefix: the services take the URL without its
    scheme (``https://op3.dev/e/`` + ``cdn.example/1.mp3``)."""
    if not prefix or not url:
        return url
    return prefix + url.split("://", 1)[-1]
