"""The weekly digest: one issue per week, exported to every channel, sent at most once.

- ``settings``: every ``DIGEST_*`` setting with its default;
- ``period`` and ``model``: the pure core (which days, which items, what text);
- ``render``: email HTML/text/Markdown, the MIME message and provider payloads;
- ``adapter``: the Pelican generator that writes ``output/newsletter/``;
- ``recipients``, ``sending`` and ``cli``: ``python -m gratitude_press digest``.
"""

from pelican import signals


def check_newsletter_flag(md, metadata, source_path):
    """A bad ``Newsletter:`` value stops the read with the line it is on."""
    from ..errors import ContentError
    from ..reader.source import header_line, read_source
    from .model import newsletter_flag

    try:
        newsletter_flag(metadata.get("newsletter"), source_path)
    except ContentError:
        # Read again only on error: the reader does not hand its text to hooks.
        newsletter_flag(metadata.get("newsletter"), source_path,
                        header_line(read_source(source_path), "newsletter"))


def register():
    from ..reader.markdown_reader import GratitudeMarkdownReader
    from .adapter import get_generators

    if check_newsletter_flag not in GratitudeMarkdownReader.metadata_hooks:
        GratitudeMarkdownReader.metadata_hooks.append(check_newsletter_flag)
    signals.get_generators.connect(get_generators)
