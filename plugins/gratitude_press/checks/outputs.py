"""Links the build wrote to pages it did not write (pure: file texts in, problems out).

The kit writes links it computes itself: a podcast host's person page in
``podcast.xml``, posts in feeds, the sitemap and the digest emails, pages in the
theme's menus. A link computed from settings (a new ``AUTHOR``) can point to a page
that no build writes. This finds every link into the site, absolute (under one of the
site's base URLs, in any text file) or relative (``href``/``src`` in HTML), whose target
is not in the output. Links the writer typed into the settings (a funding page, a menu
entry) are theirs to check, with a link checker that also sees other sites.
"""

import posixpath
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urlsplit

TEXT_SUFFIXES = (".html", ".xml", ".json", ".txt")
ABSOLUTE = re.compile(r"""https?://[^\s"'<>()\\]+""")
ATTRIBUTE = re.compile(r"""\s(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
NOT_A_PAGE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#|\?)", re.IGNORECASE)


@dataclass(frozen=True)
class MissingPage:
    target: str  # the path in the output, e.g. "people/jane-doe/"
    sources: tuple  # the output files that link to it, in order

    def __str__(self):
        others = len(self.sources) - 1
        more = f" and {others} other file{'s' if others > 1 else ''}" if others else ""
        return (
            f"{self.sources[0]}{more} link to {self.target}, which the build does "
            "not write"
        )


def _path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


def _under_base(url: str, bases) -> str | None:
    """The site path of an absolute URL under one of ``bases``, else None."""
    for base in bases:
        if url == base or url.startswith(base + "/"):
            return _path_of(url[len(base) :]).lstrip("/")
    return None


def _relative(page: str, value: str) -> str | None:
    if not value or NOT_A_PAGE.match(value):
        return None
    path = _path_of(value)
    if not path:
        return None
    joined = (
        path.lstrip("/")
        if path.startswith("/")
        else posixpath.join(posixpath.dirname(page), path)
    )
    normal = posixpath.normpath(joined)
    if normal.startswith(".."):
        return None  # above the site: not ours to judge
    return "" if normal == "." else normal + ("/" if path.endswith("/") else "")


def links_in(name: str, text: str, bases) -> set:
    """Site paths that the output file ``name`` links to."""
    text = unescape(text)
    found = {
        path
        for path in (
            _under_base(url.rstrip(".,;"), bases) for url in ABSOLUTE.findall(text)
        )
        if path is not None
    }
    if name.endswith(".html"):
        found |= {
            path
            for path in (_relative(name, value) for value in ATTRIBUTE.findall(text))
            if path is not None
        }
    return found


def exists(path: str, files) -> bool:
    stem = path.rstrip("/")
    candidates = (path, stem, f"{stem}/index.html" if stem else "index.html")
    return any(candidate in files for candidate in candidates)


def typed_paths(texts, bases) -> set:
    """Site paths of the absolute URLs in ``texts`` (the settings' values)."""
    bases = [base.rstrip("/") for base in bases if base]
    return {
        path
        for text in texts
        for path in (
            _under_base(url.rstrip(".,;"), bases) for url in ABSOLUTE.findall(text)
        )
        if path is not None
    }


def missing_pages(texts, files, bases, typed=()) -> list:
    """``texts``: {output path: text} of the files to read; ``files``: every output
    path; ``bases``: the site's absolute base URLs (no trailing slash); ``typed``:
    site paths the writer typed into the settings (not the kit's to judge)."""
    bases = [base.rstrip("/") for base in bases if base]
    linked = {}
    for name in sorted(texts):
        for path in sorted(links_in(name, texts[name], bases)):
            if path not in typed and not exists(path, files):
                linked.setdefault(path, []).append(name)
    return [
        MissingPage(path, tuple(sources)) for path, sources in sorted(linked.items())
    ]
