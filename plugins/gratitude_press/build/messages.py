"""Turn Pelican's log records into our one line: ``path:line: problem (what to do)``.

Pelican logs a file it could not read as ``Could not process <file>`` and drops the
exception's message unless ``--debug`` is on; it names skipped files by absolute path
and spreads duplicate-slug warnings over several lines. This filter rewrites those
records in place, so the console and the strict-mode counter see the same text.
"""

import logging
import sys

from ..errors import ContentError, display_path
from ..reader.source import header_line, line_of, read_source

MISSING_PROPERTY_HINTS = {
    "title": "add a title line at the top, e.g. Title: What the week needs",
    "date": "add a date line at the top, e.g. Date: 2026-11-17 08:30",
}


def describe_exception(error: BaseException, content_path) -> str:
    if isinstance(error, ContentError):
        return str(error.relative_to(content_path))
    return f"{error.__class__.__name__}: {error} (rerun with --debug for a traceback)"


class OneLineMessages(logging.Filter):
    """Attach to every handler of the build; idempotent, as handlers share a record."""

    def __init__(self, content_path):
        super().__init__()
        self.content_path = content_path

    def filter(self, record):
        if not getattr(record, "gratitude_checked", False):
            record.gratitude_checked = True
            try:
                record.gratitude_keep = self._rewrite(record)
            except Exception:  # a record shaped unlike Pelican's: show it as it is
                record.gratitude_keep = True
        return record.gratitude_keep

    def _rewrite(self, record) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        if message == "Could not process %s":
            error = sys.exc_info()[1]  # the filter runs inside Pelican's except block
            if error is not None:
                record.msg = "%s"
                record.args = (self._unreadable(record.args[0], error),)
        elif message.startswith("Skipping %s: could not find information about"):
            content, prop = record.args
            path = self._path(content)
            hint = MISSING_PROPERTY_HINTS.get(prop, f"add a {prop} line at the top")
            record.msg, record.args = "%s", (f"{path}: the {prop} is missing ({hint})",)
        elif message.startswith("Unknown status '%s' for file %s"):
            status, content, allowed = record.args
            path = getattr(content, "source_path", str(content))
            error = ContentError(
                display_path(path, self.content_path), f"unknown status {status!r}",
                header_line(read_source(path), "status"),
                "use " + ", ".join(s for s in allowed if s != "skip"))
            record.msg, record.args = "%s", (str(error),)
        elif message.startswith("Skipping %s: file %r would be written outside"):
            content, save_as = record.args
            hint = ("fix its Slug:" if getattr(content, "title", None)
                    else "give it a title or a Slug: line")
            record.msg, record.args = "%s", (
                f"{self._path(content)}: its page would be written to {save_as!r}, "
                f"outside the site ({hint})",)
        elif message == "Empty alt attribute for image %s in %s":
            image, path = record.args
            error = ContentError(
                display_path(path, self.content_path),
                f"the image {image} has no alt text",
                line_of(read_source(path), image),
                "describe what it shows: ![a team at a whiteboard](...)")
            record.msg, record.args = "%s", (str(error),)
        elif record.name == "pelican.utils" and message.startswith("There are %s "):
            return False  # duplicate slugs: the checks concern reports them on one line
        elif message.startswith("Cannot get modification stamp") and isinstance(
                record.args[-1], FileNotFoundError):
            return False  # a linked file that is missing: the checks concern reports it
        elif isinstance(record.args, tuple):
            record.args = tuple(arg.relative_to(self.content_path)
                                if isinstance(arg, ContentError) else arg
                                for arg in record.args)
        return True

    def _path(self, content) -> str:
        path = getattr(content, "source_path", content)
        return display_path(path, self.content_path)

    def _unreadable(self, path, error) -> str:
        text = describe_exception(error, self.content_path)
        return text if isinstance(error, ContentError) else f"{path}: {text}"
