"""The search concern: a pagefind index of the finished site, for the theme's search page.

Its generator is the last of the kit's (``get_generators`` order), so it runs once
every page is written and indexes exactly what readers get. Pages mark their main
text with ``data-pagefind-body`` in the theme; list pages (home, tags, archives) carry
no body and stay out of the index. Without the pagefind binary the build goes on with
a warning and the search page explains itself.
"""

from pelican import signals
from pelican.generators import Generator

from ..errors import plugin_logger
from ..settings import config_of
from . import pagefind

logger = plugin_logger(__name__)


class SearchIndexGenerator(Generator):
    def generate_output(self, writer):
        config = config_of(self.settings).search
        if config is None or not config.enabled:
            return
        binary = pagefind.find_binary()
        if binary is None:
            logger.warning(
                "[search] pagefind not found, the site has no search index "
                "(install it with: pip install 'pagefind[bin]')"
            )
            return
        problem = pagefind.run(binary, self.output_path, config)
        if problem:
            logger.error(
                "[search] pagefind failed on %s: %s", self.output_path, problem
            )


def get_generators(pelican):
    return SearchIndexGenerator


def register():
    signals.get_generators.connect(get_generators)
