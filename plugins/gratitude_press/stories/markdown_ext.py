"""The ``/// gratitude`` block: a Python-Markdown block processor that renders stories.

```
/// gratitude | Optional title
    quality: unexpected
    person: Dana Whitfield
    from: Marcus Lee
    to: Dana Whitfield

Markdown body.
///
```

Each story is read once, by the block processor, while Markdown parses the text: its
options are checked (``check.py``), its section is built, and its body is parsed by
Markdown into the section. After the tree processors, the finished body of each story
is copied into the story data. The syntax is that of pymdown-extensions' blocks, but
pymdownx's ``Block`` is not used: its parser walks the whole document for every chunk
of a block (its time grows with the square of the number of stories: 5 s of a post
with 2,000) and shows a block with a bad option as plain text instead of saying what
is wrong.

One extension instance may serve several ``Markdown`` objects, so what the extension
knows about a document lives on the ``Markdown`` object: ``md.gratitude`` (created
for each conversion) and the result, ``md.gratitude_stories`` (plain dicts, read with
``stories_of``). The reader sets ``md.gratitude_source`` (a ``StorySource``)
so errors name the line of the file.
"""

import xml.etree.ElementTree as etree
from typing import NamedTuple

from bs4 import BeautifulSoup
from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..errors import ContentError
from .check import (
    STORY_START,
    BlockEnd,
    HeaderLines,
    StoryError,
    assign_anchor,
    check_header,
    check_not_self,
    clean,
    split_options,
)
from .people import person_slug, person_url
from .settings import StoriesConfig, default_config

# Links in story headers point at pages that are not content files. Pelican resolves
# ``{filename}`` links on every page it renders (relative or absolute, as configured),
# so the header uses them and the adapter registers these paths as link targets.
TARGET_ROOT = ".gratitude/"
HEADINGS = {f"h{level}" for level in range(1, 7)}
BODY_CLASS = "gratitude-story-body"
# The parser state while a story's body is parsed: not "list" (a story in a tight list
# item still gets paragraphs) and not "detabbed" (lists inside the body still nest).
BODY_STATE = "gratitude-story"
# Priorities. The index must see the text as written (before every preprocessor). The
# processor runs right after list items are detabbed, as pymdownx's blocks do. Heading
# levels are set once footnotes are in the tree (50) and before the toc extension
# reads the headings (5); the data is taken after every other tree processor
# (Python-Markdown's last is at 0), from the finished bodies.
INDEX_PRIORITY = 40
BLOCK_PRIORITY = 89.99
HEADINGS_PRIORITY = 45
COLLECT_PRIORITY = -100


def target_href(url):
    return "{filename}/" + TARGET_ROOT + url


class OpenStory:
    """A story whose closing line the processor has not met yet."""

    def __init__(self, parent, body, slashes, line):
        self.parent, self.body, self.line = parent, body, line
        self.end = BlockEnd(slashes)
        self.has_text = False
        self.hungry = False  # waiting for chunks that come later (inside a list item)


class DocumentState:
    """What the extension knows about the text one ``Markdown`` object converts."""

    def __init__(self, config, lines):
        self.config = config
        self.headers = HeaderLines(lines)
        self.anchors = set()
        self.stories = []  # (Story, section, heading, body), in document order
        self.open = None  # an OpenStory

    def header_line(self, title):
        return self.headers.take(clean(title))


class StorySource(NamedTuple):
    """Where the text being converted comes from: the file, the file line of the
    body's first line and, for the stories the build added after the body (an
    episode's thanks), the body line of each one's header with the file line of the
    entry it was made from."""

    path: str
    first_body_line: int = 1
    added: tuple[tuple[int, int], ...] = ()

    def file_line(self, body_line):
        if body_line is None:
            return None
        for header_line, written_at in reversed(self.added):
            if body_line >= header_line:
                return written_at
        return self.first_body_line + body_line - 1


def source_of(md) -> StorySource:
    return StorySource(*getattr(md, "gratitude_source", ("<markdown>", 1)))


def _error(md, error):
    """A ContentError at the story's line in the source file."""
    source = source_of(md)
    return ContentError(
        source.path, error.message, source.file_line(error.line), error.hint
    )


class IndexHeaders(Preprocessor):
    """Starts each conversion: a new document state with the line of every header,
    taken from the text as written so that lines match the file."""

    def __init__(self, md, config):
        super().__init__(md)
        self.config = config

    def run(self, lines):
        self.md.gratitude = DocumentState(self.config, lines)
        self.md.gratitude_stories = []
        return lines


class StoryProcessor(BlockProcessor):
    """Reads a story from its header to its closing line, once.

    The body is parsed into the story's section as Markdown. When the parser hands
    the text over one chunk at a time (a story in a list item), the story stays open
    and takes the next chunks placed under the same element, as pymdownx does.
    """

    def __init__(self, parser, md):
        super().__init__(parser)
        self.md = md

    def test(self, parent, block):
        return self._continues(parent) or STORY_START.search(block) is not None

    def run(self, parent, blocks):
        try:
            if self._continues(parent):
                self._take_body(self.md.gratitude.open, blocks)
            else:
                self._open(parent, blocks)
        except StoryError as error:
            raise _error(self.md, error) from None

    def _continues(self, parent):
        """Whether an open story waits for the content placed at ``parent``: its
        parent is ``parent`` or the last element along ``parent``'s last children."""
        story = self.md.gratitude.open
        if story is None or not story.hungry:
            return False
        element = parent
        while element is not None and element is not story.parent:
            element = self.lastChild(element)
        return element is not None

    def _open(self, parent, blocks):
        state = self.md.gratitude
        block = blocks.pop(0)
        header = STORY_START.search(block)
        if header.start() > 0:  # text before the header, in the same chunk
            self.parser.parseBlocks(parent, [block[: header.start()]])
        line = state.header_line(header["argument"])
        if state.open is not None:
            raise StoryError(
                "a story cannot contain another story",
                line,
                "close the first story with /// before the next",
            )
        options, rest = split_options(block[header.end() :])
        story = check_header(
            header["argument"], options, rest, line, state.config.qualities
        )
        assign_anchor(story, state.anchors, state.config.regex_subs)
        check_not_self(story)
        section, heading, body = story_section(parent, story, state.config)
        state.stories.append((story, section, heading, body))
        state.open = OpenStory(parent, body, len(header["slashes"]), line)
        if rest:
            blocks.insert(0, rest)
        self._take_body(state.open, blocks)

    def _take_body(self, story, blocks):
        """Parse the chunks of ``blocks`` up to the story's closing line into its body;
        what follows that line goes back to ``blocks``."""
        story.hungry = False
        taken = []
        while blocks:
            lines = blocks.pop(0).split("\n")
            for number, line in enumerate(lines):
                if self._closes(story, line):
                    taken.append("\n".join(lines[:number]))
                    if after := "\n".join(lines[number + 1 :]):
                        blocks.insert(0, after)
                    self._parse_body(story, taken)
                    self._close(story)
                    return
            taken.append("\n".join(lines))
        self._parse_body(story, taken)
        story.hungry = True

    def _closes(self, story, line):
        try:
            return story.end.closes(line)
        except StoryError as error:  # a story inside the story
            header = STORY_START.search(line)
            raise error.at(self.md.gratitude.header_line(header["argument"])) from None

    def _parse_body(self, story, chunks):
        chunks = [chunk for chunk in chunks if chunk]
        story.has_text = story.has_text or any(chunk.strip() for chunk in chunks)
        self.parser.state.set(BODY_STATE)
        self.parser.parseBlocks(story.body, chunks)
        self.parser.state.reset()

    def _close(self, story):
        if not story.has_text:
            raise StoryError(
                "the story has no text",
                story.line,
                "write the story between its options and the closing "
                + "/" * story.end.slashes,
            )
        self.md.gratitude.open = None


def _text(parent, text, tail_of=None):
    """Append plain text (never parsed as Markdown or HTML) after ``tail_of``."""
    if tail_of is None:
        parent.text = AtomicString((parent.text or "") + text)
    else:
        tail_of.tail = AtomicString((tail_of.tail or "") + text)


def _link(parent, text, href, css_class=None):
    attributes = {"href": href}
    if css_class:
        attributes["class"] = css_class
    link = etree.SubElement(parent, "a", attributes)
    link.text = AtomicString(text)
    return link


def story_section(parent, story, config):
    """``<section>`` with heading, quality, person and an empty body under ``parent``;
    returns (section, heading, body). The heading's level is set later
    (``HeadingLevels``), when every heading of the document is known."""
    label = next(q.label for q in config.qualities if q.slug == story.quality)
    section = etree.SubElement(
        parent,
        "section",
        {"class": "gratitude-story", "id": story.anchor, "data-quality": story.quality},
    )
    heading = etree.SubElement(section, "h2")
    heading.text = AtomicString(story.heading)
    meta = etree.SubElement(section, "p", {"class": "meta"})
    last = _link(meta, label, target_href(config.quality_url(story.quality)), "quality")
    _text(meta, " · A story about ", last)
    last = _link(
        meta, story.person, target_href(person_url(story.person, config.regex_subs))
    )
    if story.thanked_by or story.thanked:
        words = " · Thanks"
        words += f" from {story.thanked_by}" if story.thanked_by else ""
        words += f" to {story.thanked}" if story.thanked else ""
        _text(meta, words, last)
    body = etree.SubElement(section, "div", {"class": BODY_CLASS})
    return section, heading, body


class HeadingLevels(Treeprocessor):
    """Checks that every story was closed, then gives each story heading its level:
    one under the last heading before the story (h2 if none), at most h6."""

    def run(self, root):
        state = self.md.gratitude
        if state.open is not None:
            raise _error(
                self.md,
                StoryError(
                    "the story is not closed",
                    state.open.line,
                    f"end it with a line of {'/' * state.open.end.slashes}",
                ),
            )
        headings = {section: heading for _, section, heading, _ in state.stories}
        if headings:
            self._walk(root, headings, 1)

    def _walk(self, element, headings, last):
        """Sets the levels in ``element``; returns the last heading level seen."""
        for child in element:
            if child in headings:
                headings[child].tag = f"h{min(last + 1, 6)}"
            elif child.tag in HEADINGS:
                last = int(child.tag[1])
            else:
                last = self._walk(child, headings, last)
        return last


class CollectStories(Treeprocessor):
    """Copies each story's finished body into its data (``md.gratitude_stories``)."""

    def run(self, root):
        state = self.md.gratitude
        self.md.gratitude_stories = [
            story_data(story, state.config, *body_of(self.md, body), self.md)
            for story, _, _, body in state.stories
        ]


def body_of(md, body):
    """``(html, text)`` of a story body, as the page will show it: the element
    serialized and run through the postprocessors (raw HTML back in place), as
    Markdown does with the whole document. Stored in BeautifulSoup's normal form
    (``<br/>``, characters for entities), the form stories.json and the story pages
    have always had; only the body is parsed, never the page."""
    html = md.serializer(body)
    for postprocessor in md.postprocessors:
        html = postprocessor.run(html)
    element = BeautifulSoup(html, "html.parser").div
    if element is None:
        return "", ""
    return element.decode_contents().strip(), " ".join(element.get_text().split())


def story_data(story, config, body_html, body_text, md):
    """The picklable dict kept in ``metadata["gratitude_stories"]``."""
    source = source_of(md)
    labels = {quality.slug: quality.label for quality in config.qualities}
    return {
        "id": story.anchor,
        "anchor": story.anchor,
        "quality": story.quality,
        "quality_label": labels.get(story.quality, story.quality),
        "person": story.person,
        "person_slug": person_slug(story.person, config.regex_subs),
        "person_url": person_url(story.person, config.regex_subs),
        "thanked_by": story.thanked_by,
        "thanked": story.thanked,
        "title": story.title,
        "heading": story.heading,
        "body_html": body_html,
        "body_text": body_text,
        "line": source.file_line(story.line),
        # The story it answers, as written: linked (and checked) once every post is
        # read (``reciprocal.py``).
        "answers": story.answers,
    }


class DocumentReset:
    """Registered on each Markdown object: ``md.reset()`` forgets the last document's
    stories (the extension itself may be shared by several objects)."""

    def __init__(self, md):
        self.md = md

    def reset(self):
        self.md.gratitude = None
        self.md.gratitude_stories = []


class GratitudeExtension(Extension):
    """Add ``/// gratitude`` to Markdown. Picklable: it only holds plain settings."""

    def __init__(self, config: StoriesConfig = None, **kwargs):
        self.stories_config = config
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        config = self.stories_config or default_config()
        document = DocumentReset(md)
        document.reset()
        md.registerExtension(document)
        # As with pymdownx's blocks, "\///" writes a line of slashes that is no block.
        if "/" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("/")
        md.preprocessors.register(
            IndexHeaders(md, config), "gratitude_index", INDEX_PRIORITY
        )
        md.parser.blockprocessors.register(
            StoryProcessor(md.parser, md), "gratitude", BLOCK_PRIORITY
        )
        md.treeprocessors.register(
            HeadingLevels(md), "gratitude_headings", HEADINGS_PRIORITY
        )
        md.treeprocessors.register(
            CollectStories(md), "gratitude_collect", COLLECT_PRIORITY
        )


def stories_of(md) -> list:
    """The stories of the document ``md`` last converted (plain dicts)."""
    return list(getattr(md, "gratitude_stories", None) or [])
