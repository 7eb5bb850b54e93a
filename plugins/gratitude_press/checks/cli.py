"""``gratitude-press check``: is the site ready to go out as the writer's own?

It builds the site in a temporary folder (``output/`` is left alone) with the checks
of ``ready.py`` on, and prints one line per problem: the sample's identity left
where it matters, a sign-up form the theme would leave out, a link the build writes
to a page it does not write, a file of readers' addresses that git would commit.
``make publish`` runs the same checks in its own build (``build --check``), ``make
html`` only warns (``--check=warn``), and ``send`` runs the settings part before it
sends anything.
"""

import argparse
import sys
from pathlib import Path

from pelican.settings import read_settings

from ..build import runner
from ..newsletter.scratch import scratch_folder
from ..settings import SETTINGS_FILE_KEY
from . import ready

DESCRIPTION = """\
Check that the site is ready to publish as your own, one line per problem:
  - the sample's identity where it matters, once you adopt the kit: placeholder
    domains (*.example) in SITEURL and the DIGEST_* and PODCAST_* addresses, the
    sample's sender, postal address, sign-up list and podcast guid;
  - NEWSLETTER_SIGNUP with an unknown provider or without its keys (no form);
  - links the build writes to pages it does not write;
  - subscriber files (*.csv, the send state) that git does not ignore.
The site is built in a temporary folder; output/ is left alone. Exit status 1 on
any problem. make publish runs the same checks; make html only warns.
"""


def add_command(subparsers):
    parser = subparsers.add_parser(
        "check",
        help="is the site ready to publish as your own?",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-s",
        "--settings",
        default="publishconf.py",
        help="settings file (default: publishconf.py, what publish uses)",
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="check the settings and files only; skip the build and its links",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.no_build:
        problems = _settings_problems(args.settings)
        if problems is None:
            return 1
        return _report(problems, args.settings)
    with scratch_folder("gratitude-press-check-") as folder:
        status = runner.build(
            args.settings, Path(folder) / "output", debug=args.debug, check="fail"
        )
    if status == 0:
        print(f"check: no problems: the site is ready to publish ({args.settings})")
    return status


def before_sending(settings_file) -> int:
    """The settings part of ``check`` before a send; 1 if it must not go out."""
    problems = _settings_problems(settings_file, quiet=True)
    if not problems:  # None: the send command reports unreadable settings itself
        return 0
    return _report(problems, settings_file, "nothing was sent")


def _settings_problems(settings_file, quiet=False):
    """The settings problems, or None when the settings do not even load."""
    try:
        settings = read_settings(
            str(settings_file), override={SETTINGS_FILE_KEY: str(settings_file)}
        )
    except Exception as error:  # noqa: BLE001 (a settings file is Python: any error)
        if not quiet:
            print(
                runner.describe_settings_failure(settings_file, error), file=sys.stderr
            )
        return None
    return ready.settings_problems(settings)


def _report(problems, settings_file, consequence="") -> int:
    for problem in problems:
        print(f"[check] {problem}", file=sys.stderr)
    if problems:
        then = f"; {consequence}" if consequence else ""
        print(
            f"check: {len(problems)} problem(s) above{then} (README, Adopting the kit)",
            file=sys.stderr,
        )
        return 1
    print(f"check: no problems in {settings_file} (the build was skipped)")
    return 0
