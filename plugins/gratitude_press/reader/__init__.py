"""Reading Markdown sources: YAML front matter or Pelican headers, with clear errors.

The adapter puts our reader in place of Pelican's for Markdown files
(``readers_init``, the documented place to add or replace readers); the pure helpers
live in ``source.py`` and know nothing of Pelican.
"""

from pelican import signals

from .markdown_reader import GratitudeMarkdownReader


def install_reader(readers):
    for extension in GratitudeMarkdownReader.file_extensions:
        readers.reader_classes[extension] = GratitudeMarkdownReader


def register():
    signals.readers_init.connect(install_reader)
