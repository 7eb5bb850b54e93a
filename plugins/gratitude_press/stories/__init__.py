"""Gratitude stories: ``/// gratitude`` blocks, their pages and ``stories.json``.

Pure core: ``check.py`` (check a block, its anchor and line), ``aggregate.py``
(group the stories), ``settings.py``, ``people.py``; ``markdown_ext.py`` is the
Markdown extension the reader adds (each story is read once, while Markdown parses
the post, and lands in ``metadata["gratitude_stories"]`` as a plain dict). This
module is the thin adapter:

- ``initialized``: add the story pages to ``PAGINATED_TEMPLATES``;
- ``article_generator_pretaxonomy``: register the pages that story headers link to;
- ``article_generator_finalized``, then ``page_generator_finalized`` (stories in
  pages): the build's grouped stories (``BuildState.gratitude``, also
  ``context["gratitude"]`` for every template, the feeds and the digest). Once the
  pages are read too, answers that cannot be linked are reported, and each story
  that answers or was answered gets its note ("In return for", "Thanked back by")
  in its post's ``_content`` (the attribute Pelican's docs tell plugins to set);
- ``get_generators``: the index, quality, person and web pages and ``stories.json``.
"""

from pelican import signals

from ..errors import ContentError, plugin_logger
from ..reader.source import header_line, line_of, read_source
from ..settings import config_of
from ..state import state_of
from .aggregate import group
from .generator import StoriesGenerator, register_link_targets
from .people import person_slug, person_url  # noqa: F401 (the shared identity)
from .reciprocal import notes_of, with_notes
from .settings import with_story_pagination

logger = plugin_logger(__name__)


def paginate_story_pages(pelican):
    pelican.settings["PAGINATED_TEMPLATES"] = with_story_pagination(
        pelican.settings.get("PAGINATED_TEMPLATES")
    )


def _link_targets(generator, contents):
    config = config_of(generator.settings).stories
    if config is not None:
        register_link_targets(generator.context, config, contents)


def link_targets(generator):
    _link_targets(
        generator,
        [
            *generator.articles,
            *generator.translations,
            *generator.hidden_articles,
            *generator.drafts,
        ],
    )


def page_link_targets(generator):
    _link_targets(generator, [*generator.pages, *generator.hidden_pages])


def aggregate(generator):
    """The grouped stories of the posts, then again with the pages' stories."""
    config = config_of(generator.settings).stories
    if config is None:
        return
    pages = getattr(generator, "pages", None)
    if pages is None:  # the articles generator
        contents = generator.articles
    else:
        contents = [*generator.context.get("articles", []), *pages]
    gratitude = group(contents, config)
    for entry in gratitude["unknown"]:
        logger.warning(
            "[stories] %s: the quality %r of the story %r is not in "
            "GRATITUDE_QUALITIES (rebuild with --ignore-cache)",
            entry["post"].source_path,
            entry["quality"],
            entry["heading"],
        )
    state = state_of(generator.context)
    state.gratitude = gratitude
    generator.context["gratitude"] = gratitude
    if pages is not None:  # every post and page is known: link them for good
        for entry, problem in gratitude["problems"]:
            state.report(logger, "stories", _with_line(entry, problem))
        add_notes(gratitude["stories"])


def _with_line(entry, problem):
    """The problem at the line of its ``answers:`` (or ``thanks:``) when the story
    has none: the build wrote it, from an episode's thanks."""
    if problem.line is not None:
        return problem
    text = read_source(problem.path)
    line = (
        line_of(text, entry["answers"]) if entry["answers"] else None
    ) or header_line(text, "thanks")
    return ContentError(problem.path, problem.message, line, problem.hint)


def add_notes(entries):
    """Add each story's reciprocity notes under its meta line in its post."""
    by_post = {}
    for entry in entries:
        note = notes_of(entry)
        if note:
            by_post.setdefault(id(entry["post"]), (entry["post"], []))[1].append(
                (entry["id"], note)
            )
    for post, notes in by_post.values():
        post._content, missing = with_notes(post._content, notes)
        for anchor in missing:
            logger.warning(
                "[stories] %s: no section #%s to add its thanked-back note to",
                post.source_path,
                anchor,
            )


def get_generators(pelican):
    return StoriesGenerator


def register():
    signals.initialized.connect(paginate_story_pages)
    signals.article_generator_pretaxonomy.connect(link_targets)
    signals.article_generator_finalized.connect(aggregate)
    signals.page_generator_finalized.connect(page_link_targets)
    signals.page_generator_finalized.connect(aggregate)
    signals.get_generators.connect(get_generators)
