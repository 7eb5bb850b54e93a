"""The built site on disk: its files and their hashes; is it a publish build?"""

import hashlib
import os
from pathlib import Path

from . import core

CHUNK = 1 << 20
HEAD = 1024
# Never part of the site, even when OUTPUT_RETENTION carried it into output/.
SKIPPED_FOLDERS = (".git",)


def site_paths(output: Path) -> list:
    """Every file of the site, relative to ``output`` with forward slashes, sorted."""
    found = []
    for folder, folders, names in os.walk(output):
        folders[:] = sorted(name for name in folders if name not in SKIPPED_FOLDERS)
        base = Path(folder).relative_to(output)
        found += [(base / name).as_posix() for name in names]
    return sorted(found)


def fingerprint(output: Path, path: str) -> core.LocalFile:
    """One read of the file: the hashes each target compares with (S3, git)."""
    full = output / path
    size = full.stat().st_size
    md5 = hashlib.md5(usedforsecurity=False)
    sha256 = hashlib.sha256()
    blob = hashlib.sha1(core.git_blob_header(size), usedforsecurity=False)
    with open(full, "rb") as handle:
        head = handle.read(HEAD)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            for digest in (md5, sha256, blob):
                digest.update(chunk)
    return core.LocalFile(
        path=path,
        size=size,
        md5=md5.hexdigest(),
        sha256=sha256.hexdigest(),
        git_blob=blob.hexdigest(),
        executable=os.access(full, os.X_OK),
        head=head,
    )


def site_files(output: Path) -> list:
    return [fingerprint(output, path) for path in site_paths(output)]


def extra_file(path: str, data: bytes) -> core.LocalFile:
    """A file that is not in output/ but goes onto the branch (CNAME, .nojekyll)."""
    return core.LocalFile(
        path=path,
        size=len(data),
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
        git_blob=hashlib.sha1(
            core.git_blob_header(len(data)) + data, usedforsecurity=False
        ).hexdigest(),
        head=data[:HEAD],
    )


def publish_problem(output: Path, siteurl: str, sitemap_path: str) -> str:
    """Why ``output`` is not a ``make publish`` build for ``siteurl``, or ""."""
    if not output.is_dir():
        return "does not exist"
    index = _text(output / "index.html")
    sitemap = _text(output / sitemap_path) if sitemap_path else None
    return core.published_problem(siteurl, index, sitemap)


def _text(path: Path):
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
