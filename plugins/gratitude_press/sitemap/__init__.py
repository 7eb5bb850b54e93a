"""The sitemap concern: ``sitemap.xml`` of every page the build wrote.

- ``content_written``: each HTML page Pelican writes is noted in the build's state,
  with the post or page it shows;
- a generator late in ``get_generators`` order writes the sitemap once every page is
  written. List pages (home, tags, archives) are dated by the newest post or page,
  never by the clock, so two builds of the same content are identical.
"""

import os
import re
from urllib.request import pathname2url

from pelican import signals
from pelican.generators import Generator

from ..paths import write_inside
from ..settings import config_of
from ..state import state_of
from .core import SitemapPage, sitemap_xml

INDEX_FILE = re.compile(r"(?:^|(?<=/))index\.html$")


def note_page(path, context):
    if path.endswith(".html"):
        shown = context.get("article") or context.get("page")
        state_of(context).sitemap_pages.append((path, shown))


def _lastmod(item):
    return getattr(item, "modified", None) or getattr(item, "date", None)


def newest_date(items):
    dates = [date for date in map(_lastmod, items) if date is not None]
    return max(dates, key=lambda date: date.timestamp()) if dates else None


def _clean(url):
    return INDEX_FILE.sub("", url)


class SitemapGenerator(Generator):
    def generate_output(self, writer):
        config = config_of(self.settings).sitemap
        state = state_of(self.context)
        if config is None or not config.save_as:
            return
        newest = newest_date(
            [*self.context.get("articles", ()), *self.context.get("pages", ())]
        )
        pages = []
        for path, shown in state.sitemap_pages:
            if (
                shown is not None
                and getattr(shown, "status", "published") != "published"
            ):
                continue
            url = _clean(
                shown.url
                if shown is not None
                else pathname2url(os.path.relpath(path, self.output_path))
            )
            lastmod = (_lastmod(shown) if shown is not None else None) or newest
            if lastmod is None or any(p.search(url) for p in config.exclude):
                continue
            translations = tuple(
                (t.lang, _clean(t.url)) for t in getattr(shown, "translations", ())
            )
            pages.append(SitemapPage(url, lastmod, translations))
        write_inside(
            self.output_path,
            config.save_as,
            sitemap_xml(pages, self.settings["SITEURL"]),
        )


def get_generators(pelican):
    return SitemapGenerator


def register():
    signals.content_written.connect(note_page)
    signals.get_generators.connect(get_generators)
