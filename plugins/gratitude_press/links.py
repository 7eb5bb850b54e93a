"""Pelican's ``{filename}``/``{static}`` links, resolved in a piece of a post's HTML.

Pelican resolves such links only in a content object's whole text
(``Content.get_content``) and has no public function for a fragment (a story body, a
summary shown in a feed). The least fragile public route: a shallow copy of the post
that carries the fragment as its ``_content`` (the attribute Pelican's docs tell
plugins to set), asked for its content. Pelican memoizes ``get_content`` per object,
so fragments without such links (nearly all) are returned as they are.
"""

import copy
import re

INTRASITE_MARKER = re.compile(
    r"[{|](?:filename|static|attach|index|tag|category|author)"
    r"[}|]"
)


def resolve_links(content, html, siteurl):
    if not html or not INTRASITE_MARKER.search(html):
        return html
    twin = copy.copy(content)
    twin._content = html
    return twin.get_content(siteurl)
