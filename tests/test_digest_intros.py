"""Intro files and article entries without a build: ``intros.py`` and ``entries.py``
take plain inputs (a parse function, objects with an article's attributes)."""

import datetime as dt
import logging
from types import SimpleNamespace

from newsletter_support import TZ, config, when

from gratitude_press.errors import ContentError
from gratitude_press.newsletter import period as periods
from gratitude_press.newsletter.entries import entry_from_article, format_duration
from gratitude_press.newsletter.intros import read_intros, unused_intros
from gratitude_press.newsletter.render import Layout


def fake_parse(path):
    """What the site reader gives: (html, metadata), or a ContentError."""
    if "broken" in open(path, encoding="utf-8").read():
        raise ContentError(path, "YAML front matter is broken", 2, "close the bracket")
    return (
        '<p>See <a href="../../2026/x/">this</a>.</p>',
        {"title": "Hello", "summary": "<p>The preview.</p>"},
    )


def write(folder, name, text="fine"):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)


def test_intros_are_keyed_by_their_issue_and_their_links_made_absolute(tmp_path):
    folder = tmp_path / "newsletter"
    write(folder, "2026-w47.md")
    write(folder, "2026-11-01--2026-11-14.md")
    intros, problems = read_intros(folder, fake_parse, config())
    assert problems == [] and sorted(intros) == ["2026-11-01--2026-11-14", "2026-11-16"]
    intro = intros["2026-11-16"]
    assert intro.title == "Hello" and intro.preheader == "The preview."
    assert 'href="https://gratitude.example/2026/x/"' in intro.html
    assert intro.source == str(folder / "2026-w47.md")


def test_intro_problems_come_back_with_their_level(tmp_path):
    folder = tmp_path / "newsletter"
    for name in ("notes.md", "2026-11-17.md", "2026-11-16.md", "2026-w47.md"):
        write(folder, name)
    write(folder, "2026-11-23.md", "broken")
    intros, problems = read_intros(folder, fake_parse, config())
    assert list(intros) == ["2026-11-16"]
    shown = [
        (level, str(error).replace(str(folder) + "/", "")) for level, error in problems
    ]
    assert shown == [
        (
            logging.WARNING,
            "2026-11-17.md: 2026-11-17 is not a Monday (name it after the "
            "Monday of its week: 2026-11-16.md)",
        ),
        (
            logging.ERROR,
            "2026-11-23.md:2: YAML front matter is broken (close the bracket)",
        ),
        (
            logging.WARNING,
            "2026-w47.md: a second intro for the week of 2026-11-16 (keep one "
            "of 2026-11-16.md and 2026-w47.md)",
        ),
        (
            logging.WARNING,
            "notes.md: an intro file must be named after its week (use the "
            "Monday's date, e.g. 2026-11-16.md, or 2026-w47.md)",
        ),
    ]


def test_only_intros_of_built_weeks_without_an_issue_are_unused(tmp_path):
    folder = tmp_path / "newsletter"
    for name in ("2026-11-02.md", "2026-11-09.md", "2026-11-30.md"):
        write(folder, name)
    intros, _ = read_intros(folder, fake_parse, config())
    built = list(periods.weeks_between(dt.date(2026, 11, 2), dt.date(2026, 11, 16), TZ))
    used = {intros["2026-11-02"].source}
    unused = unused_intros(intros, used, built, TZ)
    # 2026-11-30 is ahead of the newest content: written early, not a mistake
    assert [error.path for error in unused] == [str(folder / "2026-11-09.md")]
    assert len(unused_intros(intros, set(), [], TZ)) == 3  # nothing built at all


def test_an_article_becomes_an_entry():
    article = SimpleNamespace(
        title="Ep. 3",
        url="2026/ep-3/",
        date=when("2026-11-18 07:00"),
        source_path="/site/content/episodes/ep-3.md",
        summary="<p>Two <b>guests</b>.</p>",
        metadata={
            "episode": 3,
            "newsletter": "yes",
            "podcast": {
                "duration": "00:45:10",
                "guests": [
                    {"name": "Host", "role": "host"},
                    {"name": " Priya Raman "},
                    "Tomás Okafor",
                ],
            },
            "gratitude_stories": [
                {
                    "id": "s1",
                    "title": "Thanks",
                    "person": "Dana",
                    "quality_label": "Unexpected",
                    "body_html": '<p><a href="../x/">x</a></p>',
                }
            ],
        },
    )
    entry = entry_from_article(article, config())
    assert (entry.kind, entry.number, entry.duration) == ("episode", "3", "45 min")
    assert entry.guests == ["Priya Raman", "Tomás Okafor"] and entry.newsletter
    assert entry.url == "https://gratitude.example/2026/ep-3/"
    assert entry.summary.startswith("Two guests") and "<b>" not in entry.summary
    story = entry.stories[0]
    assert story.url == "https://gratitude.example/2026/ep-3/#s1"
    assert (
        story.site_url == "2026/ep-3/#s1"
        and "https://gratitude.example/2026/x/" in story.html
    )


def test_durations_and_layout_notes():
    assert [
        format_duration(v) for v in (2710, "1:05:00", "", None, "about an hour")
    ] == ["45 min", "1 h 05 min", "", "", "about an hour"]
    assert Layout("full", 4).fallback(4) == ""
    assert Layout("short", 4).fallback(4) == " (short summaries)"
    assert Layout("titles", 3).fallback(10) == " (titles summaries, 7 more on the site)"
