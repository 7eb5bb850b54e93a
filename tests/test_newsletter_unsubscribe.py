"""The unsubscribe core, pure: tokens, the headers of each message, judging requests."""

import email
import hashlib
import hmac
from email import policy
from email.message import EmailMessage

import pytest
from newsletter_support import config, renderer
from test_digest_send import SECRET, issue

from gratitude_press.newsletter import unsubscribe
from gratitude_press.newsletter.recipients import Recipient
from gratitude_press.newsletter.render import list_links
from gratitude_press.newsletter.sending import (
    is_permanent_for_address,
    personal_message,
    unsubscribe_uris,
)

READER = "Reader.Two@Example.org"


def test_a_token_is_the_hmac_of_the_address_under_the_secret():
    expected = hmac.new(
        SECRET.encode(), b"reader.two@example.org", hashlib.sha256
    ).hexdigest()[:32]
    assert unsubscribe.token(SECRET, READER) == expected
    assert unsubscribe.token(SECRET, " reader.two@example.org ") == expected
    assert unsubscribe.token(SECRET + "x", READER) != expected
    assert unsubscribe.token(SECRET, "reader.three@example.org") != expected


def test_the_mailto_names_the_mailbox_and_carries_the_token():
    assert unsubscribe.mailto(
        "unsubscribe+weekly@gratitude-press.org", SECRET, READER
    ) == (
        "mailto:unsubscribe+weekly@gratitude-press.org?subject=unsubscribe%20"
        + unsubscribe.token(SECRET, READER)
    )


@pytest.mark.parametrize(
    "secret, words",
    [
        ("", "$S is empty: export the unsubscribe secret in it"),
        ("short", "$S is shorter than 16 characters"),
        (SECRET, ""),
    ],
)
def test_the_secret_must_exist_and_be_long_enough(secret, words):
    problem = unsubscribe.secret_problem(secret, "S")
    assert problem.startswith(words) if words else problem == ""


def request(sender, subject, body="Please remove me.\n"):
    message = EmailMessage()
    message["From"], message["To"] = sender, "unsubscribe@gratitude-press.org"
    message["Subject"] = subject
    message.set_content(body)
    # as read back from the mailbox
    return email.message_from_bytes(message.as_bytes(), policy=policy.default)


def test_a_request_counts_only_with_the_token_of_its_subscriber():
    own = unsubscribe.token(SECRET, READER)
    judge = unsubscribe.judge
    assert (
        judge(request(READER, f"unsubscribe {own}"), SECRET, {}).address
        == "reader.two@example.org"
    )
    assert (
        judge(request(READER, f"Re: Unsubscribe {own.upper()}"), SECRET, {}).address
        == "reader.two@example.org"
    )
    assert (
        judge(
            request(READER, "unsubscribe", f"unsubscribe {own}\n> quoted"), SECRET, {}
        ).address
        == "reader.two@example.org"
    )
    # forged: the From line is the victim's, the token is not theirs
    victim = "victim@example.org"
    guessed = unsubscribe.token("another-secret-123456", victim)
    for subject in ("unsubscribe", f"unsubscribe {own}", f"unsubscribe {guessed}"):
        verdict = judge(request(victim, subject), SECRET, {})
        assert verdict.address == "" and verdict.sender == victim, subject
        assert verdict.reason in (
            "no unsubscribe token in it",
            "its token is not the one sent to this address",
        )


def test_the_recipient_list_matches_a_token_sent_from_another_address():
    own = unsubscribe.token(SECRET, READER)
    forwarded = request("forwarded@alias.example", f"unsubscribe {own}")
    verdict = unsubscribe.judge(forwarded, SECRET, {own: "reader.two@example.org"})
    assert verdict.address == "reader.two@example.org"


def message_for(cfg):
    people = Recipient(READER, "Reader Two")
    r = renderer(cfg)
    layout = r.fit(issue(), list_links(cfg, r, issue()))
    return email.message_from_bytes(
        personal_message(issue(), cfg, r, layout, people, SECRET).as_bytes(),
        policy=policy.default,
    )


def test_without_an_endpoint_a_message_offers_the_mailto_and_no_one_click():
    message = message_for(config())
    mailto = unsubscribe.mailto("rakesh@gratitude.example", SECRET, READER)
    assert str(message["List-Unsubscribe"]) == f"<{mailto}>"
    assert message["List-Unsubscribe-Post"] is None and message["List-Post"] == "NO"
    assert f'href="{mailto}"' in message.get_body(("html",)).get_content()


def test_a_real_endpoint_adds_the_https_one_click_before_the_mailto():
    cfg = config(
        DIGEST_UNSUBSCRIBE_URL="https://lists.gratitude-press.org/u?e={email}"
        "&t={token}",
        DIGEST_UNSUBSCRIBE_ADDRESS="unsubscribe@gratitude-press.org",
    )
    message = message_for(cfg)
    token = unsubscribe.token(SECRET, READER)
    url = f"https://lists.gratitude-press.org/u?e=Reader.Two%40Example.org&t={token}"
    mailto = f"mailto:unsubscribe@gratitude-press.org?subject=unsubscribe%20{token}"
    assert str(message["List-Unsubscribe"]) == f"<{url}>, <{mailto}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_uris(cfg, Recipient(READER), "2026-11-16", SECRET) == (
        url,
        mailto,
    )
    assert f"Unsubscribe: {url}" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    "code, text, permanent",
    [
        (550, "5.1.1 mailbox unavailable", True),
        (550, "mailbox unavailable", True),
        (553, "5.1.3 bad address syntax", True),
        (550, "5.2.1 mailbox disabled", True),
        (550, "5.7.1 relaying denied", False),  # about us, not the address
        (554, "5.7.1 rejected by policy", False),
        (530, "5.7.0 authentication required", False),
        (552, "5.2.2 mailbox full", False),
        (451, "4.3.0 try again later", False),
        (450, "4.2.0 greylisted", False),
    ],
)
def test_only_a_refusal_about_the_address_is_permanent(code, text, permanent):
    assert is_permanent_for_address(code, text) is permanent
