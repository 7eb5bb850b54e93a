"""The search concern: a pagefind index of the finished site, for the theme's search page.

Pagefind runs once Pelican has written every page (``finalized``), so it indexes exactly
what readers get. Pages mark their main text with ``data-pagefind-body`` in the theme;
list pages (home, tags, archives) carry no body and stay out of the index. Without the
pagefind binary the build goes on with a warning and the search page explains itself.
"""

import logging

from pelican import signals

from ..speed import after_build
from . import pagefind, settings

logger = logging.getLogger(__name__)


def apply_defaults(pelican):
    settings.set_defaults(pelican.settings)


def index_site(pelican):
    config = settings.read(pelican.settings)
    if not config["SEARCH_ENABLED"]:
        return
    binary = pagefind.find_binary()
    if binary is None:
        logger.warning("[search] pagefind not found, the site has no search index "
                       "(install it with: pip install 'pagefind[bin]')")
        return

    def index():
        problem = pagefind.run(binary, pelican.output_path, config)
        if problem:
            logger.error("[search] pagefind failed on %s: %s", pelican.output_path, problem)

    after_build(pelican.settings, "search", index)  # in the background in the dev loop


def register():
    signals.initialized.connect(apply_defaults)
    signals.finalized.connect(index_site)
