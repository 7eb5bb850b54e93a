"""The kit's one clock: what "now" is for scheduled posts, the digest and scaffolds.

Everything in the kit that needs the time asks ``now()``, and ``now()`` is the only
place that reads it. ``GRATITUDE_NOW`` sets it for one command (an ISO date and time,
e.g. ``2027-01-06 09:00``; without an offset it is read in the site's ``TIMEZONE``), so
tests, and a writer who wants to see the site as it will be on a given day, can move
it without touching the machine's clock.
"""

import datetime as dt
import os
from zoneinfo import ZoneInfo

ENV = "GRATITUDE_NOW"


class ClockError(ValueError):
    """``GRATITUDE_NOW`` holds something that is not a date and time."""


def now(timezone: str = "UTC") -> dt.datetime:
    """The current moment in ``timezone`` (aware), or ``GRATITUDE_NOW`` if set."""
    zone = ZoneInfo(timezone or "UTC")
    text = os.environ.get(ENV, "").strip()
    return parse(text, zone) if text else dt.datetime.now(zone)


def parse(text: str, zone: dt.tzinfo) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ClockError(
            f"{ENV}={text!r} is not a date and time (write it like "
            "2027-01-06 09:00, or unset it)"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)
