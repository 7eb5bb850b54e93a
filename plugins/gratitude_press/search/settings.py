"""Settings of the search concern, with their defaults (None: the default).

- ``SEARCH_ENABLED`` (True): index the finished site with pagefind after writing it.
- ``SEARCH_BUNDLE_DIR`` ("pagefind"): folder of the index and its UI, inside the output.
- ``SEARCH_EXCLUDE_SELECTORS`` (()): CSS selectors pagefind leaves out of the index, in
  addition to elements marked ``data-pagefind-ignore`` in the theme.
"""

from dataclasses import dataclass

DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_EXCLUDE_SELECTORS": (),
}


@dataclass(frozen=True)
class SearchConfig:
    enabled: bool = True
    bundle_dir: str = "pagefind"
    exclude_selectors: tuple = ()


def read(values) -> SearchConfig:
    return SearchConfig(
        enabled=values.flag("SEARCH_ENABLED"),
        bundle_dir=values.text("SEARCH_BUNDLE_DIR", empty=False).strip("/"),
        exclude_selectors=values.names("SEARCH_EXCLUDE_SELECTORS"),
    )
