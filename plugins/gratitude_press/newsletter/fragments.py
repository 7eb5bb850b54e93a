"""The digest's HTML-to-text work with fewer BeautifulSoup passes.

For every story of every post the digest needs ``model.absolute_html(body, url)`` and
``model.html_to_text`` of that, and for every post ``html_to_text(summary, url)``.
Parsing is a large part of their cost, and so are BeautifulSoup's ``find_all`` and
``find_parent`` (each builds a matcher). Here the second parse is skipped (the text
is read from the tree the HTML was serialised from) and the tags are collected in
one walk. ``model`` stays the reference: these functions mirror it step by step, and
``tests/test_digest_fragments.py`` compares their results with it.
"""

from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from .model import absolute_html, html_to_text

UNSAFE = frozenset({"script", "iframe", "form", "video", "style", "object"})
BLOCKS = frozenset({"p", "li", "blockquote", "h1", "h2", "h3", "h4", "pre"})
CONTAINERS = frozenset({"p", "li", "blockquote"})
IMAGE_STYLE = "display:block;max-width:100%;height:auto;border:0"


def _tags(soup, names):
    """``soup.find_all(list(names))``, in document order."""
    return [node for node in soup.descendants if isinstance(node, Tag) and node.name in names]


def _links(soup):
    """``soup.find_all("a", href=True)``."""
    return [node for node in soup.descendants
            if isinstance(node, Tag) and node.name == "a" and node.get("href") is not None]


def _text(soup, base_url=""):
    """``model.html_to_text`` on a parsed fragment (changes the tree)."""
    for link in _links(soup):
        href = urljoin(base_url, link["href"]) if base_url else link["href"]
        label = link.get_text(" ", strip=True)
        link.replace_with(f"{label} <{href}>" if label and label != href else f"<{href}>")
    found = _tags(soup, BLOCKS | {"br"})  # a br holds no block: one walk finds both
    for br in [tag for tag in found if tag.name == "br"]:
        br.replace_with("\n")
    blocks = [tag for tag in found if tag.name != "br"]
    if not blocks:
        return " ".join(soup.get_text(" ").split())
    lines = []
    for block in blocks:
        if any(parent.name in CONTAINERS for parent in block.parents):
            continue
        text = " ".join(block.get_text(" ").split())
        if text:
            lines.append(f"- {text}" if block.name == "li" else text)
    return "\n\n".join(lines)


def text(html: str, base_url: str = "") -> str:
    """``model.html_to_text(html, base_url)``."""
    return _text(BeautifulSoup(html or "", "html.parser"), base_url)


def html_and_text(html: str, base_url: str, image_width: int = 560) -> tuple[str, str]:
    """``(absolute_html(html, base_url), html_to_text(<that HTML>))`` from one parse."""
    soup = BeautifulSoup(html or "", "html.parser")
    images = _tags(soup, UNSAFE | {"img"})
    if any(tag.name in UNSAFE for tag in images):
        # Removing a tag leaves the text around it in two strings, which only a new
        # parse joins: rare, so the reference path.
        body = absolute_html(html, base_url, image_width)
        return body, html_to_text(body)
    # as absolute_html
    for link in _links(soup):
        link["href"] = urljoin(base_url, link["href"])
    for image in images:
        image["src"] = urljoin(base_url, image.get("src", ""))
        image["alt"] = image.get("alt") or ""
        width = str(image.get("width", ""))
        image["width"] = width if width.isdigit() and int(width) <= image_width \
            else str(image_width)
        image["style"] = IMAGE_STYLE
    body = str(soup)
    # html_to_text of ``body``, on the tree it was serialised from (links already
    # absolute); a new parse would find one string where a stray end tag left two
    soup.smooth()
    return body, _text(soup)
