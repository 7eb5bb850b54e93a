"""One command line for the whole week: ``gratitude-press`` (``python -m
gratitude_press``), installed into ``.venv/`` by the Makefile, which runs it in every
site target."""

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, _environment, run_command

COMMANDS = (
    "new",
    "build",
    "serve",
    "dev",
    "digest",
    "send",
    "unsubscribes",
    "check",
    "deploy",
)
SITE_TARGETS = (
    "html",
    "publish",
    "deploy",
    "check",
    "serve",
    "devserver",
    "regenerate",
    "digest",
    "send",
)


def test_every_command_is_listed_and_explains_itself():
    listing = run_command(["--help"])
    assert listing.returncode == 0
    for command in COMMANDS:
        assert re.search(rf"^    {command}\b", listing.stdout, re.MULTILINE), command
        helped = run_command([command, "--help"])
        assert helped.returncode == 0, command
        assert helped.stdout.startswith(f"usage: gratitude-press {command}"), command
        assert len(helped.stdout.splitlines()) > 4, command


def _without_pythonpath(command, cwd):
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=_environment(),
    )


@pytest.mark.parametrize("where", ["root", "elsewhere"])
def test_python_m_runs_without_pythonpath(tmp_path, where):
    """The Makefile installs the kit into .venv (pip install -e .)."""
    cwd = ROOT if where == "root" else tmp_path
    result = _without_pythonpath(
        [sys.executable, "-m", "gratitude_press", "--help"], cwd
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: gratitude-press")


def test_the_console_script_is_in_the_venv(tmp_path):
    script = Path(sys.executable).with_name("gratitude-press")
    assert script.is_file(), "run make first: it installs the kit into .venv"
    result = _without_pythonpath([str(script), "new", "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "gratitude-press new post" in result.stdout


def _recipes():
    """{target: its recipe lines} of the Makefile."""
    recipes, target = {}, None
    for line in (ROOT / "Makefile").read_text().splitlines():
        match = re.match(r"^([a-z-]+):", line)
        if match:
            target = match.group(1)
            recipes[target] = []
        elif line.startswith("\t") and target:
            recipes[target].append(line.strip())
    return recipes


def test_every_site_target_runs_the_command():
    recipes = _recipes()
    for target in SITE_TARGETS:
        assert recipes[target], target
        assert all(line.startswith("$(GP) ") for line in recipes[target]), target
    text = (ROOT / "Makefile").read_text()
    assert "GP := $(BIN)/gratitude-press" in text
    assert "PYTHONPATH" not in text and "pelican " not in text


def test_make_publish_and_make_html_run_the_checks():
    recipes = _recipes()
    assert recipes["publish"] == ["$(GP) build -s publishconf.py --strict --check"]
    assert recipes["html"] == ["$(GP) build --check=warn"]


def test_a_bad_argument_is_one_usage_line_and_status_2():
    result = run_command(["new", "poem", "x"])
    assert result.returncode == 2
    assert "invalid choice: 'poem'" in result.stderr


def test_the_build_log_is_one_line_per_problem_on_a_terminal_too():
    """Not Pelican's rich handler, which wraps long lines and adds the Python file
    that logged the message."""
    from gratitude_press.build.runner import _log_handler

    record = logging.LogRecord(
        "gratitude_press.reader",
        logging.ERROR,
        "markdown_reader.py",
        71,
        "%s: %s",
        ("posts/a.md:3", "x " * 80),
        None,
    )
    assert _log_handler().format(record) == f"ERROR: posts/a.md:3: {'x ' * 80}"
