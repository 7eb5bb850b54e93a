"""The dev server: ``gratitude-press dev`` (and ``serve``, the plain static server).

- ``preview.py`` (pure): the settings of dev builds (drafts and scheduled posts
  written under ``preview/``) and what a dev build adds to a page;
- ``writer.py``: the writer of dev builds (``get_writer``; ``build`` and ``publish``
  keep Pelican's own);
- ``session.py``: one file watcher for the session, a build per batch of saves;
- ``server.py``: serves ``output/`` on 127.0.0.1 and the live-reload status;
- ``cli.py``: the ``dev`` and ``serve`` commands.
"""

from pelican import signals

from .writer import get_writer


def register():
    signals.get_writer.connect(get_writer)
