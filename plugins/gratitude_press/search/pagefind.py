"""Running pagefind over a finished site: a plan of parts, a runner and a cache.

Once any page carries ``data-pagefind-body``, pagefind indexes only such pages, but it
still reads and parses every HTML file of the site (tag, category, author, people and
digest pages: more than half of them, and most of its time and memory). So the runner
first finds the pages that carry the attribute and hands pagefind a ``--glob`` that
matches exactly those; the index is the same.

pagefind keeps the whole index of a run in memory, about 0.2 MiB per page (200 MiB at
1,000 posts, 2 GiB at 10,000). A site with more than ``pages_per_index`` such pages is
therefore indexed in parts, one pagefind run after the other: the first part is the
bundle folder itself (it also holds the search UI), the others are ``part-<n>/``
inside it, named in ``parts.json`` for the search page to merge (PagefindUI's
``mergeIndex``). A page's part comes from a hash of its path, over a power-of-two
number of parts: adding or editing a post changes one part, and when the site doubles
each part splits in two.

Each part's bundle is kept under ``CACHE_PATH`` by a hash of everything pagefind
reads for it (the command line, the binary, each page's path and bytes), so a part
whose pages did not change is copied instead of indexed again (pagefind writes the
same bytes for the same input). A cold build with an empty cache indexes every part.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..fingerprint import remove_unused
from ..paths import inside

# The attribute inside a start tag (its text in a post is escaped, so never matches).
BODY_ATTRIBUTE = re.compile(rb"<[A-Za-z][^>]*\sdata-pagefind-body[\s=>/]")
# Path characters that are never special in pagefind's globs.
PLAIN_PATH = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
LONGEST_GLOB = 100_000  # under Linux's limit of one command-line argument (128 KiB)
PARTS_FILE = "parts.json"
PART_PREFIX = "part-"
# What a pagefind 1.x bundle folder holds, with the parts and their list.
BUNDLE_ENTRY = re.compile(
    r"pagefind[\w.-]*|wasm\.[\w.-]+|fragment|index|filter|part-\d+|parts\.json"
)
CACHE_FOLDER = "gratitude-search"
STALE = "stale"
THREAD_NAME = "gratitude-press-search"


def find_binary():
    """The pagefind executable shipped by the ``pagefind[bin]`` wheel, or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    binary = get_executable()
    return binary if binary and Path(binary).exists() else None


def command(binary, site, config, glob=None, folder=None):
    """The pagefind command line that indexes ``site`` (into ``folder``, by default
    the bundle folder) with the concern's settings."""
    args = [
        str(binary),
        "--site",
        str(site),
        "--output-subdir",
        folder or config.bundle_dir,
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
    return _alternatives(patterns)


def _alternatives(patterns):
    glob = patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"
    return glob if len(glob) <= LONGEST_GLOB else None


@dataclass(frozen=True)
class Part:
    """One pagefind run: the bundle ``folder`` (relative to the site) it writes, the
    ``glob`` of the pages it reads (None: every HTML file) and those ``pages``."""

    folder: str
    glob: str | None
    pages: tuple


def _bucket(path, count):
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % count


def plan(with_body, others, bundle_dir, pages_per_index):
    """The parts of the index: one when the pages with a body fit in one run (or
    cannot be named by globs), else as many as it takes, a power of two."""
    whole = [Part(bundle_dir, body_glob(with_body, others), tuple(sorted(with_body)))]
    if len(with_body) <= pages_per_index or whole[0].glob is None:
        return whole
    count = 2
    while count * pages_per_index < len(with_body):
        count *= 2
    while True:
        groups = [[] for _ in range(count)]
        for path in sorted(with_body):
            groups[_bucket(path, count)].append(path)
        globs = [_alternatives(group) if group else None for group in groups]
        if all(glob for glob, group in zip(globs, groups, strict=True) if group):
            break
        count *= 2  # a glob too long for one argument: smaller parts
    parts = []
    for number, (glob, group) in enumerate(zip(globs, groups, strict=True)):
        if group:
            folder = f"{bundle_dir}/{PART_PREFIX}{number}" if parts else bundle_dir
            parts.append(Part(folder, glob, tuple(group)))
    return parts


def _stamps(site, paths):
    stamps = []
    for path in paths:
        stat = os.stat(os.path.join(site, path))
        stamps.append((path, stat.st_size, stat.st_mtime_ns))
    return stamps


def inputs_of(site, config):
    """What pagefind reads of ``site``: its parts and each indexed page's stamp."""
    with_body, others = html_pages(site)
    parts = plan(with_body, others, config.bundle_dir, config.pages_per_index)
    return parts, _stamps(site, with_body)


class PartCache:
    """Bundles of parts under ``CACHE_PATH``, by the hash of what pagefind reads."""

    def __init__(self, cache_path):
        self.folder = Path(cache_path) / CACHE_FOLDER if cache_path else None
        self.used = set()

    def key(self, binary, site, config, part):
        if self.folder is None or part.glob is None:  # pagefind reads every page
            return None
        digest = hashlib.sha256()
        stat = os.stat(binary)
        head = command(binary, "", config, part.glob, part.folder)
        digest.update(repr((head, stat.st_size, stat.st_mtime_ns)).encode())
        for page in part.pages:
            digest.update(page.encode() + b"\0")
            digest.update(hashlib.sha256(Path(site, page).read_bytes()).digest())
        return digest.hexdigest()

    def get(self, key, target):
        """Copy the bundle stored under ``key`` to ``target``; False when there is none."""
        if key is None:
            return False
        stored = self.folder / key
        try:
            shutil.copytree(stored, target, dirs_exist_ok=True)
            os.utime(stored)
        except OSError:
            return False
        self.used.add(key)
        return True

    def put(self, key, bundle):
        """Keep ``bundle`` (pagefind's files only: no other part, no parts list)."""
        if key is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = tempfile.mkdtemp(dir=self.folder, suffix=".tmp")
        except OSError:  # a read-only or full disk: the build goes on without caching
            return
        try:
            shutil.copytree(
                bundle,
                temporary,
                dirs_exist_ok=True,
                ignore=lambda _, names: [
                    n for n in names if n.startswith(PART_PREFIX) or n == PARTS_FILE
                ],
            )
            os.rename(temporary, self.folder / key)
        except OSError:  # stored by another build meanwhile, or a full disk
            shutil.rmtree(temporary, ignore_errors=True)
            return
        self.used.add(key)

    def prune(self):
        if self.folder is not None:
            remove_unused(self.folder, self.used)


def clear_bundle(bundle):
    """Remove what pagefind and this runner wrote in ``bundle``, and only that: the
    folder may be one the site's own pages share."""
    if not bundle.is_dir():
        return
    for entry in bundle.iterdir():
        if BUNDLE_ENTRY.fullmatch(entry.name):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


class Indexer:
    """Indexes a site part after part, each copied from the cache when its pages did
    not change; ``stop()`` (from another thread) ends a run between or during parts."""

    def __init__(self, binary, site, config, cache_path=None, timeout=300):
        self.binary, self.site, self.config = binary, Path(site), config
        self.cache = PartCache(cache_path)
        self.timeout = timeout
        self.stopped = threading.Event()
        self.process = None
        self.lock = threading.Lock()

    def index(self, parts):
        """None on success, else pagefind's explanation, or ``STALE`` once stopped."""
        try:
            bundle = inside(self.site, self.config.bundle_dir)
            clear_bundle(bundle)  # a new index, not a mixed one
            for part in parts:
                problem = self._part(part)
                if problem:
                    return problem
            bundle.mkdir(parents=True, exist_ok=True)
            others = [p.folder.rsplit("/", 1)[-1] + "/" for p in parts[1:]]
            (bundle / PARTS_FILE).write_text(json.dumps(others) + "\n")
        except (OSError, ValueError) as error:  # ValueError: a folder outside the site
            return str(error)
        self.cache.prune()
        return None

    def _part(self, part):
        if self.stopped.is_set():
            return STALE
        target = inside(self.site, part.folder)
        stamps = _stamps(self.site, part.pages)
        key = self.cache.key(self.binary, self.site, self.config, part)
        if self.cache.get(key, target):
            return None
        args = command(self.binary, self.site, self.config, part.glob, part.folder)
        problem = self._run(args)
        # kept only if its pages did not change while pagefind read them
        if problem is None and _stamps(self.site, part.pages) == stamps:
            self.cache.put(key, target)
        return problem

    def _run(self, args):
        with self.lock:
            if self.stopped.is_set():
                return STALE
            try:
                self.process = subprocess.Popen(
                    args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
            except OSError as error:
                return str(error)
        try:
            stdout, stderr = self.process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired as error:
            self.stop()
            self.process.communicate()  # reaped, not left a zombie
            return str(error)
        if self.stopped.is_set():
            return STALE
        return _failure(self.process.returncode, stdout, stderr)

    def stop(self):
        with self.lock:
            self.stopped.set()
            if self.process is not None and self.process.poll() is None:
                self.process.kill()


def _failure(returncode, stdout, stderr):
    if returncode != 0:
        lines = (stderr or stdout).strip().splitlines()
        return lines[-1] if lines else f"exit status {returncode}"
    return None


class Indexing:
    """An index made in the background while the build writes its other pages
    (``start``); ``outcome`` waits for it if its pages are still the site's."""

    def __init__(self, indexer, inputs):
        self.indexer, self.inputs = indexer, inputs
        self.problem = None
        self.thread = threading.Thread(
            target=self._index, name=THREAD_NAME, daemon=True
        )
        self.thread.start()

    def _index(self):
        self.problem = self.indexer.index(self.inputs[0])

    def stop(self):
        """End the run if it is still going (the build ended first) and wait."""
        self.indexer.stop()
        self.thread.join()

    def outcome(self):
        """pagefind's explanation of a failure, None on success, or ``STALE`` (the
        run was stopped: pages it indexed changed or were added since)."""
        try:
            same = inputs_of(self.indexer.site, self.indexer.config) == self.inputs
        except OSError:
            same = False
        if not same:
            self.stop()
            return STALE
        self.thread.join()
        return self.problem


def start(binary, site, config, cache_path=None):
    """Start indexing ``site`` in the background (an ``Indexing``), or None when the
    pages to index cannot be told by a glob."""
    try:
        inputs = inputs_of(site, config)
    except OSError:
        return None
    if inputs[0][0].glob is None:
        return None
    return Indexing(Indexer(binary, site, config, cache_path), inputs)


def run(binary, site, config, cache_path=None, timeout=300):
    """Index ``site``; return None on success, else pagefind's own explanation."""
    try:
        parts = inputs_of(site, config)[0]
    except OSError:  # an unreadable file: pagefind will say what it makes of it
        parts = [Part(config.bundle_dir, None, ())]
    return Indexer(binary, site, config, cache_path, timeout).index(parts)
