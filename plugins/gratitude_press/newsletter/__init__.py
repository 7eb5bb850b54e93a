"""The weekly digest: one issue per week, exported to every channel, sent at most once.

- ``settings``: every ``DIGEST_*`` setting with its default;
- ``period``, ``selection`` and ``model``: the pure core (which weeks, which items,
  what text);
- ``render``: email HTML/text/Markdown, the MIME message, provider payloads and the
  issues feed;
- ``entries`` and ``intros``: articles and intro files turned into plain data;
- ``adapter``: the Pelican generator that writes ``output/newsletter/``;
- ``outbox``: how a build hands its issues to the digest command that started it;
- ``cli`` and ``commands``: ``python -m gratitude_press digest|send|unsubscribes``;
  ``scratch``: the send's temporary build folder, removed even after SIGKILL;
- the provider path: ``campaign`` (one campaign per issue, never two), ``providers``
  (each API's calls) and ``api`` (the HTTP client);
- the smtp path: ``recipients``, ``privacy`` (lists stay out of git), ``sending``,
  ``unsubscribe`` (tokens, pure), ``unsubscribes`` and ``imap`` (the requests),
  ``suppression`` (never mailed again);
- ``statefile`` and ``storage``: the records on disk and their locks.
"""

from pelican import signals


def register():
    from .adapter import get_generators

    signals.get_generators.connect(get_generators)
