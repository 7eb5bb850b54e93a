"""Settings of the podcast concern, with their defaults.

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


def show_problems(options):
    """``[(setting name, problem)]`` for show settings podcast directories refuse."""
    problems = []
    for name in (
        "PODCAST_TITLE",
        "PODCAST_DESCRIPTION",
        "PODCAST_LANGUAGE",
        "PODCAST_AUTHOR",
        "PODCAST_IMAGE",
    ):
        if not str(options[name] or "").strip():
            problems.append(
                (name, "the podcast feed needs it; set it in pelicanconf.py")
            )
    description = str(options["PODCAST_DESCRIPTION"] or "")
    if len(description.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        problems.append(
            (
                "PODCAST_DESCRIPTION",
                f"longer than Apple's " f"{MAX_DESCRIPTION_BYTES} bytes",
            )
        )
    problem = category_problem(
        options["PODCAST_CATEGORY"], options["PODCAST_SUBCATEGORY"]
    )
    if problem:
        problems.append(("PODCAST_CATEGORY", problem))
    if options["PODCAST_TYPE"] not in ("episodic", "serial"):
        problems.append(
            (
                "PODCAST_TYPE",
                f"must be episodic or serial, not " f"{options['PODCAST_TYPE']!r}",
            )
        )
    return problems


def read(settings):
    """The concern's settings as one plain dict, fallbacks applied."""
    values = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    for name, other in FALLBACKS.items():
        if not values[name]:
            values[name] = settings.get(other)
    return values


def base_url(settings):
    """The absolute site URL feeds are built on, or "" when there is none."""
    for name in ("FEED_DOMAIN", "SITEURL"):
        value = str(settings.get(name) or "")
        if value.startswith(("https://", "http://")):
            return value.rstrip("/")
    return ""
