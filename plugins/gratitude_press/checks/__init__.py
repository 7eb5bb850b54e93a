"""Cross-cutting checks: settings of the wrong type, duplicate URLs, links to nowhere.

The pure checks live in ``settings_types.py`` and ``site.py``; this adapter runs them
on Pelican's signals and logs each problem as one ``[checks] path:line: ...`` error.
"""

import importlib
import logging
import pkgutil
import sys
from pathlib import Path

from pelican import signals
from pelican.log import LimitFilter

from ..build import SETTINGS_FILE_KEY
from .settings_types import check_settings
from .site import broken_links, duplicate_urls

logger = logging.getLogger(__name__)

# Our missing-link check names the file holding the link; Pelican's warning does not.
PELICAN_MISSING_LINK = (logging.WARNING,
                        "Unable to find '%s', skipping url replacement.")


def concern_defaults():
    """The ``DEFAULTS`` of every concern that has a ``settings`` module."""
    package = __package__.rpartition(".")[0]
    found = []
    for module in pkgutil.iter_modules([str(Path(__file__).resolve().parents[1])]):
        if not module.ispkg:
            continue
        try:
            settings = importlib.import_module(f"{package}.{module.name}.settings")
        except ImportError:
            continue
        defaults = getattr(settings, "DEFAULTS", None)
        if isinstance(defaults, dict):
            found.append(defaults)
    return found


def _settings_file(settings):
    """The settings file: from our build command, else ``pelican -s`` (devserver)."""
    if settings.get(SETTINGS_FILE_KEY):
        return settings[SETTINGS_FILE_KEY]
    argv = sys.argv[1:]
    for index, arg in enumerate(argv):
        if arg in ("-s", "--settings") and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--settings="):
            return arg.split("=", 1)[1]
    return "pelicanconf.py"


def use_one_line_messages(pelican):
    """``pelican -lr`` (``make devserver``) logs through Pelican's own handler: give it
    our one-line messages too (our build command installs them itself)."""
    if pelican.settings.get(SETTINGS_FILE_KEY):
        return
    from ..build.messages import OneLineMessages

    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, OneLineMessages)]:
            handler.removeFilter(old)  # autoreload: a new Pelican per settings change
        handler.addFilter(OneLineMessages(pelican.settings["PATH"]))


def check_settings_types(pelican):
    LimitFilter._ignore.add(PELICAN_MISSING_LINK)
    settings = pelican.settings
    problems = check_settings(settings, _settings_file(settings), concern_defaults())
    for problem in problems:
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
    for problem in duplicates + errors:
        logger.error("[checks] %s", problem)
    for problem in warnings:
        logger.warning("[checks] %s", problem)
    _leave_out(generators, overwriting)


def register():
    signals.initialized.connect(use_one_line_messages)
    signals.initialized.connect(check_settings_types)
    signals.all_generators_finalized.connect(check_site)
