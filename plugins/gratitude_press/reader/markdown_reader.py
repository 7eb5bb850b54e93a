"""Pelican's Markdown reader, extended with YAML front matter and clear errors.

Front matter (``---`` ... ``---``) is needed for nested metadata such as an episode's
guests and chapters; Pelican's ``Key: value`` headers keep working for everything else.
"""

import datetime

from markdown import Markdown
from pelican.readers import MarkdownReader

from ..errors import ContentError
from .source import decode_source, split_front_matter

LIST_FIELDS = {"tags", "authors"}
META_EXTENSION = "markdown.extensions.meta"


class GratitudeMarkdownReader(MarkdownReader):
    """Reads ``.md`` files; the Markdown object of the last read is ``self._md``.

    Concerns that add Markdown before conversion (an episode's thanks become story
    blocks) use ``source_hooks``. Concerns that need per-document data from Markdown extensions (stories) read it
    from ``self._md`` in ``metadata_hooks``: plain functions ``hook(md, metadata,
    source_path)`` run after every read, in registration order.
    """

    metadata_hooks = []
    source_hooks = []  # hook(front_matter or None, body, source_path) -> new body

    def read(self, source_path):
        self._source_path = source_path
        with open(source_path, "rb") as handle:
            text = decode_source(handle.read(), source_path)
        front_matter, body, body_first_line = split_front_matter(text, source_path)
        for hook in self.source_hooks:
            body = hook(front_matter, body, source_path)
        self._md = self._new_markdown(with_meta=front_matter is None)
        self._md.gratitude_source = (source_path, body_first_line)
        content = self._md.convert(body)
        if front_matter is None:
            metadata = self._parse_metadata(getattr(self._md, "Meta", {}))
        else:
            metadata = self._parse_front_matter(front_matter, source_path)
        for hook in self.metadata_hooks:
            hook(self._md, metadata, source_path)
        return content, metadata

    def _new_markdown(self, with_meta):
        config = dict(self.settings["MARKDOWN"])
        extensions = list(config.get("extensions", []))
        if not with_meta and META_EXTENSION in extensions:
            extensions.remove(META_EXTENSION)
        config["extensions"] = extensions
        return Markdown(**config)

    def _parse_front_matter(self, data, source_path):
        formatted_fields = self.settings["FORMATTED_FIELDS"]
        metadata = {}
        for key, value in data.items():
            name = str(key).lower()
            if value is None:
                continue
            if name in formatted_fields:
                self._md.reset()
                metadata[name] = self.process_metadata(name, self._md.convert(str(value)))
            elif name in LIST_FIELDS:
                items = value if isinstance(value, list) else [value]
                metadata[name] = self.process_metadata(name, ", ".join(map(str, items)))
            elif isinstance(value, (datetime.date, datetime.datetime)):
                metadata[name] = self.process_metadata(name, value.isoformat(sep=" ")
                                                       if isinstance(value, datetime.datetime)
                                                       else value.isoformat())
            elif isinstance(value, (dict, list)):
                metadata[name] = value  # nested data (guests, chapters) is kept as is
            elif isinstance(value, bool):
                metadata[name] = value
            else:
                metadata[name] = self.process_metadata(name, str(value))
        if "title" in metadata and not str(metadata["title"]).strip():
            raise ContentError(source_path, "the title is empty", 2, "give the post a title")
        return metadata
