"""Site-wide checks after every file was read: duplicate URLs and links to nowhere.

Pelican only warns (over several lines) when two posts share a slug, then crashes
while writing the second; and it warns ``Unable to find 'x'`` for a broken
``{filename}`` link without saying which file holds the link. These checks name both.
"""

import os
import re
from html import unescape
from urllib.parse import unquote, urlparse

from pelican.contents import Static

from ..errors import ContentError
from ..reader.source import line_of, read_source, where_written
from ..schedule.core import is_scheduled

INTRASITE = re.compile(r"[{|]\w+[}|]")
LINK_TARGETS = {
    "filename": ("generated_content", "static_content"),
    "static": ("static_content",),
    "attach": ("static_content",),
}


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
            keys.append(
                (
                    first_by_slug,
                    (kind, slug, getattr(content, "lang", "")),
                    f'the same slug "{slug}"',
                )
            )
        for table, key, what in keys:
            first = table.setdefault(key, content)
            if first is not content:
                header, line = where_written(read_source(content.source_path))
                other = content.get_relative_source_path(first.source_path)
                errors.append(
                    ContentError(
                        content.source_path,
                        f"{what} as {other}",
                        line,
                        f"give one of them its own {header}: line",
                    )
                )
                if table is first_by_file:
                    overwriting.append(content)
                break
    return errors, overwriting


ANCHOR_ONLY = object()
# Pelican's link markers that need no file (they name a page Pelican writes).
OTHER_MARKERS = frozenset({"tag", "category", "author", "index"})


def intrasite_links(settings):
    """Pelican's link syntax (its public ``INTRASITE_LINK_REGEX``) inside a quoted
    URL attribute, as Pelican's link replacement finds it."""
    return re.compile(
        r"""(?P<markup><[^>]+(?:href|src|poster|data|cite|formaction|action|content)"""
        r"""\s*=\s*)(?P<quote>["'])(?P<path>"""
        + settings["INTRASITE_LINK_REGEX"]
        + r"""(?P<value>.*?))(?P=quote)"""
    )


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
                    os.path.join(content.relative_dir, path)
                )
            found = context.get(key, {}).get(path)
            if found is not None and (
                key != "static_content" or os.path.exists(found.source_path)
            ):
                return found  # Pelican adds a linked static file even if it is missing
    return None


def _climbs_out(content, target):
    if target.startswith("/"):
        return False
    relative = content.get_relative_source_path(
        os.path.join(content.relative_dir, target)
    )
    return relative.startswith("..")


def broken_links(contents, context):
    """``{filename}``/``{static}``/``{attach}`` links to a missing file (errors) and
    links from published pages to drafts, which readers would find missing (warnings).

    Returns ``(errors, warnings)``, each a list of ContentError.
    """
    errors, warnings = [], []
    links = intrasite_links(context)
    for content in contents:
        html = (getattr(content, "_content", None) or "") + str(
            content.metadata.get("summary") or ""
        )
        if not INTRASITE.search(html):
            continue
        text = None
        for match in links.finditer(html):
            what, value = match.group("what"), match.group("value")
            if what not in LINK_TARGETS:
                if what not in OTHER_MARKERS:  # Pelican warns once per process
                    text = (
                        text if text is not None else read_source(content.source_path)
                    )
                    line = line_of(text, "{" + what + "}") or line_of(text, what)
                    warnings.append(
                        ContentError(
                            content.source_path,
                            f"unknown link marker {{{what}}}",
                            line,
                            "use {filename}, {static}, {attach}, {tag}, {category}, "
                            "{author} or {index}",
                        )
                    )
                continue
            found = _target(content, what, value, context)
            is_draft = (
                getattr(found, "status", "") == "draft"
                and getattr(content, "status", "") != "draft"
            )
            static_by_filename = what == "filename" and isinstance(found, Static)
            if found is not None and not is_draft and not static_by_filename:
                continue
            if text is None:
                text = read_source(content.source_path)
            target = urlparse(unescape(value)).path
            line = line_of(text, unescape(match.group("path"))) or line_of(text, target)
            if static_by_filename:  # Pelican says so too, but only once per process
                warnings.append(
                    ContentError(
                        content.source_path,
                        "{filename} used for linking to static "
                        f"content {target.lstrip('/')}",
                        line,
                        "use {static} instead",
                    )
                )
                continue
            problem = _link_problem(content, found if is_draft else None, target, line)
            (warnings if is_draft else errors).append(problem)
    return errors, warnings


def _link_problem(content, draft, target, line) -> ContentError:
    """The problem of one link: to ``draft`` (a draft or scheduled post), out of
    content/, or to a missing file."""
    if draft is not None:
        relative = content.get_relative_source_path(draft.source_path)
        if is_scheduled(draft.metadata, draft.status):
            return ContentError(
                content.source_path,
                f"link to {relative}, scheduled for {draft.date:%Y-%m-%d %H:%M}",
                line,
                "publish this post on that day too, or remove the link",
            )
        return ContentError(
            content.source_path,
            f"link to a draft: {relative}",
            line,
            "publish that post first or remove the link",
        )
    if _climbs_out(content, target):
        return ContentError(
            content.source_path,
            f"link to a file outside content/: {target}",
            line,
            "copy the file into content/ and link to it from there",
        )
    return ContentError(
        content.source_path,
        f"link to missing file {target.lstrip('/')}",
        line,
        "fix the path, e.g. {filename}/posts/name.md for "
        "content/posts/name.md, or remove the link",
    )


def kit_outputs(settings, config, gratitude=None):
    """``{output path: the setting that moves it}`` for the pages the theme's direct
    templates and the kit's concerns write (known before any page is written)."""
    found = {}
    for name in settings.get("DIRECT_TEMPLATES") or ():
        key = f"{name.upper()}_SAVE_AS"
        found[settings.get(key, f"{name}.html")] = key
    stories = config.stories
    if stories is not None:
        found[stories.index_save_as] = "GRATITUDE_INDEX_SAVE_AS"
        for quality in stories.qualities:
            found[stories.quality_save_as.format(slug=quality.slug)] = (
                "GRATITUDE_QUALITY_SAVE_AS"
            )
        found[stories.json_save_as] = "GRATITUDE_JSON_SAVE_AS"
        for person in (gratitude or {}).get("people", ()):
            found[person["url"] + "index.html"] = "person pages: people/<name>/"
    if config.podcast is not None:
        found[config.podcast.feed_path] = "PODCAST_FEED_PATH"
    if config.feeds is not None:
        for name in ("all_rss", "all_atom", "stories_rss", "stories_atom"):
            found[getattr(config.feeds, name)] = f"FEEDS_{name.upper()}"
    if config.sitemap is not None:
        found[config.sitemap.save_as] = "SITEMAP_SAVE_AS"
    if config.digest is not None:
        found[config.digest.archive_save_as] = "DIGEST_ARCHIVE_SAVE_AS"
        found[config.digest.feed_save_as] = "DIGEST_FEED_SAVE_AS"
    found.pop("", None)
    found.pop(None, None)
    return found
