"""The dev server's fast render: a post whose text alone changed is written into the
served site before the whole build, exactly as the whole build then writes it.

Each test builds the sample site as ``gratitude-press dev`` does (``LastBuild``
around the build runner with the dev settings), saves, renders fast, then builds
the whole site and compares the page bytes. Nothing here measures time.
"""

import json
import logging
import os
import shutil
from pathlib import Path

import pytest
from test_week import dev_server, fetch, wait_for

from conftest import ROOT, Site
from gratitude_press.build import runner
from gratitude_press.dev.fast import LastBuild
from gratitude_press.dev.preview import DEV_SETTINGS
from gratitude_press.dev.server import LiveState

POST = "posts/who-carried-the-pager.md"
EPISODE = "episodes/off-the-rak-001.md"
ADDED = "\n\nOne more sentence, saved a moment ago.\n"


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    """One dev build of the sample site for the module; a test that saves a file
    puts it back (``restored``) and leaves the last build a good one."""
    tmp_path = tmp_path_factory.mktemp("dev-fast")
    site = Site(tmp_path / "site")
    shutil.copytree(ROOT / "content", site.content, dirs_exist_ok=True)
    site.write(
        "posts/half-a-thought.md",
        """
        Title: Half a thought
        Date: 2026-03-03 08:00
        Status: draft

        Draft text.
        """,
    )
    settings = site.settings_file(
        SITEURL="", RELATIVE_URLS=True, CACHE_PATH=str(tmp_path / "cache")
    )
    last = LastBuild(site.output)

    def build():
        build.sources = sources(site)  # what the last build read
        return last.build(
            lambda: runner.build(
                str(settings), site.output, overrides=DEV_SETTINGS, discard_later=True
            )
        )

    assert build() == 0
    return site, last, build


def sources(site):
    return {p: p.read_bytes() for p in site.content.rglob("*.md")}


@pytest.fixture
def restored(dev):
    site, _, build = dev
    saved, pages = sources(site), pages_of(site)
    yield
    for path in set(site.content.rglob("*.md")) - set(saved):
        path.unlink()
    for path, data in saved.items():
        path.write_bytes(data)
    if build.sources != saved or pages_of(site) != pages:  # built or rendered
        assert build() == 0


def pages_of(site):
    return {
        path.relative_to(site.output): path.read_bytes()
        for path in site.output.rglob("*.html")
    }


def save(site, relative, change):
    path = site.content / relative
    path.write_text(change(path.read_text()))
    return path


def test_a_text_edit_is_written_first_as_the_whole_build_writes_it(dev, restored):
    site, last, build = dev
    before = pages_of(site)
    changed = [
        save(site, POST, lambda text: text + ADDED),
        save(site, "posts/half-a-thought.md", lambda text: text + ADDED),
    ]
    written = last.render(changed)
    assert len(written) == 2 and any(name.startswith("preview/") for name in written)
    fast = pages_of(site)
    differ = {path for path in fast if fast[path] != before[path]}
    assert differ == {Path(name) for name in written}  # those pages, nothing else
    for name in written:
        assert ADDED.strip().encode() in fast[Path(name)]
    assert build() == 0
    whole = pages_of(site)
    for name in written:
        assert whole[Path(name)] == fast[Path(name)], name  # byte for byte


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("Title: Who carried the pager?", "Title: Pager"),
        lambda text: text.replace("Tags: ", "Tags: pagers, ", 1),
        lambda text: "---\ntitle: [broken\n---\n" + text,  # a problem the build reports
    ],
    ids=["title", "tags", "bad front matter"],
)
def test_anything_but_text_waits_for_the_whole_build(dev, restored, change, caplog):
    site, last, _ = dev
    before = pages_of(site)
    path = save(site, POST, change)
    assert path.read_text() != (ROOT / "content" / POST).read_text()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert last.render([path]) == []
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []
    assert pages_of(site) == before


def test_a_post_whose_text_a_plugin_completes_waits_for_the_whole_build(dev, restored):
    site, last, build = dev
    # the episode's stories are thanked back: the build adds lines to its text
    episode = save(site, EPISODE, lambda text: text + ADDED)
    assert last.render([episode]) == []
    assert build() == 0
    page = site.output / "2026/gratitude-that-knows-the-work/index.html"
    assert b"Thanked back by" in page.read_bytes()
    assert ADDED.strip().encode() in page.read_bytes()


NEW_POST = """
    Title: A new post
    Date: 2026-05-01 09:00
    Category: Leadership
    Tags: trust

    Text of a post the last build did not have.

    /// gratitude | The spare chair
        quality: unexpected
        person: Dana Whitfield
        from: Rakesh Menon
    {answers}
    Thank you for the spare chair.
    ///
    """


@pytest.mark.parametrize("year", ["2026", "2099"], ids=["published", "scheduled"])
def test_a_new_post_is_written_first_as_the_whole_build_writes_it(dev, restored, year):
    site, last, build = dev
    text = NEW_POST.format(answers="").replace("2026-05-01", f"{year}-05-01")
    new = site.write("posts/a-new-post.md", text)
    (name,) = last.render([new])
    assert name.startswith("preview/") == (year == "2099")  # a scheduled preview
    fast = (site.output / name).read_bytes()
    assert b"Thank you for the spare chair." in fast
    assert build() == 0
    assert (site.output / name).read_bytes() == fast  # byte for byte


ANSWERING = "    answers: dana-whitfield-a-handwritten-card-years-later"


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("pages/a-new-page.md", "Title: A page\n\nText.\n"),
        ("posts/a-new-post.md", NEW_POST.format(answers=ANSWERING)),
        ("posts/same.md", "Title: Who carried the pager?\nDate: 2026-05-01\n\nT.\n"),
        ("posts/broken.md", "---\ntitle: [broken\n---\n"),
    ],
    ids=["page", "answers a story", "taken URL", "problem"],
)
def test_a_new_file_the_whole_site_completes_waits_for_the_whole_build(
    dev, restored, relative, text
):
    site, last, _ = dev
    assert last.render([site.write(relative, text)]) == []


def test_templates_and_failed_builds_wait_for_the_whole_build(dev, restored):
    site, last, build = dev
    new = site.write("posts/brand-new.md", "Title: New\nDate: 2026-05-01\n\nText.\n")
    post = save(site, POST, lambda text: text + ADDED)
    assert last.render([post, ROOT / "theme/templates/article.html"]) == []
    new.write_text("---\ntitle: [broken\n---\n")
    assert build() != 0
    assert last.render([post]) == []  # no good build to render from
    new.unlink()
    assert build() == 0
    assert last.render([post]) != []


def test_the_dev_server_writes_the_saved_page_first_then_builds(tmp_path):
    site = Site(tmp_path / "site")
    post = site.write(
        "posts/open-calendars.md",
        """
        Title: Open calendars
        Date: 2026-03-02 08:00
        Slug: open-calendars

        Published text.
        """,
    )
    settings = site.settings_file(
        SITEURL="", RELATIVE_URLS=True, CACHE_PATH=str(tmp_path / "cache")
    )
    with dev_server(settings) as (session, base, lines):
        started = session.builds_started
        # as many editors save: a temporary file renamed over the post
        temporary = post.with_name(".open-calendars.md.tmp")
        temporary.write_text(post.read_text() + ADDED)
        os.replace(temporary, post)
        wait_for(lambda: session.builds_started > started, "the build after the save")
        wait_for(lambda: session.live.version >= 3, "the whole build after the page")
        assert "dev: wrote 2026/open-calendars/index.html first" in lines
        assert ADDED.strip() in fetch(base + "2026/open-calendars/")


def test_new_links_wait_for_the_whole_build(dev, restored):
    site, last, _ = dev
    newcomer = NEW_POST.format(answers="").replace("Dana Whitfield", "Zelda Newcomer")
    assert last.render([site.write("posts/a-new-post.md", newcomer)]) == []
    new = site.write("posts/b-new-post.md", "Title: B\nDate: 2026-05-02\n\nText.\n")
    linking = save(
        site, POST, lambda text: text + "\nSee [B]({filename}/posts/b-new-post.md).\n"
    )
    assert last.render([new, linking]) == []  # the link's target is new too
    assert last.render([new]) != []


def test_two_new_posts_at_one_url_write_nothing(dev, restored):
    site, last, _ = dev
    before = pages_of(site)
    twins = [
        site.write(f"posts/twin-{n}.md", "Title: Twin\nDate: 2026-05-02\n\nT.\n")
        for n in (1, 2)
    ]
    assert last.render(twins) == []
    assert pages_of(site) == before


def test_a_deletion_waits_but_an_editors_temporary_file_does_not(dev, restored):
    site, last, _ = dev
    post = save(site, POST, lambda text: text + ADDED)
    gone = site.content / "posts/trust-travels-slower-than-news.md"
    gone.unlink()
    assert last.render([post, gone]) == []
    for temporary in (".who-carried-the-pager.md.swp", ".#who-carried-the-pager.md"):
        assert last.render([post, site.content / "posts" / temporary]) != []


def test_a_save_the_whole_build_rejects_leaves_the_last_good_page(dev, restored):
    site, last, build = dev
    page = site.output / "2026/who-carried-the-pager/index.html"
    good = page.read_bytes()
    post = save(site, POST, lambda text: text + ADDED)
    assert last.render([post]) == ["2026/who-carried-the-pager/index.html"]
    assert page.read_bytes() != good
    site.write("transcripts/off-the-rak-002.vtt", "not a transcript\n")  # same batch
    try:
        assert build() != 0
        assert page.read_bytes() == good  # put back: the failed save is not served
    finally:
        (site.content / "transcripts/off-the-rak-002.vtt").write_bytes(
            (ROOT / "content/transcripts/off-the-rak-002.vtt").read_bytes()
        )


def test_a_failed_build_after_a_fast_render_reloads_the_page_with_the_problem():
    live = LiveState()
    live.built()
    live.failed("posts/a.md:3: a problem")  # no fast render: the page stays as it is
    assert json.loads(live.as_json()) == {
        "version": 1,
        "problem": "posts/a.md:3: a problem",
    }
    live.failed("posts/a.md:4: another", reload=True)  # its page was put back
    assert json.loads(live.as_json()) == {
        "version": 2,
        "problem": "posts/a.md:4: another",
    }
