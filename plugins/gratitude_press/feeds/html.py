"""Make every URL inside an HTML fragment absolute, for feed readers.

A feed reader shows a post away from the site, so a relative link or image would
point at the reader's own domain (or nowhere).
"""

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

URL_ATTRIBUTES = ("href", "src", "poster")
# An attribute above whose value does not start with a scheme or "//", or any srcset.
MAY_BE_RELATIVE = re.compile(
    r"""\b(?:(?:href|src|poster)\s*=\s*(?:"|'|(?=[^"'\s>]))(?![a-z][a-z0-9+.-]*:|//)"""
    r"""|srcset\s*=)""",
    re.I,
)
# Escapes &, < and > as Markdown does and writes void elements as <br>, not <br/>.
HTML_OUT = HTMLFormatter(
    entity_substitution=EntitySubstitution.substitute_xml,
    void_element_close_prefix=None,
)


def _absolute_srcset(value: str, base_url: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(base_url, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolutize(html: str, base_url: str) -> str:
    """Return ``html`` with relative ``href``/``src``/``poster``/``srcset`` resolved
    against ``base_url`` (the absolute URL of the page the fragment belongs to)."""
    if not html or not html.strip():
        return html or ""
    if not MAY_BE_RELATIVE.search(html):
        return html  # every URL is absolute already: no need to parse (speed)
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str):
                tag[attribute] = urljoin(base_url, value.strip())
        srcset = tag.get("srcset")
        if isinstance(srcset, str):
            tag["srcset"] = _absolute_srcset(srcset, base_url)
    return soup.decode(formatter=HTML_OUT)
