"""Settings of the podcast concern, with their defaults (None: the default).

Show:
- ``PODCAST_TITLE`` (SITENAME), ``PODCAST_DESCRIPTION`` (SITE_DESCRIPTION),
  ``PODCAST_LANGUAGE`` (DEFAULT_LANG), ``PODCAST_AUTHOR`` (AUTHOR): the channel.
- ``PODCAST_IMAGE`` (None): show artwork, a path under content/: a square JPEG or PNG
  of 1400-3000 px in RGB. Required as soon as there is an episode.
- ``PODCAST_CATEGORY`` ("Business") and ``PODCAST_SUBCATEGORY`` (None): from Apple's
  2019 list (``categories.py``).
- ``PODCAST_EXPLICIT`` (False), ``PODCAST_TYPE`` ("episodic" or "serial").
- ``PODCAST_OWNER_NAME`` (AUTHOR), ``PODCAST_OWNER_EMAIL`` (None): ``itunes:owner``.
- ``PODCAST_LOCKED`` (True): ``podcast:locked``, with ``owner=`` the owner e-mail.
- ``PODCAST_FUNDING_URL`` (None) and ``PODCAST_FUNDING_TEXT`` ("Support the show").
- ``PODCAST_GUID`` (None): ``podcast:guid``. Compute it once from the feed URL
  (``feed.podcast_guid``), store it here and never change it, even if the feed moves;
  when unset it is derived from the current feed URL.
- ``PODCAST_COPYRIGHT`` (None).

Files:
- ``PODCAST_EPISODES_PATH`` ("episodes"): Markdown files under this folder of content/
  are episodes (it must also be one of ARTICLE_PATHS).
- ``PODCAST_FEED_PATH`` ("podcast.xml"): where the RSS feed is written. The feed needs
  absolute URLs: it is written only when FEED_DOMAIN or SITEURL is an http(s) URL
  (``make publish``); ``make html`` skips it with an info message.
- ``PODCAST_TRANSCRIPT_PAGE`` ("transcript/"): the transcript page, relative to the
  episode's URL; ``PODCAST_CHAPTERS_FILE`` ("chapters.json") likewise.
"""

import os
from dataclasses import dataclass

from ..settings import absolute_base_url
from .categories import category_problem

DEFAULTS = {
    "PODCAST_EPISODES_PATH": "episodes",
    "PODCAST_FEED_PATH": "podcast.xml",
    "PODCAST_TITLE": None,
    "PODCAST_DESCRIPTION": None,
    "PODCAST_LANGUAGE": None,
    "PODCAST_AUTHOR": None,
    "PODCAST_IMAGE": None,
    "PODCAST_CATEGORY": "Business",
    "PODCAST_SUBCATEGORY": None,
    "PODCAST_EXPLICIT": False,
    "PODCAST_TYPE": "episodic",
    "PODCAST_OWNER_NAME": None,
    "PODCAST_OWNER_EMAIL": None,
    "PODCAST_LOCKED": True,
    "PODCAST_FUNDING_URL": None,
    "PODCAST_FUNDING_TEXT": "Support the show",
    "PODCAST_GUID": None,
    "PODCAST_COPYRIGHT": None,
    "PODCAST_TRANSCRIPT_PAGE": "transcript/",
    "PODCAST_CHAPTERS_FILE": "chapters.json",
}

# Settings whose default is another (Pelican or site) setting.
FALLBACKS = {
    "PODCAST_TITLE": "SITENAME",
    "PODCAST_DESCRIPTION": "SITE_DESCRIPTION",
    "PODCAST_LANGUAGE": "DEFAULT_LANG",
    "PODCAST_AUTHOR": "AUTHOR",
    "PODCAST_OWNER_NAME": "AUTHOR",
}

MAX_DESCRIPTION_BYTES = 4000  # Apple's limit for the channel description


@dataclass(frozen=True)
class PodcastConfig:
    title: str
    description: str
    language: str
    author: str
    image: str | None
    category: str
    subcategory: str | None
    explicit: bool
    type: str
    owner_name: str
    owner_email: str | None
    locked: bool
    funding_url: str | None
    funding_text: str
    guid: str | None
    copyright: str | None
    episodes_path: str
    feed_path: str
    transcript_page: str
    chapters_file: str
    content_root: str  # absolute path of content/
    base_url: str  # absolute site URL without a trailing slash, "" for none
    regex_subs: tuple = ()

    @property
    def episodes_root(self):
        return os.path.join(self.content_root, self.episodes_path)

    def is_episode(self, source_path) -> bool:
        path = os.path.abspath(source_path)
        root = self.episodes_root
        return os.path.commonpath([path, root]) == root

    @property
    def feed_url(self) -> str:
        if not self.base_url or not self.feed_path:
            return ""
        return f"{self.base_url}/{self.feed_path}"


def show_problems(config):
    """``[(setting name, problem)]`` for show settings podcast directories refuse."""
    problems = []
    for name in ("title", "description", "language", "author", "image"):
        if not str(getattr(config, name) or "").strip():
            problems.append((f"PODCAST_{name.upper()}",
                             "the podcast feed needs it; set it in pelicanconf.py"))
    if len(str(config.description or "").encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        problems.append(("PODCAST_DESCRIPTION",
                         f"longer than Apple's {MAX_DESCRIPTION_BYTES} bytes"))
    problem = category_problem(config.category, config.subcategory)
    if problem:
        problems.append(("PODCAST_CATEGORY", problem))
    if config.type not in ("episodic", "serial"):
        problems.append(("PODCAST_TYPE",
                         f"must be episodic or serial, not {config.type!r}"))
    return problems


def read(values) -> PodcastConfig:
    def value(name):
        found = values[name]
        if not found and name in FALLBACKS:
            found = values[FALLBACKS[name]]
        return found

    return PodcastConfig(
        title=value("PODCAST_TITLE"),
        description=value("PODCAST_DESCRIPTION"),
        language=value("PODCAST_LANGUAGE"),
        author=value("PODCAST_AUTHOR"),
        image=value("PODCAST_IMAGE"),
        category=value("PODCAST_CATEGORY"),
        subcategory=value("PODCAST_SUBCATEGORY"),
        explicit=values.flag("PODCAST_EXPLICIT"),
        type=value("PODCAST_TYPE"),
        owner_name=value("PODCAST_OWNER_NAME"),
        owner_email=value("PODCAST_OWNER_EMAIL"),
        locked=values.flag("PODCAST_LOCKED"),
        funding_url=value("PODCAST_FUNDING_URL"),
        funding_text=value("PODCAST_FUNDING_TEXT"),
        guid=value("PODCAST_GUID"),
        copyright=value("PODCAST_COPYRIGHT"),
        episodes_path=values.text("PODCAST_EPISODES_PATH", empty=False).strip("/"),
        feed_path=values.output_path("PODCAST_FEED_PATH"),
        transcript_page=values.text("PODCAST_TRANSCRIPT_PAGE", empty=False),
        chapters_file=values.text("PODCAST_CHAPTERS_FILE", empty=False),
        content_root=os.path.abspath(values["PATH"]),
        base_url=absolute_base_url(values.settings),
        regex_subs=tuple(tuple(pair) for pair
                         in values["SLUG_REGEX_SUBSTITUTIONS"] or ()),
    )
