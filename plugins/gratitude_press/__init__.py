"""Gratitude Press: one Pelican plugin, one subpackage per concern.

- ``reader``: YAML front matter or Pelican headers, one-line errors; runs the
  concerns' per-file work in one read;
- ``stories``: gratitude story blocks, their indexes and ``stories.json``;
- ``podcast``: episode notes, audio facts, the podcast feed;
- ``feeds``: blog RSS/Atom written with feedgen;
- ``newsletter``: the weekly digest, its archive and exports;
- ``sitemap``: ``sitemap.xml``, dated by the content, never by the clock;
- ``search``: the pagefind index of the finished site;
- ``checks``: settings types, duplicate URLs and links to missing files;
- ``build``: the command line build with strict mode and a safe output swap;
- ``deploy``: ``python -m gratitude_press deploy``: rsync, a Pages branch or S3 (no
  signals);
- ``schedule``: articles dated in the future stay drafts until their day (the kit's
  clock, ``schedule/clock.py``);
- ``dev``: ``gratitude-press dev``: one watcher, rebuilds, live reload and previews
  of drafts (its writer is used only by dev builds);
- ``scaffold``: ``gratitude-press new post|episode`` (no signals).

``config.py`` reads every concern's settings once (``initialized``);
``build/templates.py`` keeps compiled templates under ``CACHE_PATH``; ``state.py``
holds what one build learns (``generator_init`` of its first generator). Each
concern's ``register()`` connects its own Pelican signals.
"""

from pelican import signals

from . import (
    build,
    checks,
    config,
    dev,
    feeds,
    newsletter,
    podcast,
    reader,
    schedule,
    search,
    sitemap,
    state,
    stories,
)

# Also the order of the concerns' generators: the sitemap and the search index come
# last, once every page is written. ``schedule`` comes first: every concern's
# ``article_generator_pretaxonomy`` sees the articles as published at that moment.
CONCERNS = (
    schedule,
    reader,
    stories,
    podcast,
    feeds,
    newsletter,
    sitemap,
    search,
    checks,
    dev,
)


def register():
    signals.initialized.connect(config.install)
    signals.generator_init.connect(state.begin)
    for concern in CONCERNS:
        concern.register()
    # last: the checks see the settings as written
    signals.initialized.connect(build.templates.install)
