"""``gratitude-press new post|episode "Title"``: write a draft and say where it is.

The file is named after the title's slug (Pelican's own ``slugify`` with the site's
settings) in the posts or episodes folder, dated now in ``TIMEZONE`` on the kit's
clock, and is a draft: ``gratitude-press dev`` previews it, no build publishes it. An
existing file is never replaced (the file is created exclusively).
"""

import argparse
import sys
import uuid
from pathlib import Path

from pelican.settings import read_settings
from pelican.utils import slugify

from ..build.runner import describe_settings_failure
from ..dev.preview import PREVIEW_URL
from ..schedule import clock
from . import core

DATE_FORMAT = "%Y-%m-%d %H:%M"
DEV_ADDRESS = "http://127.0.0.1:8000"  # where `gratitude-press dev` serves by default


def add_command(subparsers):
    parser = subparsers.add_parser(
        "new",
        help="start a post or an episode (a draft)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write a draft post or episode named after its title, dated now, "
        "and print its path and preview address.\n\n"
        '  gratitude-press new post "What the week needs"\n'
        '  gratitude-press new episode "Trust, one promise at a time"\n\n'
        "Delete its status: draft line to publish it; a date in the "
        "future then schedules it. An existing file is never replaced.",
    )
    parser.add_argument("kind", choices=("post", "episode"))
    parser.add_argument("title")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        settings = read_settings(args.settings)
    except Exception as error:  # noqa: BLE001 (a settings file is Python: any error)
        print(describe_settings_failure(args.settings, error), file=sys.stderr)
        return 1
    slug = slugify(
        args.title,
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
    if not slug:
        print(
            f"new: {args.title!r} makes no file name; give a title with letters or "
            "digits",
            file=sys.stderr,
        )
        return 1
    folder = Path(settings["PATH"]) / _folder(settings, args.kind)
    path = folder / f"{slug}.md"
    text = _text(args, settings, slug, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        print(
            f"new: {path} already exists and is left as it is; choose another title",
            file=sys.stderr,
        )
        return 1
    print(
        f"{_shown(path)}: a new draft {args.kind}; edit it, then delete its status: "
        "draft line to publish it"
    )
    print(
        f"preview: {DEV_ADDRESS}/{PREVIEW_URL.format(slug=slug)} (while "
        "gratitude-press dev runs)"
    )
    return 0


def _shown(path: Path) -> str:
    """The path from the current folder when it lies below it (as the writer typed)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _folder(settings, kind) -> str:
    episodes = str(settings.get("PODCAST_EPISODES_PATH") or "episodes").strip("/")
    if kind == "episode":
        return episodes
    posts = [path for path in settings["ARTICLE_PATHS"] if path.strip("/") != episodes]
    return posts[0] if posts else "posts"


def _text(args, settings, slug, folder) -> str:
    date = clock.now(settings.get("TIMEZONE") or "UTC").strftime(DATE_FORMAT)
    guid = str(uuid.uuid4())
    if args.kind == "post":
        return core.post_text(args.title, date, slug, guid)
    found = [
        core.numbering(path.read_text(encoding="utf-8", errors="replace"))
        for path in sorted(folder.glob("*.md"))
    ]
    season, number = core.next_numbering(found)
    return core.episode_text(
        args.title, date, slug, guid, number, season, settings.get("AUTHOR") or ""
    )
