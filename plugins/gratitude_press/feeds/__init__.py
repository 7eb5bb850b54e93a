"""Blog feeds: RSS 2.0 and Atom of all posts, of each category and of gratitude stories.

Written with feedgen in place of Pelican's feed writer (whose RSS guid is a ``tag:``
URI without ``isPermaLink="false"``). ``core`` renders plain data, ``html`` makes URLs
inside posts absolute, ``settings`` documents every ``FEEDS_*`` setting and
``generator`` is the Pelican adapter. Templates get ``FEEDS_LINKS`` (site feeds) and
``FEEDS_CATEGORY_LINKS`` (category slug -> feeds) for ``<link rel="alternate">``.
"""

from pelican import signals

from .generator import FeedsGenerator


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
