"""Publish a finished build by swapping folders, so a failed build loses nothing.

The build writes into a hidden sibling of ``output/``; only a build that succeeded
replaces ``output/``. Two renames on the same file system are the only window in
which ``output/`` is missing, and ``recover`` closes it on the next run.
"""

import os
import shutil
from pathlib import Path


def staging_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.building-{os.getpid()}")


def previous_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.previous")


def recover(final: Path) -> None:
    """Undo what a killed build left behind."""
    previous = previous_path(final)
    if previous.exists():
        if final.exists():
            shutil.rmtree(previous)
        else:
            os.rename(previous, final)
    for leftover in final.parent.glob(f".{final.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def publish(staging: Path, final: Path) -> None:
    previous = previous_path(final)
    if final.exists():
        os.rename(final, previous)
    os.rename(staging, final)
    if previous.exists():
        shutil.rmtree(previous)
