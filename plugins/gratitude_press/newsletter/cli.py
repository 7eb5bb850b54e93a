"""``python -m gratitude_press digest``: build the issues, or send one over SMTP.

Without ``--send`` it is the site build (``make digest``): every issue lands in
``output/newsletter/``. With ``--send`` it builds into a temporary folder (the
published ``output/`` is left alone), picks the issue and sends it. The build runs in
this process and hands its issues back through a ``DigestOutbox`` (``outbox.py``).
"""

import os
import re
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

from pelican.settings import read_settings as read_pelican_settings
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..build import runner
from ..errors import ContentError
from ..settings import SETTINGS_FILE_KEY
from . import period as periods
from .outbox import OUTBOX_KEY, DigestOutbox
from .recipients import read_recipients
from .sending import StateFile, send_issue
from .settings import read_settings

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_?KEY", re.I)


class Failure(Exception):
    """A problem the command reports as one line before it exits with status 1."""


def add_command(subparsers):
    parser = subparsers.add_parser(
        "digest", help="build the newsletter issues, or send one over SMTP",
        description="Build every newsletter issue into output/newsletter/, or send one "
                    "issue to a recipient list (at most once per recipient).")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", help="output folder (default: OUTPUT_PATH)")
    parser.add_argument("--date", help="reference date YYYY-MM-DD: the issue is the last "
                        "full week (Monday to Sunday) before it (default: the week of "
                        "the newest post or episode)")
    parser.add_argument("--since", help="first day of a custom period (YYYY-MM-DD)")
    parser.add_argument("--until", help="day after the custom period (exclusive)")
    parser.add_argument("--send", action="store_true", help="send the issue over SMTP")
    parser.add_argument("--recipients", help="CSV file with an email column (and name)")
    parser.add_argument("--dry-run", action="store_true",
                        help="with --send: show who would get what, send nothing")
    parser.add_argument("--state", help="send state file (default: DIGEST_STATE_FILE)")
    parser.add_argument("--resend-unknown", action="store_true",
                        help="also send to recipients whose earlier delivery is unknown")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(run=run)


def _fail(console, message) -> int:
    console.print(f"[newsletter] {message}", markup=False, highlight=False)
    return 1


def run(args) -> int:
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("[newsletter] interrupted: run the same command again; recipients already "
              "served are skipped", file=sys.stderr)
        return 130
    except Exception as error:  # a bug must still be one line, not a traceback
        if args.debug:
            raise
        print(f"[newsletter] {error.__class__.__name__}: {_without_secrets(error)} (rerun "
              "with --debug for a traceback)", file=sys.stderr)
        return 1


def _without_secrets(text) -> str:
    """An unexpected error could quote anything: hide every secret-looking variable."""
    text = str(text)
    for name, value in os.environ.items():
        if SECRET_NAME.search(name) and len(value) >= 4:
            text = text.replace(value, "***")
    return text


def _run(args) -> int:
    # soft_wrap: every message stays on one line, whatever the terminal width
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return _digest(args, out, err)
    except Failure as failure:
        return _fail(err, str(failure))


def _digest(args, out, err) -> int:
    _check_arguments(args)
    settings_file = Path(args.settings)
    overrides = {"DIGEST_SINCE": args.since, "DIGEST_UNTIL": args.until}
    site, cfg = _read_settings(settings_file, overrides, args.debug)
    wanted = _wanted_period(args, cfg)
    recipients = _recipients(args)
    sending = recipients is not None
    built = _build(args, settings_file, overrides, sending)
    chosen = _choose(built.issues, wanted)
    if chosen is None:
        what = wanted.describe() if wanted else "any week"
        out.print(f"[newsletter] no issue for {what}: nothing was published in that "
                  "period" + ("; nothing sent" if sending else ""), markup=False)
        return 0
    if not sending:
        folder = Path(args.output or site["OUTPUT_PATH"]) / built.cfg.path
        out.print(f"[newsletter] {len(built.issues)} issue(s) in {folder}/; "
                  f"{chosen.issue_id}: {chosen.count} item(s), \"{chosen.subject}\"",
                  markup=False)
        return 0
    return _send(args, built, chosen, recipients, settings_file, out, err)


def _check_arguments(args):
    if bool(args.since) != bool(args.until):
        raise Failure("--since and --until go together")
    if (args.since or args.until) and args.date:
        raise Failure("use either --date or --since/--until")
    if (args.send or args.dry_run) and not args.recipients:
        raise Failure("--send needs --recipients FILE.csv")


def _read_settings(settings_file, overrides, debug):
    """(Pelican's settings, the digest's), read as the build will read them."""
    if not settings_file.is_file():
        raise Failure(f"{settings_file}: settings file not found")
    try:
        site = read_pelican_settings(str(settings_file), override={
            **overrides, SETTINGS_FILE_KEY: str(settings_file)})
        return site, read_settings(site)
    except ContentError as error:
        raise Failure(str(error)) from None
    except Exception as error:  # a settings file that does not even run
        if debug:
            raise
        raise Failure(f"{settings_file}: {error.__class__.__name__}: "
                      f"{_without_secrets(error)}") from None


def _wanted_period(args, cfg):
    """The period the command line asks for; None means the latest issue."""
    try:
        if args.date:
            return periods.last_full_week_before(periods.parse_day(args.date, "--date"),
                                                 cfg.timezone)
        return periods.requested(args.since, args.until, cfg.timezone)
    except ValueError as error:
        raise Failure(str(error)) from None


def _recipients(args):
    """The recipient list when sending (or dry-running), else None."""
    if not (args.send or args.dry_run):
        return None
    try:
        return read_recipients(args.recipients)
    except ContentError as error:
        raise Failure(str(error)) from None


def _build(args, settings_file, overrides, sending) -> DigestOutbox:
    """Build the site in this process; its issues come back in the outbox."""
    outbox = DigestOutbox()
    with tempfile.TemporaryDirectory() if sending else nullcontext() as scratch:
        target = Path(scratch) / "output" if sending else args.output
        status = runner.build(str(settings_file), target, debug=args.debug,
                              overrides={**overrides, OUTBOX_KEY: outbox})
    if status == 130:
        raise KeyboardInterrupt  # the build was interrupted and said so
    if status != 0:
        raise Failure("the site does not build: fix the errors above"
                      + ("; nothing was sent" if sending else ""))
    if outbox.cfg is None:
        raise Failure(f"{settings_file}: the build made no newsletter (add "
                      "gratitude_press to PLUGINS)")
    return outbox


def _choose(issues, wanted):
    """The issue of the wanted period, or the newest one; None if there is none."""
    if wanted is None:
        return issues[0] if issues else None
    return next((issue for issue in issues if issue.issue_id == wanted.issue_id), None)


def _send(args, built, issue, recipients, settings_file, out, err) -> int:
    cfg = built.cfg
    password = os.environ.get(cfg.smtp_password_env) or None
    if cfg.smtp_user and not password and not args.dry_run:
        raise Failure(f"DIGEST_SMTP_USER is set but ${cfg.smtp_password_env} is empty: "
                      "export the password in that environment variable")
    try:
        state = StateFile(_state_path(args, cfg, settings_file))
    except ContentError as error:
        raise Failure(str(error)) from None
    verb = "would send" if args.dry_run else "sending"
    out.print(f"[newsletter] {verb} {issue.issue_id} \"{issue.subject}\" "
              f"({issue.count} items) to {len(recipients)} recipient(s) via "
              f"{cfg.smtp_host}:{cfg.smtp_port}", markup=False)
    report = _send_with_progress(args, built, issue, recipients, state, password, out, err)
    return _summary(report, out, err, args.dry_run)


def _state_path(args, cfg, settings_file) -> Path:
    """--state as given; else DIGEST_STATE_FILE, relative to the settings file."""
    if args.state:
        return Path(args.state)
    path = Path(cfg.state_file)
    return path if path.is_absolute() else settings_file.resolve().parent / path


def _send_with_progress(args, built, issue, recipients, state, password, out, err):
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, disable=args.dry_run, transient=False) as bar:
        task = bar.add_task("sending", total=len(recipients))

        def progress(index, todo, recipient):
            # those served by an earlier run count as done
            bar.update(task, completed=len(recipients) - todo + index,
                       description=recipient.email if recipient else "sending")

        try:
            return send_issue(issue, built.cfg, built.renderer, recipients, state,
                              password=password, resend_unknown=args.resend_unknown,
                              dry_run=args.dry_run, progress=progress,
                              say=lambda line: out.print(f"[newsletter] {line}",
                                                         markup=False))
        except ContentError as error:
            raise Failure(str(error)) from None


def _summary(report, out, err, dry_run) -> int:
    def say(text):
        out.print(f"[newsletter] {text}", markup=False)

    if report.skipped:
        say(f"{len(report.skipped)} already had {report.issue_id} (not sent again)")
    if dry_run:
        say(f"dry run: {len(report.not_attempted)} would be sent; nothing was sent")
        return 0
    if report.sent or report.failed or report.not_attempted or report.stopped:
        say(f"sent {report.issue_id} to {len(report.sent)} of {report.total} recipient(s)")
    elif not report.unknown:
        say(f"nothing left to send: all {report.total} recipient(s) already had "
            f"{report.issue_id}")
    for recipient, reason in report.failed:
        err.print(f"[newsletter] {recipient.email}: {reason}", markup=False)
    for recipient, reason in report.unknown:
        err.print(f"[newsletter] {recipient.email}: delivery unknown: {reason}; not sent "
                  "again (check the server log, then rerun with --resend-unknown if it "
                  "did not arrive)", markup=False)
    if report.stopped:
        err.print(f"[newsletter] stopped: {report.stopped}", markup=False)
    if report.failed or report.not_attempted:
        left = len(report.failed) + len(report.not_attempted)
        err.print(f"[newsletter] {left} recipient(s) still to send: run the same command "
                  "again; those already served are skipped", markup=False)
    return 0 if report.ok else 1
