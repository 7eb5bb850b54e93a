"""The one error type for bad input: it names the file and line and says what to do."""


class ContentError(Exception):
    """Bad input in a content or settings file.

    Pelican logs the message of an exception raised while reading a file without a
    traceback, so the message alone must let a writer fix the problem.
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
