"""Episode notes: validate and normalise an episode's metadata into plain data.

Pure core: metadata dict and paths in, a picklable ``podcast`` dict out (or a
``ContentError`` naming the file and line). Pelican is not imported here.
"""

import json
import os
import re
import uuid

from bs4 import BeautifulSoup

from ..errors import ContentError
from ..paths import OutsideError, inside
from ..stories.people import person_url
from .clips import read_soundbites
from .media import ARTWORK_HINT, MediaProblem, artwork_problem, audio_facts
from .timing import parse_duration
from .timing import seconds as seconds_of
from .transcript import (
    TRANSCRIPT_TYPES,
    TranscriptProblem,
    format_timestamp,
    parse_transcript,
)

REQUIRED = ("title", "date", "audio", "summary")
EPISODE_TYPES = ("full", "trailer", "bonus")
# Apple: a trailer or bonus without a number belongs to its season (or the show).
UNNUMBERED_TYPES = ("trailer", "bonus")

TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1"}, {"false", "no", "0", "clean"}
# Episodes without a guid get a stable one from their season and number.
EPISODE_GUID_NAMESPACE = uuid.UUID("0f6a7d3e-5c1b-5b8e-9a55-6f1c2b7e4d10")


def key_line(source_text, key):
    """Line number of ``key:`` in the file's metadata, or None."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:", re.IGNORECASE)
    for number, line in enumerate(source_text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def is_remote(value):
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", str(value), re.IGNORECASE))


class _Checker:
    """Raises errors that name the episode file and the line of the offending key."""

    def __init__(self, source_path, source_text):
        self.path = source_path
        self.text = source_text

    def fail(self, key, message, hint):
        raise ContentError(self.path, message, key_line(self.text, key) or 1, hint)


def _positive_int(check, key, value, required=True):
    if value is None or value == "":
        if required:
            check.fail(key, f"'{key}' is missing", f"add a line `{key}: 1`")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        check.fail(
            key, f"'{key}' must be a whole number, not {value!r}", "write e.g. 3"
        )
    if number < 1:
        check.fail(key, f"'{key}' must be 1 or more, not {number}", "count from 1")
    return number


def _boolean(check, key, value, default):
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    check.fail(
        key, f"'{key}' must be true or false, not {value!r}", "write true or false"
    )


def _local_file(check, key, content_root, relative):
    try:
        return str(inside(content_root, str(relative)))
    except OutsideError as error:
        check.fail(
            key,
            f"'{key}' must be a path under content/: {error}",
            "copy the file into content/ and give its path from there",
        )


def _given_duration(check, metadata):
    given = metadata.get("duration")
    if given is None:
        return None
    duration = parse_duration(given)
    if duration is None or duration == 0:
        check.fail(
            "duration",
            f"malformed duration {given!r}",
            "give seconds (1834) or HH:MM:SS (0:30:34)",
        )
    return duration


def _remote_audio(check, metadata, url):
    if not url.startswith("https://"):
        check.fail(
            "audio",
            f"remote audio must use https: {url!r}",
            "podcast apps refuse plain http",
        )
    missing = [
        key
        for key in ("audio_length", "audio_type", "duration")
        if not metadata.get(key)
    ]
    if missing:
        check.fail(
            "audio",
            f"remote audio needs {', '.join(missing)} in the metadata",
            "the build cannot measure a file it does not have",
        )
    length = _positive_int(check, "audio_length", metadata["audio_length"])
    kind = str(metadata["audio_type"]).strip()
    if not re.match(r"^(audio|video)/[\w.+-]+$", kind):
        check.fail(
            "audio_type",
            f"'audio_type' must be a MIME type such as audio/mpeg, not {kind!r}",
            "audio/mpeg for .mp3, audio/mp4 for .m4a",
        )
    return {"path": None, "url": url, "length": length, "type": kind}


def _local_audio(check, content_root, relative):
    """The audio facts of a file under content/ and its duration, read from it."""
    path = _local_file(check, "audio", content_root, relative)
    try:
        facts = audio_facts(path)
    except MediaProblem as problem:
        check.fail(
            "audio",
            f"{problem}: {relative}",
            "audio is a path under content/ or an https URL",
        )
    audio = {
        "path": relative.replace(os.sep, "/"),
        "url": None,
        "length": facts["length"],
        "type": facts["type"],
    }
    return audio, facts["duration"]


def _audio(check, metadata, content_root):
    """``(audio dict, duration in seconds)``: measured from a local file, given for a
    remote one (a given duration is checked either way)."""
    value = str(metadata["audio"]).strip()
    duration = _given_duration(check, metadata)
    if is_remote(value):
        return _remote_audio(check, metadata, value), duration
    return _local_audio(check, content_root, value)


def _guests(check, value, regex_subs, content_root):
    if value is None:
        return []
    if not isinstance(value, list):
        check.fail(
            "guests",
            "'guests' must be a list of {name, role, title, link}",
            "use YAML front matter for nested metadata",
        )
    guests = []
    for index, guest in enumerate(value, 1):
        if not isinstance(guest, dict) or not str(guest.get("name") or "").strip():
            check.fail(
                "guests", f"guest {index} needs a name", "add `name: ...` to the guest"
            )
        link = str(guest.get("link") or "").strip() or None
        if link and not link.startswith(("https://", "http://")):
            check.fail(
                "guests",
                f"the link of guest {index} must be an http(s) URL",
                "write it in full: https://...",
            )
        name = " ".join(str(guest["name"]).split())
        image = str(guest["image"]).strip() if guest.get("image") else None
        if image and is_remote(image):
            check.fail(
                "guests",
                f"the image of guest {index} must be a file under "
                f"content/, not {image!r}",
                "the site loads nothing from other "
                "hosts: save the photo under content/images/",
            )
        if image:
            _local_file(check, "guests", content_root, image)
        guests.append(
            {
                "name": name,
                "role": str(guest.get("role") or "guest").strip().lower(),
                "title": " ".join(str(guest.get("title") or "").split()) or None,
                "link": link,
                "image": image,
                "url": person_url(name, regex_subs),
            }
        )
    return guests


def _chapter_list(check, items, where):
    chapters = []
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            check.fail(
                "chapters",
                f"chapter {index}{where} must have a start and a title",
                "write it as `- {start: 0, title: ...}`",
            )
        start = item.get("start", item.get("startTime"))
        seconds = None if start is None else seconds_of(start)  # None: NaN, -1
        title = " ".join(str(item.get("title") or "").split())
        if seconds is None or seconds < 0:
            check.fail(
                "chapters",
                f"chapter {index}{where} has a malformed start {start!r}",
                "give seconds or HH:MM:SS",
            )
        if not title:
            check.fail(
                "chapters",
                f"chapter {index}{where} has no title",
                "add `title: ...` to the chapter",
            )
        if chapters and seconds <= chapters[-1]["start"]:
            check.fail(
                "chapters",
                f"chapter {index}{where} starts before the one above it",
                "list chapters in the order they play",
            )
        chapters.append(
            {
                "start": int(seconds) if seconds == int(seconds) else seconds,
                "title": title,
                "label": format_timestamp(seconds),
            }
        )
    return chapters


def _chapters(check, value, content_root, duration):
    if value is None:
        return []
    if isinstance(value, str):
        path = _local_file(check, "chapters", content_root, value)
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError:
            check.fail(
                "chapters",
                f"the chapters file {value} cannot be read",
                "give its path under content/, or remove the chapters line",
            )
        except ValueError as error:
            check.fail(
                "chapters",
                f"the chapters file {value} is not valid JSON: {error}",
                "check it with a JSON validator",
            )
        items = data.get("chapters") if isinstance(data, dict) else None
        if not isinstance(items, list):
            check.fail(
                "chapters",
                f'the chapters file {value} has no "chapters" list',
                'write {"version": "1.2.0", "chapters": [...]}',
            )
        chapters = _chapter_list(check, items, f" in {value}")
    elif isinstance(value, list):
        chapters = _chapter_list(check, value, "")
    else:
        check.fail(
            "chapters",
            "'chapters' must be a list of {start, title} or the path "
            "of a JSON chapters file",
            "see the README, Podcast",
        )
    if duration and chapters and chapters[-1]["start"] >= duration:
        check.fail(
            "chapters",
            f"chapter {chapters[-1]['title']!r} starts after the end of "
            f"the audio ({format_timestamp(duration)})",
            "check its start, or the audio file",
        )
    return chapters


def _transcript(check, value, content_root):
    if not value:
        return None
    value = str(value).strip()
    kind = TRANSCRIPT_TYPES.get(os.path.splitext(value.split("?")[0])[1].lower())
    if not kind:
        check.fail(
            "transcript",
            f"the transcript must be a .vtt or .srt file: {value}",
            "podcast apps read WebVTT (.vtt) and SubRip (.srt)",
        )
    if is_remote(value):
        if not value.startswith("https://"):
            check.fail(
                "transcript",
                f"a remote transcript must use https: {value!r}",
                "give an https:// address, or a file under content/",
            )
        return {"path": None, "url": value, "type": kind, "cues": []}
    path = _local_file(check, "transcript", content_root, value)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError:
        check.fail(
            "transcript",
            f"the transcript file {value} cannot be read",
            "give its path under content/, or remove the transcript line",
        )
    except UnicodeDecodeError:
        check.fail(
            "transcript",
            f"the transcript file {value} is not UTF-8",
            "save it as UTF-8 in your editor",
        )
    try:
        cues = parse_transcript(text, kind)
    except TranscriptProblem as problem:
        raise ContentError(path, problem.message, problem.line) from None
    return {"path": value.replace(os.sep, "/"), "url": None, "type": kind, "cues": cues}


def plain_text(html_or_text):
    return " ".join(
        BeautifulSoup(str(html_or_text), "html.parser").get_text(" ").split()
    )


def _kind(check, metadata):
    kind = str(metadata.get("episode_type") or metadata.get("type") or "full")
    kind = kind.strip().lower()
    if kind not in EPISODE_TYPES:
        check.fail(
            "episode_type",
            f"episode_type must be one of {', '.join(EPISODE_TYPES)}, not {kind!r}",
            "leave it out for a full episode",
        )
    return kind


def _derived_guid(kind, season, number, source):
    """A stable guid for an episode that gives none: full episodes by their number
    (as always), trailers and bonuses by number and type or, unnumbered, by file."""
    if number is None:
        name = f"{kind}/{source}"
    else:
        name = f"season-{season or 0}/episode-{number}"
        name = name if kind == "full" else f"{kind}/{name}"
    return str(uuid.uuid5(EPISODE_GUID_NAMESPACE, name))


def _artwork(check, value, content_root):
    """The episode's own artwork (``image:``), checked as Apple checks the show's."""
    if not value:
        return None
    value = str(value).strip()
    if is_remote(value):
        check.fail(
            "image",
            f"the image must be a file under content/, not {value!r}",
            "the site loads nothing from other hosts: save it under content/images/",
        )
    problem = artwork_problem(_local_file(check, "image", content_root, value))
    if problem:
        check.fail("image", f"{problem}: {value}", ARTWORK_HINT)
    return value.replace(os.sep, "/")


def _numbering(check, metadata, kind):
    """``(number, season)``; only trailers and bonuses may go without a number."""
    number = _positive_int(
        check, "episode", metadata.get("episode"), required=kind not in UNNUMBERED_TYPES
    )
    season = _positive_int(check, "season", metadata.get("season"), required=False)
    return number, season


def read_episode(metadata, source_path, source_text, content_root, regex_subs=()):
    """The ``podcast`` dict of one episode, or ContentError with file and line
    (``source_text``: the file's text, to find the line of a key)."""
    check = _Checker(source_path, source_text)
    for key in REQUIRED:
        if metadata.get(key) in (None, "", [], {}):
            check.fail(
                key, f"an episode needs '{key}'", f"add '{key}:' to the front matter"
            )
    kind = _kind(check, metadata)
    number, season = _numbering(check, metadata, kind)
    audio, duration = _audio(check, metadata, content_root)
    source = os.path.relpath(source_path, content_root).replace(os.sep, "/")
    podcast = {
        "number": number,
        "season": season,
        "type": kind,
        "explicit": _boolean(check, "explicit", metadata.get("explicit"), False),
        "guid": str(metadata.get("guid") or "").strip()
        or _derived_guid(kind, season, number, source),
        "summary": plain_text(metadata["summary"]),
        "audio": audio,
        "duration": duration,
        "image": _artwork(check, metadata.get("image"), content_root),
        "guests": _guests(check, metadata.get("guests"), regex_subs, content_root),
        "chapters": _chapters(check, metadata.get("chapters"), content_root, duration),
        "soundbites": read_soundbites(check, metadata.get("soundbites"), duration),
        "transcript": _transcript(check, metadata.get("transcript"), content_root),
        "source": source,
        "lines": {
            key: key_line(check.text, key)
            for key in ("guid", "episode", "audio", "url")
        },
    }
    if audio["url"]:
        # Theme partials (home card, JSON-LD) take ``podcast.audio_url`` when set and
        # otherwise build the URL of a local file from SITEURL themselves.
        podcast["audio_url"] = audio["url"]
    return podcast


def _option(value):
    """A YAML-safe, one-line option value (JSON strings are valid YAML)."""
    return json.dumps(" ".join(str(value).split()), ensure_ascii=False)


def thanks_blocks(thanks, source_path, line=None, item_lines=()):
    """Markdown ``/// gratitude`` blocks for an episode's thanks (host <-> guest);
    ``line`` is the file line of ``thanks:``, ``item_lines`` that of each entry."""
    if not thanks:
        return ""
    if not isinstance(thanks, list):
        raise ContentError(
            source_path, "'thanks' must be a list of {from, to, quality, body}", line
        )
    blocks = []
    for index, item in enumerate(thanks, 1):
        at = item_lines[index - 1] if index <= len(item_lines) else line
        if not isinstance(item, dict):
            raise ContentError(
                source_path,
                f"thanks {index} must have from, to and body",
                at,
                "write each entry as `- from: ...` with `to:` and `body:` under it",
            )
        missing = [
            key
            for key in ("from", "to", "body")
            if not str(item.get(key) or "").strip()
        ]
        if missing:
            raise ContentError(
                source_path,
                f"thanks {index} needs {', '.join(missing)}",
                at,
                f"add `{missing[0]}: ...` to the entry",
            )
        giver, receiver = (" ".join(str(item[key]).split()) for key in ("from", "to"))
        # Thanks may be written by guests: Markdown, but raw HTML is shown as text.
        body = str(item["body"]).strip().replace("<", "&lt;")
        if "![" in body:  # an image, in any of Markdown's forms: it loads from anywhere
            raise ContentError(
                source_path,
                f"thanks {index}: images are not shown in thanks",
                at,
                "link to the picture instead: [a photo](https://...)",
            )
        if any(row.lstrip().startswith("///") for row in body.splitlines()):
            raise ContentError(
                source_path,
                f"thanks {index}: a line of the body starts "
                "with ///, which would end the story block",
                at,
                "reword that line or indent it",
            )
        options = [
            f"    person: {_option(receiver)}",
            f"    from: {_option(giver)}",
            f"    to: {_option(receiver)}",
        ]
        if item.get("quality"):
            options.insert(0, f"    quality: {_option(item['quality'])}")
        if item.get("answers"):  # the story this thanks returns (stories checks it)
            options.append(f"    answers: {_option(item['answers'])}")
        title = f"{giver} thanks {receiver}".replace("|", "/")
        blocks.append(
            "\n".join([f"/// gratitude | {title}", *options, "", body, "///"])
        )
    return "\n\n".join(blocks)
