"""The text of a new post or episode, ready to edit (pure: values in, text out).

Both are drafts (``status: draft``) in YAML front matter, so the fields the writer
fills in later can wait as commented examples. Titles are written as JSON strings,
which YAML reads as they are (a colon or a quote in a title stays text).
"""

import json
import re

EPISODE_NUMBER = re.compile(r"^episode:\s*(\d+)\s*(?:#.*)?$", re.MULTILINE)
SEASON_NUMBER = re.compile(r"^season:\s*(\d+)\s*(?:#.*)?$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*$", re.DOTALL | re.MULTILINE)

POST = """\
---
title: {title}
date: {date}
status: draft   # delete this line to publish; a date in the future schedules it
slug: {slug}
guid: {guid}   # the post's id in every feed: never change it
summary: One sentence for lists, feeds and the digest.
# category: Leadership
# tags: [trust, teams]
# newsletter: no   # leave the post out of the weekly digest
#
# A gratitude story goes anywhere in the text below (README, "Gratitude stories"):
# /// gratitude | A handwritten card, years later
#     quality: unexpected
#     person: Dana Whitfield
#
# The story, in Markdown.
# ///
---
Write the post here, in Markdown.
"""

EPISODE = """\
---
title: {title}   # no "Ep. {number}", no show name
date: {date}
status: draft   # delete this line to publish; a date in the future schedules it
slug: {slug}
episode: {number}
{season}episode_type: full   # full, trailer or bonus
guid: {guid}   # set once, never change
summary: One or two sentences for the feed and lists.
category: Podcast
tags: [podcast]
explicit: false
# audio: audio/{slug}.mp3   # the recording under content/: size, type, length read
# audio: https://cdn.example/{slug}.mp3   # or a URL, + audio_length, audio_type,
#   duration
# transcript: transcripts/{slug}.vtt   # WebVTT (speakers from <v Name>) or SRT
# chapters:   # or the path of a JSON chapters file
#   - {{start: 0, title: Welcome}}
#   - {{start: "1:05", title: The first question}}   # seconds or H:MM:SS
# guests:
#   - name: Dana Whitfield
#     role: guest
#     title: Director of Operations
#     link: https://example.org/dana
# thanks:   # rendered as gratitude stories after the notes
#   - from: {host}
#     to: Dana Whitfield
#     quality: demonstrates-knowing
#     body: Thank you, Dana, for the rehearsal notes nobody else kept.
---
The episode notes, in Markdown.
"""


def _yaml_text(value: str) -> str:
    return json.dumps(" ".join(str(value).split()), ensure_ascii=False)


def post_text(title, date, slug, guid) -> str:
    return POST.format(title=_yaml_text(title), date=date, slug=slug, guid=guid)


def episode_text(title, date, slug, guid, number, season=None, host="") -> str:
    season_line = f"season: {season}\n" if season is not None else "# season: 1\n"
    return EPISODE.format(
        title=_yaml_text(title),
        date=date,
        slug=slug,
        guid=guid,
        number=number,
        season=season_line,
        host=host or "Your Name",
    )


def numbering(text: str):
    """``(season or None, episode number)`` of an episode's front matter, or None."""
    front = FRONT_MATTER.search(text)
    number = EPISODE_NUMBER.search(front.group(1)) if front else None
    if number is None:
        return None
    season = SEASON_NUMBER.search(front.group(1))
    return (int(season.group(1)) if season else None, int(number.group(1)))


def next_numbering(found) -> tuple:
    """``(season, number)`` of the next episode after those ``found``: the newest
    season's last number plus one (season None when the show has none)."""
    found = [pair for pair in found if pair is not None]
    if not found:
        return None, 1
    season, number = max(found, key=lambda pair: (pair[0] or 0, pair[1]))
    return season, number + 1
