"""Speed: the kit builds faster than stock Pelican and rebuilds in about a second.

- ``reading.py`` + ``parallel.py`` + ``transport.py``: every Markdown source is read
  up front in forked workers (one per core); Pelican gets the same results, log
  records and errors as from sequential reading (``SPEED_PARALLEL_READING``).
- ``templates.py``: compiled Jinja templates are shared by all generators of a build
  and by later rebuilds (``SPEED_TEMPLATE_CACHE``).
- ``incremental.py`` + ``writer.py``: in the dev loop (``SPEED_INCREMENTAL``, on in
  ``make devserver``) unchanged sources are not read again and pages whose inputs did
  not change are not rendered again; files are written only when their bytes change.

What the dev loop remembers lives in one ``DevState`` per Pelican instance (autoreload
keeps the instance; a changed settings file makes a new one, and with it a new
state). Everything else is per build and dropped at ``finalized``.
"""

import logging

from pelican import signals

from ..reader.markdown_reader import GratitudeMarkdownReader
from .parallel import outcomes, parallel_map  # noqa: F401 (for concerns)
from .reading import BuildReading, ReadCache
from .settings import read_settings
from .templates import MemoryBytecodeCache
from .writer import IncrementalWriter, ParallelWriter, RenderMemory

logger = logging.getLogger(__name__)


class DevState:
    """What one Pelican instance keeps between its runs."""

    def __init__(self, settings):
        self.settings = settings
        self.config = read_settings(settings)
        incremental = self.config["SPEED_INCREMENTAL"]
        self.read_cache = ReadCache() if incremental else None
        self.render_memory = RenderMemory() if incremental else None
        self.bytecode = MemoryBytecodeCache() if self.config["SPEED_TEMPLATE_CACHE"] else None
        self.context = None  # the context dict of the build in progress
        self.reading = None
        self.writer = None

    def files_fingerprint(self):
        """Stamps of the non-source files under PATH, taken when reading began."""
        return self.read_cache.others if self.read_cache is not None else None


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


def start_instance(pelican):
    state_for(pelican.settings)


def _build_reading(generator):
    state = state_for(generator.settings)
    if state.context is not generator.context:  # the first generator of a new build
        if state.reading is not None:
            state.reading.finish()
        state.context = generator.context
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


def flush_pages(pelican):
    """Render the deferred pages: the first ``finalized`` receiver (speed registers
    first), so the search index and the sitemap see every page."""
    state = state_for(pelican.settings)
    writer, state.writer = state.writer, None
    if isinstance(writer, ParallelWriter):
        writer.flush()


def finish_reading(generators):
    for generator in generators:
        state = state_for(generator.settings)
        if state.reading is not None:
            state.reading.finish()
        return


def end_build(pelican):
    state = state_for(pelican.settings)
    if state.render_memory is not None:
        logger.debug("[speed] %d pages rendered, %d unchanged",
                     state.render_memory.rendered, state.render_memory.skipped)
    if state.reading is not None:
        state.reading.finish()
    state.reading = None
    state.context = None


def register():
    signals.initialized.connect(start_instance)
    signals.generator_init.connect(share_templates)
    signals.article_generator_init.connect(attach_articles)
    signals.page_generator_init.connect(attach_pages)
    signals.all_generators_finalized.connect(finish_reading)
    signals.get_writer.connect(choose_writer)
    signals.finalized.connect(flush_pages)
    signals.finalized.connect(end_build)
