"""The podcast concern: episode notes, audio facts, episode and transcript pages, feed.

Pure core: ``episode.py`` (metadata), ``media.py`` (mutagen, Pillow), ``transcript.py``
(WebVTT/SRT), ``feed.py`` + ``extension.py`` (feedgen), ``categories.py``, settings in
``settings.py``. This module is the thin Pelican adapter:

- read time (reader hooks): an episode (a Markdown file under PODCAST_EPISODES_PATH)
  gets ``podcast`` metadata (plain data, cache-safe), ``template: episode``, and its
  thanks appended as ``/// gratitude`` story blocks;
- after reading: cross-episode checks (guid, season + episode number), artwork,
  category; media URLs resolved against the static files;
- writing: transcript pages, chapters JSON, and the podcast feed (only with an
  absolute SITEURL/FEED_DOMAIN, i.e. ``make publish``).
"""

import logging
import os
import re
import shutil
import sys

from pelican import signals

from ..errors import ContentError, display_path
from ..reader.markdown_reader import GratitudeMarkdownReader
from ..stories.people import person_url
from . import settings as podcast_settings
from .settings import show_problems
from .episode import key_line, read_episode, thanks_blocks
from .feed import absolute_html, build_feed, chapters_json, podcast_guid
from .media import artwork_problem
from .transcript import format_timestamp, speaker_turns

logger = logging.getLogger(__name__)
THANKS_HEADING = "## Thanks on this episode"


class _Build:
    """What one build knows about its episodes; replaced at every ``initialized``."""

    def __init__(self, settings):
        self.settings = settings
        self.options = podcast_settings.read(settings)
        self.content_root = os.path.abspath(settings["PATH"])
        self.episodes_root = os.path.join(
            self.content_root, self.options["PODCAST_EPISODES_PATH"]
        )
        self.base_url = podcast_settings.base_url(settings)
        self.static_urls = {}
        self.episodes = []

    def is_episode(self, source_path):
        path = os.path.abspath(source_path)
        return os.path.commonpath([path, self.episodes_root]) == self.episodes_root

    def feed_url(self):
        if not self.base_url or not self.options["PODCAST_FEED_PATH"]:
            return ""
        return f"{self.base_url}/{self.options['PODCAST_FEED_PATH']}"


_build = None


def _current(settings=None):
    global _build
    if settings is not None or _build is None:
        _build = _Build(settings or {"PATH": "."})
    return _build


def start_build(pelican):
    _current(pelican.settings)


# --- Reading -------------------------------------------------------------------


def add_thanks(front_matter, body, source_path):
    """Source hook: an episode's thanks become story blocks after the notes."""
    if (
        not front_matter
        or not front_matter.get("thanks")
        or not _current().is_episode(source_path)
    ):
        return body
    with open(source_path, encoding="utf-8-sig") as handle:
        line = key_line(handle.read(), "thanks")
    blocks = thanks_blocks(front_matter["thanks"], source_path, line)
    return f"{body.rstrip()}\n\n{THANKS_HEADING}\n\n{blocks}\n"


def read_episode_metadata(md, metadata, source_path, text):
    """Metadata hook: validate an episode and store its podcast facts as plain data."""
    build = _current()
    if not build.is_episode(source_path):
        return
    podcast = read_episode(
        metadata,
        source_path,
        text,
        build.content_root,
        build.settings.get("SLUG_REGEX_SUBSTITUTIONS", ()),
    )
    metadata["podcast"] = podcast
    metadata["episode"] = podcast["number"]
    metadata.setdefault("template", "episode")


# --- After reading ---------------------------------------------------------------


def _setting_location(name, value):
    """(file, line) of the settings module that set ``name`` to ``value``.

    Pelican loads settings files as modules (the file given first, then what it
    imports), so the first loaded module whose source assigns the name is the one.
    """
    assignment = re.compile(rf"^{re.escape(name)}\s*=", re.M)
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if not path.endswith(".py") or getattr(module, name, object()) != value:
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError:
            continue
        match = assignment.search(text)
        if match:
            return path, text.count("\n", 0, match.start()) + 1
    return "settings", None


def _settings_problem(build, name, problem):
    path, line = _setting_location(name, build.settings.get(name))
    return ContentError(path, f"{name}: {problem}", line)


def check_episodes(generator):
    """Cross-episode and show checks; publish the feed URL to the templates."""
    build = _current()
    episodes = [
        a
        for a in generator.articles + generator.hidden_articles
        if isinstance(getattr(a, "podcast", None), dict)
    ]
    build.episodes = sorted(episodes, key=lambda a: a.date)
    if not episodes:
        return
    # Apple drops episodes that share a guid or an enclosure URL.
    seen = {}
    for article in build.episodes:
        podcast = article.podcast
        audio = podcast["audio"]["url"] or podcast["audio"]["path"]
        for key, what, line_key in (
            (("guid", podcast["guid"]), f"guid {podcast['guid']}", "guid"),
            (
                ("number", podcast["season"], podcast["number"]),
                _numbering(podcast),
                "episode",
            ),
            (("audio", audio), f"audio {audio}", "audio"),
        ):
            if key in seen:
                logger.error(
                    "[podcast] %s",
                    ContentError(
                        article.source_path,
                        f"duplicate {what}: also used by "
                        f"{display_path(seen[key].source_path, build.content_root)}",
                        podcast["lines"][line_key],
                        "every episode needs its own guid, number and audio file",
                    ),
                )
            else:
                seen[key] = article
    _check_show(build)
    if build.feed_url():
        generator.context["PODCAST_FEED_URL"] = build.feed_url()


def _numbering(podcast):
    if podcast["season"]:
        return f"episode number {podcast['number']} in season {podcast['season']}"
    return f"episode number {podcast['number']}"


def _check_show(build):
    for name, problem in show_problems(build.options):
        logger.error("[podcast] %s", _settings_problem(build, name, problem))
    image = build.options["PODCAST_IMAGE"]
    if image:
        path = os.path.join(build.content_root, image)
        problem = artwork_problem(path)
        if problem:
            hint = "Apple needs a square JPEG or PNG of 1400-3000 px, RGB"
            logger.error("[podcast] %s", ContentError(path, problem, hint=hint))


def resolve_static(generator):
    _current().static_urls = {
        static.relative_source_path.replace(os.sep, "/"): static.url
        for static in generator.staticfiles
    }


def _page_urls(article, options):
    """Site-relative URLs of an episode's transcript page and chapters file."""
    base = (
        article.url
        if article.url.endswith("/")
        else article.url.rsplit(".", 1)[0] + "-"
    )
    transcript = base + options["PODCAST_TRANSCRIPT_PAGE"]
    save_as = transcript + "index.html" if transcript.endswith("/") else transcript
    return transcript, save_as, base + options["PODCAST_CHAPTERS_FILE"]


def resolve_links(generators):
    """Give each episode ``podcast_links``: site-relative (or remote) media URLs."""
    build = _current()
    for article in build.episodes:
        podcast = article.podcast
        audio = podcast["audio"]
        transcript = podcast["transcript"] or {}
        page, page_save_as, chapters = _page_urls(article, build.options)
        article.podcast_links = {
            "audio": audio["url"]
            or build.static_urls.get(audio["path"], audio["path"]),
            "audio_remote": bool(audio["url"]),
            "transcript_file": transcript.get("url")
            or build.static_urls.get(transcript.get("path"), transcript.get("path")),
            "transcript_remote": bool(transcript.get("url")),
            "transcript_page": page if transcript.get("cues") else None,
            "transcript_save_as": page_save_as,
            "chapters": chapters if podcast["chapters"] else None,
            "duration": format_timestamp(podcast["duration"]),
        }


# --- Writing ---------------------------------------------------------------------


def write_episode_files(generator, writer):
    """Transcript pages, chapters JSON, media not served as static files, the feed."""
    build = _current()
    if not build.episodes:
        return
    output = generator.output_path
    for article in build.episodes:
        links = article.podcast_links
        if links["transcript_page"]:
            writer.write_file(
                links["transcript_save_as"],
                generator.get_template("transcript"),
                generator.context,
                relative_urls=build.settings["RELATIVE_URLS"],
                url=links["transcript_page"],
                # not ``article``: the sitemap and the meta tags would take the
                # transcript page for the episode page itself
                episode=article,
                turns=speaker_turns(article.podcast["transcript"]["cues"]),
            )
        if links["chapters"]:
            _write_text(
                output, links["chapters"], chapters_json(article.podcast["chapters"])
            )
        for relative in (
            article.podcast["audio"]["path"],
            (article.podcast["transcript"] or {}).get("path"),
        ):
            if relative and relative not in build.static_urls:
                target = os.path.join(output, relative)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(os.path.join(build.content_root, relative), target)
    _write_feed(build, output)


def _write_text(output, relative, text):
    target = os.path.join(output, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(text)


def _absolute(build, url):
    if not url or url.startswith(("https://", "http://")):
        return url
    return f"{build.base_url}/{url.lstrip('/')}"


def _person(build, name, role, href=None, image=None):
    regex_subs = build.settings.get("SLUG_REGEX_SUBSTITUTIONS", ())
    return {
        "name": name,
        "role": role,
        "href": href or _absolute(build, person_url(name, regex_subs)),
        "img": _absolute(build, build.static_urls.get(image, image)) if image else None,
    }


def _write_feed(build, output):
    feed_url = build.feed_url()
    if not feed_url:
        logger.info(
            "[podcast] no absolute SITEURL or FEED_DOMAIN: podcast feed not "
            "written (`make publish` writes it)"
        )
        return
    options = build.options
    host = _person(build, options["PODCAST_AUTHOR"], "host")
    image = options["PODCAST_IMAGE"] or ""
    show = {
        "title": options["PODCAST_TITLE"],
        "link": build.base_url + "/",
        "feed_url": feed_url,
        "description": options["PODCAST_DESCRIPTION"],
        "language": options["PODCAST_LANGUAGE"],
        "image_url": _absolute(build, build.static_urls.get(image, image)),
        "category": options["PODCAST_CATEGORY"],
        "subcategory": options["PODCAST_SUBCATEGORY"],
        "explicit": options["PODCAST_EXPLICIT"],
        "author": options["PODCAST_AUTHOR"],
        "type": options["PODCAST_TYPE"],
        "owner_name": options["PODCAST_OWNER_NAME"],
        "owner_email": options["PODCAST_OWNER_EMAIL"],
        "locked": options["PODCAST_LOCKED"],
        "funding_url": options["PODCAST_FUNDING_URL"],
        "funding_text": options["PODCAST_FUNDING_TEXT"],
        "guid": options["PODCAST_GUID"] or podcast_guid(feed_url),
        "copyright": options["PODCAST_COPYRIGHT"],
        "hosts": [host],
    }
    episodes = []
    for article in build.episodes:
        if getattr(article, "status", "published") != "published":
            continue
        podcast, links = article.podcast, article.podcast_links
        page_url = _absolute(build, article.url)
        persons = [host] + [
            _person(build, g["name"], g["role"], g["link"], g["image"])
            for g in podcast["guests"]
        ]
        episodes.append(
            {
                "title": article.title,
                "link": page_url,
                "guid": podcast["guid"],
                "date": article.date,
                "summary": podcast["summary"],
                "content_html": absolute_html(article.content, page_url),
                "enclosure_url": _absolute(build, links["audio"]),
                "length": podcast["audio"]["length"],
                "type": podcast["audio"]["type"],
                "duration": podcast["duration"],
                "number": podcast["number"],
                "season": podcast["season"],
                "episode_type": podcast["type"],
                "explicit": podcast["explicit"],
                "transcript_url": _absolute(build, links["transcript_file"]),
                "transcript_type": (podcast["transcript"] or {}).get("type"),
                "language": options["PODCAST_LANGUAGE"],
                "chapters_url": _absolute(build, links["chapters"]),
                "persons": persons,
            }
        )
    target = os.path.join(output, options["PODCAST_FEED_PATH"])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(build_feed(show, episodes))


def register():
    if add_thanks not in GratitudeMarkdownReader.source_hooks:
        GratitudeMarkdownReader.source_hooks.append(add_thanks)
    if read_episode_metadata not in GratitudeMarkdownReader.metadata_hooks:
        GratitudeMarkdownReader.metadata_hooks.append(read_episode_metadata)
    signals.initialized.connect(start_build)
    signals.article_generator_finalized.connect(check_episodes)
    signals.static_generator_finalized.connect(resolve_static)
    signals.all_generators_finalized.connect(resolve_links)
    signals.article_writer_finalized.connect(write_episode_files)
