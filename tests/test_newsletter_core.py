"""The digest's pure core: periods, selection, size guard, rendering, MIME, payloads."""

import datetime as dt
import email
import json
import re
from email import policy

import pytest
from bs4 import BeautifulSoup
from newsletter_support import TZ, config, episode, post, renderer, story, when

from gratitude_press.errors import ContentError
from gratitude_press.newsletter import period as periods
from gratitude_press.newsletter.model import (
    Intro,
    build_issue,
    newsletter_flag,
    shorten,
)
from gratitude_press.newsletter.render import Links, issue_files
from gratitude_press.settings import SETTINGS_FILE_KEY

WEEK = periods.week_of(dt.date(2026, 11, 18), TZ)  # Monday 16 to Sunday 22 November


def sample_entries():
    return [
        post("Ask what the week needs", "2026-11-16 08:00"),
        post("The note", "2026-11-17 08:30", slug="the-note", stories=[story()]),
        post(
            "Q&A with <b>guests</b>",
            "2026-11-19 08:30",
            slug="q-and-a",
            summary='Tom "Tomás" & friends <script>alert(1)</script>',
        ),
        post("A personal note", "2026-11-20 09:00", newsletter=False),
        post("Last week", "2026-11-15 23:59"),
        post("Next week", "2026-11-23 00:00"),
        episode("Trust is built in small deposits", "2026-11-18 07:00"),
    ]


def sample_issue(entries=None, intro=None, cfg=None):
    return build_issue(WEEK, entries or sample_entries(), cfg or config(), intro)


# --- periods -------------------------------------------------------------------------
def test_last_full_week_before_any_day_is_the_previous_monday_to_sunday():
    for day in (23, 25, 29):  # Monday, Wednesday and Sunday of the following week
        week = periods.last_full_week_before(dt.date(2026, 11, day), TZ)
        assert (week.first_day, week.last_day) == (
            dt.date(2026, 11, 16),
            dt.date(2026, 11, 22),
        )
    assert (
        week.issue_id == "2026-11-16"
        and periods.intro_key("2026-w47") == week.first_day
    )


def test_week_is_half_open_in_the_site_time_zone():
    assert WEEK.contains(when("2026-11-16 00:00"))
    assert WEEK.contains(when("2026-11-22 23:59"))
    assert not WEEK.contains(when("2026-11-23 00:00"))
    # 03:00 UTC on Monday 23rd is still Sunday evening in Chicago.
    assert WEEK.contains(dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))


def test_week_across_the_daylight_saving_change_keeps_local_midnights():
    week = periods.week_of(dt.date(2026, 10, 28), TZ)  # DST ends on Sunday 1 November
    utc = dt.UTC
    assert week.end.astimezone(utc) - week.start.astimezone(utc) == dt.timedelta(
        days=7, hours=1
    )
    assert week.contains(when("2026-11-01 23:30"))
    assert not week.contains(when("2026-11-02 00:00"))


def test_custom_period_and_intro_names():
    custom = periods.custom(dt.date(2026, 11, 1), dt.date(2026, 11, 15), TZ)
    assert custom.issue_id == "2026-11-01--2026-11-14" and not custom.weekly
    assert (
        periods.custom(dt.date(2026, 11, 16), dt.date(2026, 11, 23), TZ).issue_id
        == "2026-11-16"
    )
    with pytest.raises(ValueError):
        periods.custom(dt.date(2026, 11, 15), dt.date(2026, 11, 1), TZ)
    assert periods.intro_key("2026-w47") == dt.date(2026, 11, 16)
    assert periods.intro_key("2026-11-16") == dt.date(2026, 11, 16)
    assert periods.intro_key("notes") is None


# --- selection -------------------------------------------------------------------------
def test_selection_keeps_the_period_and_honours_opt_out():
    issue = sample_issue()
    titles = [e.title for e in issue.items]
    assert titles == [
        "Trust is built in small deposits",
        "Ask what the week needs",
        "The note",
        "Q&A with <b>guests</b>",
    ]
    assert issue.featured.title == "A handwritten card"


def test_an_empty_period_makes_no_issue():
    assert build_issue(WEEK, [post("Old", "2026-10-01 08:00")], config()) is None
    assert (
        build_issue(WEEK, [post("Out", "2026-11-17 08:00", newsletter=False)], config())
        is None
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, True),
        ("no", False),
        ("No", False),
        (False, False),
        ("yes", True),
        (True, True),
    ],
)
def test_newsletter_flag(value, expected):
    assert newsletter_flag(value) is expected


def test_unclear_newsletter_flag_names_the_file():
    with pytest.raises(ContentError, match=r"content/posts/x.md: Newsletter: 'maybe'"):
        newsletter_flag("maybe", "content/posts/x.md")


def test_shorten_prefers_the_first_sentence():
    assert shorten("One. Two three.", 5) == "One."
    assert shorten("one two three four five six", 3) == "one two three\u2026"


def test_subject_template_and_preheader():
    intro = Intro("A week of small deposits", "<p>Hello.</p>", "Hello.", "content/x.md")
    issue = sample_issue(intro=intro)
    assert issue.subject == "Gratitude Press: A week of small deposits"
    assert 40 <= len(issue.preheader) <= 130
    assert sample_issue().title == "The week of November 16, 2026"
    with pytest.raises(ContentError, match="DIGEST_SUBJECT"):
        sample_issue(cfg=config(DIGEST_SUBJECT="{nope}"))


# --- the email -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files():
    intro = Intro(
        "A week of small deposits",
        '<p>Hello from <a href="https://gratitude.example/about/">me</a>.</p>',
        "Hello from me <https://gratitude.example/about/>.",
        "content/newsletter/x.md",
    )
    built, _layout = issue_files(sample_issue(intro=intro), config(), renderer())
    return built


def html_links(html):
    return {
        a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)
    }


def text_links(text):
    return set(re.findall(r"(?:https?://|mailto:)[^\s<>]+", text))


# The exported files' unsubscribe: the reply mailbox (no page of ours pretends to be
# an endpoint); the messages `send` mails carry each reader's own token instead.
LIST_UNSUBSCRIBE = "mailto:rakesh@gratitude.example?subject=unsubscribe"


def test_email_html_follows_the_email_rules(files):
    html = files["email.html"].decode("ascii")  # non-ASCII only as numeric entities
    page = BeautifulSoup(html, "html.parser")
    first = page.body.find(True)
    assert "preheader" in first["class"] and "display:none" in first["style"].replace(
        " ", ""
    )
    assert page.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    styles = page.find_all("style")
    assert len(styles) == 1 and styles[0].parent.name == "head"
    css = styles[0].string
    assert "@media (prefers-color-scheme: dark)" in css and "@media (max-width" in css
    outside_media = re.sub(
        r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css
    ).strip()
    assert outside_media == "", "only @media rules may stay in <head>"
    for rule in re.findall(r"\{([^{}]*)\}", css):
        for declaration in filter(None, (d.strip() for d in rule.split(";"))):
            assert declaration.endswith("!important"), declaration
    container = page.find("table", class_="container")
    assert container["width"] == "600" and "max-width:600px" in container[
        "style"
    ].replace(" ", "")
    assert all(t.get("role") == "presentation" for t in page.find_all("table"))
    for image in page.find_all("img"):
        assert image.get("alt") is not None and image["width"].isdigit()
        assert int(image["width"]) <= 600 and image["src"].startswith("https://")
    for link in html_links(html) - {LIST_UNSUBSCRIBE}:
        assert link.startswith("https://"), link
    assert not page.find_all(["script", "form", "iframe", "video"])
    assert 'style="' in str(page.find("h1"))  # CSS was inlined
    assert "Tom&#225;s" in html


def test_user_text_is_plain_text_everywhere(files):
    page = BeautifulSoup(files["email.html"], "html.parser")
    assert "Q&A with <b>guests</b>" in page.get_text()
    assert not page.find("b") and not page.find("script")
    assert "Q&A with <b>guests</b>" in files["email.txt"].decode()
    markdown = files["email.md"].decode()
    assert "Q&amp;A with &lt;b&gt;guests&lt;/b&gt;" in markdown


def test_text_and_html_carry_the_same_links(files):
    html, text = files["email.html"].decode(), files["email.txt"].decode()
    assert html_links(html) == text_links(text)
    assert LIST_UNSUBSCRIBE in text_links(text)
    assert "https://gratitude.example/newsletter/2026-11-16/" in text_links(text)
    assert "Gratitude Press, P.O. Box 1234, Madison, WI 53701, USA" in text
    assert all(len(line) <= 998 for line in text.splitlines())


def test_eml_structure_and_headers(files):
    message = email.message_from_bytes(files["email.eml"], policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert message["Subject"] == "Gratitude Press: A week of small deposits"
    assert message["From"].addresses[0].addr_spec == "digest@gratitude.example"
    assert message["Reply-To"].addresses[0].addr_spec == "rakesh@gratitude.example"
    assert message["Date"].datetime == when("2026-11-23 00:00")
    assert message["Message-ID"] == "<digest.2026-11-16@gratitude.example>"
    assert message["List-Id"] == "Gratitude Press weekly <weekly.gratitude.example>"
    assert message["List-Unsubscribe"] == f"<{LIST_UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] is None  # no endpoint answers a POST
    assert message["List-Post"] == "NO"
    text, html = (part.get_content() for part in message.iter_parts())
    assert text.replace("\r\n", "\n") == files["email.txt"].decode()
    assert html.replace("\r\n", "\n").strip() == files["email.html"].decode().strip()
    assert all(len(line) <= 998 for line in files["email.eml"].split(b"\r\n"))


def test_non_ascii_subject_is_encoded_and_decodes_back():
    intro = Intro("Grazie, Tomás", "<p>Hi.</p>", "Hi.", "content/x.md")
    built, _ = issue_files(sample_issue(intro=intro), config(), renderer())
    raw_headers = built["email.eml"].split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in raw_headers.lower()
    assert (
        email.message_from_bytes(built["email.eml"], policy=policy.default)["Subject"]
        == "Gratitude Press: Grazie, Tomás"
    )


def test_provider_payloads_use_their_own_placeholders(files):
    mailchimp = json.loads(files["mailchimp.json"])
    listmonk = json.loads(files["listmonk.json"])
    buttondown = json.loads(files["buttondown.json"])
    expected = {
        "mailchimp": (
            mailchimp["content"]["html"] + mailchimp["content"]["plain_text"],
            ["*|UNSUB|*", "*|ARCHIVE|*"],
        ),
        "listmonk": (
            listmonk["body"] + listmonk["altbody"],
            ["{{ UnsubscribeURL }}", "{{ MessageURL }}"],
        ),
        "buttondown": (
            buttondown["body"],
            ["{{ unsubscribe_url }}", "{{ email_url }}"],
        ),
    }
    for name, (body, tags) in expected.items():
        for tag in tags:
            assert tag in body, (name, tag)
        assert "gratitude.example/unsubscribe" not in body, name
    assert listmonk["content_type"] == "html"
    assert buttondown["status"] == "draft" and mailchimp["settings"]["subject_line"]
    assert files["email.md"].decode() == buttondown["body"]


def test_featured_story_is_in_both_parts(files):
    html, text = files["email.html"].decode(), files["email.txt"].decode()
    assert "A handwritten card" in html and "A handwritten card" in text
    assert "https://gratitude.example/2026/the-note/#story-card" in html_links(html)


# --- size guard ------------------------------------------------------------------------
def test_a_40_item_week_stays_under_gmails_clip_and_drops_nothing_silently():
    long = " ".join(["A long summary sentence about trust and thanks at work."] * 40)
    entries = [
        post(
            f"Essay number {n}",
            f"2026-11-{16 + n % 7} 0{n % 10}:00",
            slug=f"essay-{n}",
            summary=long,
        )
        for n in range(38)
    ]
    entries += [episode(f"Episode {n}", "2026-11-18 07:00", number=n) for n in (1, 2)]
    issue = sample_issue(entries)
    assert issue.count == 40
    built, layout = issue_files(issue, config(), renderer())
    size = len(built["email.html"])
    assert size < 102_400
    assert layout.detail != "full"  # it had to fall back
    text = built["email.txt"].decode()
    page = BeautifulSoup(built["email.html"], "html.parser").get_text()
    shown = [e for e in issue.items if e.url in text]
    hidden = issue.count - len(shown)
    for entry in shown:
        assert entry.title in page
    if hidden:
        assert f"{hidden} more items this week on the site" in page
        assert f"{hidden} more items this week on the site" in text
    else:
        assert "more items this week" not in page


def test_a_huge_period_shows_as_many_titles_as_fit_and_counts_the_rest():
    entries = [
        post("A very long title " * 12 + str(n), "2026-11-17 08:00", slug=f"t{n}")
        for n in range(400)
    ]
    built, layout = issue_files(sample_issue(entries), config(), renderer())
    assert len(built["email.html"]) < 102_400
    assert layout.detail == "titles" and 0 < layout.shown < 400
    assert (
        f"{400 - layout.shown} more items this week on the site"
        in built["email.txt"].decode()
    )


def test_bad_settings_types_are_one_line_errors_at_their_line(tmp_path):
    cases = (
        ("DIGEST_SMTP_PORT", "587x", "whole number"),
        ("DIGEST_SITEURL", "http://x.example", "https://"),
        ("DIGEST_PROVIDERS", "mailchimp", "must be a list"),
        ("DIGEST_PROVIDERS", ["sendgrid"], "unknown entry"),
        ("DIGEST_SMTP_SECURITY", "tls", "starttls, ssl, none"),
        ("DIGEST_SMTP_PASSWORD_ENV", "my secret", "environment"),
        ("DIGEST_LIST_ID", "weekly", "Name <id.domain>"),
        ("DIGEST_UNSUBSCRIBE_URL", "https://lists.example.org/{nope}", "{email}"),
        (
            "DIGEST_UNSUBSCRIBE_URL",
            "https://gratitude.example/u?t={token}",
            "placeholder domain",
        ),
        (
            "DIGEST_UNSUBSCRIBE_PAGE",
            "https://www.example.com/unsubscribe",
            "placeholder domain",
        ),
        ("DIGEST_SEND_PATH", "mailgun", "smtp, provider"),
        ("DIGEST_IMAP_SECURITY", "tls", "starttls, ssl, none"),
        (
            "DIGEST_UNSUBSCRIBE_MAILTO",
            "mailto:u@gratitude.example",
            "DIGEST_UNSUBSCRIBE_ADDRESS",
        ),
    )
    for name, value, words in cases:
        settings = tmp_path / "mysite.py"
        settings.write_text(f"SITENAME = 'x'\n{name} = {value!r}\n")
        with pytest.raises(ContentError) as caught:
            config(**{name: value, SETTINGS_FILE_KEY: str(settings)})
        message = str(caught.value)
        assert message.startswith(f"{settings}:2: {name} ") and words in message, (
            message
        )
        assert "\n" not in message


def test_links_view_online_and_unsubscribe_are_the_given_ones():
    issue = sample_issue()
    html = (
        renderer()
        .render(issue, Links("https://u.example/x?id=1&l=2", "https://v.example/"))
        .html
    )
    assert {"https://u.example/x?id=1&l=2", "https://v.example/"} <= html_links(html)


def test_user_text_cannot_become_a_provider_template_tag():
    tricky = post(
        "Use {{ UnsubscribeURL }} and *|FNAME|* and {% if x %}",
        "2026-11-17 09:00",
        slug="tricky",
        summary="Braces {{ like }} this {# and #} these.",
    )
    built, _ = issue_files(sample_issue([tricky]), config(), renderer())
    listmonk = json.loads(built["listmonk.json"])
    for body in (listmonk["body"], listmonk["altbody"]):
        assert body.count("{{ UnsubscribeURL }}") == 1  # only our own footer link
        assert '{{ "{{" }} like }}' in body and '{{ "{%" }} if x %}' in body
    mailchimp = json.loads(built["mailchimp.json"])["content"]
    assert "*|FNAME|*" not in mailchimp["html"] + mailchimp["plain_text"]
    assert mailchimp["html"].count("*|UNSUB|*") == 1
    buttondown = json.loads(built["buttondown.json"])["body"]
    assert buttondown.count("{{ unsubscribe_url }}") == 1
    allowed = (
        "{{ unsubscribe_url }}",
        "{{ email_url }}",
        '{{ "{{" }}',
        '{{ "{%" }}',
        '{{ "{#" }}',
    )
    for tag in allowed:
        buttondown = buttondown.replace(tag, "")
    assert not re.search(r"\{\{|\{%|\{#", buttondown)  # nothing else is a live tag
    # the channels we fill ourselves keep the text exactly as typed
    assert (
        "Use {{ UnsubscribeURL }} and *|FNAME|* and {% if x %}"
        in built["email.txt"].decode()
    )
