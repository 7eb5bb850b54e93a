"""User text is plain text everywhere: HTML, feeds, JSON, JSON-LD and email.

One tiny site puts ``Q&A with <b>guests</b>`` and ``</script><script>alert(1)</script>``
into every field a writer fills in (title, summary, tags, category, author, story
title/person/from/to, guest name and title, digest intro title). Each output must show
exactly those characters: not interpreted as markup, and not escaped twice.
"""

import email
import email.policy
import json
import shutil

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Site

ATTACK = "</script><script>alert(1)</script>"
TITLE = f"Q&A with <b>guests</b> {ATTACK}"
CATEGORY = f"Trust {ATTACK}"
TAGS = ["<b>bold</b>", ATTACK]
AUTHOR = f"Ann <i>&</i> {ATTACK}"
PERSON = f"Dana <b>Whitfield</b> {ATTACK}"
GIVER = f"Marcus <i>Lee</i> {ATTACK}"
EPISODE_TITLE = f"Episode {TITLE}"
GUEST = f"Priya <b>Raman</b> {ATTACK}"
GUEST_TITLE = f"Q&A <i>lead</i> {ATTACK}"
INTRO_TITLE = f"Intro {TITLE}"
# Words that would be bold or italic if the markup typed by the writer were obeyed.
MARKUP_WORDS = {"guests", "bold", "&", "Whitfield", "Lee", "Raman", "lead"}


def _yaml(text):
    return json.dumps(text)  # a JSON string is a valid YAML scalar


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("hostile"))
    for source in (
        "audio/off-the-rak-001.mp3",
        "images/off-the-rak-cover.jpg",
        "images/author.jpg",
    ):
        (site.content / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "content" / source, site.content / source)
    site.write(
        "posts/hostile.md",
        f"""
        Title: {TITLE}
        Slug: hostile
        Date: 2026-03-03 09:00
        Category: {CATEGORY}
        Tags: {", ".join(TAGS)}
        Author: {AUTHOR}
        Summary: {TITLE}
        Guid: 0f0e0d0c-0000-4000-8000-00000000e5c1

        Body text.

        /// gratitude | {TITLE}
            quality: unexpected
            person: {PERSON}
            from: {GIVER}
            to: {PERSON}

        The story body.
        ///
    """,
    )
    site.write(
        "episodes/hostile.md",
        f"""
        ---
        title: {_yaml(EPISODE_TITLE)}
        date: 2026-03-04 07:00
        slug: hostile-episode
        episode: 1
        season: 1
        episode_type: full
        audio: audio/off-the-rak-001.mp3
        explicit: false
        guid: 0f0e0d0c-0000-4000-8000-00000000e5c2
        summary: {_yaml(TITLE)}
        category: Podcast
        tags: [{_yaml(TAGS[0])}]
        guests:
          - name: {_yaml(GUEST)}
            role: guest
            title: {_yaml(GUEST_TITLE)}
            link: https://example.org/priya
        thanks:
          - from: {_yaml(GIVER)}
            to: {_yaml(GUEST)}
            quality: unexpected
            body: Thanks for the talk.
        ---
        Show notes.
    """,
    )
    site.write(
        "pages/hostile.md",
        f"""
        Title: {TITLE}
        Slug: hostile-page

        A page.
    """,
    )
    site.write(
        "newsletter/2026-03-02.md",
        f"""
        Title: {INTRO_TITLE}

        Hello, readers.
    """,
    )
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site.output


def _html_files(output):
    return [
        path
        for path in output.rglob("*.html")
        if not path.relative_to(output).as_posix().startswith(("pagefind/", "theme/"))
    ]


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _assert_text_only(html, where):
    """No markup from user text is live, and nothing is escaped twice."""
    assert "<script>alert(1)" not in html, f"{where}: a <script> from user text"
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(["b", "i"]):
        assert element.get_text() not in MARKUP_WORDS, f"{where}: live markup {element}"
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.string)  # whole: a user's </script> did not end it
            assert "<" not in script.string, f"{where}: unescaped < in JSON-LD"
        else:
            assert "alert(1)" not in script.get_text(), f"{where}: {script}"
    texts = [soup.get_text()] + [
        str(value) for tag in soup.find_all(True) for value in tag.attrs.values()
    ]
    for text in texts:
        assert "&lt;" not in text and "&amp;" not in text, f"{where}: twice: {text}"


def test_every_html_page_shows_user_text_as_text(hostile_site):
    pages = _html_files(hostile_site)
    assert len(pages) > 10
    for page in pages:
        _assert_text_only(
            page.read_text(encoding="utf-8"), page.relative_to(hostile_site)
        )


def test_post_page_shows_exactly_the_typed_characters(hostile_site):
    page = _soup(hostile_site / "2026/hostile/index.html")
    assert page.h1.get_text(strip=True) == TITLE
    assert page.title.get_text().startswith(TITLE)
    links = {a.get_text(strip=True) for a in page.find_all("a")}
    assert {CATEGORY, *TAGS} <= links
    assert AUTHOR in page.get_text()
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert TITLE in description
    text = page.get_text()
    assert PERSON in text and GIVER in text


def test_page_and_episode_show_exactly_the_typed_characters(hostile_site):
    page = _soup(hostile_site / "hostile-page/index.html")
    assert page.h1.get_text(strip=True) == TITLE
    episode = _soup(hostile_site / "2026/hostile-episode/index.html")
    assert episode.h1.get_text(strip=True) == EPISODE_TITLE
    text = episode.get_text()
    assert GUEST in text and GUEST_TITLE in text


def test_json_ld_cannot_break_out_and_keeps_the_characters(hostile_site):
    headlines = []
    for page in _html_files(hostile_site):
        raw = page.read_text(encoding="utf-8")
        for script in BeautifulSoup(raw, "html.parser").find_all(
            "script", type="application/ld+json"
        ):
            data = json.loads(script.string)  # a breakout would cut the JSON short
            headlines.append(data.get("headline"))
    assert TITLE in headlines


def _shown(detail):
    """What a feed reader displays: plain text as is, HTML rendered to text."""
    if detail.type == "text/plain":
        return detail.value
    return BeautifulSoup(detail.value, "html.parser").get_text()


def _feed_entries(path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
    return parsed.entries


@pytest.mark.parametrize(
    "feed",
    [
        "feeds/all.rss.xml",
        "feeds/all.atom.xml",
        "feeds/stories.rss.xml",
        "feeds/stories.atom.xml",
    ],
)
def test_blog_feeds_show_exactly_the_typed_characters(hostile_site, feed):
    entries = _feed_entries(hostile_site / feed)
    titles = [_shown(entry.title_detail) for entry in entries]
    assert TITLE in titles, titles
    entry = entries[titles.index(TITLE)]
    if "stories" not in feed:
        assert {tag.term for tag in entry.tags} >= {CATEGORY, *TAGS}
        assert TITLE in _shown(entry.summary_detail)
    for detail in ("summary_detail", "content"):
        for part in getattr(entry, detail, None) or []:
            value = part if isinstance(part, str) else getattr(part, "value", "")
            assert "<script" not in value


def test_every_feed_shows_titles_and_terms_exactly(hostile_site):
    feeds = sorted((hostile_site / "feeds").glob("*.xml"))
    feeds += [hostile_site / "podcast.xml", hostile_site / "newsletter/feed.xml"]
    assert len(feeds) >= 7
    for feed in feeds:
        for entry in _feed_entries(feed):
            title = _shown(entry.title_detail)
            assert "&lt;" not in title and "&amp;" not in title, (feed.name, title)
            if "alert(1)" in title:
                assert TITLE in title, (feed.name, title)
            for tag in entry.get("tags", []):
                assert "&lt;" not in tag.term and "&amp;" not in tag.term, tag.term


def test_podcast_feed_title_shows_exactly_the_typed_characters(hostile_site):
    entries = _feed_entries(hostile_site / "podcast.xml")
    assert [_shown(entry.title_detail) for entry in entries] == [EPISODE_TITLE]


def test_podcast_feed_summary_shows_exactly_the_typed_characters(hostile_site):
    entry = _feed_entries(hostile_site / "podcast.xml")[0]
    assert _shown(entry.summary_detail) == TITLE


def test_stories_json_keeps_the_typed_characters(hostile_site):
    stories = json.loads((hostile_site / "stories.json").read_text(encoding="utf-8"))
    people = {story["person"] for story in stories}
    assert {PERSON, GUEST} <= people
    assert TITLE in {story["title"] for story in stories}
    assert not any(
        "&lt;" in str(value) or "&amp;" in str(value)
        for story in stories
        for value in story.values()
    )


def test_email_shows_exactly_the_typed_characters(hostile_site):
    issue = hostile_site / "newsletter/2026-03-02"
    _assert_text_only((issue / "email.html").read_text(encoding="utf-8"), "email.html")
    text = (issue / "email.txt").read_text(encoding="utf-8")
    assert TITLE in text and PERSON in text
    message = email.message_from_bytes(
        (issue / "email.eml").read_bytes(), policy=email.policy.default
    )
    assert INTRO_TITLE in " ".join(str(message["Subject"]).split())
    html_part = message.get_body(preferencelist=("html",)).get_content()
    _assert_text_only(html_part, "email.eml")
    assert TITLE in BeautifulSoup(html_part, "html.parser").get_text()
    plain = message.get_body(preferencelist=("plain",)).get_content()
    assert TITLE in plain
