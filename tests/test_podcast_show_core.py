"""The show's pure core: settings for directories and listeners, soundbites, episode
artwork and numbering, the new feed tags, and the lists of the show page."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from bs4 import BeautifulSoup
from test_podcast_core import (
    BASE,
    CHICAGO,
    SHOW,
    _episode,
    _item,
    _read,
    show_config,
    tiny_mp3,
    write_image,
)

from gratitude_press.errors import ContentError
from gratitude_press.podcast.duplicates import duplicate_problems
from gratitude_press.podcast.feed import build_feed
from gratitude_press.podcast.show import page_lists, season_groups
from gratitude_press.podcast.show_settings import prefixed

GUID = "b0357083-2f84-5e29-9b12-6a70b7e46915"


# --- settings ---------------------------------------------------------------------


def test_show_settings_default_to_nothing_but_the_author_as_host():
    config = show_config()
    assert config.hosts == ("A",)
    assert (config.listen_on, config.txt, config.podroll) == ((), (), ())
    assert config.license is None and config.enclosure_prefix == ""
    assert config.page_save_as == "podcast/index.html" and config.page_url == "podcast/"


def test_listen_on_keeps_the_order_and_names_known_apps():
    config = show_config(
        PODCAST_LISTEN_ON={
            "spotify": "https://open.spotify.com/show/x",
            "Castro": "https://castro.fm/podcast/y",
            "apple": "https://podcasts.apple.com/podcast/id1",
        }
    )
    assert [(link.label, link.url) for link in config.listen_on] == [
        ("Spotify", "https://open.spotify.com/show/x"),
        ("Castro", "https://castro.fm/podcast/y"),
        ("Apple Podcasts", "https://podcasts.apple.com/podcast/id1"),
    ]


def test_txt_podroll_license_and_prefix_are_read():
    config = show_config(
        PODCAST_TXT=["plain", ("applepodcastsverify", "abc-123")],
        PODCAST_PODROLL=[
            {
                "title": "Quiet",
                "guid": GUID.upper(),
                "feed_url": "https://q.example/feed.xml",
            }
        ],
        PODCAST_LICENSE="CC-BY-4.0",
        PODCAST_ENCLOSURE_PREFIX="https://op3.dev/e/",
        PODCAST_HOSTS=["Ana  Ruiz", "Bo Li"],
        PODCAST_PAGE_SAVE_AS="show/index.html",
    )
    assert [(t.purpose, t.text) for t in config.txt] == [
        (None, "plain"),
        ("applepodcastsverify", "abc-123"),
    ]
    (remote,) = config.podroll
    assert (remote.title, remote.guid, remote.url) == (
        "Quiet",
        GUID,
        "https://q.example/feed.xml",
    )
    assert (config.license.id, config.license.label, config.license.url) == (
        "cc-by-4.0",
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert config.enclosure_prefix == "https://op3.dev/e/"
    assert config.hosts == ("Ana Ruiz", "Bo Li")
    assert config.page_url == "show/"


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"PODCAST_LISTEN_ON": {"apple": "http://podcasts.apple.com/x"}}, "https://"),
        ({"PODCAST_LISTEN_ON": {"apple": "javascript:alert(1)"}}, "https://"),
        ({"PODCAST_LISTEN_ON": ["https://x.example"]}, "must be a dict"),
        ({"PODCAST_TXT": [""]}, "1 to 4000 characters"),
        ({"PODCAST_TXT": ["x" * 4001]}, "1 to 4000 characters"),
        ({"PODCAST_TXT": [("p" * 129, "text")]}, "purpose"),
        ({"PODCAST_PODROLL": [{"title": "No guid"}]}, "podcast:guid"),
        ({"PODCAST_PODROLL": [{"guid": GUID}]}, "needs a title"),
        (
            {"PODCAST_PODROLL": [{"title": "T", "guid": GUID, "rss": "x"}]},
            "not a dict of",
        ),
        (
            {"PODCAST_PODROLL": [{"title": "T", "guid": GUID, "link": "data:x"}]},
            "https://",
        ),
        ({"PODCAST_LICENSE": "my-licence-v1"}, "needs PODCAST_LICENSE_URL"),
        ({"PODCAST_ENCLOSURE_PREFIX": "https://op3.dev/e"}, "must end with /"),
        ({"PODCAST_ENCLOSURE_PREFIX": "http://op3.dev/e/"}, "https://"),
        ({"PODCAST_HOSTS": []}, "list of names"),
        ({"PODCAST_PAGE_SAVE_AS": "podcast/"}, ".html file"),
        ({"PODCAST_PAGE_SAVE_AS": "../podcast.html"}, "inside the output folder"),
    ],
)
def test_bad_show_settings_name_the_setting(settings, message):
    with pytest.raises(ContentError, match=message) as caught:
        show_config(**settings)
    assert caught.value.message.startswith(next(iter(settings)))


def test_a_licence_of_ones_own_comes_with_its_url():
    config = show_config(
        PODCAST_LICENSE="My-Licence-v1",
        PODCAST_LICENSE_URL="https://site.example/licence/",
    )
    assert (config.license.id, config.license.label, config.license.url) == (
        "my-licence-v1",
        "My-Licence-v1",
        "https://site.example/licence/",
    )


def test_the_prefix_takes_the_url_without_its_scheme():
    assert prefixed("https://op3.dev/e/", "https://cdn.example/1.mp3") == (
        "https://op3.dev/e/cdn.example/1.mp3"
    )
    assert prefixed(
        "https://dts.podtrac.com/redirect.mp3/", "http://site.example/a.mp3"
    ) == ("https://dts.podtrac.com/redirect.mp3/site.example/a.mp3")
    assert prefixed("", "https://cdn.example/1.mp3") == "https://cdn.example/1.mp3"


# --- episodes: soundbites, artwork, numbering -------------------------------------


def test_soundbites_are_read_in_seconds(tmp_path):
    tiny_mp3(str(tmp_path / "audio/a.mp3"), 40)
    metadata = dict(
        BASE,
        soundbites=[
            {"start": 11, "duration": 6.5, "title": "  The  rehearsal "},
            {"start": "0:20", "duration": "0:15"},
        ],
    )
    podcast = _read(metadata, _episode(tmp_path, metadata), tmp_path)
    assert podcast["soundbites"] == [
        {
            "start": 11,
            "duration": 6.5,
            "end": 17.5,
            "title": "The rehearsal",
            "label": "0:11",
        },
        {"start": 20, "duration": 15, "end": 35, "title": None, "label": "0:20"},
    ]


@pytest.mark.parametrize(
    "soundbites, message",
    [
        ({"start": 1, "duration": 2}, "must be a list"),
        (["11"], "must have a start and a duration"),
        ([{"start": "soon", "duration": 5}], "malformed start 'soon'"),
        ([{"start": 5}], "malformed duration None"),
        ([{"start": 5, "duration": 0}], "malformed duration 0"),
        ([{"start": 30, "duration": 15}], "ends after the end of the audio"),
        ([{"start": 1, "duration": 5, "title": "x" * 129}], "longer than 128"),
    ],
)
def test_bad_soundbites_name_their_line(tmp_path, soundbites, message):
    tiny_mp3(str(tmp_path / "audio/a.mp3"), 40)
    metadata = dict(BASE, soundbites=soundbites)
    source = _episode(tmp_path, metadata)
    with pytest.raises(ContentError, match=message) as caught:
        _read(metadata, source, tmp_path)
    assert (
        Path(source)
        .read_text()
        .splitlines()[caught.value.line - 1]
        .startswith("soundbites:")
    )


def test_episode_artwork_is_checked_like_the_show_cover(tmp_path):
    tiny_mp3(str(tmp_path / "audio/a.mp3"), 20)
    write_image(str(tmp_path / "images/ep.jpg"))
    metadata = dict(BASE, image="images/ep.jpg")
    assert _read(metadata, _episode(tmp_path, metadata), tmp_path)["image"] == (
        "images/ep.jpg"
    )
    for image, message in (
        ("images/small.jpg", "1000x1000 px"),
        ("https://cdn.example/ep.jpg", "file under content/"),
        ("../outside.jpg", "path under content/"),
        ("images/none.jpg", "does not exist"),
    ):
        if image == "images/small.jpg":
            write_image(str(tmp_path / image), (1000, 1000))
        metadata = dict(BASE, image=image)
        source = _episode(tmp_path, metadata)
        with pytest.raises(ContentError, match=message) as caught:
            _read(metadata, source, tmp_path)
        assert (
            Path(source)
            .read_text()
            .splitlines()[caught.value.line - 1]
            .startswith("image:")
        )


def test_trailers_and_bonuses_may_go_without_a_number(tmp_path):
    tiny_mp3(str(tmp_path / "audio/a.mp3"), 20)
    guids = set()
    for kind in ("trailer", "bonus"):
        metadata = {
            k: v
            for k, v in dict(BASE, episode_type=kind, season=2).items()
            if k != "episode"
        }
        podcast = _read(metadata, _episode(tmp_path, metadata), tmp_path)
        assert (podcast["number"], podcast["season"], podcast["type"]) == (
            None,
            2,
            kind,
        )
        guids.add(podcast["guid"])
    full = {k: v for k, v in BASE.items() if k != "episode"}
    with pytest.raises(ContentError, match="'episode' is missing"):
        _read(full, _episode(tmp_path, full), tmp_path)
    numbered = _read(
        dict(BASE, episode_type="trailer"),
        _episode(tmp_path, dict(BASE, episode_type="trailer")),
        tmp_path,
    )
    guids.add(numbered["guid"])
    guids.add(_read(BASE, _episode(tmp_path, BASE), tmp_path)["guid"])
    assert len(guids) == 4  # derived guids never collide across types


def _article(name, kind="full", number=1, season=1, date=1, status="published"):
    return SimpleNamespace(
        source_path=f"/c/episodes/{name}.md",
        title=name,
        status=status,
        date=datetime.datetime(2026, 1, date, tzinfo=CHICAGO),
        podcast={
            "type": kind,
            "number": number,
            "season": season,
            "guid": name,
            "audio": {"url": None, "path": f"audio/{name}.mp3"},
            "lines": {"guid": 9, "episode": 4, "audio": 7},
        },
    )


def test_numbers_are_unique_within_each_episode_type():
    episodes = [
        _article("a"),
        _article("b", kind="bonus"),
        _article("c", kind="trailer"),
        _article("d", kind="trailer", number=None),
        _article("e", kind="trailer", number=None),
    ]
    assert duplicate_problems(episodes, "/c") == []
    problems = duplicate_problems([*episodes, _article("f", kind="bonus")], "/c")
    assert [(p.path, p.line, p.message) for p in problems] == [
        (
            "/c/episodes/f.md",
            4,
            (
                "duplicate bonus episode number 1 in season 1: also "
                "used by episodes/b.md"
            ),
        )
    ]


# --- the show page's lists ----------------------------------------------------------


def test_trailers_come_first_and_the_list_follows_the_show_type():
    episodes = [
        _article("one", date=1),
        _article("trailer", "trailer", None, date=2),
        _article("two", number=2, date=3),
        _article("draft", number=3, date=4, status="draft"),
        _article("s2", number=1, season=2, date=5),
    ]
    trailers, newest, others = page_lists(episodes, "episodic")
    assert [a.title for a in trailers] == ["trailer"]
    assert newest.title == "s2"
    assert [a.title for a in others] == ["s2", "two", "one"]
    assert [
        (season, [a.title for a in items]) for season, items in season_groups(others)
    ] == [(2, ["s2"]), (1, ["two", "one"])]
    _, newest, serial = page_lists(episodes, "serial")
    assert newest.title == "s2" and [a.title for a in serial] == ["one", "two", "s2"]
    assert season_groups([_article("x", season=None)])[0][0] is None


# --- the feed -------------------------------------------------------------------------


def _feed(show=None, items=None):
    xml = build_feed(dict(SHOW, **(show or {})), items or [_item(1, 5)])
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return xml.decode(), BeautifulSoup(xml, "xml").rss.channel


def test_feed_has_txt_trailer_license_and_podroll_on_the_channel():
    trailer_date = datetime.datetime(2026, 1, 2, 7, tzinfo=CHICAGO)
    text, channel = _feed(
        show={
            "txt": [(None, "plain"), ("applepodcastsverify", "abc")],
            "trailers": [
                {
                    "title": "A first listen",
                    "date": trailer_date,
                    "url": "https://site.example/t.mp3",
                    "length": 5000,
                    "type": "audio/mpeg",
                    "season": 1,
                }
            ],
            "license": ("cc-by-4.0", "https://creativecommons.org/licenses/by/4.0/"),
            "podroll": [
                (GUID, "https://q.example/feed.xml"),
                (GUID.replace("b", "c"), None),
            ],
        }
    )
    assert [(t.get("purpose"), t.string) for t in channel.find_all("podcast:txt")] == [
        (None, "plain"),
        ("applepodcastsverify", "abc"),
    ]
    trailer = channel.find("podcast:trailer")
    assert trailer.string == "A first listen"
    assert trailer.attrs == {
        "pubdate": "Fri, 02 Jan 2026 07:00:00 -0600",
        "url": "https://site.example/t.mp3",
        "length": "5000",
        "type": "audio/mpeg",
        "season": "1",
    }
    assert channel.find("podcast:license")["url"].endswith("/by/4.0/")
    assert channel.find("podcast:license").string == "cc-by-4.0"
    items = channel.find("podcast:podroll").find_all("podcast:remoteItem")
    assert [i.attrs for i in items] == [
        {"feedGuid": GUID, "feedUrl": "https://q.example/feed.xml"},
        {"feedGuid": GUID.replace("b", "c")},
    ]
    assert text.count("<podcast:podroll>") == 1


def test_feed_leaves_out_what_the_show_does_not_set():
    text, _ = _feed()
    for tag in (
        "podcast:txt",
        "podcast:trailer",
        "podcast:license",
        "podcast:podroll",
        "podcast:soundbite",
    ):
        assert tag not in text


def test_items_have_their_artwork_soundbites_and_no_number_when_unnumbered():
    _, channel = _feed(
        items=[
            _item(
                1,
                5,
                image_url="https://site.example/ep1.jpeg?v=2",
                soundbites=[
                    {"start": 11, "duration": 6.5, "title": "Bite"},
                    {"start": 20, "duration": 5, "title": None},
                ],
            ),
            {**_item(2, 6, episode_type="trailer"), "number": None},
        ]
    )
    first, trailer = sorted(channel.find_all("item"), key=lambda i: i.title.string)
    (cover,) = [t for t in channel.find_all("itunes:image", recursive=False)]
    assert first.find("itunes:image")["href"] == "https://site.example/ep1.jpeg?v=2"
    assert cover["href"] == SHOW["image_url"]
    assert [
        (b["startTime"], b["duration"], b.string)
        for b in first.find_all("podcast:soundbite")
    ] == [("11", "6.5", "Bite"), ("20", "5", None)]
    assert trailer.find("itunes:episodeType").string == "trailer"
    assert trailer.find("itunes:episode") is None
    assert trailer.find("podcast:episode") is None
    assert trailer.find("itunes:image") is None
