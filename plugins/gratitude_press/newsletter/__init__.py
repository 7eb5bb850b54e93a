"""The weekly digest: one issue per week, exported to every channel, sent at most once.

- ``settings``: every ``DIGEST_*`` setting with its default;
- ``period`` and ``model``: the pure core (which days, which items, what text);
- ``render``: email HTML/text/Markdown, the MIME message and provider payloads;
- ``adapter``: the Pelican generator that writes ``output/newsletter/``;
- ``recipients``, ``sending`` and ``cli``: ``python -m gratitude_press digest``.
"""

from pelican import signals


def register():
    from .adapter import get_generators

    signals.get_generators.connect(get_generators)
