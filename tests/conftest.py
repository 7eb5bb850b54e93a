"""Shared fixtures: real builds of the sample site and of tiny sites, in temp folders."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"


def run_build(settings_file, output, *, strict=True, cwd=None):
    """Build with the same command line as `make html`; return the finished process."""
    command = [sys.executable, "-m", "gratitude_press", "build", "-s", str(settings_file),
               "-o", str(output)]
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=cwd or ROOT, capture_output=True, text=True,
                          env={**_environment(), "PYTHONPATH": str(ROOT / "plugins")},
                          timeout=600)


def _environment():
    import os

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

    def build(self, *, strict=True, base="pelicanconf", **overrides):
        overrides.setdefault("SITEURL", "https://gratitude.example")
        overrides.setdefault("RELATIVE_URLS", False)
        settings = write_settings(self.folder, self.content, base=base, **overrides)
        return run_build(settings, self.output, strict=strict)

    def read(self, relative):
        return (self.output / relative).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


@pytest.fixture
def basic_site(tmp_path):
    return Site(tmp_path, template="basic")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample site as `make html` builds it (relative URLs)."""
    output = tmp_path_factory.mktemp("sample") / "output"
    result = run_build(ROOT / "pelicanconf.py", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The sample site as `make publish` builds it (absolute URLs on SITEURL)."""
    output = tmp_path_factory.mktemp("published") / "output"
    result = run_build(ROOT / "publishconf.py", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output
