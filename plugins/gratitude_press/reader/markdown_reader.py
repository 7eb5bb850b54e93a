"""Pelican's Markdown reader, extended with YAML front matter and clear errors.

Front matter (``---`` ... ``---``) is needed for nested metadata such as an episode's
guests and chapters; Pelican's ``Key: value`` headers keep working for everything else.
Either way, a bad value stops with ``path:line: problem (what to do)``, and Markdown
fields such as ``Summary`` keep their Markdown but show raw HTML as text.

This is where the concerns' per-file work happens, in one read of the file: an
episode's thanks become story blocks (podcast), stories are rendered and collected by
the Markdown extension (stories), an episode's facts are checked (podcast) and the
``Newsletter:`` flag is checked (newsletter). Everything lands in the metadata as
plain data, so Pelican's reader cache keeps it.

A file that cannot be read is handed back to Pelican with ``status: skip`` (Pelican
leaves such files out without a message of its own). Its problem, and every warning
of the read (an image without alt text, a header given twice), is not logged here:
the reader keeps them in the metadata (``PROBLEMS_KEY``, plain tuples) and
``report_problems`` logs them when Pelican hands the metadata to the generator. That
happens on every build, whether the file was read or its read came from Pelican's
reader cache (``CACHE_CONTENT``, used by dev builds), so a cached read never drops a
message. A logged error fails the build.
"""

import datetime
import logging
import os
import re
import warnings

from dateutil.parser import UnknownTimezoneWarning
from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

from ..errors import ContentError, plugin_logger
from ..newsletter.model import newsletter_flag
from ..paths import OutsideError, source_inside
from ..podcast.reading import episode_metadata, with_thanks
from ..safe_markup import SafeMarkupExtension
from ..settings import config_of
from ..stories.markdown_ext import GratitudeExtension, StorySource, stories_of
from .source import (
    DATE_HINT,
    check_characters,
    check_nesting,
    decode_source,
    header_line,
    header_lines,
    line_of,
    list_item_lines,
    split_front_matter,
)

logger = plugin_logger(__name__)

LIST_FIELDS = {"tags", "authors"}
# Fields Pelican reads as one value: a YAML list or mapping there is a mistake.
SINGLE_VALUE_FIELDS = {
    "title",
    "date",
    "modified",
    "status",
    "category",
    "author",
    "slug",
    "summary",
    "lang",
    "template",
    "save_as",
    "url",
}
META_EXTENSION = "markdown.extensions.meta"
VALUE_HINTS = {"date": DATE_HINT, "modified": DATE_HINT}
STATUSES = ("published", "hidden", "draft")
MIN_YEAR, MAX_YEAR = 1000, 9000
# An <img> whose alt is empty (Pelican's own check says which file, not which line).
EMPTY_ALT = re.compile(r"""<img\b(?=[^>]*\salt=(["'])\1)[^>]*\ssrc=(["'])(.*?)\2""")
# The metadata key of a read's problems: a tuple of (logging level, one-line message).
PROBLEMS_KEY = "gratitude_read_problems"


def with_problems(metadata, problems):
    """``metadata`` with the read's ``problems`` kept in it (``report_problems``)."""
    if problems:
        metadata[PROBLEMS_KEY] = tuple(problems)
    return metadata


def report_problems(sender, metadata):
    """Log the problems of one file's read (``article_generator_context`` and
    ``page_generator_context``: Pelican sends them for every file it reads, from
    the file or from its reader cache, before it drops a skipped one), and take
    them out of the metadata: they are not the content's."""
    for level, message in metadata.pop(PROBLEMS_KEY, ()):
        logger.log(level, "%s", message)


class GratitudeMarkdownReader(MarkdownReader):
    """Reads ``.md`` files: one instance per generator, one Markdown object per kind."""

    def __init__(self, settings):
        super().__init__(settings)
        self.config = config_of(settings)
        self._markdowns = {}  # kind -> Markdown object, see _markdown
        self._problems = []  # of the file being read

    def read(self, source_path):
        """Pelican's entry point: problems kept in the metadata, never raised."""
        try:
            return self._parse_keeping_problems(source_path)
        except Exception as error:
            if self.settings.get("DEBUG"):
                raise
            self._problems.append(
                (
                    logging.ERROR,
                    describe_read_error(error, source_path, self.settings["PATH"]),
                )
            )
            return "", with_problems({"status": "skip"}, self._problems)

    def parse(self, source_path):
        """``(html, metadata)`` of one file, its warnings logged now, or a
        ContentError (for callers other than Pelican's generators)."""
        content, metadata = self._parse_keeping_problems(source_path)
        report_problems(self, metadata)
        return content, metadata

    def _parse_keeping_problems(self, source_path):
        self._problems = []  # (level, message): see PROBLEMS_KEY
        content, metadata = self._parse(source_path)
        return content, with_problems(metadata, self._problems)

    def _warn(self, error):
        """Keep a warning (a ContentError) of this read, for ``report_problems``."""
        self._problems.append(
            (logging.WARNING, str(error.relative_to(self.settings["PATH"])))
        )

    def _parse(self, source_path):
        """``(html, metadata)`` of one file, or a ContentError (``read`` reports it)."""
        self._source_path = source_path
        try:
            source_inside(self.settings["PATH"], source_path)
        except OutsideError as error:
            raise ContentError(
                source_path,
                error.reason,
                None,
                "copy the file into content/ instead of linking to it",
            ) from None
        with open(source_path, "rb") as handle:
            text = decode_source(handle.read(), source_path)
        self._text = text
        front_matter, body, body_first_line = split_front_matter(text, source_path)
        check_characters(text, front_matter, source_path)
        podcast = self.config.podcast
        added = ()
        if podcast is not None and front_matter and front_matter.get("thanks"):
            body, added = with_thanks(
                front_matter,
                body,
                source_path,
                text,
                podcast,
                list_item_lines(text, "thanks"),
            )
        source = StorySource(source_path, body_first_line, added)
        check_nesting(body, source_path, source.file_line)  # the thanks' bodies too
        kind = "headers" if front_matter is None else "body"
        md = self._markdown(kind)
        md.gratitude_source = source
        content = self._convert(kind, body)
        if front_matter is None:
            metadata = self._parse_metadata(getattr(md, "Meta", {}))
        else:
            metadata = self._parse_front_matter(front_matter, source_path)
        self._check_required(metadata, source_path, text)
        metadata["gratitude_stories"] = stories_of(md)
        if podcast is not None:
            metadata.update(episode_metadata(metadata, source_path, text, podcast))
        if "newsletter" in metadata:
            newsletter_flag(
                metadata["newsletter"], source_path, header_line(text, "newsletter")
            )
        self._warn_empty_alt(content, source_path, text)
        return content, metadata

    # --- checks Pelican would make later, without saying where --------------------
    def _check_required(self, metadata, source_path, text):
        if "title" not in metadata:
            raise ContentError(
                source_path,
                "the title is missing",
                None,
                "add a title line at the top, e.g. Title: What the week needs",
            )
        if not str(metadata["title"]).strip():
            raise ContentError(
                source_path,
                "the title is empty",
                header_line(text, "title"),
                "give the post a title",
            )
        status = metadata.get("status", self.settings.get("DEFAULT_STATUS"))
        if status is not None and status not in (*STATUSES, "skip"):
            raise ContentError(
                source_path,
                f"unknown status {status!r}",
                header_line(text, "status"),
                "use " + ", ".join(STATUSES),
            )
        for key in ("save_as", "url", "slug", "lang"):
            value = str(metadata.get(key) or "").replace("\\", "/")
            if value.startswith("/") or ".." in value.split("/"):
                raise ContentError(
                    source_path,
                    f"{key}: {value!r} leads outside the site",
                    header_line(text, key),
                    f"write {key} relative to the site, without .. or /",
                )
            if key != "lang" and re.search(r"[#?%]", value):  # a URL would cut there
                raise ContentError(
                    source_path,
                    f"{key}: {value!r} holds # ? or %, which end or escape a URL",
                    header_line(text, key),
                    "use letters, digits and - in it",
                )
        template = str(metadata.get("template") or "")
        if re.search(r"[/\\]|^\.", template):
            raise ContentError(
                source_path,
                f"template: {template!r} is not the name of a template",
                header_line(text, "template"),
                "give a name from theme/templates/, e.g. Template: page",
            )
        if "date" not in metadata and self._needs_date(source_path):
            raise ContentError(
                source_path,
                "the date is missing",
                None,
                "add a date line at the top, e.g. Date: 2026-11-17 08:30",
            )

    def _needs_date(self, source_path):
        """An article (under ARTICLE_PATHS) needs a date unless the settings or the
        file name give one."""
        if self.settings.get("DEFAULT_DATE") is not None:
            return False
        relative = os.path.relpath(source_path, self.settings["PATH"])
        folders = [os.path.normpath(path) for path in self.settings["ARTICLE_PATHS"]]
        in_articles = any(
            folder in (".", "")
            or relative == folder
            or relative.startswith(folder + os.sep)
            for folder in folders
        )
        pattern = self.settings.get("FILENAME_METADATA")
        name = os.path.splitext(os.path.basename(source_path))[0]
        match = re.match(pattern, name) if pattern else None
        return in_articles and not (match and match.groupdict().get("date"))

    def _warn_empty_alt(self, content, source_path, text):
        for match in EMPTY_ALT.finditer(content or ""):
            image = match.group(3)
            self._warn(
                ContentError(
                    source_path,
                    f"the image {os.path.basename(image)} has no alt text",
                    line_of(text, image),
                    "describe what it shows: ![a team at a whiteboard](...)",
                )
            )

    # --- Markdown -------------------------------------------------------------------
    def _new_markdown(self, with_meta, with_stories):
        config = dict(self.settings["MARKDOWN"])
        extensions = list(config.get("extensions", []))
        if not with_meta and META_EXTENSION in extensions:
            extensions.remove(META_EXTENSION)
        if with_stories and self.config.stories is not None:
            extensions.append(GratitudeExtension(self.config.stories))
        extensions.append(SafeMarkupExtension())
        config["extensions"] = extensions
        return Markdown(**config)

    def _markdown(self, kind):
        """This reader's Markdown object for ``kind``, reset for a new document:
        "headers" (a body after Pelican headers: with the meta extension), "body"
        (after front matter: without it) or "field" (metadata fields: no raw HTML,
        no stories).

        Building a Markdown object with every extension costs more than converting a
        short post, so each reader keeps one per kind. ``Markdown.reset()`` resets
        every registered extension, the stories extension included.
        """
        md = self._markdowns.get(kind)
        if md is None:
            md = self._new_markdown(
                with_meta=kind == "headers", with_stories=kind != "field"
            )
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

    # --- metadata -------------------------------------------------------------------
    def _process(self, name, value):
        """Pelican's processing of one value, failing with the header's line."""
        try:
            with warnings.catch_warnings():
                # dateutil drops a zone name it does not know ("EST") with a warning
                warnings.simplefilter("error", UnknownTimezoneWarning)
                processed = self.process_metadata(name, value)
            if isinstance(processed, datetime.datetime):
                check_date(processed)
            return processed
        except UnknownTimezoneWarning:
            raise ContentError(
                self._source_path,
                f"{name}: {value!r} names a time zone that is not known",
                header_line(self._text, name),
                "write the offset, e.g. 2026-03-02 09:00-05:00, or "
                "leave it out to use TIMEZONE",
            ) from None
        except Exception as error:
            text = value if isinstance(value, str) else ", ".join(map(str, value))
            shown, said = repr(text), str(error)
            problem = said if shown in said else f"{shown} is not valid ({said})"
            raise ContentError(
                self._source_path,
                f"{name}: {problem}",
                header_line(self._text, name),
                VALUE_HINTS.get(name, f"fix the {name} value"),
            ) from None

    def _parse_metadata(self, meta):
        """Pelican's ``Key: value`` headers (same rules as Pelican, clearer errors)."""
        formatted_fields = self.settings["FORMATTED_FIELDS"]
        output = {}
        for name, value in meta.items():
            name = name.lower()
            if name in formatted_fields:
                output[name] = self._process(name, self._render_field("\n".join(value)))
                continue
            if len(value) > 1 and not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                lines = header_lines(self._text, name)
                self._warn(
                    ContentError(
                        self._source_path,
                        f"Duplicate definition of `{name}`: the first one is used",
                        lines[1] if len(lines) > 1 else None,
                        f"keep one {name} line",
                    )
                )
                value = value[:1]
            output[name] = self._process(name, value if len(value) > 1 else value[0])
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
                    source_path,
                    f"{name} must be one value, not a {kind}",
                    header_line(self._text, name),
                    f"write it on one line: {name}: ...",
                )
            elif isinstance(value, (dict, list, bool)):
                metadata[name] = value  # nested data (guests, chapters) is kept as is
            else:
                metadata[name] = self._process(name, str(value))
        return metadata


def check_date(moment):
    """Dates that later arithmetic (time zones, weeks of the digest) can handle."""
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"the year must be from {MIN_YEAR} to {MAX_YEAR}")
    moment.utcoffset()  # ValueError for an offset of a day or more


def describe_read_error(error, source_path, content_path) -> str:
    """One line for a file that could not be read, relative to the content folder."""
    if isinstance(error, ContentError):
        return str(error.relative_to(content_path))
    shown = ContentError(
        source_path,
        f"{error.__class__.__name__}: {error}",
        hint="rerun with --debug for a traceback",
    )
    return str(shown.relative_to(content_path))
