"""What a cache key is made of besides its own data: files' bytes, the kit's code and
the versions of the libraries that render. Shared by every cache of the kit (the
digest issues, the dev builds' reader cache), so each stales the same way."""

import hashlib
import sys
from importlib import metadata
from pathlib import Path

KIT = Path(__file__).resolve().parent  # plugins/gratitude_press/


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
