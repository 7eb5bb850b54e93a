"""The dev server: previews of drafts, live reload, one watcher, bad saves.

Dev builds run in this process (``DevSession``), the server on a free port of
127.0.0.1 in a thread. Nothing here measures time: a wait has a deadline only so
that a lost save fails the test instead of hanging it.
"""

import os
import threading
import urllib.error
import urllib.request

import pytest
from test_week import dev_server, fetch, fetch_or_empty, files_mentioning, wait_for

from conftest import Site
from gratitude_press.dev.preview import dev_page
from gratitude_press.dev.server import LiveState, address, make_server
from gratitude_press.dev.session import DevSession

PUBLISHED = """\
Title: Open calendars
Date: 2026-03-02 08:00
Slug: open-calendars
Summary: A published post.

Published text.
"""
DRAFT = """\
---
title: "Half a thought"
date: 2026-03-03 08:00
status: draft
slug: half-a-thought
summary: A draft.
---
Draft text nobody may read yet.
"""
SCHEDULED = """\
Title: Next year's letter
Date: 2031-01-06 08:30
Slug: next-years-letter
Summary: Scheduled.

Scheduled text.
"""
DRAFT_PAGE = """\
Title: Coming soon
Status: draft
Slug: coming-soon

Draft page text.
"""
DRAFT_MARKS = (
    "Draft text nobody may read yet",
    "Scheduled text",
    "Draft page text",
    "preview/",
)
BROKEN = """\
---
title: Open calendars
date: [2026-03-02
---
Broken.
"""


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path)
    site.write("posts/open-calendars.md", PUBLISHED)
    site.write("posts/half-a-thought.md", DRAFT)
    site.write("posts/next-years-letter.md", SCHEDULED)
    site.write("pages/coming-soon.md", DRAFT_PAGE)
    return site


def dev_build(site):
    lines = []
    session = DevSession(
        site.settings_file(SITEURL="", RELATIVE_URLS=True),
        site.output,
        say=lines.append,
    )
    assert session.rebuild(), lines
    return session


# --- previews ------------------------------------------------------------------


def test_dev_builds_write_drafts_and_scheduled_posts_as_marked_previews(site):
    dev_build(site)
    draft = site.read("preview/half-a-thought/index.html")
    assert "Draft text nobody may read yet" in draft
    assert "Draft: a preview only" in draft
    assert '<meta name="robots" content="noindex">' in draft
    assert "data-pagefind-body" not in draft  # out of the dev search index too
    scheduled = site.read("preview/next-years-letter/index.html")
    assert "Scheduled for Monday 6 January 2031, 08:30" in scheduled
    assert '<meta name="robots" content="noindex">' in scheduled
    assert "Draft page text" in site.read("preview/pages/coming-soon/index.html")
    published = site.read("2026/open-calendars/index.html")
    assert '<script src="/.gratitude-dev/reload.js" defer></script>' in published
    assert "noindex" not in published and "dev-preview-banner" not in published
    assert "half-a-thought" not in site.read("index.html")


@pytest.mark.parametrize(
    "overrides",
    [
        {"SITEURL": "", "RELATIVE_URLS": True},  # make html
        {},  # make publish: absolute SITEURL, strict
    ],
    ids=["html", "publish"],
)
def test_builds_for_the_site_never_write_previews(site, overrides):
    result = site.build(**overrides)
    assert result.returncode == 0, result.stderr
    assert not (site.output / "preview").exists()
    assert files_mentioning(site.output, DRAFT_MARKS + (".gratitude-dev",)) == []


def test_the_dev_additions_go_into_the_head_and_the_body_once():
    page = (
        "<!doctype html><html><head><title>t</title></head>"
        '<body class="x"><main data-pagefind-body>text</main></body></html>'
    )
    preview = dev_page(page, "Draft")
    assert preview.count("reload.js") == preview.count("noindex") == 1
    assert preview.index("noindex") < preview.index("</head>")
    assert '<body class="x"><p class="dev-preview-banner"' in preview
    assert "data-pagefind-body" not in preview
    published = dev_page(page, None)
    assert "noindex" not in published and "data-pagefind-body" in published


# --- the server ------------------------------------------------------------------


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (127.0.0.1)
        return answer.headers, answer.read().decode("utf-8")


def test_the_dev_server_serves_the_site_and_the_reload_status(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    live = LiveState()
    server = make_server(tmp_path, port=0, live=live)
    base = address(server)
    assert base.startswith("http://127.0.0.1:")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        headers, body = _get(base)
        assert body == "<p>home</p>" and headers["Cache-Control"] == "no-store"
        live.built()
        assert (
            _get(base + ".gratitude-dev/status.json")[1]
            == '{"version": 1, "problem": ""}'
        )
        headers, script = _get(base + ".gratitude-dev/reload.js")
        assert headers["Content-Type"].startswith("text/javascript")
        assert '"/.gratitude-dev/status.json"' in script
        assert "http" not in script.replace("https://", "")  # nothing from elsewhere
        with pytest.raises(urllib.error.HTTPError):
            _get(base + ".gratitude-dev/anything-else")
    finally:
        server.shutdown()
        server.server_close()


def test_serve_alone_has_no_dev_paths(tmp_path):
    server = make_server(tmp_path, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(urllib.error.HTTPError):
            _get(address(server) + ".gratitude-dev/status.json")
    finally:
        server.shutdown()
        server.server_close()


# --- saves -------------------------------------------------------------------


def _dev_settings(site):
    """The tiny site's settings as `make devserver` reads them (relative URLs)."""
    return site.settings_file(SITEURL="", RELATIVE_URLS=True)


def test_a_bad_save_is_one_line_and_the_last_good_site_stays_whole(site):
    post = site.content / "posts/open-calendars.md"
    with dev_server(_dev_settings(site)) as (session, base, _lines):
        assert "Published text." in fetch(base + "2026/open-calendars/")
        started = session.builds_started
        post.write_text(BROKEN)
        wait_for(lambda: session.live.problem, "the bad save's problem")
        assert session.builds_started > started
        problem = session.live.problem
        assert problem.startswith("posts/open-calendars.md:3: ")
        assert "\n" not in problem
        # the post is still on its page and on the home page: on every page or none
        assert "Published text." in fetch(base + "2026/open-calendars/")
        assert "open-calendars" in fetch(base)
        version = session.live.version
        post.write_text(PUBLISHED.replace("Published text.", "Fixed text."))
        wait_for(lambda: session.live.version > version, "the good save's build")
        assert session.live.problem == ""
        assert "Fixed text." in fetch(base + "2026/open-calendars/")


def test_a_settings_file_replaced_by_the_editor_is_still_watched(site):
    """Editors save by replacing the file, which ends a watch on it: the watcher is
    made anew, and the next saves (settings or content) are built."""
    settings = _dev_settings(site)
    with dev_server(settings) as (session, base, _lines):
        for number in (1, 2):
            version = session.live.version
            replacement = settings.with_name("settings.py.new")
            replacement.write_text(
                settings.read_text() + f'\nSITE_TAGLINE = "Tagline {number}"\n'
            )
            os.replace(replacement, settings)
            wait_for(
                lambda v=version: session.live.version > v, f"settings save {number}"
            )
            wait_for(
                lambda n=number: f"Tagline {n}" in fetch_or_empty(base),
                f"tagline {number} on the home page",
            )
        version = session.live.version
        site.write("posts/open-calendars.md", PUBLISHED.replace("Published", "Later"))
        wait_for(lambda: session.live.version > version, "the content save")
        assert "Later text." in fetch(base + "2026/open-calendars/")
