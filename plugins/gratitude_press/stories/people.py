"""Person identity shared by stories, episodes and the digest: one slug, one URL."""

from pelican.utils import slugify


def person_slug(name: str, regex_subs=()) -> str:
    return slugify(name, regex_subs=regex_subs or ())


def person_url(name: str, regex_subs=()) -> str:
    """Relative URL of a person's page (their stories and the episodes they guested in)."""
    return f"people/{person_slug(name, regex_subs)}/"
