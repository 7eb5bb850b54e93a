"""Who is never mailed again, and the files that keep every promise.

Bounces over real SMTP (aiosmtpd on 127.0.0.1): a permanent refusal of an address
is suppressed, a temporary one retried. The records on disk: two writers never lose
each other's changes, one issue is sent by one process at a time, progress counts
only what was sent, and a subscriber list in git is refused before anything runs.
"""

import json
import shutil
import subprocess

import pytest
from aiosmtpd.controller import Controller
from newsletter_support import renderer, run_send, run_unsubscribes
from test_digest_send import PEOPLE, SECRET, Sink, free_port, issue, settings_for

from conftest import Site, write_settings
from gratitude_press.errors import ContentError
from gratitude_press.newsletter.privacy import git_exposure
from gratitude_press.newsletter.sending import send_issue
from gratitude_press.newsletter.statefile import SENT, StateFile
from gratitude_press.newsletter.storage import Busy
from gratitude_press.newsletter.suppression import BOUNCED, Suppressions

READERS = ["reader1@example.org", "reader2@example.org", "reader3@example.org"]
ENV = {"DIGEST_UNSUBSCRIBE_SECRET": SECRET}


@pytest.fixture(scope="module")
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture
def server(smtp):
    smtp.got.clear()
    smtp.heal()
    return smtp


@pytest.fixture
def site(tmp_path, server):
    site = Site(tmp_path, template="newsletter")
    settings = write_settings(
        tmp_path,
        site.content,
        SITEURL="https://gratitude.example",
        RELATIVE_URLS=False,
        DIGEST_SEND_PATH="smtp",
        DIGEST_SMTP_HOST="127.0.0.1",
        DIGEST_SMTP_PORT=server.port,
        DIGEST_SMTP_SECURITY="none",
        DIGEST_SMTP_TIMEOUT=10,
    )
    recipients = tmp_path / "list.csv"
    recipients.write_text("email,name\n" + "".join(f"{a},\n" for a in READERS))
    return settings, recipients


def test_a_permanent_refusal_is_suppressed_and_a_temporary_one_retried(site, server):
    settings, recipients = site
    server.refuse[READERS[1]] = "550 5.1.1 no such user"
    server.refuse[READERS[2]] = "451 4.3.0 try again later"
    first = run_send(settings, "--recipients", recipients, env=ENV)
    assert first.returncode == 1
    assert (
        f"{READERS[1]}: the server refused it: 550 5.1.1 no such user (refused "
        "for good: suppressed from now on)"
    ) in first.stderr
    assert (
        f"{READERS[2]}: the server refused it: 451 4.3.0 try again later\n"
        in first.stderr
    )
    assert "1 recipient(s) still to send" in first.stderr  # the temporary one only
    server.heal()
    second = run_send(settings, "--recipients", recipients, env=ENV)
    assert second.returncode == 0, second.stderr
    assert "1 not sent: unsubscribed or refused for good" in second.stdout
    assert [to for to, _ in server.got] == [READERS[0], READERS[2]]
    suppressed = json.loads((settings.parent / ".digest-suppressed.json").read_text())
    assert suppressed["addresses"][READERS[1]]["reason"] == BOUNCED
    # the next issue is not sent to them either; one added by hand neither
    added = run_unsubscribes(settings, "--add", READERS[0])
    assert added.returncode == 0 and "1 address(es) added" in added.stdout
    older = run_send(
        settings, "--recipients", recipients, "--date", "2026-11-09", env=ENV
    )
    assert older.returncode == 0, older.stderr
    assert "2 not sent: unsubscribed or refused for good" in older.stdout
    assert [to for to, _ in server.got] == [READERS[0], READERS[2], READERS[2]]


def test_progress_counts_only_what_the_server_accepted(server, tmp_path):
    server.drop_at_rcpt.add(PEOPLE[2].email)  # the batch stops at the third
    calls = []
    cfg = settings_for(server.port)
    report = send_issue(
        issue(),
        cfg,
        renderer(cfg),
        PEOPLE,
        StateFile(tmp_path / "state.json"),
        secret=SECRET,
        progress=lambda *call: calls.append(call),
    )
    assert len(report.sent) == 2 and report.stopped
    assert calls[-1] == (2, 5, None)  # "sent 2 of 5" shows 2/5, not 5/5
    assert max(sent for sent, _total, _who in calls) == 2


def test_suppressed_addresses_are_skipped_before_connecting(server, tmp_path):
    suppressions = Suppressions(tmp_path / "suppressed.json")
    suppressions.add([(PEOPLE[0].email.upper(), BOUNCED, "550")])
    cfg = settings_for(server.port)
    report = send_issue(
        issue(),
        cfg,
        renderer(cfg),
        PEOPLE,
        StateFile(tmp_path / "state.json"),
        secret=SECRET,
        suppression=suppressions,
    )
    assert [r.email for r, _why in report.suppressed] == [PEOPLE[0].email]
    assert PEOPLE[0].email not in [to for to, _ in server.got] and len(server.got) == 4


def test_two_writers_of_one_state_file_keep_each_others_records(tmp_path):
    path = tmp_path / "state.json"
    first, second = StateFile(path), StateFile(path)  # e.g. two issues sent at once
    first.record("2026-11-16", "a@example.org", status=SENT)
    second.record("2026-11-02", "b@example.org", status=SENT)
    first.record("2026-11-16", "c@example.org", status=SENT)
    saved = json.loads(path.read_text())["issues"]
    assert set(saved["2026-11-16"]) == {"a@example.org", "c@example.org"}
    assert set(saved["2026-11-02"]) == {"b@example.org"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]  # no lock left


def test_one_process_per_issue_and_no_lock_file_left(tmp_path):
    path = tmp_path / "state.json"
    held = StateFile(path).issue_lock("2026-11-16")
    with held:
        busy = StateFile(path).issue_lock("2026-11-16")  # another open file, as
        with pytest.raises(Busy), busy:  # another process would have
            pass
        with StateFile(path).issue_lock("2026-11-02"):  # another issue is free
            pass
    assert list(tmp_path.iterdir()) == []
    with StateFile(path).issue_lock("2026-11-16"):  # free again
        pass


@pytest.mark.parametrize(
    "kind, name",
    [(StateFile, "the send state"), (Suppressions, "the suppression list")],
)
def test_an_unreadable_record_stops_everything_with_one_line(tmp_path, kind, name):
    path = tmp_path / "file.json"
    path.write_text('{"issues": [')
    with pytest.raises(ContentError) as caught:
        kind(path)
    assert str(caught.value).startswith(f"{path}: {name} is unreadable (")
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_a_subscriber_list_must_be_untracked_and_git_ignored(tmp_path, site):
    settings, _recipients = site
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    subscribers = repo / "subscribers.csv"
    subscribers.write_text("email,name\nreader1@example.org,\n")
    assert "is not git-ignored" in git_exposure(subscribers, "subscriber list")
    refused = run_send(settings, "--recipients", subscribers, "--dry-run", env=ENV)
    assert refused.returncode == 1 and refused.stderr.strip() == (
        f"[newsletter] {subscribers}: the subscriber list is not git-ignored, so one "
        "`git add .` would publish every address in it (add subscribers.csv to "
        ".gitignore)"
    )
    (repo / ".gitignore").write_text("subscribers.csv\n")
    assert git_exposure(subscribers, "subscriber list") == ""
    git("add", "-f", "subscribers.csv")
    assert "is tracked by git" in git_exposure(subscribers, "subscriber list")
    assert git_exposure(tmp_path / "elsewhere.csv", "subscriber list") == ""


def test_send_checks_before_it_builds(site, tmp_path):
    settings, recipients = site
    no_secret = run_send(settings, "--recipients", recipients)
    assert (
        no_secret.returncode == 1
        and "$DIGEST_UNSUBSCRIBE_SECRET is empty" in no_secret.stderr
        and no_secret.stderr.count("\n") == 1
    )
    short = run_send(
        settings, "--recipients", recipients, env={"DIGEST_UNSUBSCRIBE_SECRET": "short"}
    )
    assert "shorter than 16 characters" in short.stderr
    scheduled = run_send(
        settings, "--recipients", recipients, "--schedule", "2030-01-06 08:00", env=ENV
    )
    assert (
        scheduled.returncode == 1
        and "are for DIGEST_SEND_PATH = 'provider'" in scheduled.stderr
    )
    missing = run_send(settings, env=ENV)
    assert "--send needs --recipients FILE.csv" in missing.stderr
    assert not (tmp_path / "output").exists()
    bad = run_unsubscribes(settings, "--add", "not-an-address")
    assert bad.returncode == 1 and "not an email address" in bad.stderr
    unset = run_unsubscribes(settings, "--recipients", recipients, env=ENV)
    assert unset.returncode == 1 and "DIGEST_IMAP_HOST is empty" in unset.stderr
