"""pelican-sitemap, reproducible: list pages are dated by the newest content.

pelican-sitemap dates pages without a date of their own (index, tags, archives) by
the clock when its module was imported, so two builds of the same content differ and
a long ``make devserver`` session keeps a stale date. The newest post, episode or
page is when those lists last changed, so that is their ``<lastmod>``.
"""

import logging

from pelican import signals

logger = logging.getLogger(__name__)


def newest_date(items):
    """The latest ``modified`` or ``date`` of ``items``, or None."""
    dates = [getattr(item, "modified", None) or getattr(item, "date", None)
             for item in items]
    dates = [date for date in dates if date is not None]
    return max(dates, key=lambda date: date.timestamp()) if dates else None


def date_list_pages(generators):
    try:
        from pelican.plugins.sitemap.sitemap import generator as sitemap
    except ImportError:  # the site does not use pelican-sitemap
        return
    items = [item for generator in generators
             for name in ("articles", "pages")
             for item in getattr(generator, name, ())]
    newest = newest_date(items)
    if newest is not None:
        sitemap.now = newest
        logger.debug("[sitemap] list pages dated %s", newest.isoformat())


def register():
    signals.all_generators_finalized.connect(date_list_pages)
