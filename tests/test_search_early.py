"""pagefind starts once the pages it indexes are written; the index is still the
finished site's.

``search/__init__.py`` starts pagefind in the background after Pelican's page
generator (every page with ``data-pagefind-body`` is written by then) and, once the
site is finished, keeps that run only if the pages it read are still the site's;
otherwise it indexes the finished site again. Nothing here measures time.
"""

import shutil

import pytest
from test_theme import search_config

from conftest import Site, snapshot
from gratitude_press.search import pagefind

BODY = "<html><body><article data-pagefind-body>{}</article></body></html>"

needs_pagefind = pytest.mark.skipif(
    pagefind.find_binary() is None, reason="needs the pagefind binary"
)


def a_folder(folder):
    for name, text in {
        "2026/a/index.html": BODY.format("Thanks to the night shift"),
        "2026/b/index.html": BODY.format("A quiet word of thanks"),
        "tags/index.html": "<p>no body</p>",
    }.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@needs_pagefind
def test_an_early_run_whose_pages_did_not_change_is_kept(tmp_path):
    early = a_folder(tmp_path / "early")
    binary, config = pagefind.find_binary(), search_config()
    started = pagefind.start(binary, early, config)
    assert started is not None
    (early / "people/index.html").parent.mkdir()
    (early / "people/index.html").write_text("<p>written later, no body</p>")
    assert started.outcome() is None
    late = a_folder(tmp_path / "late")
    (late / "people/index.html").parent.mkdir()
    (late / "people/index.html").write_text("<p>written later, no body</p>")
    assert pagefind.run(binary, late, config) is None
    assert snapshot(early / "pagefind") == snapshot(late / "pagefind")


@needs_pagefind
def test_an_early_run_whose_pages_changed_is_stopped(tmp_path):
    site = a_folder(tmp_path / "site")
    binary, config = pagefind.find_binary(), search_config()
    started = pagefind.start(binary, site, config)
    (site / "2026/b/index.html").write_text(BODY.format("Rewritten after the start"))
    assert started.outcome() == pagefind.STALE
    started = pagefind.start(binary, site, config)
    (site / "2026/c/index.html").parent.mkdir()
    (site / "2026/c/index.html").write_text(BODY.format("A page added later"))
    assert started.outcome() == pagefind.STALE


@needs_pagefind
def test_a_build_indexes_what_pagefind_makes_of_the_finished_site(
    tmp_path, monkeypatch
):
    indexed_again = []
    run = pagefind.run
    monkeypatch.setattr(
        pagefind, "run", lambda *args, **kw: indexed_again.append(args) or run(*args)
    )
    site = Site(tmp_path / "site", template="basic")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert indexed_again == []  # the run started early was kept
    monkeypatch.setattr(pagefind, "run", run)
    again = tmp_path / "again"
    shutil.copytree(site.output, again)
    shutil.rmtree(again / "pagefind")
    assert pagefind.run(pagefind.find_binary(), again, search_config()) is None
    assert snapshot(again / "pagefind") == snapshot(site.output / "pagefind")
