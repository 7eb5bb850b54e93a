"""Gratitude stories: ``/// gratitude`` blocks, their pages and ``stories.json``.

Pure core: ``parse.py`` (find and check blocks), ``aggregate.py`` (group them),
``settings.py``, ``people.py``. This module is the thin Pelican adapter:

- ``initialized``: put one ``GratitudeExtension`` in ``MARKDOWN["extensions"]``, and
  add the story pages to ``PAGINATED_TEMPLATES``;
- reader hook: ``metadata["gratitude_stories"]`` = the post's stories (plain dicts, so
  both content cache layers keep them);
- ``article_generator_pretaxonomy``: register the pages that story headers link to;
- ``article_generator_finalized``, then ``page_generator_finalized`` (stories in
  pages): ``context["gratitude"]`` for every template, the feeds and the digest
  (rebuilt for every build: nothing outlives it);
- ``get_generators``: the index, quality and person pages and ``stories.json``.
"""

import logging

from pelican import signals

from ..build import SETTINGS_FILE_KEY
from ..checks.settings_types import SettingsSource
from ..errors import ContentError
from ..reader.markdown_reader import GratitudeMarkdownReader
from .aggregate import STORIES_KEY, group
from .generator import StoriesGenerator, register_link_targets
from .markdown_ext import GratitudeExtension
from .people import person_slug, person_url  # noqa: F401 (the shared identity)
from .settings import read_settings, with_story_pagination

logger = logging.getLogger(__name__)


def _checked_config(settings):
    """The settings, or an error at the line of GRATITUDE_QUALITIES in the file."""
    try:
        return read_settings(settings)
    except ContentError as error:
        source = SettingsSource(settings.get(SETTINGS_FILE_KEY) or "pelicanconf.py")
        path, line = source.where("GRATITUDE_QUALITIES")
        raise ContentError(path, error.message, line, error.hint) from None


def add_markdown_extension(pelican):
    config = _checked_config(pelican.settings)
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    # Replace, never add: autoreload and repeated runs reuse the same settings.
    extensions = [extension for extension in markdown.get("extensions", [])
                  if type(extension).__name__ != GratitudeExtension.__name__]
    markdown["extensions"] = [*extensions, GratitudeExtension(config)]


def paginate_story_pages(pelican):
    pelican.settings["PAGINATED_TEMPLATES"] = with_story_pagination(
        pelican.settings.get("PAGINATED_TEMPLATES"))


def story_metadata(md, metadata, source_path, text):
    metadata[STORIES_KEY] = list(getattr(md, "gratitude_stories", None) or [])


def _link_targets(generator, contents):
    # A post restored from the generator cache layer still points at the context of
    # the build that cached it, so its links would be resolved against that build's
    # page URL (wrong with RELATIVE_URLS) and link targets: point it at this build's.
    for content in contents:
        content._context = generator.context
    config = read_settings(generator.settings)
    register_link_targets(generator.context, config, contents)


def link_targets(generator):
    _link_targets(generator, [*generator.articles, *generator.translations,
                              *generator.hidden_articles, *generator.drafts])


def page_link_targets(generator):
    _link_targets(generator, [*generator.pages, *generator.hidden_pages])


def aggregate(generator):
    """``context["gratitude"]`` from the posts, then again with the pages' stories."""
    config = read_settings(generator.settings)
    pages = getattr(generator, "pages", None)
    if pages is None:  # the articles generator
        contents = generator.articles
    else:
        contents = [*generator.context.get("articles", []), *pages]
    gratitude = group(contents, config)
    for entry in gratitude["unknown"]:
        logger.warning("[stories] %s: the quality %r of the story %r is not in "
                       "GRATITUDE_QUALITIES (rebuild with --ignore-cache)",
                       entry["post"].source_path, entry["quality"], entry["heading"])
    generator.context["gratitude"] = gratitude


def get_generators(pelican):
    return StoriesGenerator


def register():
    if story_metadata not in GratitudeMarkdownReader.metadata_hooks:
        GratitudeMarkdownReader.metadata_hooks.append(story_metadata)
    signals.initialized.connect(add_markdown_extension)
    signals.initialized.connect(paginate_story_pages)
    signals.article_generator_pretaxonomy.connect(link_targets)
    signals.article_generator_finalized.connect(aggregate)
    signals.page_generator_finalized.connect(page_link_targets)
    signals.page_generator_finalized.connect(aggregate)
    signals.get_generators.connect(get_generators)
