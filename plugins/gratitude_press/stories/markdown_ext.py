"""The ``/// gratitude`` block: a pymdown-extensions Block that renders one story.

```
/// gratitude | Optional title
    quality: unexpected
    person: Dana Whitfield
    from: Marcus Lee
    to: Dana Whitfield

Markdown body.
///
```

One extension instance is shared by every document (it sits in ``MARKDOWN``), so all
per-document state lives on the ``Markdown`` object as ``md.gratitude``; the stories
of the document end up in ``md.gratitude_stories`` (plain dicts) for the reader hook.
``md.reset()`` clears both, so one ``Markdown`` object can convert many documents.
"""

import re
import xml.etree.ElementTree as etree

import pymdownx.blocks
from bs4 import BeautifulSoup
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_any

from ..errors import ContentError
from .parse import (BLOCK_NAME, HEADER, OPTIONS, StoryError, assign_anchors,
                    check_options, clean, scan, simple_options)
from .people import person_slug, person_url
from .settings import StoriesConfig

# Links in story headers point at pages that are not content files. Pelican resolves
# ``{filename}`` links on every page it renders (relative or absolute, as configured),
# so the header uses them and the adapter registers these paths as link targets.
TARGET_ROOT = ".gratitude/"
HEADINGS = {f"h{level}" for level in range(1, 7)}
BODY_CLASS = "gratitude-story-body"


def target_href(url):
    return "{filename}/" + TARGET_ROOT + url


class DocumentState:
    """What one ``Markdown`` object knows about the stories of the text it converts."""

    def __init__(self, config):
        self.config = config
        self.pending = []  # scanned, not yet rendered (document order)
        self.rendered = []
        self.collected = False
        self.conversions = 0
        self.lines = []

    def start(self, text):
        self.conversions += 1
        self.rendered, self.collected = [], False
        self.lines = text.split("\n")
        self.pending = scan(text, self.config.qualities, self.config.regex_subs)

    def header_line(self, title):
        """The line of an indented header the scan skipped (a story in a list item)."""
        seen = {story.line for story in self.rendered}
        for number, line in enumerate(self.lines, 1):
            header = HEADER.match(line.strip())
            if header and header["name"].lower() == BLOCK_NAME and number not in seen \
                    and clean(header["argument"]) == clean(title):
                return number
        return None

    def claim(self, title, options):
        """The scanned story pymdownx is rendering now (same title and person)."""
        for index, story in enumerate(self.pending):
            if story.matches(title, options):
                story = self.pending.pop(index)
                break
        else:  # a block the scan could not see (e.g. indented in a list): check it now
            given = {key: options[key] for key in OPTIONS
                     if options.get(key) is not None}
            story = check_options(given, self.config.qualities, self.header_line(title),
                                  title or "")
            taken = [s.anchor for s in self.pending + self.rendered]
            assign_anchors([story], self.config.regex_subs, taken)
        self.rendered.append(story)
        return story


def _block_options(source, yaml_options=pymdownx.blocks.get_frontmatter):
    """pymdownx's parse of a block's options, without YAML when ``simple_options``
    gives the same dict (the scan has just parsed the same lines)."""
    options = simple_options(source)
    return yaml_options(source) if options is None else options


# pymdownx calls its module's get_frontmatter for every block it opens.
if getattr(pymdownx.blocks.get_frontmatter, "__name__", "") != _block_options.__name__:
    pymdownx.blocks.get_frontmatter = _block_options


class DocumentReset:
    """Registered on each Markdown object: ``md.reset()`` forgets the last document's
    stories, so one object can convert many documents."""

    def __init__(self, md, config):
        self.md, self.config = md, config

    def reset(self):
        self.md.gratitude = DocumentState(self.config)
        self.md.gratitude_stories = None


def _error(md, error):
    """A ContentError at the story's line in the source file."""
    path, first_body_line = getattr(md, "gratitude_source", ("<markdown>", 1))
    line = error.line
    if line is not None:
        line = first_body_line + line - 1 if md.gratitude.conversions == 1 else None
    if line is not None and line > _line_count(path):
        line = None  # the build added the story to the body (an episode's thanks)
    return ContentError(path, error.message, line, error.hint)


def _line_count(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return float("inf")


class ScanStories(Preprocessor):
    """Runs first, on the text as written, so line numbers match the file."""

    def run(self, lines):
        try:
            self.md.gratitude.start("\n".join(lines))
        except StoryError as error:
            raise _error(self.md, error) from None
        return lines


class CollectStories(Postprocessor):
    """Runs last: copies each story's finished body HTML into the story data.

    Extensions such as toc also run the postprocessors on fragments (heading text),
    so only the run over the whole document, which holds the story bodies, counts.
    """

    def run(self, text):
        state = self.md.gratitude
        if state.collected or not state.rendered or BODY_CLASS not in text:
            return text
        state.collected = True
        soup = BeautifulSoup(_story_sections(text, state.rendered), "html.parser")
        stories = []
        for story in state.rendered:
            section = soup.find(id=story.anchor)
            body = section.find("div", class_=BODY_CLASS) if section else None
            stories.append(story_data(story, state.config, body, self.md))
        if state.conversions == 1:  # later conversions are metadata fields
            self.md.gratitude_stories = stories
        return text


SECTION_TAG = re.compile(r"<(/?)section\b", re.I)
RAW_TEXT = ("<!--", "<![CDATA[", "<script", "<style", "<textarea")


def _story_sections(text, stories):
    """Only the stories' ``<section>`` elements of the document, which is all that
    ``CollectStories`` looks at: parsing them alone is several times faster than
    parsing the whole post (speed). The whole document when a section cannot be cut
    out safely (its id used earlier, comments or raw-text elements, unbalanced tags)."""
    openings = _section_openings(text)
    pieces = []
    for story in stories:
        start = openings.get(story.anchor, -1)
        if start < 0 or story.anchor in text[:start]:
            return text
        depth = 0
        for tag in SECTION_TAG.finditer(text, start):
            depth += -1 if tag[1] else 1
            if depth == 0:
                end = text.index(">", tag.end()) + 1
                break
        else:
            return text
        piece = text[start:end]
        if any(marker in piece for marker in RAW_TEXT):
            return text
        pieces.append(piece)
    return "\n".join(pieces)


SECTION_START = re.compile(r"<section [^>]*")
ID_ATTRIBUTE = re.compile(r'\bid="([^"]*)"')


def _section_openings(text):
    """Where the first ``<section ...>`` with each ``id`` starts (one pass over the
    document, not a pattern per story)."""
    openings = {}
    for tag in SECTION_START.finditer(text):
        for anchor in ID_ATTRIBUTE.findall(tag[0]):
            openings.setdefault(anchor, tag.start())
    return openings


def story_data(story, config, body, md):
    """The picklable dict kept in ``metadata["gratitude_stories"]``."""
    path, first_body_line = getattr(md, "gratitude_source", ("", 1))
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
        "body_html": body.decode_contents().strip() if body else "",
        "body_text": " ".join(body.get_text().split()) if body else "",
        "line": None if story.line is None else first_body_line + story.line - 1,
    }


def _heading_level(root):
    """One level under the last heading before the story (h2 if none), at most h6."""
    last = 1

    def walk(element):
        nonlocal last
        for child in element:
            if child.tag in HEADINGS:
                last = int(child.tag[1])
            elif "gratitude-story" not in child.get("class", "").split():
                walk(child)

    walk(root)
    return min(last + 1, 6)


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


class GratitudeBlock(Block):
    NAME = BLOCK_NAME
    ARGUMENT = None  # the optional title
    OPTIONS = {name: (None, type_any) for name in OPTIONS}  # checked by parse.scan

    def on_create(self, parent):
        state = self.md.gratitude
        try:
            story = state.claim(self.argument, self.options)
        except StoryError as error:
            raise _error(self.md, error) from None
        config = state.config
        label = next(q.label for q in config.qualities if q.slug == story.quality)
        level = _heading_level(self.md.parser.root)
        section = etree.SubElement(parent, "section", {
            "class": "gratitude-story", "id": story.anchor,
            "data-quality": story.quality})
        heading = etree.SubElement(section, f"h{level}")
        heading.text = AtomicString(story.heading)
        meta = etree.SubElement(section, "p", {"class": "meta"})
        last = _link(meta, label, target_href(config.quality_url(story.quality)),
                     "quality")
        _text(meta, " · A story about ", last)
        last = _link(meta, story.person,
                     target_href(person_url(story.person, config.regex_subs)))
        if story.thanked_by or story.thanked:
            words = " · Thanks"
            words += f" from {story.thanked_by}" if story.thanked_by else ""
            words += f" to {story.thanked}" if story.thanked else ""
            _text(meta, words, last)
        etree.SubElement(section, "div", {"class": BODY_CLASS})
        return section

    def on_add(self, block):
        return block[-1]  # the body


class GratitudeExtension(BlocksExtension):
    """Add ``/// gratitude`` to Markdown. Picklable: it only holds plain settings."""

    def __init__(self, config: StoriesConfig = None, **kwargs):
        self.stories_config = config
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md, block_mgr):
        # The extension is shared, so Markdown.reset() resets each object's state
        # through its own DocumentReset.
        document = DocumentReset(md, self.stories_config)
        document.reset()
        md.registerExtension(document)
        block_mgr.register(GratitudeBlock, {})
        md.preprocessors.register(ScanStories(md), "gratitude_scan", 40)
        md.postprocessors.register(CollectStories(md), "gratitude_collect", 1)


def stories_of(md) -> list:
    """The stories of the document ``md`` last converted (plain dicts)."""
    return list(getattr(md, "gratitude_stories", None) or [])
