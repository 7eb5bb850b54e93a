"""Facts about media files: audio length, type and duration (mutagen), artwork (Pillow).

Pure functions: a path in, plain data or a problem sentence out.
"""

import mimetypes
import os

import mutagen
from PIL import Image, UnidentifiedImageError

# The enclosure types podcast apps expect, by mutagen's file class.
AUDIO_TYPES = {
    "MP3": "audio/mpeg",
    "EasyMP3": "audio/mpeg",
    "MP4": "audio/x-m4a",
    "EasyMP4": "audio/x-m4a",
    "OggVorbis": "audio/ogg",
    "OggOpus": "audio/ogg",
    "FLAC": "audio/flac",
    "WAVE": "audio/wav",
}
ARTWORK_MIN, ARTWORK_MAX = 1400, 3000
ARTWORK_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}
ARTWORK_HINT = "Apple needs a square JPEG or PNG of 1400-3000 px, RGB"


class MediaProblem(Exception):
    """A media file is missing or unusable; the message says why."""


def audio_facts(path):
    """``{"length": bytes, "type": MIME type, "duration": seconds}`` of a local file."""
    if not os.path.isfile(path):
        raise MediaProblem("the audio file does not exist")
    length = os.path.getsize(path)
    if length == 0:
        raise MediaProblem("the audio file is empty")
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError) as error:
        raise MediaProblem(f"the audio file cannot be read ({error})") from None
    if audio is None or audio.info is None:
        raise MediaProblem("the audio file is not in a known audio format")
    seconds = getattr(audio.info, "length", 0) or 0
    if seconds <= 0:
        raise MediaProblem("the audio file has no playable length")
    kind = AUDIO_TYPES.get(type(audio).__name__) or mimetypes.guess_type(path)[0]
    if not kind:
        raise MediaProblem("the audio file type is unknown")
    return {"length": length, "type": kind, "duration": max(1, round(seconds))}


def artwork_problem(path):
    """None when ``path`` is valid show artwork, else a sentence saying why not."""
    if not os.path.isfile(path):
        return "the artwork file does not exist"
    try:
        with Image.open(path) as image:
            kind, size, mode = image.format, image.size, image.mode
    except (UnidentifiedImageError, OSError):
        return "the artwork is not a readable image"
    if kind not in ARTWORK_FORMATS:
        return f"the artwork is {kind}; it must be JPEG or PNG"
    extension = os.path.splitext(path)[1].lower()
    if extension not in ARTWORK_FORMATS[kind]:
        named = f"named {extension}" if extension else "named without extension"
        return (
            f"the artwork is a {kind} file but {named}; use {ARTWORK_FORMATS[kind][0]}"
        )
    width, height = size
    if width != height:
        return f"the artwork is {width}x{height} px; it must be square"
    if not ARTWORK_MIN <= width <= ARTWORK_MAX:
        return (
            f"the artwork is {width}x{height} px; it must be between "
            f"{ARTWORK_MIN} and {ARTWORK_MAX} px"
        )
    if mode != "RGB":
        return f"the artwork uses the {mode} colour mode; save it as RGB"
    return None
