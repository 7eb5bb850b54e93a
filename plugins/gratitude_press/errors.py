"""The one error type for bad input: it names the file and line and says what to do."""

import logging
import os


class ContentError(Exception):
    """Bad input in a content or settings file.

    Raise it while reading a file (the build prints its message on one line, without
    a traceback) or log it in later phases: ``logger.error("[concern] %s", error)``.
    """

    def __init__(self, path, message, line=None, hint=None):
        self.path = str(path)
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(str(self))

    def __str__(self):
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def __reduce__(self):
        # Picklable with all its fields: caches and read-ahead workers pickle errors.
        return (self.__class__, (self.path, self.message, self.line, self.hint))

    def relative_to(self, base) -> "ContentError":
        """The same error, its path shown relative to ``base`` (the content folder)."""
        return self.__class__(
            display_path(self.path, base), self.message, self.line, self.hint
        )


class BuildStopped(Exception):
    """The problems were already logged one per line; stop without another message."""


def display_path(path, base) -> str:
    """``path`` relative to ``base`` when it lies inside it, with forward slashes."""
    full, base = os.path.abspath(str(path)), os.path.abspath(str(base))
    try:
        inside = os.path.commonpath([full, base]) == base
    except ValueError:  # different drives on Windows
        inside = False
    return os.path.relpath(full, base).replace(os.sep, "/") if inside else str(path)


def plugin_logger(name) -> logging.Logger:
    """``logging.getLogger(name)`` without Pelican's repeat filter.

    Pelican's loggers drop a warning identical to one seen earlier in the process
    (``LimitLogger``). Each of our messages names one problem in one file, so a
    repeat is a new build (autoreload, a second site in the same process) finding it
    again, and must be shown and counted again.
    """
    logger = logging.getLogger(name)
    if hasattr(logger, "disable_filter"):  # a pelican.log.LimitLogger
        logger.disable_filter()
    return logger
