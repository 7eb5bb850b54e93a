"""Helpers shared by the newsletter tests: plain entries and settings, no Pelican."""

import datetime as dt
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

from gratitude_press.newsletter.model import Entry, Story
from gratitude_press.newsletter.render import Renderer
from gratitude_press.newsletter.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]
TZ = "America/Chicago"
BASE_SETTINGS = {
    "SITENAME": "Gratitude Press",
    "AUTHOR": "Rakesh Menon",
    "SITEURL": "",
    "DIGEST_SITEURL": "https://gratitude.example",
    "TIMEZONE": TZ,
    "DEFAULT_LANG": "en",
    "SENDER_NAME": "Rakesh Menon",
    "SENDER_EMAIL": "digest@gratitude.example",
    "REPLY_TO_EMAIL": "rakesh@gratitude.example",
    "POSTAL_ADDRESS": "Gratitude Press, P.O. Box 1234, Madison, WI 53701, USA",
}


def config(**overrides):
    return read_settings({**BASE_SETTINGS, **overrides})


def renderer(cfg=None):
    return Renderer(ROOT / "theme" / "templates", cfg or config())


def when(text):
    """A local time in the site's zone: '2026-11-17 08:30'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(TZ))


def post(title, date, summary="A one-line summary.", slug=None, **fields):
    slug = slug or title.lower().replace(" ", "-").replace("&", "and")
    return Entry(
        kind="post",
        title=title,
        url=f"https://gratitude.example/2026/{slug}/",
        site_url=f"2026/{slug}/",
        date=when(date),
        summary=summary,
        source=f"content/posts/{slug}.md",
        **fields,
    )


def episode(title, date, number=3, **fields):
    slug = title.lower().replace(" ", "-")
    fields.setdefault("guests", ["Priya Raman", "Tomás Okafor"])
    fields.setdefault("duration", "42 min")
    return Entry(
        kind="episode",
        title=title,
        url=f"https://gratitude.example/2026/{slug}/",
        site_url=f"2026/{slug}/",
        date=when(date),
        number=str(number),
        summary="Two guests on trust.",
        source=f"content/episodes/{slug}.md",
        **fields,
    )


def story(post_url="https://gratitude.example/2026/the-note/"):
    html = (
        '<p>Marcus wrote a card <a href="https://gratitude.example/2026/other/">years '
        "later</a>, and Dana kept it.</p>"
    )
    return Story(
        title="A handwritten card",
        person="Dana Whitfield",
        quality="Unexpected",
        html=html,
        text="Marcus wrote a card years later "
        "<https://gratitude.example/2026/other/>, and Dana kept it.",
        url=post_url + "#story-card",
        site_url="2026/the-note/#story-card",
    )


@contextmanager
def environment(values):
    """``os.environ`` with ``values`` set, put back as it was afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_digest(settings, *args, env=None):
    """`python -m gratitude_press digest` as a user runs it (next to the settings), in
    this process: the command builds the site in-process anyway."""
    from conftest import run_command

    with environment(env or {}):
        return run_command(["digest", "-s", settings, *args], cwd=Path(settings).parent)


def run_send(settings, *args, env=None):
    """`python -m gratitude_press send` in this process (see ``run_digest``)."""
    from conftest import run_command

    with environment(env or {}):
        return run_command(["send", "-s", settings, *args], cwd=Path(settings).parent)


def run_unsubscribes(settings, *args, env=None):
    from conftest import run_command

    with environment(env or {}):
        return run_command(
            ["unsubscribes", "-s", settings, *args], cwd=Path(settings).parent
        )


def start_command(args, *, cwd, env=None, tmpdir=None):
    """``python -m gratitude_press ARGS`` as a child process we can signal; its
    temporary files go to ``tmpdir``."""
    from conftest import _environment

    extra = {"TMPDIR": str(tmpdir)} if tmpdir else {}
    return subprocess.Popen(
        [sys.executable, "-m", "gratitude_press", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **_environment(),
            **(env or {}),
            **extra,
            "PYTHONPATH": str(ROOT / "plugins"),
        },
    )
