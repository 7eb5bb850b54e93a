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
- ``PODCAST_HOSTS`` (None: ``[PODCAST_AUTHOR]``): the hosts' names, on the show page
  (linked to their ``people/<slug>/`` page when the build has one) and as the
  channel's ``podcast:person`` (role host).

Directories and listeners (``show_settings.py``):
- ``PODCAST_LISTEN_ON`` ({}): "Listen on" links of the show page and of every episode
  page, ``{app: https URL}`` in the order given. Keys ``apple``, ``spotify``,
  ``youtube``, ``amazon``, ``overcast``, ``pocketcasts``, ``castro``, ``antennapod``,
  ``podcastaddict``, ``fountain``, ``castbox`` and ``podcastindex`` get their app's
  name; any other key is shown as written.
- ``PODCAST_TXT`` (()): ``podcast:txt`` verification strings, each ``"text"`` or
  ``("purpose", "text")``, e.g. ``("applepodcastsverify", "...")``.
- ``PODCAST_PODROLL`` (()): shows you recommend (``podcast:podroll``, and listed on
  the show page): ``{"title", "guid"}`` (their ``podcast:guid``) and optionally
  ``"feed_url"`` and ``"link"`` (their website).
- ``PODCAST_LICENSE`` (None) and ``PODCAST_LICENSE_URL`` (None): ``podcast:license``,
  e.g. ``"cc-by-4.0"``; a licence that is not a Creative Commons one needs the URL of
  its text.
- ``PODCAST_ENCLOSURE_PREFIX`` (None): an analytics redirect such as
  ``"https://op3.dev/e/"`` or ``"https://dts.podtrac.com/redirect.mp3/"``, put before
  the media URLs of the feed (enclosures and ``podcast:trailer``). The site's own
  players keep the plain URL.

Files:
- ``PODCAST_EPISODES_PATH`` ("episodes"): Markdown files under this folder of content/
  are episodes (it must also be one of ARTICLE_PATHS).
- ``PODCAST_FEED_PATH`` ("podcast.xml"): where the RSS feed is written. The feed needs
  absolute URLs: it is written only when FEED_DOMAIN or SITEURL is an http(s) URL
  (``make publish``); ``make html`` skips it with an info message.
- ``PODCAST_TRANSCRIPT_PAGE`` ("transcript/"): the transcript page, relative to the
  episode's URL; ``PODCAST_CHAPTERS_FILE`` ("chapters.json") likewise.
- ``PODCAST_PAGE_SAVE_AS`` ("podcast/index.html"): the show page (cover, hosts,
  subscribe links, trailer, newest episode, every episode by season), paginated like
  Pelican's lists (``PAGINATED_TEMPLATES["podcast"]``, default
  ``DEFAULT_PAGINATION``); ``""`` writes none. Point ``MENUITEMS`` at its URL.
"""

import os
from dataclasses import dataclass

from ..errors import ContentError
from ..settings import absolute_base_url
from . import show_settings
from .categories import category_problem
from .media import ARTWORK_HINT, artwork_problem

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
    "PODCAST_PAGE_SAVE_AS": "podcast/index.html",
    "PODCAST_HOSTS": None,
    "PODCAST_LISTEN_ON": {},
    "PODCAST_TXT": (),
    "PODCAST_PODROLL": (),
    "PODCAST_LICENSE": None,
    "PODCAST_LICENSE_URL": None,
    "PODCAST_ENCLOSURE_PREFIX": None,
}
# The show page's entry in PAGINATED_TEMPLATES (None: DEFAULT_PAGINATION).
SHOW_PAGINATION = {"podcast": None}

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
    page_save_as: str = ""
    hosts: tuple = ()  # names
    listen_on: tuple = ()  # show_settings.Link
    txt: tuple = ()  # show_settings.Txt
    podroll: tuple = ()  # show_settings.RemoteShow
    license: object = None  # show_settings.License
    enclosure_prefix: str = ""

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

    @property
    def page_url(self) -> str:
        """The show page's URL relative to the site ("" when there is none)."""
        return self.page_save_as.removesuffix("index.html")


def with_show_pagination(paginated_templates):
    """``PAGINATED_TEMPLATES`` with the show page added unless the site set it."""
    return {**SHOW_PAGINATION, **(paginated_templates or {})}


def _page_save_as(values):
    page = values.output_path("PODCAST_PAGE_SAVE_AS")
    if page and not page.endswith(".html"):
        raise values.error(
            "PODCAST_PAGE_SAVE_AS",
            f"must name an .html file, not {page!r}",
            'e.g. "podcast/index.html"',
        )
    return page


def show_problems(config):
    """``[(setting name, problem)]`` for show settings podcast directories refuse."""
    problems = []
    for name in ("title", "description", "language", "author", "image"):
        if not str(getattr(config, name) or "").strip():
            problems.append(
                (
                    f"PODCAST_{name.upper()}",
                    "the podcast feed needs it; set it in pelicanconf.py",
                )
            )
    if len(str(config.description or "").encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        problems.append(
            (
                "PODCAST_DESCRIPTION",
                f"longer than Apple's {MAX_DESCRIPTION_BYTES} bytes",
            )
        )
    problem = category_problem(config.category, config.subcategory)
    if problem:
        problems.append(("PODCAST_CATEGORY", problem))
    if config.type not in ("episodic", "serial"):
        problems.append(
            ("PODCAST_TYPE", f"must be episodic or serial, not {config.type!r}")
        )
    return problems


def show_errors(config, source):
    """``show_problems`` and the cover's artwork problem as ContentErrors naming the
    settings file's line (``source``: a ``SettingsSource``) or the image file."""
    errors = []
    for name, problem in show_problems(config):
        path, line = source.where(name)
        errors.append(ContentError(path, f"{name}: {problem}", line))
    if config.image:
        path = os.path.join(config.content_root, config.image)
        problem = artwork_problem(path)
        if problem:
            errors.append(ContentError(path, problem, hint=ARTWORK_HINT))
    return errors


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
        regex_subs=tuple(
            tuple(pair) for pair in values["SLUG_REGEX_SUBSTITUTIONS"] or ()
        ),
        page_save_as=_page_save_as(values),
        hosts=show_settings.parse_hosts(values, value("PODCAST_AUTHOR")),
        listen_on=show_settings.parse_listen_on(values),
        txt=show_settings.parse_txt(values),
        podroll=show_settings.parse_podroll(values),
        license=show_settings.parse_license(values),
        enclosure_prefix=show_settings.parse_enclosure_prefix(values),
    )
