"""The digest's "Thanked back" section in a real build: an answer told in the same
week as the story it returns, and one that returns a story of an earlier week, in
every format of the issue (email HTML and text, the .eml, email.md, the provider
exports and the web copy); an issue without answers has no such section."""

import email
import json
from email import policy

import pytest
from bs4 import BeautifulSoup
from test_reciprocal_site import post, story
from test_stories_site import SITEURL, assert_link_works, soup

from conftest import Site

WEEK = "newsletter/2026-03-16"  # the answers' week
EARLIER = "newsletter/2026-03-02"  # the week of the story answered later
# A title that would be markup, a link and emphasis if it were not kept as text.
TRICKY = "Lunch <b>on</b> *me* [x](javascript:alert(1))"
DANA = "Dana Whitfield"
CARD = "dana-whitfield-a-card"
REPLY = "marcus-lee-the-reply"
LUNCH = "june-park-lunch-on-me-xjavascriptalert1"
RETURN = "leo-brandt-the-lunch-returned"
ANSWER_URLS = [
    f"{SITEURL}/2026/answers/#{REPLY}",
    f"{SITEURL}/2026/asked/#{CARD}",
    f"{SITEURL}/2026/answers/#{RETURN}",
    f"{SITEURL}/2026/early/#{LUNCH}",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("reciprocal-digest"))
    posts = {
        "early": (
            "2026-03-03",
            [story(TRICKY, "June Park", "Leo Brandt", "June Park")],
        ),
        "asked": (
            "2026-03-17",
            [story("A card", "Dana Whitfield", "Marcus Lee", DANA)],
        ),
        "answers": (
            "2026-03-19",
            [
                story("The reply", "Marcus Lee", DANA, "Marcus Lee", CARD),
                story(
                    "The lunch, returned",
                    "Leo Brandt",
                    "June Park",
                    "Leo Brandt",
                    LUNCH,
                ),
            ],
        ),
    }
    for name, (date, stories) in posts.items():
        post(site, name, date, *stories)
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site.output


def section_links(html, heading):
    """The hrefs under the heading ``heading`` of the email, up to the next one."""
    label = html.find("p", class_="label", string=heading)
    assert label is not None, f"no {heading!r} section"
    return [a["href"] for a in label.parent.find_all("a")]


def test_the_email_links_each_answer_and_the_story_it_returns(built):
    html = soup(built / WEEK / "email.html")
    assert section_links(html, "Thanked back") == ANSWER_URLS
    text = html.find("p", class_="label", string="Thanked back").parent.get_text(" ")
    assert "Dana Whitfield thanks Marcus Lee in return for" in " ".join(text.split())
    assert "(March 3, 2026)" in text  # the earlier story says when it was told
    raw = (built / WEEK / "email.html").read_text()
    assert "javascript:" not in raw.replace("javascript:alert", "")  # only as text
    assert 'href="javascript' not in raw and "<b>on</b>" not in raw


def test_the_text_part_has_the_section_with_both_links(built):
    text = (built / WEEK / "email.txt").read_text()
    section = text.split("THANKED BACK\n------------\n", 1)[1].split("\n--\n", 1)[0]
    for url in ANSWER_URLS:
        assert url in section
    assert "* The reply\n  Dana Whitfield thanks Marcus Lee in return for" in section
    assert f'"{TRICKY}"' in " ".join(section.split())  # plain text, as written


def test_the_message_and_every_export_carry_the_section(built):
    message = email.message_from_bytes(
        (built / WEEK / "email.eml").read_bytes(), policy=policy.default
    )
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "THANKED BACK" in plain and ">Thanked back<" in html
    mailchimp = json.loads((built / WEEK / "mailchimp.json").read_text())["content"]
    listmonk = json.loads((built / WEEK / "listmonk.json").read_text())
    for body in (mailchimp["html"], listmonk["body"]):
        html = BeautifulSoup(body, "html.parser")
        assert section_links(html, "Thanked back") == ANSWER_URLS
    for body in (mailchimp["plain_text"], listmonk["altbody"]):
        assert "THANKED BACK" in body and all(url in body for url in ANSWER_URLS)


def test_the_markdown_body_keeps_other_peoples_text_as_text(built):
    for markdown in (
        (built / WEEK / "email.md").read_text(),
        json.loads((built / WEEK / "buttondown.json").read_text())["body"],
    ):
        section = markdown.split("## Thanked back\n", 1)[1].split("\n---\n", 1)[0]
        assert [line.count("](") for line in section.strip().splitlines()] == [
            2,
            2,
        ]  # two links a line: the answer and what it returns
        for url in ANSWER_URLS:
            assert f"]({url})" in section
        assert "<" not in section  # no raw HTML: the title's tags are entities
        assert "](javascript" not in section and "\\[x\\]" in section


def test_the_web_copy_links_both_stories(built):
    page = built / WEEK / "index.html"
    section = soup(page).find(
        "section", attrs={"aria-labelledby": "issue-thanked-back"}
    )
    assert section.h2.get_text() == "Thanked back"
    hrefs = [a["href"] for a in section.find_all("a")]
    assert hrefs == ANSWER_URLS
    for href in hrefs:
        assert_link_works(built, page, href)


def test_an_issue_without_answers_has_no_such_section(built):
    # The earlier week's story is answered later: that alone adds no section.
    folder = built / EARLIER
    assert (folder / "email.html").exists()
    html = soup(folder / "email.html")
    assert not html.find("p", class_="label", string="Thanked back")
    assert "THANKED BACK" not in (folder / "email.txt").read_text()
    assert "## Thanked back" not in (folder / "email.md").read_text()
    assert not soup(folder / "index.html").find(id="issue-thanked-back")
