"""What a cache key is made of besides its own data: files' bytes, the kit's code and
the versions of the libraries that render; and how long an entry nobody uses stays.
Shared by every cache of the kit (the digest issues, the search index parts, the dev
builds' reader cache and pages), so each stales and ages the same way."""

import hashlib
import os
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path

KIT = Path(__file__).resolve().parent  # plugins/gratitude_press/
KEEP_UNUSED = 24 * 3600  # seconds a cache entry no build used stays on disk


def files_digest(folder: Path, pattern: str) -> str:
    """One hash of the names and bytes of the files under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def kit_code() -> str:
    return files_digest(KIT, "*.py")


def versions(libraries) -> str:
    """Python's version and each library's, one a line."""
    found = [sys.version]
    for name in libraries:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}: none")
    return "\n".join(found)


def remove_unused(folder, used=frozenset()):
    """Remove the entries (files or folders) of a cache ``folder`` that are not in
    ``used`` and were not written or touched for ``KEEP_UNUSED`` seconds."""
    cutoff = time.time() - KEEP_UNUSED
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if (
                entry.name in used
                or entry.stat(follow_symlinks=False).st_mtime >= cutoff
            ):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
