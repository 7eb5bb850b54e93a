"""Selecting a period's entries by bisection (newsletter/selection.py) keeps exactly
what ``model.select`` keeps: start included, end excluded, compared in UTC."""

import dataclasses
import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from newsletter_support import TZ, config, episode, post, when

from gratitude_press.newsletter import period as periods
from gratitude_press.newsletter.model import build_issue, select
from gratitude_press.newsletter.selection import ByDate, issue_periods

WEEK = periods.week_of(dt.date(2026, 11, 18), TZ)  # Monday 16 to Sunday 22 November
UTC = dt.UTC


def titles(entries):
    return [entry.title for entry in entries]


def ids(entries):
    return [id(entry) for entry in entries]


def test_start_is_included_and_end_excluded():
    entries = [
        post("At the start", "2026-11-16 00:00"),
        post("Just before", "2026-11-15 23:59"),
        post("At the end", "2026-11-23 00:00"),
        post("Last moment", "2026-11-22 23:59"),
    ]
    assert titles(ByDate(entries).within(WEEK)) == ["At the start", "Last moment"]


def at(title, moment):
    return dataclasses.replace(post(title, "2026-11-16 08:00"), date=moment)


def test_moments_are_compared_in_utc_whatever_their_zone():
    entries = [
        # 06:00 UTC on Monday 23rd is midnight in Chicago: next week.
        at("UTC, next week", dt.datetime(2026, 11, 23, 6, 0, tzinfo=UTC)),
        at("UTC, Sunday night", dt.datetime(2026, 11, 23, 5, 59, tzinfo=UTC)),
        # 14:00 on Monday 16th in Tokyo is still Sunday 15th in Chicago: last week.
        at(
            "Tokyo, last week",
            dt.datetime(2026, 11, 16, 14, 0, tzinfo=ZoneInfo("Asia/Tokyo")),
        ),
        at(
            "Tokyo, start",
            dt.datetime(2026, 11, 16, 15, 0, tzinfo=ZoneInfo("Asia/Tokyo")),
        ),
    ]
    assert titles(ByDate(entries).within(WEEK)) == ["UTC, Sunday night", "Tokyo, start"]


def test_daylight_saving_week_keeps_local_midnights():
    week = periods.week_of(dt.date(2026, 10, 28), TZ)  # DST ends on Sunday 1 November
    entries = [
        post("Sunday late", "2026-11-01 23:30"),
        post("Monday", "2026-11-02 00:00"),
        post("Monday start", "2026-10-26 00:00"),
    ]
    assert titles(ByDate(entries).within(week)) == ["Sunday late", "Monday start"]


def test_opted_out_entries_are_never_selected():
    entries = [
        post("Private", "2026-11-17 08:00", newsletter=False),
        post("Public", "2026-11-17 09:00"),
    ]
    assert titles(ByDate(entries).within(WEEK)) == ["Public"]


def test_same_as_select_and_same_issue_on_random_entries():
    rng = random.Random(7)
    start = when("2026-01-01 00:00")
    entries = []
    for number in range(400):
        moment = start + dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60, 30))
        make = episode if number % 9 == 0 else post
        entry = make(
            f"Entry {number % 50}", "2026-01-01 00:00", newsletter=rng.random() > 0.1
        )
        entry.date = moment.astimezone(ZoneInfo(rng.choice([TZ, "UTC", "Asia/Tokyo"])))
        entries.append(entry)
    entries += [entries[3], entries[3]]  # the same moment and title more than once
    by_date, cfg = ByDate(entries), config()
    for week in periods.weeks_between(dt.date(2025, 12, 29), dt.date(2027, 1, 4), TZ):
        assert ids(select(by_date.within(week), week)) == ids(select(entries, week))
        assert build_issue(week, by_date.within(week), cfg) == build_issue(
            week, entries, cfg
        )
    custom = periods.custom(dt.date(2026, 3, 5), dt.date(2026, 3, 19), TZ)
    assert ids(select(by_date.within(custom), custom)) == ids(select(entries, custom))


# --- which periods a build makes -----------------------------------------------------
def test_issue_periods_run_from_the_first_eligible_week_to_the_newest_content():
    entries = [
        post("Private, early", "2026-10-27 08:00", newsletter=False),
        post("First", "2026-11-04 08:00"),
        post("Private, newest", "2026-11-18 08:00", newsletter=False),
    ]
    wanted = issue_periods(entries, TZ)
    # the opted-out newest post still sets the last week; the early one starts nothing
    assert [p.issue_id for p in wanted] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert issue_periods([entries[0]], TZ) == []  # nothing eligible: no issue at all


def test_issue_periods_add_the_custom_period_once():
    entries = [post("First", "2026-11-04 08:00")]
    custom = periods.requested("2026-11-01", "2026-11-15", TZ)
    assert [p.issue_id for p in issue_periods(entries, TZ, custom)] == [
        "2026-11-02",
        "2026-11-01--2026-11-14",
    ]
    same_week = periods.requested("2026-11-02", "2026-11-09", TZ)
    assert [p.issue_id for p in issue_periods(entries, TZ, same_week)] == ["2026-11-02"]
    assert periods.requested(None, None, TZ) is None
    with pytest.raises(ValueError, match="--since and --until go together"):
        periods.requested("2026-11-01", None, TZ)
    with pytest.raises(ValueError, match="--until '2026-11-31' is not a date"):
        periods.requested("2026-11-01", "2026-11-31", TZ)
