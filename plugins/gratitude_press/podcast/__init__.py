"""The podcast concern: episode notes, audio facts, episode and transcript pages, feed.

Pure core: ``reading.py`` and ``episode.py`` (metadata, run by the reader),
``media.py`` (mutagen, Pillow), ``transcript.py`` (WebVTT/SRT), ``feed.py`` +
``extension.py`` (feedgen), ``categories.py``, settings in ``settings.py``. This module
is the thin Pelican adapter; what it learns lives in the build's ``BuildState``:

- ``article_generator_finalized``: cross-episode checks (guid, season + episode
  number, audio), show settings and artwork;
- ``static_generator_finalized`` and ``all_generators_finalized``: media URLs
  resolved against the static files;
- ``article_writer_finalized``: transcript pages, chapters JSON, and the podcast feed
  (only with an absolute SITEURL/FEED_DOMAIN, i.e. ``make publish``).
"""

import logging
import os
import shutil

from pelican import signals

from ..errors import ContentError, display_path, plugin_logger
from ..paths import OutsideError, inside, write_inside
from ..settings import SettingsSource, config_of
from ..state import state_of
from ..stories.people import person_url
from .feed import absolute_html, build_feed, chapters_json, podcast_guid
from .media import artwork_problem
from .settings import show_problems
from .transcript import format_timestamp, speaker_turns

logger = plugin_logger(__name__)


# --- After reading ---------------------------------------------------------------


def check_episodes(generator):
    """Cross-episode and show checks; publish the feed URL to the templates."""
    config = config_of(generator.settings).podcast
    if config is None:
        return
    state = state_of(generator.context)
    episodes = [a for a in generator.articles + generator.hidden_articles
                if isinstance(getattr(a, "podcast", None), dict)]
    state.episodes = sorted(episodes, key=lambda a: a.date)
    if not episodes:
        return
    for problem in duplicate_problems(state.episodes, config.content_root):
        logger.error("[podcast] %s", problem)
    _check_show(config, SettingsSource.of(generator.settings))
    if config.feed_url:
        generator.context["PODCAST_FEED_URL"] = config.feed_url


def duplicate_problems(episodes, content_root):
    """Apple drops episodes that share a guid, a number or an enclosure URL."""
    seen, problems = {}, []
    for article in episodes:
        podcast = article.podcast
        audio = podcast["audio"]["url"] or podcast["audio"]["path"]
        for key, what, line_key in (
            (("guid", podcast["guid"]), f"guid {podcast['guid']}", "guid"),
            (("number", podcast["season"], podcast["number"]), _numbering(podcast),
             "episode"),
            (("audio", audio), f"audio {audio}", "audio"),
        ):
            first = seen.setdefault(key, article)
            if first is not article:
                problems.append(ContentError(
                    article.source_path,
                    f"duplicate {what}: also used by "
                    f"{display_path(first.source_path, content_root)}",
                    podcast["lines"][line_key],
                    "every episode needs its own guid, number and audio file"))
    return problems


def _numbering(podcast):
    if podcast["season"]:
        return f"episode number {podcast['number']} in season {podcast['season']}"
    return f"episode number {podcast['number']}"


def _check_show(config, source):
    for name, problem in show_problems(config):
        path, line = source.where(name)
        logger.error("[podcast] %s", ContentError(path, f"{name}: {problem}", line))
    if config.image:
        path = os.path.join(config.content_root, config.image)
        problem = artwork_problem(path)
        if problem:
            hint = "Apple needs a square JPEG or PNG of 1400-3000 px, RGB"
            logger.error("[podcast] %s", ContentError(path, problem, hint=hint))


def resolve_static(generator):
    state_of(generator.context).static_urls = {
        static.relative_source_path.replace(os.sep, "/"): static.url
        for static in generator.staticfiles
    }


def _page_urls(article, config):
    """Site-relative URLs of an episode's transcript page and chapters file."""
    base = (article.url if article.url.endswith("/")
            else article.url.rsplit(".", 1)[0] + "-")
    transcript = base + config.transcript_page
    save_as = transcript + "index.html" if transcript.endswith("/") else transcript
    return transcript, save_as, base + config.chapters_file


def resolve_links(generators):
    """Each episode's site-relative (or remote) media URLs, by source path: in the
    state and, for the templates, ``context["podcast_links"]``. An episode whose
    pages would land outside the output folder is reported and left out."""
    if not generators:
        return
    state = state_of(generators[0].context)
    config = state.config.podcast
    output = generators[0].output_path
    kept = []
    for article in state.episodes:
        try:
            state.podcast_links[article.source_path] = _media_links(
                article, config, state.static_urls, output)
        except OutsideError as error:
            state.report(logger, "podcast", ContentError(
                article.source_path, f"its transcript or chapters would be written "
                f"outside the site: {error}", article.podcast["lines"].get("url"),
                "use a relative url: without ../"))
            continue
        kept.append(article)
    state.episodes = kept
    generators[0].context["podcast_links"] = state.podcast_links


def _media_links(article, config, static_urls, output):
    podcast = article.podcast
    audio = podcast["audio"]
    transcript = podcast["transcript"] or {}
    page, page_save_as, chapters = _page_urls(article, config)
    for relative in (page_save_as, chapters):
        inside(output, relative.lstrip("/"))
    return {
        "audio": audio["url"] or static_urls.get(audio["path"], audio["path"]),
        "audio_remote": bool(audio["url"]),
        "transcript_file": transcript.get("url") or static_urls.get(
            transcript.get("path"), transcript.get("path")),
        "transcript_remote": bool(transcript.get("url")),
        "transcript_page": page if transcript.get("cues") else None,
        "transcript_save_as": page_save_as,
        "chapters": chapters if podcast["chapters"] else None,
        "duration": format_timestamp(podcast["duration"]),
    }


# --- Writing ---------------------------------------------------------------------


def write_episode_files(generator, writer):
    """Transcript pages, chapters JSON, media not served as static files, the feed."""
    state = state_of(generator.context)
    config = state.config.podcast
    if config is None or not state.episodes:
        return
    output = generator.output_path
    for article in state.episodes:
        links = state.podcast_links[article.source_path]
        if links["transcript_page"]:
            writer.write_file(
                links["transcript_save_as"], generator.get_template("transcript"),
                generator.context, relative_urls=generator.settings["RELATIVE_URLS"],
                url=links["transcript_page"],
                # not ``article``: the sitemap and the meta tags would take the
                # transcript page for the episode page itself
                episode=article,
                turns=speaker_turns(article.podcast["transcript"]["cues"]))
        if links["chapters"]:
            write_inside(output, links["chapters"],
                         chapters_json(article.podcast["chapters"]).encode("utf-8"))
        for relative in (article.podcast["audio"]["path"],
                         (article.podcast["transcript"] or {}).get("path")):
            if relative and relative not in state.static_urls:
                target = inside(output, relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(inside(config.content_root, relative), target)
    if not config.feed_url:
        logger.info("[podcast] no absolute SITEURL or FEED_DOMAIN: podcast feed not "
                    "written (`make publish` writes it)")
        return
    show = show_data(config, state.static_urls)
    episodes = [episode_data(article, state.podcast_links[article.source_path], config,
                             state.static_urls, show["hosts"][0])
                for article in state.episodes
                if getattr(article, "status", "published") == "published"]
    write_inside(output, config.feed_path, build_feed(show, episodes))


def _absolute(config, url):
    if not url or url.startswith(("https://", "http://")):
        return url
    return f"{config.base_url}/{url.lstrip('/')}"


def _person(config, static_urls, name, role, href=None, image=None):
    return {
        "name": name,
        "role": role,
        "href": href or _absolute(config, person_url(name, config.regex_subs)),
        "img": _absolute(config, static_urls.get(image, image)) if image else None,
    }


def show_data(config, static_urls):
    """The channel of the podcast feed, as plain data for ``feed.build_feed``."""
    image = config.image or ""
    return {
        "title": config.title,
        "link": config.base_url + "/",
        "feed_url": config.feed_url,
        "description": config.description,
        "language": config.language,
        "image_url": _absolute(config, static_urls.get(image, image)),
        "category": config.category,
        "subcategory": config.subcategory,
        "explicit": config.explicit,
        "author": config.author,
        "type": config.type,
        "owner_name": config.owner_name,
        "owner_email": config.owner_email,
        "locked": config.locked,
        "funding_url": config.funding_url,
        "funding_text": config.funding_text,
        "guid": config.guid or podcast_guid(config.feed_url),
        "copyright": config.copyright,
        "hosts": [_person(config, static_urls, config.author, "host")],
    }


def episode_data(article, links, config, static_urls, host):
    """One item of the podcast feed, as plain data for ``feed.build_feed``."""
    podcast = article.podcast
    page_url = _absolute(config, article.url)
    guests = [_person(config, static_urls, g["name"], g["role"], g["link"], g["image"])
              for g in podcast["guests"]]
    return {
        "title": article.title,
        "link": page_url,
        "guid": podcast["guid"],
        "date": article.date,
        "summary": podcast["summary"],
        "content_html": absolute_html(article.content, page_url),
        "enclosure_url": _absolute(config, links["audio"]),
        "length": podcast["audio"]["length"],
        "type": podcast["audio"]["type"],
        "duration": podcast["duration"],
        "number": podcast["number"],
        "season": podcast["season"],
        "episode_type": podcast["type"],
        "explicit": podcast["explicit"],
        "transcript_url": _absolute(config, links["transcript_file"]),
        "transcript_type": (podcast["transcript"] or {}).get("type"),
        "language": config.language,
        "chapters_url": _absolute(config, links["chapters"]),
        "persons": [host, *guests],
    }


def register():
    signals.article_generator_finalized.connect(check_episodes)
    signals.static_generator_finalized.connect(resolve_static)
    signals.all_generators_finalized.connect(resolve_links)
    signals.article_writer_finalized.connect(write_episode_files)
