"""One style: ruff's lint and format, as configured in pyproject.toml, over the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(RUFF is None, reason="ruff is installed by requirements.txt")
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_the_code_keeps_one_style(command):
    result = subprocess.run(
        [
            RUFF,
            *command,
            "plugins",
            "tests",
            "bench",
            "pelicanconf.py",
            "publishconf.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
