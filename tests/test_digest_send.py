"""Sending the digest over real SMTP (aiosmtpd on 127.0.0.1): at most once, never lost.

Faults: connection refused, a timeout, a 4xx and a 5xx for one recipient, the
connection dropped before and after a message was handed over. Each case reports
clearly, and a rerun sends to the rest only: no duplicate, no loss. Every message
carries its reader's own unsubscribe (a mailto: with an HMAC token).
"""

import asyncio
import datetime as dt
import email
import json
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from newsletter_support import TZ, config, episode, post, renderer, run_digest, story

from conftest import Site, write_settings
from gratitude_press.errors import ContentError
from gratitude_press.newsletter.model import build_issue
from gratitude_press.newsletter.period import week_of
from gratitude_press.newsletter.recipients import Recipient, read_recipients
from gratitude_press.newsletter.sending import SENDING, SENT, StateFile, send_issue
from gratitude_press.newsletter.unsubscribe import token

PASSWORD = "s3cret-Pa55word-never-printed"
SECRET = "unsubscribe-hmac-secret-for-tests"
PEOPLE = [
    Recipient(
        f"reader{n}@example.org",
        "Tomás Ökafor" if n == 4 else f"Reader {n}",
        line=n + 1,
    )
    for n in range(1, 6)
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """An SMTP server we can make misbehave for one recipient at a time."""

    def __init__(self):
        self.got = []  # (recipient, raw message bytes)
        self.refuse = {}  # address -> SMTP reply
        self.delay = {}  # address -> seconds to wait before answering RCPT
        self.drop_at_rcpt = set()
        self.drop_after_data = set()

    def heal(self):
        self.refuse, self.delay = {}, {}
        self.drop_at_rcpt, self.drop_after_data = set(), set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.delay:
            await asyncio.sleep(self.delay[address])
        if address in self.drop_at_rcpt:
            server.transport.close()
            return "250 OK"
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.got.append((address, envelope.original_content))
        if set(envelope.rcpt_tos) & self.drop_after_data:
            server.transport.close()
        return "250 2.0.0 queued"

    def count(self, address):
        return sum(1 for to, _ in self.got if to == address)


def authenticate(server, session, envelope, mechanism, auth_data):
    good = auth_data.login == b"digest" and auth_data.password == PASSWORD.encode()
    # A careless server that echoes what it got: we must still not print it.
    return AuthResult(
        success=good,
        handled=False,
        message=None
        if good
        else f"535 5.7.8 bad password {auth_data.password.decode()}",
    )


@pytest.fixture
def server():
    sink = Sink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticate,
        auth_require_tls=False,
    )
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


def settings_for(port, **extra):
    return config(
        DIGEST_SMTP_HOST="127.0.0.1",
        DIGEST_SMTP_PORT=port,
        DIGEST_SMTP_SECURITY="none",
        DIGEST_SMTP_TIMEOUT=2,
        **extra,
    )


def issue():
    entries = [
        post("The note", "2026-11-17 08:30", slug="the-note", stories=[story()]),
        episode("Trust is built in small deposits", "2026-11-18 07:00"),
    ]
    return build_issue(week_of(dt.date(2026, 11, 17), TZ), entries, config())


def send(port, state, people=PEOPLE, **options):
    cfg = settings_for(port)
    return send_issue(
        issue(), cfg, renderer(cfg), people, state, secret=SECRET, **options
    )


def assert_each_once(sink, people=PEOPLE):
    for person in people:
        assert sink.count(person.email) == 1, person.email


def test_round_trip_one_message_per_recipient_with_its_own_unsubscribe(
    server, tmp_path
):
    state = StateFile(tmp_path / "state.json")
    report = send(server.port, state)
    assert report.ok and len(report.sent) == 5
    assert_each_once(server)
    for address, raw in server.got:
        message = email.message_from_bytes(raw, policy=policy.default)
        assert [p.get_content_type() for p in message.iter_parts()] == [
            "text/plain",
            "text/html",
        ]
        assert message["Subject"] == "Gratitude Press: The week of November 16, 2026"
        assert message["To"].addresses[0].addr_spec == address
        person = next(p for p in PEOPLE if p.email == address)
        assert (
            message["To"].addresses[0].display_name == person.name
        )  # RFC 2047 round trip
        # the reply mailbox, and a token only the secret's holder can make
        unsubscribe = "mailto:rakesh@gratitude.example?subject=unsubscribe%20" + token(
            SECRET, address
        )
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
        assert message["List-Unsubscribe-Post"] is None  # no endpoint: no one-click
        text, html = (p.get_content() for p in message.iter_parts())
        assert f"Unsubscribe: {unsubscribe}" in text
        assert f'href="{unsubscribe}"' in html  # the footer's visible link
    saved = json.loads((tmp_path / "state.json").read_text())
    assert {v["status"] for v in saved["issues"]["2026-11-16"].values()} == {SENT}
    again = send(server.port, StateFile(tmp_path / "state.json"))
    assert len(again.skipped) == 5 and not again.sent
    assert_each_once(server)


@pytest.mark.parametrize(
    "reply", ["550 5.1.1 mailbox unavailable", "451 4.3.0 try again later"]
)
def test_a_refused_third_recipient_is_reported_and_a_rerun_sends_only_to_them(
    server, tmp_path, reply
):
    third = PEOPLE[2].email
    server.refuse[third] = reply
    state = StateFile(tmp_path / "state.json")
    report = send(server.port, state)
    assert [r.email for r, _ in report.failed] == [third]
    assert reply.split()[0] in report.failed[0][1] and not report.ok
    assert len(report.sent) == 4 and server.count(third) == 0
    server.heal()
    resumed = send(server.port, StateFile(tmp_path / "state.json"))
    assert [r.email for r in resumed.sent] == [third] and resumed.ok
    assert_each_once(server)


def test_connection_refused_is_one_clear_line_and_nothing_is_lost(server, tmp_path):
    closed = free_port()
    state = StateFile(tmp_path / "state.json")
    report = send(closed, state)
    assert (
        f"cannot connect to the SMTP server 127.0.0.1:{closed}: connection refused"
        in report.stopped
    )
    assert len(report.not_attempted) == 5 and not report.sent
    resumed = send(server.port, StateFile(tmp_path / "state.json"))
    assert len(resumed.sent) == 5
    assert_each_once(server)


def test_a_timeout_stops_the_batch_and_a_rerun_sends_the_rest(server, tmp_path):
    server.delay[PEOPLE[1].email] = 4  # longer than DIGEST_SMTP_TIMEOUT = 2
    report = send(server.port, StateFile(tmp_path / "state.json"))
    assert [r.email for r in report.sent] == [PEOPLE[0].email]
    assert "timed out" in report.stopped
    assert [r.email for r, _ in report.failed] == [PEOPLE[1].email]
    assert len(report.not_attempted) == 3
    server.heal()
    resumed = send(server.port, StateFile(tmp_path / "state.json"))
    assert [r.email for r in resumed.sent] == [p.email for p in PEOPLE[1:]]
    assert_each_once(server)


def test_connection_dropped_mid_batch_before_the_message(server, tmp_path):
    server.drop_at_rcpt.add(PEOPLE[2].email)
    report = send(server.port, StateFile(tmp_path / "state.json"))
    assert len(report.sent) == 2 and "connection was lost" in report.stopped
    assert len(report.not_attempted) == 2
    server.heal()
    resumed = send(server.port, StateFile(tmp_path / "state.json"))
    assert [r.email for r in resumed.sent] == [p.email for p in PEOPLE[2:]]
    assert_each_once(server)


def test_connection_dropped_after_the_message_is_never_sent_twice(server, tmp_path):
    third = PEOPLE[2].email
    server.drop_after_data.add(third)
    report = send(server.port, StateFile(tmp_path / "state.json"))
    assert [r.email for r, _ in report.unknown] == [third]
    assert "may have arrived" in report.unknown[0][1]
    assert (
        StateFile(tmp_path / "state.json").get("2026-11-16", third)["status"] == SENDING
    )
    server.heal()
    resumed = send(server.port, StateFile(tmp_path / "state.json"))
    assert [r.email for r in resumed.sent] == [p.email for p in PEOPLE[3:]]
    assert [r.email for r, _ in resumed.unknown] == [third]  # reported, not resent
    assert_each_once(server)  # the server did get it once: no duplicate, no loss


def test_dry_run_sends_nothing_and_writes_no_state(server, tmp_path):
    lines = []
    report = send(
        server.port, StateFile(tmp_path / "state.json"), dry_run=True, say=lines.append
    )
    assert len(lines) == 5 and lines[0].startswith("would send 2026-11-16 to reader1@")
    assert not server.got and not (tmp_path / "state.json").exists()
    assert len(report.not_attempted) == 5


def test_state_file_is_replaced_atomically_and_a_corrupt_one_stops_everything(tmp_path):
    path = tmp_path / "state.json"
    state = StateFile(path)
    state.record("2026-11-16", "a@example.org", status=SENT)
    assert (
        json.loads(path.read_text())["issues"]["2026-11-16"]["a@example.org"]["status"]
        == SENT
    )
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left
    path.write_text("{not json")
    with pytest.raises(ContentError, match=r"state.json: the send state is unreadable"):
        StateFile(path)


# --- recipient lists -------------------------------------------------------------------
@pytest.mark.parametrize(
    "csv_text, message",
    [
        (
            "email,name\nreader@example.org,Ann\nnot-an-email,Bob\n",
            ":3: 'not-an-email' is not an email address",
        ),
        ("name,mail\nAnn,a@example.org\n", ":1: no 'email' column in the header"),
        (
            "email,name\na@example.org,Ann\nA@example.org,Ann again\n",
            ":3: A@example.org is listed twice (first on line 2)",
        ),
        (
            "email,name\na@example.org,Ann,extra\n",
            ":2: 3 fields where the header has 2",
        ),
        ("", ":1: the recipient list is empty"),
        ("email,name\n", ":2: the recipient list has no addresses"),
    ],
)
def test_bad_recipient_lists_name_the_file_and_line(tmp_path, csv_text, message):
    path = tmp_path / "list.csv"
    path.write_text(csv_text)
    with pytest.raises(ContentError) as caught:
        read_recipients(path)
    assert str(caught.value).startswith(f"{path}{message}")


def test_recipient_list_with_bom_quotes_and_ids(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(
        '\ufeffEmail,Name,id\r\n"a@example.org","Lee, Ann",u1\r\n'
        "b@example.org,Tomás,\r\n".encode()
    )
    people = read_recipients(path)
    assert [(p.email, p.name, p.token) for p in people][0] == (
        "a@example.org",
        "Lee, Ann",
        "u1",
    )
    assert people[1].name == "Tomás" and len(people[1].token) == 20
    path.write_bytes(b"email,name\nb@example.org,\xff\n")
    with pytest.raises(ContentError, match=r"list.csv:2: invalid UTF-8 byte 0xff"):
        read_recipients(path)


# --- the command line, end to end ------------------------------------------------------
@pytest.fixture
def sending_site(tmp_path, server):
    site = Site(tmp_path, template="newsletter")
    settings = write_settings(
        tmp_path,
        site.content,
        DIGEST_SEND_PATH="smtp",
        DIGEST_SMTP_HOST="127.0.0.1",
        DIGEST_SMTP_PORT=server.port,
        DIGEST_SMTP_SECURITY="none",
        DIGEST_SMTP_USER="digest",
        DIGEST_SMTP_TIMEOUT=5,
        DIGEST_SMTP_PASSWORD_ENV="TEST_DIGEST_PASSWORD",
        DIGEST_UNSUBSCRIBE_SECRET_ENV="TEST_DIGEST_SECRET",
    )
    recipients = tmp_path / "list.csv"
    recipients.write_text(
        "email,name\n" + "".join(f"{p.email},{p.name}\n" for p in PEOPLE)
    )
    return settings, recipients


def everything_written(folder):
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_send_command_logs_in_sends_once_and_never_shows_the_password(
    sending_site, server
):
    settings, recipients = sending_site
    env = {"TEST_DIGEST_PASSWORD": PASSWORD, "TEST_DIGEST_SECRET": SECRET}
    dry = run_digest(
        settings, "--send", "--dry-run", "--recipients", str(recipients), env=env
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("would send 2026-11-16 to") == 5 and not server.got
    result = run_digest(settings, "--send", "--recipients", str(recipients), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sent 2026-11-16 to 5 of 5 recipient(s)" in result.stdout
    assert_each_once(server)
    again = run_digest(settings, "--send", "--recipients", str(recipients), env=env)
    assert (
        again.returncode == 0
        and "5 already had 2026-11-16 (not sent again)" in again.stdout
    )
    assert_each_once(server)
    state = settings.parent / ".digest-state.json"
    assert state.exists()
    assert not (settings.parent / "output").exists()  # sending leaves output/ alone
    for text in (
        dry.stdout,
        dry.stderr,
        result.stdout,
        result.stderr,
        again.stdout,
        again.stderr,
    ):
        assert PASSWORD not in text and SECRET not in text and "Traceback" not in text
    assert PASSWORD.encode() not in everything_written(settings.parent)
    assert SECRET.encode() not in everything_written(settings.parent)


def test_wrong_password_is_one_line_without_the_password(sending_site, server):
    settings, recipients = sending_site
    result = run_digest(
        settings,
        "--send",
        "--recipients",
        str(recipients),
        env={"TEST_DIGEST_PASSWORD": "wrong-" + PASSWORD, "TEST_DIGEST_SECRET": SECRET},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1 and not server.got
    assert "refused the login of 'digest': 535" in output
    assert "check the password in $TEST_DIGEST_PASSWORD" in output
    assert PASSWORD not in output and "Traceback" not in output
    assert PASSWORD.encode() not in everything_written(settings.parent)
    missing = run_digest(
        settings,
        "--send",
        "--recipients",
        str(recipients),
        env={"TEST_DIGEST_SECRET": SECRET},
    )
    assert missing.returncode == 1
    assert "$TEST_DIGEST_PASSWORD is empty" in missing.stderr


def test_send_command_one_line_errors(sending_site, server, tmp_path):
    settings, recipients = sending_site
    bad_list = tmp_path / "bad.csv"
    bad_list.write_text("email,name\nreader@example.org,Ann\nbroken,Bob\n")
    result = run_digest(settings, "--send", "--recipients", str(bad_list))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"[newsletter] {bad_list}:3: 'broken' is not an "
        "email address (write the address as name@example.org)"
    )
    bad_settings = settings.parent / "bad_settings.py"
    bad_settings.write_text(settings.read_text() + "DIGEST_SMTP_PORT = '25x'\n")
    line = len(bad_settings.read_text().splitlines())
    result = run_digest(bad_settings, "--send", "--recipients", str(recipients))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"[newsletter] {bad_settings}:{line}: DIGEST_SMTP_PORT "
        "must be a whole number >= 1, not '25x' (e.g. DIGEST_SMTP_PORT = 1)"
    )
    empty = run_digest(
        settings,
        "--send",
        "--recipients",
        str(recipients),
        "--date",
        "2026-11-16",
        env={"TEST_DIGEST_PASSWORD": PASSWORD, "TEST_DIGEST_SECRET": SECRET},
    )
    assert empty.returncode == 0
    assert (
        "no issue for 2026-11-09 to 2026-11-15: nothing was published in that period; "
        "nothing sent" in empty.stdout
    )
    assert not server.got


def test_send_command_reports_a_refusal_and_resumes(sending_site, server):
    settings, recipients = sending_site
    env = {"TEST_DIGEST_PASSWORD": PASSWORD, "TEST_DIGEST_SECRET": SECRET}
    server.refuse[PEOPLE[2].email] = "451 4.3.0 try again later"  # temporary
    first = run_digest(settings, "--send", "--recipients", str(recipients), env=env)
    assert first.returncode == 1
    assert (
        f"[newsletter] {PEOPLE[2].email}: the server refused it: 451 4.3.0 try "
        "again later" in first.stderr
    )
    assert "1 recipient(s) still to send: run the same command again" in first.stderr
    server.heal()
    second = run_digest(settings, "--send", "--recipients", str(recipients), env=env)
    assert second.returncode == 0, second.stderr
    assert "4 already had" in second.stdout
    assert_each_once(server)


class CrashingState(StateFile):
    """The process dies right after it recorded that it hands ``victim``'s message
    over, before the message leaves."""

    def __init__(self, path, victim):
        super().__init__(path)
        self.victim = victim

    def record(self, issue_id, key, **fields):
        super().record(issue_id, key, **fields)
        if key == self.victim and fields["status"] == SENDING:
            raise KeyboardInterrupt


def test_a_crash_after_handing_a_message_over_never_sends_it_twice(server, tmp_path):
    third = PEOPLE[2]
    with pytest.raises(KeyboardInterrupt):
        send(server.port, CrashingState(tmp_path / "state.json", third.key))
    assert [to for to, _ in server.got] == [p.email for p in PEOPLE[:2]]
    resumed = send(server.port, StateFile(tmp_path / "state.json"))
    assert [r.email for r in resumed.sent] == [p.email for p in PEOPLE[3:]]
    assert [r.email for r, _ in resumed.unknown] == [third.email]
    assert server.count(third.email) == 0  # it never left: a human checks and says so
    checked = send(server.port, StateFile(tmp_path / "state.json"), resend_unknown=True)
    assert [r.email for r in checked.sent] == [third.email]
    assert_each_once(server)


def test_a_server_that_never_greets_times_out_with_one_line(tmp_path):
    with socket.socket() as silent:  # accepts TCP (backlog) but never says 220
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        report = send(port, StateFile(tmp_path / "state.json"))
    assert report.stopped == (
        f"the SMTP server 127.0.0.1:{port} did not answer within 2 s "
        "(check the host, port and firewall)"
    )
    assert len(report.not_attempted) == 5 and not (tmp_path / "state.json").exists()


@pytest.mark.parametrize(
    "security, words",
    [("starttls", "does not support this"), ("ssl", "check DIGEST_SMTP_SECURITY")],
)
def test_tls_settings_against_a_plain_server_are_one_clear_line(
    server, tmp_path, security, words
):
    cfg = config(
        DIGEST_SMTP_HOST="127.0.0.1",
        DIGEST_SMTP_PORT=server.port,
        DIGEST_SMTP_SECURITY=security,
        DIGEST_SMTP_TIMEOUT=2,
    )
    report = send_issue(
        issue(),
        cfg,
        renderer(cfg),
        PEOPLE,
        StateFile(tmp_path / "s.json"),
        secret=SECRET,
    )
    assert words in report.stopped and "\n" not in report.stopped
    assert not server.got and len(report.not_attempted) == 5


def test_an_unexpected_error_is_one_line_without_secrets(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(
        "import os\nraise RuntimeError('cannot use ' + "
        "os.environ['TEST_DIGEST_PASSWORD'])\n"
    )
    result = run_digest(settings, env={"TEST_DIGEST_PASSWORD": PASSWORD})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == f"[newsletter] {settings}: RuntimeError: cannot use ***"
    )
