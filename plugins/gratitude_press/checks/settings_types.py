"""Settings of the wrong type, found before the build starts (pure: no Pelican).

Pelican reads ``pelicanconf.py`` as Python and trusts every value: ``DEFAULT_PAGINATION
= "ten"`` only fails deep inside a template. We check the settings the kit relies on,
plus every ``DEFAULTS`` entry of our concerns, and name the file and line to fix.
"""

import re
import zoneinfo

from ..errors import ContentError
from ..settings import SettingsSource

# Names whose values are secrets: never shown in a message, never kept in settings
# (Pelican hands every setting to every template).
SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY)", re.IGNORECASE
)
NOT_A_SECRET = re.compile(r"_(ENV|VAR|VARIABLE|FILE|PATH|URL)$", re.IGNORECASE)


def _text(value):
    return isinstance(value, str)


def _flag(value):
    return isinstance(value, bool)


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _count_or_off(value):
    return value is False or value is None or _count(value)


def _count_or_none(value):
    return value is None or _count(value)


def _texts(value):
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _pairs(value):
    return isinstance(value, (list, tuple)) and all(
        isinstance(pair, (list, tuple))
        and len(pair) == 2
        and all(isinstance(part, str) for part in pair)
        for pair in value
    )


def _mapping(value):
    return isinstance(value, dict)


def _timezone(value):
    if not isinstance(value, str):
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


TEXT = (_text, "text in quotes", '"..."')
PATTERN = (_text, "a path pattern in quotes", '"{date:%Y}/{slug}/"')
FLAG = (_flag, "True or False", "True")
PATHS = (_texts, "a list of folder names", '["posts", "episodes"]')
PAIRS = (_pairs, "a list of (name, link) pairs", '[("Mastodon", "https://...")]')
MAPPING = (_mapping, "a dictionary", "{...}")

# Settings of Pelican and of the kit's theme: (test, what it must be, example).
KNOWN = {
    "SITENAME": TEXT,
    "SITEURL": TEXT,
    "AUTHOR": TEXT,
    "SITE_TAGLINE": TEXT,
    "SITE_DESCRIPTION": TEXT,
    "SITE_LANGUAGE": TEXT,
    "DEFAULT_LANG": TEXT,
    "SENDER_NAME": TEXT,
    "SENDER_EMAIL": TEXT,
    "REPLY_TO_EMAIL": TEXT,
    "POSTAL_ADDRESS": TEXT,
    "SITE_IMAGE": TEXT,
    "PATH": TEXT,
    "OUTPUT_PATH": TEXT,
    "THEME": TEXT,
    "TIMEZONE": (_timezone, "a time zone name", '"America/Chicago"'),
    "ARTICLE_URL": PATTERN,
    "ARTICLE_SAVE_AS": PATTERN,
    "PAGE_URL": PATTERN,
    "PAGE_SAVE_AS": PATTERN,
    "CATEGORY_URL": PATTERN,
    "CATEGORY_SAVE_AS": PATTERN,
    "TAG_URL": PATTERN,
    "TAG_SAVE_AS": PATTERN,
    "AUTHOR_URL": PATTERN,
    "AUTHOR_SAVE_AS": PATTERN,
    "RELATIVE_URLS": FLAG,
    "DELETE_OUTPUT_DIRECTORY": FLAG,
    "CACHE_CONTENT": FLAG,
    "LOAD_CONTENT_CACHE": FLAG,
    "DEFAULT_PAGINATION": (
        _count_or_off,
        "a whole number of posts per page, or False",
        "10",
    ),
    "SUMMARY_MAX_LENGTH": (_count_or_none, "a whole number of words, or None", "50"),
    "FEED_MAX_ITEMS": (_count_or_none, "a whole number of items, or None", "100"),
    "ARTICLE_PATHS": PATHS,
    "PAGE_PATHS": PATHS,
    "STATIC_PATHS": PATHS,
    "PLUGIN_PATHS": PATHS,
    "OUTPUT_RETENTION": PATHS,
    "DIRECT_TEMPLATES": (_texts, "a list of template names", '["index", "archives"]'),
    "SOCIAL": PAIRS,
    "LINKS": PAIRS,
    "MENUITEMS": PAIRS,
    "JINJA_ENVIRONMENT": MAPPING,
    "MARKDOWN": MAPPING,
    "EXTRA_PATH_METADATA": MAPPING,
    "SITEMAP": MAPPING,
}


def _like_default(default):
    """The (test, description, example) for a concern setting from its default."""
    if isinstance(default, bool):
        return FLAG
    if isinstance(default, int):
        return (
            lambda v: isinstance(v, int) and not isinstance(v, bool),
            "a whole number",
            repr(default),
        )
    if isinstance(default, float):
        return (
            lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "a number",
            repr(default),
        )
    if isinstance(default, str):
        return (_text, "text in quotes", repr(default))
    if isinstance(default, (list, tuple)):
        return (lambda v: isinstance(v, (list, tuple)), "a list", repr(list(default)))
    if isinstance(default, dict):
        return MAPPING
    return None


def expected_types(concern_defaults=()):
    """Pelican's and the theme's settings, then each concern's DEFAULTS."""
    table = dict(KNOWN)
    for defaults in concern_defaults:
        for name, default in defaults.items():
            rule = _like_default(default)
            if rule and name not in KNOWN:
                table[name] = rule
    return table


def is_secret(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not NOT_A_SECRET.search(name)


def _shown(name, value):
    return "a value" if is_secret(name) else repr(value)


def check_settings(settings, settings_file, concern_defaults=()):
    """Every problem as a ContentError naming the settings file and line."""
    source = SettingsSource(settings_file)
    problems = []
    for name, (test, wanted, example) in expected_types(concern_defaults).items():
        if name not in settings:
            continue
        value = settings[name]
        if value is None and name not in KNOWN:
            continue  # None is "use the default" for every setting of the kit
        if not test(value):
            path, line = source.where(name)
            problems.append(
                ContentError(
                    path,
                    f"{name} must be {wanted}, not {_shown(name, value)}",
                    line,
                    f"e.g. {name} = {example}",
                )
            )
    if (
        settings.get("CACHE_CONTENT")
        and settings.get("CONTENT_CACHING_LAYER") == "generator"
    ):
        # Pelican's generator layer restores whole articles with the context of the
        # build that cached them: their relative links and scheduled status go stale.
        path, line = source.where("CONTENT_CACHING_LAYER")
        problems.append(
            ContentError(
                path,
                "CONTENT_CACHING_LAYER 'generator' is not supported by the kit",
                line,
                'use CONTENT_CACHING_LAYER = "reader" (the default)',
            )
        )
    for name, value in settings.items():
        if is_secret(name) and isinstance(value, str) and value:
            path, line = source.where(name)
            problems.append(
                ContentError(
                    path,
                    f"{name} holds a secret in the settings, which every template sees",
                    line,
                    "remove it; the code that needs it reads the "
                    f"environment variable, e.g. export {name}=...",
                )
            )
    return problems
