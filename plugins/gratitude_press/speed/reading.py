"""The read path of one build: read-ahead in workers, and the dev loop's read cache.

``BuildReading`` wraps the ``read`` method of each Markdown reader instance of the
article and page generators (an instance attribute: the reader's class, and so the
``reader`` metadata Pelican derives from its name, stay the same). On the first read
it plans every source those generators will read, in their order, and starts the
read-ahead. Each wrapped read then takes, in order of preference:

1. the payload remembered by the previous run of this Pelican instance, if the file
   and every other content file are unchanged (``SPEED_INCREMENTAL``);
2. the payload from the read-ahead workers;
3. a read here.

and replays it (``transport.replay``).
"""

import functools
import logging
import os

from pelican.utils import file_suffix

from . import transport
from .parallel import ReadAhead, workers_for

logger = logging.getLogger(__name__)


def file_stamp(path):
    """What tells a file changed: modification time, size and inode."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def walk_stamps(folder, skip_extensions=()):
    """``[(path, stamp), ...]`` of every file under ``folder``, sorted."""
    found = []
    for root, _, files in os.walk(folder) if folder else ():
        for name in files:
            if file_suffix(name) not in skip_extensions:
                path = os.path.join(root, name)
                found.append((path, file_stamp(path)))
    found.sort()
    return found


class ReadCache:
    """Payloads of the previous run of one Pelican instance, keyed by source path.

    A payload is reused only if its source is byte-for-byte the same file (mtime,
    size, inode) and no other file under ``PATH`` changed (audio, transcripts and
    images are read by concerns while reading a source).
    """

    def __init__(self):
        self.entries = {}
        self.others = None

    def begin(self, content_path, source_extensions):
        others = walk_stamps(content_path, source_extensions)
        if others != self.others:
            self.entries.clear()
        self.others = others

    def get(self, path):
        entry = self.entries.get(path)
        if entry and entry[0] == file_stamp(path):
            return entry[1]
        return None

    def put(self, path, stamp, payload):
        self.entries[path] = (stamp, payload)


class BuildReading:
    """Reading for one ``Pelican.run()``."""

    def __init__(self, settings, config, cache):
        self.settings = settings
        self.config = config
        self.cache = cache  # a ReadCache when SPEED_INCREMENTAL, else None
        self.generators = []  # (generator, paths setting, excludes setting)
        self.extensions = set()
        self.originals = {}  # id(reader) -> its own read method
        self.stamps = {}
        self.read_ahead = None
        self.planned = False

    # --- wiring -----------------------------------------------------------------------
    def attach(self, generator, paths_key, excludes_key, reader_class):
        self.generators.append((generator, paths_key, excludes_key))
        for extension, reader in generator.readers.readers.items():
            if isinstance(reader, reader_class):
                self.extensions.add(extension)
                self.originals[id(reader)] = reader.read
                reader.read = functools.partial(self.read, reader.read)

    # --- the plan -----------------------------------------------------------------------
    def _sources(self):
        """``(path, read)`` for every source the generators will read, in their order."""
        seen = set()
        for generator, paths_key, excludes_key in self.generators:
            files = generator.get_files(generator.settings[paths_key],
                                        exclude=generator.settings[excludes_key])
            for name in files:
                path = os.path.abspath(os.path.join(generator.path, name))
                extension = file_suffix(path)
                if extension not in self.extensions or path in seen:
                    continue
                seen.add(path)
                if generator.settings.get("LOAD_CONTENT_CACHE") and (
                        generator.get_cached_data(name, None) is not None
                        or generator.readers.get_cached_data(path, (None, None))[0]
                        is not None):
                    continue  # Pelican's own cache has it
                yield path, self.originals[id(generator.readers.readers[extension])]

    def _plan(self):
        self.planned = True
        if self.cache is not None:
            self.cache.begin(self.settings["PATH"], self.extensions)
        if not self.config["SPEED_PARALLEL_READING"]:
            return
        plan = [(path, read) for path, read in self._sources()
                if self.cache is None or self.cache.get(path) is None]
        workers = workers_for(self.config, len(plan))
        if workers:
            self.stamps = {path: file_stamp(path) for path, _ in plan}
            self.read_ahead = ReadAhead(plan, self.settings, workers)

    # --- reading ------------------------------------------------------------------------
    def read(self, original, path):
        if not self.planned:
            self._plan()
        if self.cache is not None:
            payload = self.cache.get(path)
            if payload is not None:
                return transport.replay(payload, self.settings)
        # Stamped before reading: a save during the build is seen by the next one.
        stamp = self.stamps.pop(path, None) or file_stamp(path)
        payload = self.read_ahead.take(path) if self.read_ahead is not None else None
        if payload is None and self.cache is not None:
            payload = transport.call_payload(original, path, self.settings)
        if payload is None:
            return original(path)
        if self.cache is not None:
            self.cache.put(path, stamp, payload)
        return transport.replay(payload, self.settings)

    def finish(self):
        if self.read_ahead is not None:
            self.read_ahead.close()
            self.read_ahead = None
