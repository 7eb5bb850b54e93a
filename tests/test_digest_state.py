"""Each build's issues belong to that build: two sites in one process never mix, and
nothing at the newsletter's module level changes while a build runs."""

import copy
import importlib
import io
import logging
import pkgutil
import re
import sys
import types
from contextlib import redirect_stderr

import pytest
from newsletter_support import run_digest

import gratitude_press.newsletter as newsletter
from conftest import Site, write_settings
from gratitude_press.build import runner
from gratitude_press.newsletter.outbox import OUTBOX_KEY, DigestOutbox

MODULES = [
    importlib.import_module(f"{newsletter.__name__}.{info.name}")
    for info in pkgutil.iter_modules(newsletter.__path__)
] + [newsletter]


def build(site, **overrides):
    """One strict build in this process, as the digest command runs it: (status,
    stderr, the DigestOutbox the build filled)."""
    outbox = DigestOutbox()
    settings = write_settings(
        site.folder,
        site.content,
        SITEURL="https://gratitude.example",
        RELATIVE_URLS=False,
        **overrides,
    )
    saved_path, log = list(sys.path), io.StringIO()
    for name in ("pelicanconf", "settings"):  # read afresh, as a new process would
        sys.modules.pop(name, None)
    try:
        with redirect_stderr(log):
            status = runner.build(
                str(settings),
                str(site.output),
                strict=True,
                overrides={OUTBOX_KEY: outbox},
            )
    finally:
        sys.path[:] = saved_path
    return status, log.getvalue(), outbox


def issue_folders(site):
    folder = site.output / "newsletter"
    return sorted(
        p.name for p in folder.iterdir() if p.is_dir() and p.name != "archive"
    )


def module_state():
    """Every module-level value of the newsletter package that is not code."""
    found = {}
    for module in MODULES:
        for name, value in vars(module).items():
            if (
                name.startswith("__")
                or callable(value)
                or isinstance(value, (types.ModuleType, logging.Logger))
            ):
                continue
            found[f"{module.__name__}.{name}"] = copy.deepcopy(value)
    return found


@pytest.fixture
def two_sites(tmp_path):
    return (
        Site(tmp_path / "a", template="newsletter"),
        Site(tmp_path / "b", template="basic"),
    )


def test_two_sites_in_one_process_keep_their_own_issues(two_sites):
    first, second = two_sites
    before = module_state()
    status, log, a = build(first)
    assert status == 0, log
    status, log, b = build(second)
    assert status == 0, log
    status, log, a_again = build(first)
    assert status == 0, log
    a_ids = [issue.issue_id for issue in a.issues]
    b_ids = [issue.issue_id for issue in b.issues]
    assert a_ids == ["2026-11-16", "2026-11-02"]  # newest first
    assert b_ids and not set(a_ids) & set(b_ids)
    assert [issue.issue_id for issue in a_again.issues] == a_ids  # nothing added
    assert issue_folders(first) == sorted(a_ids) and issue_folders(second) == sorted(
        b_ids
    )
    archive = (second.output / "newsletter/archive/index.html").read_text()
    assert not any(issue_id in archive for issue_id in a_ids)
    assert b.cfg.sitename and b.renderer is not None and b.entries
    assert all(entry.url.startswith("https://") for entry in b.entries)
    assert module_state() == before, "a build changed module-level state"


def test_the_newsletter_modules_hold_no_signal_or_mutable_state():
    for name, value in module_state().items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name.rpartition(".")[2]), name
        assert not isinstance(value, (list, set)), name  # dicts: constant tables only


def test_the_digest_command_reports_the_issues_of_its_own_site(two_sites, tmp_path):
    first, second = two_sites
    settings = [
        write_settings(
            site.folder,
            site.content,
            SITEURL="https://gratitude.example",
            RELATIVE_URLS=False,
        )
        for site in two_sites
    ]
    one = run_digest(settings[0], "-o", str(first.output))
    two = run_digest(settings[1], "-o", str(second.output))
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert "2 issue(s)" in one.stdout and "2026-11-16: 2 item(s)" in one.stdout
    newest = max(issue_folders(second))
    assert f"{len(issue_folders(second))} issue(s)" in two.stdout
    assert f"; {newest}: " in two.stdout
    again = run_digest(settings[0], "-o", str(first.output), "--date", "2026-11-09")
    assert again.returncode == 0 and "2026-11-02: " in again.stdout


def test_intro_problems_are_one_line_relative_to_the_content_folder(tmp_path):
    site = Site(tmp_path, template="newsletter")
    site.write("newsletter/2026-11-09.md", "Title: A quiet week\n\nNothing came out.\n")
    site.write("newsletter/2026-w47.md", "Title: Twice\n\nThe same week again.\n")
    site.write("newsletter/2026-11-02.md", "---\ntitle: [unclosed\n---\nHello.\n")
    status, log, outbox = build(site)
    lines = log.splitlines()
    assert status == 1 and "Traceback" not in log
    assert (
        "WARNING: [newsletter] newsletter/2026-11-09.md: no issue uses this intro: "
        "nothing was published in that week (check the file name's date)" in lines
    )
    assert (
        "WARNING: [newsletter] newsletter/2026-w47.md: a second intro for the week "
        "of 2026-11-16 (keep one of 2026-11-16.md and 2026-w47.md)" in lines
    )
    assert any(
        line.startswith("ERROR: [newsletter] newsletter/2026-11-02.md:2: ")
        for line in lines
    ), log
    assert str(site.content) not in log
    # the unreadable intro is left out; its issue is still made, with the default title
    titles = {issue.issue_id: issue.title for issue in outbox.issues}
    assert titles["2026-11-02"] == "The week of November 2, 2026"
