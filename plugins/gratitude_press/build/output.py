"""Publish a finished build by swapping folders, so a failed build loses nothing.

The build writes into a hidden sibling of ``output/`` (``.output.building-<pid>``);
only a build that succeeded replaces ``output/``. Two renames on the same file system
are the only window in which ``output/`` is missing, and ``recover`` closes it on the
next run. A build that is killed (even with SIGKILL) leaves only its staging folder,
which the next build removes.

Every build is a fresh tree, as with Pelican's ``DELETE_OUTPUT_DIRECTORY = True``:
a post that was deleted or turned back into a draft disappears from the site. Entries
named in ``OUTPUT_RETENTION`` (e.g. ``.git`` or ``CNAME``) are carried over from the
previous ``output/``, as Pelican keeps them when it cleans the folder.

The replaced site is removed once the new one is in place; dev builds (one build
after each save) have it removed in a background thread (``publish(...,
later=True)``): it is first renamed out of the way (``.output.discarded-<pid>-<n>``),
so the next build never meets it, and a process that ends before the thread is done
leaves a folder that ``recover`` removes.
"""

import fcntl
import os
import re
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path


def staging_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.building-{os.getpid()}")


def previous_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.previous")


def discarded_path(final: Path) -> Path:
    # the clock's nanoseconds tell apart the folders of one process's builds
    return final.with_name(f".{final.name}.discarded-{os.getpid()}-{time.time_ns()}")


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftover can only come from an earlier, dead build
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(final: Path) -> None:
    """Undo what a killed build left behind; leave a build still running alone."""
    previous = previous_path(final)
    if previous.exists():
        if final.exists():
            shutil.rmtree(previous)
        else:
            os.rename(previous, final)
    pattern = re.compile(rf"\.{re.escape(final.name)}\.building-(\d+)\Z")
    for leftover in final.parent.glob(f".{final.name}.building-*"):
        match = pattern.match(leftover.name)
        if match and not _is_running(int(match.group(1))):
            shutil.rmtree(leftover, ignore_errors=True)
    pattern = re.compile(rf"\.{re.escape(final.name)}\.discarded-(\d+)-\d+\Z")
    for leftover in final.parent.glob(f".{final.name}.discarded-*"):
        match = pattern.match(leftover.name)
        # this process's own are being removed by its thread
        if match and int(match.group(1)) != os.getpid():
            if not _is_running(int(match.group(1))):
                shutil.rmtree(leftover, ignore_errors=True)


def keep_retained(final: Path, staging: Path, retention) -> None:
    """Copy OUTPUT_RETENTION entries of the live site into the new build."""
    for name in retention or ():
        source, target = final / name, staging / name
        if not source.exists() and not source.is_symlink() or target.exists():
            continue
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, target, symlinks=True)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


def holds_sources(final: Path, sources) -> str:
    """The first of ``sources`` inside (or equal to) ``final``, or "".

    The swap replaces the whole output folder, so pointing it at the kit's own folder
    (``-o .``) would throw the content away.
    """
    for source in sources:
        source = Path(source).resolve()
        if source == final or final in source.parents:
            return str(source)
    return ""


def publish(staging: Path, final: Path, later=False) -> None:
    """Put ``staging`` in place of ``final``; ``later``: remove the replaced site in
    a background thread (dev builds) instead of before returning."""
    previous = previous_path(final)
    if final.exists():
        os.rename(final, previous)
    os.rename(staging, final)
    if not previous.exists():
        return
    if not later:
        shutil.rmtree(previous)
        return
    discarded = discarded_path(final)
    os.rename(previous, discarded)
    threading.Thread(
        target=shutil.rmtree,
        args=(discarded,),
        kwargs={"ignore_errors": True},
        name="gratitude-press-discard",
        daemon=True,
    ).start()


@contextmanager
def locked(final: Path):
    """One build at a time per output folder: a second one waits for the first, so
    two builds never swap folders over each other. The lock is the kernel's
    (``flock``): a killed build holds it no longer."""
    final.parent.mkdir(parents=True, exist_ok=True)
    with open(final.with_name(f".{final.name}-build.lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"another build is writing {final}; waiting for it to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield
