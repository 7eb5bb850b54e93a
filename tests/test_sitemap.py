"""The sitemap is reproducible: list pages carry the newest content's date."""

import time
import xml.etree.ElementTree as ET

from conftest import Site

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _lastmods(site):
    root = ET.parse(site.output / "sitemap.xml").getroot()
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_list_pages_are_dated_by_the_newest_post_not_the_clock(tmp_path):
    site = Site(tmp_path)
    site.write(
        "posts/older.md", "Title: Older\nDate: 2026-03-02 09:00\nTags: trust\n\nA.\n"
    )
    site.write(
        "posts/newer.md", "Title: Newer\nDate: 2026-03-09 10:30\nTags: trust\n\nB.\n"
    )
    first = site.build()
    assert first.returncode == 0, first.stderr
    lastmods = _lastmods(site)
    home = next(date for loc, date in lastmods.items() if loc.endswith(".example/"))
    assert home.startswith("2026-03-09T10:30:00"), lastmods
    tag_page = next(date for loc, date in lastmods.items() if "/tag/trust" in loc)
    assert tag_page == home
    assert lastmods[next(loc for loc in lastmods if "/older" in loc)].startswith(
        "2026-03-02T09:00:00"
    )

    time.sleep(1.1)  # another second on the clock
    second = site.build()
    assert second.returncode == 0, second.stderr
    assert _lastmods(site) == lastmods
