"""The pure core of the feeds concern: plain data in, RSS 2.0 or Atom bytes out.

Nothing here knows Pelican. Output is deterministic: the feed's ``lastBuildDate`` /
``updated`` is the newest item's date, never the wall clock, and items keep the
order they are given in.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from feedgen.feed import FeedGenerator

GENERATOR = "Gratitude Press"
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"

# What feed readers (feedparser among them) take as a sign that RSS text is HTML.
_LOOKS_LIKE_MARKUP = re.compile(r"<|&#?\w+;")


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    link: str  # the site (or the category page), never the feed
    feed_url: str  # absolute URL the feed is served at: atom:link rel="self"
    language: str = "en"


@dataclass(frozen=True)
class Item:
    id: str  # a permanent IRI such as urn:uuid:...; not the link
    title: str  # plain text
    link: str  # absolute
    published: datetime  # tz-aware
    updated: datetime  # tz-aware
    summary_html: str = ""
    content_html: str = ""
    author: str = ""
    categories: tuple = field(default_factory=tuple)


def rss_title(text: str) -> str:
    """RSS leaves open whether a title is text or HTML, and readers guess "HTML" when
    it holds a tag or an entity. Such a title is escaped once more as HTML so that the
    guess shows the writer's characters (``Q&A with <b>guests</b>``); every other
    title stays plain text."""
    return html.escape(text, quote=False) if _LOOKS_LIKE_MARKUP.search(text) else text


def _check(items):
    if not items:
        raise ValueError("a feed needs at least one item")
    for item in items:
        for moment in (item.published, item.updated):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"{item.link}: date {moment} has no time zone")


def _newest(items) -> datetime:
    return max(item.updated for item in items)


def _new_generator(channel: Channel, items, feed_type, title) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(channel.feed_url)
    generator.title(title)
    generator.description(channel.description)
    generator.language(channel.language)
    generator.generator(GENERATOR)
    # feedgen uses the href of the *last* link as RSS <channel><link>: self first.
    generator.link(href=channel.feed_url, rel="self", type=feed_type)
    generator.link(href=channel.link, rel="alternate", type="text/html")
    generator.updated(_newest(items))
    return generator


def render_rss(channel: Channel, items) -> bytes:
    """RSS 2.0: summary in ``<description>``, full HTML in ``<content:encoded>``."""
    _check(items)
    generator = _new_generator(channel, items, RSS_TYPE, rss_title(channel.title))
    generator.load_extension("dc", atom=False, rss=True)
    for item in items:
        entry = generator.add_entry(order="append")
        entry.guid(item.id, permalink=False)
        entry.title(rss_title(item.title))
        entry.link(href=item.link)
        entry.published(item.published)
        if item.summary_html:
            entry.description(item.summary_html)
        if item.content_html:
            # CDATA reads best; a "]]>" inside the post cannot live in CDATA, so such
            # content is escaped instead, which means the same to every reader.
            cdata = "]]>" not in item.content_html
            entry.content(item.content_html, type="CDATA" if cdata else None)
            if not item.summary_html:
                entry.description(item.content_html)
        if item.author:
            entry.dc.dc_creator(item.author)
        for name in item.categories:
            entry.category(term=name)
    return generator.rss_str(pretty=True)


def render_atom(channel: Channel, items) -> bytes:
    """Atom: ``<summary type="html">`` plus ``<content type="html">``."""
    _check(items)
    generator = _new_generator(channel, items, ATOM_TYPE, channel.title)
    for item in items:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate", type="text/html")
        entry.published(item.published)
        entry.updated(item.updated)
        if item.summary_html:
            entry.summary(item.summary_html, type="html")
        if item.content_html:
            entry.content(item.content_html, type="html")
        if item.author:
            entry.author(name=item.author)
        for name in item.categories:
            entry.category(term=name)
    return generator.atom_str(pretty=True)


RENDERERS = {"rss": (render_rss, RSS_TYPE), "atom": (render_atom, ATOM_TYPE)}
