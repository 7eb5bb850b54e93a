"""Every path the kit reads lies inside content/, every path it writes inside the output.

One helper for both rules, used by every concern. A path is resolved (symlinks
included) before it is compared with the folder, so neither ``../``, an absolute
path, a sibling folder whose name starts the same (``content-private/``) nor a
symbolic link leads outside.
"""

import os
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


def links_leaving(root) -> list[OutsideError]:
    """Every symbolic link under ``root`` that leads out of it, or to a folder that
    holds the link (Pelican follows links to folders and would walk that loop until
    the path is too long). The link's path is relative to ``root``."""
    base = Path(root).resolve()
    found = []
    for folder, dirs, files in os.walk(base):  # links are looked at, not followed
        for name in (*dirs, *files):
            link = Path(folder, name)
            if not link.is_symlink():
                continue
            relative = link.relative_to(base).as_posix()
            target = link.resolve()
            if target != base and base not in target.parents:
                found.append(
                    OutsideError(relative, f"a link to {target}, outside {base.name}/")
                )
            elif target.is_dir() and (target == link.parent or target in link.parents):
                found.append(
                    OutsideError(relative, f"a link to {target}, a folder holding it")
                )
    return found


def write_inside(output_root, relative, data: bytes) -> Path:
    """Write ``data`` to ``output_root / relative`` (folders made as needed)."""
    target = inside(output_root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
