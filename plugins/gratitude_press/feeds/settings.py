"""Settings of the feeds concern, read once per build, each with a documented default.

Feed paths are relative to the output folder; set one to ``None`` (or ``""``) to not
write that feed. Category paths take ``{slug}``. The number of items per feed is
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
    # Web page of the stories feed (its channel link); None means the stories index
    # (GRATITUDE_INDEX_SAVE_AS without "index.html"), else the home page.
    "FEEDS_STORIES_PAGE": None,
    # Channel description; None: SITE_DESCRIPTION, else SITE_TAGLINE, else SITENAME.
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


def _stories_page(page, settings) -> str:
    if page is None:
        page = settings.get("GRATITUDE_INDEX_SAVE_AS", "gratitude/index.html") or ""
        page = page.removesuffix("index.html")
    return page.lstrip("/")


def read_settings(settings) -> FeedsSettings:
    """Merge the site's settings over ``DEFAULTS``."""
    value = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    feed_domain = (settings.get("FEED_DOMAIN") or "").rstrip("/")
    site_url = siteurl if _is_absolute(siteurl) else feed_domain
    if not _is_absolute(site_url):
        site_url = ""
    sitename = settings.get("SITENAME", "")
    description = (value["FEEDS_DESCRIPTION"] or settings.get("SITE_DESCRIPTION")
                   or settings.get("SITE_TAGLINE") or sitename)
    return FeedsSettings(
        site_url=site_url,
        feed_domain=feed_domain if _is_absolute(feed_domain) else site_url,
        all_rss=value["FEEDS_ALL_RSS"] or None,
        all_atom=value["FEEDS_ALL_ATOM"] or None,
        category_rss=value["FEEDS_CATEGORY_RSS"] or None,
        category_atom=value["FEEDS_CATEGORY_ATOM"] or None,
        stories_rss=value["FEEDS_STORIES_RSS"] or None,
        stories_atom=value["FEEDS_STORIES_ATOM"] or None,
        title=value["FEEDS_TITLE"].format(sitename=sitename),
        category_title=value["FEEDS_CATEGORY_TITLE"],
        stories_title=value["FEEDS_STORIES_TITLE"].format(sitename=sitename),
        stories_page=_stories_page(value["FEEDS_STORIES_PAGE"], settings),
        description=description,
        language=settings.get("DEFAULT_LANG") or "en",
        author=settings.get("AUTHOR") or "",
        timezone=settings.get("TIMEZONE") or "UTC",
        max_items=settings.get("FEED_MAX_ITEMS"),
        exclude_paths=tuple(value["FEEDS_EXCLUDE_PATHS"] or ()),
        summary_max_length=settings.get("SUMMARY_MAX_LENGTH"),
        summary_end_suffix=settings.get("SUMMARY_END_SUFFIX", "…"),
    )
