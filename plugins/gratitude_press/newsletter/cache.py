"""A content-addressed cache of the digest issues, under ``CACHE_PATH``.

An issue and its email files (HTML with inlined CSS, text, ``.eml``, Markdown,
provider payloads) depend only on its period, the plain data of its articles before
any HTML is parsed (``entries.EntryInputs``), its intro, the digest settings, the
email templates and the kit's code. The key is a hash of all of them: the inputs and
the settings walked field by field (``canonical``), every file of the templates
folder, every source file of the kit and the versions of the libraries that render.
A past week whose inputs did not change is read back (the issue and its files)
instead of made again; anything that changes the output changes the key. Unknown
value types are never guessed at: such an issue is simply made again (``canonical``
raises ``TypeError``).

Entries used by a build are touched; entries unused for a day are removed
(``fingerprint.remove_unused``).
"""

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import tempfile
from pathlib import Path, PurePath

from ..fingerprint import files_digest, kit_code, remove_unused, versions

FOLDER = "gratitude-digest"
LIBRARIES = ("jinja2", "markupsafe", "css-inline", "beautifulsoup4", "markdown")


def canonical(value):
    """Plain, ordered data that two equal inputs share in any process."""
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            tuple(
                (f.name, canonical(getattr(value, f.name)))
                for f in dataclasses.fields(value)
            ),
        )
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(canonical(item) for item in value))
    if isinstance(value, dict):
        items = [(repr(canonical(k)), canonical(v)) for k, v in value.items()]
        return ("dict", tuple(sorted(items, key=lambda item: item[0])))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(canonical(item)) for item in value)))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        tz = getattr(value, "tzinfo", None)
        return (type(value).__name__, value.isoformat(), str(tz))
    if isinstance(value, dt.timedelta):
        return ("timedelta", value.total_seconds())
    if isinstance(value, PurePath):
        return ("path", str(value))
    raise TypeError(f"no canonical form for {type(value).__qualname__}")


class IssueCache:
    """The email files of this build's issues, by the hash of their inputs."""

    def __init__(self, cache_path, templates_dir, cfg):
        self.folder = Path(cache_path) / FOLDER
        try:
            self.base = repr(
                (
                    files_digest(Path(templates_dir), "*"),
                    kit_code(),
                    versions(LIBRARIES),
                    canonical(cfg),
                )
            )
        except TypeError:
            self.base = None  # settings of an unknown type: render every issue
        self.used = set()

    def key(self, inputs):
        if self.base is None:
            return None
        try:
            data = repr((self.base, canonical(inputs)))
        except TypeError:
            return None
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def get(self, key):
        """(files, layout, issue) stored under ``key``, or None."""
        if key is None:
            return None
        path = self.folder / f"{key}.pickle"
        try:
            with open(path, "rb") as stream:
                found = pickle.load(stream)
            files, layout, issue = found  # the shape put() writes
            os.utime(path)
        except Exception:  # noqa: BLE001 (a damaged entry of any kind is a miss)
            return None
        self.used.add(path.name)
        return found

    def put(self, key, files, layout, issue):
        if key is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(
                    (files, layout, issue), stream, protocol=pickle.HIGHEST_PROTOCOL
                )
            os.replace(temporary, self.folder / f"{key}.pickle")
        except OSError:
            return  # a read-only or full disk: the build goes on without caching
        self.used.add(f"{key}.pickle")

    def prune(self):
        remove_unused(self.folder, self.used)
