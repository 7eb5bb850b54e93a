"""Settings of the search concern, with their defaults (None: the default).

- ``SEARCH_ENABLED`` (True): index the finished site with pagefind after writing it.
- ``SEARCH_BUNDLE_DIR`` ("pagefind"): folder of the index and its UI, inside the output.
- ``SEARCH_EXCLUDE_SELECTORS`` (()): CSS selectors pagefind leaves out of the index, in
  addition to elements marked ``data-pagefind-ignore`` in the theme.
- ``SEARCH_PAGES_PER_INDEX`` (500): most pages pagefind indexes in one run. A larger
  site is indexed in parts the search page merges: pagefind holds a run's whole index
  in memory (~0.2 MiB a page), and a changed page is indexed again with its part only.
"""

from dataclasses import dataclass

DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_EXCLUDE_SELECTORS": (),
    "SEARCH_PAGES_PER_INDEX": 500,
}


@dataclass(frozen=True)
class SearchConfig:
    enabled: bool = True
    bundle_dir: str = "pagefind"
    exclude_selectors: tuple = ()
    pages_per_index: int = 500


def read(values) -> SearchConfig:
    bundle_dir = values.text("SEARCH_BUNDLE_DIR", empty=False).strip("/")
    if any(part in ("", ".", "..") for part in bundle_dir.split("/")):
        raise values.error(
            "SEARCH_BUNDLE_DIR",
            f"must be a folder inside the output, not {bundle_dir!r}",
            'e.g. SEARCH_BUNDLE_DIR = "pagefind"',
        )
    return SearchConfig(
        enabled=values.flag("SEARCH_ENABLED"),
        bundle_dir=bundle_dir,
        exclude_selectors=values.names("SEARCH_EXCLUDE_SELECTORS"),
        pages_per_index=values.integer("SEARCH_PAGES_PER_INDEX"),
    )
