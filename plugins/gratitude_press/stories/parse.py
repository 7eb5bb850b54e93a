"""Find and check the ``/// gratitude`` blocks of a Markdown text (pure: no Pelican).

pymdown-extensions' Blocks API renders the blocks, but it cannot tell where a block
is, and it silently shows a block with a bad option as plain text. So the text is
scanned once before rendering: every story header with its line, its options checked
and its anchor fixed. A problem is a ``StoryError`` with the line (1 = first line of
the text); the Markdown extension adds the file and the offset of the body.
"""

import difflib
import itertools
import re
import textwrap
from dataclasses import dataclass

import yaml

from .people import person_slug

BLOCK_NAME = "gratitude"
OPTIONS = ("quality", "person", "from", "to")
# Same shapes as pymdownx.blocks: a header "/// name | argument", options indented by
# four spaces right under it, and an end line of as many slashes as the header.
HEADER = re.compile(r"^[ ]{0,3}(?P<slashes>/{3,})[ ]*(?P<name>[\w-]+)[ ]*"
                    r"(?:\|[ ]*(?P<argument>.*?)[ ]*)?$")
END = re.compile(r"^[ ]{0,3}(?P<slashes>/{3,})[ ]*$")
OPTION_LINE = re.compile(r"^[ ]{4,}\S")
FENCE = re.compile(r"^[ ]{0,3}(?P<fence>`{3,}|~{3,})")
UNINDENTED_OPTION = re.compile(rf"^\s{{0,3}}({'|'.join(OPTIONS)})\s*:", re.I)


class StoryError(ValueError):
    def __init__(self, message, line=None, hint=None):
        self.message, self.line, self.hint = message, line, hint
        super().__init__(message)


@dataclass
class StorySource:
    """One story as written: checked values, its header line and its anchor."""

    line: int
    title: str
    quality: str  # a configured slug
    person: str
    thanked_by: str = ""
    thanked: str = ""
    anchor: str = ""

    @property
    def heading(self):
        return self.title or f"Thanks to {self.person}"

    def matches(self, title, options):
        """Whether pymdownx's parsed block is this story (same title and person)."""
        return (self.title == clean(title)
                and self.person == clean((options or {}).get("person")))


def clean(value) -> str:
    """A one-line text value: whitespace collapsed, None as ''."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def known_list(qualities):
    return ", ".join(quality.slug for quality in qualities)


def resolve_quality(value, qualities, line=None):
    """The configured slug for ``value`` (a slug or a label, any case)."""
    wanted = clean(value)
    if not wanted:
        raise StoryError("the story has no quality", line,
                         f"add `    quality: <one of {known_list(qualities)}>` under "
                         "the /// gratitude line")
    key = wanted.lower().replace(" ", "-")
    for quality in qualities:
        if key in (quality.slug.lower(), quality.label.lower().replace(" ", "-")):
            return quality.slug
    close = difflib.get_close_matches(key, [q.slug for q in qualities], n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else "use one of the known qualities"
    raise StoryError(f"unknown quality {wanted!r}; known qualities: "
                     f"{known_list(qualities)}", line, hint)


def check_options(options, qualities, line, title=""):
    """A ``StorySource`` from the parsed YAML options of a block, or a StoryError."""
    if not isinstance(options, dict):
        raise StoryError("the story options must be `key: value` lines", line + 1,
                         "indent each option by four spaces under the /// line")
    for key, value in options.items():
        if str(key) not in OPTIONS:
            close = difflib.get_close_matches(str(key), OPTIONS, n=1)
            raise StoryError(f"unknown story option {str(key)!r}; known options: "
                             f"{', '.join(OPTIONS)}", line,
                             f"did you mean {close[0]!r}?" if close else None)
        if isinstance(value, (dict, list)):
            raise StoryError(f"the story option {key!r} must be one line of text", line,
                             "quote it if it contains ':' or starts with '['")
    quality = resolve_quality(options.get("quality"), qualities, line)
    person = clean(options.get("person"))
    if not person:
        raise StoryError("the story has no person", line,
                         "add `    person: Full Name` (who the story is about) under "
                         "the /// gratitude line")
    return StorySource(line=line, title=clean(title), quality=quality, person=person,
                       thanked_by=clean(options.get("from")),
                       thanked=clean(options.get("to")))


# The common shape of story options, which YAML reads as plain strings: a known key,
# then a value that starts with a letter and holds no character YAML treats specially
# (": ", " #", quotes, brackets...). Anything else goes to YAML.
SIMPLE_OPTION = re.compile(rf"({'|'.join(OPTIONS)}):[ ]+([^\W\d_][\w .,'’()-]*?)[ ]*")
# Plain words YAML 1.1 reads as booleans or null.
YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}


def simple_options(source):
    """What ``yaml.safe_load(source)`` gives for options of the common shape, or None
    (then ask YAML). Parsing YAML is a large part of reading a post with stories."""
    lines = source.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    options = {}
    for line in lines:
        match = SIMPLE_OPTION.fullmatch(line)
        if match is None or match[2].lower() in YAML_WORDS:
            return None
        options[match[1]] = match[2]
    return options or None


def _options(lines, start, header_line):
    """Parse the indented YAML option lines from ``start``; return (options, next)."""
    end = start
    while end < len(lines) and OPTION_LINE.match(lines[end]):
        end += 1
    if end == start:
        return {}, end
    source = textwrap.dedent("\n".join(lines[start:end]))
    options = simple_options(source)
    if options is not None:
        return options, end
    try:
        options = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = header_line + 1 + (mark.line if mark is not None else 0)
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise StoryError(f"story options: {problem}", line,
                         "write one `key: value` per line; quote values containing ':'"
                         ) from None
    return options if options is not None else {}, end


def scan(text, qualities, regex_subs=()):
    """Every ``/// gratitude`` block of ``text`` in order, checked, with anchors.

    Blocks inside fenced code are examples, not stories, and are skipped. Other
    pymdownx blocks (``/// details`` ...) may be nested inside a story and vice versa.
    """
    lines = [line.expandtabs(4) for line in text.split("\n")]
    stories, open_blocks, fence = [], [], None  # open_blocks: [slashes, story, body]
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if fence:
            if line.lstrip(" ").startswith(fence) and not line.strip(fence[0] + " "):
                fence = None
            if open_blocks:
                open_blocks[-1][2].append(line)
            continue
        if match := FENCE.match(line):
            fence = match["fence"]
            if open_blocks:
                open_blocks[-1][2].append(line)
            continue
        if (end := END.match(line)) and open_blocks \
                and len(end["slashes"]) == open_blocks[-1][0]:
            slashes, story, body = open_blocks.pop()
            if story is not None and not any(row.strip() for row in body):
                raise StoryError("the story has no text", story.line,
                                 "write the story between its options and the closing "
                                 + "/" * slashes)
            if open_blocks:  # the nested block is content of the outer one
                open_blocks[-1][2].extend(body + [line])
            continue
        header = HEADER.match(line)
        if header is None:
            if open_blocks:
                open_blocks[-1][2].append(line)
            continue
        story = None
        if header["name"].lower() == BLOCK_NAME:
            if any(block[1] for block in open_blocks):
                raise StoryError("a story cannot contain another story", number,
                                 "close the first story with /// before the next")
            options, next_index = _options(lines, number, number)
            if not options and next_index < len(lines) \
                    and UNINDENTED_OPTION.match(lines[next_index]):
                raise StoryError("the story options must be indented", number + 1,
                                 "indent `quality:`, `person:`, `from:` and `to:` by "
                                 "four spaces")
            story = check_options(options, qualities, number, header["argument"])
            stories.append(story)
            number = next_index
        elif open_blocks:
            open_blocks[-1][2].append(line)
        open_blocks.append([len(header["slashes"]), story, []])
    for slashes, story, _ in open_blocks:
        if story is not None:
            raise StoryError("the story is not closed", story.line,
                             f"end it with a line of {'/' * slashes}")
    assign_anchors(stories, regex_subs)
    return stories


def anchor_base(story, regex_subs=()):
    base = person_slug(f"{story.person} {story.title or story.quality}", regex_subs)
    return base or "story"


def assign_anchors(stories, regex_subs=(), taken=()):
    """Give each story an ``id`` made of its own words, unique in the document.

    Person and title (or quality) make the anchor, so adding a story elsewhere never
    changes it; a clash adds who gave thanks, then a number, in document order.
    """
    used = set(taken)
    for story in stories:
        base = anchor_base(story, regex_subs)
        giver = person_slug(story.thanked_by, regex_subs) if story.thanked_by else ""
        candidates = itertools.chain(
            [base], [f"{base}-from-{giver}"] if giver else [],
            (f"{base}-{number}" for number in itertools.count(2)))
        story.anchor = next(anchor for anchor in candidates if anchor not in used)
        used.add(story.anchor)
    return stories
