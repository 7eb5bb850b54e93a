"""Gratitude Press: one Pelican plugin, one subpackage per concern.

- ``reader``: YAML front matter or Pelican headers, one-line errors;
- ``stories``: gratitude story blocks, their indexes and ``stories.json``;
- ``podcast``: episode notes, audio facts, the podcast feed;
- ``feeds``: blog RSS/Atom written with feedgen;
- ``newsletter``: the weekly digest, its archive and exports;
- ``search``: the pagefind index of the finished site;
- ``sitemap``: pelican-sitemap's list pages dated by the newest content, not the clock;
- ``checks``: settings types, duplicate URLs and links to missing files;
- ``speed``: parallel reading, shared templates, the incremental dev loop;
- ``build``: the command line build with strict mode and a safe output swap.

Each concern's ``register()`` connects its own Pelican signals.
"""

from . import checks, feeds, newsletter, podcast, reader, search, sitemap, speed, stories

# speed first: its ``finalized`` receiver renders the pages the others then read.
CONCERNS = (speed, reader, stories, podcast, feeds, newsletter, search, sitemap, checks)


def register():
    for concern in CONCERNS:
        concern.register()
