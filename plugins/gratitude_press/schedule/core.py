"""Which status an article has at a given moment (pure: no Pelican).

Pelican's rule for ``WITH_FUTURE_DATES = False``: an article dated after now is a
draft. The kit applies the same rule with its own clock (``clock.now``), so a build
run with ``GRATITUDE_NOW`` sees the site as it is, or will be, at that moment.
"""

import datetime as dt

# Pelican's article lists by status: (originals, translations).
LISTS = {
    "published": ("articles", "translations"),
    "hidden": ("hidden_articles", "hidden_translations"),
    "draft": ("drafts", "drafts_translations"),
}


def intended_status(metadata, default="published") -> str:
    """What the writer asked for (``Status:``), whatever the date says."""
    return str(metadata.get("status") or default).lower()


def status_at(intended: str, date: dt.datetime, now: dt.datetime) -> str:
    """``intended``, unless the article is dated after ``now``: then a draft."""
    if date.tzinfo is None:  # a site without TIMEZONE: read in the clock's zone
        date = date.replace(tzinfo=now.tzinfo)
    return "draft" if intended == "draft" or date > now else intended


def is_scheduled(metadata, status: str) -> bool:
    """A draft only because of its date: it will appear by itself on that day."""
    return status == "draft" and intended_status(metadata) != "draft"
