"""Files of subscribers' addresses must stay out of git.

A subscriber list, the suppression list or the send state pushed to a public
repository publishes every address in it. Inside a git work tree such a file must be
untracked and matched by ``.gitignore``; outside one (or without git) there is
nothing to check.
"""

import shutil
import subprocess
from pathlib import Path

GIT_TIMEOUT = 20


def _git(folder: Path, *args) -> subprocess.CompletedProcess | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run(
            [git, "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def git_exposure(path, what: str) -> str:
    """Why ``path`` could end up in git ("" when it cannot), as one line."""
    path = Path(path).absolute()
    folder = path.parent
    if not folder.is_dir():  # made later, by the send: git has never seen it
        return ""
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.returncode != 0 or inside.stdout.strip() != "true":
        return ""
    tracked = _git(folder, "ls-files", "--error-unmatch", "--", path.name)
    if tracked is not None and tracked.returncode == 0:
        return (
            f"{path}: the {what} is tracked by git, so every address in it is in "
            f"the repository (run: git rm --cached {path.name}, then add it to "
            ".gitignore)"
        )
    ignored = _git(folder, "check-ignore", "-q", "--", path.name)
    if ignored is not None and ignored.returncode == 1:
        return (
            f"{path}: the {what} is not git-ignored, so one `git add .` would "
            f"publish every address in it (add {path.name} to .gitignore)"
        )
    return ""
