"""Where an episode's files are served: site-relative (or remote) URLs, as plain data.

Pure: an episode article, the podcast config and the static files' URLs in, a dict
of links out (``context["podcast_links"][source_path]`` for the templates).
"""

import shutil

from ..errors import ContentError
from ..paths import OutsideError, inside
from .transcript import format_timestamp


def page_urls(article, config):
    """Site-relative URLs of an episode's transcript page and chapters file, and the
    transcript page's output path."""
    base = (
        article.url
        if article.url.endswith("/")
        else article.url.rsplit(".", 1)[0] + "-"
    )
    transcript = base + config.transcript_page
    save_as = transcript + "index.html" if transcript.endswith("/") else transcript
    return transcript, save_as, base + config.chapters_file


def _served(static_urls, relative):
    return static_urls.get(relative, relative) if relative else None


def _check_inside(article, output, paths):
    try:
        for relative in paths:
            inside(output, relative.lstrip("/"))
    except OutsideError as error:
        raise ContentError(
            article.source_path,
            f"its transcript or chapters would be written outside the site: {error}",
            article.podcast["lines"].get("url"),
            "use a relative url: without ../",
        ) from None


def media_links(article, config, static_urls, output):
    """The episode's links; ContentError when its pages would leave ``output``."""
    podcast = article.podcast
    audio = podcast["audio"]
    transcript = podcast["transcript"] or {}
    page, page_save_as, chapters = page_urls(article, config)
    _check_inside(article, output, (page_save_as, chapters))
    return {
        "audio": audio["url"] or _served(static_urls, audio["path"]),
        "audio_remote": bool(audio["url"]),
        "transcript_file": transcript.get("url")
        or _served(static_urls, transcript.get("path")),
        "transcript_remote": bool(transcript.get("url")),
        "transcript_page": page if transcript.get("cues") else None,
        "transcript_save_as": page_save_as,
        "chapters": chapters if podcast["chapters"] else None,
        "duration": format_timestamp(podcast["duration"]),
        "image": _served(static_urls, podcast.get("image")),
    }


def copy_unserved(podcast, static_urls, content_root, output):
    """Copy the files under content/ the episode serves (audio, transcript, artwork)
    that are not static files Pelican copies itself."""
    paths = (
        podcast["audio"]["path"],
        (podcast["transcript"] or {}).get("path"),
        podcast.get("image"),
    )
    for relative in paths:
        if relative and relative not in static_urls:
            target = inside(output, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(inside(content_root, relative), target)
