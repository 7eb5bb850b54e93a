"""The README's command blocks marked "runs in tests" work exactly as written.

Each such block runs as one ``bash -e`` script in a copy of the kit (the sample site,
its settings, and links to this checkout's ``.venv/`` and plugin), without
``PYTHONPATH``: what a writer who just ran ``make html`` would type.
"""

import re
import shutil
import subprocess

from conftest import ROOT, _environment

MARKED_BLOCK = re.compile(r"<!-- runs in tests -->\n```sh\n(.*?)```", re.DOTALL)
COPIED = (
    "content",
    "theme",
    "pelicanconf.py",
    "publishconf.py",
    "Makefile",
    "requirements.txt",
    "pyproject.toml",
    ".gitignore",
)


def readme_blocks():
    return MARKED_BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def kit_copy(folder):
    folder.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    for name in (".venv", "plugins"):
        (folder / name).symlink_to(ROOT / name)
    return folder


def test_the_readme_has_blocks_to_run():
    assert len(readme_blocks()) >= 1


def test_each_marked_readme_block_runs_as_written(tmp_path):
    kit = kit_copy(tmp_path / "kit")
    for block in readme_blocks():
        result = subprocess.run(
            ["bash", "-e", "-c", block],
            cwd=kit,
            text=True,
            capture_output=True,
            timeout=600,
            env=_environment(),
        )
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
    assert (kit / "content/posts/what-the-week-needs.md").is_file()
    assert (kit / "output/index.html").is_file()
    assert (kit / "output/newsletter/2026-11-16/email.html").is_file()
    assert not (kit / "output/preview").exists()
