"""Check one ``/// gratitude`` block and place it (pure: text and plain data in, out).

The Markdown extension (``markdown_ext.py``) finds the blocks while Markdown parses a
text and hands each header here: its options are read and checked, the story gets
its anchor, and ``HeaderLines`` says on which line of the text the header sits.
A problem is a ``StoryError`` with the line (1 = first line of the text); the
extension adds the file and the offset of the body.
"""

import difflib
import itertools
import re
import textwrap
from dataclasses import dataclass

import yaml

from .people import person_slug

BLOCK_NAME = "gratitude"
OPTIONS = ("quality", "person", "from", "to", "answers")
# A header "/// gratitude | title" (the name in any case) as the Markdown extension
# finds it in a chunk of text: anywhere on a line of its own, indented by at most three
# spaces, like the other blocks of pymdown-extensions.
STORY_START = re.compile(
    r"(?:^|\n)[ ]{0,3}(?P<slashes>/{3,})[ ]*gratitude[ ]*"
    r"(?:\|[ ]*(?P<argument>.*?)[ ]*)?(?:\n|$)",
    re.IGNORECASE,
)
# Any block header, and the closing line (as many slashes as its header).
HEADER = re.compile(
    r"^[ ]{0,3}(?P<slashes>/{3,})[ ]*(?P<name>[\w-]+)[ ]*"
    r"(?:\|[ ]*(?P<argument>.*?)[ ]*)?$"
)
END = re.compile(r"^[ ]{0,3}(?P<slashes>/{3,})[ ]*$")
# Options: the lines right under the header indented by four spaces or more.
OPTION_LINES = re.compile(r"(?:[ ]{4,}\S.*(?:\n|$))+")
UNINDENTED_OPTION = re.compile(rf"^\s{{0,3}}({'|'.join(OPTIONS)})\s*:", re.IGNORECASE)
# Python-Markdown's fenced code: a fence at the start of a line, closed by the same
# fence. Headers inside are examples, which Markdown never shows the extension.
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
# ``answers:`` names the story a thank-you returns: its id (the anchor, as in its URL
# after #), or ``path#id`` with the path of its file under content/ (``{filename}/``
# may come first, as in Pelican's links). An id never holds spaces, # or /.
REFERENCE = re.compile(
    r"^(?:\{filename\})?/?(?:(?P<path>[^#\s]+)#)?#?"
    r"(?P<id>[^#/\s]+)$"
)
# libyaml reads the options of a long post several times faster; same results.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StoryError(ValueError):
    def __init__(self, message, line=None, hint=None):
        self.message, self.line, self.hint = message, line, hint
        super().__init__(message)

    def at(self, line):
        """The same problem, at ``line`` unless it already names one."""
        return (
            self if self.line is not None else StoryError(self.message, line, self.hint)
        )


@dataclass
class Story:
    """One story as written: checked values, its header line and its anchor."""

    line: int
    title: str
    quality: str  # a configured slug
    person: str
    thanked_by: str = ""
    thanked: str = ""
    answers: str = ""  # the story it answers, as written (see REFERENCE)
    anchor: str = ""

    @property
    def heading(self):
        return self.title or f"Thanks to {self.person}"


def clean(value) -> str:
    """A one-line text value: whitespace collapsed, None as ''."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def known_list(qualities):
    return ", ".join(quality.slug for quality in qualities)


def resolve_quality(value, qualities):
    """The configured slug for ``value`` (a slug or a label, any case)."""
    wanted = clean(value)
    if not wanted:
        raise StoryError(
            "the story has no quality",
            None,
            f"add `    quality: <one of {known_list(qualities)}>` under "
            "the /// gratitude line",
        )
    key = wanted.lower().replace(" ", "-")
    for quality in qualities:
        if key in (quality.slug.lower(), quality.label.lower().replace(" ", "-")):
            return quality.slug
    close = difflib.get_close_matches(key, [q.slug for q in qualities], n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else "use one of the known qualities"
    raise StoryError(
        f"unknown quality {wanted!r}; known qualities: {known_list(qualities)}",
        None,
        hint,
    )


def one_line(name):
    """The validator of a text option: any YAML scalar, as one line of text."""

    def validate(value):
        if isinstance(value, (dict, list)):
            raise StoryError(
                f"the story option {name!r} must be one line of text",
                None,
                "quote it if it contains ':' or starts with '['",
            )
        return clean(value)

    return validate


def split_reference(reference):
    """``(path, id)`` of an ``answers:`` value (path "" for a bare id), or None."""
    match = REFERENCE.match(reference or "")
    return None if match is None else (match["path"] or "", match["id"])


def check_reference(value):
    """The ``answers:`` validator: one line naming a story, as written."""
    if not value:
        return ""
    if split_reference(value) is None:
        raise StoryError(
            f"answers: {value!r} is not a story id",
            None,
            "write the id of the story this one answers (its URL after "
            "#), or posts/file.md#id for a story in another file",
        )
    return value


def option_validators(qualities):
    """``{option: validator}``: each returns the checked value or raises StoryError
    (a ValueError). ``quality`` becomes the configured slug."""
    validators = {name: one_line(name) for name in OPTIONS}
    text = validators["quality"]
    validators["quality"] = lambda value: resolve_quality(text(value), qualities)
    validators["answers"] = lambda value: check_reference(text(value))
    return validators


def split_options(text):
    """``(options source, rest)`` of the text right after a header."""
    match = OPTION_LINES.match(text)
    if match is None:
        return "", text
    return textwrap.dedent(match[0]), text[match.end() :]


def read_options(source, header_line):
    """The options written under the header at ``header_line``: a dict."""
    if not source.strip():
        return {}
    try:
        options = _load_yaml(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = header_line + 1 + (mark.line if mark is not None else 0)
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise StoryError(
            f"story options: {problem}",
            line,
            "write one `key: value` per line; quote values containing ':'",
        ) from None
    if not isinstance(options, dict):
        raise StoryError(
            "the story options must be `key: value` lines",
            header_line + 1,
            "indent each option by four spaces under the /// line",
        )
    return options


def _load_yaml(source):
    try:
        return yaml.load(source, Loader=YAML_LOADER)
    except yaml.YAMLError:
        # libyaml words and places some problems differently: report what the
        # pure-Python loader says, as the build always has.
        return yaml.load(source, Loader=yaml.SafeLoader)


def check_options(options, qualities):
    """The checked values of every option (absent ones as ''), or a StoryError."""
    validators = option_validators(qualities)
    for key in options:
        if str(key) not in validators:
            close = difflib.get_close_matches(str(key), OPTIONS, n=1)
            raise StoryError(
                f"unknown story option {str(key)!r}; known options: "
                f"{', '.join(OPTIONS)}",
                None,
                f"did you mean {close[0]!r}?" if close else None,
            )
    checked = {name: "" for name in OPTIONS}
    for key, value in options.items():
        checked[str(key)] = validators[str(key)](value)
    return checked


def check_header(argument, options_source, rest, line, qualities):
    """The ``Story`` of a header: its title (``argument``), its options as written and
    ``rest`` (the text after them, to spot options written without indentation)."""
    options = read_options(options_source, line)
    if not options and UNINDENTED_OPTION.match(rest):
        raise StoryError(
            "the story options must be indented",
            line + 1,
            "indent `quality:`, `person:`, `from:` and `to:` by four spaces",
        )
    try:
        checked = check_options(options, qualities)
        if not checked["quality"]:
            resolve_quality("", qualities)  # raises: the story has no quality
    except StoryError as error:
        raise error.at(line) from None
    if not checked["person"]:
        raise StoryError(
            "the story has no person",
            line,
            "add `    person: Full Name` (who the story is about) under "
            "the /// gratitude line",
        )
    if checked["answers"] and not checked["from"]:
        # Only a known giver can be checked against the story answered.
        raise StoryError(
            "a story that answers another needs `from:`",
            line,
            "add `    from: Full Name` (who thanks back) under the /// gratitude line",
        )
    return Story(
        line=line,
        title=clean(argument),
        quality=checked["quality"],
        person=checked["person"],
        thanked_by=checked["from"],
        thanked=checked["to"],
        answers=checked["answers"],
    )


def check_not_self(story):
    """A StoryError when ``story`` (its anchor assigned) answers itself by bare id;
    the path form is checked when every story is known."""
    if split_reference(story.answers) == ("", story.anchor):
        raise StoryError(
            "a story cannot answer itself",
            story.line,
            "write the id of the story this one answers",
        )


class BlockEnd:
    """Finds the line that closes a story: an end line with as many slashes as its
    header, other blocks (``/// details``) nested inside closing first."""

    def __init__(self, slashes):
        self.slashes = slashes
        self.nested = []  # the slash counts of the blocks open inside the story

    def closes(self, line):
        """Whether ``line`` ends the story; the header of a story inside it is a
        StoryError (its line is for the caller to add)."""
        if end := END.match(line):
            length = len(end["slashes"])
            if self.nested:
                if length == self.nested[-1]:
                    self.nested.pop()
                return False
            return length == self.slashes
        if header := HEADER.match(line):
            if header["name"].lower() == BLOCK_NAME:
                raise StoryError(
                    "a story cannot contain another story",
                    None,
                    "close the first story with /// before the next",
                )
            self.nested.append(len(header["slashes"]))
        return False


def header_titles(lines):
    """``[(line, title)]`` of every story header of the text as written, in order.

    Headers inside fenced code are left out; indented or quoted ones (a story in a
    list item or a block quote) are kept.
    """
    found, fence = [], None
    for number, line in enumerate(lines, 1):
        if fence is not None:
            if line.rstrip(" ") == fence:
                fence = None
        elif opening := FENCE.match(line):
            fence = (
                opening["fence"] if _closed(lines, number, opening["fence"]) else None
            )
        elif (
            "///" in line
            and (header := HEADER.match(line.lstrip(" >").rstrip()))
            and header["name"].lower() == BLOCK_NAME
        ):
            found.append((number, clean(header["argument"])))
    return found


def _closed(lines, after, fence):
    """Whether a fence opened on line ``after`` is closed (else it is just text)."""
    return any(
        line.rstrip(" ") == fence for line in itertools.islice(lines, after, None)
    )


class HeaderLines:
    """The line of each story header, handed out in document order.

    Markdown's block parser does not know lines, but it meets the headers in the order
    they are written; matching titles skips a header Markdown never sees as a story
    (one in an indented code block or a raw HTML block).
    """

    def __init__(self, lines):
        self.headers = header_titles(lines)
        self.next = 0

    def take(self, title):
        for index in range(self.next, len(self.headers)):
            line, written = self.headers[index]
            if written == title:
                self.next = index + 1
                return line
        return None


def anchor_base(story, regex_subs=()):
    base = person_slug(f"{story.person} {story.title or story.quality}", regex_subs)
    return base or "story"


def assign_anchor(story, used, regex_subs=()):
    """Give ``story`` an ``id`` made of its own words, not in ``used`` (then add it).

    Person and title (or quality) make the anchor, so adding a story elsewhere never
    changes it; a clash adds who gave thanks, then a number, in document order.
    """
    base = anchor_base(story, regex_subs)
    giver = person_slug(story.thanked_by, regex_subs) if story.thanked_by else ""
    candidates = itertools.chain(
        [base],
        [f"{base}-from-{giver}"] if giver else [],
        (f"{base}-{number}" for number in itertools.count(2)),
    )
    story.anchor = next(anchor for anchor in candidates if anchor not in used)
    used.add(story.anchor)
    return story
