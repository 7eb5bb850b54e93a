"""The newsletter in real builds: issues, archive, feed, rebuilds, the digest command."""

import email
import os
import re
import shutil
import subprocess
from email import policy

import feedparser
import pytest
from bs4 import BeautifulSoup
from newsletter_support import run_digest

from conftest import Site, snapshot, write_settings

FILES = {
    "index.html",
    "email.html",
    "email.preview.html",
    "email.txt",
    "email.eml",
    "email.md",
    "mailchimp.json",
    "buttondown.json",
    "listmonk.json",
}


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def newsletter_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("newsletter"), template="newsletter")
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_one_issue_per_week_with_content_and_none_for_empty_weeks(newsletter_site):
    out = newsletter_site.output / "newsletter"
    issues = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != "archive")
    assert issues == ["2026-11-02", "2026-11-16"]  # the week of 9 November had nothing
    for issue in issues:
        assert {p.name for p in (out / issue).iterdir()} == FILES


def test_issue_page_is_part_of_the_site_and_is_the_view_in_browser_target(
    newsletter_site,
):
    out = newsletter_site.output
    page = soup(out / "newsletter/2026-11-16/index.html")
    assert page.select_one("header.site-header")  # extends base.html
    assert page.h1.get_text() == "Cards and questions"  # the intro's title
    text = page.get_text()
    assert "The card on the desk" in text and "Q&A with <b>guests</b>" in text
    assert "A quiet personal note" not in text  # Newsletter: no
    assert "A card, years later" in text  # the featured story
    html = soup(out / "newsletter/2026-11-16/email.html")
    assert not html.find("img")  # the tiny site has no images/author.jpg
    view = html.find("a", string=re.compile("View this issue"))["href"]
    assert view == "https://gratitude.example/newsletter/2026-11-16/"


def test_archive_page_and_feed_list_every_issue(newsletter_site):
    out = newsletter_site.output
    archive = soup(out / "newsletter/archive/index.html")
    assert archive.select_one("header.site-header")
    links = [a["href"] for a in archive.select("ol.newsletter-archive a")]
    assert links == [
        "https://gratitude.example/newsletter/2026-11-16/",
        "https://gratitude.example/newsletter/2026-11-02/",
    ]
    feed = feedparser.parse((out / "newsletter/feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    assert [e.link for e in feed.entries] == links
    assert feed.entries[0].title == "Gratitude Press: Cards and questions"


def test_email_parts_from_the_build(newsletter_site):
    folder = newsletter_site.output / "newsletter/2026-11-16"
    message = email.message_from_bytes(
        (folder / "email.eml").read_bytes(), policy=policy.default
    )
    assert [p.get_content_type() for p in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    text = (folder / "email.txt").read_text()
    assert "https://gratitude.example/2026/early-light/" in text  # intro link kept
    assert "Q&A with <b>guests</b>" in text
    assert "A quiet personal note" not in text


def test_rebuilds_are_byte_identical_and_past_issues_do_not_change(tmp_path):
    site = Site(tmp_path, template="newsletter")
    assert site.build().returncode == 0
    first = snapshot(site.output / "newsletter")
    assert site.build().returncode == 0
    assert snapshot(site.output / "newsletter") == first
    site.write(
        "posts/later.md",
        """
        Title: A later post
        Date: 2026-11-25 08:00
        Category: Trust
        Summary: Next week's news.
        Guid: 0b6f5a51-2d7e-4c55-9b1a-6f1f7f0b2a09

        Something new.
    """,
    )
    assert site.build().returncode == 0
    after = snapshot(site.output / "newsletter")
    for issue in ("2026-11-02", "2026-11-16"):
        for name in FILES - {"index.html"}:  # the site page carries the site's nav
            key = next(k for k in first if str(k) == f"{issue}/{name}")
            assert after[key] == first[key], key
    assert any(str(k).startswith("2026-11-23/") for k in after)


def test_a_misnamed_intro_is_a_one_line_warning(tmp_path):
    site = Site(tmp_path, template="newsletter")
    site.write("newsletter/next-week.md", "Title: Oops\n\nHello.\n")
    site.write("newsletter/2026-11-17.md", "Title: Tuesday\n\nHello.\n")
    result = site.build()
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    assert re.search(
        r"next-week\.md: an intro file must be named after its week", output
    )
    assert re.search(
        r"2026-11-17\.md: 2026-11-17 is not a Monday .*2026-11-16\.md", output
    )


def test_digest_command_builds_the_issues_and_says_when_a_week_is_empty(tmp_path):
    site = Site(tmp_path, template="newsletter")
    settings = write_settings(
        tmp_path, site.content, SITEURL="https://gratitude.example", RELATIVE_URLS=False
    )
    result = run_digest(settings, "-o", str(site.output))
    assert result.returncode == 0, result.stderr
    assert "2026-11-16: 2 item(s)" in result.stdout
    assert (site.output / "newsletter/2026-11-16/email.eml").exists()
    empty = run_digest(settings, "-o", str(site.output), "--date", "2026-11-16")
    assert empty.returncode == 0, empty.stderr
    assert (
        "no issue for 2026-11-09 to 2026-11-15: nothing was published" in empty.stdout
    )
    custom = run_digest(
        settings,
        "-o",
        str(site.output),
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-20",
    )
    assert custom.returncode == 0, custom.stderr
    assert (site.output / "newsletter/2026-11-01--2026-11-19/email.html").exists()
    bad = run_digest(settings, "--since", "2026-11-01")
    assert bad.returncode == 1 and "--since and --until go together" in bad.stderr


def test_the_sample_issue_in_the_site_build(sample_site):
    folder = sample_site / "newsletter/2026-11-16"
    assert {p.name for p in folder.iterdir()} == FILES
    html = (folder / "email.html").read_bytes()
    assert len(html) < 102_400
    page = BeautifulSoup(html, "html.parser")
    links = {a["href"] for a in page.find_all("a", href=True)}
    unsubscribe = "mailto:rakesh@gratitude.example?subject=unsubscribe"  # no fake page
    assert unsubscribe in links
    for link in links - {unsubscribe}:
        assert link.startswith("https://"), link  # even in a relative build
    text = (folder / "email.txt").read_text()
    # same links in both parts
    assert links == set(re.findall(r"(?:https://|mailto:)[^\s<>]+", text))
    image = page.find("img")
    assert image["src"] == "https://gratitude.example/images/author.jpg"
    assert image["alt"] == "Rakesh Menon" and image["width"] == "56"
    assert "Episode 3" in text and "Priya Raman" in text  # episode with its guests
    assert "Trust travels slower than news" not in text  # Newsletter: no
    assert "A week of small deposits" in text  # content/newsletter/2026-11-16.md
    assert (sample_site / "newsletter/archive/index.html").exists()
    assert (sample_site / "newsletter/index.html").exists()  # the sign-up page stays


@pytest.mark.skipif(
    not shutil.which("spamassassin"), reason="spamassassin not installed"
)
def test_spamassassin_scores_the_sample_issue_at_most_one(sample_site):
    eml = (sample_site / "newsletter/2026-11-16/email.eml").read_bytes()
    result = subprocess.run(
        ["spamassassin", "-L", "-t"],
        input=eml,
        capture_output=True,
        timeout=300,
        env={**os.environ, "LANG": "C"},
    )
    report = result.stdout.decode("utf-8", "replace")
    score = float(
        re.search(r"Content analysis details:\s+\((-?[\d.]+) points", report)[1]
    )
    assert score <= 1.0, report[-3000:]
    for rule in ("MISSING_", "MPART_ALT_DIFF", "HTML_IMAGE_", "MIME_HTML_ONLY"):
        assert rule not in report.split("Content analysis details:")[1], rule


def test_emails_are_the_same_from_make_html_and_make_publish(
    sample_site, published_site
):
    """Relative or absolute site URLs: the email files only use DIGEST_SITEURL."""
    relative = snapshot(sample_site / "newsletter")
    absolute = snapshot(published_site / "newsletter")
    emails = [k for k in relative if k.name != "index.html"]
    assert len(emails) >= 7 * 10  # every issue of the sample, every file but the page
    for key in emails:
        assert absolute[key] == relative[key], key
