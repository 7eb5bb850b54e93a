"""Scheduled posts and episodes: nowhere until a build at or after their date.

The rule is Pelican's (``WITH_FUTURE_DATES = False``: dated after now means draft),
applied with the kit's clock (``GRATITUDE_NOW``), so the test moves time instead of
waiting for it. A tiny podcast site with absolute URLs writes every output a post can
reach: its page, lists, the blog and story feeds, the podcast feed, the sitemap, the
story pages and ``stories.json``, the digest.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from test_podcast_core import tiny_mp3
from test_podcast_site import podcast_site
from test_week import files_mentioning

from conftest import run_command
from gratitude_press.schedule import clock
from gratitude_press.schedule.core import intended_status, is_scheduled, status_at

CHICAGO = ZoneInfo("America/Chicago")
POST = """\
Title: Thanks in the new year
Date: 2026-06-10 08:30
Slug: thanks-in-the-new-year
Summary: A scheduled post.
Guid: 3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a

/// gratitude | The June note
    quality: unexpected
    person: Ottoline Brackenbury

Ottoline wrote back.
///
"""
EPISODE = """\
---
title: The scheduled conversation
date: 2026-06-10 07:00
slug: the-scheduled-conversation
episode: 3
season: 1
audio: audio/third.mp3
guid: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
summary: An episode that waits for its day.
category: Podcast
---
Notes.
"""
MARKS = (
    "thanks-in-the-new-year",
    "Thanks in the new year",
    "Ottoline",
    "3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a",
    "the-scheduled-conversation",
    "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
)


def when(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=CHICAGO)


# --- the rule and the clock (pure) ------------------------------------------------


def test_a_future_date_makes_a_draft_until_that_moment():
    date = when("2026-06-10 08:30")
    assert status_at("published", date, when("2026-06-10 08:29")) == "draft"
    assert status_at("published", date, date) == "published"
    assert status_at("hidden", date, when("2026-06-11 00:00")) == "hidden"
    assert status_at("hidden", date, when("2026-06-01 00:00")) == "draft"
    assert status_at("draft", date, when("2030-01-01 00:00")) == "draft"


def test_scheduled_means_a_draft_only_because_of_its_date():
    assert intended_status({}) == "published"
    assert intended_status({"status": "Draft"}) == "draft"
    assert is_scheduled({}, "draft")
    assert not is_scheduled({"status": "draft"}, "draft")
    assert not is_scheduled({}, "published")


def test_the_clock_is_the_machines_unless_gratitude_now_sets_it(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    before = dt.datetime.now(dt.UTC)
    assert before <= clock.now("UTC") <= dt.datetime.now(dt.UTC)
    monkeypatch.setenv(clock.ENV, "2027-01-06 09:00")
    assert clock.now("America/Chicago") == when("2027-01-06 09:00")
    monkeypatch.setenv(clock.ENV, "2027-01-06T15:00+00:00")
    assert clock.now("America/Chicago") == when("2027-01-06 09:00")
    monkeypatch.setenv(clock.ENV, "next tuesday")
    with pytest.raises(clock.ClockError, match="GRATITUDE_NOW='next tuesday'"):
        clock.now("UTC")


# --- real builds --------------------------------------------------------------


@pytest.fixture
def scheduled_site(tmp_path):
    site = podcast_site(tmp_path)
    tiny_mp3(str(site.content / "audio/third.mp3"), 10)
    site.write("posts/thanks-in-the-new-year.md", POST)
    site.write("episodes/the-scheduled-conversation.md", EPISODE)
    return site


def test_a_scheduled_post_and_episode_are_nowhere_until_their_day(
    scheduled_site, monkeypatch
):
    site = scheduled_site
    monkeypatch.setenv(clock.ENV, "2026-06-10 06:59")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (site.output / "podcast.xml").is_file()
    assert files_mentioning(site.output, MARKS) == []
    assert not (site.output / "newsletter/2026-06-08").exists()

    monkeypatch.setenv(clock.ENV, "2026-06-10 08:30")
    result = site.build()
    assert result.returncode == 0, result.stderr
    found = set(files_mentioning(site.output, MARKS))
    for name in (
        "2026/thanks-in-the-new-year/index.html",
        "2026/the-scheduled-conversation/index.html",
        "index.html",
        "podcast.xml",
        "feeds/all.atom.xml",
        "feeds/stories.atom.xml",
        "sitemap.xml",
        "stories.json",
        "gratitude/index.html",
        "people/ottoline-brackenbury/index.html",
        "newsletter/2026-06-08/email.html",
    ):
        assert name in found, (name, sorted(found))


def test_the_episode_alone_is_published_between_the_two_times(
    scheduled_site, monkeypatch
):
    """07:00 for the episode, 08:30 for the post: at 08:00 only the episode is out."""
    site = scheduled_site
    monkeypatch.setenv(clock.ENV, "2026-06-10 08:00")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "the-scheduled-conversation" in site.read("podcast.xml")
    assert files_mentioning(site.output, MARKS[:4]) == []


def test_with_future_dates_the_clock_changes_nothing(scheduled_site, monkeypatch):
    site = scheduled_site
    monkeypatch.setenv(clock.ENV, "2026-06-01 00:00")
    result = site.build(WITH_FUTURE_DATES=True)
    assert result.returncode == 0, result.stderr
    assert "thanks-in-the-new-year" in site.read("index.html")


def test_send_never_picks_a_week_that_has_not_ended(scheduled_site, monkeypatch):
    """Wednesday 10 June, after the post went out: that week's issue is on the site,
    but a send takes the newest week that has ended, and refuses that one."""
    site = scheduled_site
    monkeypatch.setenv(clock.ENV, "2026-06-10 09:00")
    settings = site.settings_file()
    newest = run_command(["send", "--dry-run", "-s", settings], cwd=site.folder)
    assert newest.returncode == 0, newest.stderr
    assert "dry run: would make 2026-04-06 " in newest.stdout
    running = run_command(
        [
            "send",
            "--dry-run",
            "--since",
            "2026-06-08",
            "--until",
            "2026-06-15",
            "-s",
            settings,
        ],
        cwd=site.folder,
    )
    assert running.returncode == 0, running.stderr
    assert (
        "2026-06-08 to 2026-06-14: that period has not ended yet; nothing sent"
        in running.stdout
    )


def test_a_link_to_a_scheduled_post_says_when_it_will_work(scheduled_site, monkeypatch):
    site = scheduled_site
    site.write(
        "posts/pointer.md",
        "Title: Pointer\nDate: 2026-06-01\n\n"
        "[Soon]({filename}/posts/thanks-in-the-new-year.md)\n",
    )
    monkeypatch.setenv(clock.ENV, "2026-06-02 09:00")
    result = site.build()
    assert result.returncode == 1  # strict, like make publish: a warning stops it
    assert (
        "posts/pointer.md:4: link to posts/thanks-in-the-new-year.md, scheduled for "
        "2026-06-10 08:30 (publish this post on that day too, or remove the link)"
    ) in result.stderr
