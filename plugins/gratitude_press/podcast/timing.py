"""Times people write in front matter: ``3723``, ``"62:03"``, ``"1:02:03"``."""

import math
import re

DURATION = re.compile(r"^(?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):)?(?P<s>\d+(?:\.\d+)?)$")


def parse_duration(value):
    """Whole seconds from ``3723``, ``"62:03"`` or ``"1:02:03"``; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):  # YAML's .nan and .inf are floats too
        return round(value) if math.isfinite(value) and value >= 0 else None
    match = DURATION.match(str(value).strip())
    if not match:
        return None
    minutes = int(match.group("m") or 0)
    seconds = float(match.group("s"))
    if (match.group("m") is not None and seconds >= 60) or (
        match.group("h") is not None and minutes >= 60
    ):
        return None
    return round(int(match.group("h") or 0) * 3600 + minutes * 60 + seconds)


def seconds(value):
    """Seconds from a number (fractions kept) or a clock time; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) and value >= 0 else None
    return parse_duration(value)
