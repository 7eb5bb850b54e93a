"""Cross-cutting checks: settings of the wrong type, duplicate URLs, links to nowhere.

The pure checks live in ``settings_types.py`` and ``site.py``; this adapter runs them
on Pelican's signals and logs each problem as one ``[checks] path:line: ...`` error.

``gratitude-press check`` (``cli.py``) asks something else: is the site ready to go
out as the writer's own? Its checks (``ready.py`` over the pure ``adoption.py`` and
``outputs.py``) run outside Pelican's signals, from the build runner
(``build --check``) and the ``check`` and ``send`` commands.
"""

import logging
import os

from pelican import signals
from pelican.generators import PelicanTemplateNotFound

from ..config import all_defaults
from ..errors import ContentError, plugin_logger
from ..paths import OutsideError, inside, links_leaving
from ..reader.source import header_line, read_source, where_written
from ..settings import SettingsSource
from ..state import state_of
from .settings_types import check_settings
from .site import broken_links, duplicate_urls, kit_outputs

logger = plugin_logger(__name__)


def check_settings_types(pelican):
    source = SettingsSource.of(pelican.settings)
    for problem in check_settings(pelican.settings, source.file, all_defaults()):
        logger.error("[checks] %s", problem)


def check_content_links(pelican):
    """Before Pelican walks content/: a symbolic link out of it (Pelican would read
    and publish what it points at) or into a loop stops the build, one line each."""
    content = pelican.settings["PATH"]
    ignored = pelican.settings.get("IGNORE_FILES") or ()
    for problem in links_leaving(content, ignored):
        error = ContentError(
            os.path.join(content, problem.path),
            problem.reason,
            None,
            "copy the files into content/ instead of linking to them",
        )
        logger.error("[checks] %s", error.relative_to(content))


WRITTEN_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
)


def _contents(generators):
    for generator in generators:
        for name in WRITTEN_LISTS:
            yield from getattr(generator, name, None) or ()


def _leave_out(generators, duplicates):
    """Drop pages that would overwrite another's file, so Pelican's writer does not
    stop the build with its own error; the build fails on the logged error anyway."""
    for generator in generators:
        for name in WRITTEN_LISTS:
            items = getattr(generator, name, None)
            if isinstance(items, list):
                items[:] = [item for item in items if item not in duplicates]


def drop_links_out_of_content(generator):
    """``{static}../../file`` links: Pelican would read and copy the file; it never
    does (``check_site`` reports the link with its file and line)."""
    content = state_of(generator.context).content_path
    links = generator.context["static_links"]
    for link in list(links):
        try:
            inside(content, link)
        except OutsideError:
            links.discard(link)


def keep_statics_inside(generator):
    """Static files (and ``{static}`` link targets) that resolve outside content/
    are never copied: a symbolic link is reported here, a ``../`` link by
    ``check_site`` with the file and line that holds it."""
    state = state_of(generator.context)
    kept = []
    for static in generator.staticfiles:
        relative = os.path.relpath(static.source_path, state.content_path)
        try:
            inside(state.content_path, relative)
        except OutsideError as error:
            generator.context["static_content"].pop(
                static.get_relative_source_path(), None
            )
            if not relative.startswith(".."):
                state.report(
                    logger,
                    "checks",
                    ContentError(
                        static.source_path,
                        error.reason,
                        None,
                        "copy the file into content/ instead of linking to it",
                    ),
                )
            continue
        kept.append(static)
    generator.staticfiles[:] = kept


def missing_templates(generator, contents):
    """Contents whose ``Template:`` the theme does not have, as ContentErrors."""
    problems = []
    for content in contents:
        name = content.metadata.get("template")
        if not name:
            continue
        try:
            generator.get_template(name)
        except PelicanTemplateNotFound:
            line = header_line(read_source(content.source_path), "template")
            problems.append(
                (
                    content,
                    ContentError(
                        content.source_path,
                        f"the theme has no template {name!r}",
                        line,
                        "add theme/templates/"
                        + name
                        + ".html or fix the Template: line",
                    ),
                )
            )
    return problems


def taken_by_the_kit(contents, settings, state):
    """Contents whose page would replace one the kit or the theme writes."""
    reserved = kit_outputs(settings, state.config, state.gratitude)
    problems = []
    for content in contents:
        setting = reserved.get(getattr(content, "save_as", ""))
        if setting:
            header, line = where_written(read_source(content.source_path))
            problems.append(
                (
                    content,
                    ContentError(
                        content.source_path,
                        f"its page would replace {content.save_as}, which "
                        f"the kit writes ({setting} moves that one)",
                        line,
                        f"give it another {header}: line",
                    ),
                )
            )
    return problems


def check_site(generators):
    contents = list(_contents(generators))
    if not generators:
        return
    state = state_of(generators[0].context)
    templates = missing_templates(generators[0], contents)
    templates += taken_by_the_kit(contents, generators[0].settings, state)
    context = generators[0].context
    duplicates, overwriting = duplicate_urls(contents)
    errors, warnings = broken_links(contents, context)
    for problem in duplicates + errors + [problem for _, problem in templates]:
        state.report(logger, "checks", problem)
    for problem in warnings:
        state.report(logger, "checks", problem, logging.WARNING)
    _leave_out(generators, overwriting + [content for content, _ in templates])


def register():
    signals.initialized.connect(check_settings_types)
    signals.initialized.connect(check_content_links)
    # after every post and page is read (their links are known), before the static
    # files are
    signals.page_generator_finalized.connect(drop_links_out_of_content)
    signals.static_generator_finalized.connect(keep_statics_inside)
    signals.all_generators_finalized.connect(check_site)
