"""Transcripts: WebVTT and SRT cues as plain data, grouped into speaker turns.

``parse_transcript(text, kind)`` returns ``[{"start", "end", "speaker", "text"}]``
(seconds as floats); speakers come from WebVTT voice spans ``<v Name>``.
A malformed cue raises ``TranscriptProblem(line, message)``.
"""

import html
import re

TRANSCRIPT_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}
TIMING = re.compile(r"^\s*(?P<start>[\d:.,]+)\s+-->\s+(?P<end>[\d:.,]+)(?:\s+.*)?$")
TIMESTAMP = re.compile(
    r"^(?:(?P<h>\d+):)?(?P<m>[0-5]?\d):(?P<s>[0-5]?\d)[.,](?P<ms>\d{3})$"
)
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
TAG = re.compile(r"</?[^>]*>")


class TranscriptProblem(Exception):
    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(message)


def format_timestamp(seconds):
    """``H:MM:SS`` (or ``M:SS`` under an hour) for people to read."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def timestamp_seconds(text):
    match = TIMESTAMP.match(text.strip())
    if not match:
        return None
    hours = int(match.group("h") or 0)
    return (
        hours * 3600
        + int(match.group("m")) * 60
        + int(match.group("s"))
        + int(match.group("ms")) / 1000
    )


def _blocks(lines):
    """Yield ``(first_line_number, [lines])`` for runs of non-blank lines."""
    block, start = [], None
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _cue_text(lines):
    raw = " ".join(line.strip() for line in lines)
    voice = VOICE.search(raw)
    speaker = voice.group("name").strip() if voice else None
    return speaker, html.unescape(TAG.sub("", raw)).strip()


def parse_transcript(text, kind):
    """Cues of a WebVTT (``kind`` "text/vtt") or SRT transcript."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    if kind == "text/vtt" and not lines[0].startswith("WEBVTT"):
        raise TranscriptProblem(1, "a WebVTT transcript must start with WEBVTT")
    cues = []
    for first, block in _blocks(lines):
        if kind == "text/vtt" and (
            block[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION"))
        ):
            continue
        timing_index = next(
            (i for i, line in enumerate(block[:2]) if "-->" in line), None
        )
        if timing_index is None:
            raise TranscriptProblem(
                first,
                "expected a cue timing line such as '00:00:01.000 --> 00:00:04.000'",
            )
        number = first + timing_index
        match = TIMING.match(block[timing_index])
        start = end = None
        if match:
            start = timestamp_seconds(match.group("start"))
            end = timestamp_seconds(match.group("end"))
        if start is None or end is None:
            raise TranscriptProblem(
                number, f"malformed cue timing {block[timing_index]!r}"
            )
        if end < start:
            raise TranscriptProblem(number, "the cue ends before it starts")
        speaker, words = _cue_text(block[timing_index + 1 :])
        cues.append({"start": start, "end": end, "speaker": speaker, "text": words})
    if not cues:
        raise TranscriptProblem(1, "the transcript has no cues")
    return cues


def speaker_turns(cues):
    """Consecutive cues of one speaker joined into turns (start, speaker, text)."""
    turns = []
    for cue in cues:
        if turns and cue["speaker"] == turns[-1]["speaker"]:
            turns[-1]["text"] = f"{turns[-1]['text']} {cue['text']}".strip()
        else:
            turns.append(
                {
                    "start": cue["start"],
                    "label": format_timestamp(cue["start"]),
                    "speaker": cue["speaker"],
                    "text": cue["text"],
                }
            )
    return turns
