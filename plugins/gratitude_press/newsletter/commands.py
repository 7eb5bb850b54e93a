"""``send`` and ``unsubscribes``: the checks before anything happens, then the work.

``prepare`` runs before the site is built, so a missing secret, a recipient list in
git or a bad ``--schedule`` costs no build and sends nothing. ``send`` then takes one
of the two paths chosen by ``DIGEST_SEND_PATH``: a provider campaign
(``campaign.py``), or our own SMTP batch (``sending.py``) after reading the
unsubscribe mailbox (``unsubscribes.py``).
"""

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..errors import ContentError
from . import unsubscribe
from .campaign import publish_campaign
from .failure import Failure
from .imap import MailboxError
from .privacy import git_exposure
from .providers import PROVIDER_CLASSES
from .recipients import EMAIL, read_recipients
from .sending import redactor, send_issue
from .statefile import StateFile
from .storage import remove_stale_locks
from .suppression import BY_HAND, Suppressions
from .unsubscribes import known_tokens, read_unsubscribes


@dataclass(frozen=True)
class Plan:
    """What a send needs, checked before the build: files, secrets, options."""

    cfg: object
    state_path: Path
    suppression_path: Path
    recipients: list | None  # the smtp path's list
    secret: str = ""  # unsubscribe tokens (smtp path)
    password: str | None = None  # SMTP
    imap_password: str | None = None
    key: str = ""  # the provider's API key
    schedule: dt.datetime | None = None


def beside(settings_file: Path, name: str) -> Path:
    """A path from settings: as written if absolute, else next to the settings file."""
    path = Path(name)
    return path if path.is_absolute() else settings_file.resolve().parent / path


def _env(name: str) -> str:
    return os.environ.get(name) or ""


def prepare(args, cfg, settings_file: Path) -> Plan:
    state = Path(args.state) if args.state else beside(settings_file, cfg.state_file)
    suppression = beside(settings_file, cfg.suppression_file)
    if cfg.send_path == "provider":
        return _provider_plan(args, cfg, state, suppression)
    return _smtp_plan(args, cfg, state, suppression)


def _provider_plan(args, cfg, state, suppression) -> Plan:
    label = PROVIDER_CLASSES[cfg.provider.name].label
    if args.recipients:
        raise Failure(
            f"DIGEST_SEND_PATH is 'provider': {label} keeps the list, so "
            "there is no --recipients (set DIGEST_SEND_PATH = 'smtp' to mail "
            "a CSV yourself)"
        )
    if args.resend_unknown:
        raise Failure(
            "--resend-unknown is for DIGEST_SEND_PATH = 'smtp'; with a "
            "provider, --new-campaign makes another campaign"
        )
    key = _env(cfg.provider.key_env)
    if not key and not args.dry_run:
        raise Failure(
            f"${cfg.provider.key_env} is empty: export your {label} API key "
            "in it (DIGEST_PROVIDER_KEY_ENV names that variable)"
        )
    return Plan(
        cfg,
        state,
        suppression,
        None,
        key=key,
        schedule=_schedule(args.schedule, cfg.timezone),
    )


def _smtp_plan(args, cfg, state, suppression) -> Plan:
    if not args.recipients:
        raise Failure(
            "--send needs --recipients FILE.csv (DIGEST_SEND_PATH is 'smtp': "
            "you keep the list, in a git-ignored CSV)"
        )
    if args.schedule or args.new_campaign:
        raise Failure(
            "--schedule and --new-campaign are for DIGEST_SEND_PATH = "
            "'provider'; over SMTP, run send when the issue should go out"
        )
    try:
        recipients = read_recipients(args.recipients)
    except ContentError as error:
        raise Failure(str(error)) from None
    _check_private(Path(args.recipients), "subscriber list")
    _check_private(suppression, "suppression list")
    _check_private(state, "send state")
    secret = _env(cfg.unsubscribe_secret_env)
    problem = unsubscribe.secret_problem(secret, cfg.unsubscribe_secret_env)
    if problem:
        raise Failure(problem)
    password = _env(cfg.smtp_password_env) or None
    if cfg.smtp_user and not password and not args.dry_run:
        raise Failure(
            f"DIGEST_SMTP_USER is set but ${cfg.smtp_password_env} is empty: "
            "export the password in that environment variable"
        )
    imap_password = _env(cfg.imap.password_env) if cfg.imap else None
    if cfg.imap and not imap_password and not args.dry_run:
        raise Failure(
            f"DIGEST_IMAP_HOST is set but ${cfg.imap.password_env} is empty: "
            "export the unsubscribe mailbox's password in it"
        )
    return Plan(cfg, state, suppression, recipients, secret, password, imap_password)


def _check_private(path: Path, what: str):
    exposure = git_exposure(path, what)
    if exposure:
        raise Failure(exposure)


def _schedule(text, timezone) -> dt.datetime | None:
    """--schedule "2026-11-23 08:00" (site time, or with an offset), in the future."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise Failure(
            f"--schedule {text!r}: not a date and time; write it as "
            '"2026-11-23 08:00" (site time) or with an offset'
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    if moment <= dt.datetime.now(dt.UTC):
        raise Failure(f"--schedule {text!r} is in the past")
    return moment


# --- send -----------------------------------------------------------------------
def send(args, built, issue, plan: Plan, out, err) -> int:
    def say(text, ok=True):
        (out if ok else err).print(f"[newsletter] {text}", markup=False)

    remove_stale_locks(plan.state_path)
    if plan.recipients is None:
        result = publish_campaign(
            issue,
            built.cfg,
            built.renderer,
            _open(StateFile, plan.state_path),
            plan.key,
            schedule=plan.schedule,
            new_campaign=args.new_campaign,
            dry_run=args.dry_run,
        )
        say(result.line, result.ok)
        return 0 if result.ok else 1
    suppressions = _open(Suppressions, plan.suppression_path)
    state = _open(StateFile, plan.state_path)
    if not args.dry_run:
        _read_mailbox(plan, suppressions, say)
    cfg = built.cfg
    verb = "would send" if args.dry_run else "sending"
    say(
        f'{verb} {issue.issue_id} "{issue.subject}" ({issue.count} items) to '
        f"{len(plan.recipients)} recipient(s) via {cfg.smtp_host}:{cfg.smtp_port}"
    )
    report = _send_with_progress(
        args, built, issue, plan, state, suppressions, say, err
    )
    return _summary(report, say, args.dry_run)


def _open(kind, path):
    try:
        return kind(path)
    except ContentError as error:
        raise Failure(str(error)) from None


def _read_mailbox(plan, suppressions, say):
    """Unsubscribe requests first: an address that asked is never mailed again."""
    imap = plan.cfg.imap
    if imap is None:
        say(
            "unsubscribe requests are not read (DIGEST_IMAP_HOST is empty): add them "
            "by hand with: python -m gratitude_press unsubscribes --add ADDRESS"
        )
        return
    try:
        outcome = read_unsubscribes(
            imap,
            plan.imap_password,
            plan.secret,
            suppressions,
            known_tokens(plan.secret, plan.recipients),
            redactor(plan.imap_password, plan.secret),
        )
    except MailboxError as error:
        raise Failure(
            f"{error}; nothing was sent (an unsubscribe request may be waiting there)"
        ) from None
    _report_requests(outcome, say)


def _report_requests(outcome, say):
    for address in outcome.added:
        say(f"unsubscribed {address} (their request was in the unsubscribe mailbox)")
    for verdict in outcome.ignored:
        say(f"ignored a request from {verdict.sender}: {verdict.reason}", ok=False)
    if outcome.read:
        say(
            f"{outcome.read} unsubscribe request(s) read: {len(outcome.added)} added "
            f"to the suppression list, {len(outcome.ignored)} ignored"
        )


def _send_with_progress(args, built, issue, plan, state, suppressions, say, err):
    # A bar only on a terminal: in cron mail and logs it would be noise.
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        disable=args.dry_run or not err.is_terminal,
    ) as bar:
        task = bar.add_task("sending", total=None)

        def progress(sent, to_send, recipient):
            # counts what the server accepted in this run, of what this run sends
            bar.update(
                task,
                total=to_send,
                completed=sent,
                description=recipient.email if recipient else "sent",
            )

        try:
            return send_issue(
                issue,
                built.cfg,
                built.renderer,
                plan.recipients,
                state,
                secret=plan.secret,
                password=plan.password,
                suppression=suppressions,
                resend_unknown=args.resend_unknown,
                dry_run=args.dry_run,
                progress=progress,
                say=say,
            )
        except ContentError as error:
            raise Failure(str(error)) from None


def _summary(report, say, dry_run) -> int:
    if report.busy:
        say(report.stopped, ok=False)
        return 1
    if report.skipped:
        say(f"{len(report.skipped)} already had {report.issue_id} (not sent again)")
    if report.suppressed:
        say(
            f"{len(report.suppressed)} not sent: unsubscribed or refused for good "
            "earlier (the suppression list)"
        )
    if dry_run:
        say(f"dry run: {len(report.not_attempted)} would be sent; nothing was sent")
        return 0
    if report.sent or report.failed or report.not_attempted or report.stopped:
        say(
            f"sent {report.issue_id} to {len(report.sent)} of {report.total} "
            "recipient(s)"
        )
    elif not report.unknown:
        say(
            f"nothing left to send: all {report.total} recipient(s) already had "
            f"{report.issue_id} or are suppressed"
        )
    _problems(report, say)
    return 0 if report.ok else 1


def _problems(report, say):
    suppressed_now = {recipient.key for recipient in report.newly_suppressed}
    for recipient, reason in report.failed:
        later = (
            " (refused for good: suppressed from now on)"
            if recipient.key in suppressed_now
            else ""
        )
        say(f"{recipient.email}: {reason}{later}", ok=False)
    for recipient, reason in report.unknown:
        say(
            f"{recipient.email}: delivery unknown: {reason}; not sent again (check the "
            "server log, then rerun with --resend-unknown if it did not arrive)",
            ok=False,
        )
    if report.stopped:
        say(f"stopped: {report.stopped}", ok=False)
    left = len([r for r, _ in report.failed if r.key not in suppressed_now]) + len(
        report.not_attempted
    )
    if left:
        say(
            f"{left} recipient(s) still to send: run the same command again; those "
            "already served are skipped",
            ok=False,
        )


# --- unsubscribes ---------------------------------------------------------------------
def unsubscribes(args, cfg, settings_file: Path, out, err) -> int:
    def say(text, ok=True):
        (out if ok else err).print(f"[newsletter] {text}", markup=False)

    path = beside(settings_file, cfg.suppression_file)
    _check_private(path, "suppression list")
    suppressions = _open(Suppressions, path)
    if args.add:
        return _add_by_hand(args.add, suppressions, say)
    if cfg.imap is None:
        raise Failure(
            "DIGEST_IMAP_HOST is empty: set the IMAP server of "
            f"{cfg.unsubscribe_address} in the settings, or add addresses "
            "by hand with --add ADDRESS"
        )
    if not args.recipients:
        # Each request is judged once: without the list, one sent from an alias
        # could not be matched to its subscriber, and would be lost.
        raise Failure(
            "unsubscribes needs --recipients FILE.csv, the list the tokens "
            "were made for"
        )
    recipients = _open(read_recipients, args.recipients)
    _check_private(Path(args.recipients), "subscriber list")
    secret, password = _env(cfg.unsubscribe_secret_env), _env(cfg.imap.password_env)
    problem = unsubscribe.secret_problem(secret, cfg.unsubscribe_secret_env)
    if problem or not password:
        raise Failure(
            problem
            or f"${cfg.imap.password_env} is empty: export the "
            "unsubscribe mailbox's password in it"
        )
    known = known_tokens(secret, recipients)
    try:
        outcome = read_unsubscribes(
            cfg.imap, password, secret, suppressions, known, redactor(password, secret)
        )
    except MailboxError as error:
        raise Failure(str(error)) from None
    _report_requests(outcome, say)
    if not outcome.read:
        say(f"no new unsubscribe request in {cfg.imap.folder} of {cfg.imap.user}")
    return 0


def _add_by_hand(addresses, suppressions, say) -> int:
    for address in addresses:
        if not EMAIL.match(address):
            raise Failure(f"--add {address!r}: not an email address")
    added = suppressions.add(
        [(address, BY_HAND, "added by hand") for address in addresses]
    )
    say(
        f"{len(added)} address(es) added to {suppressions.path}; "
        f"{len(addresses) - len(added)} were already there"
    )
    return 0
