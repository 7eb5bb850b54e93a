"""Person identity shared by stories, episodes and the digest: one slug, one URL."""

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

# Pelican's own substitutions (spaces and symbols to hyphens) when none are given.
DEFAULT_SUBSTITUTIONS = tuple(DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def person_slug(name: str, regex_subs=()) -> str:
    return slugify(name, regex_subs=regex_subs or DEFAULT_SUBSTITUTIONS)


def person_url(name: str, regex_subs=()) -> str:
    """Relative URL of a person's page (their stories, the episodes they guested in)."""
    return f"people/{person_slug(name, regex_subs)}/"
