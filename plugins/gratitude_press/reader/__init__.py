"""Reading Markdown sources: YAML front matter or Pelican headers, with clear errors.

The adapter puts our reader in place of Pelican's for Markdown files
(``readers_init``, the documented place to add or replace readers); the pure helpers
live in ``source.py`` and know nothing of Pelican.

Every other format Pelican would read (HTML, reStructuredText) is refused, one line
per file: those readers publish raw HTML and script as written, and
reStructuredText's ``include`` and ``raw`` directives read files from anywhere on
disk, none of which goes through the kit's checks.
"""

import logging

from pelican import signals
from pelican.readers import BaseReader, HTMLReader, RstReader

from ..errors import ContentError
from .markdown_reader import GratitudeMarkdownReader, report_problems, with_problems


class NotMarkdownReader(BaseReader):
    """Reports a content file the kit does not read; Pelican skips it."""

    file_extensions = []  # put in place by install_reader, for what Pelican would read

    def read(self, source_path):
        error = ContentError(
            source_path,
            "the kit reads Markdown (.md) files only, not this file",
            None,
            "write it in Markdown, or move it out of the posts' and pages' folders",
        )
        problem = (logging.ERROR, str(error.relative_to(self.settings["PATH"])))
        return "", with_problems({"status": "skip"}, [problem])


def install_reader(readers):
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class in (HTMLReader, RstReader):  # another plugin's reader stays
            readers.reader_classes[extension] = NotMarkdownReader
    for extension in GratitudeMarkdownReader.file_extensions:
        readers.reader_classes[extension] = GratitudeMarkdownReader


def register():
    signals.readers_init.connect(install_reader)
    # Where a read's problems are logged, cached read or not (markdown_reader.py)
    signals.article_generator_context.connect(report_problems)
    signals.page_generator_context.connect(report_problems)
