"""Episodes checked against each other (pure: episode articles in, errors out).

Apple drops episodes that share a guid or an enclosure URL, and numbers must tell
full episodes apart. A trailer or bonus may carry the number of the episode it
belongs to (Apple's rule for episode trailers and bonuses), so numbers are compared
within each episode type.
"""

from ..errors import ContentError, display_path

HINT = "every episode needs its own guid, number and audio file"


def _numbering(podcast):
    kind = "" if podcast["type"] == "full" else f"{podcast['type']} "
    if podcast["season"]:
        return f"{kind}episode number {podcast['number']} in season {podcast['season']}"
    return f"{kind}episode number {podcast['number']}"


def _keys(podcast):
    """``(key, what it is, line key)`` of what must be unique."""
    audio = podcast["audio"]["url"] or podcast["audio"]["path"]
    keys = [
        (("guid", podcast["guid"]), f"guid {podcast['guid']}", "guid"),
        (("audio", audio), f"audio {audio}", "audio"),
    ]
    if podcast["number"] is not None:
        keys.insert(
            1,
            (
                ("number", podcast["type"], podcast["season"], podcast["number"]),
                _numbering(podcast),
                "episode",
            ),
        )
    return keys


def duplicate_problems(episodes, content_root):
    """A ContentError for each episode that repeats an earlier one's guid, number
    (within its type) or audio file."""
    seen, problems = {}, []
    for article in episodes:
        podcast = article.podcast
        for key, what, line_key in _keys(podcast):
            first = seen.setdefault(key, article)
            if first is not article:
                problems.append(
                    ContentError(
                        article.source_path,
                        f"duplicate {what}: also used by "
                        f"{display_path(first.source_path, content_root)}",
                        podcast["lines"][line_key],
                        HINT,
                    )
                )
    return problems
