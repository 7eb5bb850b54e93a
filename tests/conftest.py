"""Shared fixtures: real builds of the sample site and of tiny sites, in temp folders.

Builds run in the test's own interpreter (``run_build``, ``run_command``): the same
code as ``python -m gratitude_press build``, with its stdout and stderr captured. Each
build starts from what a fresh process would have (see ``_fresh_process_state``), so
tests do not depend on which builds ran before them in the same xdist worker; only
compiled templates are shared (``TEMPLATE_CODE``). ``run_build_process`` is the real
command line in a child process, for the few tests that must kill a build or check
the entry point itself. The suite runs on pytest-xdist workers (pyproject.toml): the sample
site is built once per run for all of them.
"""

import contextlib
import fcntl
import io
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"
# Settings files the builds load by name: the kit's, and the tiny sites' settings.py.
SETTINGS_MODULES = ("pelicanconf", "publishconf", "settings")


# Compiled templates, shared by the builds of the tiny sites: each has its own
# CACHE_PATH, so the kit would compile the theme's ~40 templates for every one of them.
# write_settings hands them one folder through Pelican's JINJA_ENVIRONMENT (the kit
# leaves a bytecode_cache the settings choose alone); Jinja reuses code only for the same
# file with the same source (it checks a checksum) and the same Jinja and Python.
# In the project's own (git-ignored) cache folder: a shared temp folder could be
# written by someone else, and Jinja runs the code it loads.
TEMPLATE_CODE = ROOT / "cache" / "test-templates"
TEMPLATE_CODE.mkdir(parents=True, exist_ok=True)


def snapshot(folder):
    """Every file under ``folder``, by its path under it: two builds compared whole."""
    return {
        p.relative_to(folder): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- Builds ---------------------------------------------------------------------


def run_build(settings_file, output, *, strict=True, cwd=None):
    """Build in-process with the same command line as `make html`; return a
    ``CompletedProcess`` with ``returncode``, ``stdout`` and ``stderr``."""
    return run_command(_build_args(settings_file, output, strict), cwd=cwd)


def run_build_process(settings_file, output, *, strict=True, cwd=None, env=None):
    """The same build through ``python -m gratitude_press`` in a child process."""
    return run_command_process(
        _build_args(settings_file, output, strict), cwd=cwd, env=env
    )


def _build_args(settings_file, output, strict):
    args = ["build", "-s", str(settings_file), "-o", str(output)]
    return args + ["--strict"] if strict else args


def run_command(args, *, cwd=None):
    """``python -m gratitude_press ARGS`` in this interpreter, output captured."""
    from gratitude_press.__main__ import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        _fresh_process_state(cwd or ROOT),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            status = main([str(arg) for arg in args])
        except SystemExit as stop:  # argparse refusing the arguments
            status = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(
        ["gratitude_press", *map(str, args)],
        status,
        stdout.getvalue(),
        stderr.getvalue(),
    )


def run_command_process(args, *, cwd=None, env=None):
    """``python -m gratitude_press ARGS`` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "gratitude_press", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**_environment(), **(env or {}), "PYTHONPATH": str(ROOT / "plugins")},
    )


@contextlib.contextmanager
def _fresh_process_state(cwd):
    """What a new ``python -m gratitude_press`` process starts with, for one build.

    - The settings files are imported afresh: ``from pelicanconf import *`` would
      otherwise hand every build the dicts of the first one (Pelican's Markdown reader
      adds to ``MARKDOWN`` in place).
    - Pelican's log filter forgets the messages it has seen: it drops a warning whose
      text it logged before, in any build of the process, and keeps the ``LOG_FILTER``
      of every settings file it read.
    - ``sys.path`` (settings files insert the kit's folder) and the working directory
      are put back afterwards.
    """
    from pelican.log import LimitFilter

    saved_path, saved_cwd = list(sys.path), os.getcwd()
    saved_level = logging.getLogger().level
    for name in SETTINGS_MODULES:
        sys.modules.pop(name, None)
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    LimitFilter._ignore.clear()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for name in SETTINGS_MODULES:
            sys.modules.pop(name, None)
        logging.getLogger().setLevel(saved_level)


def _environment():
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def write_settings(folder, content, base="pelicanconf", **overrides):
    """A settings file for a tiny site: the kit's settings with `content` as PATH."""
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        f"from {base} import *",
        f"PATH = {str(content)!r}",
        f"THEME = {str(ROOT / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
        "from jinja2 import FileSystemBytecodeCache",
        "JINJA_ENVIRONMENT = {**JINJA_ENVIRONMENT, 'bytecode_cache':"
        f" FileSystemBytecodeCache({str(TEMPLATE_CODE)!r})}}",
    ]
    lines += [f"{key} = {value!r}" for key, value in overrides.items()]
    settings = Path(folder) / "settings.py"
    settings.write_text("\n".join(lines) + "\n")
    return settings


class Site:
    """A tiny site in a temp folder: write files, build, read the output."""

    def __init__(self, folder, template=None):
        self.folder = Path(folder)
        self.content = self.folder / "content"
        self.output = self.folder / "output"
        if template:
            shutil.copytree(SITES / template, self.content)
        else:
            self.content.mkdir(parents=True)

    def write(self, relative, text):
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def settings_file(self, *, base="pelicanconf", **overrides):
        overrides.setdefault("SITEURL", "https://gratitude.example")
        overrides.setdefault("RELATIVE_URLS", False)
        return write_settings(self.folder, self.content, base=base, **overrides)

    def build(self, *, strict=True, base="pelicanconf", **overrides):
        return run_build(
            self.settings_file(base=base, **overrides), self.output, strict=strict
        )

    def read(self, relative):
        return (self.output / relative).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


@pytest.fixture
def basic_site(tmp_path):
    return Site(tmp_path, template="basic")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make ``--dist loadgroup`` keep each ``xdist_group`` on one worker.

    pytest-xdist 3.8 names a test's group by renaming the test (``item._nodeid``), which
    pytest 9 no longer reads (it keeps the id in ``item._id``); without this, the
    tests of a group would be spread over the workers like any others.
    """
    if not config.getoption("loadgroup", default=False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
            item._id = NodeId.parse(item.nodeid + suffix)


def _built_once(tmp_path_factory, name, settings_file):
    """``settings_file`` built once per test run: the first xdist worker to take the
    lock builds it, the others wait for it and read the same output."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this run's folder, above each worker's own
    folder = shared / f"shared-{name}"
    folder.mkdir(exist_ok=True)
    output, done = folder / "output", folder / "built"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            result = run_build(settings_file, output)
            assert result.returncode == 0, result.stdout + result.stderr
            done.touch()
    return output


@pytest.fixture(scope="module")
def site_url(sample_site):
    """The sample site served on 127.0.0.1 as a static host would (the browser tests)."""
    from browser import server

    with server.serve(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from browser import chromium

    with playwright_api.sync_playwright() as playwright:
        instance = chromium.launch(playwright)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample site as `make html` builds it (relative URLs). Read it, never
    write to it: every test of the run shares it, on every xdist worker."""
    return _built_once(tmp_path_factory, "sample", ROOT / "pelicanconf.py")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The sample site as `make publish` builds it (absolute URLs on SITEURL). Read it,
    never write to it, as ``sample_site``."""
    return _built_once(tmp_path_factory, "published", ROOT / "publishconf.py")
