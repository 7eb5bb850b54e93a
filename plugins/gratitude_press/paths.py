"""Every path the kit reads lies inside content/, every path it writes inside the output.

One helper for both rules, used by every concern. A path is resolved (symlinks
included) before it is compared with the folder, so neither ``../``, an absolute
path, a sibling folder whose name starts the same (``content-private/``) nor a
symbolic link leads outside.
"""

import os
from fnmatch import fnmatch
from pathlib import Path


class OutsideError(ValueError):
    """A path that leads out of its folder; ``reason`` says how."""

    def __init__(self, path, reason):
        self.path, self.reason = path, reason
        super().__init__(f"{path} is {reason}")


def inside(root, relative) -> Path:
    """``root / relative`` resolved, or OutsideError when it is not inside ``root``."""
    base = Path(root).resolve()
    text = os.fspath(relative)
    if os.path.isabs(text):
        raise OutsideError(text, "an absolute path")
    path = (base / text).resolve()
    if path == base or base in path.parents:
        return path
    written = Path(os.path.normpath(base / text))
    if written == base or base in written.parents:  # only a symbolic link leaves
        raise OutsideError(text, f"a link to {path}, outside {base.name}/")
    raise OutsideError(text, f"a path leading outside {base.name}/")


def source_inside(content_root, source_path) -> Path:
    """A file Pelican hands to a reader, checked the same way (it is absolute)."""
    base = Path(content_root).resolve()
    return inside(base, os.path.relpath(os.path.abspath(source_path), base))


def links_leaving(root, ignored=()) -> list[OutsideError]:
    """Every symbolic link under ``root`` that leads out of it, that loops, or that
    leads to a folder: Pelican follows folder links, so one would have it read the
    folder's files twice or walk a loop (``a -> ../b``, ``b -> ../a``) until the path
    is too long. Folders whose name matches ``ignored`` (Pelican's ``IGNORE_FILES``)
    are skipped, as Pelican skips them. The link's path is relative to ``root``."""
    base = Path(root).resolve()
    found = []
    for folder, dirs, files in os.walk(base):  # links are looked at, not followed
        dirs[:] = [d for d in dirs if not any(fnmatch(d, p) for p in ignored)]
        for name in (*dirs, *files):
            link = Path(folder, name)
            if not link.is_symlink():
                continue
            relative = link.relative_to(base).as_posix()
            try:
                target = link.resolve(strict=True)
            except (OSError, RuntimeError):  # a link to itself, or to nothing
                found.append(OutsideError(relative, "a link that leads nowhere"))
                continue
            if target != base and base not in target.parents:
                reason = f"a link to {target}, outside {base.name}/"
                found.append(OutsideError(relative, reason))
            elif target.is_dir():
                reason = f"a link to the folder {target.relative_to(base)}/"
                found.append(OutsideError(relative, reason))
    return found


def write_inside(output_root, relative, data: bytes) -> Path:
    """Write ``data`` to ``output_root / relative`` (folders made as needed)."""
    target = inside(output_root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
