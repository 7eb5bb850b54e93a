"""The speed concern changes how fast the site is built, never what is built.

A generated corpus (bench/corpus.py: 30 posts with stories, 2 episodes, the sample
pages and images) is built twice in one fresh interpreter: once plain (sequential
reading, no template sharing, no incremental dev loop) and once with every fast path
on (the read-ahead pool forced on even for this small site). The two output trees
must be byte-identical, file by file. Then, as in ``make devserver``, posts are
edited and both Pelican instances run again on their own output folders: after each
edit the trees must again be identical, and the fast instance must have skipped most
renders (otherwise the test would not exercise the skipping at all).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

PLAIN = {"SPEED_PARALLEL": False, "SPEED_TEMPLATE_CACHE": False,
         "SPEED_INCREMENTAL": False}
FAST = {"SPEED_PARALLEL": True, "SPEED_PARALLEL_MIN_ITEMS": 1,
        "SPEED_WORKERS": 2, "SPEED_TEMPLATE_CACHE": True, "SPEED_INCREMENTAL": True}


# --- the driver, run in a fresh interpreter -----------------------------------------------

def tree(folder):
    folder = Path(folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def differences(a, b):
    left, right = tree(a), tree(b)
    return sorted(name for name in left.keys() | right.keys()
                  if left.get(name) != right.get(name))


def edit_body(path):
    corpus.edit_post(path, marker="body edit")


def edit_title(path):
    text = Path(path).read_text(encoding="utf-8")
    Path(path).write_text(text.replace("Title: ", "Title: Renamed: ", 1), encoding="utf-8")


def edit_story(path):
    text = Path(path).read_text(encoding="utf-8")
    start = text.index("/// gratitude")
    end = text.index("\n///\n", start)
    Path(path).write_text(text[:end] + "\n\nAnd one more thing they did.\n" + text[end:],
                          encoding="utf-8")


EDITS = {"body": edit_body, "title": edit_title, "story": edit_story}


def drive(content, work, edits):
    """Build plain and fast, compare; then for each ``kind:post`` edit, rebuild both
    instances and compare again. Prints one JSON report."""
    import logging

    sys.path.insert(0, str(ROOT / "plugins"))
    from pelican import Pelican
    from pelican.log import init
    from pelican.settings import read_settings

    from gratitude_press.speed import state_for, wait_for_background

    init(level=logging.ERROR)
    work = Path(work)

    def instance(name, overrides):
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(work / name),
            "THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "SITEURL": "https://speed.example", "RELATIVE_URLS": False,
            "CACHE_PATH": str(work / f"cache-{name}"), **overrides})
        return Pelican(settings)

    plain, fast = instance("plain", PLAIN), instance("fast", FAST)
    report = []
    for step in ["cold", *edits]:
        if step != "cold":
            kind, post = step.split(":", 1)
            EDITS[kind](Path(content) / "posts" / post)
        plain.run()
        fast.run()
        wait_for_background()  # the dev loop indexes the site for search in a thread
        memory = state_for(fast.settings).render_memory
        report.append({"step": step, "differences": differences(work / "plain", work / "fast"),
                       "files": len(tree(work / "fast")),
                       "rendered": memory.rendered, "skipped": memory.skipped})
    print(json.dumps(report))


# --- the tests --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def speed_report(tmp_path_factory):
    work = tmp_path_factory.mktemp("speed")
    content = work / "content"
    posts = corpus.generate(content, posts=30, episodes=2, seed=7)
    names = [p.name for p in posts]
    edits = [f"body:{names[12]}", f"story:{names[20]}", f"title:{names[5]}"]
    result = subprocess.run(
        [sys.executable, __file__, str(content), str(work), *edits],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    assert result.returncode == 0, result.stderr[-3000:]
    return {entry["step"].split(":")[0]: entry
            for entry in json.loads(result.stdout.strip().splitlines()[-1])}


def test_fast_cold_build_is_byte_identical_to_plain_build(speed_report):
    cold = speed_report["cold"]
    assert cold["files"] > 100
    assert cold["differences"] == []


@pytest.mark.parametrize("edit", ["body", "story", "title"])
def test_rebuild_after_an_edit_is_byte_identical(speed_report, edit):
    assert speed_report[edit]["differences"] == []


def test_body_edit_rerenders_only_the_pages_showing_the_post(speed_report):
    body = speed_report["body"]
    assert 0 < body["rendered"] < body["skipped"] / 5


def test_title_edit_rerenders_every_page(speed_report):
    title = speed_report["title"]
    assert title["skipped"] == 0 and title["rendered"] > 50


if __name__ == "__main__":
    drive(sys.argv[1], sys.argv[2], sys.argv[3:])


def _build_messages(tmp_path, content, speed):
    settings = tmp_path / f"settings-{'fast' if speed else 'plain'}.py"
    overrides = FAST if speed else PLAIN
    settings.write_text("\n".join([
        "import sys", f"sys.path.insert(0, {str(ROOT)!r})", "from pelicanconf import *",
        f"PATH = {str(content)!r}", f"THEME = {str(ROOT / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]", "SITEURL = 'https://speed.example'",
        *(f"{key} = {value!r}" for key, value in overrides.items()
          if key != "SPEED_INCREMENTAL")]) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "gratitude_press", "build", "-s", str(settings), "-o",
         str(tmp_path / "out"), "--strict"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        # Pelican reads files in the order of a set of paths: fix the hash seed so
        # both builds read (and report) in the same order.
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "PYTHONHASHSEED": "7"})
    return result.returncode, [line for line in (result.stdout + result.stderr).splitlines()
                               if line.startswith(("ERROR", "WARNING", "CRITICAL"))]


def test_parallel_reading_reports_the_same_errors_and_warnings(tmp_path):
    content = tmp_path / "content"
    posts = corpus.generate(content, posts=30, episodes=0, seed=11)
    broken = posts[3].read_text(encoding="utf-8").replace("Tags:", "Date: someday\nTags:")
    posts[3].write_text(broken, encoding="utf-8")
    (content / "posts" / "front-matter.md").write_text(
        "---\ntitle: Broken\ndate: 2026-01-01\ntags: [a, b\n---\nBody.\n", encoding="utf-8")
    doubled = posts[7].read_text(encoding="utf-8").replace("Title:", "Title: One\nTitle:", 1)
    posts[7].write_text(doubled, encoding="utf-8")
    plain = _build_messages(tmp_path, content, speed=False)
    fast = _build_messages(tmp_path, content, speed=True)
    assert plain[0] == fast[0] == 1
    assert any("front-matter.md:4" in line for line in plain[1]), plain[1]
    assert any("post-00003.md" in line for line in plain[1]), plain[1]
    assert fast[1] == plain[1]
