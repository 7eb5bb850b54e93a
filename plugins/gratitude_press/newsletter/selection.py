"""Which issues a build makes, and which entries fall in each period.

``issue_periods`` lists the periods: every week up to the newest content's, and the
custom period of the command line.

A site with years of weekly issues asks for the items of each week: ``model.select``
alone checks every entry per week (quadratic in the site's age). ``ByDate`` sorts the
eligible entries by their moment in UTC once and finds a period's by bisection. Its
answer is exactly what ``model.select`` would keep, in the caller's order, so
``build_issue(period, by_date.within(period), ...)`` makes the same issue as
``build_issue(period, entries, ...)``.
"""

import datetime as dt
from bisect import bisect_left

from . import period as periods

UTC = dt.UTC


def _utc(moment: dt.datetime) -> dt.datetime:
    # As Period.contains compares: in UTC (datetimes sharing a tzinfo would compare by
    # wall time, wrong around a DST change).
    return moment.astimezone(UTC)


class ByDate:
    """The entries that did not opt out, indexed by their moment."""

    def __init__(self, entries):
        self.entries = list(entries)
        keyed = sorted(
            (_utc(entry.date), number)
            for number, entry in enumerate(self.entries)
            if entry.newsletter
        )
        self._moments = [moment for moment, _ in keyed]
        self._numbers = [number for _, number in keyed]

    def within(self, period) -> list:
        """The entries published in ``[period.start, period.end)``, in the order they
        were given (``select`` sorts them; its ties keep that order)."""
        first = bisect_left(self._moments, _utc(period.start))
        last = bisect_left(self._moments, _utc(period.end))  # end excluded
        return [self.entries[number] for number in sorted(self._numbers[first:last])]


def issue_periods(entries, timezone: str, custom=None) -> list:
    """Every week from the first eligible entry's to the newest entry's, then
    ``custom`` (the command line's ``--since``/``--until``) unless it is one of them.

    The newest entry counts even when it opted out: the issues reach the site's
    newest content, never the clock."""
    eligible = [e for e in entries if e.newsletter]
    wanted = []
    if eligible:
        newest = max(periods.local_day(e.date, timezone) for e in entries)
        first = min(periods.local_day(e.date, timezone) for e in eligible)
        wanted = list(periods.weeks_between(first, newest, timezone))
    if custom and custom.issue_id not in {w.issue_id for w in wanted}:
        wanted.append(custom)
    return wanted
