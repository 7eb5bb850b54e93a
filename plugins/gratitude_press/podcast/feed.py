"""The podcast RSS 2.0 feed, written with feedgen (pure: plain data in, bytes out).

``show`` and each episode are plain dicts with absolute URLs (see ``build_feed``).
Pitfalls of feedgen 1.0 handled here: the channel ``<link>`` is the last ``fg.link()``
call, ``add_entry`` prepends unless told otherwise, dates must be tz-aware,
``lastBuildDate`` would be "now", channel ``itunes_image`` silently drops URLs not
ending in .jpg/.png, and ``itunes_explicit`` rejects true/false (our extension
emits both).
"""

import html
import json
import re
import uuid
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from feedgen.feed import FeedGenerator

from .extension import PodcastIndexEntryExtension, PodcastIndexExtension

PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
CHAPTERS_VERSION = "1.2.0"


def podcast_guid(feed_url):
    """``podcast:guid``: UUIDv5 of the feed URL without scheme and trailing slashes."""
    bare = re.sub(r"^[a-zA-Z]+://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def chapters_json(chapters):
    """The Podcasting 2.0 JSON chapters document for ``[{"start", "title"}]``."""
    document = {
        "version": CHAPTERS_VERSION,
        "chapters": [{"startTime": c["start"], "title": c["title"]} for c in chapters],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def absolute_html(html, page_url):
    """Show notes with every link and image made absolute against the episode page."""
    soup = BeautifulSoup(html or "", "html.parser")
    for tag, attribute in (
        ("a", "href"),
        ("img", "src"),
        ("source", "src"),
        ("audio", "src"),
    ):
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if value and not value.startswith(("#", "mailto:", "data:")):
                element[attribute] = urljoin(page_url, value)
    return str(soup)


def build_feed(show, episodes):
    """RSS 2.0 bytes.

    ``show``: title, link, feed_url, description, language, image_url, category,
    subcategory, explicit, author, type, owner_name, owner_email, locked, funding_url,
    funding_text, guid, copyright, hosts ([person]); optional txt ([(purpose or
    None, text)]), podroll ([(feed guid, feed url or None)]), license ((id, url or
    None)), trailers ([{title, date, url, length, type, season}]).
    ``episodes`` (any order): title, link, guid, date (tz-aware), summary, content_html,
    enclosure_url, length, type, duration, number (None: unnumbered), season,
    episode_type, explicit, transcript_url, transcript_type, language, chapters_url,
    persons ([person]); optional image_url, soundbites ([{start, duration, title}]).
    A person: name, role, href, img.
    """
    episodes = sorted(episodes, key=lambda e: e["date"], reverse=True)
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension(
        "podcast_index", PodcastIndexExtension, PodcastIndexEntryExtension, atom=False
    )
    _channel(fg, show)
    _podcasting_channel(fg.podcast_index, show)
    if episodes:
        # Reproducible: the newest episode dates the feed, not the clock.
        fg.lastBuildDate(episodes[0]["date"])
        fg.pubDate(episodes[0]["date"])
    for episode in episodes:
        _add_episode(fg.add_entry(order="append"), episode)
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _channel(fg, show):
    fg.title(show["title"])
    fg.description(show["description"])
    fg.language(show["language"])
    fg.generator("Gratitude Press (python-feedgen)")
    if show.get("copyright"):
        fg.copyright(show["copyright"])
    # self first: RSS <link> is the href of the last link() call, and must be the site.
    fg.link(href=show["feed_url"], rel="self", type="application/rss+xml")
    fg.link(href=show["link"], rel="alternate")
    fg.podcast.itunes_author(show["author"])
    fg.podcast.itunes_category(show["category"], show.get("subcategory"))
    fg.podcast.itunes_type(show["type"])
    if show.get("owner_email"):
        fg.podcast.itunes_owner(name=show["owner_name"], email=show["owner_email"])
    fg.podcast.itunes_summary(show["description"])


def _podcasting_channel(index, show):
    index.image(show["image_url"])
    index.explicit(show["explicit"])
    index.guid(show["guid"])
    index.locked(show["locked"], show.get("owner_email"))
    index.medium("podcast")
    if show.get("funding_url"):
        index.funding(show["funding_url"], show.get("funding_text"))
    for host in show.get("hosts", ()):
        index.person(**host)
    for purpose, text in show.get("txt", ()):
        index.txt(text, purpose)
    for trailer in show.get("trailers", ()):
        index.trailer(**trailer)
    if show.get("license"):
        index.license(*show["license"])
    index.podroll(show.get("podroll", ()))


def _add_episode(entry, episode):
    entry.title(episode["title"])
    entry.link(href=episode["link"])
    entry.guid(episode["guid"], permalink=False)
    entry.pubDate(episode["date"])
    # Readers and directories render <description> as HTML: escape the plain text so
    # a typed "<b>" shows as typed.
    entry.description(html.escape(episode["summary"], quote=False))
    if episode.get("content_html"):
        entry.content(episode["content_html"], type="CDATA")
    entry.enclosure(episode["enclosure_url"], str(episode["length"]), episode["type"])
    entry.podcast.itunes_duration(int(episode["duration"]))
    if episode.get("number") is not None:
        entry.podcast.itunes_episode(episode["number"])
    if episode.get("season"):
        entry.podcast.itunes_season(episode["season"])
    entry.podcast.itunes_episode_type(episode["episode_type"])
    _podcasting_item(entry.podcast_index, episode)


def _podcasting_item(index, episode):
    index.explicit(episode["explicit"])
    index.image(episode.get("image_url"))
    if episode.get("transcript_url"):
        index.transcript(
            episode["transcript_url"],
            episode["transcript_type"],
            language=episode.get("language"),
        )
    if episode.get("chapters_url"):
        index.chapters(episode["chapters_url"])
    for bite in episode.get("soundbites", ()):
        index.soundbite(bite["start"], bite["duration"], bite.get("title"))
    for person in episode.get("persons", ()):
        index.person(**person)
    if episode.get("season"):
        index.season(episode["season"])
    if episode.get("number") is not None:
        index.episode(episode["number"])
