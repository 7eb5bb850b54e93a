"""The search concern: a pagefind index of the finished site, for the theme's search page.

Pages mark their main text with ``data-pagefind-body`` in the theme (posts, episodes,
pages); list pages (home, tags, archives) carry no body and stay out of the index.
Those pages are all written by Pelican's article and page generators, so pagefind is
started in the background as soon as they are (``page_writer_finalized``), and works
on the second core while the kit's generators write the story, people and digest
pages. The concern's generator is the last of the kit's (``get_generators`` order):
once every page is written it checks that the pages pagefind read are still exactly
the site's (the same glob, each indexed page's size and time unchanged) and waits
for it; if not, it stops that run and indexes the finished site again, so the index
is always that of what readers get. A large site is indexed in parts, each kept in
the cache while its pages do not change (``pagefind.py``). Without the pagefind binary
the build goes on with a warning and the search page explains itself.
"""

from pelican import signals
from pelican.generators import Generator

from ..errors import plugin_logger
from ..settings import config_of
from ..state import state_of
from . import pagefind

logger = plugin_logger(__name__)


def _binary(settings):
    """(config, pagefind binary) when the site is indexed, else (config, None)."""
    config = config_of(settings).search
    if config is None or not config.enabled:
        return config, None
    return config, pagefind.find_binary()


def start_indexing(generator, writer):
    """``page_writer_finalized``: every page with a body is written; start pagefind."""
    config, binary = _binary(generator.settings)
    if binary is not None:
        state = state_of(generator.context)
        state.search_indexing = pagefind.start(
            binary, generator.output_path, config, generator.settings["CACHE_PATH"]
        )
        if state.search_indexing is not None:  # a build that fails stops it
            state.at_build_end(state.search_indexing.stop)


class SearchIndexGenerator(Generator):
    def generate_output(self, writer):
        config, binary = _binary(self.settings)
        if config is None or not config.enabled:
            return
        if binary is None:
            logger.warning(
                "[search] pagefind not found, the site has no search index "
                "(install it with: pip install 'pagefind[bin]')"
            )
            return
        started = state_of(self.context).search_indexing
        problem = pagefind.STALE if started is None else started.outcome()
        if problem == pagefind.STALE:
            problem = pagefind.run(
                binary, self.output_path, config, self.settings["CACHE_PATH"]
            )
        if problem:
            logger.error(
                "[search] pagefind failed on %s: %s", self.output_path, problem
            )


def get_generators(pelican):
    return SearchIndexGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.page_writer_finalized.connect(start_indexing)
