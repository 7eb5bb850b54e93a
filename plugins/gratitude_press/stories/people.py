"""Person identity shared by stories, episodes and the digest: one slug, one URL."""

import functools

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

# Pelican's own substitutions (spaces and symbols to hyphens) when none are given.
DEFAULT_SUBSTITUTIONS = tuple(DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def person_slug(name: str, regex_subs=()) -> str:
    subs = tuple(map(tuple, regex_subs or DEFAULT_SUBSTITUTIONS))
    return _slug(name, subs)


@functools.lru_cache(maxsize=4096)
def _slug(name: str, regex_subs: tuple) -> str:
    """Pelican's ``slugify`` is pure and costs ~0.1 ms; a site asks for the same
    few hundred names tens of thousands of times (stories, people pages, digest)."""
    return slugify(name, regex_subs=regex_subs)


def person_url(name: str, regex_subs=()) -> str:
    """Relative URL of a person's page (their stories, the episodes they guested in)."""
    return f"people/{person_slug(name, regex_subs)}/"
