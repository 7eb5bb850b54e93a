"""No live script in anything the kit writes: a Markdown extension on every document.

Markdown turns ``[x](javascript:alert(1))`` into a live link, and raw HTML keeps its
``onerror=`` handlers. Every page, feed and email is made from this HTML, so it is
cleaned once, here, while Markdown runs:

- elements Markdown made (links, images): a ``javascript:``, ``vbscript:`` or
  ``data:`` URL and every ``on...`` attribute are dropped;
- raw HTML the writer typed: the same, plus ``<script>``, ``<iframe>``, ``<object>``
  and ``<embed>`` elements and SVG's ``<animate>`` and ``<set>`` (they give another
  attribute, such as a link's ``href``, a value nobody wrote), once the document is
  whole (Markdown keeps raw tags apart until the end). A document without any of
  these is left exactly as written.
"""

import html
import re
import xml.etree.ElementTree as etree

from bs4 import BeautifulSoup
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "cite",
        "data",
        "background",
        "xlink:href",
        "srcset",
        # SVG animation values: a list separated by semicolons
        "values",
        "to",
        "from",
        "by",
    }
)
# meta (a refresh to a script URL) and base (every relative link re-pointed) too
LIVE_ELEMENTS = (
    "script",
    "iframe",
    "object",
    "embed",
    "animate",
    "set",
    "meta",
    "base",
)
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")
UNSAFE_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.I)
LIVE_ELEMENT = re.compile(r"<\s*(?:" + "|".join(LIVE_ELEMENTS) + r")\b", re.I)
# Browsers also start an attribute right after a quote or a slash: <img src="x"onerror=
ATTRIBUTE = re.compile(
    r"""(?<=[\s"'/])([^\s"'<>/=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
)


def is_unsafe_url(value) -> bool:
    plain = IGNORED_IN_SCHEME.sub("", html.unescape(str(value)))
    return any(UNSAFE_SCHEME.match(part) for part in plain.split(";"))


def is_unsafe_attribute(name, value) -> bool:
    name = name.lower()
    return name.startswith("on") or (name in URL_ATTRIBUTES and is_unsafe_url(value))


def has_live_script(text: str) -> bool:
    if LIVE_ELEMENT.search(text):
        return True
    return any(
        is_unsafe_attribute(name, value.strip("\"'"))
        for name, value in ATTRIBUTE.findall(text)
    )


def clean_html(text: str) -> str:
    """``text`` without live script; unchanged (byte for byte) when it has none."""
    if not has_live_script(text):
        return text
    soup = BeautifulSoup(text, "html.parser")
    for element in soup.find_all(LIVE_ELEMENTS):
        element.decompose()
    for element in soup.find_all(True):
        for name in [n for n, v in element.attrs.items() if is_unsafe_attribute(n, v)]:
            del element[name]
    return str(soup)


class CleanTree(Treeprocessor):
    """Links and images Markdown made: cheap, on the element tree."""

    def run(self, root: etree.Element):
        for element in root.iter():
            for name in [
                n for n, v in element.attrib.items() if is_unsafe_attribute(n, v)
            ]:
                del element.attrib[name]


class CleanOutput(Postprocessor):
    """Raw HTML the writer typed, once Markdown has put it back into the document."""

    def run(self, text):
        return clean_html(text)


class SafeMarkupExtension(Extension):
    def extendMarkdown(self, md):
        # after the inline patterns (20), which make the links and images
        md.treeprocessors.register(CleanTree(md), "gratitude_safe_markup", 5)
        # after raw HTML is restored (30) and entities are put back (20, 10)
        md.postprocessors.register(CleanOutput(md), "gratitude_safe_output", 0)
