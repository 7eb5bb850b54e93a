"""Bad input gets one clear line; the published site is never lost.

Every case of the bad-input corpus (``tests/bad_input/<case>/``) is built through the
command line's ``main`` in this interpreter (``conftest.run_build``: the code of
``python -m gratitude_press build``), as ``make publish`` does (``--strict``). A case
folder holds:

- ``content/``: the files of a tiny site (the case's bad file and little else);
- ``expected.txt``: fragments that must all appear on ONE line of the build's output
  (a line starting ``re:`` is a regular expression); ``{line}`` stands for the line
  of the settings file where ``settings.txt`` begins;
- ``settings.txt`` (optional): lines appended to the tiny site's settings file;
- ``copy.txt`` (optional): ``target = source`` lines, files copied from the repository
  into ``content/`` (so the corpus need not hold another copy of the sample audio);
- ``command.txt`` (optional): the arguments after ``python -m gratitude_press`` when
  the case is not a site build (e.g. ``digest ... --recipients {case}/list.csv``), with
  ``{settings}``, ``{output}`` and ``{case}`` (this folder) filled in;
- ``xfail.txt`` (optional): why the case cannot pass yet (the concern it waits for).
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, Site, run_build, run_command, write_settings

CORPUS = Path(__file__).resolve().parent / "bad_input"
CASES = sorted(
    path.name for path in CORPUS.iterdir() if (path / "expected.txt").exists()
)
PREVIOUS = "<p>the site as it was before this build</p>\n"
# Content files are named relative to content/ (as writers know them); the settings
# file as it was given on the command line.
ONE_LINE_PROBLEM = re.compile(
    r"(ERROR|WARNING): (\[\w+\] )?"
    r"((?!/)[\w./-]+\.\w+|/[\w./-]+/settings\.py)(:\d+)?: \S"
)
SUMMARY = "ERROR: build failed"


def _case_param(name):
    waiting = CORPUS / name / "xfail.txt"
    if waiting.exists():
        return pytest.param(
            name,
            marks=pytest.mark.xfail(strict=False, reason=waiting.read_text().strip()),
        )
    return name


def _run_case(case, settings, output):
    """The site build as `make publish` runs it, or the case's own command."""
    command = CORPUS / case / "command.txt"
    if not command.exists():
        return run_build(settings, output, strict=True)
    args = (
        command.read_text()
        .strip()
        .format(settings=settings, output=output, case=CORPUS / case)
        .split()
    )
    return run_command(args)


def _prepare(case, folder):
    """A tiny site from the case folder: (site, settings file, settings line)."""
    site = Site(folder)
    shutil.copytree(CORPUS / case / "content", site.content, dirs_exist_ok=True)
    copies = CORPUS / case / "copy.txt"
    if copies.exists():
        for line in copies.read_text().splitlines():
            if "=" in line:
                target, source = (part.strip() for part in line.split("=", 1))
                (site.content / target).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(ROOT / source, site.content / target)
    settings = write_settings(
        folder, site.content, SITEURL="https://gratitude.example", RELATIVE_URLS=False
    )
    first_extra_line = len(settings.read_text().splitlines()) + 1
    extra = CORPUS / case / "settings.txt"
    if extra.exists():
        settings.write_text(settings.read_text() + extra.read_text())
    return site, settings, first_extra_line


def _expected(case, settings_line):
    fragments = []
    for line in (CORPUS / case / "expected.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            fragments.append(line.replace("{line}", str(settings_line)))
    return fragments


def _matches(fragment, line):
    if fragment.startswith("re:"):
        return re.search(fragment[3:], line) is not None
    return fragment in line


def tree_digest(folder: Path) -> dict:
    """Every file, folder and link under ``folder``, with its bytes."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            digest[key] = ("link", str(path.readlink()))
        elif path.is_dir():
            digest[key] = ("dir",)
        else:
            digest[key] = ("file", path.read_bytes())
    return digest


@pytest.mark.parametrize("case", [_case_param(name) for name in CASES])
def test_bad_input_gets_one_clear_line_and_keeps_the_site(case, tmp_path):
    site, settings, settings_line = _prepare(case, tmp_path)
    site.output.mkdir()
    (site.output / "index.html").write_text(PREVIOUS)
    before = tree_digest(site.output)

    result = _run_case(case, settings, site.output)
    log = result.stdout + result.stderr

    assert result.returncode != 0, log
    assert "Traceback" not in log
    fragments = _expected(case, settings_line)
    lines = [
        line
        for line in log.splitlines()
        if all(_matches(fragment, line) for fragment in fragments)
    ]
    assert lines, f"no line of the output has all of {fragments}:\n{log}"
    # The line says what to do: a hint in parentheses at its end.
    assert re.search(r"\(.+\)$", lines[0].rstrip()), lines[0]
    if not (CORPUS / case / "command.txt").exists():
        for line in result.stderr.splitlines():  # every problem: one line naming a file
            assert ONE_LINE_PROBLEM.match(line) or line.startswith(SUMMARY), line
    assert tree_digest(site.output) == before
    assert not list(tmp_path.glob(".output.*")), "a staging folder was left behind"


def test_the_corpus_covers_every_kind_of_input():
    """Posts, pages, episodes, story blocks, settings: at least one case each."""
    kinds = {
        path.parts[0]
        for case in CASES
        for path in (
            p.relative_to(CORPUS / case / "content")
            for p in (CORPUS / case / "content").rglob("*.md")
        )
    }
    assert {"posts", "pages", "episodes"} <= kinds
    assert sum((CORPUS / case / "settings.txt").exists() for case in CASES) >= 5
    assert any(
        "///" in path.read_text(errors="replace") for path in CORPUS.rglob("posts/*.md")
    )


# --- Input that is unusual but fine ----------------------------------------------

GOOD_POSTS = {
    "posts/headers.md": (
        "Title: Line endings do not matter\nDate: 2026-03-02 09:00\nCategory: Trust\n"
        "Tags: trust, teams\nSummary: Saved on *any* editor.\n\nA paragraph.\n\n"
        "- one\n- two\n\n    code block\n\nLast line.\n"
    ),
    "posts/front-matter.md": (
        "---\ntitle: Front matter with CRLF\ndate: 2026-03-03 09:00\ncategory: Trust\n"
        "tags: [trust, yaml]\nsummary: Saved on Windows.\n---\nBody line one.\n"
        "Body line two.\n"
        "\n/// gratitude | The checklist\n    quality: anticipates-needs\n"
        "    person: Dana Whitfield\n\nDana wrote the checklist before anyone asked.\n"
        "///\n"
    ),
    "pages/about.md": "Title: About\n\nAbout this site.\n",
}


def _write_posts(site, transform):
    for relative, text in GOOD_POSTS.items():
        path = site.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(transform(text))
        os.utime(path, (1767225600, 1767225600))  # the sitemap dates pages by mtime


def test_bom_and_crlf_build_fine_and_identically(tmp_path):
    site = Site(tmp_path)
    _write_posts(site, lambda text: text.encode("utf-8"))
    first = site.build()
    assert first.returncode == 0, first.stderr
    plain = tree_digest(site.output)
    _write_posts(
        site, lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    )
    second = site.build()
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    windows = tree_digest(site.output)
    changed = sorted(
        key
        for key in plain.keys() | windows.keys()
        if plain.get(key) != windows.get(key)
    )
    assert not changed, f"a BOM or CRLF changed these files: {changed}"
    page = site.read("2026/line-endings-do-not-matter/index.html")
    assert "\ufeff" not in page and "\r" not in page


def test_a_10_mb_post_builds(tmp_path):
    import random

    words = (
        "trust gratitude team ledger small deposits noticed effort thanks "
        "specific sentence week meeting honest decision"
    ).split()
    chooser = random.Random(8)
    parts = [
        "Title: A very long post\nDate: 2026-03-02 09:00\nCategory: Trust\n"
        "Summary: Ten megabytes of words.\n\n"
    ]
    size = 0
    while size < 10 * 1024 * 1024:
        paragraph = (
            f"## Section {len(parts)}\n\n"
            if len(parts) % 50 == 0
            else " ".join(chooser.choice(words) for _ in range(120)) + ".\n\n"
        )
        parts.append(paragraph)
        size += len(paragraph)
    site = Site(tmp_path)
    (site.content / "posts").mkdir()
    (site.content / "posts/long.md").write_text("".join(parts))

    result = site.build()

    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    page = site.output / "2026/a-very-long-post/index.html"
    assert page.stat().st_size > 10 * 1024 * 1024


# --- The pure helpers behind the messages ----------------------------------------


def test_settings_problems_name_the_file_that_sets_the_value(tmp_path):
    from gratitude_press.checks.settings_types import check_settings

    (tmp_path / "pelicanconf.py").write_text(
        'SITENAME = "Kit"\n\nDEFAULT_PAGINATION = "ten"\n'
    )
    publish = tmp_path / "publishconf.py"
    publish.write_text("from pelicanconf import *\nRELATIVE_URLS = 'no'\n")
    problems = check_settings(
        {"DEFAULT_PAGINATION": "ten", "RELATIVE_URLS": "no", "SITENAME": "Kit"}, publish
    )
    assert sorted(str(p) for p in problems) == [
        f"{publish}:2: RELATIVE_URLS must be True or False, not 'no' "
        "(e.g. RELATIVE_URLS = True)",
        "pelicanconf.py:3: DEFAULT_PAGINATION must be a whole number of posts per "
        "page, or False, not 'ten' (e.g. DEFAULT_PAGINATION = 10)",
    ]


def test_the_kit_settings_pass_the_settings_check():
    from pelican.settings import read_settings

    from gratitude_press.checks.settings_types import check_settings
    from gratitude_press.config import all_defaults

    for name in ("pelicanconf.py", "publishconf.py"):
        settings = read_settings(str(ROOT / name))
        assert check_settings(settings, ROOT / name, all_defaults()) == []


def test_content_errors_are_shown_relative_to_the_content_folder(tmp_path):
    from gratitude_press.errors import ContentError

    error = ContentError(
        tmp_path / "content/posts/a.md", "the title is empty", 3, "add one"
    )
    assert (
        str(error.relative_to(tmp_path / "content"))
        == "posts/a.md:3: the title is empty (add one)"
    )
    outside = ContentError("pelicanconf.py", "bad", None)
    assert str(outside.relative_to(tmp_path / "content")) == "pelicanconf.py: bad"
