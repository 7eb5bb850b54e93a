"""Soundbites of an episode: ``soundbites: [{start, duration, title}]`` checked into
plain data (``podcast:soundbite`` in the feed, highlights on the episode page).

Pure: ``check`` is the episode's ``_Checker``, whose ``fail`` raises a ContentError
naming the file and the line of ``soundbites:``.
"""

from .timing import seconds
from .transcript import format_timestamp

# Podcasting 2.0: the soundbite's title is free text of at most 128 characters.
TITLE_MAX = 128


def _number(value):
    """``11`` rather than ``11.0``, so the feed and the page read naturally."""
    return int(value) if value == int(value) else round(value, 3)


def _soundbite(check, index, item):
    if not isinstance(item, dict):
        check.fail(
            "soundbites",
            f"soundbite {index} must have a start and a duration",
            "e.g. {start: 24, duration: 6, title: The eleventh rehearsal}",
        )
    start = seconds(item.get("start", item.get("startTime")))
    length = seconds(item.get("duration"))
    if start is None:
        check.fail(
            "soundbites",
            f"soundbite {index} has a malformed start {item.get('start')!r}",
            "give seconds or H:MM:SS",
        )
    if not length:
        check.fail(
            "soundbites",
            f"soundbite {index} has a malformed duration {item.get('duration')!r}",
            "give its length in seconds, above 0",
        )
    title = " ".join(str(item.get("title") or "").split()) or None
    if title and len(title) > TITLE_MAX:
        check.fail(
            "soundbites",
            f"the title of soundbite {index} is longer than {TITLE_MAX} characters",
            "shorten it: apps show it in one line",
        )
    return {
        "start": _number(start),
        "duration": _number(length),
        "end": _number(start + length),
        "title": title,
        "label": format_timestamp(start),
    }


def read_soundbites(check, value, duration):
    """``[{"start", "duration", "title", "label"}]`` in the given order."""
    if value is None:
        return []
    if not isinstance(value, list):
        check.fail(
            "soundbites",
            "'soundbites' must be a list of {start, duration, title}",
            "use YAML front matter for nested metadata",
        )
    bites = [_soundbite(check, index, item) for index, item in enumerate(value, 1)]
    for index, bite in enumerate(bites, 1):
        if duration and bite["start"] + bite["duration"] > duration:
            check.fail(
                "soundbites",
                f"soundbite {index} ends after the end of the "
                f"audio ({format_timestamp(duration)})",
                "check its start and duration, or the audio file",
            )
    return bites
