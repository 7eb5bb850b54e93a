"""A feedgen extension for the tags feedgen's podcast extension lacks or gets wrong.

- ``itunes:explicit`` as ``true``/``false`` (feedgen only accepts yes/no/clean);
- channel ``itunes:image`` (feedgen silently drops URLs not ending in .jpg/.png,
  such as ``cover.jpeg`` or ``cover.jpg?v=2``);
- item ``itunes:image`` (feedgen's setter refuses the same URLs);
- Podcasting 2.0 (https://podcastindex.org/namespace/1.0): ``podcast:guid``,
  ``podcast:locked``, ``podcast:funding``, ``podcast:person``, ``podcast:medium``,
  ``podcast:txt``, ``podcast:trailer``, ``podcast:license`` and ``podcast:podroll``
  on the channel; ``podcast:transcript``, ``podcast:chapters``,
  ``podcast:soundbite``, ``podcast:person``, ``podcast:season`` and
  ``podcast:episode`` on items.

Register with ``fg.register_extension("podcast_index", PodcastIndexExtension,
PodcastIndexEntryExtension, atom=False)``.
"""

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import formatRFC2822, xml_elem

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"


def _tag(name):
    prefix, local = name.split(":")
    namespace = ITUNES_NS if prefix == "itunes" else PODCAST_NS
    return f"{{{namespace}}}{local}"


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
        self._image = None
        self._persons = []

    def extend_ns(self):
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def explicit(self, value):
        self._explicit = bool(value)

    def image(self, url):
        self._image = url

    def person(self, name, role=None, group=None, href=None, img=None):
        self._persons.append(
            {"name": name, "role": role, "group": group, "href": href, "img": img}
        )

    def _add_shared(self, parent):
        if self._explicit is not None:
            _add(parent, "itunes:explicit", "true" if self._explicit else "false")
        if self._image:
            _add(parent, "itunes:image", href=self._image)


class PodcastIndexExtension(_Shared, BaseExtension):
    """Channel tags. Each setter takes plain values; None leaves a tag out."""

    def __init__(self):
        super().__init__()
        self._guid = None
        self._locked = None
        self._locked_owner = None
        self._funding = None
        self._medium = None
        self._txt = []
        self._trailers = []
        self._license = None
        self._podroll = []

    def guid(self, value):
        self._guid = value

    def locked(self, value, owner=None):
        self._locked, self._locked_owner = bool(value), owner

    def funding(self, url, text=None):
        self._funding = (url, text)

    def medium(self, value):
        self._medium = value

    def txt(self, text, purpose=None):
        self._txt.append((text, purpose))

    def trailer(self, title, date, url, length=None, type=None, season=None):
        self._trailers.append(
            {
                "title": title,
                "pubdate": formatRFC2822(date),
                "url": url,
                "length": length,
                "type": type,
                "season": season,
            }
        )

    def license(self, identifier, url=None):
        self._license = (identifier, url)

    def podroll(self, shows):
        """``shows``: ``[(feed guid, feed URL or None)]``."""
        self._podroll = list(shows)

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        self._add_shared(channel)
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
        self._add_listings(channel)
        return rss_feed

    def _add_listings(self, channel):
        """What directories and listeners read besides the show itself."""
        for text, purpose in self._txt:
            _add(channel, "podcast:txt", text, purpose=purpose)
        for trailer in self._trailers:
            attributes = {k: v for k, v in trailer.items() if k != "title"}
            _add(channel, "podcast:trailer", trailer["title"], **attributes)
        if self._license:
            _add(channel, "podcast:license", self._license[0], url=self._license[1])
        if self._podroll:
            podroll = _add(channel, "podcast:podroll")
            for guid, url in self._podroll:
                _add(podroll, "podcast:remoteItem", feedGuid=guid, feedUrl=url)


class PodcastIndexEntryExtension(_Shared, BaseEntryExtension):
    """Item tags."""

    def __init__(self):
        super().__init__()
        self._transcripts = []
        self._chapters = None
        self._soundbites = []
        self._season = None
        self._episode = None

    def transcript(self, url, kind, language=None, rel=None):
        self._transcripts.append(
            {"url": url, "type": kind, "language": language, "rel": rel}
        )

    def chapters(self, url):
        self._chapters = url

    def soundbite(self, start, duration, title=None):
        self._soundbites.append((start, duration, title))

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
        for start, duration, title in self._soundbites:
            _add(entry, "podcast:soundbite", title, startTime=start, duration=duration)
        _add_persons(entry, self._persons)
        if self._season is not None:
            _add(entry, "podcast:season", self._season)
        if self._episode is not None:
            _add(entry, "podcast:episode", self._episode)
        return entry
