"""Make every URL inside an HTML fragment absolute, for feed readers.

A feed reader shows a post away from the site, so a relative link or image would
point at the reader's own domain (or nowhere).
"""

from urllib.parse import urljoin

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

URL_ATTRIBUTES = ("href", "src", "poster")
# Escapes &, < and > as Markdown does and writes void elements as <br>, not <br/>.
HTML_OUT = HTMLFormatter(entity_substitution=EntitySubstitution.substitute_xml,
                         void_element_close_prefix=None)


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
