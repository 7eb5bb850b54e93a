"""Cross-cutting checks: settings of the wrong type, duplicate URLs, links to nowhere.

The pure checks live in ``settings_types.py`` and ``site.py``; this adapter runs them
on Pelican's signals and logs each problem as one ``[checks] path:line: ...`` error.
"""

import logging

from pelican import signals

from ..config import all_defaults
from ..settings import SettingsSource
from ..state import state_of
from .settings_types import check_settings
from .site import broken_links, duplicate_urls
from ..errors import plugin_logger

logger = plugin_logger(__name__)


def check_settings_types(pelican):
    source = SettingsSource.of(pelican.settings)
    for problem in check_settings(pelican.settings, source.file, all_defaults()):
        logger.error("[checks] %s", problem)


WRITTEN_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations",
                 "pages", "hidden_pages")


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


def check_site(generators):
    contents = list(_contents(generators))
    context = generators[0].context if generators else {}
    duplicates, overwriting = duplicate_urls(contents)
    errors, warnings = broken_links(contents, context)
    state = state_of(context)
    for problem in duplicates + errors:
        state.report(logger, "checks", problem)
    for problem in warnings:
        state.report(logger, "checks", problem, logging.WARNING)
    _leave_out(generators, overwriting)


def register():
    signals.initialized.connect(check_settings_types)
    signals.all_generators_finalized.connect(check_site)
