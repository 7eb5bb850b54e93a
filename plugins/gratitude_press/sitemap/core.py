"""The sitemap document (pure: plain data in, XML bytes out), built with ElementTree.

Only ``<loc>`` and ``<lastmod>``: search engines ignore ``changefreq`` and
``priority``. Translations are listed as ``xhtml:link`` alternates.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..urls import absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class SitemapPage:
    url: str  # relative to the site, e.g. "2026/a-post/" ("" for the home page)
    lastmod: object  # an aware datetime
    translations: tuple = field(default=())  # (lang, relative url)


def w3c_datetime(moment) -> str:
    text = moment.isoformat(timespec="seconds")
    return text if moment.utcoffset() is not None else text + "+00:00"


def sitemap_xml(pages, siteurl) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for page in sorted(pages, key=lambda page: page.url):
        entry = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = absolute_url(
            siteurl, page.url
        )
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = w3c_datetime(
            page.lastmod
        )
        for lang, url in page.translations:
            ET.SubElement(
                entry,
                f"{{{XHTML_NS}}}link",
                rel="alternate",
                hreflang=lang,
                href=absolute_url(siteurl, url),
            )
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"
