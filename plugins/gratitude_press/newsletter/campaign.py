"""The provider path: the issue becomes one campaign at the provider, never two.

The campaign's id goes in the state file the moment the provider gives it, under the
issue's lock. A later run finds it and updates that draft (or reports what the
campaign became); it creates another only when told to (``--new-campaign``). A
create request that got no answer is recorded as ``creating``: the provider may have
made the campaign, so the next run asks a human to check instead of guessing.
"""

import datetime as dt
import time
from dataclasses import dataclass

from .api import LOST, ApiError, Client
from .providers import DRAFT, PROVIDER_CLASSES, SCHEDULED, KeyProblem
from .render import list_links, provider_payload
from .sending import redactor
from .storage import Busy

CREATING = "creating"


@dataclass(frozen=True)
class Result:
    ok: bool
    line: str


@dataclass(frozen=True)
class Job:
    """One issue on its way to one provider."""

    issue: object
    provider: object
    client: Client
    state: object
    payload: dict
    schedule: dt.datetime | None

    @property
    def name(self) -> str:
        return self.provider.label

    def remember(self, fields):
        self.state.record_campaign(
            self.issue.issue_id, self.provider.label.lower(), fields
        )

    def known(self) -> dict:
        return self.state.campaign(self.issue.issue_id, self.provider.label.lower())


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _when(schedule) -> str:
    return schedule.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def publish_campaign(
    issue,
    cfg,
    renderer,
    state,
    key,
    *,
    schedule=None,
    new_campaign=False,
    dry_run=False,
    sleep=time.sleep,
) -> Result:
    """Create (or update) the issue's campaign at ``cfg.provider``; one line."""
    settings = cfg.provider
    try:
        provider = PROVIDER_CLASSES[settings.name](settings, key or "")
    except KeyProblem as problem:
        return Result(False, f"${settings.key_env}: {problem}")
    problem = provider.schedule_problem(schedule) if schedule else ""
    if problem:
        return Result(False, f"--schedule {_when(schedule)}: {problem}")
    layout = renderer.fit(issue, list_links(cfg, renderer, issue))
    payload = provider_payload(settings.name, issue, cfg, renderer, layout)
    kind = f"scheduled for {_when(schedule)}" if schedule else "draft"
    if dry_run:
        return Result(
            True,
            f'dry run: would make {issue.issue_id} "{issue.subject}" '
            f"a {provider.label} {kind} campaign at "
            f"{provider.base_url}; nothing was sent",
        )
    client = Client(
        provider.base_url,
        provider.headers,
        provider.label,
        settings.timeout,
        redactor(key),
        sleep,
    )
    job = Job(issue, provider, client, state, payload, schedule)
    try:
        with state.issue_lock(issue.issue_id):
            state.refresh()
            return _publish_locked(job, new_campaign)
    except Busy as busy:
        holder = f" (process {busy.holder})" if busy.holder else ""
        return Result(
            False,
            f"another send of {issue.issue_id} is running{holder}: "
            "this run did nothing",
        )


def _publish_locked(job, new_campaign) -> Result:
    known = job.known()
    if new_campaign or not known:
        return _create(job)
    if known.get("status") == CREATING:
        return Result(
            False,
            f"an earlier run asked {job.name} to create the "
            f"campaign of {job.issue.issue_id} and got no answer: it "
            f"may exist. Look in {job.name}; if it is not there, run "
            "again with --new-campaign",
        )
    return _existing(job, known["id"])


def _create(job) -> Result:
    job.remember({"status": CREATING, "at": _now()})
    try:
        campaign_id = job.provider.create(job.client, job.payload, job.schedule)
    except ApiError as error:
        if error.outcome == LOST:  # it may exist: stays "creating"
            return Result(
                False,
                f"{error}: the campaign may have been created; look "
                f"in {job.name} before running again with "
                "--new-campaign",
            )
        job.remember(None)
        return Result(False, f"{error}; no campaign was created")
    status = SCHEDULED if job.schedule else DRAFT
    job.remember({"id": campaign_id, "status": status, "at": _now()})
    try:
        job.provider.fill(job.client, campaign_id, job.payload, job.schedule)
    except ApiError as error:
        return _half_made(job, campaign_id, error)
    return Result(True, _made_line("created", job, campaign_id))


def _made_line(verb, job, campaign_id) -> str:
    issue = job.issue
    if job.schedule:
        return (
            f"{verb} {job.name} campaign {campaign_id} for {issue.issue_id} "
            f'"{issue.subject}", scheduled for {_when(job.schedule)}'
        )
    return (
        f"{verb} the {job.name} draft campaign {campaign_id} for {issue.issue_id} "
        f'"{issue.subject}": review it in {job.name} and send it from there'
    )


def _half_made(job, campaign_id, error) -> Result:
    """The campaign exists but a follow-up call was refused."""
    try:
        job.provider.discard(job.client, campaign_id)
    except ApiError:
        pass
    else:
        if job.provider.status(job.client, campaign_id) is None:
            job.remember(None)
            return Result(
                False,
                f"{error}; no campaign was left ({job.name} campaign "
                f"{campaign_id} was deleted again)",
            )
    return Result(
        False,
        f"{error}; {job.name} campaign {campaign_id} exists as a "
        "draft: fix the problem and run send again to update it",
    )


def _existing(job, campaign_id) -> Result:
    issue = job.issue
    try:
        status = job.provider.status(job.client, campaign_id)
        if status is None:
            return Result(
                False,
                f"{job.name} campaign {campaign_id} of "
                f"{issue.issue_id} no longer exists: run again with "
                "--new-campaign to create another",
            )
        if status != DRAFT:
            job.remember({"id": campaign_id, "status": status, "at": _now()})
            return Result(
                True,
                f"{job.name} campaign {campaign_id} for "
                f"{issue.issue_id} is {status}: nothing changed",
            )
        job.provider.update(job.client, campaign_id, job.payload, job.schedule)
    except ApiError as error:
        return Result(False, f"{error}; campaign {campaign_id} was not changed")
    job.remember(
        {
            "id": campaign_id,
            "status": SCHEDULED if job.schedule else DRAFT,
            "at": _now(),
        }
    )
    return Result(True, _made_line("updated", job, campaign_id))
