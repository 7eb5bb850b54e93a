"""The dev server: ``gratitude-press dev`` (and ``serve``, the plain static server).

- ``preview.py`` (pure): the settings of dev builds (drafts and scheduled posts
  written under ``preview/``) and what a dev build adds to a page;
- ``writer.py``: the writer of dev builds (``get_writer``; ``build`` and ``publish``
  keep Pelican's own);
- ``cache.py``: Pelican's reader cache for dev builds (``initialized``), in a
  ``CACHE_PATH`` folder keyed by the settings, the kit's code and the files an
  episode's read opens;
- ``session.py``: one file watcher for the session, a build per batch of saves;
- ``server.py``: serves ``output/`` on 127.0.0.1 and the live-reload status;
- ``cli.py``: the ``dev`` and ``serve`` commands.
"""

from pelican import signals

from .cache import use_reader_cache
from .writer import get_writer


def register():
    signals.initialized.connect(use_reader_cache)
    signals.get_writer.connect(get_writer)
