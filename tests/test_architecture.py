"""Builds run in-process, several in one interpreter, and each is the build of its site.

The plugin keeps what a build learns in one object in that build's context and reads
settings once per Pelican instance, so nothing of one build may reach another. Each
site here is built once by the real command line in a fresh process (the reference);
then the same sites are built in this test's interpreter, which has run other builds
before: one after the other through ``gratitude_press.__main__.main``, and through two
``Pelican`` instances alive at once, run interleaved. Every output tree must be
byte-identical to its reference, file by file.

The sites differ in content (the sample site, a stories site, a podcast site) and in
settings (``SITEURL``, ``FEED_MAX_ITEMS``, relative URLs), so state or settings carried
from one build to the next shows up as a changed file.
"""

import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings
from test_podcast_site import podcast_site

from conftest import ROOT, SITES, _environment, run_build_process, write_settings


def _stories(folder):
    shutil.copytree(SITES / "stories", folder / "content")
    return write_settings(
        folder,
        folder / "content",
        SITEURL="https://stories.example",
        RELATIVE_URLS=False,
        FEED_MAX_ITEMS=1,
    )


def _podcast(folder):
    site = podcast_site(folder)
    return write_settings(
        folder, site.content, SITEURL="https://podcast.example", RELATIVE_URLS=False
    )


def _sample(folder):
    return ROOT / "pelicanconf.py"  # relative URLs, no feeds: `make html`


SITE_MAKERS = {"sample": _sample, "stories": _stories, "podcast": _podcast}


def tree(folder):
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def differences(actual, expected):
    """The files that differ, missing or extra (the first 12 and how many)."""
    names = sorted(
        name
        for name in actual.keys() | expected.keys()
        if actual.get(name) != expected.get(name)
    )
    return names[:12] + ([f"... {len(names)} in all"] if len(names) > 12 else [])


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Each site's settings file, and its output built by ``python -m gratitude_press
    build --strict`` in a fresh process (the processes run side by side)."""
    made, processes = {}, {}
    for name, make in SITE_MAKERS.items():
        folder = tmp_path_factory.mktemp(name)
        settings = make(folder)
        reference = folder / "reference"
        made[name] = {"settings": settings, "reference": reference}
        processes[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gratitude_press",
                "build",
                "-s",
                str(settings),
                "-o",
                str(reference),
                "--strict",
            ],
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**_environment(), "PYTHONPATH": str(ROOT / "plugins")},
        )
    for name, process in processes.items():
        log = process.communicate(timeout=600)[0]
        assert process.returncode == 0, f"{name}: {log}"
        made[name]["expected"] = tree(made[name]["reference"])
        assert len(made[name]["expected"]) > 10, name
    return made


@contextlib.contextmanager
def _quiet_and_in_root():
    """The build's output captured; the working directory, ``sys.path`` and the root
    log level as they were. Nothing else is reset: the interpreter keeps whatever
    earlier builds left in it."""
    saved_path, saved_cwd = list(sys.path), os.getcwd()
    level = logging.getLogger().level
    stdout, stderr = io.StringIO(), io.StringIO()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            yield stdout, stderr
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        logging.getLogger().setLevel(level)


def _main(*args):
    from gratitude_press.__main__ import main

    with _quiet_and_in_root() as (stdout, stderr):
        status = main([str(arg) for arg in args])
    return status, stdout.getvalue() + stderr.getvalue()


def test_different_sites_built_one_after_another_in_one_process(sites, tmp_path):
    """sample, stories, podcast: each as in a fresh process."""
    for step, name in enumerate(["sample", "stories", "podcast"]):
        output = tmp_path / f"{step}-{name}"
        status, log = _main(
            "build", "-s", sites[name]["settings"], "-o", output, "--strict"
        )
        assert status == 0, f"{name} (build {step + 1}): {log}"
        changed = differences(tree(output), sites[name]["expected"])
        assert not changed, (
            f"{name} (build {step + 1}) differs from a fresh process: {changed}"
        )


class _Problems(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def test_two_pelican_instances_alive_at_once_run_interleaved(sites, tmp_path):
    """Both instances are made (``initialized`` reads each one's settings) before
    either runs; then a, b, a. Each run must write its own site exactly."""

    def instance(name):
        output = tmp_path / name
        settings = read_settings(
            str(sites[name]["settings"]), override={"OUTPUT_PATH": str(output)}
        )
        return Pelican(settings), output

    problems = _Problems()
    root = logging.getLogger()
    root.addHandler(problems)
    try:
        with _quiet_and_in_root():
            a, a_output = instance("podcast")
            b, b_output = instance("stories")
            assert a.settings["SITEURL"] != b.settings["SITEURL"]
            runs = [
                (a, a_output, "podcast"),
                (b, b_output, "stories"),
                (a, a_output, "podcast"),
            ]
            for step, (pelican, output, name) in enumerate(runs, 1):
                shutil.rmtree(output, ignore_errors=True)  # each run writes it all
                with _quiet_and_in_root():
                    pelican.run()
                changed = differences(tree(output), sites[name]["expected"])
                assert not changed, (
                    f"run {step} ({name}) differs from a fresh process: {changed}"
                )
    finally:
        root.removeHandler(problems)
    assert problems.messages == []


def test_a_second_build_in_one_process_reports_the_same_warnings(tmp_path):
    """Strict mode counts warnings, so a warning must be logged by every build that
    meets it, not only by the first build of the process: Pelican's log filter drops
    a warning whose text it has shown before, in any build of the process. The kit
    reports an unknown link marker itself (Pelican's own warning is filtered)."""
    from pelican.log import LimitFilter

    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts/linked.md").write_text(
        "Title: Linked\nDate: 2026-03-02\n\n[A link]({nosuchmarker}elsewhere)\n"
    )
    settings = write_settings(
        tmp_path, content, SITEURL="https://gratitude.example", RELATIVE_URLS=False
    )
    LimitFilter._raised_messages.clear()  # whatever earlier tests made it see
    results = [
        _main("build", "-s", settings, "-o", tmp_path / "output", "--strict")
        for _ in range(2)
    ]
    warning = "WARNING: [checks] posts/linked.md:4: unknown link marker {nosuchmarker}"
    assert [(status, warning in log) for status, log in results] == [(1, True)] * 2, (
        results
    )


def test_the_command_line_entry_point_exits_with_the_status_of_main(tmp_path):
    """``python -m gratitude_press`` (the Makefile's command) is ``main`` in a
    process of its own: a failed build exits 1 with its one line on stderr, as
    in-process."""
    missing = tmp_path / "missing.py"
    process = run_build_process(missing, tmp_path / "out", strict=False)
    status, log = _main("build", "-s", missing, "-o", tmp_path / "out")
    assert (process.returncode, status) == (1, 1), process.stderr
    assert (
        process.stderr
        == log
        == (
            f"ERROR: {missing}: the settings file does not "
            "exist (run from the kit's folder or pass -s "
            "path/to/pelicanconf.py)\n"
        )
    )
