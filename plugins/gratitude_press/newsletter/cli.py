"""``python -m gratitude_press digest``: build the issues, or send one over SMTP.

Without ``--send`` it is the site build (``make digest``): every issue lands in
``output/newsletter/``. With ``--send`` it builds into a temporary folder (the
published ``output/`` is left alone), picks the issue and sends it.
"""

import logging
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..errors import ContentError, plugin_logger
from . import period as periods
from .adapter import issues_built
from .recipients import read_recipients
from .sending import StateFile, send_issue
from .settings import read_settings

logger = plugin_logger(__name__)
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_?KEY", re.I)


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


@contextmanager
def _collect_issues():
    found = {}

    def receive(_sender, issues, cfg, renderer):
        found.update(issues=issues, cfg=cfg, renderer=renderer)

    issues_built.connect(receive, weak=False)
    try:
        yield found
    finally:
        issues_built.disconnect(receive)


def _wanted_period(args, cfg):
    """The period the command line asks for; None means the latest issue."""
    if args.since or args.until:
        return periods.custom(periods.parse_day(args.since, "--since"),
                              periods.parse_day(args.until, "--until"), cfg.timezone)
    if args.date:
        return periods.last_full_week_before(periods.parse_day(args.date, "--date"),
                                             cfg.timezone)
    return None


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
    from pelican.settings import read_settings as read_pelican_settings

    from ..build import runner

    # soft_wrap: every message stays on one line, whatever the terminal width
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if bool(args.since) != bool(args.until):
        return _fail(err, "--since and --until go together")
    if (args.since or args.until) and args.date:
        return _fail(err, "use either --date or --since/--until")
    if (args.send or args.dry_run) and not args.recipients:
        return _fail(err, "--send needs --recipients FILE.csv")
    settings_file = Path(args.settings)
    if not settings_file.is_file():
        return _fail(err, f"{settings_file}: settings file not found")
    overrides = {"DIGEST_SINCE": args.since, "DIGEST_UNTIL": args.until}
    try:
        cfg = read_settings({**read_pelican_settings(str(settings_file)), **overrides},
                            settings_file)
        wanted = _wanted_period(args, cfg)
    except ContentError as error:
        return _fail(err, str(error))
    except ValueError as error:
        return _fail(err, str(error))
    except Exception as error:  # a settings file that does not even run
        if args.debug:
            raise
        return _fail(err, f"{settings_file}: {error.__class__.__name__}: "
                     f"{_without_secrets(error)}")
    recipients = None
    if args.send or args.dry_run:
        try:
            recipients = read_recipients(args.recipients)
        except ContentError as error:
            return _fail(err, str(error))
    with _collect_issues() as built, tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "output" if recipients is not None else args.output
        status = runner.build(str(settings_file), target, debug=args.debug,
                              overrides=overrides)
        if status != 0:
            return _fail(err, "the site does not build: fix the errors above"
                         + ("; nothing was sent" if recipients is not None else ""))
        issues = built.get("issues", [])
        if wanted is not None:
            chosen = next((i for i in issues if i.issue_id == wanted.issue_id), None)
        else:
            chosen = issues[0] if issues else None
        if chosen is None:
            what = f"{wanted.describe()}" if wanted else "any week"
            out.print(f"[newsletter] no issue for {what}: nothing was published in that "
                      "period" + ("; nothing sent" if recipients is not None else ""),
                      markup=False)
            return 0
        if recipients is None:
            folder = Path(args.output or read_pelican_settings(str(settings_file))
                          ["OUTPUT_PATH"]) / cfg.path
            out.print(f"[newsletter] {len(issues)} issue(s) in {folder}/; "
                      f"{chosen.issue_id}: {chosen.count} item(s), \"{chosen.subject}\"",
                      markup=False)
            return 0
        return _send(args, cfg, built["renderer"], chosen, recipients, settings_file,
                     out, err)


def _send(args, cfg, renderer, issue, recipients, settings_file, out, err) -> int:
    password = os.environ.get(cfg.smtp_password_env) or None
    if cfg.smtp_user and not password and not args.dry_run:
        return _fail(err, f"DIGEST_SMTP_USER is set but ${cfg.smtp_password_env} is empty: "
                     "export the password in that environment variable")
    state_path = Path(args.state) if args.state else Path(cfg.state_file)
    if not state_path.is_absolute() and not args.state:
        state_path = settings_file.resolve().parent / state_path
    try:
        state = StateFile(state_path)
    except ContentError as error:
        return _fail(err, str(error))
    verb = "would send" if args.dry_run else "sending"
    out.print(f"[newsletter] {verb} {issue.issue_id} \"{issue.subject}\" "
              f"({issue.count} items) to {len(recipients)} recipient(s) via "
              f"{cfg.smtp_host}:{cfg.smtp_port}", markup=False)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, disable=args.dry_run, transient=False) as bar:
        task = bar.add_task("sending", total=len(recipients))

        def progress(index, todo, recipient):
            # those served by an earlier run count as done
            bar.update(task, completed=len(recipients) - todo + index,
                       description=recipient.email if recipient else "sending")

        try:
            report = send_issue(issue, cfg, renderer, recipients, state, password=password,
                                resend_unknown=args.resend_unknown, dry_run=args.dry_run,
                                progress=progress, say=lambda line: out.print(
                                    f"[newsletter] {line}", markup=False))
        except ContentError as error:
            return _fail(err, str(error))
    return _summary(report, out, err, args.dry_run)


def _summary(report, out, err, dry_run) -> int:
    say = lambda text: out.print(f"[newsletter] {text}", markup=False)  # noqa: E731
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
