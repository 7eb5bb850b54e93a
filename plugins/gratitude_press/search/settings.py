"""Settings of the search concern, with their defaults.

- ``SEARCH_ENABLED`` (True): index the finished site with pagefind after writing it.
- ``SEARCH_BUNDLE_DIR`` ("pagefind"): folder of the index and its UI, inside the output.
- ``SEARCH_EXCLUDE_SELECTORS`` (()): CSS selectors pagefind leaves out of the index, in
  addition to elements marked ``data-pagefind-ignore`` in the theme.
"""

DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_EXCLUDE_SELECTORS": (),
}


def set_defaults(settings):
    """Fill in every missing setting (idempotent), so templates see them too."""
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    return settings


def read(settings):
    """The concern's settings as one plain dict."""
    return {name: settings.get(name, default) for name, default in DEFAULTS.items()}
