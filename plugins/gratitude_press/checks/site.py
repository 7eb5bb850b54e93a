"""Site-wide checks after every file was read: duplicate URLs and links to nowhere.

Pelican only warns (over several lines) when two posts share a slug, then crashes
while writing the second; and it warns ``Unable to find 'x'`` for a broken
``{filename}`` link without saying which file holds the link. These checks name both.
"""

import os
import re
from html import unescape
from urllib.parse import unquote, urlparse

from ..errors import ContentError
from ..reader.source import header_line, line_of, read_source

INTRASITE = re.compile(r"[{|](filename|static|attach)[}|]")
LINK_TARGETS = {"filename": ("generated_content", "static_content"),
                "static": ("static_content",), "attach": ("static_content",)}


def duplicate_urls(contents):
    """Posts and pages whose URL or slug an earlier one already has.

    ``contents`` is every published or hidden article and page, in reading order.
    Returns ``(errors, overwriting)``: one ContentError per duplicate, and the
    duplicates that would overwrite an earlier page's file.
    """
    first_by_file, first_by_slug, errors, overwriting = {}, {}, [], []
    for content in contents:
        keys = []
        save_as = getattr(content, "save_as", "")
        if save_as:
            keys.append((first_by_file, save_as, f"the same URL ({save_as})"))
        slug = getattr(content, "slug", None)
        if slug:
            kind = content.__class__.__name__
            keys.append((first_by_slug, (kind, slug, getattr(content, "lang", "")),
                         f'the same slug "{slug}"'))
        for table, key, what in keys:
            first = table.setdefault(key, content)
            if first is not content:
                text = read_source(content.source_path)
                line = header_line(text, "slug") or header_line(text, "title")
                errors.append(ContentError(
                    content.source_path,
                    f"{what} as {content.get_relative_source_path(first.source_path)}",
                    line, "give one of them its own Slug: line"))
                if table is first_by_file:
                    overwriting.append(content)
                break
    return errors, overwriting


ANCHOR_ONLY = object()


def intrasite_links(settings):
    """Pelican's link syntax (its public ``INTRASITE_LINK_REGEX``) inside a quoted
    URL attribute, as Pelican's link replacement finds it."""
    return re.compile(
        r"""(?P<markup><[^>]+(?:href|src|poster|data|cite|formaction|action|content)"""
        r"""\s*=\s*)(?P<quote>["'])(?P<path>"""
        + settings["INTRASITE_LINK_REGEX"] + r"""(?P<value>.*?))(?P=quote)""")


def _target(content, what, value, context):
    """What Pelican's link replacement finds for ``{what}value`` (same rules)."""
    url = urlparse(value)
    for key in LINK_TARGETS[what]:
        for path in (url.path, unquote(url.path), urlparse(unescape(value)).path):
            if not path:
                return ANCHOR_ONLY  # a link to an anchor in the same page
            if path.startswith("/"):
                path = path[1:]
            else:
                path = content.get_relative_source_path(
                    os.path.join(content.relative_dir, path))
            found = context.get(key, {}).get(path)
            if found is not None and (key != "static_content"
                                      or os.path.exists(found.source_path)):
                return found  # Pelican adds a linked static file even if it is missing
    return None


def broken_links(contents, context):
    """``{filename}``/``{static}``/``{attach}`` links to a missing file (errors) and
    links from published pages to drafts, which readers would find missing (warnings).

    Returns ``(errors, warnings)``, each a list of ContentError.
    """
    errors, warnings = [], []
    links = intrasite_links(context)
    for content in contents:
        html = (getattr(content, "_content", None) or "") + str(
            content.metadata.get("summary") or "")
        if not INTRASITE.search(html):
            continue
        text = None
        for match in links.finditer(html):
            what, value = match.group("what"), match.group("value")
            if what not in LINK_TARGETS:
                continue
            found = _target(content, what, value, context)
            is_draft = getattr(found, "status", "") == "draft" and getattr(
                content, "status", "") != "draft"
            if found is not None and not is_draft:
                continue
            if text is None:
                text = read_source(content.source_path)
            target = urlparse(unescape(value)).path
            line = line_of(text, unescape(match.group("path"))) or line_of(text, target)
            if is_draft:
                warnings.append(ContentError(
                    content.source_path, "link to a draft: "
                    f"{content.get_relative_source_path(found.source_path)}", line,
                    "publish that post first or remove the link"))
            else:
                errors.append(ContentError(
                    content.source_path, f"link to missing file {target.lstrip('/')}",
                    line, "fix the path, e.g. {filename}/posts/name.md for "
                    "content/posts/name.md, or remove the link"))
    return errors, warnings
