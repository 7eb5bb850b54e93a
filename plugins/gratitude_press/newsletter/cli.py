"""``python -m gratitude_press digest|send|unsubscribes``.

``digest`` without ``--send`` is the site build (``make digest``): every issue lands
in ``output/newsletter/``. ``send`` (= ``digest --send``) checks everything it needs
(``commands.prepare``), builds into a temporary folder that goes away even if the
process is killed (``scratch.py``; the published ``output/`` is left alone), picks
the issue and sends it the way ``DIGEST_SEND_PATH`` says. The build runs in this
process and hands its issues back through a ``DigestOutbox`` (``outbox.py``).

SIGINT and SIGTERM stop a command the same way: clean-up runs, one line says what
to do next, and the exit status is 128 + the signal (130, 143).
"""

import argparse
import signal
import sys
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path

from pelican.settings import read_settings as read_pelican_settings
from rich.console import Console

from ..build import runner
from ..errors import ContentError
from ..schedule import clock
from ..settings import SETTINGS_FILE_KEY
from . import commands
from . import period as periods
from .failure import Failure, without_secrets
from .outbox import OUTBOX_KEY, DigestOutbox
from .scratch import scratch_folder
from .settings import read_settings

STOP_SIGNALS = ("SIGTERM", "SIGHUP")
SEND_STEPS = """\
DIGEST_SEND_PATH = "provider" (the sign-up provider keeps the list):
  export DIGEST_PROVIDER_API_KEY=...       # never in a file of the site
  send --dry-run                           # what would be created
  send                                     # the issue becomes a draft campaign
  send --schedule "2026-11-23 08:00"       # or a scheduled one (site time)
  A second run updates the same draft (or reports what it became): never two.

DIGEST_SEND_PATH = "smtp" (you keep the list in a git-ignored CSV):
  export DIGEST_SMTP_PASSWORD=... DIGEST_UNSUBSCRIBE_SECRET=... DIGEST_IMAP_PASSWORD=...
  send --recipients subscribers.csv --dry-run
  send --recipients subscribers.csv
  Reads the unsubscribe mailbox first, never mails a suppressed address, and after
  a crash or a refusal sends only to those still waiting when run again.
"""


def add_command(subparsers):
    """The digest's three commands."""
    digest = subparsers.add_parser(
        "digest",
        help="build the newsletter issues, or send one",
        description="Build every newsletter issue into output/newsletter/, or send one "
        "issue (--send: the same as the send command).",
    )
    _period_arguments(digest)
    digest.add_argument("-o", "--output", help="output folder (default: OUTPUT_PATH)")
    digest.add_argument("--send", action="store_true", help="send the issue")
    _send_arguments(digest)
    digest.set_defaults(run=run, command=_digest)
    send = subparsers.add_parser(
        "send",
        help="send one issue: a provider campaign, or over SMTP",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Send one newsletter issue (the newest by default), at most once "
        "per recipient.\n\n" + SEND_STEPS,
    )
    _period_arguments(send)
    _send_arguments(send)
    send.set_defaults(run=run, command=_digest, send=True, output=None)
    mailbox = subparsers.add_parser(
        "unsubscribes",
        help="read unsubscribe requests into the suppression list",
        description="Read the unsubscribe requests in the mailbox of "
        "DIGEST_UNSUBSCRIBE_ADDRESS (IMAP) and suppress every address "
        "whose request carries its token; or --add addresses by hand.",
    )
    mailbox.add_argument("-s", "--settings", default="pelicanconf.py")
    mailbox.add_argument(
        "--recipients",
        help="the subscriber CSV the tokens were made for (needed to read the mailbox)",
    )
    mailbox.add_argument(
        "--add",
        nargs="+",
        metavar="ADDRESS",
        help="suppress these addresses (a request that came another way)",
    )
    mailbox.add_argument("--debug", action="store_true", help="show tracebacks")
    mailbox.set_defaults(run=run, command=_unsubscribes)


def _period_arguments(parser):
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument(
        "--date",
        help="reference date YYYY-MM-DD: the issue is the "
        "last full week (Monday to Sunday) before it (default: the "
        "week of the newest post or episode)",
    )
    parser.add_argument("--since", help="first day of a custom period (YYYY-MM-DD)")
    parser.add_argument("--until", help="day after the custom period (exclusive)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def _send_arguments(parser):
    parser.add_argument(
        "--recipients",
        help="smtp path: the subscriber CSV (an email "
        "column, and name); it must be git-ignored",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show who would get what; send nothing"
    )
    parser.add_argument("--state", help="send state file (default: DIGEST_STATE_FILE)")
    parser.add_argument(
        "--resend-unknown",
        action="store_true",
        help="smtp path: also send to recipients whose earlier "
        "delivery is unknown (after checking the server's log)",
    )
    parser.add_argument(
        "--schedule",
        metavar="WHEN",
        help="provider path: schedule the campaign, e.g. "
        '"2026-11-23 08:00" (site time zone)',
    )
    parser.add_argument(
        "--new-campaign",
        action="store_true",
        help="provider path: make another campaign even though one "
        "is recorded for this issue",
    )


def run(args) -> int:
    stopped_by = {}  # the signal that stopped us, if one did
    with _signals_as_interrupts(stopped_by):
        try:
            return _run(args)
        except KeyboardInterrupt:
            print(
                "[newsletter] interrupted: run the same command again; recipients "
                "already served are skipped",
                file=sys.stderr,
            )
            return 128 + stopped_by.get("signal", signal.SIGINT)
        except Exception as error:  # a bug must still be one line, not a traceback
            if args.debug:
                raise
            print(
                f"[newsletter] {error.__class__.__name__}: {without_secrets(error)} "
                "(rerun with --debug for a traceback)",
                file=sys.stderr,
            )
            return 1


@contextmanager
def _signals_as_interrupts(stopped_by: dict):
    """SIGTERM and SIGHUP raise KeyboardInterrupt, as SIGINT does, so every finally
    clause runs (temporary folder, SMTP session, locks); the old handlers come back
    afterwards (tests run commands inside one interpreter)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number, _frame):
        stopped_by["signal"] = number
        raise KeyboardInterrupt

    numbers = [getattr(signal, name) for name in STOP_SIGNALS]
    previous = {number: signal.signal(number, stop) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _run(args) -> int:
    # soft_wrap: every message stays on one line, whatever the terminal width
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return args.command(args, out, err)
    except Failure as failure:
        err.print(f"[newsletter] {failure}", markup=False, highlight=False)
        return 1


def _digest(args, out, err) -> int:
    _check_arguments(args)
    settings_file = Path(args.settings)
    overrides = {"DIGEST_SINCE": args.since, "DIGEST_UNTIL": args.until}
    site, cfg = _read_settings(settings_file, overrides, args.debug)
    wanted = _wanted_period(args, cfg)
    sending = args.send or args.dry_run
    plan = commands.prepare(args, cfg, settings_file) if sending else None
    built = _build(args, settings_file, overrides, sending)
    now = clock.now(cfg.timezone) if sending else None
    chosen = _choose(built.issues, wanted, now)
    if chosen is None:
        out.print(
            f"[newsletter] {_nothing_chosen(wanted, built.issues, now)}"
            + ("; nothing sent" if sending else ""),
            markup=False,
        )
        return 0
    if not sending:
        folder = Path(args.output or site["OUTPUT_PATH"]) / built.cfg.path
        out.print(
            f"[newsletter] {len(built.issues)} issue(s) in {folder}/; "
            f'{chosen.issue_id}: {chosen.count} item(s), "{chosen.subject}"',
            markup=False,
        )
        return 0
    return commands.send(args, built, chosen, plan, out, err)


def _unsubscribes(args, out, err) -> int:
    settings_file = Path(args.settings)
    _site, cfg = _read_settings(settings_file, {}, args.debug)
    return commands.unsubscribes(args, cfg, settings_file, out, err)


def _check_arguments(args):
    if bool(args.since) != bool(args.until):
        raise Failure("--since and --until go together")
    if (args.since or args.until) and args.date:
        raise Failure("use either --date or --since/--until")


def _read_settings(settings_file, overrides, debug):
    """(Pelican's settings, the digest's), read as the build will read them."""
    if not settings_file.is_file():
        raise Failure(f"{settings_file}: settings file not found")
    try:
        site = read_pelican_settings(
            str(settings_file),
            override={**overrides, SETTINGS_FILE_KEY: str(settings_file)},
        )
        return site, read_settings(site)
    except ContentError as error:
        raise Failure(str(error)) from None
    except Exception as error:  # a settings file that does not even run
        if debug:
            raise
        raise Failure(
            f"{settings_file}: {error.__class__.__name__}: {without_secrets(error)}"
        ) from None


def _wanted_period(args, cfg):
    """The period the command line asks for; None means the latest issue."""
    try:
        if args.date:
            return periods.last_full_week_before(
                periods.parse_day(args.date, "--date"), cfg.timezone
            )
        return periods.requested(args.since, args.until, cfg.timezone)
    except ValueError as error:
        raise Failure(str(error)) from None


def _build(args, settings_file, overrides, sending) -> DigestOutbox:
    """Build the site in this process; its issues come back in the outbox."""
    outbox = DigestOutbox()
    with scratch_folder() if sending else nullcontext() as scratch:
        target = Path(scratch) / "output" if sending else args.output
        status = runner.build(
            str(settings_file),
            target,
            debug=args.debug,
            overrides={**overrides, OUTBOX_KEY: outbox},
        )
    if status == 130:
        raise KeyboardInterrupt  # the build was interrupted and said so
    if status != 0:
        raise Failure(
            "the site does not build: fix the errors above"
            + ("; nothing was sent" if sending else "")
        )
    if outbox.cfg is None:
        raise Failure(
            f"{settings_file}: the build made no newsletter (add "
            "gratitude_press to PLUGINS)"
        )
    return outbox


def _choose(issues, wanted, now=None):
    """The issue of the wanted period, or the newest one; None if there is none.
    With ``now`` (a send), only periods that ended by then: a week still running
    would go out without the rest of its posts."""
    if now is not None:
        issues = [issue for issue in issues if issue.period.end <= now]
    if wanted is None:
        return issues[0] if issues else None
    return next((issue for issue in issues if issue.issue_id == wanted.issue_id), None)


def _nothing_chosen(wanted, issues, now) -> str:
    if wanted is not None and now is not None and wanted.end > now:
        return f"no issue for {wanted.describe()}: that period has not ended yet"
    if wanted is None and issues and now is not None:
        return (
            f"no issue to send: the week of the newest issue ({issues[0].issue_id})"
            " has not ended yet"
        )
    what = wanted.describe() if wanted else "any week"
    return f"no issue for {what}: nothing was published in that period"
