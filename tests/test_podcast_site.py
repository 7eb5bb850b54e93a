"""The podcast concern in real builds of a tiny site: feed, pages, files, errors."""

import json
import os
import shutil
import subprocess

import feedparser
import mutagen
import pytest
from bs4 import BeautifulSoup
from pelican.settings import DEFAULT_CONFIG
from test_podcast_core import tiny_mp3, write_image

from conftest import ROOT, Site
from gratitude_press.stories.people import person_url

FIRST = "2026/the-first-one/"
SECOND = "2026/open-doors-bonus/"
SITEURL = "https://gratitude.example"
REGEX_SUBS = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]


def podcast_site(folder):
    site = Site(folder, template="podcast")
    tiny_mp3(str(site.content / "audio/first.mp3"), 12)
    tiny_mp3(str(site.content / "audio/second.mp3"), 9)
    write_image(str(site.content / "images/off-the-rak-cover.jpg"))
    write_image(str(site.content / "images/favicon.png"), (32, 32), kind="PNG")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = podcast_site(tmp_path_factory.mktemp("podcast"))
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture
def fresh(tmp_path):
    return podcast_site(tmp_path)


def soup(site, relative):
    return BeautifulSoup(site.read(relative), "html.parser")


# --- the feed -------------------------------------------------------------------


def test_feed_is_rss_that_feedparser_reads_without_complaint(built):
    parsed = feedparser.parse(built.read("podcast.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Off the Rak"
    assert parsed.feed.link == f"{SITEURL}/"
    assert parsed.feed.language == "en"
    assert [e.title for e in parsed.entries] == [
        "A bonus about open doors",
        "Notes & thanks: the first one",
    ]
    second, first = parsed.entries
    assert first.link == f"{SITEURL}/{FIRST}"
    assert first.id == "3f0c1d7e-2a51-4c1e-9b1f-0d6f1a2b3c4d" and not first.guidislink
    assert first.summary == (
        "Rakesh and Dana talk about thanking people for the rehearsal, not the launch."
    )
    assert f'href="{SITEURL}/{SECOND}"' in first.content[0].value  # absolute links
    assert first.itunes_episodetype == "full" and second.itunes_episodetype == "bonus"
    assert "The post is not an episode" not in built.read("podcast.xml")


def test_feed_has_every_tag_apple_asks_for(built):
    soup_xml = BeautifulSoup(built.read("podcast.xml"), "xml")
    channel = soup_xml.rss.channel
    assert soup_xml.rss["version"] == "2.0"
    assert (
        channel.find("itunes:image")["href"]
        == f"{SITEURL}/images/off-the-rak-cover.jpg"
    )
    category = channel.find("itunes:category", recursive=False)
    assert category["text"] == "Business"
    assert category.find("itunes:category")["text"] == "Management"
    assert channel.find("itunes:explicit", recursive=False).string == "false"
    assert channel.find("itunes:author", recursive=False).string == "Rakesh Menon"
    assert channel.find("itunes:type").string == "episodic"
    assert channel.find("atom:link")["href"] == f"{SITEURL}/podcast.xml"
    assert channel.find("atom:link")["rel"] == "self"
    assert channel.find("lastBuildDate").string == "Mon, 06 Apr 2026 07:00:00 -0500"
    items = {
        item.find("itunes:episode").string: item for item in channel.find_all("item")
    }
    assert set(items) == {"1", "2"}
    for item in items.values():
        assert item.guid["isPermaLink"] == "false"
        assert item.pubDate.string and item.enclosure["type"] == "audio/mpeg"
        assert item.find("itunes:season").string == "1"
    assert items["1"].find("itunes:explicit").string == "false"
    assert items["2"].find("itunes:explicit").string == "true"


def test_podcasting_2_tags(built):
    channel = BeautifulSoup(built.read("podcast.xml"), "xml").rss.channel
    assert channel.find("podcast:guid").string == "8de365cf-e895-5c59-87b0-aa4ce9aa255f"
    assert channel.find("podcast:locked").string == "yes"
    assert channel.find("podcast:locked")["owner"] == "rakesh@gratitude.example"
    assert (
        channel.find("podcast:funding")["url"] == "https://gratitude.example/support/"
    )
    item = next(
        i for i in channel.find_all("item") if i.find("itunes:episode").string == "1"
    )
    transcript = item.find("podcast:transcript")
    assert transcript["url"] == f"{SITEURL}/transcripts/first.vtt"
    assert transcript["type"] == "text/vtt"
    chapters = item.find("podcast:chapters")
    assert chapters["url"] == f"{SITEURL}/{FIRST}chapters.json"
    assert chapters["type"] == "application/json+chapters"
    people = [
        (p.string, p["role"], p.get("href")) for p in item.find_all("podcast:person")
    ]
    assert people == [
        ("Rakesh Menon", "host", f"{SITEURL}/people/rakesh-menon/"),
        ("Dana Whitfield", "guest", "https://example.org/dana"),
    ]
    assert item.find("podcast:season").string == "1"
    assert item.find("podcast:episode").string == "1"


def test_enclosure_length_and_duration_come_from_the_audio(built):
    channel = BeautifulSoup(built.read("podcast.xml"), "xml").rss.channel
    for item in channel.find_all("item"):
        url = item.enclosure["url"]
        assert url.startswith(f"{SITEURL}/audio/")
        served = built.output / url[len(SITEURL) + 1 :]
        assert int(item.enclosure["length"]) == served.stat().st_size
        source = built.content / url[len(SITEURL) + 1 :]
        assert served.read_bytes() == source.read_bytes()
        duration = int(item.find("itunes:duration").string)
        assert duration == round(mutagen.File(source).info.length)
    assert {
        int(i.find("itunes:duration").string) for i in channel.find_all("item")
    } == {12, 9}


PARTYTIME = """
const { parseFeed } = require("podcast-partytime");
const xml = require("fs").readFileSync(process.argv[1], "utf8");
process.stdout.write(JSON.stringify(parseFeed(xml, { allowMissingGuid: false })));
"""


def test_a_podcasting_2_client_reads_the_feed(built):
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
    assert feed is not None
    assert feed["guid"] == "8de365cf-e895-5c59-87b0-aa4ce9aa255f"
    assert feed["locked"] is True and feed["explicit"] is False
    assert feed["itunesCategory"] == ["Business > Management"]
    assert feed["podcastFunding"][0]["url"] == "https://gratitude.example/support/"
    items = {item["itunesEpisode"]: item for item in feed["items"]}
    first, second = items[1], items[2]
    assert first["guid"] == "3f0c1d7e-2a51-4c1e-9b1f-0d6f1a2b3c4d"
    assert first["enclosure"] == {
        "url": f"{SITEURL}/audio/first.mp3",
        "type": "audio/mpeg",
        "length": (built.content / "audio/first.mp3").stat().st_size,
    }
    assert first["duration"] == 12
    assert first["podcastTranscripts"][0]["url"] == f"{SITEURL}/transcripts/first.vtt"
    assert first["podcastTranscripts"][0]["type"] == "text/vtt"
    assert first["podcastChapters"]["url"] == f"{SITEURL}/{FIRST}chapters.json"
    assert [p["name"] for p in first["podcastPeople"]] == [
        "Rakesh Menon",
        "Dana Whitfield",
    ]
    assert (
        first["podcastSeason"]["number"] == 1 and first["podcastEpisode"]["number"] == 1
    )
    # We write application/x-subrip; the client recognises it and normalises the name.
    assert second["podcastTranscripts"][0]["type"] == "application/srt"
    assert second["explicit"] is True and second["itunesEpisodeType"] == "bonus"
    assert set(feed["pc20support"]["1"]) >= {
        "locked",
        "funding",
        "transcript",
        "chapters",
    }
    assert set(feed["pc20support"]["2"]) >= {"person", "season", "episode"}


# --- pages and files ------------------------------------------------------------


def test_episode_page_has_player_chapters_guests_and_transcript_link(built):
    page = soup(built, FIRST + "index.html")
    audio = page.find("audio")
    assert audio.has_attr("controls") and audio["preload"] == "none"
    assert audio.source["src"] == f"{SITEURL}/audio/first.mp3"
    assert audio.source["type"] == "audio/mpeg"
    seeks = page.select(".chapters a[data-seek]")
    assert [(a["data-seek"], a["href"], a.get_text()) for a in seeks] == [
        ("0", f"{SITEURL}/audio/first.mp3#t=0", "0:00"),
        ("5", f"{SITEURL}/audio/first.mp3#t=5", "0:05"),
        ("9", f"{SITEURL}/audio/first.mp3#t=9", "0:09"),
    ]
    assert all(page.find(id=a["data-player"]) is audio for a in seeks)
    guest = page.select_one(".guests a.person")
    assert guest.get_text() == "Dana Whitfield"
    assert guest["href"] == (f"{SITEURL}/{person_url('Dana Whitfield', REGEX_SUBS)}")
    assert page.find("a", string="Read the full transcript")["href"] == (
        f"{SITEURL}/{FIRST}transcript/"
    )
    assert page.select_one(".duration time")["datetime"] == "PT12S"
    assert "Season 1, Episode 1" in page.select_one(".kicker").get_text()
    assert page.h1.get_text() == "Notes & thanks: the first one"
    stories = page.select(".show-notes section.gratitude-story")  # rendered by stories
    texts = [story.get_text(" ", strip=True) for story in stories]
    assert len(texts) == 2
    assert "Thank you, Dana, for the rehearsal notes." in texts[0]
    assert "Thank you, Rakesh, for the card." in texts[1]
    assert [s["data-quality"] for s in stories] == [
        "demonstrates-knowing",
        "unexpected",
    ]
    assert "///" not in page.select_one(".show-notes").get_text()


def test_episode_page_loads_the_seek_script_deferred_and_no_inline_script(built):
    page = soup(built, FIRST + "index.html")
    scripts = page.find_all("script", src=True)
    seek = [s for s in scripts if s["src"].endswith("/theme/js/podcast.js")]
    assert len(seek) == 1 and seek[0].has_attr("defer")
    inline = [
        s
        for s in page.find_all("script", src=False)
        if s.get("type") != "application/ld+json"
    ]
    assert inline == []
    assert (built.output / "theme/js/podcast.js").read_text() == (
        ROOT / "theme/static/js/podcast.js"
    ).read_text()
    feed_link = page.find("link", rel="alternate", href=f"{SITEURL}/podcast.xml")
    assert feed_link["type"] == "application/rss+xml"


def test_transcript_page_is_rendered_from_the_webvtt_file(built):
    page = soup(built, FIRST + "transcript/index.html")
    cues = page.select(".cue")
    assert [c.select_one(".speaker").get_text() for c in cues] == [
        "Rakesh Menon",
        "Dana Whitfield",
    ]
    assert "Welcome to Off the Rak. My guest is Dana." in cues[0].get_text()
    assert "Thanks for having me & hello." in cues[1].get_text()
    assert cues[1].time["datetime"] == "PT8S"
    assert page.find("a", href=f"{SITEURL}/{FIRST}")
    assert (built.output / "transcripts/first.vtt").read_bytes() == (
        built.content / "transcripts/first.vtt"
    ).read_bytes()
    sitemap = built.read("sitemap.xml")
    assert sitemap.count(f"<loc>{SITEURL}/{FIRST}</loc>") == 1
    assert sitemap.count(f"<loc>{SITEURL}/{FIRST}transcript/</loc>") == 1
    assert page.find("meta", property="og:type")["content"] == "website"
    srt = soup(built, SECOND + "transcript/index.html").select(".cue")
    assert (
        "Welcome to a bonus episode. Marcus talks about open calendars."
        in srt[0].get_text()
    )


def test_chapters_json_is_written_for_each_episode(built):
    first = json.loads(built.read(FIRST + "chapters.json"))
    assert first == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0, "title": "Welcome"},
            {"startTime": 5, "title": "Meet Dana"},
            {"startTime": 9, "title": "The eleventh rehearsal"},
        ],
    }
    second = json.loads(built.read(SECOND + "chapters.json"))
    assert [c["title"] for c in second["chapters"]] == ["Hello", "Open calendars"]


def test_relative_build_skips_the_feed_quietly_but_writes_the_pages(fresh):
    result = fresh.build(SITEURL="", RELATIVE_URLS=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (fresh.output / "podcast.xml").exists()
    page = soup(fresh, FIRST + "index.html")
    assert page.find("audio").source["src"] == "../../audio/first.mp3"
    assert not page.find("link", href=lambda h: h and h.endswith("podcast.xml"))
    assert (fresh.output / FIRST / "transcript/index.html").exists()


def test_remote_audio_with_its_facts_in_metadata(fresh):
    edit(
        fresh,
        "episodes/second.md",
        "audio: audio/second.mp3",
        "audio: https://cdn.example/second.mp3\naudio_length: 4321\n"
        "audio_type: audio/mpeg\nduration: 0:01:05",
    )
    edit(fresh, "episodes/second.md", "chapters: chapters/second.json\n", "")
    result = fresh.build()
    assert result.returncode == 0, result.stdout + result.stderr
    page = soup(fresh, SECOND + "index.html")
    assert page.find("audio").source["src"] == "https://cdn.example/second.mp3"
    item = next(
        i
        for i in BeautifulSoup(fresh.read("podcast.xml"), "xml").find_all("item")
        if i.find("itunes:episode").string == "2"
    )
    assert item.enclosure["url"] == "https://cdn.example/second.mp3"
    assert item.enclosure["length"] == "4321"
    assert item.find("itunes:duration").string == "65"


def test_episodes_survive_the_content_cache(fresh):
    """Metadata is plain data, so a build from Pelican's cache writes the same feed."""
    cache = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(fresh.folder / "cache"),
    }
    assert fresh.build(**cache).returncode == 0
    first = fresh.read("podcast.xml")
    assert list((fresh.folder / "cache").iterdir())
    result = fresh.build(**cache)
    assert result.returncode == 0, result.stdout + result.stderr
    assert fresh.read("podcast.xml") == first
    assert (fresh.output / FIRST / "transcript/index.html").exists()


# --- errors: exit 1 under --strict, one line naming the file, no traceback ---------


def assert_fails(site, *expected, **overrides):
    result = site.build(**overrides)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    for text in expected:
        assert text in output, output
    return output


def edit(site, relative, old, new):
    path = site.content / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_missing_audio_fails(fresh):
    (fresh.content / "audio/first.mp3").unlink()
    assert_fails(fresh, "episodes/first.md:8", "audio file does not exist")


def test_unreadable_audio_fails(fresh):
    (fresh.content / "audio/first.mp3").write_bytes(b"this is not audio\n" * 40)
    assert_fails(fresh, "episodes/first.md:8", "audio")


def test_empty_audio_fails(fresh):
    (fresh.content / "audio/second.mp3").write_bytes(b"")
    assert_fails(fresh, "episodes/second.md:8", "audio file is empty")


def test_remote_audio_without_facts_fails(fresh):
    edit(
        fresh,
        "episodes/second.md",
        "audio: audio/second.mp3",
        "audio: https://cdn.example/second.mp3",
    )
    assert_fails(
        fresh,
        "episodes/second.md:8",
        "remote audio needs audio_length, audio_type, duration",
    )


def test_unknown_category_fails(fresh):
    output = assert_fails(
        fresh,
        "PODCAST_CATEGORY",
        "'Leadership' is not an Apple Podcasts",
        PODCAST_CATEGORY="Leadership",
    )
    assert "settings.py:" in output


def test_duplicate_guid_fails(fresh):
    edit(
        fresh,
        "episodes/second.md",
        "guid: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "guid: 3f0c1d7e-2a51-4c1e-9b1f-0d6f1a2b3c4d",
    )
    output = assert_fails(fresh, "duplicate guid 3f0c1d7e-2a51-4c1e-9b1f-0d6f1a2b3c4d")
    assert "episodes/second.md:10" in output and "episodes/first.md" in output


def test_duplicate_episode_number_fails(fresh):
    edit(fresh, "episodes/second.md", "episode: 2", "episode: 1")
    edit(fresh, "episodes/second.md", "episode_type: bonus", "episode_type: full")
    output = assert_fails(fresh, "duplicate episode number 1 in season 1")
    assert "episodes/second.md:5" in output and "episodes/first.md" in output


def test_a_bonus_may_carry_the_number_of_its_episode(fresh):
    """Apple: a bonus (or trailer) with an episode's number belongs to that episode."""
    edit(fresh, "episodes/second.md", "episode: 2", "episode: 1")
    result = fresh.build()
    assert result.returncode == 0, result.stdout + result.stderr
    numbers = [
        (i.find("itunes:episodeType").string, i.find("itunes:episode").string)
        for i in BeautifulSoup(fresh.read("podcast.xml"), "xml").find_all("item")
    ]
    assert sorted(numbers) == [("bonus", "1"), ("full", "1")]


def test_reused_audio_file_fails(fresh):
    edit(
        fresh, "episodes/second.md", "audio: audio/second.mp3", "audio: audio/first.mp3"
    )
    output = assert_fails(fresh, "duplicate audio audio/first.mp3")
    assert "episodes/second.md:8" in output and "episodes/first.md" in output


def test_malformed_duration_fails(fresh):
    edit(
        fresh,
        "episodes/first.md",
        "explicit: false",
        "explicit: false\nduration: 12 min",
    )
    assert_fails(fresh, "episodes/first.md:10", "malformed duration '12 min'")


def test_artwork_of_the_wrong_size_fails(fresh):
    write_image(str(fresh.content / "images/off-the-rak-cover.jpg"), (1200, 1200))
    assert_fails(
        fresh, "images/off-the-rak-cover.jpg", "1200x1200 px", "between 1400 and 3000"
    )


def test_artwork_that_is_not_square_fails(fresh):
    write_image(str(fresh.content / "images/off-the-rak-cover.jpg"), (1400, 1600))
    assert_fails(fresh, "images/off-the-rak-cover.jpg", "must be square")


def test_artwork_of_the_wrong_type_fails(fresh):
    write_image(str(fresh.content / "images/off-the-rak-cover.jpg"), kind="PNG")
    assert_fails(fresh, "images/off-the-rak-cover.jpg", "a PNG file but named .jpg")


def test_artwork_in_a_format_apple_refuses_fails(fresh):
    write_image(str(fresh.content / "images/cover.gif"), mode="P", kind="GIF")
    assert_fails(
        fresh,
        "images/cover.gif",
        "must be JPEG or PNG",
        PODCAST_IMAGE="images/cover.gif",
    )


def test_malformed_transcript_fails_at_its_line(fresh):
    edit(
        fresh,
        "transcripts/first.vtt",
        "00:00:04.500 --> 00:00:08.000",
        "00:00:04.500 -> 00:00:08.000",
    )
    assert_fails(fresh, "transcripts/first.vtt:9")


# --- in a browser: the player plays and the chapter links seek it --------------------


@pytest.mark.browser
def test_chapter_links_seek_the_player_in_chromium(fresh):
    from browser import chromium, server

    sync_api = pytest.importorskip("playwright.sync_api")
    if not chromium.available():
        pytest.skip("chromium is not installed")
    assert fresh.build(SITEURL="", RELATIVE_URLS=True).returncode == 0
    with server.serve(fresh.output) as base, sync_api.sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = chromium.watch(browser.new_page())
            page.goto(f"{base}/{FIRST}")
            page.click(".chapters a[data-seek='9']")
            page.wait_for_function(
                "() => { const p = document.getElementById('episode-player');"
                " return p.currentTime >= 9 && p.currentTime < 12; }",
                timeout=10000,
            )
            assert page.url == f"{base}/{FIRST}"  # the script seeks; no navigation
            page.click(".chapters a[data-seek='5']")
            page.wait_for_function(
                "() => { const p = document.getElementById('episode-player');"
                " return p.currentTime >= 5 && p.currentTime < 9; }",
                timeout=10000,
            )
            page.goto(f"{base}/{FIRST}transcript/")
            assert page.locator(".cue").count() == 2
            assert page.problems == [], "\n".join(page.problems)
        finally:
            browser.close()


# --- the sample site as `make publish` builds it ------------------------------------


def test_make_publish_writes_the_sample_podcast_feed(published_site):
    parsed = feedparser.parse((published_site / "podcast.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    sources = sorted((ROOT / "content/episodes").glob("*.md"))
    assert len(parsed.entries) == len(sources) == 4
    for entry in parsed.entries:
        enclosure = entry.enclosures[0]
        audio = published_site / enclosure.href.removeprefix(
            "https://gratitude.example/"
        )
        assert int(enclosure.length) == audio.stat().st_size
        assert int(entry.itunes_duration) == round(mutagen.File(audio).info.length)
        page = entry.link.removeprefix("https://gratitude.example/")
        assert (published_site / page / "index.html").exists()
        if entry.itunes_episodetype == "trailer":  # the sample trailer has neither
            continue
        assert (published_site / page / "transcript/index.html").exists()
        assert json.loads((published_site / page / "chapters.json").read_text())[
            "chapters"
        ]
    assert [e.itunes_episodetype for e in parsed.entries].count("trailer") == 1
