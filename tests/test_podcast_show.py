"""The podcast as a show, in real builds of a tiny site: the show page, the feed in
every page's head, episode artwork, soundbites and subscribe links, and the feed tags
directories and listeners read (txt, trailer, license, podroll, soundbite, prefix)."""

import json
import os
import re
import shutil
import subprocess

import feedparser
import pytest
from bs4 import BeautifulSoup
from test_podcast_core import tiny_mp3, write_image
from test_podcast_site import PARTYTIME, edit, podcast_site

from conftest import ROOT

SITEURL = "https://gratitude.example"
FEED = f"{SITEURL}/podcast.xml"
FEED_TITLE = "Off the Rak (podcast)"
FIRST, BONUS, TRAILER, SEASON2 = (
    "2026/the-first-one/",
    "2026/open-doors-bonus/",
    "2026/a-first-listen/",
    "2026/season-two-opens/",
)
PODROLL_GUID = "b0357083-2f84-5e29-9b12-6a70b7e46915"
SHOW_SETTINGS = {
    "PODCAST_LISTEN_ON": {
        "overcast": "https://overcast.fm/itunes1",
        "apple": "https://podcasts.apple.com/podcast/id1",
        "Castro": "https://castro.fm/podcast/x",
    },
    "PODCAST_TXT": [("applepodcastsverify", "apv-123"), "plain-token"],
    "PODCAST_PODROLL": [
        {
            "title": "Quiet Leaders",
            "guid": PODROLL_GUID,
            "feed_url": "https://quiet.example/feed.xml",
            "link": "https://quiet.example/",
        }
    ],
    "PODCAST_LICENSE": "cc-by-4.0",
    "PODCAST_HOSTS": ["Rakesh Menon", "Ada Host"],
}
TRAILER_MD = """
    ---
    title: A first listen
    date: 2026-02-20 07:00
    slug: a-first-listen
    season: 1
    episode_type: trailer
    audio: audio/trailer.mp3
    guid: 6b1d2c3e-4f50-4a61-8b72-9c83d4e5f607
    summary: What the show is about, in five seconds.
    category: Podcast
    ---
    The trailer.
"""
SEASON2_MD = """
    ---
    title: Season two opens
    date: 2026-05-04 07:00
    slug: season-two-opens
    episode: 1
    season: 2
    audio: audio/s2e1.mp3
    guid: 0c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5
    summary: The first episode of the second season.
    category: Podcast
    ---
    Season two.
"""


def show_site(folder):
    """The tiny podcast site plus a season trailer, a season 2 episode, artwork and
    soundbites on the first episode."""
    site = podcast_site(folder)
    tiny_mp3(str(site.content / "audio/trailer.mp3"), 5)
    tiny_mp3(str(site.content / "audio/s2e1.mp3"), 7)
    write_image(str(site.content / "images/episodes/first.png"), kind="PNG")
    site.write("episodes/trailer.md", TRAILER_MD)
    site.write("episodes/season2.md", SEASON2_MD)
    edit(
        site,
        "episodes/first.md",
        "transcript: transcripts/first.vtt",
        "transcript: transcripts/first.vtt\nimage: images/episodes/first.png\n"
        "soundbites:\n  - {start: 5, duration: 3.5, title: Meet Dana}\n"
        "  - {start: 1, duration: 2}",
    )
    return site


def soup(site, relative):
    return BeautifulSoup(site.read(relative), "html.parser")


def pages(output):
    return sorted(
        p
        for p in output.rglob("*.html")
        if p.name not in ("email.html", "email.preview.html")
        and "pagefind" not in p.relative_to(output).parts
    )


def podcast_feed_links(page):
    return [
        link
        for link in page.head.find_all("link", rel="alternate")
        if link.get("title") == FEED_TITLE
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = show_site(tmp_path_factory.mktemp("show"))
    result = site.build(**SHOW_SETTINGS)
    assert result.returncode == 0, result.stdout + result.stderr
    site.log = result.stdout + result.stderr
    return site


@pytest.fixture
def fresh(tmp_path):
    return show_site(tmp_path)


def _feed(site):
    return BeautifulSoup(site.read("podcast.xml"), "xml").rss.channel


# --- the show page --------------------------------------------------------------------


def test_show_page_has_cover_title_description_and_hosts(built):
    page = soup(built, "podcast/index.html")
    header = page.select_one("main .show-header")
    assert header.img["src"] == f"{SITEURL}/images/off-the-rak-cover.jpg"
    assert page.h1.get_text(strip=True) == "Off the Rak"
    assert page.select_one(".show-description").get_text().startswith("Rakesh Menon")
    hosts = header.select_one(".meta")
    assert hosts.get_text(" ", strip=True) == "Hosted by Rakesh Menon and Ada Host"
    # Only a host with a person page is linked (Dana thanks Rakesh in an episode).
    assert [(a.get_text(), a["href"]) for a in hosts.find_all("a")] == [
        ("Rakesh Menon", f"{SITEURL}/people/rakesh-menon/")
    ]
    assert (built.output / "people/rakesh-menon/index.html").exists()
    assert not (built.output / "people/ada-host").exists()


def test_show_page_lists_the_configured_apps_and_the_feed_as_a_plain_link(built):
    page = soup(built, "podcast/index.html")
    apps = page.select(".subscribe .listen-on a")
    assert [(a.get_text(), a["href"]) for a in apps] == [
        ("Overcast", "https://overcast.fm/itunes1"),
        ("Apple Podcasts", "https://podcasts.apple.com/podcast/id1"),
        ("Castro", "https://castro.fm/podcast/x"),
    ]
    (feed,) = page.select(".subscribe a[data-copy]")
    assert feed["href"] == feed.get_text() == FEED
    assert feed["type"] == "application/rss+xml"
    assert not page.find("button")  # the copy button is added by script, if at all
    scripts = page.find_all("script")
    assert [
        s.get("src") for s in scripts if s.get("type") != "application/ld+json"
    ] == [f"{SITEURL}/theme/js/podcast.js"]
    assert all(s.has_attr("defer") for s in page.find_all("script", src=True))
    assert not page.find(attrs={"onclick": True})


def test_show_page_shows_no_app_that_is_not_configured(fresh):
    result = fresh.build(PODCAST_LISTEN_ON={})
    assert result.returncode == 0, result.stdout + result.stderr
    page = soup(fresh, "podcast/index.html")
    assert not page.select(".subscribe .listen-on")
    assert page.select_one(".podroll-list a").get_text() == "Quiet Leaders"
    assert page.select_one(".subscribe a[data-copy]")["href"] == FEED


def test_trailer_first_then_the_newest_episode_then_every_episode_by_season(built):
    page = soup(built, "podcast/index.html")
    main = page.main
    featured = main.select("section.featured")
    assert [s.h3.get_text(strip=True) for s in featured] == [
        "A first listen",
        "Season two opens",
    ]
    assert featured[0].h2.get_text(strip=True) == "Season 1 trailer"
    assert featured[0].audio.source["src"] == f"{SITEURL}/audio/trailer.mp3"
    assert featured[1].audio.source["src"] == f"{SITEURL}/audio/s2e1.mp3"
    assert "Duration 0:07" in featured[1].get_text(" ", strip=True)
    section = main.select_one("section.episodes")
    assert [h.get_text() for h in section.find_all("h3")] == ["Season 2", "Season 1"]
    entries = [
        (li.a.get_text(), li.select_one(".meta").get_text(" ", strip=True))
        for li in section.select(".episode-list li")
    ]
    assert [title for title, _ in entries] == [
        "Season two opens",
        "A bonus about open doors",
        "Notes & thanks: the first one",
    ]
    assert entries[1][1].startswith("Season 1, Episode 2 (bonus)")
    assert entries[2][1].endswith("0:12")  # the duration, known before playing
    assert [
        s["aria-labelledby"] for s in main.find_all("section", recursive=False)
    ] == ["subscribe", "trailer-1", "newest", "episodes", "podroll"]


def test_show_page_is_paginated_like_other_lists(fresh):
    result = fresh.build(DEFAULT_PAGINATION=2)
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = (
        soup(fresh, "podcast/index.html"),
        soup(fresh, "podcast/index2.html"),
    )
    assert not (fresh.output / "podcast/index3.html").exists()
    assert len(first.select(".episode-list li")) == 2
    assert [li.a.get_text() for li in second.select(".episode-list li")] == [
        "Notes & thanks: the first one"
    ]
    assert first.select_one(".pagination a[rel=next]")["href"] == (
        f"{SITEURL}/podcast/index2.html"
    )
    assert second.select_one(".pagination a[rel=prev]")["href"] == (
        f"{SITEURL}/podcast/index.html"
    )  # Pelican's first page, as on other lists
    assert not second.select("section.featured") and not second.select(".subscribe")
    assert second.title.get_text().startswith("Off the Rak, page 2")


def test_show_page_moves_with_its_setting_and_episodes_link_to_it(fresh):
    result = fresh.build(PODCAST_PAGE_SAVE_AS="shows/off-the-rak.html")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (fresh.output / "podcast").exists()
    assert soup(fresh, "shows/off-the-rak.html").h1.get_text() == "Off the Rak"
    episode = soup(fresh, FIRST + "index.html")
    assert (
        episode.select_one(".kicker a")["href"] == f"{SITEURL}/shows/off-the-rak.html"
    )
    ld = json.loads(episode.find("script", type="application/ld+json").string)
    assert ld["partOfSeries"]["url"] == f"{SITEURL}/shows/off-the-rak.html"


def test_without_a_show_page_episodes_link_to_their_category(fresh):
    result = fresh.build(PODCAST_PAGE_SAVE_AS="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (fresh.output / "podcast").exists()
    episode = soup(fresh, FIRST + "index.html")
    assert episode.select_one(".kicker a")["href"] == f"{SITEURL}/category/podcast/"
    assert _feed(fresh).find("podcast:person")["href"] == (
        f"{SITEURL}/people/rakesh-menon/"
    )


# --- the feed, found everywhere -------------------------------------------------------


def test_every_page_advertises_the_podcast_feed_once_in_its_head(built):
    checked = 0
    for path in pages(built.output):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        links = podcast_feed_links(page)
        where = path.relative_to(built.output).as_posix()
        assert [(link["href"], link["type"]) for link in links] == [
            (FEED, "application/rss+xml")
        ], where
        alternates = page.head.find_all(
            "link",
            rel="alternate",
            type=("application/rss+xml", "application/atom+xml"),
        )
        # First on the show's own pages (a podcast app takes the first); elsewhere
        # the site's own feeds come first.
        own = where.startswith(("podcast/", FIRST, BONUS, TRAILER, SEASON2))
        assert (alternates[0] is links[0]) == own, where
        checked += 1
    assert checked > 15
    assert (built.output / "podcast.xml").is_file()


def test_local_build_says_in_one_line_why_no_feed_was_written(fresh):
    result = fresh.build(SITEURL="", RELATIVE_URLS=True)  # strict, as in the tests
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    lines = [line for line in output.splitlines() if "[podcast]" in line]
    assert len(lines) == 1, output
    assert lines[0].startswith("INFO: [podcast] podcast.xml not written:")
    assert "SITEURL" in lines[0] and "make publish" in lines[0]
    assert not (fresh.output / "podcast.xml").exists()
    for path in pages(fresh.output):
        assert "podcast.xml" not in path.read_text(encoding="utf-8"), path
    assert not soup(fresh, "podcast/index.html").select("a[data-copy]")


def test_a_published_build_says_nothing_and_an_unwanted_feed_is_not_advertised(fresh):
    published = fresh.build()
    assert published.returncode == 0
    assert "[podcast]" not in published.stdout + published.stderr
    off = fresh.build(PODCAST_FEED_PATH="")
    assert off.returncode == 0 and "[podcast]" not in off.stdout + off.stderr
    assert not (fresh.output / "podcast.xml").exists()
    assert not podcast_feed_links(soup(fresh, "index.html"))
    assert not soup(fresh, "podcast/index.html").select("a[data-copy]")


# --- episode pages --------------------------------------------------------------------


def test_episode_page_shows_its_artwork_and_the_duration_at_the_player(built):
    page = soup(built, FIRST + "index.html")
    assert page.select_one("main .show-header img")["src"] == (
        f"{SITEURL}/images/episodes/first.png"
    )
    assert page.find("meta", property="og:image")["content"] == (
        f"{SITEURL}/images/episodes/first.png"
    )
    assert (built.output / "images/episodes/first.png").is_file()
    player = page.select_one("figure.player")
    assert player.audio["id"] == "episode-player"
    assert player.select_one(".duration time")["datetime"] == "PT12S"
    assert player.select_one(".duration").get_text(" ", strip=True) == "Duration 0:12"
    # Without artwork of its own, an episode shows the show's cover.
    bonus = soup(built, BONUS + "index.html")
    assert bonus.select_one("main .show-header img")["src"] == (
        f"{SITEURL}/images/off-the-rak-cover.jpg"
    )


def test_episode_page_lists_its_soundbites_as_links_that_seek(built):
    page = soup(built, FIRST + "index.html")
    bites = page.select(".soundbites-section li a")
    assert [
        (a["href"], a["data-seek"], a["data-player"], a.get_text()) for a in bites
    ] == [
        (f"{SITEURL}/audio/first.mp3#t=5,8.5", "5", "episode-player", "0:05"),
        (f"{SITEURL}/audio/first.mp3#t=1,3", "1", "episode-player", "0:01"),
    ]
    texts = [
        li.get_text(" ", strip=True) for li in page.select(".soundbites-section li")
    ]
    assert texts == ["0:05 Meet Dana (4 s)", "0:01 A moment from the episode (2 s)"]


def test_episode_page_links_to_subscribe_and_to_the_show(built):
    page = soup(built, FIRST + "index.html")
    subscribe = page.select_one("article .subscribe")
    assert subscribe.has_attr("data-pagefind-ignore")
    assert [a.get_text() for a in subscribe.select(".listen-on a")] == [
        "Overcast",
        "Apple Podcasts",
        "Castro",
    ]
    assert subscribe.select_one("a[data-copy]")["href"] == FEED
    assert page.select_one(".kicker a")["href"] == f"{SITEURL}/podcast/"
    assert podcast_feed_links(page)[0] is page.head.find("link", rel="alternate")


def test_guests_without_a_photo_have_no_empty_slot(built):
    page = soup(built, BONUS + "index.html")
    (guest,) = page.select(".guests li")
    assert guest.find("img") is None
    first = guest.find(True)
    assert first.name == "div" and first.select_one("a.person").get_text() == (
        "Marcus Lee"
    )


def test_trailer_page_names_it_a_trailer(built):
    page = soup(built, TRAILER + "index.html")
    assert (
        page.select_one(".kicker")
        .get_text(" ", strip=True)
        .endswith("Season 1 trailer")
    )
    assert "Episode" not in page.select_one(".kicker").get_text()
    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["@type"] == "PodcastEpisode" and "episodeNumber" not in ld


# --- the feed: what directories and listeners read ------------------------------------


def test_feed_carries_txt_trailer_license_and_podroll(built):
    channel = _feed(built)
    assert [(t.get("purpose"), t.string) for t in channel.find_all("podcast:txt")] == [
        ("applepodcastsverify", "apv-123"),
        (None, "plain-token"),
    ]
    (trailer,) = channel.find_all("podcast:trailer")
    assert trailer.string == "A first listen"
    assert trailer["url"] == f"{SITEURL}/audio/trailer.mp3"
    assert trailer["pubdate"] == "Fri, 20 Feb 2026 07:00:00 -0600"
    assert (
        int(trailer["length"]) == (built.content / "audio/trailer.mp3").stat().st_size
    )
    assert (trailer["type"], trailer["season"]) == ("audio/mpeg", "1")
    license_tag = channel.find("podcast:license")
    assert (license_tag.string, license_tag["url"]) == (
        "cc-by-4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    (remote,) = channel.find("podcast:podroll").find_all("podcast:remoteItem")
    assert remote.attrs == {
        "feedGuid": PODROLL_GUID,
        "feedUrl": "https://quiet.example/feed.xml",
    }


def test_feed_items_have_artwork_soundbites_and_apple_numbering(built):
    parsed = feedparser.parse(built.read("podcast.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = _feed(built)
    items = {item.title.string: item for item in channel.find_all("item")}
    first = items["Notes & thanks: the first one"]
    image = first.find("itunes:image")["href"]
    assert image == f"{SITEURL}/images/episodes/first.png"
    assert (built.output / image.removeprefix(SITEURL + "/")).is_file()
    assert [
        (b["startTime"], b["duration"], b.string)
        for b in first.find_all("podcast:soundbite")
    ] == [("5", "3.5", "Meet Dana"), ("1", "2", None)]
    trailer = items["A first listen"]
    assert trailer.find("itunes:episodeType").string == "trailer"
    assert trailer.find("itunes:episode") is None  # a season trailer: Apple's rule
    assert trailer.find("itunes:season").string == "1"
    assert items["Season two opens"].find("itunes:image") is None  # the show's cover


def test_host_person_links_to_a_page_that_exists(built):
    channel = _feed(built)
    hosts = [
        (p.string, p["href"])
        for p in channel.find_all("podcast:person", recursive=False)
    ]
    assert hosts == [
        ("Rakesh Menon", f"{SITEURL}/people/rakesh-menon/"),
        ("Ada Host", f"{SITEURL}/podcast/"),
    ]
    for item in channel.find_all("item"):
        for person in item.find_all("podcast:person", role="host"):
            assert (person.string, person["href"]) in hosts
    for _, href in hosts:
        assert (
            built.output / href.removeprefix(SITEURL + "/") / "index.html"
        ).is_file()


def test_the_analytics_prefix_is_for_the_feed_only(fresh):
    result = fresh.build(PODCAST_ENCLOSURE_PREFIX="https://op3.dev/e/")
    assert result.returncode == 0, result.stdout + result.stderr
    channel = _feed(fresh)
    enclosures = [item.enclosure["url"] for item in channel.find_all("item")]
    assert len(enclosures) == 4
    assert all(
        re.fullmatch(r"https://op3\.dev/e/gratitude\.example/audio/\w+\.mp3", url)
        for url in enclosures
    ), enclosures
    assert channel.find("podcast:trailer")["url"] == (
        "https://op3.dev/e/gratitude.example/audio/trailer.mp3"
    )
    for page in (FIRST + "index.html", "podcast/index.html", "index.html"):
        html = fresh.read(page)
        assert "op3.dev" not in html, page
    assert soup(fresh, FIRST + "index.html").audio.source["src"] == (
        f"{SITEURL}/audio/first.mp3"
    )


def test_a_podcasting_2_client_reads_every_new_tag(built):
    if (
        not shutil.which("node")
        or not (ROOT / "node_modules/podcast-partytime").exists()
    ):
        pytest.skip("node or node_modules/podcast-partytime missing (npm ci)")
    result = subprocess.run(
        ["node", "-e", PARTYTIME, str(built.output / "podcast.xml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "NODE_PATH": str(ROOT / "node_modules")},
    )
    assert result.returncode == 0, result.stderr
    feed = json.loads(result.stdout)
    assert feed["podcastTxt"] == [
        {"value": "apv-123", "purpose": "applepodcastsverify"},
        {"value": "plain-token"},
    ]
    (trailer,) = feed["trailers"]
    assert (trailer["title"], trailer["url"], trailer["season"]) == (
        "A first listen",
        f"{SITEURL}/audio/trailer.mp3",
        1,
    )
    assert feed["license"] == {
        "identifier": "cc-by-4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert feed["podroll"] == [
        {"feedGuid": PODROLL_GUID, "feedUrl": "https://quiet.example/feed.xml"}
    ]
    items = {item["title"]: item for item in feed["items"]}
    first = items["Notes & thanks: the first one"]
    assert first["image"] == f"{SITEURL}/images/episodes/first.png"
    # The parser drops a soundbite that starts at 0 (its check is a truthy startTime).
    assert first["podcastSoundbites"] == [
        {"duration": 3.5, "startTime": 5, "title": "Meet Dana"},
        {"duration": 2, "startTime": 1, "title": "Off the Rak"},
    ]
    assert items["A first listen"]["itunesEpisodeType"] == "trailer"
    assert "itunesEpisode" not in items["A first listen"]
    assert set(feed["pc20support"]["1"]) >= {"soundbite"}
    assert set(feed["pc20support"]["3"]) >= {"trailer", "license"}
    assert set(feed["pc20support"]["6"]) >= {"txt", "podroll"}
