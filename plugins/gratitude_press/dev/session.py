"""One dev session: a file watcher for its whole life, one build per batch of saves.

Pelican 4.12's autoreload starts a new watcher after every build, so a save made
while a build runs is never seen. Here one ``watchfiles`` watcher runs in its own
thread for the whole session and puts every batch of changes in a queue; the build
loop takes everything queued, builds, and looks again. A save made during a build
is in the queue when the build ends, so it gets a build of its own.

The only time the watcher is made anew is after a settings file changed: many
editors save by replacing the file, which ends a watch on that file.

When a batch of saves only changed the text of posts (or added one), their pages are
written into the served site first (``fast.py``), then the whole site is built as
always; if that build fails, the pages go back to the last good build's.

Each build is a fresh in-process build through the build runner (``build/``): it
writes a staging folder and replaces ``output/`` only if it succeeded, so after a bad
save the server keeps serving the last good site whole (a post is on every page or
on none), and the save's problem is one line naming its file and line, in the
terminal and at the bottom of the open page.
"""

import logging
import queue
import sys
import threading
import time
from pathlib import Path

import watchfiles
from pelican.settings import read_settings

from ..build import runner
from ..settings import SettingsSource
from .fast import LastBuild
from .preview import DEV_SETTINGS
from .server import LiveState

DEBOUNCE_MS = 400  # the longest a batch of saves waits for more
STEP_MS = 50  # a batch ends after this long without another change
POLL_SECONDS = 0.5  # how often the build loop looks at its stop event


class _FirstError(logging.Handler):
    """The first error a build logs: the one-line problem shown in the browser."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.message = ""

    def emit(self, record):
        if not self.message:
            self.message = record.getMessage()


class DevSession:
    """Builds ``settings_file`` into ``output`` after every batch of saves."""

    def __init__(self, settings_file, output, live=None, debug=False, say=print):
        self.settings_file = Path(settings_file)
        self.output = Path(output)
        self.live = live or LiveState()
        self.debug, self.say = debug, say
        self.stop = threading.Event()
        self.changes = queue.Queue()
        self.builds_started = 0  # tests wait on it; nothing else reads it
        self.last_build = LastBuild(self.output)  # for the fast render of a post

    def watched(self):
        """(paths to watch, the settings files among them)."""
        settings = read_settings(str(self.settings_file))
        files = [path.resolve() for path in SettingsSource(self.settings_file).files]
        return [settings["PATH"], settings["THEME"], *map(str, files)], set(files)

    def rebuild(self, fast_written=False) -> bool:
        """Build the whole site; after a fast render (``fast_written``) a failed
        build has put the page in view back, so the browser reloads it."""
        self.builds_started += 1
        _forget_imported_settings(self.settings_file)
        first_error = _FirstError()
        root = logging.getLogger()
        root.addHandler(first_error)
        started = time.monotonic()
        try:
            status = self.last_build.build(
                lambda: runner.build(
                    str(self.settings_file),
                    self.output,
                    debug=self.debug,
                    overrides=DEV_SETTINGS,
                    discard_later=True,  # the new site is served before the old goes
                )
            )
        finally:
            root.removeHandler(first_error)
        if status == 130:  # Ctrl-C during the build: it cleaned up, now stop dev
            raise KeyboardInterrupt
        if status == 0:
            self.live.built()
            self.say(f"dev: built in {time.monotonic() - started:.1f} s")
        else:
            self.live.failed(
                first_error.message or "the build failed", reload=fast_written
            )
            self.say("dev: the last good build stays in place; save again to retry")
        return status == 0

    def watch(self, paths, settings_files):
        """The watcher thread: every batch of changes goes into the queue."""
        while not self.stop.is_set():
            again = False
            for changes in watchfiles.watch(
                *paths,
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=self.stop,
                # no timeout: on a timeout watchfiles clears what it has collected,
                # and a save arriving at that moment would be lost
                rust_timeout=0,
                raise_interrupt=False,
            ):
                self.changes.put(changes)
                if any(Path(path).resolve() in settings_files for _, path in changes):
                    again = True  # its watch may have ended with the old file
                    break
            if not again:
                return

    def run(self):
        """Build, then build again after each batch of saves, until ``stop``."""
        paths, settings_files = self.watched()
        watcher = threading.Thread(
            target=self.watch,
            args=(paths, settings_files),
            name="gratitude-press-watcher",
            daemon=True,
        )
        watcher.start()
        self.rebuild()
        while not self.stop.is_set():
            batch = self._next_batch()
            if batch:
                # an editor's temporary files come and go within a batch: not named
                named = {path for path in batch if Path(path).exists()} or batch
                self.say("dev: changed " + ", ".join(sorted(map(_shown, named))))
                written = self.last_build.render(batch)
                if written:
                    self.live.built()  # the page in view now, the whole site next
                    self.say("dev: wrote " + ", ".join(written) + " first")
                self.rebuild(fast_written=bool(written))
        watcher.join(timeout=5)

    def _next_batch(self) -> set:
        """Every change queued so far (saves made during the last build included)."""
        try:
            changes = set(self.changes.get(timeout=POLL_SECONDS))
        except queue.Empty:
            return set()
        while not self.changes.empty():
            changes |= self.changes.get_nowait()
        return {path for _, path in changes}


def _forget_imported_settings(settings_file):
    """Settings files that this one imports (``from pelicanconf import *`` in
    publishconf.py) are read again by the next build, not taken from the import
    cache: an edit to them must reach the preview."""
    for path in SettingsSource(settings_file).files[1:]:
        module = sys.modules.get(path.stem)
        if module is not None and Path(getattr(module, "__file__", "") or "") == path:
            del sys.modules[path.stem]


def _shown(path) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)
