"""Pelican's own reader cache for dev builds, in a folder keyed by what a read uses.

After a save, a dev build reads again only the files that changed: every other
file's HTML and metadata come from Pelican's reader cache (its public settings
``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE``, ``CONTENT_CACHING_LAYER = "reader"``; the
cache is a pickle per generator under ``CACHE_PATH``). The reader keeps a file's
problems in its metadata and they are reported on every build, cached or not
(``reader/markdown_reader.py``, ``report_problems``).

Pelican knows a cached read is stale only from the source file's own stamp
(``CHECK_MODIFIED_METHOD``, here a hash of its bytes). A read also depends on the
settings, on the kit's code and on the libraries that render, and an episode's read
on files beside it (its audio's length and duration, its transcript, its chapters, its
artwork). So dev builds put ``CACHE_PATH`` in a folder named after all of these: the
settings (every value, in a form that does not change between processes, and the
settings files' bytes: a function defined there counts by its code), the kit's
source files, the libraries' versions, and the size and time of every file of the
content folder that is not Markdown. When one of them changes, the next dev build
starts a new folder and reads everything once. The other caches under ``CACHE_PATH``
(compiled templates, digest issues) are keyed by their own inputs and simply follow.
Folders unused for a day are removed.

``build`` and ``publish`` never use this: they read every file, as before.
"""

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

from ..fingerprint import kit_code, versions
from ..reader.markdown_reader import META_EXTENSION
from ..settings import SETTINGS_FILE_KEY, SettingsSource
from ..state import AT_BUILD_END
from .preview import DEV_KEY

# Pelican's public settings of its content cache, for dev builds.
CACHE_SETTINGS = {
    "CACHE_CONTENT": True,
    "LOAD_CONTENT_CACHE": True,
    "CONTENT_CACHING_LAYER": "reader",
    "CHECK_MODIFIED_METHOD": "sha256",
    "GZIP_CACHE": False,  # the cache is written after every build: keep it cheap
}
# Settings that say where things go, not what a read gives.
NOT_READ_INPUTS = {"OUTPUT_PATH", "CACHE_PATH", AT_BUILD_END, *CACHE_SETTINGS}
LIBRARIES = (
    "pelican",
    "markdown",
    "pygments",
    "pyyaml",
    "mutagen",
    "pillow",
    "jinja2",
    "markupsafe",
)
# month and day names of dates follow the locale when LOCALE is not set
LOCALE_VARIABLES = ("LC_ALL", "LC_TIME", "LANG")
SOURCE_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
FOLDER_PREFIX = "dev-reader-"
UNUSED_SECONDS = 24 * 3600
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def use_reader_cache(pelican):
    """``initialized``: dev builds only, Pelican's reader cache in its keyed folder."""
    settings = pelican.settings
    if not settings.get(DEV_KEY):
        return
    base = Path(settings["CACHE_PATH"])
    folder = base / (FOLDER_PREFIX + read_inputs_key(settings))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)
    except OSError:
        return  # no writable cache folder: every file is read, as in a plain build
    _prune(base, folder)
    settings["CACHE_PATH"] = str(folder)
    settings.update(CACHE_SETTINGS)


def read_inputs_key(settings) -> str:
    """A hash of everything a file's read depends on besides the file itself."""
    digest = hashlib.sha256()
    for name in sorted(settings):
        if name not in NOT_READ_INPUTS:
            value = settings[name]
            if name == "MARKDOWN" and isinstance(value, dict):
                value = as_pelican_reads_it(value)
            digest.update(f"{name}={stable(value)}\n".encode())
    digest.update(versions(LIBRARIES).encode())
    digest.update(kit_code().encode())
    for variable in LOCALE_VARIABLES:
        digest.update(f"{variable}={os.environ.get(variable, '')}\n".encode())
    # a function in the settings counts by its name above; its code is in the file
    for path in _settings_files(settings):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(f"{path}: none".encode())
    for entry in _side_files(settings["PATH"]):
        digest.update(entry.encode())
    return digest.hexdigest()[:16]


def keyed_folder(settings) -> Path | None:
    """The dev cache folder of this build, None when it could not be made (then
    nothing may be taken from a cache: the folder's name is its key)."""
    folder = Path(settings["CACHE_PATH"])
    return folder if folder.name.startswith(FOLDER_PREFIX) else None


def _settings_files(settings):
    if not settings.get(SETTINGS_FILE_KEY):
        return []
    return SettingsSource(settings[SETTINGS_FILE_KEY]).files


def as_pelican_reads_it(markdown: dict) -> dict:
    """``MARKDOWN`` as Pelican's Markdown reader completes it. The reader adds the
    ``extensions`` list to the settings' own dict, so a settings module imported
    once (``from pelicanconf import *``) has it from the second build on: the same
    settings, which must give the same key."""
    config = dict(markdown)
    extensions = list(config.get("extensions", []))
    for extension in [*config.get("extension_configs", {}), META_EXTENSION]:
        if extension not in extensions:
            extensions.append(extension)
    config["extensions"] = extensions
    return config


def stable(value) -> str:
    """``repr`` of a setting's value, without what changes from one process to the
    next (object addresses): functions and classes by their qualified name."""
    if isinstance(value, dict):
        items = sorted((stable(key), stable(item)) for key, item in value.items())
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "[" + ", ".join(map(stable, value)) + "]"
    if isinstance(value, (set, frozenset)):
        return "set[" + ", ".join(sorted(map(stable, value))) + "]"
    if isinstance(value, type) or callable(value):
        module = getattr(value, "__module__", "")
        name = getattr(value, "__qualname__", type(value).__qualname__)
        return f"<{module}.{name}>"
    return ADDRESS.sub("", repr(value))


def _side_files(content):
    """``path size mtime`` of every file of the content folder but the Markdown
    sources (Pelican checks those itself): what an episode's read may open."""
    found = []
    for root, folders, files in os.walk(content):
        folders.sort()
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                continue
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            found.append(f"{path} {stat.st_size} {stat.st_mtime_ns}\n")
    return found


def _prune(base: Path, keep: Path):
    cutoff = time.time() - UNUSED_SECONDS
    for folder in base.glob(FOLDER_PREFIX + "*"):
        try:
            unused = folder != keep and folder.stat().st_mtime < cutoff
        except OSError:
            continue
        if unused:
            shutil.rmtree(folder, ignore_errors=True)
