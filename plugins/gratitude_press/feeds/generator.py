"""The Pelican adapter of the feeds concern: posts in, feed files out.

A generator returned from ``get_generators``: Pelican builds a new one for every
build, so nothing outlives a build. ``generate_context`` runs after the articles are
read and before any page is written: it chooses the feeds and puts their links in the
context for ``_feed_links.html``. ``generate_output`` turns posts into plain
``core.Item`` data and writes the files.
"""

import html
import os
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from pelican.utils import truncate_html_words

from ..errors import ContentError, plugin_logger
from ..links import resolve_links
from ..paths import OutsideError, write_inside
from ..settings import config_of
from ..state import state_of
from ..urls import absolute_url
from . import core
from .html import absolutize

logger = plugin_logger(__name__)

# Namespace of the ids derived for posts without a Guid (uuid5 of the source path).
DERIVED_GUID_NAMESPACE = uuid.UUID("3f0c8a52-5d7e-4b9e-9a57-0c6f1b2e4d31")
STORIES_KEY = "gratitude_stories"


@dataclass
class PlannedFeed:
    path: str
    kind: str  # "rss" or "atom"
    title: str
    link: str  # the channel's web page
    posts: list
    stories: bool = False
    category: str = ""  # the category's slug for category feeds


def derived_guid(relative_path: str) -> uuid.UUID:
    return uuid.uuid5(DERIVED_GUID_NAMESPACE, relative_path)


def _source_line(source_path, key):
    """Line of ``key:`` in a source header, so an error can point at it."""
    try:
        with open(source_path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.lower().startswith(f"{key}:"):
                    return number
    except OSError:
        pass
    return None


def _aware(moment, timezone):
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def _unique_names(names):
    """Category and tags, without a tag that repeats the category in another case."""
    unique = {}
    for name in names:
        unique.setdefault(name.lower(), name)
    return tuple(unique.values())


class FeedsGenerator:
    """Writes the blog feeds with feedgen (Pelican's feed settings stay ``None``)."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path
        self.config = config_of(settings).feeds
        self.guids = {}  # source path -> uuid.UUID
        self.raw_summaries = {}  # source path -> summary before links were resolved
        self.planned = []

    def _error(self, error):
        state_of(self.context).report(logger, "feeds", error)

    # --- which posts ------------------------------------------------------------
    def _relative_path(self, article):
        relative = article.relative_source_path or article.source_path
        return relative.replace(os.sep, "/")

    def is_blog_post(self, article) -> bool:
        if "episode" in article.metadata:
            return False
        first_folder = PurePosixPath(self._relative_path(article)).parts[0]
        return first_folder not in self.config.exclude_paths

    def _posts(self):
        posts = [a for a in self.context.get("articles", []) if self.is_blog_post(a)]
        return sorted(
            posts,
            key=lambda a: (
                _aware(a.date, self.config.timezone),
                self._relative_path(a),
            ),
            reverse=True,
        )

    # --- ids --------------------------------------------------------------------
    def _resolve_guids(self, posts):
        seen = {}
        for article in posts:
            relative = self._relative_path(article)
            value = article.metadata.get("guid")
            guid = None
            if value:
                try:
                    guid = uuid.UUID(str(value).strip())
                except ValueError:
                    self._error(
                        ContentError(
                            article.source_path,
                            f"Guid {value!r} is not a UUID",
                            _source_line(article.source_path, "guid"),
                            f"use a fresh one such as Guid: {derived_guid(relative)}",
                        )
                    )
            if guid is None:
                guid = derived_guid(relative)
                if not value:
                    logger.info(
                        "[feeds] %s has no Guid: its feed id comes from the "
                        "file path; add 'Guid: %s' to keep it if the file "
                        "moves",
                        relative,
                        guid,
                    )
            if guid in seen:
                self._error(
                    ContentError(
                        article.source_path,
                        f"Guid {guid} is also the Guid of {seen[guid]}",
                        _source_line(article.source_path, "guid"),
                        "every post needs its own; generate one with "
                        "python -c 'import uuid; print(uuid.uuid4())'",
                    )
                )
            seen[guid] = relative
            self.guids[article.source_path] = guid

    # --- plan (before any page is written) -------------------------------------------
    def generate_context(self):
        # Copies: other concerns (the podcast) may add their own feed links, and a list
        # given in the settings must not grow from build to build.
        self.context["FEEDS_LINKS"] = list(self.context.get("FEEDS_LINKS") or [])
        category_links = self.context.get("FEEDS_CATEGORY_LINKS") or {}
        self.context["FEEDS_CATEGORY_LINKS"] = dict(category_links)
        config = self.config
        if config is None:
            return
        if not config.site_url:
            logger.info(
                "[feeds] no feeds written: SITEURL is empty and FEED_DOMAIN "
                "is not set (feeds need absolute URLs; `make publish` "
                "writes them)"
            )
            return
        posts = self._posts()
        self._resolve_guids(posts)
        for article in posts:
            raw = getattr(article, "_summary", None) or article.metadata.get("summary")
            self.raw_summaries[article.source_path] = raw
        site_link = f"{config.site_url}/"
        if posts:
            self._plan(
                config.all_rss,
                config.all_atom,
                config.title,
                site_link,
                posts,
                self.context["FEEDS_LINKS"],
            )
        if any(article.metadata.get(STORIES_KEY) for article in posts):
            self._plan(
                config.stories_rss,
                config.stories_atom,
                config.stories_title,
                f"{site_link}{config.stories_page}",
                posts,
                self.context["FEEDS_LINKS"],
                stories=True,
            )
        by_category = {}
        for article in posts:
            by_category.setdefault(article.category, []).append(article)
        for category in sorted(by_category, key=lambda c: c.slug):
            links = list(self.context["FEEDS_CATEGORY_LINKS"].get(category.slug, []))
            self.context["FEEDS_CATEGORY_LINKS"][category.slug] = links
            paths = [
                p.format(slug=category.slug) if p else None
                for p in (config.category_rss, config.category_atom)
            ]
            title = config.category_title.format(
                sitename=self.settings.get("SITENAME", ""), category=category.name
            )
            self._plan(
                *paths,
                title,
                absolute_url(config.site_url, category.url),
                by_category[category],
                links,
                category=category.slug,
            )
        self._check_paths()

    def _plan(self, rss_path, atom_path, title, link, posts, links, **kind):
        for kind_name, path in (("rss", rss_path), ("atom", atom_path)):
            if not path:
                continue
            self.planned.append(
                PlannedFeed(path.lstrip("/"), kind_name, title, link, posts, **kind)
            )
            label = "RSS" if kind_name == "rss" else "Atom"
            links.append(
                {
                    "href": f"{self.config.feed_domain}/{path.lstrip('/')}",
                    "type": core.RENDERERS[kind_name][1],
                    "title": f"{title} ({label})",
                }
            )

    def _check_paths(self):
        """Two feeds on one path (a category named "All" or "Stories"): the second would
        silently replace the first."""
        owners = {}
        for feed in self.planned:
            other = owners.setdefault(feed.path, feed)
            if other is not feed:
                culprit = feed if feed.category else other
                source = culprit.posts[0].source_path
                self._error(
                    ContentError(
                        source,
                        f"the feed of category {culprit.category!r} would "
                        f"overwrite {feed.path}",
                        _source_line(source, "category"),
                        "rename the category or change FEEDS_CATEGORY_RSS/_ATOM",
                    )
                )
        self.planned = [feed for feed in self.planned if owners[feed.path] is feed]

    # --- items ------------------------------------------------------------------
    def _summary_html(self, article, content):
        raw = self.raw_summaries.get(article.source_path)
        if raw:
            return resolve_links(article, raw, self.config.site_url)
        if self.config.summary_max_length is None:
            return content
        return truncate_html_words(
            content, self.config.summary_max_length, self.config.summary_end_suffix
        )

    def _dates(self, article):
        published = _aware(article.date, self.config.timezone)
        modified = getattr(article, "modified", None)
        updated = _aware(modified, self.config.timezone) if modified else published
        return published, max(published, updated)

    def _author(self, article):
        author = getattr(article, "author", None)
        return getattr(author, "name", None) or str(author or "") or self.config.author

    def post_item(self, article) -> core.Item:
        link = absolute_url(self.config.site_url, article.url)
        content = article.get_content(self.config.site_url)
        published, updated = self._dates(article)
        tags = [tag.name for tag in getattr(article, "tags", [])]
        return core.Item(
            id=self.guids[article.source_path].urn,
            title=str(article.title),
            link=link,
            published=published,
            updated=updated,
            summary_html=absolutize(self._summary_html(article, content), link),
            content_html=absolutize(content, link),
            author=self._author(article),
            categories=_unique_names([article.category.name, *tags]),
        )

    def _in_return_for(self, article, anchor):
        """A link to the story this one answers (the stories concern linked them)."""
        gratitude = state_of(self.context).gratitude or {}
        answered = gratitude.get("in_return_for", {}).get((article.source_path, anchor))
        if answered is None:
            return ""
        href = html.escape(absolute_url(self.config.site_url, answered["url"]))
        title = html.escape(str(answered["heading"]), quote=False)
        return f'<p>In return for <a href="{href}">{title}</a></p>'

    def story_items(self, article):
        """One item per gratitude story of a post, linking to the story in the post."""
        post_link = absolute_url(self.config.site_url, article.url)
        post_title = html.escape(str(article.title), quote=False)
        published, updated = self._dates(article)
        items = []
        for number, story in enumerate(article.metadata.get(STORIES_KEY) or [], 1):
            if not isinstance(story, dict):
                continue
            anchor = str(story.get("id") or "")
            person = str(story.get("person") or "")
            quality = str(story.get("quality_label") or story.get("quality") or "")
            title = (
                story.get("title")
                or story.get("heading")
                or (f"Thanks to {person}" if person else str(article.title))
            )
            link = f"{post_link}#{anchor}" if anchor else post_link
            about = " · ".join(
                html.escape(part, quote=False) for part in (person, quality) if part
            )
            source = f'From <a href="{html.escape(post_link)}">{post_title}</a>'
            summary = f"<p>{about + ' · ' if about else ''}{source}</p>"
            summary += self._in_return_for(article, anchor)
            # Story HTML is metadata: Pelican has not resolved its {filename} links.
            body = resolve_links(
                article, str(story.get("body_html") or ""), self.config.site_url
            )
            body = absolutize(body, post_link)
            # Same post, same anchor, same id: the anchor comes from person and title.
            post_guid = self.guids[article.source_path]
            story_id = uuid.uuid5(post_guid, anchor or str(number))
            items.append(
                core.Item(
                    id=story_id.urn,
                    title=str(title),
                    link=link,
                    published=published,
                    updated=updated,
                    summary_html=summary,
                    content_html=f"{body}\n{summary}" if body else summary,
                    author=self._author(article),
                    categories=(quality,) if quality else (),
                )
            )
        return items

    # --- output -----------------------------------------------------------------
    def _post_items(self):
        """The item of every post the feeds below show, converted once (a post is in
        two feeds or more)."""
        limit = self.config.max_items
        wanted = {}
        for feed in self.planned:
            if not feed.stories:
                for article in feed.posts if limit is None else feed.posts[:limit]:
                    wanted.setdefault(article.source_path, article)
        return {path: self.post_item(article) for path, article in wanted.items()}

    def generate_output(self, writer):
        post_items = self._post_items()
        limit = self.config.max_items
        for feed in self.planned:
            items = []
            for article in feed.posts:
                if limit is not None and len(items) >= limit:
                    break
                if feed.stories:
                    items.extend(self.story_items(article))
                    continue
                if article.source_path not in post_items:
                    post_items[article.source_path] = self.post_item(article)
                items.append(post_items[article.source_path])
            items = items if limit is None else items[:limit]
            if not items:
                continue
            render, _ = core.RENDERERS[feed.kind]
            channel = core.Channel(
                title=feed.title,
                description=self.config.description,
                link=feed.link,
                feed_url=f"{self.config.feed_domain}/{feed.path}",
                language=self.config.language,
            )
            try:
                write_inside(self.output_path, feed.path, render(channel, items))
            except OutsideError as error:  # a category slug that climbs out
                logger.error("[feeds] the feed %s is not written: %s", feed.path, error)
                continue
            logger.debug("[feeds] wrote %s (%d items)", feed.path, len(items))
