"""What one build learns, in one object created when the build starts.

Pelican makes a new ``context`` dict for every run and hands the same dict to every
generator, so the first generator's ``generator_init`` puts a ``BuildState`` in it and
every later hook finds it there (``state_of``). When the run ends the context, and
with it the state, is dropped: a second build, in the same process or alongside in
another Pelican instance, starts from nothing.
"""

import logging
from pathlib import Path

from .settings import config_of

STATE_KEY = "gratitude_build"
# A list the build runner puts in the settings: what to call when the build ends,
# however it ends (Pelican sends ``finalized`` only after a build that succeeded).
AT_BUILD_END = "GRATITUDE_AT_BUILD_END"


class BuildState:
    def __init__(self, settings):
        self.config = config_of(settings)
        self.content_path = Path(settings["PATH"]).resolve()
        # stories: the grouped stories of every post and page (stories.aggregate.group)
        self.gratitude = None
        # podcast: episode articles oldest first; static source path -> its URL
        self.episodes = []
        self.static_urls = {}
        self.podcast_links = {}  # source path -> media URLs of the episode
        # sitemap: (url, lastmod or None) of every HTML page written
        self.sitemap_pages = []
        # newsletter: the issues this build made, newest first
        self.digest_issues = []
        # search: pagefind started once the pages it indexes are written, or None
        self.search_indexing = None
        self._at_end = settings.get(AT_BUILD_END)

    def at_build_end(self, callback):
        """Call ``callback()`` when the build ends, even by an error (under the build
        runner; a plain ``pelican`` run has no such moment, and no call)."""
        if isinstance(self._at_end, list):
            self._at_end.append(callback)

    def report(self, logger, concern, error, level=logging.ERROR):
        """Log a ContentError as one line, its path relative to the content folder."""
        logger.log(level, "[%s] %s", concern, error.relative_to(self.content_path))


def begin(generator):
    if STATE_KEY not in generator.context:
        generator.context[STATE_KEY] = BuildState(generator.settings)


def state_of(context) -> BuildState:
    return context[STATE_KEY]
