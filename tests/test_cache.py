"""Caches under CACHE_PATH: a warm cache writes the same bytes as an empty one.

The digest keeps each issue's email files under the hash of its inputs
(``newsletter/cache.py``); compiled templates are kept by Jinja's bytecode cache. A
build with a warm cache, an empty cache or after an edit must write exactly what a
build with no cache writes, and a past week whose inputs did not change is read back,
not rendered again.
"""

import dataclasses
import os
import pickle
import time

from conftest import Site, snapshot
from gratitude_press.fingerprint import KEEP_UNUSED, remove_unused
from gratitude_press.newsletter import adapter
from gratitude_press.newsletter.cache import FOLDER, IssueCache, canonical


def build(site, cache, output=None):
    site.output = output or site.folder / "output"
    result = site.build(CACHE_PATH=str(cache))
    assert result.returncode == 0, result.stdout + result.stderr
    return snapshot(site.output)


def entries(cache):
    return {path.name for path in (cache / FOLDER).iterdir()}


def test_warm_and_cold_caches_write_every_file_the_same(tmp_path, monkeypatch):
    parsed = []  # the articles whose HTML the digest parsed (a spy)
    entry_of = adapter.entry_of
    monkeypatch.setattr(adapter, "entry_of", lambda i: parsed.append(i) or entry_of(i))
    site = Site(tmp_path / "site", template="newsletter")
    cache = tmp_path / "cache"
    cold = build(site, cache, tmp_path / "cold")
    stored = entries(cache)
    assert len(stored) == 2  # one per issue of the site
    assert parsed
    parsed.clear()
    warm = build(site, cache, tmp_path / "warm")
    assert warm == cold  # every file, byte for byte
    assert entries(cache) == stored  # nothing rendered again
    assert parsed == []  # nor any article's HTML parsed
    fresh = build(site, tmp_path / "other-cache", tmp_path / "fresh")
    assert fresh == cold


def test_a_warm_build_writes_what_the_cache_holds(tmp_path):
    """The warm build reads its issues back, files and issue: a marker put into a
    stored entry (as no render could make it) is what it writes; a cache that always
    missed would not. No article's HTML is parsed for a week read back."""
    site = Site(tmp_path / "site", template="newsletter")
    cache = tmp_path / "cache"
    build(site, cache, tmp_path / "cold")
    for entry in (cache / FOLDER).iterdir():
        files, layout, issue = pickle.loads(entry.read_bytes())
        files["email.txt"] += b"MARKER FROM THE CACHE\n"
        issue.title += " (marked in the cache)"
        entry.write_bytes(pickle.dumps((files, layout, issue)))
    build(site, cache, tmp_path / "warm")
    texts = sorted((tmp_path / "warm" / "newsletter").glob("*/email.txt"))
    assert len(texts) == 2
    assert all(b"MARKER FROM THE CACHE" in text.read_bytes() for text in texts)
    archive = (tmp_path / "warm" / "newsletter" / "archive" / "index.html").read_text()
    assert archive.count("(marked in the cache)") == 2


def test_an_edit_renders_its_week_again_and_only_it(tmp_path):
    site = Site(tmp_path / "site", template="newsletter")
    cache = tmp_path / "cache"
    build(site, cache)
    before = entries(cache)
    story = site.content / "posts" / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace(
            "A thank-you that took years to arrive.",
            "A thank-you, six years on.",
        ),
        encoding="utf-8",
    )
    warm = build(site, cache, tmp_path / "warm")
    assert len(entries(cache) - before) == 1  # the edited week's issue only
    cold = build(site, tmp_path / "empty-cache", tmp_path / "cold")
    assert warm == cold
    email = tmp_path / "warm" / "newsletter" / "2026-11-16" / "email.txt"
    assert "six years on" in email.read_text(encoding="utf-8")


def test_settings_and_templates_are_part_of_the_key(tmp_path):
    @dataclasses.dataclass(frozen=True)
    class Cfg:
        sitename: str

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "email.html").write_text("one")
    issue = {"title": "Week 1"}
    key = IssueCache(tmp_path, templates, Cfg("A")).key(issue)
    assert IssueCache(tmp_path, templates, Cfg("A")).key(issue) == key
    assert IssueCache(tmp_path, templates, Cfg("B")).key(issue) != key
    (templates / "email.html").write_text("two")
    assert IssueCache(tmp_path, templates, Cfg("A")).key(issue) != key


def test_values_without_a_canonical_form_are_rendered_not_guessed(tmp_path):
    cache = IssueCache(tmp_path, tmp_path, {"a": 1})
    assert cache.key({"when": object()}) is None
    assert cache.get(None) is None
    assert canonical({"b": {2, 1}, "a": (1, [2])}) == canonical(
        {"a": (1, [2]), "b": {1, 2}}
    )


def test_entries_no_build_used_for_a_day_are_removed_from_every_cache(tmp_path):
    old = time.time() - KEEP_UNUSED - 60
    for name in ("old.pickle", "used.pickle", "new.pickle"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "old-part").mkdir()  # a search part is a folder
    (tmp_path / "old-part/pagefind.js").write_bytes(b"x")
    for name in ("old.pickle", "used.pickle", "old-part"):
        os.utime(tmp_path / name, (old, old))
    remove_unused(tmp_path, {"used.pickle"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.pickle", "used.pickle"]
    remove_unused(tmp_path / "missing")  # no folder yet: nothing to do
