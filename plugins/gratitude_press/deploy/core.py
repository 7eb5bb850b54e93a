"""The deploy concern's pure core: what changed, in which order it goes up, and how.

Plain data in, plain data out: file fingerprints and the remote's listing become a
``Plan``; file names become Content-Type and Cache-Control; a target becomes an rsync
command line, rsync's report becomes a ``Plan`` again. The adapters (``rsync.py``,
``git.py``, ``s3.py``) do the talking.

Why the upload order matters: readers must never get a page that links to a file
that is not there yet. New files go up first (nothing online links to them yet), then
changed files from the leaves to the roots: fingerprinted files, other assets, pages,
and last the feeds, the sitemap and the JSON indexes that point at pages. Stale
objects are deleted only after everything is up. Stopped anywhere, the site online is
the old one plus unlinked new files, or a mix in which every link still resolves;
the next run finishes it.
"""

import re
import shlex
from dataclasses import dataclass

# Content-Type of every kind of file the kit writes, by suffix (XML is sniffed below).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".eml": "message/rfc822",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",  # as the podcast feed declares it
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",  # as the podcast feed declares it
    ".mp4": "video/mp4",
    ".ogg": "audio/ogg",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".ico": "image/vnd.microsoft.icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    # pagefind's own formats: compressed data its script fetches and unpacks.
    ".pagefind": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}
DEFAULT_TYPE = "application/octet-stream"
FEED_TYPES = {"rss": "application/rss+xml", "feed": "application/atom+xml"}
# pagefind names these after a hash of their content: a new index is new names.
FINGERPRINTED_SUFFIXES = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")
# A bundler's "site.3f2a9c1b.css": only for code and fonts, never for pages or images
# (a slug or a photo may well end in eight hex digits and still change in place).
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,64}\.(css|js|mjs|wasm|woff2?)$")
PAGE_SUFFIXES = (".html", ".htm")
# Files that list or point at pages: they go up after the pages, and change in place.
INDEX_SUFFIXES = (".xml", ".json", ".txt", ".webmanifest")
SHORT_CACHE_SUFFIXES = PAGE_SUFFIXES + INDEX_SUFFIXES + (".md", ".eml")
XML_PROLOGUE = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.DOTALL)
XML_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
MD5_ETAG = re.compile(r"^[0-9a-f]{32}$")
SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|_KEY", re.IGNORECASE
)
NOT_SECRET_NAME = re.compile(r"_(ID|ENV|FILE|PATH|URL)$", re.IGNORECASE)
NEW, CHANGED = "new", "changed"


class DeployError(Exception):
    """A problem the command reports as one line, then exits with status 1."""


@dataclass(frozen=True)
class LocalFile:
    """One file of ``output/``: its path there and what identifies its content."""

    path: str  # relative to output/, forward slashes
    size: int
    md5: str
    sha256: str
    git_blob: str  # the id git gives these bytes
    executable: bool = False
    head: bytes = b""  # the first bytes, to tell a feed from other XML

    @property
    def git_mode(self) -> str:
        return "100755" if self.executable else "100644"


@dataclass(frozen=True)
class Change:
    key: str  # where it goes on the target
    path: str  # relative to output/
    reason: str  # NEW or CHANGED


@dataclass(frozen=True)
class Plan:
    uploads: tuple = ()
    deletions: tuple = ()
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not self.uploads and not self.deletions

    def count(self, reason) -> int:
        return sum(1 for change in self.uploads if change.reason == reason)

    def summary(self) -> str:
        return (
            f"{self.count(NEW)} new, {self.count(CHANGED)} changed, "
            f"{len(self.deletions)} to delete, {self.unchanged} unchanged"
        )

    def lines(self):
        """One line per upload and deletion, in the order they happen."""
        for change in self.uploads:
            yield f"  upload  {change.key} ({change.reason})"
        for key in self.deletions:
            yield f"  delete  {key}"


def suffix(path) -> str:
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_fingerprinted(path) -> bool:
    return path.endswith(FINGERPRINTED_SUFFIXES) or bool(HASHED_NAME.search(path))


def content_type(path, head=b"") -> str:
    """A file's Content-Type from its suffix; an XML feed's from its root element."""
    kind = suffix(path)
    if kind == ".xml":
        return FEED_TYPES.get(xml_root(head), CONTENT_TYPES[".xml"])
    return CONTENT_TYPES.get(kind, DEFAULT_TYPE)


def xml_root(head: bytes) -> str:
    """The local name of the first element in ``head`` ("" when there is none)."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    position = 0
    while match := XML_PROLOGUE.match(text, position):
        position = match.end()
    root = XML_ROOT.match(text, position)
    return root.group(2).decode("ascii") if root else ""


def cache_control(path, policy) -> str:
    """Short for what changes in place, forever for files named after their hash."""
    if is_fingerprinted(path):
        return policy.fingerprinted
    if suffix(path) in SHORT_CACHE_SUFFIXES:
        return policy.pages
    return policy.assets


def tier(path) -> int:
    """Leaves first, the files that point at pages last (see the module's docstring)."""
    if is_fingerprinted(path):
        return 0
    kind = suffix(path)
    if kind in PAGE_SUFFIXES:
        return 2
    return 3 if kind in INDEX_SUFFIXES else 1


def upload_order(changes) -> tuple:
    return tuple(
        sorted(
            changes,
            key=lambda change: (change.reason != NEW, tier(change.path), change.path),
        )
    )


def upload_batches(uploads) -> list:
    """The ordered uploads cut where the reason or the tier changes: the files of one
    batch may go up in any order, at the same time; a batch waits for the one before."""
    batches = []
    for change in uploads:
        step = (change.reason, tier(change.path))
        if batches and batches[-1][0] == step:
            batches[-1][1].append(change)
        else:
            batches.append((step, [change]))
    return [tuple(changes) for _, changes in batches]


def etag_md5(etag) -> str:
    """The MD5 in an ETag, or "" for multipart or encrypted objects (not an MD5)."""
    value = (etag or "").strip('"').lower()
    return value if MD5_ETAG.match(value) else ""


def needs_metadata(files, remote, prefix) -> list:
    """Keys whose ETag is not an MD5: only their stored sha256 tells if they changed."""
    keys = [prefix + file.path for file in files]
    return [key for key in keys if key in remote and not etag_md5(remote[key])]


def plan_objects(files, remote, prefix="", remote_sha256=None) -> Plan:
    """S3: ``remote`` maps keys under ``prefix`` to ETags; ``remote_sha256`` maps the
    keys ``needs_metadata`` named to the sha256 stored with them (or None)."""
    remote_sha256 = remote_sha256 or {}
    changes, unchanged = [], 0
    for file in files:
        key = prefix + file.path
        if key not in remote:
            changes.append(Change(key, file.path, NEW))
        elif file.md5 == etag_md5(remote[key]) or file.sha256 == remote_sha256.get(key):
            unchanged += 1
        else:
            changes.append(Change(key, file.path, CHANGED))
    wanted = {prefix + file.path for file in files}
    stale = tuple(sorted(key for key in remote if key not in wanted))
    return Plan(upload_order(changes), stale, unchanged)


def git_blob_header(size) -> bytes:
    """What git hashes before a file's bytes to name it (``git hash-object``)."""
    return b"blob %d\0" % size


def parse_ls_tree(text) -> dict:
    """``git ls-tree -r -z`` output as {path: (mode, blob id)}."""
    tree = {}
    for entry in text.split("\0"):
        if not entry:
            continue
        info, _, path = entry.partition("\t")
        mode, kind, blob = info.split()
        if kind == "blob":
            tree[path] = (mode, blob)
    return tree


def plan_tree(files, remote_tree, extras=()) -> Plan:
    """A git branch: ``files`` plus ``extras`` (LocalFile-like: CNAME, .nojekyll)
    against the branch's tree."""
    changes, unchanged = [], 0
    wanted = {}
    for file in [*files, *extras]:
        wanted[file.path] = file
        if file.path not in remote_tree:
            changes.append(Change(file.path, file.path, NEW))
        elif remote_tree[file.path] == (file.git_mode, file.git_blob):
            unchanged += 1
        else:
            changes.append(Change(file.path, file.path, CHANGED))
    stale = tuple(sorted(path for path in remote_tree if path not in wanted))
    return Plan(upload_order(changes), stale, unchanged)


def commit_message(siteurl, plan, source="") -> str:
    counts = (
        f"{plan.count(NEW)} new, {plan.count(CHANGED)} changed, "
        f"{len(plan.deletions)} removed"
    )
    built = f" (built from {source})" if source else ""
    return f"Deploy {siteurl}: {counts}{built}"


def ssh_command(ssh) -> list:
    """ssh for rsync's -e and GIT_SSH_COMMAND: never a prompt (CI has no terminal);
    with a known_hosts file, only the host key it holds is accepted."""
    command = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20"]
    if ssh.port:
        command += ["-p", str(ssh.port)]
    if ssh.identity:
        command += ["-i", ssh.identity, "-o", "IdentitiesOnly=yes"]
    if ssh.known_hosts:
        command += [
            "-o",
            f"UserKnownHostsFile={ssh.known_hosts}",
            "-o",
            "StrictHostKeyChecking=yes",
        ]
    return command


def rsync_command(target, source, dry_run=False) -> list:
    """rsync that compares contents (Pelican rewrites every file, so times lie),
    stages changed files and renames them at the end (--delay-updates), deletes what
    the site no longer has only after that (--delete-delay), and gives the web server
    readable files whatever the local umask (-p with --chmod)."""
    command = [
        "rsync",
        "--recursive",
        "--links",
        "--perms",
        "--times",
        "--checksum",
        "--delete-delay",
        "--delay-updates",
        "--chmod=D755,F644",
        "--itemize-changes",
        "--timeout=120",
        "--exclude=.git/",
        "-e",
        shlex.join(ssh_command(target.ssh)),
    ]
    if dry_run:
        command.append("--dry-run")
    return command + [str(source).rstrip("/") + "/", target.destination]


def parse_itemized(text, total) -> Plan:
    """rsync's --itemize-changes report as a Plan (``total``: files in output/)."""
    changes, deletions = [], []
    for line in text.splitlines():
        flags, path = line[:11], line[12:]
        if flags.startswith("*deleting"):
            deletions.append(path)
        elif flags[:2] in ("<f", "cL"):
            reason = NEW if flags[2:].strip("+") == "" else CHANGED
            changes.append(Change(path, path, reason))
    return Plan(tuple(changes), tuple(deletions), max(total - len(changes), 0))


def published_problem(siteurl, index_html, sitemap_xml=None) -> str:
    """Why an output folder was not built by ``make publish`` for ``siteurl``, or ""."""
    if index_html is None:
        return "has no index.html"
    if sitemap_xml is not None:
        locations = re.findall(r"<loc>\s*([^<\s]+)", sitemap_xml)
        for location in locations[:1]:
            if not (location + "/").startswith(siteurl + "/"):
                return f"has a sitemap.xml for {location}, not for {siteurl}"
        if locations:
            return ""
    if f'"{siteurl}/' not in index_html:
        return f"has an index.html without absolute links to {siteurl}/"
    return ""


def redact(text, environ) -> str:
    """Hide the value of every secret-looking environment variable in ``text``."""
    text = str(text)
    for name, value in environ.items():
        if (
            SECRET_NAME.search(name)
            and not NOT_SECRET_NAME.search(name)
            and len(value) >= 4
        ):
            text = text.replace(value, "***")
    return text
