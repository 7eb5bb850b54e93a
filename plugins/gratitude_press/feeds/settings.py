"""Settings of the feeds concern, read once per build, each with a documented default.

Feed paths are relative to the output folder; set one to ``""`` to not write that
feed (``None``, as everywhere in the kit, means the default). Category paths take ``{slug}``. The number of items per feed is
Pelican's own ``FEED_MAX_ITEMS`` (100 by default, ``None`` for no limit).

Feeds need absolute URLs. They use ``SITEURL``; when it is empty (``make html`` with
relative URLs) they use ``FEED_DOMAIN`` if set, else no feed is written. The kit leaves
``FEED_DOMAIN`` unset on purpose: a local preview would otherwise advertise feeds whose
links point at the live site, not at the preview. ``make publish`` writes them.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULTS = {
    # Every post (episodes excluded), newest first.
    "FEEDS_ALL_RSS": "feeds/all.rss.xml",
    "FEEDS_ALL_ATOM": "feeds/all.atom.xml",
    # One pair per category that has posts.
    "FEEDS_CATEGORY_RSS": "feeds/{slug}.rss.xml",
    "FEEDS_CATEGORY_ATOM": "feeds/{slug}.atom.xml",
    # Every gratitude story of every post, each linking to its place in the post.
    "FEEDS_STORIES_RSS": "feeds/stories.rss.xml",
    "FEEDS_STORIES_ATOM": "feeds/stories.atom.xml",
    # Feed titles; {sitename} and, for categories, {category} are filled in.
    "FEEDS_TITLE": "{sitename}",
    "FEEDS_CATEGORY_TITLE": "{sitename}: {category}",
    "FEEDS_STORIES_TITLE": "{sitename}: gratitude stories",
    # Web page of the stories feed (its channel link); the stories index
    # (GRATITUDE_INDEX_SAVE_AS without "index.html") when not set.
    "FEEDS_STORIES_PAGE": None,
    # Channel description; SITE_DESCRIPTION, else SITE_TAGLINE, else SITENAME.
    "FEEDS_DESCRIPTION": None,
    # Folders under content/ whose articles are not blog posts (the podcast's episodes
    # have their own feed). Articles with `episode` metadata are left out anywhere.
    "FEEDS_EXCLUDE_PATHS": ("episodes",),
}


@dataclass(frozen=True)
class FeedsSettings:
    site_url: str  # absolute, no trailing slash; "" when feeds cannot be written
    feed_domain: str
    all_rss: str | None
    all_atom: str | None
    category_rss: str | None
    category_atom: str | None
    stories_rss: str | None
    stories_atom: str | None
    title: str
    category_title: str
    stories_title: str
    stories_page: str  # relative to the site: "" is the home page
    description: str
    language: str
    author: str
    timezone: str
    max_items: int | None
    exclude_paths: tuple
    summary_max_length: int | None
    summary_end_suffix: str


def _is_absolute(url) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _stories_page(values) -> str:
    page = values["FEEDS_STORIES_PAGE"]
    if page is None:
        page = values["GRATITUDE_INDEX_SAVE_AS"] or "gratitude/index.html"
        page = page.removesuffix("index.html")
    return page.lstrip("/")


def _path(values, name):
    return values.output_path(name) or None


def read(values) -> FeedsSettings:
    siteurl = (values["SITEURL"] or "").rstrip("/")
    feed_domain = (values["FEED_DOMAIN"] or "").rstrip("/")
    site_url = siteurl if _is_absolute(siteurl) else feed_domain
    if not _is_absolute(site_url):
        site_url = ""
    sitename = values["SITENAME"] or ""
    description = (
        values["FEEDS_DESCRIPTION"]
        or values["SITE_DESCRIPTION"]
        or values["SITE_TAGLINE"]
        or sitename
    )
    return FeedsSettings(
        site_url=site_url,
        feed_domain=feed_domain if _is_absolute(feed_domain) else site_url,
        all_rss=_path(values, "FEEDS_ALL_RSS"),
        all_atom=_path(values, "FEEDS_ALL_ATOM"),
        category_rss=_path(values, "FEEDS_CATEGORY_RSS"),
        category_atom=_path(values, "FEEDS_CATEGORY_ATOM"),
        stories_rss=_path(values, "FEEDS_STORIES_RSS"),
        stories_atom=_path(values, "FEEDS_STORIES_ATOM"),
        title=values.text("FEEDS_TITLE").format(sitename=sitename),
        category_title=values.text("FEEDS_CATEGORY_TITLE"),
        stories_title=values.text("FEEDS_STORIES_TITLE").format(sitename=sitename),
        stories_page=_stories_page(values),
        description=description,
        language=values["DEFAULT_LANG"] or "en",
        author=values["AUTHOR"] or "",
        timezone=values["TIMEZONE"] or "UTC",
        max_items=values["FEED_MAX_ITEMS"],
        exclude_paths=values.names("FEEDS_EXCLUDE_PATHS"),
        summary_max_length=values["SUMMARY_MAX_LENGTH"],
        summary_end_suffix=values["SUMMARY_END_SUFFIX"] or "…",
    )
