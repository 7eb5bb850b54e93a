"""The feeds concern without Pelican: plain data in, feeds out, read back with
feedparser."""

import logging
import uuid
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import feedparser
import pytest
from bs4 import BeautifulSoup

from gratitude_press.config import read_config
from gratitude_press.feeds import core
from gratitude_press.feeds.generator import FeedsGenerator, derived_guid
from gratitude_press.feeds.html import absolutize
from gratitude_press.settings import CONFIG_KEY
from gratitude_press.state import begin

CHICAGO = timezone(timedelta(hours=-6))
SITE = "https://gratitude.example"
CHANNEL = core.Channel(
    title="Gratitude Press",
    description="Essays.",
    link=f"{SITE}/",
    feed_url=f"{SITE}/feeds/all.rss.xml",
)


def item(title="A post", day=1, **fields):
    moment = datetime(2026, 3, day, 9, 30, tzinfo=CHICAGO)
    values = dict(
        id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, title)}",
        title=title,
        link=f"{SITE}/2026/post-{day}/",
        published=moment,
        updated=moment,
        summary_html="<p>Short.</p>",
        content_html="<p>Short.</p><p>Long.</p>",
    )
    values.update(fields)
    return core.Item(**values)


def displayed(detail):
    """What a reader shows for a feedparser text construct: HTML is rendered, text
    is not."""
    if detail.type == "text/html":
        return BeautifulSoup(detail.value, "html.parser").get_text()
    return detail.value


def test_absolutize_resolves_every_relative_url_against_the_page():
    page = f"{SITE}/2026/post/"
    html = (
        '<p><a href="../../about/">about</a> <a href="#notes">notes</a> '
        '<a href="mailto:r@gratitude.example">mail</a> '
        '<a href="https://example.org/x">out</a> <a href="/tags/">tags</a></p>'
        '<img src="a.png" srcset="a.png 1x, /img/a@2x.png 2x">'
        '<video poster="still.jpg"><source src="clip.mp4"></video>'
    )
    soup = BeautifulSoup(absolutize(html, page), "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == [
        f"{SITE}/about/",
        f"{page}#notes",
        "mailto:r@gratitude.example",
        "https://example.org/x",
        f"{SITE}/tags/",
    ]
    assert soup.img["src"] == f"{page}a.png"
    assert soup.img["srcset"] == f"{page}a.png 1x, {SITE}/img/a@2x.png 2x"
    assert soup.video["poster"] == f"{page}still.jpg"
    assert soup.source["src"] == f"{page}clip.mp4"


def test_absolutize_keeps_text_and_void_elements():
    assert (
        absolutize("<p>Fish &amp; chips<br>now</p>", SITE)
        == "<p>Fish &amp; chips<br>now</p>"
    )
    assert absolutize("", SITE) == ""


@pytest.mark.parametrize("render", [core.render_rss, core.render_atom])
def test_a_title_with_markup_characters_reads_back_as_those_characters(render):
    title = "Q&A with <b>guests</b>"
    parsed = feedparser.parse(render(CHANNEL, [item(title=title)]))
    assert not parsed.bozo
    detail = parsed.entries[0].title_detail
    assert displayed(detail) == title  # no visible entities: not escaped twice
    if detail.type == "text/html":  # and no bold "guests": not raw HTML
        assert BeautifulSoup(detail.value, "html.parser").find("b") is None


def test_an_rss_title_with_only_an_ampersand_stays_plain_text():
    xml = core.render_rss(CHANNEL, [item(title="Trust & teams")])
    assert b"<title>Trust &amp; teams</title>" in xml
    entry = feedparser.parse(xml).entries[0]
    assert (entry.title, entry.title_detail.type) == ("Trust & teams", "text/plain")


def test_build_date_is_the_newest_item_never_now():
    items = [item(day=2), item(title="later", day=9), item(title="earlier", day=1)]
    rss = feedparser.parse(core.render_rss(CHANNEL, items))
    atom = feedparser.parse(core.render_atom(CHANNEL, items))
    assert rss.feed.updated == "Mon, 09 Mar 2026 09:30:00 -0600"
    assert atom.feed.updated == "2026-03-09T09:30:00-06:00"
    assert [e.title for e in rss.entries] == [
        "A post",
        "later",
        "earlier",
    ]  # order kept
    assert core.render_rss(CHANNEL, items) == core.render_rss(CHANNEL, items)


def test_naive_dates_and_empty_feeds_are_refused():
    naive = datetime(2026, 3, 1, 9, 30)
    with pytest.raises(ValueError, match="no time zone"):
        core.render_rss(CHANNEL, [item(published=naive, updated=naive)])
    with pytest.raises(ValueError, match="at least one item"):
        core.render_atom(CHANNEL, [])


def test_content_holding_a_cdata_terminator_is_still_valid():
    html = "<pre><code>if (a[b[0]]&gt;c) {}</code></pre><p>x]]&gt;y ]]></p>"
    parsed = feedparser.parse(core.render_rss(CHANNEL, [item(content_html=html)]))
    assert not parsed.bozo
    assert "]]&gt;" in parsed.entries[0].content[0].value


# --- the adapter's pure parts, with stand-ins for Pelican articles -------------


def article(path, guid=None, **metadata):
    if guid:
        metadata["guid"] = guid
    return SimpleNamespace(
        source_path=f"/site/content/{path}",
        relative_source_path=path,
        metadata=metadata,
        url="2026/a-post/",
        title="A post",
        _update_content=lambda html, siteurl: html,
        date=datetime(2026, 3, 1, 9, 30, tzinfo=CHICAGO),
        author=SimpleNamespace(name="Rakesh Menon"),
    )


def generator(**settings):
    """The feeds generator as a build makes it: the kit's settings read first, as
    ``config.install`` does when Pelican starts, and the build's state in its context,
    as ``state.begin`` puts it there."""
    values = {
        "SITEURL": SITE,
        "SITENAME": "Gratitude Press",
        "TIMEZONE": "America/Chicago",
        "FEED_MAX_ITEMS": 100,
        "PATH": "/site/content",
        **settings,
    }
    values[CONFIG_KEY] = read_config(values)
    feeds = FeedsGenerator(
        context={},
        settings=values,
        path="/site/content",
        theme="",
        output_path="/nowhere",
    )
    begin(feeds)
    return feeds


def test_episodes_are_not_blog_posts_wherever_they_live():
    feeds = generator()
    assert feeds.is_blog_post(article("posts/a.md"))
    assert not feeds.is_blog_post(article("episodes/a.md"))
    assert not feeds.is_blog_post(article("posts/ep.md", episode=3))


def test_a_post_without_guid_gets_one_from_its_path_and_a_hint(caplog):
    feeds = generator()
    posts = [article("posts/a.md"), article("posts/b.md", guid="urn:uuid:" + "1" * 32)]
    with caplog.at_level(logging.INFO, logger="gratitude_press.feeds"):
        feeds._resolve_guids(posts)
    assert feeds.guids["/site/content/posts/a.md"] == derived_guid("posts/a.md")
    assert (
        str(feeds.guids["/site/content/posts/b.md"])
        == "11111111-1111-1111-1111-111111111111"
    )
    hint = [r.getMessage() for r in caplog.records if "posts/a.md" in r.getMessage()]
    assert hint == [
        f"[feeds] posts/a.md has no Guid: its feed id comes from the file path; "
        f"add 'Guid: {derived_guid('posts/a.md')}' to keep it if the file moves"
    ]


def test_each_story_becomes_an_item_linking_to_its_place_in_the_post():
    feeds = generator()
    post = article(
        "posts/a.md",
        guid="0b6b8c3e-2f64-4a8e-9a51-7d2f0c1e9a11",
        gratitude_stories=[
            {
                "id": "story-dana",
                "quality": "unexpected",
                "quality_label": "Unexpected",
                "person": "Dana Whitfield",
                "title": "The apology",
                "body_html": '<p>See <a href="x/">x</a></p>',
            },
            {
                "person": "Marcus Lee",
                "body_html": "<p>Thanks.</p>",
            },  # keys missing: defaults
            "not a story",
        ],
    )
    feeds._resolve_guids([post])
    first, second = feeds.story_items(post)
    assert first.link == f"{SITE}/2026/a-post/#story-dana"
    assert first.title == "The apology"
    assert (
        first.id
        == uuid.uuid5(
            uuid.UUID("0b6b8c3e-2f64-4a8e-9a51-7d2f0c1e9a11"), "story-dana"
        ).urn
    )
    assert first.categories == ("Unexpected",)
    assert f'<a href="{SITE}/2026/a-post/x/">x</a>' in first.content_html
    assert "Dana Whitfield · Unexpected" in first.summary_html
    assert (second.title, second.link, second.categories) == (
        "Thanks to Marcus Lee",
        f"{SITE}/2026/a-post/",
        (),
    )
    assert second.id != first.id
    assert first.published.tzinfo is not None
