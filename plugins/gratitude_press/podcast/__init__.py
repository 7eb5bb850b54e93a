"""The podcast concern: episodes, the show page, transcript pages, the feed.

Pure core: ``reading.py``, ``episode.py``, ``clips.py`` (run by the reader),
``media.py``, ``transcript.py``, ``duplicates.py``, ``links.py``, ``show.py``,
``feed_data.py`` + ``feed.py`` + ``extension.py`` (feedgen), ``categories.py``,
``settings.py`` + ``show_settings.py``; ``generator.py`` writes the show page. This
module is the thin Pelican adapter; what it learns lives in the ``BuildState``:

- ``initialized``: the show page joins ``PAGINATED_TEMPLATES``; ``get_generators``:
  it is written; ``article_generator_finalized``: cross-episode and show checks;
- ``static_generator_finalized``, ``all_generators_finalized``: media URLs and the
  show (``context["podcast_show"]``, whose feed every page's head advertises);
- ``article_writer_finalized``: transcript pages, chapters JSON, and the feed (only
  with an absolute SITEURL/FEED_DOMAIN, i.e. ``make publish``).
"""

import logging
import os

from pelican import signals

from ..errors import ContentError, plugin_logger
from ..paths import write_inside
from ..settings import SettingsSource, config_of
from ..state import state_of
from .duplicates import duplicate_problems
from .feed import chapters_json
from .feed_data import feed_xml
from .generator import ShowPageGenerator
from .links import copy_unserved, media_links
from .settings import show_errors, with_show_pagination
from .show import show_context
from .transcript import speaker_turns

logger = plugin_logger(__name__)
# The build shows warnings only; this concern's notes (why `make html` wrote no
# feed) are info that a writer should still see, and must not fail strict builds.
logger.setLevel(logging.INFO)
NO_FEED = (
    "[podcast] %s not written: a podcast feed needs absolute URLs and neither "
    "SITEURL nor FEED_DOMAIN is an http(s) address (`make publish` writes it, "
    "with the SITEURL of publishconf.py)"
)


def paginate_show_page(pelican):
    pelican.settings["PAGINATED_TEMPLATES"] = with_show_pagination(
        pelican.settings.get("PAGINATED_TEMPLATES")
    )


def check_episodes(generator):
    """Cross-episode and show checks."""
    config = config_of(generator.settings).podcast
    if config is None:
        return
    state = state_of(generator.context)
    articles = generator.articles + generator.hidden_articles
    episodes = [a for a in articles if isinstance(getattr(a, "podcast", None), dict)]
    state.episodes = sorted(episodes, key=lambda a: a.date)
    if not episodes:
        return
    for problem in [
        *duplicate_problems(state.episodes, config.content_root),
        *show_errors(config, SettingsSource.of(generator.settings)),
    ]:
        state.report(logger, "podcast", problem)


def resolve_static(generator):
    state_of(generator.context).static_urls = {
        static.relative_source_path.replace(os.sep, "/"): static.url
        for static in generator.staticfiles
    }


def resolve_links(generators):
    """Each episode's media URLs by source path (``context["podcast_links"]``) and
    the show (``context["podcast_show"]``). An episode whose pages would land outside
    the output folder is reported and left out."""
    if not generators:
        return
    context, output = generators[0].context, generators[0].output_path
    state = state_of(context)
    config = state.config.podcast
    kept = []
    for article in state.episodes:
        try:
            links = media_links(article, config, state.static_urls, output)
        except ContentError as error:
            state.report(logger, "podcast", error)
            continue
        state.podcast_links[article.source_path] = links
        kept.append(article)
    state.episodes = kept
    context["podcast_links"] = state.podcast_links
    # the home page's card: the newest published article that is an episode (a
    # value of its own, so the other home pages do not depend on every article)
    context["latest_episode"] = next(
        (
            a
            for a in context.get("articles", ())
            if getattr(a, "episode", None) is not None
        ),
        None,
    )
    if config is not None and kept:
        people = (context.get("gratitude") or {}).get("people_by_slug") or {}
        context["podcast_show"] = show_context(config, kept, people, state.static_urls)


def write_episode_files(generator, writer):
    """Transcript pages, chapters JSON, media not served as static files, the feed."""
    state = state_of(generator.context)
    config = state.config.podcast
    if config is None or not state.episodes:
        return
    for article in state.episodes:
        _write_episode(generator, writer, article, state)
    show = generator.context.get("podcast_show") or {}
    if show.get("feed_url"):
        links, static = state.podcast_links, state.static_urls
        xml = feed_xml(config, show, state.episodes, links, static)
        write_inside(generator.output_path, config.feed_path, xml)
    elif config.feed_path and not config.feed_url:
        logger.info(NO_FEED, config.feed_path)


def _write_episode(generator, writer, article, state):
    links = state.podcast_links[article.source_path]
    if links["transcript_page"]:
        writer.write_file(
            links["transcript_save_as"],
            generator.get_template("transcript"),
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            url=links["transcript_page"],
            # not ``article``: the sitemap and the meta tags would take the
            # transcript page for the episode page itself
            episode=article,
            turns=speaker_turns(article.podcast["transcript"]["cues"]),
        )
    output = generator.output_path
    if links["chapters"]:
        data = chapters_json(article.podcast["chapters"]).encode("utf-8")
        write_inside(output, links["chapters"], data)
    content_root = state.config.podcast.content_root
    copy_unserved(article.podcast, state.static_urls, content_root, output)


def get_generators(pelican):
    return ShowPageGenerator


def register():
    signals.initialized.connect(paginate_show_page)
    signals.article_generator_finalized.connect(check_episodes)
    signals.static_generator_finalized.connect(resolve_static)
    signals.all_generators_finalized.connect(resolve_links)
    signals.get_generators.connect(get_generators)
    signals.article_writer_finalized.connect(write_episode_files)
