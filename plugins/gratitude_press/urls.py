"""Absolute URLs for what the kit writes outside the site's own pages.

A page's URL comes from its slug, and a writer may put anything in ``Slug:`` (``q&a``,
a space, even ``<b>``). The HTML pages are safe through escaping, but an export
(Markdown for a provider, JSON, a feed, the sitemap) needs a real URL: every character
a URL may not hold raw is percent-encoded here, once, for every concern. Percent signs
are kept, so an already encoded URL stays as it is.
"""

from urllib.parse import quote

# RFC 3986's unreserved characters and the delimiters a URL of ours may use. Left out
# on purpose: the quotes, parentheses and brackets, so a URL cannot close the Markdown
# link or the attribute it is written into.
URL_SAFE = "/:@!$&+,;=-._~%?#"  # "#": a story's anchor; slugs may hold none of #?%
ABSOLUTE = ("https://", "http://", "mailto:")


def encode_url(url: str) -> str:
    return quote(url, safe=URL_SAFE)


def absolute_url(base: str, url: str) -> str:
    """``url`` (site-relative) on ``base``, its own part encoded; with no base ("", a
    local build) it is relative to the site's root: ``/url``. An absolute URL (a
    guest's link, a CDN's enclosure) is returned as written: its host and reserved
    characters are its owner's."""
    if url.lower().startswith(ABSOLUTE):
        return url
    return f"{base.rstrip('/')}/{encode_url(url.lstrip('/'))}"
