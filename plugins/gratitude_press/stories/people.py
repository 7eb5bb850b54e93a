"""Person identity shared by stories, episodes and the digest: one slug, one URL."""

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

# Pelican's own substitutions (spaces and symbols to hyphens) when none are given.
DEFAULT_SUBSTITUTIONS = tuple(DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def person_slug(name: str, regex_subs=()) -> str:
    return slugify(
        name, regex_subs=tuple(map(tuple, regex_subs or DEFAULT_SUBSTITUTIONS))
    )


class PersonSlugs:
    """Each name's slug, worked out once while the stories are grouped: a site has a
    few hundred names, met tens of thousands of times in its stories."""

    def __init__(self, regex_subs=()):
        self.regex_subs = regex_subs
        self.found = {}

    def __call__(self, name: str) -> str:
        slug = self.found.get(name)
        if slug is None:
            slug = self.found[name] = person_slug(name, self.regex_subs)
        return slug


def person_url(name: str, regex_subs=()) -> str:
    """Relative URL of a person's page (their stories, the episodes they guested in)."""
    return f"people/{person_slug(name, regex_subs)}/"
