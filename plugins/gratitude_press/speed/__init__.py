"""Speed: the kit builds faster than stock Pelican, and rebuilds fast in the dev loop.

- ``reading.py`` + ``parallel.py`` + ``transport.py``: every Markdown source is read
  up front in forked workers (one per core); Pelican gets the same results, log
  records and errors as from sequential reading (``SPEED_PARALLEL_READING``).
- ``writer.py``: pages are rendered in workers, those of articles and pages while the
  other generators run, the rest at the end of the writing phase (``ParallelWriter``,
  ``SPEED_PARALLEL_WRITING``); concerns hand per-post work to
  ``parallel_map``/``outcomes`` below.
- ``templates.py``: compiled Jinja templates are shared by all generators of a build
  and by later rebuilds (``SPEED_TEMPLATE_CACHE``).
- the dev loop (``SPEED_INCREMENTAL``, on in ``make devserver``): unchanged sources are
  not read again (``ReadCache``), pages whose inputs did not change are not rendered
  again (``IncrementalWriter``, ``digest.py``), per-post work of concerns is
  remembered (``outcomes``/``remember``) and the search index is built in the
  background (``after_build``).

What the dev loop remembers lives in one ``DevState`` per Pelican instance (autoreload
keeps the instance; a changed settings file makes a new one, and with it a new
state). Everything else is per build and dropped at ``finalized``.
"""

import hashlib
import logging
import threading

from pelican import signals

from ..reader.markdown_reader import GratitudeMarkdownReader
from . import parallel, transport
from .digest import Hasher
from .reading import BuildReading, ReadCache, file_stamp, walk_stamps
from .settings import read_settings
from .templates import MemoryBytecodeCache
from .writer import IncrementalWriter, ParallelWriter, RenderMemory

logger = logging.getLogger(__name__)
BACKGROUND = "gratitude-press-background-"


class DevState:
    """What one Pelican instance keeps between its runs."""

    def __init__(self, settings):
        self.settings = settings
        self.config = read_settings(settings)
        incremental = self.config["SPEED_INCREMENTAL"]
        self.read_cache = ReadCache() if incremental else None
        self.render_memory = RenderMemory() if incremental else None
        self.bytecode = MemoryBytecodeCache() if self.config["SPEED_TEMPLATE_CACHE"] else None
        self.memo = {} if incremental else None  # key -> payload, see remember()
        self.background = []  # threads started by after_build()
        self.context = None  # the context dict of the build in progress
        self.reading = None
        self.writer = None
        self.begin_build(None)

    def begin_build(self, context):
        self.context = context
        self.hasher = None
        self._site_digest = None
        self.memo_used = set()

    def files_fingerprint(self):
        """Stamps of the non-source files under PATH, taken when reading began."""
        return self.read_cache.others if self.read_cache is not None else None

    def build_hasher(self):
        """One hasher per build, shared by the writer and the memo (each content
        object is hashed once)."""
        if self.hasher is None:
            summaries = self.render_memory.summaries if self.render_memory else {}
            self.hasher = Hasher(self.settings, summaries)
        return self.hasher

    def site_digest(self):
        """Everything but post bodies: the outline of every content object, the
        non-source files under PATH and the theme's files."""
        if self._site_digest is None:
            hasher = self.build_hasher()
            context = self.context or {}
            contents = [*context.get("generated_content", {}).values(),
                        *context.get("static_content", {}).values()]
            theme = walk_stamps(self.settings.get("THEME", ""))
            self._site_digest = hasher.digest(
                [contents, repr(self.files_fingerprint()), repr(theme)])
        return self._site_digest

    def memo_key(self, name, depends, item):
        hasher = self.build_hasher()
        return (name, hasher.digest(depends, "focus"), self.site_digest(),
                hasher.digest(item, "focus"))

    def end_build(self):
        if self.memo is not None:  # keep what this build used, drop the rest
            for key in [key for key in self.memo if key not in self.memo_used]:
                del self.memo[key]
        self.begin_build(None)


# The states of the newest Pelican instances, by their settings dict (autoreload keeps
# one instance; tests may alternate two). Older ones are dropped, so a state never
# outlives its instance by long.
MAX_INSTANCES = 4
_states = {}


def state_for(settings):
    entry = _states.pop(id(settings), None)
    if entry is None or entry.settings is not settings:
        entry = DevState(settings)
    _states[id(settings)] = entry  # newest last
    while len(_states) > MAX_INSTANCES:
        del _states[next(iter(_states))]
    return entry


# --- for concerns: per-post work on every core, remembered by the dev loop -------------

def outcomes(settings, function, items, memo=None, depends=None):
    """One callable per item: it returns ``function(item)`` or raises its exception,
    after replaying its log records (``parallel.outcomes``). With ``memo`` (a name)
    and ``SPEED_INCREMENTAL``, a result is reused on the next run when the item (body
    included), ``depends`` and the site's outline (``DevState.site_digest``) are
    unchanged, so only the edited post's work is done again."""
    items = list(items)
    state = state_for(settings)
    if memo is None or state.memo is None:
        return parallel.outcomes(settings, function, items)
    keys = [state.memo_key(memo, depends, item) for item in items]
    todo = [number for number, key in enumerate(keys) if key not in state.memo]
    fresh = parallel.payloads(settings, function, [items[n] for n in todo], here=True)
    for number, payload in zip(todo, fresh):
        if payload is not None:
            state.memo[keys[number]] = payload
    state.memo_used.update(keys)
    return [parallel.outcome(settings, function, item, state.memo.get(key))
            for item, key in zip(items, keys)]


def parallel_map(settings, function, items, memo=None, depends=None):
    """``[function(item) for item in items]`` on every core (see ``outcomes``)."""
    return [outcome() for outcome in outcomes(settings, function, items, memo, depends)]


def remembers(settings):
    """Whether ``remember`` keeps results for the next run (the dev loop)."""
    return state_for(settings).memo is not None


def remember(settings, name, depends, compute):
    """``compute()``, reused by the dev loop while ``depends`` and the site's outline
    are unchanged (``compute`` must depend on nothing else)."""
    state = state_for(settings)
    if state.memo is None:
        return compute()
    key = state.memo_key(name, depends, None)
    payload = state.memo.get(key)
    if payload is None:
        payload = transport.call_payload(lambda _: compute(), None, settings)
        if payload is None:
            return compute()
        state.memo[key] = payload
    state.memo_used.add(key)
    return transport.replay(payload, settings)


def write_bytes(settings, path, data: bytes):
    """Write ``data`` to the file ``path``. In the dev loop (``SPEED_INCREMENTAL``), the
    file is left alone when this instance wrote the same bytes there last time and it
    was not touched since (its stamp is the one taken after writing)."""
    state = state_for(settings)
    memory = state.render_memory
    if memory is None:
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path = str(path)
    digest = hashlib.sha1(data).digest()
    if memory.files.get(path) == (digest, file_stamp(path)):
        return
    with open(path, "wb") as handle:
        handle.write(data)
    memory.files[path] = (digest, file_stamp(path))


def after_build(settings, name, work):
    """Run ``work()`` now; in the dev loop (``SPEED_INCREMENTAL``), in a background
    thread instead, so the rebuilt pages are served at once (the search index follows
    a moment later). The next build waits for it before it writes anything."""
    state = state_for(settings)
    if state.memo is None:
        work()
        return
    thread = threading.Thread(target=work, name=f"{BACKGROUND}{name}", daemon=True)
    state.background.append(thread)
    thread.start()


def wait_for_background(settings=None):
    """Wait for the background work of one Pelican instance (or of all)."""
    states = [state_for(settings)] if settings is not None else list(_states.values())
    for state in states:
        while state.background:
            state.background.pop(0).join()


def start_instance(pelican):
    state_for(pelican.settings)


def _build_reading(generator):
    state = state_for(generator.settings)
    if state.context is not generator.context:  # the first generator of a new build
        if state.reading is not None:
            state.reading.finish()
        wait_for_background(generator.settings)
        stop_rendering(generator.settings)  # left over by a build that failed
        state.begin_build(generator.context)
        state.reading = BuildReading(generator.settings, state.config, state.read_cache)
    return state.reading


def attach_articles(generator):
    _build_reading(generator).attach(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES",
                                     GratitudeMarkdownReader)


def attach_pages(generator):
    _build_reading(generator).attach(generator, "PAGE_PATHS", "PAGE_EXCLUDES",
                                     GratitudeMarkdownReader)


def share_templates(generator):
    env = getattr(generator, "env", None)
    state = state_for(generator.settings)
    if env is not None and state.bytecode is not None and env.bytecode_cache is None:
        env.bytecode_cache = state.bytecode


def choose_writer(pelican):
    state = state_for(pelican.settings)
    if state.render_memory is not None:
        return IncrementalWriter
    if state.config["SPEED_PARALLEL"] and state.config["SPEED_PARALLEL_WRITING"]:
        return ParallelWriter
    return None


def start_rendering(generator, writer):
    """The article and page generators have queued their pages (the bulk of the
    site): render them in the background while the parent runs the other
    generators."""
    if isinstance(writer, ParallelWriter):
        writer.start()


def stop_rendering(settings=None):
    """End background rendering of a build that failed (of every instance when
    ``settings`` is None), so that nothing writes into its output any more."""
    states = [state_for(settings)] if settings is not None else list(_states.values())
    for state in states:
        writer, state.writer = state.writer, None
        if isinstance(writer, ParallelWriter):
            writer.stop()


def flush_pages(pelican):
    """Render the deferred pages: the first ``finalized`` receiver (speed registers
    first), so the search index and the sitemap see every page."""
    state = state_for(pelican.settings)
    writer, state.writer = state.writer, None
    if isinstance(writer, ParallelWriter):
        writer.flush()


def finish_reading(generators):
    """Every source is read by now: let the reading workers go."""
    if generators:
        state = state_for(generators[0].settings)
        if state.reading is not None:
            state.reading.finish()


def end_build(pelican):
    state = state_for(pelican.settings)
    if state.render_memory is not None:
        logger.debug("[speed] %d pages rendered, %d unchanged",
                     state.render_memory.rendered, state.render_memory.skipped)
    if state.reading is not None:
        state.reading.finish()
    state.reading = None
    state.end_build()


def register():
    signals.initialized.connect(start_instance)
    signals.generator_init.connect(share_templates)
    signals.article_generator_init.connect(attach_articles)
    signals.page_generator_init.connect(attach_pages)
    signals.all_generators_finalized.connect(finish_reading)
    signals.get_writer.connect(choose_writer)
    signals.page_writer_finalized.connect(start_rendering)
    signals.finalized.connect(flush_pages)
    signals.finalized.connect(end_build)
