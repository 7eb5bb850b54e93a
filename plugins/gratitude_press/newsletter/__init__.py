"""The weekly digest: one issue per week, exported to every channel, sent at most once.

- ``settings``: every ``DIGEST_*`` setting with its default;
- ``period``, ``selection`` and ``model``: the pure core (which weeks, which items,
  what text);
- ``render``: email HTML/text/Markdown, the MIME message, provider payloads and the
  issues feed;
- ``entries`` and ``intros``: articles and intro files turned into plain data;
- ``adapter``: the Pelican generator that writes ``output/newsletter/``;
- ``outbox``: how a build hands its issues to the digest command that started it;
- ``recipients``, ``sending`` and ``cli``: ``python -m gratitude_press digest``.
"""

from pelican import signals


def register():
    from .adapter import get_generators

    signals.get_generators.connect(get_generators)
