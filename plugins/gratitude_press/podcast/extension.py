"""A feedgen extension for the tags feedgen's podcast extension lacks or gets wrong.

- ``itunes:explicit`` as ``true``/``false`` (feedgen only accepts yes/no/clean);
- channel ``itunes:image`` (feedgen silently drops URLs not ending in .jpg/.png,
  such as ``cover.jpeg`` or ``cover.jpg?v=2``);
- Podcasting 2.0 (https://podcastindex.org/namespace/1.0): ``podcast:guid``,
  ``podcast:locked``, ``podcast:funding``, ``podcast:person``, ``podcast:medium`` on
  the channel; ``podcast:transcript``, ``podcast:chapters``, ``podcast:person``,
  ``podcast:season`` and ``podcast:episode`` on items.

Register with ``fg.register_extension("podcast_index", PodcastIndexExtension,
PodcastIndexEntryExtension, atom=False)``.
"""

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"


def _tag(name):
    prefix, local = name.split(":")
    return "{%s}%s" % (ITUNES_NS if prefix == "itunes" else PODCAST_NS, local)


def _add(parent, name, text=None, **attributes):
    element = xml_elem(_tag(name), parent)
    for key, value in attributes.items():
        if value is not None:
            element.attrib[key] = str(value)
    if text is not None:
        element.text = str(text)
    return element


def _add_persons(parent, persons):
    for person in persons:
        _add(
            parent,
            "podcast:person",
            person["name"],
            role=person.get("role"),
            group=person.get("group"),
            href=person.get("href"),
            img=person.get("img"),
        )


class _Shared:
    """Namespaces and the setters channel and items have in common."""

    def __init__(self):
        self._explicit = None
        self._persons = []

    def extend_ns(self):
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def explicit(self, value):
        self._explicit = bool(value)

    def person(self, name, role=None, group=None, href=None, img=None):
        self._persons.append(
            {"name": name, "role": role, "group": group, "href": href, "img": img}
        )

    def _add_shared(self, parent):
        if self._explicit is not None:
            _add(parent, "itunes:explicit", "true" if self._explicit else "false")


class PodcastIndexExtension(_Shared, BaseExtension):
    """Channel tags. Each setter takes plain values; None leaves a tag out."""

    def __init__(self):
        super().__init__()
        self._guid = None
        self._image = None
        self._locked = None
        self._locked_owner = None
        self._funding = None
        self._medium = None

    def guid(self, value):
        self._guid = value

    def image(self, url):
        self._image = url

    def locked(self, value, owner=None):
        self._locked, self._locked_owner = bool(value), owner

    def funding(self, url, text=None):
        self._funding = (url, text)

    def medium(self, value):
        self._medium = value

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        self._add_shared(channel)
        if self._image:
            _add(channel, "itunes:image", href=self._image)
        if self._guid:
            _add(channel, "podcast:guid", self._guid)
        if self._locked is not None:
            _add(
                channel,
                "podcast:locked",
                "yes" if self._locked else "no",
                owner=self._locked_owner,
            )
        if self._funding and self._funding[0]:
            _add(
                channel, "podcast:funding", self._funding[1] or "", url=self._funding[0]
            )
        if self._medium:
            _add(channel, "podcast:medium", self._medium)
        _add_persons(channel, self._persons)
        return rss_feed


class PodcastIndexEntryExtension(_Shared, BaseEntryExtension):
    """Item tags."""

    def __init__(self):
        super().__init__()
        self._transcripts = []
        self._chapters = None
        self._season = None
        self._episode = None

    def transcript(self, url, kind, language=None, rel=None):
        self._transcripts.append(
            {"url": url, "type": kind, "language": language, "rel": rel}
        )

    def chapters(self, url):
        self._chapters = url

    def season(self, number):
        self._season = number

    def episode(self, number):
        self._episode = number

    def extend_rss(self, entry):
        self._add_shared(entry)
        for transcript in self._transcripts:
            _add(entry, "podcast:transcript", **transcript)
        if self._chapters:
            _add(
                entry,
                "podcast:chapters",
                url=self._chapters,
                type="application/json+chapters",
            )
        _add_persons(entry, self._persons)
        if self._season is not None:
            _add(entry, "podcast:season", self._season)
        if self._episode is not None:
            _add(entry, "podcast:episode", self._episode)
        return entry
