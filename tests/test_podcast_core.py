"""The podcast concern's pure core: no Pelican, plain data in, text or errors out."""

import datetime
import json
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
import yaml
from PIL import Image

from gratitude_press.errors import ContentError
from gratitude_press.podcast.categories import APPLE_CATEGORIES, category_problem
from gratitude_press.podcast.episode import parse_duration, read_episode, thanks_blocks
from gratitude_press.podcast.feed import (
    absolute_html,
    build_feed,
    chapters_json,
    podcast_guid,
)
from gratitude_press.podcast.media import MediaProblem, artwork_problem, audio_facts
from gratitude_press.podcast.settings import DEFAULTS as PODCAST_DEFAULTS
from gratitude_press.podcast.settings import read as read_settings
from gratitude_press.podcast.settings import show_problems
from gratitude_press.podcast.transcript import (
    TranscriptProblem,
    parse_transcript,
    speaker_turns,
)
from gratitude_press.settings import SettingsSource, SettingValues

CHICAGO = ZoneInfo("America/Chicago")


def tiny_mp3(path, seconds):
    """A real, silent MP3 (MPEG-1 Layer III, 32 kbit/s, 44.1 kHz, mono frames)."""
    frame = bytes([0xFF, 0xFB, 0x10, 0xC0]) + bytes(100)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(frame * round(seconds * 44100 / 1152))
    return path


def write_image(path, size=(1400, 1400), mode="RGB", kind="JPEG"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new(mode, size, "white" if mode != "CMYK" else (0, 0, 0, 0)).save(path, kind)
    return path


# --- podcast:guid, categories, durations -----------------------------------------


def test_podcast_guid_follows_the_namespace_spec():
    assert (
        podcast_guid("https://podnews.net/rss")
        == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    )
    assert podcast_guid("http://podnews.net/rss/") == podcast_guid(
        "https://podnews.net/rss"
    )


def test_apple_category_list_has_the_2019_size_and_checks_pairs():
    assert len(APPLE_CATEGORIES) + sum(map(len, APPLE_CATEGORIES.values())) == 110
    assert category_problem("Business", "Management") is None
    assert category_problem("Kids & Family") is None
    assert "not an Apple Podcasts category" in category_problem("Leadership")
    assert "not a subcategory" in category_problem("Business", "Leadership")


def show_config(**settings):
    """The podcast config read from ``settings`` over the concern's defaults."""
    base = {
        "SITENAME": "S",
        "AUTHOR": "A",
        "DEFAULT_LANG": "en",
        "SITE_DESCRIPTION": "D",
        "PATH": "content",
        "PODCAST_IMAGE": "c.jpg",
    }
    values = SettingValues(
        {**base, **settings}, PODCAST_DEFAULTS, SettingsSource("no-such-settings.py")
    )
    return read_settings(values)


def test_show_settings_podcast_directories_refuse():
    assert show_problems(show_config()) == []
    options = show_config(
        PODCAST_DESCRIPTION="é" * 2001,
        PODCAST_TYPE="weekly",
        PODCAST_IMAGE=None,
        PODCAST_CATEGORY="Leadership",
    )
    assert [name for name, _ in show_problems(options)] == [
        "PODCAST_IMAGE",
        "PODCAST_DESCRIPTION",
        "PODCAST_CATEGORY",
        "PODCAST_TYPE",
    ]


@pytest.mark.parametrize(
    "value, seconds",
    [
        (1834, 1834),
        ("1834", 1834),
        ("30:34", 1834),
        ("0:30:34", 1834),
        ("1:02:03", 3723),
        (12.6, 13),
    ],
)
def test_duration_accepts_seconds_and_clock_times(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value", ["ten minutes", "1:75", "1:60:00", "-5", "", True, -3]
)
def test_duration_rejects_malformed_values(value):
    assert parse_duration(value) is None


# --- transcripts ---------------------------------------------------------------


def test_webvtt_cues_keep_speakers_and_plain_text():
    text = (
        "WEBVTT\n\nNOTE skipped\n\n1\n00:00:00.000 --> 00:00:02.500 align:start\n"
        "<v Ana Ruiz>Hello <b>there</b> &amp; welcome.\n\n"
        "00:01:02.000 --> 00:01:04.000\n<v.loud Ben>Hi\nAna.\n"
    )
    cues = parse_transcript(text, "text/vtt")
    assert cues == [
        {
            "start": 0.0,
            "end": 2.5,
            "speaker": "Ana Ruiz",
            "text": "Hello there & welcome.",
        },
        {"start": 62.0, "end": 64.0, "speaker": "Ben", "text": "Hi Ana."},
    ]


def test_srt_cues_and_speaker_turns():
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nOne.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nTwo.\n"
    )
    turns = speaker_turns(parse_transcript(text, "application/x-subrip"))
    assert turns == [
        {"start": 1.0, "label": "0:01", "speaker": None, "text": "One. Two."}
    ]


def test_malformed_cue_timing_names_its_line():
    with pytest.raises(TranscriptProblem) as caught:
        parse_transcript("WEBVTT\n\n1\n00:00:xx --> 00:00:02.000\nHi\n", "text/vtt")
    assert caught.value.line == 4
    with pytest.raises(TranscriptProblem):
        parse_transcript("no header\n", "text/vtt")


# --- thanks become story blocks ---------------------------------------------------


def test_thanks_become_gratitude_blocks_with_safe_option_values():
    thanks = [
        {
            "from": "Rakesh Menon",
            "to": 'Dana "D" Whitfield\nEvil: yes',
            "quality": "unexpected",
            "body": "Thank you, *Dana*.",
        }
    ]
    text = thanks_blocks(thanks, "episodes/x.md", 5)
    lines = text.splitlines()
    assert (
        lines[0] == '/// gratitude | Rakesh Menon thanks Dana "D" Whitfield Evil: yes'
    )
    assert lines[-1] == "///" and "Thank you, *Dana*." in lines
    options = yaml.safe_load("\n".join(line[4:] for line in lines[1:5]))
    assert options == {
        "quality": "unexpected",
        "person": 'Dana "D" Whitfield Evil: yes',
        "from": "Rakesh Menon",
        "to": 'Dana "D" Whitfield Evil: yes',
    }


def test_thanks_body_cannot_close_the_block():
    with pytest.raises(ContentError, match="///"):
        thanks_blocks([{"from": "A", "to": "B", "body": "Hi\n///\nmore"}], "x.md", 7)
    with pytest.raises(ContentError, match="needs body"):
        thanks_blocks([{"from": "A", "to": "B"}], "x.md", 7)


# --- media facts ----------------------------------------------------------------


def test_audio_facts_come_from_the_file(tmp_path):
    path = tiny_mp3(str(tmp_path / "a.mp3"), 12)
    facts = audio_facts(path)
    assert facts == {
        "length": os.path.getsize(path),
        "type": "audio/mpeg",
        "duration": 12,
    }


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "does not exist"),
        (b"", "empty"),
        (b"not audio at all" * 50, "audio"),
    ],
)
def test_unusable_audio_is_a_problem(tmp_path, content, problem):
    path = tmp_path / "bad.mp3"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(MediaProblem, match=problem):
        audio_facts(str(path))


def test_artwork_rules(tmp_path):
    assert artwork_problem(write_image(str(tmp_path / "ok.jpg"))) is None
    assert (
        artwork_problem(write_image(str(tmp_path / "ok.png"), (3000, 3000), kind="PNG"))
        is None
    )
    assert "square" in artwork_problem(
        write_image(str(tmp_path / "a.jpg"), (1400, 1500))
    )
    assert "between 1400 and 3000" in artwork_problem(
        write_image(str(tmp_path / "s.jpg"), (1000, 1000))
    )
    assert "named .jpg" in artwork_problem(
        write_image(str(tmp_path / "p.jpg"), kind="PNG")
    )
    assert "RGB" in artwork_problem(write_image(str(tmp_path / "c.jpg"), mode="CMYK"))
    assert "JPEG or PNG" in artwork_problem(
        write_image(str(tmp_path / "g.gif"), mode="P", kind="GIF")
    )
    assert "does not exist" in artwork_problem(str(tmp_path / "none.jpg"))


# --- episode metadata -----------------------------------------------------------


def _episode(tmp_path, front_matter):
    source = tmp_path / "episodes" / "ep.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("---\n" + yaml.safe_dump(front_matter) + "---\nNotes.\n")
    return str(source)


def _read(metadata, source, root):
    return read_episode(metadata, source, Path(source).read_text(), str(root))


BASE = {
    "title": "T",
    "date": "2026-01-01",
    "episode": 3,
    "summary": "<p>S &amp; s</p>",
    "audio": "audio/a.mp3",
}


def test_read_episode_normalises_metadata(tmp_path):
    tiny_mp3(str(tmp_path / "audio/a.mp3"), 20)
    metadata = dict(
        BASE,
        season="2",
        explicit="yes",
        guests=[{"name": "Ana  Ruiz"}],
        chapters=[{"start": 0, "title": "A"}, {"start": "0:10", "title": "B"}],
    )
    podcast = _read(metadata, _episode(tmp_path, metadata), tmp_path)
    assert (
        podcast["number"] == 3
        and podcast["season"] == 2
        and podcast["explicit"] is True
    )
    assert podcast["type"] == "full" and podcast["summary"] == "S & s"
    assert podcast["duration"] == 20 and podcast["audio"]["path"] == "audio/a.mp3"
    assert podcast["guests"][0] == {
        "name": "Ana Ruiz",
        "role": "guest",
        "title": None,
        "link": None,
        "image": None,
        "url": "people/ana-ruiz/",
    }
    assert [c["start"] for c in podcast["chapters"]] == [0, 10]
    assert podcast["guid"]  # derived from season and number when not given


@pytest.mark.parametrize(
    "change, message, key",
    [
        (
            {"audio": "https://cdn.example/a.mp3"},
            "remote audio needs audio_length",
            "audio",
        ),
        ({"audio": "http://cdn.example/a.mp3"}, "https", "audio"),
        ({"duration": "ten"}, "malformed duration", "duration"),
        ({"episode": "three"}, "whole number", "episode"),
        ({"episode_type": "special"}, "episode_type", "episode_type"),
        ({"guests": [{"role": "guest"}]}, "needs a name", "guests"),
        (
            {"chapters": [{"start": 5, "title": "B"}, {"start": 1, "title": "A"}]},
            "before",
            "chapters",
        ),
        ({"chapters": [{"start": 50, "title": "Late"}]}, "after the end", "chapters"),
        ({"transcript": "transcripts/t.txt"}, ".vtt or .srt", "transcript"),
        ({"summary": None}, "needs 'summary'", "summary"),
    ],
)
def test_read_episode_errors_name_file_and_line(tmp_path, change, message, key):
    tiny_mp3(str(tmp_path / "audio/a.mp3"), 20)
    metadata = {k: v for k, v in dict(BASE, **change).items() if v is not None}
    source = _episode(tmp_path, metadata)
    with pytest.raises(ContentError, match=message) as caught:
        _read(metadata, source, tmp_path)
    lines = Path(source).read_text().splitlines()
    assert caught.value.path == source
    if key in metadata:
        assert lines[caught.value.line - 1].startswith(f"{key}:")


def test_remote_audio_takes_its_facts_from_metadata(tmp_path):
    metadata = dict(
        BASE,
        audio="https://cdn.example/a.mp3",
        audio_length="1234",
        audio_type="audio/mpeg",
        duration="1:00:00",
    )
    podcast = _read(metadata, _episode(tmp_path, metadata), tmp_path)
    assert podcast["audio"] == {
        "path": None,
        "url": "https://cdn.example/a.mp3",
        "length": 1234,
        "type": "audio/mpeg",
    }
    assert podcast["duration"] == 3600
    assert podcast["audio_url"] == "https://cdn.example/a.mp3"


# --- the feed -------------------------------------------------------------------


SHOW = {
    "title": "Show",
    "link": "https://site.example/",
    "feed_url": "https://site.example/p.xml",
    "description": "About the show.",
    "language": "en",
    "image_url": "https://site.example/cover.jpg",
    "category": "Business",
    "subcategory": "Management",
    "explicit": False,
    "author": "Host",
    "type": "episodic",
    "owner_name": "Host",
    "owner_email": "host@site.example",
    "locked": True,
    "funding_url": "https://site.example/support",
    "funding_text": "Support",
    "guid": "g-1",
    "copyright": None,
    "hosts": [{"name": "Host", "role": "host", "href": None, "img": None}],
}


def _item(number, day, **extra):
    return dict(
        {
            "title": f"Episode title {number}",
            "link": f"https://site.example/e{number}/",
            "guid": f"guid-{number}",
            "date": datetime.datetime(2026, 1, day, 7, tzinfo=CHICAGO),
            "summary": "Sum <b>mary</b>",
            "content_html": "<p>Notes</p>",
            "enclosure_url": f"https://site.example/e{number}.mp3",
            "length": 1000 + number,
            "type": "audio/mpeg",
            "duration": 61,
            "number": number,
            "season": 1,
            "episode_type": "full",
            "explicit": number == 2,
            "transcript_url": None,
            "transcript_type": None,
            "chapters_url": None,
            "persons": [],
        },
        **extra,
    )


def test_feed_is_valid_rss_with_apple_and_podcasting_tags():
    xml = build_feed(
        SHOW,
        [
            _item(1, 5),
            _item(
                2,
                12,
                transcript_url="https://site.example/t.vtt",
                transcript_type="text/vtt",
            ),
        ],
    )
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    text = xml.decode()
    assert parsed.feed.link == "https://site.example/"  # the site, not the feed
    assert '<atom:link href="https://site.example/p.xml" rel="self"' in text
    assert [e.title for e in parsed.entries] == ["Episode title 2", "Episode title 1"]
    assert "<lastBuildDate>Mon, 12 Jan 2026 07:00:00 -0600</lastBuildDate>" in text
    assert re.search(
        r"<channel>.*?<itunes:explicit>false</itunes:explicit>", text, re.DOTALL
    )
    assert text.count("<itunes:explicit>true</itunes:explicit>") == 1
    assert '<itunes:image href="https://site.example/cover.jpg"/>' in text
    assert '<podcast:locked owner="host@site.example">yes</podcast:locked>' in text
    assert (
        '<podcast:transcript url="https://site.example/t.vtt" type="text/vtt"/>' in text
    )
    assert '<guid isPermaLink="false">guid-2</guid>' in text
    assert "<itunes:duration>61</itunes:duration>" in text


def test_artwork_url_is_kept_whatever_its_ending():
    show = dict(SHOW, image_url="https://site.example/cover.jpeg?v=2")
    xml = build_feed(show, [_item(1, 5)]).decode()
    assert xml.count("<itunes:image") == 1
    assert '<itunes:image href="https://site.example/cover.jpeg?v=2"/>' in xml


def test_chapters_json_and_absolute_show_notes():
    document = json.loads(
        chapters_json([{"start": 0, "title": "A"}, {"start": 9.5, "title": "B"}])
    )
    assert document == {
        "version": "1.2.0",
        "chapters": [{"startTime": 0, "title": "A"}, {"startTime": 9.5, "title": "B"}],
    }
    html = absolute_html(
        '<a href="../x/">x</a><img src="/i.png"><a href="#n">n</a>',
        "https://site.example/2026/ep/",
    )
    assert 'href="https://site.example/2026/x/"' in html
    assert 'src="https://site.example/i.png"' in html and 'href="#n"' in html
