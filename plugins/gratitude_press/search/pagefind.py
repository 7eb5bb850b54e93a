"""Running pagefind over a finished site: a pure command builder and a runner.

Once any page carries ``data-pagefind-body``, pagefind indexes only such pages, but it
still reads and parses every HTML file of the site (tag, category, author, people and
digest pages: more than half of them, and most of its time and memory). So the runner
first finds the pages that carry the attribute and hands pagefind a ``--glob`` that
matches exactly those; the index is the same.
"""

import os
import re
import subprocess
from pathlib import Path

# The attribute inside a start tag (its text in a post is escaped, so never matches).
BODY_ATTRIBUTE = re.compile(rb"<[A-Za-z][^>]*\sdata-pagefind-body[\s=>/]")
# Path characters that are never special in pagefind's globs.
PLAIN_PATH = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
LONGEST_GLOB = 30_000  # well under the limit of one command-line argument


def find_binary():
    """The pagefind executable shipped by the ``pagefind[bin]`` wheel, or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    binary = get_executable()
    return binary if binary and Path(binary).exists() else None


def command(binary, site, config, glob=None):
    """The pagefind command line that indexes ``site`` with the concern's settings."""
    args = [
        str(binary),
        "--site",
        str(site),
        "--output-subdir",
        config.bundle_dir,
        "--silent",
    ]
    selectors = ", ".join(config.exclude_selectors)
    if selectors:
        args += ["--exclude-selectors", selectors]
    if glob:
        args += ["--glob", glob]
    return args


def html_pages(site):
    """``(with_body, others)``: relative paths of the site's ``.html`` files (the ones
    pagefind's default glob finds), split by whether they carry ``data-pagefind-body``."""
    with_body, others = [], []
    for root, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    found = BODY_ATTRIBUTE.search(handle.read())
                relative = os.path.relpath(path, site).replace(os.sep, "/")
                (with_body if found else others).append(relative)
    return with_body, others


def body_glob(with_body, others):
    """A pagefind glob matching exactly the files of ``with_body`` among all of them,
    or None to let pagefind read everything (no page has a body, or a path would need
    escaping, or the glob would be too long).

    A post's folder (``2026/<slug>/index.html``) becomes a ``*`` when no other page has
    the same shape, so the glob stays short however many posts there are.
    """
    if not with_body or not all(PLAIN_PATH.fullmatch(p) for p in with_body):
        return None

    def shape(path):
        parts = path.split("/")
        return "/".join([*parts[:-2], "*", parts[-1]]) if len(parts) > 1 else None

    taken = {shape(path) for path in others}
    patterns = []
    for path in sorted(with_body):
        wide = shape(path)
        pattern = wide if wide is not None and wide not in taken else path
        if pattern not in patterns:
            patterns.append(pattern)
    glob = patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"
    return glob if len(glob) <= LONGEST_GLOB else None


def _stamps(site, paths):
    stamps = []
    for path in paths:
        stat = os.stat(os.path.join(site, path))
        stamps.append((path, stat.st_size, stat.st_mtime_ns))
    return stamps


def _inputs(site):
    """What pagefind reads of ``site``: its glob, and each indexed page's stamp."""
    with_body, others = html_pages(site)
    glob = body_glob(with_body, others)
    return glob, _stamps(site, with_body) if glob else None


class Indexing:
    """A pagefind run started in the background, while the build writes its other
    pages (``start``); ``outcome`` waits for it if its pages are still the site's."""

    def __init__(self, process, site, inputs):
        self.process, self.site, self.inputs = process, site, inputs

    def outcome(self, timeout=300):
        """pagefind's explanation of a failure, None on success, or ``STALE`` (the
        run was stopped: pages it indexed changed or were added since)."""
        try:
            same = _inputs(self.site) == self.inputs
        except OSError:
            same = False
        if not same:
            self.process.kill()
            self.process.wait()
            return STALE
        try:
            stdout, stderr = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            self.process.kill()
            self.process.wait()
            return str(error)
        return _failure(self.process.returncode, stdout, stderr)


STALE = "stale"


def start(binary, site, config):
    """Start indexing ``site`` in the background (an ``Indexing``), or None when the
    pages to index cannot be told by a glob or pagefind does not start."""
    try:
        inputs = _inputs(site)
    except OSError:
        return None
    if inputs[0] is None:
        return None
    try:
        process = subprocess.Popen(
            command(binary, site, config, inputs[0]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError:
        return None
    return Indexing(process, site, inputs)


def _failure(returncode, stdout, stderr):
    if returncode != 0:
        lines = (stderr or stdout).strip().splitlines()
        return lines[-1] if lines else f"exit status {returncode}"
    return None


def run(binary, site, config, timeout=300):
    """Index ``site``; return None on success, else pagefind's own explanation."""
    try:
        glob = body_glob(*html_pages(site))
    except OSError:  # an unreadable file: pagefind will say what it makes of it
        glob = None
    try:
        result = subprocess.run(
            command(binary, site, config, glob),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    return _failure(result.returncode, result.stdout, result.stderr)
