"""The writer's week, end to end, in a temporary copy of the sample site.

One test walks it as the README tells it: ``new post``, an edit, ``dev`` with two
saves 0.1 s apart (the page must show the second), ``check`` failing on the sample's
identity after only the "Site identity" block was edited and passing after the
README's edits, a post dated next month absent from every output until the test's
clock passes its date, ``digest`` and ``send --dry-run`` (provider path: the dry run
makes no request). Commands run in this process (``run_command``); the dev server
runs in threads of it.

The helpers here (a copy of the sample, a running dev server, waiting for a
condition) are shared with the other ``test_week_*``, ``test_dev_*`` and
``test_check_*`` files.
"""

import contextlib
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, run_command

README = ROOT / "README.md"
COPIED = ("content", "theme", "pelicanconf.py", "publishconf.py", ".gitignore")
APPLIED_BLOCK = re.compile(
    r"<!-- applied by tests: (\S+) -->\n```python\n(.*?)```", re.DOTALL
)
WAIT_SECONDS = 120  # a deadline for builds on a busy machine, not a speed test
NEXT_MONTH = """\
Title: A letter for the new year
Date: 2027-01-06 08:30
Slug: a-letter-for-the-new-year
Summary: Scheduled for January.
Guid: 9f1c1f52-2f55-4d39-9a4e-3b8f0d0c7a11

A post written in December for the first week of January.

/// gratitude | The January letter
    quality: unexpected
    person: Wilhelmina Okonkwo-Hart

Wilhelmina answered every letter the team sent her, by hand.
///
"""
# What the scheduled post is known by in every output file.
NEXT_MONTH_MARKS = (
    "a-letter-for-the-new-year",
    "A letter for the new year",
    "9f1c1f52-2f55-4d39-9a4e-3b8f0d0c7a11",
    "Wilhelmina",
)


def sample_copy(folder: Path) -> Path:
    """The sample site (content, theme, settings) in ``folder``, a git work tree of
    its own (the subscriber-file check asks git)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    (folder / "plugins").symlink_to(ROOT / "plugins")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def wait_for(condition, what):
    """Poll ``condition`` until it holds; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {what}")


def fetch(url) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (127.0.0.1)
        return answer.read().decode("utf-8")


def fetch_or_empty(url) -> str:
    try:
        return fetch(url)
    except OSError:
        return ""


@contextlib.contextmanager
def dev_server(settings_file: Path):
    """``gratitude-press dev -s settings_file`` on a free port, in this process:
    yields (session, base URL, log lines) once the first build is in place."""
    from gratitude_press.dev.server import LiveState, address, make_server
    from gratitude_press.dev.session import DevSession

    lines = []
    live = LiveState()
    output = settings_file.parent / "output"
    session = DevSession(settings_file, output, live, say=lines.append)
    server = make_server(output, port=0, live=live)
    threads = [
        threading.Thread(target=server.serve_forever, daemon=True),
        threading.Thread(target=session.run, daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: live.version >= 1 or live.problem, "the first dev build")
        yield session, address(server), lines
    finally:
        session.stop.set()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(timeout=WAIT_SECONDS)


def readme_edits(site: Path):
    """Apply the README's "applied by tests" settings blocks (Adopting the kit)."""
    blocks = APPLIED_BLOCK.findall(README.read_text(encoding="utf-8"))
    assert {name for name, _ in blocks} == {"pelicanconf.py", "publishconf.py"}
    for name, code in blocks:
        path = site / name
        path.write_text(
            path.read_text(encoding="utf-8") + "\n" + code, encoding="utf-8"
        )


def edit_identity_block_only(site: Path):
    """What the writer of the issue did: the "Site identity" block, nothing else."""
    settings = site / "pelicanconf.py"
    text = settings.read_text(encoding="utf-8")
    for name, value in (
        ("SITENAME", "Jane Writes"),
        ("AUTHOR", "Jane Doe"),
        ("SENDER_NAME", "Jane Doe"),
    ):
        text, count = re.subn(
            rf"^{name} = .*$", f"{name} = {value!r}", text, flags=re.MULTILINE
        )
        assert count == 1, name
    settings.write_text(text, encoding="utf-8")


def files_mentioning(folder: Path, marks) -> list:
    """Output files (any kind) whose bytes contain one of ``marks``."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(mark.encode() in data for mark in marks):
                found.append(path.relative_to(folder).as_posix())
    return found


def test_the_writers_week(tmp_path, monkeypatch):
    site = sample_copy(tmp_path / "site")
    monkeypatch.setenv("GRATITUDE_NOW", "2026-12-02 09:00")
    post = monday_new_post(site)
    two_quick_saves_with_the_dev_server(site, post)
    check_fails_then_passes_after_the_readme_edits(site)
    next_months_post_waits_for_its_day(site, monkeypatch)
    monkeypatch.setenv("GRATITUDE_NOW", "2027-01-11 07:00")  # the next Monday
    digest_and_dry_run(site)


def replace_in(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def monday_new_post(site: Path) -> Path:
    made = run_command(["new", "post", "What the week needs"], cwd=site)
    assert made.returncode == 0, made.stderr
    assert "content/posts/what-the-week-needs.md" in made.stdout
    assert "http://127.0.0.1:8000/preview/what-the-week-needs/" in made.stdout
    post = site / "content/posts/what-the-week-needs.md"
    replace_in(post, "Write the post here, in Markdown.", "Monday's first words.")
    return post


def two_quick_saves_with_the_dev_server(site: Path, post: Path):
    """The second save lands 0.1 s after the first, while the first one's build
    runs: the page must end up showing it."""
    with dev_server(site / "pelicanconf.py") as (session, base, _lines):
        preview = base + "preview/what-the-week-needs/"
        page = fetch(preview)
        assert "Monday's first words." in page
        assert '<meta name="robots" content="noindex">' in page
        assert "Draft: a preview only" in page
        started = session.builds_started
        replace_in(post, "Monday's first words.", "First save.")
        wait_for(lambda: session.builds_started > started, "a build of the first save")
        time.sleep(0.1)
        replace_in(post, "First save.", "Second save.")
        wait_for(
            lambda: "Second save." in fetch_or_empty(preview),
            "the second save on the preview page",
        )


def check_fails_then_passes_after_the_readme_edits(site: Path):
    edit_identity_block_only(site)
    failing = run_command(["check", "-s", "publishconf.py"], cwd=site)
    assert failing.returncode == 1
    problems = [line for line in failing.stderr.splitlines() if "[check]" in line]
    for name in ("SITEURL", "DIGEST_SITEURL", "DIGEST_LIST_ID", "SENDER_EMAIL"):
        assert any(f" {name} " in line for line in problems), (name, problems)
    for name in ("POSTAL_ADDRESS", "NEWSLETTER_SIGNUP"):
        assert any(f" {name} " in line for line in problems), (name, problems)
    assert all(re.search(r"\.py:\d+: ", line) for line in problems), problems
    readme_edits(site)
    passing = run_command(["check", "-s", "publishconf.py"], cwd=site)
    assert passing.returncode == 0, passing.stderr


def next_months_post_waits_for_its_day(site: Path, monkeypatch):
    (site / "content/posts/a-letter-for-the-new-year.md").write_text(NEXT_MONTH)
    publish = ["build", "-s", "publishconf.py", "--strict", "--check"]
    built = run_command(publish, cwd=site)
    assert built.returncode == 0, built.stderr
    assert files_mentioning(site / "output", NEXT_MONTH_MARKS) == []
    monkeypatch.setenv("GRATITUDE_NOW", "2027-01-06 08:30")
    built = run_command(publish, cwd=site)
    assert built.returncode == 0, built.stderr
    found = set(files_mentioning(site / "output", NEXT_MONTH_MARKS))
    for name in (
        "2027/a-letter-for-the-new-year/index.html",
        "index.html",
        "feeds/all.atom.xml",
        "sitemap.xml",
        "stories.json",
        "people/wilhelmina-okonkwo-hart/index.html",
    ):
        assert name in found, (name, sorted(found))


def digest_and_dry_run(site: Path):
    digest = run_command(["digest"], cwd=site)
    assert digest.returncode == 0, digest.stderr
    assert (site / "output/newsletter/2027-01-04/email.html").is_file()
    dry_run = run_command(["send", "--dry-run"], cwd=site)
    assert dry_run.returncode == 0, dry_run.stderr
    assert "dry run" in dry_run.stdout
    assert "Jane Writes: The week of January 4, 2027" in dry_run.stdout
