"""Pure helpers that turn a source file's bytes into text and front matter."""

import re

import yaml

from ..errors import ContentError

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*\n?", re.M | re.S)


def decode_source(raw: bytes, path) -> str:
    """UTF-8 text with a BOM dropped and CRLF/CR line endings normalised."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            path, f"invalid UTF-8 byte 0x{raw[error.start]:02x}", line,
            "save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path):
    """Return ``(metadata dict or None, body, body_first_line)``.

    ``None`` means the file has no YAML front matter and uses Pelican's
    ``Key: value`` headers instead.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---\n"):
            raise ContentError(path, "front matter is not closed", 1,
                               "end it with a line of three dashes: ---")
        return None, text, 1
    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for the opening ---
        problem = getattr(error, "problem", None) or "syntax error"
        raise ContentError(path, f"YAML front matter: {problem}", line,
                           "check indentation and quote values containing ':'") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(path, "YAML front matter must be a mapping of keys to values", 2)
    body_first_line = text.count("\n", 0, match.end()) + 1
    return data, text[match.end():], body_first_line
