"""Running pagefind over a finished site: a pure command builder and a runner."""

import subprocess
from pathlib import Path


def find_binary():
    """The pagefind executable shipped by the ``pagefind[bin]`` wheel, or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    binary = get_executable()
    return binary if binary and Path(binary).exists() else None


def command(binary, site, config):
    """The pagefind command line that indexes ``site`` with the concern's settings."""
    args = [str(binary), "--site", str(site), "--output-subdir", config["SEARCH_BUNDLE_DIR"],
            "--silent"]
    selectors = ", ".join(config["SEARCH_EXCLUDE_SELECTORS"])
    if selectors:
        args += ["--exclude-selectors", selectors]
    return args


def run(binary, site, config, timeout=300):
    """Index ``site``; return None on success, else pagefind's own explanation."""
    try:
        result = subprocess.run(command(binary, site, config), capture_output=True,
                                text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        return lines[-1] if lines else f"exit status {result.returncode}"
    return None
