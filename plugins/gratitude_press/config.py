"""The kit's settings for one Pelican instance: every concern's, read once.

``install`` runs on ``initialized``: it reads each concern's settings over its
documented defaults (``settings.py`` explains the pattern), logs each bad value as one
line naming the settings file and line, and keeps the result, an immutable
``Config``, in Pelican's settings under ``GRATITUDE_CONFIG``. Readers and generators
read it from there (``settings.config_of``); templates see it too. A concern whose settings
are bad is ``None`` in the ``Config``: the build reports the error and that concern
does nothing.
"""

from dataclasses import dataclass

from .deploy import settings as deploy_settings
from .errors import ContentError, plugin_logger
from .feeds import settings as feeds_settings
from .newsletter import settings as newsletter_settings
from .podcast import settings as podcast_settings
from .search import settings as search_settings
from .settings import CONFIG_KEY, SettingsSource, SettingValues
from .sitemap import settings as sitemap_settings
from .stories import settings as stories_settings

logger = plugin_logger(__name__)
CONCERN_SETTINGS = {
    "stories": stories_settings,
    "podcast": podcast_settings,
    "feeds": feeds_settings,
    "digest": newsletter_settings,
    "search": search_settings,
    "sitemap": sitemap_settings,
    "deploy": deploy_settings,
}


@dataclass(frozen=True)
class Config:
    stories: object
    podcast: object
    feeds: object
    digest: object
    search: object
    sitemap: object
    deploy: object
    problems: tuple = ()


def read_config(settings) -> Config:
    """Every concern's settings; bad ones are ``None`` and listed in ``problems``."""
    source = SettingsSource.of(settings)
    parts, problems = {}, []
    for name, module in CONCERN_SETTINGS.items():
        try:
            parts[name] = module.read(SettingValues(settings, module.DEFAULTS, source))
        except ContentError as error:
            parts[name] = None
            problems.append(error)
    return Config(**parts, problems=tuple(problems))


def all_defaults():
    """The ``DEFAULTS`` of every concern (the settings-type check reads them)."""
    return [module.DEFAULTS for module in CONCERN_SETTINGS.values()]


def install(pelican):
    config = read_config(pelican.settings)
    for problem in config.problems:
        logger.error("[settings] %s", problem)
    pelican.settings[CONFIG_KEY] = config
