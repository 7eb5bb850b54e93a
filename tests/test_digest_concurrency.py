"""Never twice, even when run twice; nothing left behind, whatever stops a send.

Real ``python -m gratitude_press send`` processes against a real SMTP server
(aiosmtpd on 127.0.0.1) that holds every RCPT until the test opens its gate, so the
sends are surely running at the same moment: no timing is assumed or measured.
"""

import os
import signal
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from newsletter_support import run_send, start_command
from test_digest_send import SECRET, Sink, free_port

from conftest import Site, write_settings

READERS = [f"reader{n}@example.org" for n in range(1, 11)]
WAIT = 60  # seconds before a test gives up on a process (a failure, not a timing)


class GatedSink(Sink):
    """Every RCPT waits until ``gate`` is set; ``waiting`` is set once one does, and
    ``sessions`` holds each SMTP session that reached the gate."""

    def __init__(self):
        super().__init__()
        self.gate, self.waiting = threading.Event(), threading.Event()
        self.sessions = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.sessions.add(id(session))
        self.waiting.set()
        while not self.gate.is_set():
            await _pause()
        return await super().handle_RCPT(
            server, session, envelope, address, rcpt_options
        )


async def _pause():
    import asyncio

    await asyncio.sleep(0.02)


@pytest.fixture
def gated():
    sink = GatedSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    sink.gate.set()
    controller.stop()


@pytest.fixture
def site(tmp_path, gated):
    folder = tmp_path / "site"
    site = Site(folder, template="newsletter")
    settings = write_settings(
        folder,
        site.content,
        SITEURL="https://gratitude.example",
        RELATIVE_URLS=False,
        DIGEST_SEND_PATH="smtp",
        DIGEST_SMTP_HOST="127.0.0.1",
        DIGEST_SMTP_PORT=gated.port,
        DIGEST_SMTP_SECURITY="none",
        DIGEST_SMTP_TIMEOUT=WAIT,
    )
    recipients = folder / "list.csv"
    recipients.write_text("email,name\n" + "".join(f"{a},\n" for a in READERS))
    scratch = tmp_path / "tmp"  # the sends' TMPDIR: must end up empty
    scratch.mkdir()
    return settings, recipients, scratch


def start(site_files):
    settings, recipients, scratch = site_files
    return start_command(
        ["send", "-s", settings, "--recipients", recipients],
        cwd=settings.parent,
        tmpdir=scratch,
        env={"DIGEST_UNSUBSCRIBE_SECRET": SECRET},
    )


def rerun(site_files):
    """The same send again, in this process (faster than a new one)."""
    settings, recipients, _scratch = site_files
    return run_send(
        settings, "--recipients", recipients, env={"DIGEST_UNSUBSCRIBE_SECRET": SECRET}
    )


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def leftovers(folder):
    """Files a send may leave: temporary ones, half-written state, build folders."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith(".tmp")
        or ".building-" in p.name
        or p.name.startswith("gratitude-press-send-")
    )


def test_two_sends_started_together_mail_each_reader_once(site, gated):
    first, second = start(site), start(site)
    # One holds the lock and waits at the gate; the other must give up. If
    # both reach the server, both would mail everyone once the gate opens.
    wait_for(
        lambda: (
            first.poll() is not None
            or second.poll() is not None
            or len(gated.sessions) == 2
        ),
        "one of the two sends to stop",
    )
    gated.gate.set()
    results = [process.communicate(timeout=WAIT) for process in (first, second)]
    for address in READERS:
        assert gated.count(address) == 1, f"{address} got {gated.count(address)}"
    codes = sorted((first.returncode, second.returncode))
    assert codes == [0, 1], results
    loser = next(
        r for r, p in zip(results, (first, second), strict=True) if p.returncode == 1
    )
    assert "another send of 2026-11-16 is running (process " in loser[1], loser
    assert "this run sent nothing" in loser[1]
    winner = next(
        r for r, p in zip(results, (first, second), strict=True) if p.returncode == 0
    )
    assert "sent 2026-11-16 to 10 of 10 recipient(s)" in winner[0]
    again = rerun(site)
    assert again.returncode == 0 and "10 already had 2026-11-16" in again.stdout
    assert all(gated.count(address) == 1 for address in READERS)


@pytest.mark.parametrize("stop, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_send_says_so_in_one_line_and_the_rerun_sends_the_rest(
    site, gated, stop, status
):
    settings, _recipients, scratch = site
    process = start(site)
    wait_for(gated.waiting.is_set, "the send to reach the server")
    process.send_signal(stop)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == status
    assert err.strip() == (
        "[newsletter] interrupted: run the same command again; "
        "recipients already served are skipped"
    ), err
    assert "Traceback" not in out + err
    assert not leftovers(scratch) and not leftovers(settings.parent)
    assert not list(scratch.iterdir())  # the build folder went with the send
    gated.gate.set()
    again = rerun(site)
    assert again.returncode == 0, again.stderr
    assert all(gated.count(address) == 1 for address in READERS)


def test_sigkill_during_the_build_leaves_no_copy_of_the_site(site, gated):
    settings, _recipients, scratch = site
    process = start(site)
    wait_for(lambda: any(scratch.iterdir()), "the build's temporary folder")
    process.kill()
    process.communicate(timeout=WAIT)
    assert process.returncode == -signal.SIGKILL
    # The janitor process removes it when the pipe from the killed send closes.
    wait_for(lambda: not any(scratch.iterdir()), "the temporary folder to go")
    assert not leftovers(settings.parent) and not gated.got


def test_sigkill_while_sending_leaves_no_temporary_file_and_no_stuck_lock(site, gated):
    settings, _recipients, scratch = site
    process = start(site)
    wait_for(gated.waiting.is_set, "the send to reach the server")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=WAIT)
    wait_for(lambda: not any(scratch.iterdir()), "the temporary folder to go")
    assert not leftovers(settings.parent)
    # Only the lock file stays (the kernel released the lock itself); any
    # later send removes it, even one of another issue.
    assert [p.name for p in settings.parent.glob("*.lock")] == [
        ".digest-state.json.2026-11-16.lock"
    ]
    gated.gate.set()
    other = run_send(
        site[0],
        "--recipients",
        site[1],
        "--date",
        "2026-11-09",
        env={"DIGEST_UNSUBSCRIBE_SECRET": SECRET},
    )
    assert other.returncode == 0, other.stderr
    assert not list(settings.parent.glob("*.lock"))
    gated.got.clear()  # that was another issue; now the interrupted one
    again = rerun(site)  # the kernel dropped the dead send's lock
    assert again.returncode == 0, again.stderr
    assert "sent 2026-11-16 to 10 of 10" in again.stdout
    assert all(gated.count(address) == 1 for address in READERS)
    assert not list(settings.parent.glob("*.lock"))
