"""A large site's search index comes in parts: pagefind's memory stays bounded by
``SEARCH_PAGES_PER_INDEX`` pages, the search page merges the parts, and a part whose
pages did not change is copied from the cache instead of indexed again.

The index of each part is pagefind's own: these tests build sites with parts of two
pages and look at what pagefind wrote, what the build ran, and what a browser finds.
"""

import json
import shutil
import threading

import pytest
from browser import chromium, server
from test_search_early import a_folder, needs_pagefind
from test_theme import search_config

from conftest import ROOT, Site, snapshot
from gratitude_press.errors import ContentError
from gratitude_press.search import pagefind

WORDS = ["aardvark", "bluebell", "cormorant", "dandelion", "egret", "foxglove"]


def pages(count):
    return [f"2026/post-{n}/index.html" for n in range(count)]


def test_pages_that_fit_make_one_index_as_before():
    parts = pagefind.plan(pages(3), ["index.html"], "pagefind", 3)
    assert parts == [
        pagefind.Part("pagefind", "2026/*/index.html", tuple(sorted(pages(3))))
    ]


def test_more_pages_make_a_power_of_two_of_parts_each_page_in_one():
    parts = pagefind.plan(pages(100), ["index.html"], "pagefind", 10)
    assert 8 <= len(parts) <= 16  # 16 buckets, an empty one dropped
    assert parts[0].folder == "pagefind"
    assert all(p.folder.startswith("pagefind/part-") for p in parts[1:])
    indexed = [page for part in parts for page in part.pages]
    assert sorted(indexed) == sorted(pages(100))
    for part in parts:
        assert part.glob == "{" + ",".join(part.pages) + "}"


def test_a_new_page_changes_one_part_and_doubling_splits_parts():
    before = pagefind.plan(pages(100), [], "pagefind", 10)
    after = pagefind.plan(pages(101), [], "pagefind", 10)
    changed = [a for a, b in zip(before, after, strict=True) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert set(changed[0].pages) | {"2026/post-100/index.html"} == set(
        next(p for p in after if p.folder == changed[0].folder).pages
    )
    halves = pagefind.plan(pages(100), [], "pagefind", 5)  # 32 buckets, not 16
    for part in before:
        assert any(set(half.pages) <= set(part.pages) for half in halves)


def test_pages_a_glob_cannot_name_make_one_index_of_every_page():
    parts = pagefind.plan(["a b/index.html", *pages(10)], [], "pagefind", 2)
    every = tuple(sorted(["a b/index.html", *pages(10)]))
    assert parts == [pagefind.Part("pagefind", None, every)]


def test_a_glob_too_long_for_one_argument_makes_smaller_parts():
    long = [f"2026/{'x' * 200}-{n}/index.html" for n in range(1_200)]
    parts = pagefind.plan(long, [], "pagefind", 1_000)
    assert len(parts) >= 4
    assert all(len(p.glob) <= pagefind.LONGEST_GLOB for p in parts)


def a_site(folder, count=6):
    site = Site(folder)
    (site.content / "images").mkdir()  # the icon every page links to
    shutil.copy(ROOT / "content/images/favicon.png", site.content / "images")
    for n, word in enumerate(WORDS[:count]):
        site.write(
            f"posts/{word}.md",
            f"""
            Title: Thanks for the {word}
            Date: 2026-03-0{n + 1} 09:00
            Category: Leadership

            The team thanked Sam for the {word} on the shared desk.
            """,
        )
    return site


def build(site, cache):
    result = site.build(
        SITEURL="",
        RELATIVE_URLS=True,
        CACHE_PATH=str(cache),
        SEARCH_PAGES_PER_INDEX=2,
    )
    assert result.returncode == 0, result.stderr
    return site.output / "pagefind"


def page_counts(bundle):
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


@pytest.fixture
def spy_runs(monkeypatch):
    runs = []
    original = pagefind.Indexer._run

    def run(indexer, args):
        runs.append(args[args.index("--output-subdir") + 1])
        return original(indexer, args)

    monkeypatch.setattr(pagefind.Indexer, "_run", run)
    return runs


@needs_pagefind
def test_each_part_indexes_its_pages_and_the_parts_list_names_the_others(
    tmp_path, spy_runs
):
    site = a_site(tmp_path / "site")
    bundle = build(site, tmp_path / "cache")
    others = json.loads((bundle / "parts.json").read_text())
    assert others and all(name.startswith("part-") for name in others)
    with_body, rest = pagefind.html_pages(site.output)
    assert len(with_body) == len(WORDS)
    parts = pagefind.plan(with_body, rest, "pagefind", 2)
    assert [p.folder.removeprefix("pagefind/") + "/" for p in parts[1:]] == others
    for part in parts:  # each bundle holds exactly its part's pages
        assert page_counts(site.output / part.folder) == len(part.pages)
    assert sorted(spy_runs) == sorted(
        ["pagefind"] + [f"pagefind/{n[:-1]}" for n in others]
    )


@needs_pagefind
def test_an_edit_indexes_its_part_again_and_copies_the_others(tmp_path, spy_runs):
    site = a_site(tmp_path / "site")
    cache = tmp_path / "cache"
    build(site, cache)
    spy_runs.clear()
    build(site, cache)
    assert spy_runs == []  # every part from the cache
    post = site.content / "posts/egret.md"
    post.write_text(
        post.read_text().replace("shared desk", "shared desk by the window")
    )
    bundle = build(site, cache)
    assert len(spy_runs) == 1
    edited = shutil.copytree(bundle, tmp_path / "edited")
    spy_runs.clear()
    build(site, tmp_path / "empty-cache")
    assert len(spy_runs) == len(json.loads((bundle / "parts.json").read_text())) + 1
    assert snapshot(edited) == snapshot(bundle)  # same bytes as indexing from scratch


@needs_pagefind
def test_a_stale_early_run_indexes_every_part_again(tmp_path):
    site = a_site(tmp_path / "site")
    build(site, tmp_path / "cache")
    folder = site.output
    config = search_config(SEARCH_PAGES_PER_INDEX=2)
    started = pagefind.start(pagefind.find_binary(), folder, config, tmp_path / "c2")
    page = next(folder.glob("2026/*/index.html"))
    page.write_text(page.read_text().replace("shared desk", "desk, rewritten"))
    assert started.outcome() == pagefind.STALE
    assert pagefind.run(pagefind.find_binary(), folder, config, tmp_path / "c2") is None
    bundle = folder / "pagefind"
    others = json.loads((bundle / "parts.json").read_text())
    counts = [page_counts(bundle)] + [page_counts(bundle / name) for name in others]
    assert others and sum(counts) == len(WORDS)  # every part, every page
    fresh = shutil.copytree(folder, tmp_path / "fresh")
    pagefind.clear_bundle(fresh / "pagefind")
    assert pagefind.run(pagefind.find_binary(), fresh, config) is None  # no cache
    assert snapshot(fresh / "pagefind") == snapshot(bundle)  # the rewritten page too


@needs_pagefind
@pytest.mark.browser
@pytest.mark.skipif(not chromium.available(), reason="Chromium is not installed")
def test_the_search_page_finds_a_word_in_every_part(tmp_path, browser):
    site = a_site(tmp_path / "site")
    bundle = build(site, tmp_path / "cache")
    assert json.loads((bundle / "parts.json").read_text())
    context = browser.new_context(viewport=chromium.DESKTOP)
    context.set_default_timeout(10_000)
    page = chromium.watch(context.new_page())
    try:
        with server.serve(site.output) as url:
            page.goto(f"{url}/search/")
            with_body, others = pagefind.html_pages(site.output)
            parts = pagefind.plan(with_body, others, "pagefind", 2)
            assert len(parts) > 1
            # one word of each part: the first post's ("thanks-for-the-<word>")
            for word in [part.pages[0].split("/")[1].split("-")[-1] for part in parts]:
                page.fill(".pagefind-ui__search-input", word)
                result = page.locator(
                    ".pagefind-ui__result-link", has_text=f"Thanks for the {word}"
                )
                result.first.wait_for()
                assert result.count() == 1
        assert page.problems == [], "\n".join(page.problems)
    finally:
        context.close()


def test_a_bundle_folder_must_be_inside_the_output():
    for bad in (".", "a/../..", "/"):
        with pytest.raises(ContentError):
            search_config(SEARCH_BUNDLE_DIR=bad)


def test_clearing_the_bundle_keeps_the_pages_sharing_its_folder(tmp_path):
    bundle = tmp_path / "search"
    for name in ("index.html", "pagefind.js", "fragment/a.pf_fragment", "part-3/x"):
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_text("x")
    pagefind.clear_bundle(bundle)
    assert sorted(p.name for p in bundle.iterdir()) == ["index.html"]


@needs_pagefind
def test_a_build_that_fails_after_indexing_started_stops_it(tmp_path, monkeypatch):
    slow = tmp_path / "slow-pagefind"  # still indexing when the build fails
    slow.write_text(f'#!/bin/sh\nsleep 1\nexec "{pagefind.find_binary()}" "$@"\n')
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    site = a_site(tmp_path / "site")
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    # the story pages are written after pagefind starts: this one fails
    (theme / "templates/gratitude_quality.html").write_text("{{ 1 // 0 }}")
    site.write(
        "posts/story.md",
        """
        Title: A story
        Date: 2026-03-09 09:00

        /// gratitude | The chair
            quality: unexpected
            person: Dana Whitfield
            from: Sam
        Thank you.
        ///
        """,
    )
    result = site.build(
        SITEURL="", RELATIVE_URLS=True, THEME=str(theme), SEARCH_PAGES_PER_INDEX=2
    )
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stderr or "division" in result.stderr
    running = [t for t in threading.enumerate() if t.name == pagefind.THREAD_NAME]
    assert running == []


@needs_pagefind
def test_a_part_whose_pages_change_while_pagefind_reads_them_is_not_cached(tmp_path):
    site = a_folder(tmp_path / "site")
    meddling = tmp_path / "meddling-pagefind"  # a page is rewritten mid-run
    meddling.write_text(
        "#!/bin/sh\n"
        f'printf " " >> "$2/2026/a/index.html"\nexec "{pagefind.find_binary()}" "$@"\n'
    )
    meddling.chmod(0o755)
    cache = tmp_path / "cache"
    folder = cache / pagefind.CACHE_FOLDER

    def stored():
        return list(folder.iterdir()) if folder.exists() else []

    assert pagefind.run(meddling, site, search_config(), cache) is None
    assert stored() == []
    assert pagefind.run(pagefind.find_binary(), site, search_config(), cache) is None
    assert len(stored()) == 1  # unchanged while read: kept
