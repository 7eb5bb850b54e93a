"""Which days an issue covers: ISO weeks (Monday to Sunday) in the site's time zone.

Pure functions of dates and a time zone name. The reference date comes from the
command line or from the newest content, never from the clock, so a rebuild next year
makes the same issues.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

ISO_WEEK = re.compile(r"^(\d{4})-[wW](\d{1,2})$")
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Half-open ``[start, end)`` in local time; ``weekly`` periods start on a Monday."""

    start: dt.datetime
    end: dt.datetime
    weekly: bool = True

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return (
            (self.end - DAY).date() if self.end.time() == dt.time() else self.end.date()
        )

    @property
    def issue_id(self) -> str:
        if self.weekly:
            return self.first_day.isoformat()
        return f"{self.first_day.isoformat()}--{self.last_day.isoformat()}"

    @cached_property
    def _utc_bounds(self):
        # In UTC: datetimes sharing a tzinfo compare by wall time, wrong around DST.
        return self.start.astimezone(dt.UTC), self.end.astimezone(dt.UTC)

    def contains(self, moment: dt.datetime) -> bool:
        start, end = self._utc_bounds  # computed once: every issue asks for every post
        return start <= moment.astimezone(dt.UTC) < end

    def describe(self) -> str:
        return f"{self.first_day.isoformat()} to {self.last_day.isoformat()}"


def _midnight(day: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(timezone))


def parse_day(text: str, what="date") -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date like 2026-11-23") from None


def local_day(moment: dt.datetime, timezone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def week_of(day: dt.date, timezone: str) -> Period:
    """The Monday-to-Sunday week that contains ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return Period(_midnight(monday, timezone), _midnight(monday + 7 * DAY, timezone))


def last_full_week_before(reference: dt.date, timezone: str) -> Period:
    """The newest complete week that ends on or before ``reference``."""
    return week_of(reference - dt.timedelta(days=reference.weekday() + 7), timezone)


def custom(since: dt.date, until: dt.date, timezone: str) -> Period:
    """``[since, until)``: ``until`` is the first day not included."""
    if until <= since:
        raise ValueError(f"--until {until} must be after --since {since}")
    weekly = since.weekday() == 0 and until - since == 7 * DAY
    return Period(_midnight(since, timezone), _midnight(until, timezone), weekly)


def requested(since: str | None, until: str | None, timezone: str) -> Period | None:
    """The custom period of ``--since``/``--until`` (ISO dates); None when neither."""
    if not (since or until):
        return None
    if not (since and until):
        raise ValueError("--since and --until go together")
    return custom(parse_day(since, "--since"), parse_day(until, "--until"), timezone)


def weeks_between(first: dt.date, last: dt.date, timezone: str):
    """Every week from the one containing ``first`` to the one containing ``last``."""
    week = week_of(first, timezone)
    final = week_of(last, timezone)
    while week.start <= final.start:
        yield week
        week = week_of(week.first_day + 7 * DAY, timezone)


def intro_key(stem: str) -> dt.date | None:
    """The Monday an intro file names: ``2026-11-16`` or ``2026-w47``; None otherwise."""
    match = ISO_WEEK.match(stem)
    try:
        if match:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return dt.date.fromisoformat(stem)
    except ValueError:
        return None
