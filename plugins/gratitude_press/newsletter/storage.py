"""The sending records on disk: JSON files replaced atomically, and kernel locks.

Two ``send`` runs may start together (a cron job and a manual run), and two issues
may be sent at once into one state file. So every change is read-modify-write under
a short lock (``locked(path)``), and a whole send holds its issue's lock
(``locked(path, wait=False)``, which refuses at once). The locks are ``flock`` on a
file next to the data: the kernel drops them when a process dies, even by SIGKILL.
Lock files are removed when released; nothing else is ever left behind, and a
half-written file never replaces a whole one.
"""

import fcntl
import glob
import json
import os
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import ContentError


class Busy(Exception):
    """Another process holds the lock; ``holder`` is its pid ("" if unknown)."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


def identity(path: Path):
    """What changes whenever the file is replaced (an ``os.replace`` is a new inode)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def read_json(path: Path, what: str, hint: str, check=None) -> dict | None:
    """The JSON object in ``path`` (None if there is none); a ContentError naming the
    file if it is unreadable or ``check(data)`` returns a complaint."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ContentError(path, f"{what} is unreadable ({error})", hint=hint) from None
    complaint = (
        "not a JSON object"
        if not isinstance(data, dict)
        else (check(data) if check else "")
    )
    if complaint:
        raise ContentError(path, f"{what} is unreadable ({complaint})", hint=hint)
    return data


def write_json(path: Path, data: dict):
    """Replace ``path`` with ``data``, durably; call it under ``locked(path)``: the
    temporary name is fixed, so a killed writer's leftover is simply overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # <name>.tmp: what ignores the file in .gitignore (name*) ignores this too
    temporary = path.with_name(f"{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:  # an interrupt (SIGINT, SIGTERM) included
        with suppress(OSError):
            os.unlink(temporary)
        raise
    with suppress(OSError):  # make the rename itself durable
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def lock_path(path: Path, name: str = "") -> Path:
    return path.with_name(f"{path.name}{'.' + name if name else ''}.lock")


@contextmanager
def locked(path: Path, name: str = "", wait: bool = True):
    """Hold the lock ``<path>[.name].lock``; with ``wait=False`` raise Busy at once
    if another process holds it."""
    target = lock_path(path, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _acquire(target, wait)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, str(os.getpid()).encode())
        yield
    finally:
        # Removed while still held: a process waiting on this file sees it is gone
        # (``_acquire`` checks) and locks the next one instead.
        with suppress(OSError):
            os.unlink(target)
        os.close(descriptor)


def remove_stale_locks(path: Path):
    """Remove the lock files of ``path`` that nobody holds: a process killed with
    SIGKILL could not remove its own."""
    for name in glob.glob(glob.escape(str(path)) + "*.lock"):
        try:
            descriptor = _acquire(Path(name), wait=False)
        except (Busy, OSError):
            continue  # held: a send is running
        with suppress(OSError):
            os.unlink(name)
        os.close(descriptor)


def _acquire(target: Path, wait: bool) -> int:
    while True:
        descriptor = os.open(target, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.read(descriptor, 32).decode("ascii", "replace").strip()
            os.close(descriptor)
            raise Busy(holder) from None
        except BaseException:
            os.close(descriptor)
            raise
        # The open file keeps its inode alive, so a new file cannot reuse the number.
        if os.fstat(descriptor).st_ino == _inode(target):
            return descriptor
        os.close(descriptor)  # its holder removed it meanwhile: lock the new one


def _inode(path: Path):
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None
