"""Pelican's Markdown reader, extended with YAML front matter and clear errors.

Front matter (``---`` ... ``---``) is needed for nested metadata such as an episode's
guests and chapters; Pelican's ``Key: value`` headers keep working for everything else.
Either way, a bad value stops with ``path:line: problem (what to do)``, and Markdown
fields such as ``Summary`` keep their Markdown but show raw HTML as text.
"""

import datetime
import logging

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

from ..errors import ContentError
from .source import (DATE_HINT, decode_source, header_line, header_lines,
                     split_front_matter)

logger = logging.getLogger(__name__)

LIST_FIELDS = {"tags", "authors"}
# Fields Pelican reads as one value: a YAML list or mapping there is a mistake.
SINGLE_VALUE_FIELDS = {"title", "date", "modified", "status", "category", "author",
                       "slug", "summary", "lang", "template", "save_as", "url"}
META_EXTENSION = "markdown.extensions.meta"
VALUE_HINTS = {"date": DATE_HINT, "modified": DATE_HINT}


class GratitudeMarkdownReader(MarkdownReader):
    """Reads ``.md`` files; the Markdown object of the last read is ``self._md``.

    Concerns that add Markdown before conversion (an episode's thanks become story
    blocks) use ``source_hooks``. Concerns that need per-document data from Markdown
    extensions (stories) read it from ``self._md`` in ``metadata_hooks``: plain
    functions ``hook(md, metadata, source_path, text)`` run after every read, in
    registration order; ``text`` is the file as read (BOM dropped, ``\n`` line
    endings), for errors that name a line.
    """

    metadata_hooks = []
    source_hooks = []  # hook(front_matter or None, body, source_path) -> new body

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._markdowns = {}  # kind -> Markdown object, see _markdown

    def read(self, source_path):
        self._source_path = source_path
        with open(source_path, "rb") as handle:
            text = decode_source(handle.read(), source_path)
        self._text = text
        front_matter, body, body_first_line = split_front_matter(text, source_path)
        for hook in self.source_hooks:
            body = hook(front_matter, body, source_path)
        kind = "headers" if front_matter is None else "body"
        self._md = self._markdown(kind)
        self._md.gratitude_source = (source_path, body_first_line)
        content = self._convert(kind, body)
        if front_matter is None:
            metadata = self._parse_metadata(getattr(self._md, "Meta", {}))
        else:
            metadata = self._parse_front_matter(front_matter, source_path)
        if "title" in metadata and not str(metadata["title"]).strip():
            raise ContentError(source_path, "the title is empty",
                               header_line(text, "title"), "give the post a title")
        for hook in self.metadata_hooks:
            hook(self._md, metadata, source_path, text)
        return content, metadata

    def _new_markdown(self, with_meta):
        config = dict(self.settings["MARKDOWN"])
        extensions = list(config.get("extensions", []))
        if not with_meta and META_EXTENSION in extensions:
            extensions.remove(META_EXTENSION)
        config["extensions"] = extensions
        return Markdown(**config)

    def _markdown(self, kind):
        """This reader's Markdown object for ``kind``, reset for a new document:
        "headers" (a body after Pelican headers: with the meta extension), "body"
        (after front matter: without it) or "field" (metadata fields, no raw HTML).

        Building a Markdown object with every extension costs more than converting a
        short post, so each reader instance (one per generator, one per worker
        process after the fork) keeps one per kind. ``Markdown.reset()`` resets every
        registered extension, the stories extension included.
        """
        md = self._markdowns.get(kind)
        if md is None:
            md = self._new_markdown(with_meta=kind == "headers")
            if kind == "field":
                md.preprocessors.deregister("html_block", strict=False)
                md.inlinePatterns.deregister("html", strict=False)
            self._markdowns[kind] = md
        return md.reset()

    def _convert(self, kind, text):
        try:
            return self._markdowns[kind].convert(text)
        except BaseException:
            # A conversion stopped half-way may leave parser state behind that
            # reset() does not clear: never reuse that object.
            del self._markdowns[kind]
            raise

    def _render_field(self, text):
        """Markdown of a metadata field (Summary): emphasis and links, raw HTML as text.

        A summary lands in lists, feeds and the digest, so ``<b>`` typed there is
        shown, never interpreted.
        """
        self._markdown("field")
        return self._convert("field", text)

    def _process(self, name, value):
        """Pelican's processing of one value, failing with the header's line."""
        try:
            return self.process_metadata(name, value)
        except Exception as error:
            text = value if isinstance(value, str) else ", ".join(map(str, value))
            shown, said = repr(text), str(error)
            problem = said if shown in said else f"{shown} is not valid ({said})"
            raise ContentError(self._source_path, f"{name}: {problem}",
                               header_line(self._text, name),
                               VALUE_HINTS.get(name, f"fix the {name} value")) from None

    def _parse_metadata(self, meta):
        """Pelican's ``Key: value`` headers (same rules as Pelican, clearer errors)."""
        formatted_fields = self.settings["FORMATTED_FIELDS"]
        output = {}
        for name, value in meta.items():
            name = name.lower()
            if name in formatted_fields:
                output[name] = self._process(name, self._render_field("\n".join(value)))
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                if len(value) > 1:
                    lines = header_lines(self._text, name)
                    logger.warning("%s", ContentError(
                        self._source_path,
                        f"Duplicate definition of `{name}`: the first one is used",
                        lines[1] if len(lines) > 1 else None,
                        f"keep one {name} line"))
                output[name] = self._process(name, value[0])
            elif len(value) > 1:
                output[name] = self._process(name, value)
            else:
                output[name] = self._process(name, value[0])
        return output

    def _parse_front_matter(self, data, source_path):
        formatted_fields = self.settings["FORMATTED_FIELDS"]
        metadata = {}
        for key, value in data.items():
            name = str(key).lower()
            if value is None:
                continue
            if name in formatted_fields:
                metadata[name] = self._process(name, self._render_field(str(value)))
            elif name in LIST_FIELDS:
                items = value if isinstance(value, list) else [value]
                metadata[name] = self._process(name, ", ".join(map(str, items)))
            elif isinstance(value, datetime.datetime):
                metadata[name] = self._process(name, value.isoformat(sep=" "))
            elif isinstance(value, datetime.date):
                metadata[name] = self._process(name, value.isoformat())
            elif isinstance(value, (dict, list)) and name in SINGLE_VALUE_FIELDS:
                kind = "list" if isinstance(value, list) else "mapping"
                raise ContentError(
                    source_path, f"{name} must be one value, not a {kind}",
                    header_line(self._text, name), f"write it on one line: {name}: ...")
            elif isinstance(value, (dict, list)):
                metadata[name] = value  # nested data (guests, chapters) is kept as is
            elif isinstance(value, bool):
                metadata[name] = value
            else:
                metadata[name] = self._process(name, str(value))
        return metadata
