"""The provider path against Buttondown, Mailchimp and listmonk on 127.0.0.1.

The local services (``newsletter_support_providers``) enforce each provider's
documented contract for the calls we make, and keep the campaigns they made: so
"created once however often send runs", "bad credentials: no campaign" and "a
rejected payload: no campaign" are read off the provider's side, not ours.
"""

import datetime as dt
import json

import pytest
from newsletter_support import config, renderer, run_send
from newsletter_support_providers import (
    BUTTONDOWN_KEY,
    LISTMONK_KEY,
    MAILCHIMP_KEY,
    start_providers,
)
from test_digest_send import issue

from conftest import Site, write_settings
from gratitude_press.errors import ContentError
from gratitude_press.newsletter.campaign import publish_campaign
from gratitude_press.newsletter.statefile import StateFile
from gratitude_press.settings import SETTINGS_FILE_KEY

NAMES = ["buttondown", "mailchimp", "listmonk"]
KEYS = {
    "buttondown": BUTTONDOWN_KEY,
    "mailchimp": MAILCHIMP_KEY,
    "listmonk": LISTMONK_KEY,
}
WRONG_KEYS = {
    "buttondown": "bd-wrong",
    "mailchimp": "0000-us19",
    "listmonk": "digest-api:wrong",
}
# Each provider's own unsubscribe tag, where its campaign keeps the HTML.
UNSUBSCRIBE_TAGS = {
    "buttondown": ("body", "{{ unsubscribe_url }}"),
    "mailchimp": ("content", "*|UNSUB|*"),
    "listmonk": ("body", "{{ UnsubscribeURL }}"),
}
DRAFT = {"buttondown": "draft", "mailchimp": "save", "listmonk": "draft"}
SCHEDULED = {
    "buttondown": "scheduled",
    "mailchimp": "schedule",
    "listmonk": "scheduled",
}
SENT = {"buttondown": "sent", "mailchimp": "sent", "listmonk": "finished"}


@pytest.fixture(scope="module")
def service():
    server, providers, url = start_providers()
    yield providers, url
    server.shutdown()
    server.server_close()


@pytest.fixture
def stub(service):
    service[0].reset()
    return service


def provider_settings(name, url, **extra) -> dict:
    settings = {
        "DIGEST_SEND_PATH": "provider",
        "DIGEST_PROVIDER": name,
        "DIGEST_PROVIDER_API_URL": {
            "buttondown": f"{url}/buttondown/v1",
            "mailchimp": f"{url}/mailchimp/3.0",
            "listmonk": f"{url}/listmonk",
        }[name],
        "DIGEST_MAILCHIMP_LIST_ID": "a1b2c3d4e5",
        "DIGEST_LISTMONK_LISTS": [3],
    }
    return {**settings, **extra}


def publish(name, url, state_path, key=None, waits=None, **options):
    cfg = config(**provider_settings(name, url, **options.pop("settings", {})))
    return publish_campaign(
        issue(),
        cfg,
        renderer(cfg),
        StateFile(state_path),
        KEYS[name] if key is None else key,
        sleep=(waits if waits is not None else []).append,
        **options,
    )


def later(days=2, minute=15):
    """A moment in the future on a quarter hour (Mailchimp's rule)."""
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    return moment.replace(minute=minute, second=0, microsecond=0)


def html_of(name, campaign) -> str:
    field, _tag = UNSUBSCRIBE_TAGS[name]
    value = campaign[field]
    return value["html"] if isinstance(value, dict) else value


@pytest.mark.parametrize("name", NAMES)
def test_one_campaign_however_often_send_runs(stub, tmp_path, name):
    providers, url = stub
    state = tmp_path / "state.json"
    first = publish(name, url, state)
    assert first.ok and first.line.startswith("created the "), first.line
    [made] = providers.made(name)
    assert made["status"] == DRAFT[name]  # a draft: nothing went out
    assert UNSUBSCRIBE_TAGS[name][1] in html_of(name, made)  # the provider's own tag
    assert "gratitude.example/unsubscribe" not in json.dumps(made)
    campaign_id = str(made["id"])
    assert (
        json.loads(state.read_text())["campaigns"]["2026-11-16"][name]["id"]
        == campaign_id
    )
    for _ in range(2):
        again = publish(name, url, state)
        assert again.ok and "updated the " in again.line and campaign_id in again.line
    assert len(providers.made(name)) == 1
    made["status"] = SENT[name]  # the writer sent it from the provider's site
    calls = len(providers.calls)
    done = publish(name, url, state)
    assert (
        done.ok
        and f"campaign {campaign_id} for 2026-11-16 is sent: nothing changed"
        in done.line
    )
    assert [call[1] for call in providers.calls[calls:]] == ["GET"]  # only looked
    assert len(providers.made(name)) == 1


@pytest.mark.parametrize("name", NAMES)
def test_bad_credentials_are_one_line_and_no_campaign(stub, tmp_path, name):
    providers, url = stub
    result = publish(name, url, tmp_path / "state.json", key=WRONG_KEYS[name])
    status = "403" if name == "listmonk" else "401"  # listmonk says 403
    assert not result.ok and f" {status} " in result.line, result.line
    assert result.line.endswith("no campaign was created") and "\n" not in result.line
    assert WRONG_KEYS[name] not in result.line
    assert providers.made(name) == []
    retry = publish(name, url, tmp_path / "state.json")  # nothing half-recorded
    assert retry.ok and retry.line.startswith("created ")


@pytest.mark.parametrize(
    "name, settings, words",
    [
        (
            "buttondown",
            {},
            "400 email_duplicate: An email with this subject already exists.",
        ),
        (
            "mailchimp",
            {"DIGEST_MAILCHIMP_LIST_ID": "nosuchlist"},
            (
                "400 Invalid Resource: The resource submitted could not be validated. "
                "(recipients.list_id: The list does not exist.)"
            ),
        ),
        (
            "listmonk",
            {"DIGEST_LISTMONK_LISTS": [99]},
            "422 one or more lists were not found",
        ),
    ],
)
def test_a_rejected_payload_is_one_line_and_no_campaign(
    stub, tmp_path, name, settings, words
):
    providers, url = stub
    if name == "buttondown":  # a draft with this subject was made by hand
        providers.campaigns["buttondown"]["x"] = {
            "id": "x",
            "status": "draft",
            "body": "",
            "subject": "Gratitude Press: The week of November 16, 2026",
        }
    before = len(providers.made(name))
    result = publish(name, url, tmp_path / "state.json", settings=settings)
    assert not result.ok and words in result.line, result.line
    assert result.line.endswith("; no campaign was created")
    assert len(providers.made(name)) == before
    assert (
        "campaigns" not in json.loads((tmp_path / "state.json").read_text())
        or not json.loads((tmp_path / "state.json").read_text())["campaigns"][
            "2026-11-16"
        ]
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_429_is_retried_after_its_retry_after(stub, tmp_path, name):
    providers, url = stub
    providers.throttle = 1
    waits = []
    result = publish(name, url, tmp_path / "state.json", waits=waits)
    assert result.ok, result.line
    assert waits == [1.0]  # the server's Retry-After, honoured once
    assert len(providers.made(name)) == 1
    assert providers.calls[0][1:] == providers.calls[1][1:]  # the same request again


@pytest.mark.parametrize("name", NAMES)
def test_a_scheduled_campaign(stub, tmp_path, name):
    providers, url = stub
    when = later()
    result = publish(name, url, tmp_path / "state.json", schedule=when)
    assert result.ok and "scheduled for " in result.line, result.line
    [made] = providers.made(name)
    assert made["status"] == SCHEDULED[name]
    again = publish(name, url, tmp_path / "state.json", schedule=when)
    assert again.ok and "is scheduled: nothing changed" in again.line
    assert len(providers.made(name)) == 1


def test_mailchimp_schedules_only_on_quarter_hours_checked_before_any_call(
    stub, tmp_path
):
    providers, url = stub
    result = publish(
        "mailchimp", url, tmp_path / "state.json", schedule=later(minute=7)
    )
    assert not result.ok and "only at :00, :15, :30 or :45" in result.line
    assert providers.calls == []


def test_a_create_without_an_answer_is_never_repeated_blindly(stub, tmp_path):
    providers, url = stub
    state = tmp_path / "state.json"
    providers.drop_next_create = True
    lost = publish("buttondown", url, state)
    assert not lost.ok and "the campaign may have been created" in lost.line
    assert len(providers.made("buttondown")) == 1  # it was, in fact
    again = publish("buttondown", url, state)
    assert not again.ok and "got no answer: it may exist" in again.line
    assert len(providers.made("buttondown")) == 1
    providers.campaigns["buttondown"].clear()  # a human looked, and deleted it
    fresh = publish("buttondown", url, state, new_campaign=True)
    assert fresh.ok and len(providers.made("buttondown")) == 1


def test_mailchimp_content_refused_leaves_no_half_made_campaign(stub, tmp_path):
    providers, url = stub
    providers.refuse_content = True
    result = publish("mailchimp", url, tmp_path / "state.json")
    assert not result.ok and "could not be parsed" in result.line
    assert "no campaign was left" in result.line
    assert providers.made("mailchimp") == []
    providers.refuse_content = False
    assert publish("mailchimp", url, tmp_path / "state.json").ok


def test_a_campaign_deleted_at_the_provider_is_reported_not_recreated(stub, tmp_path):
    providers, url = stub
    assert publish("listmonk", url, tmp_path / "state.json").ok
    providers.campaigns["listmonk"].clear()
    result = publish("listmonk", url, tmp_path / "state.json")
    assert (
        not result.ok
        and "no longer exists: run again with --new-campaign" in result.line
    )
    assert providers.made("listmonk") == []


def test_dry_run_calls_nothing(stub, tmp_path):
    providers, url = stub
    result = publish("buttondown", url, tmp_path / "state.json", dry_run=True)
    assert result.ok and result.line.startswith("dry run: would make 2026-11-16")
    assert providers.calls == [] and not (tmp_path / "state.json").exists()


# --- the command line -----------------------------------------------------------------
@pytest.fixture
def provider_site(tmp_path, stub):
    site = Site(tmp_path, template="newsletter")
    settings = write_settings(
        tmp_path,
        site.content,
        **provider_settings(
            "buttondown", stub[1], DIGEST_PROVIDER_KEY_ENV="TEST_BUTTONDOWN_KEY"
        ),
    )
    return settings


def test_send_command_makes_one_draft_and_reports_it_in_one_line(provider_site, stub):
    providers, _url = stub
    env = {"TEST_BUTTONDOWN_KEY": BUTTONDOWN_KEY}
    first = run_send(provider_site, env=env)
    assert first.returncode == 0, first.stderr
    assert "[newsletter] created the Buttondown draft campaign " in first.stdout
    second = run_send(provider_site, env=env)
    assert (
        second.returncode == 0
        and "[newsletter] updated the Buttondown draft campaign " in second.stdout
    )
    assert len(providers.made("buttondown")) == 1
    for result in (first, second):
        assert BUTTONDOWN_KEY not in result.stdout + result.stderr
    assert not (provider_site.parent / "output").exists()


def test_send_command_refusals_are_one_line(provider_site, stub, tmp_path):
    providers, _url = stub
    wrong = run_send(provider_site, env={"TEST_BUTTONDOWN_KEY": "bd-wrong-key"})
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1, wrong.stderr
    assert (
        "Buttondown refused POST /emails: 401 Invalid token.; no campaign was "
        "created" in wrong.stderr
    )
    missing = run_send(provider_site)
    assert missing.returncode == 1 and missing.stderr.strip() == (
        "[newsletter] $TEST_BUTTONDOWN_KEY is empty: export your Buttondown API key "
        "in it (DIGEST_PROVIDER_KEY_ENV names that variable)"
    )
    listed = run_send(
        provider_site,
        "--recipients",
        tmp_path / "x.csv",
        env={"TEST_BUTTONDOWN_KEY": BUTTONDOWN_KEY},
    )
    assert listed.returncode == 1 and "Buttondown keeps the list" in listed.stderr
    past = run_send(
        provider_site,
        "--schedule",
        "2020-01-06 08:00",
        env={"TEST_BUTTONDOWN_KEY": BUTTONDOWN_KEY},
    )
    assert past.returncode == 1 and "is in the past" in past.stderr
    assert providers.made("buttondown") == []


# --- settings -------------------------------------------------------------------------
def test_the_provider_comes_from_the_sign_up_form():
    signup = {"provider": "mailchimp", "dc": "us19", "u": "abc", "id": "a1b2c3d4e5"}
    cfg = config(DIGEST_SEND_PATH="provider", NEWSLETTER_SIGNUP=signup)
    assert cfg.provider.name == "mailchimp"
    assert cfg.provider.mailchimp_list_id == "a1b2c3d4e5"
    assert cfg.provider.api_url is None  # the data centre comes from the key
    listmonk = config(
        DIGEST_SEND_PATH="provider",
        DIGEST_LISTMONK_LISTS=[3],
        NEWSLETTER_SIGNUP={
            "provider": "listmonk",
            "root": "https://lists.gratitudepress.org/",
        },
    )
    assert listmonk.provider.api_url == "https://lists.gratitudepress.org"
    assert config().provider is None  # the smtp path needs none


@pytest.mark.parametrize(
    "settings, name, words",
    [
        (
            {"DIGEST_PROVIDER_API_URL": "http://api.buttondown.com/v1"},
            "DIGEST_PROVIDER_API_URL",
            "must be an https:// URL",
        ),
        ({"DIGEST_PROVIDER": "mailchimp"}, "DIGEST_MAILCHIMP_LIST_ID", "is needed"),
        (
            {
                "DIGEST_PROVIDER": "listmonk",
                "DIGEST_PROVIDER_API_URL": "https://lists.gratitudepress.org",
            },
            "DIGEST_LISTMONK_LISTS",
            "is needed",
        ),
        (
            {
                "DIGEST_PROVIDER": "listmonk",
                "DIGEST_LISTMONK_LISTS": ["weekly"],
                "DIGEST_PROVIDER_API_URL": "https://lists.gratitudepress.org",
            },
            "DIGEST_LISTMONK_LISTS",
            "must list numbers",
        ),
        ({"DIGEST_PROVIDER": "sendgrid"}, "DIGEST_PROVIDER", "must be one of"),
        (
            {"DIGEST_PROVIDER_KEY_ENV": "my key"},
            "DIGEST_PROVIDER_KEY_ENV",
            "environment",
        ),
    ],
)
def test_bad_provider_settings_name_their_line(tmp_path, settings, name, words):
    path = tmp_path / "mysite.py"
    path.write_text("".join(f"{key} = {value!r}\n" for key, value in settings.items()))
    with pytest.raises(ContentError) as caught:
        config(
            **{
                "DIGEST_SEND_PATH": "provider",
                "DIGEST_PROVIDER": "buttondown",
                **settings,
                SETTINGS_FILE_KEY: str(path),
            }
        )
    message = str(caught.value)
    line = list(settings).index(name) + 1 if name in settings else None
    where = f"{path}:{line}: " if line else f"{path}: "
    assert message.startswith(where + name) and words in message, message
