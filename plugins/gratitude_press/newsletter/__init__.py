"""The weekly digest: one issue per week, exported to every channel, sent at most once.

- ``settings``: every ``DIGEST_*`` setting with its default;
- ``period`` and ``model``: the pure core (which days, which items, what text);
- ``render``: email HTML/text/Markdown, the MIME message and provider payloads;
- ``adapter``: the Pelican generator that writes ``output/newsletter/``;
- ``recipients``, ``sending`` and ``cli``: ``python -m gratitude_press digest``.
"""

from pelican import signals


def check_newsletter_flag(md, metadata, source_path, text):
    """A bad ``Newsletter:`` value stops the read with the line it is on."""
    from ..reader.source import header_line
    from .model import newsletter_flag

    if "newsletter" in metadata:
        newsletter_flag(metadata["newsletter"], source_path, header_line(text, "newsletter"))


def register():
    from ..reader.markdown_reader import GratitudeMarkdownReader
    from .adapter import get_generators

    if check_newsletter_flag not in GratitudeMarkdownReader.metadata_hooks:
        GratitudeMarkdownReader.metadata_hooks.append(check_newsletter_flag)
    signals.get_generators.connect(get_generators)
