"""Pure helpers that turn a source file's bytes into text and front matter."""

import re

import yaml

from ..errors import ContentError

FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*\n?", re.M | re.S
)
# A YAML value that YAML itself reads as a date: ``2026-02-30`` or ``2026-02-30 08:30``.
YAML_DATE = re.compile(
    r"^\s*(?P<key>[\w-]+)\s*:\s*['\"]?"
    r"(?P<value>(?P<y>\d{4})-(?P<m>\d\d?)-(?P<d>\d\d?)\b[^'\"\n]*)",
    re.M,
)
DATE_HINT = "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-11-17 08:30"
# Deeper nesting (lists, quotes) is never writing, and Markdown's recursive parser
# would take minutes and gigabytes before it fails.
MAX_NESTING = 32
# C0 controls but tab and line ends, lone surrogates, the two non-characters XML bars
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NESTING = re.compile(r"^(?P<indent>(?:[ ]{4}|\t|[ ]{0,3}>[ ]?)*)", re.M)


class FrontMatterLoader(yaml.SafeLoader):
    """YAML without aliases: ``*name`` lets a few lines expand into gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed",
                self.peek_event().start_mark,
            )
        return super().compose_node(parent, index)


def load_yaml(text):
    return yaml.load(text, Loader=FrontMatterLoader)  # noqa: S506 (a SafeLoader)


def list_item_lines(text, key) -> list[int]:
    """The file line of each entry of the front matter's list ``key`` ([] if none)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return []
    root = yaml.compose(match["yaml"], Loader=FrontMatterLoader)
    for name, value in getattr(root, "value", ()):
        if name.value == key and isinstance(value, yaml.SequenceNode):
            # start_mark counts from 0, and the front matter starts on line 2
            return [item.start_mark.line + 2 for item in value.value]
    return []


def check_characters(text: str, front_matter, path):
    """A ContentError at the first character no page, feed or email may hold (XML
    refuses them): control characters, typed or pasted in, or written as a YAML
    escape ("\\0", "\\e", a lone "\\ud800")."""
    match = UNWRITABLE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise _unwritable(path, match[0], line)
    for key, value in (front_matter or {}).items():
        match = UNWRITABLE.search(_all_text(value))
        if match:
            raise _unwritable(path, match[0], header_line(text, str(key)), f"{key}: ")


def _all_text(value) -> str:
    if isinstance(value, dict):
        return " ".join(map(_all_text, (*value.keys(), *value.values())))
    if isinstance(value, list):
        return " ".join(map(_all_text, value))
    return value if isinstance(value, str) else ""


def _unwritable(path, character, line, where="") -> ContentError:
    return ContentError(
        path,
        f"{where}the character U+{ord(character):04X} cannot be published",
        line,
        "delete it: it often comes with a copy and paste",
    )


def check_nesting(body: str, path, file_line=lambda line: line):
    """A ContentError at the first line nested deeper than ``MAX_NESTING`` levels;
    ``file_line`` maps a line of ``body`` to the file's."""
    for match in NESTING.finditer(body):
        indent = match["indent"]
        levels = indent.count(">") + (len(indent.replace(">", "").expandtabs(4)) // 4)
        if levels > MAX_NESTING:
            line = file_line(1 + body.count("\n", 0, match.start()))
            raise ContentError(
                path,
                f"nested {levels} levels deep",
                line,
                f"keep lists and quotes within {MAX_NESTING} levels",
            )


def decode_source(raw: bytes, path) -> str:
    """UTF-8 text with a BOM dropped and CRLF/CR line endings normalised."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            path,
            f"invalid UTF-8 byte 0x{raw[error.start]:02x}",
            line,
            "save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(path) -> str:
    """A source file's text as the reader sees it, or "" when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return decode_source(handle.read(), path)
    except (OSError, ContentError):
        return ""


def header_lines(text: str, key: str) -> list:
    """Line numbers of every ``key:`` header (front matter or Pelican headers)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:", re.I)
    in_front_matter = text.startswith("---\n")
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if number > 1 and (
            line.strip() in ("---", "...") if in_front_matter else not line.strip()
        ):
            break  # the headers ended
        if pattern.match(line):
            found.append(number)
    return found


def header_line(text: str, key: str):
    """Line number of the first ``key:`` header, or None."""
    return next(iter(header_lines(text, key)), None)


def where_written(text: str):
    """The header to change to move a post's page, and the line to point at:
    ``("Save_as", 3)``, else its slug, else ``("Slug", title's line)`` (the slug is
    made from the title)."""
    for key in ("save_as", "slug"):
        line = header_line(text, key)
        if line is not None:
            return key.capitalize(), line
    return "Slug", header_line(text, "title")


def line_of(text: str, needle: str):
    """Line number of the first occurrence of ``needle``, or None."""
    index = text.find(needle) if needle else -1
    return None if index < 0 else text.count("\n", 0, index) + 1


def split_front_matter(text: str, path):
    """Return ``(metadata dict or None, body, body_first_line)``.

    ``None`` means the file has no YAML front matter and uses Pelican's
    ``Key: value`` headers instead.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---\n"):
            raise ContentError(
                path,
                "front matter is not closed",
                1,
                "end it with a line of three dashes: ---",
            )
        return None, text, 1
    source = match.group("yaml")
    try:
        data = load_yaml(source)
    except yaml.YAMLError as error:
        raise _yaml_error(error, source, path) from None
    except RecursionError:  # [[[[...]]]]: deeper than the parser can go
        raise ContentError(
            path,
            "YAML front matter is nested too deeply",
            _deepest_line(source),
            f"keep values within {MAX_NESTING} levels",
        ) from None
    except ValueError:  # YAML builds dates itself and fails on 2026-02-30
        raise _impossible_date(source, path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            path,
            "YAML front matter must map keys to values",
            2,
            "write one `key: value` per line",
        )
    body_first_line = text.count("\n", 0, match.end()) + 1
    return data, text[match.end() :], body_first_line


def _deepest_line(source) -> int:
    """The file line where brackets first nest deeper than ``MAX_NESTING``."""
    depth = 0
    for index, character in enumerate(source):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(character, 0)
        if depth > MAX_NESTING:
            return source.count("\n", 0, index) + 2  # +1 for the opening ---
    return 2


def _yaml_error(error, source, path) -> ContentError:
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    last_line = source.count("\n")
    if mark is not None and mark.line >= last_line and context is not None:
        mark = context  # "end of stream": the unclosed bracket or quote is more useful
    line = mark.line + 2 if mark is not None else 1  # +1 for the opening ---
    problem = getattr(error, "problem", None) or "syntax error"
    hint = (
        "write each value out in full"
        if "aliases" in problem
        else "check indentation and quote values containing ':'"
    )
    return ContentError(path, f"YAML front matter: {problem}", line, hint)


def _impossible_date(source, path) -> ContentError:
    for match in YAML_DATE.finditer(source):
        try:  # as YAML reads it: 2026-02-30, or an offset of +25:00
            load_yaml(match["value"].strip())
        except (ValueError, yaml.YAMLError):
            line = source.count("\n", 0, match.start("key")) + 2
            return ContentError(
                path,
                f"{match['key']}: {match['value'].strip()!r} is not a valid date",
                line,
                DATE_HINT,
            )
    return ContentError(
        path, "YAML front matter has a value that is not valid", 1, DATE_HINT
    )
