"""What a dev build adds to its pages (pure: settings, text and dates in, text out).

Drafts and scheduled posts are written by dev builds only, under ``preview/``, with
a banner saying what they are and ``noindex``; every page of a dev build loads the
live-reload script from the dev server itself. ``build`` and ``publish`` never use
these settings, so their drafts are never written (``DRAFT_SAVE_AS = ""``).
"""

import html
import re

DEV_KEY = "GRATITUDE_DEV"  # set in the settings of dev builds only
DEV_PATH = "/.gratitude-dev/"  # served by the dev server, never written to output/
RELOAD_SCRIPT = DEV_PATH + "reload.js"
PREVIEW_URL = "preview/{slug}/"
PAGE_PREVIEW_URL = "preview/pages/{slug}/"
# Pelican's own draft settings, pointed at the preview folder.
DEV_SETTINGS = {
    DEV_KEY: True,
    "DRAFT_URL": PREVIEW_URL,
    "DRAFT_SAVE_AS": PREVIEW_URL + "index.html",
    "DRAFT_LANG_URL": "preview/{slug}-{lang}/",
    "DRAFT_LANG_SAVE_AS": "preview/{slug}-{lang}/index.html",
    "DRAFT_PAGE_URL": PAGE_PREVIEW_URL,
    "DRAFT_PAGE_SAVE_AS": PAGE_PREVIEW_URL + "index.html",
    "DRAFT_PAGE_LANG_URL": "preview/pages/{slug}-{lang}/",
    "DRAFT_PAGE_LANG_SAVE_AS": "preview/pages/{slug}-{lang}/index.html",
}
HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
# A preview stays out of the dev server's search index (the theme marks the text
# pagefind indexes with this attribute).
SEARCH_BODY = re.compile(r"\sdata-pagefind-body(?:=\"[^\"]*\")?")
BANNER_STYLE = (
    "position:sticky;top:0;z-index:1000;margin:0;padding:.6em 1em;"
    "background:#8a1c1c;color:#fff;font:600 1rem/1.4 system-ui,sans-serif;"
    "text-align:center"
)


def banner_text(scheduled: bool, date) -> str:
    if scheduled:
        when = f"{date:%A} {date.day} {date:%B %Y, %H:%M} ({date:%Z})"
        return (
            f"Scheduled for {when}: a preview; the first build on or after that "
            "day publishes it"
        )
    return "Draft: a preview only; delete its status: draft line to publish it"


def reload_tag() -> str:
    return f'<script src="{RELOAD_SCRIPT}" defer></script>'


def dev_page(page: str, preview_banner: str | None) -> str:
    """``page`` with the reload script, and for a preview its banner and noindex."""
    head = reload_tag()
    if preview_banner is not None:
        head = '<meta name="robots" content="noindex">' + head
        page = SEARCH_BODY.sub("", page)
        banner = (
            f'<p class="dev-preview-banner" role="status" '
            f'style="{BANNER_STYLE}">{html.escape(preview_banner)}</p>'
        )
        page = BODY_START.sub(lambda match: match.group(0) + banner, page, count=1)
    return HEAD_END.sub(lambda match: head + match.group(0), page, count=1)
