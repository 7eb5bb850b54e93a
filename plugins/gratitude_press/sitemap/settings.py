"""Settings of the sitemap concern, with their defaults (None: the default).

- ``SITEMAP_SAVE_AS`` ("sitemap.xml"): where the sitemap is written; "" for none.
- ``SITEMAP_EXCLUDE`` (()): regular expressions; a page whose URL (relative to the
  site, e.g. ``search/``) matches one is left out.
"""

import re
from dataclasses import dataclass

DEFAULTS = {
    "SITEMAP_SAVE_AS": "sitemap.xml",
    "SITEMAP_EXCLUDE": (),
}


@dataclass(frozen=True)
class SitemapConfig:
    save_as: str
    exclude: tuple  # compiled patterns


def read(values) -> SitemapConfig:
    patterns = []
    for pattern in values.names("SITEMAP_EXCLUDE"):
        try:
            patterns.append(re.compile(pattern))
        except (re.error, TypeError) as error:
            raise values.error(
                "SITEMAP_EXCLUDE",
                f"has a pattern that is not a "
                f"regular expression: {pattern!r} ({error})",
            ) from None
    return SitemapConfig(
        save_as=values.output_path("SITEMAP_SAVE_AS"), exclude=tuple(patterns)
    )
