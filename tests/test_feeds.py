"""Blog feeds of real builds, read back with feedparser and an XML parser."""

import re
import time
import uuid
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Site

SITE = "https://gratitude.example"
QA_GUID = "0b6b8c3e-2f64-4a8e-9a51-7d2f0c1e9a11"
WEEK_GUID = "4d1f3a27-86c5-4c1b-b0e2-5a9e7c3d2f40"
QA_LINK = f"{SITE}/2026/qa-with-guests/"
ATOM = "{http://www.w3.org/2005/Atom}"
POST_FEEDS = [
    "all.atom.xml",
    "all.rss.xml",
    "leadership.atom.xml",
    "leadership.rss.xml",
    "trust.atom.xml",
    "trust.rss.xml",
]
STORY_FEEDS = ["stories.atom.xml", "stories.rss.xml"]


def built(site, **settings):
    result = site.build(**settings)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def feeds_site(tmp_path_factory):
    """The feeds fixture site, built once like `make publish` (absolute SITEURL)."""
    return built(Site(tmp_path_factory.mktemp("feeds"), template="feeds"))


def parse(site, name):
    parsed = feedparser.parse(site.read(f"feeds/{name}"))
    assert not parsed.bozo, (name, parsed.get("bozo_exception"))
    return parsed


def channel(site, name):
    return ET.fromstring((site.output / "feeds" / name).read_bytes()).find("channel")


def raw_content(site, name):
    """The first item's full HTML exactly as written in the feed."""
    root = ET.fromstring((site.output / "feeds" / name).read_bytes())
    if name.endswith(".rss.xml"):
        return root.find(
            "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded"
        ).text
    return root.find(f"{ATOM}entry/{ATOM}content").text


def words(text):
    return " ".join(text.split())


def soup(html):
    return BeautifulSoup(html, "html.parser")


def test_every_feed_is_written_and_well_formed(feeds_site):
    written = sorted(p.name for p in (feeds_site.output / "feeds").iterdir())
    assert written == sorted(POST_FEEDS + STORY_FEEDS)
    for name in written:
        parsed = parse(feeds_site, name)
        assert parsed.version == ("rss20" if name.endswith(".rss.xml") else "atom10")


def test_rss_guid_is_the_posts_uuid_and_not_a_permalink(feeds_site):
    items = channel(feeds_site, "all.rss.xml").findall("item")
    guids = [(i.find("guid").text, i.find("guid").get("isPermaLink")) for i in items]
    assert guids == [
        (f"urn:uuid:{QA_GUID}", "false"),
        (f"urn:uuid:{WEEK_GUID}", "false"),
    ]
    entries = parse(feeds_site, "all.rss.xml").entries
    assert [(e.id, e.guidislink, e.link) for e in entries][0] == (
        f"urn:uuid:{QA_GUID}",
        False,
        QA_LINK,
    )
    assert parse(feeds_site, "all.atom.xml").entries[0].id == f"urn:uuid:{QA_GUID}"


@pytest.mark.parametrize(
    "name, page, kind",
    [
        ("all.rss.xml", f"{SITE}/", "application/rss+xml"),
        ("all.atom.xml", f"{SITE}/", "application/atom+xml"),
        ("trust.rss.xml", f"{SITE}/category/trust/", "application/rss+xml"),
        ("leadership.atom.xml", f"{SITE}/category/leadership/", "application/atom+xml"),
        ("stories.rss.xml", f"{SITE}/gratitude/", "application/rss+xml"),
        ("stories.atom.xml", f"{SITE}/gratitude/", "application/atom+xml"),
    ],
)
def test_self_link_and_channel_link(feeds_site, name, page, kind):
    parsed = parse(feeds_site, name)
    links = {(link.rel, link.href, link.get("type")) for link in parsed.feed.links}
    assert ("self", f"{SITE}/feeds/{name}", kind) in links
    assert parsed.feed.link == page  # the web page, not the feed
    if kind == "application/rss+xml":
        rss = channel(feeds_site, name)
        assert rss.find("link").text == page
        assert [(a.get("rel"), a.get("href")) for a in rss.findall(f"{ATOM}link")] == [
            ("self", f"{SITE}/feeds/{name}")
        ]


@pytest.mark.parametrize("name", ["all.rss.xml", "all.atom.xml"])
def test_links_and_images_inside_posts_are_absolute(feeds_site, name):
    parse(feeds_site, name)
    content = soup(raw_content(feeds_site, name))  # feedparser would drop srcset
    assert content.find("a", string="the about page")["href"] == f"{SITE}/about/"
    assert content.img["src"] == f"{QA_LINK}whiteboard.png"
    assert (
        content.img["srcset"]
        == f"{QA_LINK}whiteboard.png 1x, {QA_LINK}whiteboard@2x.png 2x"
    )
    for tag in content.find_all(["a", "img"]):
        assert (tag.get("href") or tag.get("src")).startswith(f"{SITE}/")


@pytest.mark.parametrize("name", ["all.rss.xml", "all.atom.xml"])
def test_summary_and_full_content(feeds_site, name):
    qa, week = parse(feeds_site, name).entries
    assert (
        qa.summary
        == "<p>Questions from readers, answered with the people who were there.</p>"
    )
    full = soup(qa.content[0].value)
    assert [p.get_text() for p in full.find_all("p", recursive=False)] == [
        "Readers sent questions after the last post; two guests joined me to answer "
        "them.",
        "More background is on the about page, and the whiteboard we used is below.",
        "",  # the paragraph holding the image
        "The full answers follow, one per question.",
    ]
    assert [h.get_text() for h in full.select("section h2")] == [
        "The question behind the question",
        "Thanks to Marcus Lee",
    ]  # the stories too
    # without a Summary line, the summary is the start of the body, as on the site
    assert soup(week.summary).get_text().startswith("A new manager's first week")
    assert qa.content[0].type == "text/html"
    if name.endswith(".rss.xml"):
        item = channel(feeds_site, name).find("item")
        assert item.find("description").text == qa.summary
        encoded = item.find("{http://purl.org/rss/1.0/modules/content/}encoded").text
        assert soup(encoded).get_text() == soup(qa.content[0].value).get_text()
        # the whole body of the post page, from its first paragraph to its last story
        page = soup(feeds_site.read("2026/qa-with-guests/index.html")).find("main")
        assert words(soup(encoded).get_text()) in words(page.get_text())
        assert encoded.startswith("<p>Readers sent questions")
        assert words(soup(encoded).get_text()).endswith("as he did in the first week.")


def test_dates_are_time_zone_aware_and_the_build_date_is_the_newest_post(feeds_site):
    rss = channel(feeds_site, "all.rss.xml")
    assert [i.find("pubDate").text for i in rss.findall("item")] == [
        "Mon, 02 Mar 2026 09:30:00 -0600",
        "Mon, 16 Feb 2026 08:00:00 -0600",
    ]
    assert rss.find("lastBuildDate").text == "Mon, 02 Mar 2026 09:30:00 -0600"
    atom = ET.fromstring((feeds_site.output / "feeds/leadership.atom.xml").read_bytes())
    assert atom.find(f"{ATOM}updated").text == "2026-02-16T08:00:00-06:00"
    assert atom.find(f"{ATOM}entry/{ATOM}published").text == "2026-02-16T08:00:00-06:00"


def test_a_title_with_markup_characters_is_neither_raw_html_nor_escaped_twice(
    feeds_site,
):
    title = "Q&A with <b>guests</b>"
    for name in ("all.rss.xml", "all.atom.xml"):
        detail = parse(feeds_site, name).entries[0].title_detail
        if detail.type == "text/html":
            shown = soup(detail.value)
            assert shown.find("b") is None, name
            assert shown.get_text() == title, name
        else:
            assert detail.value == title, name
    atom = feeds_site.read("feeds/all.atom.xml")
    assert "<title>Q&amp;A with &lt;b&gt;guests&lt;/b&gt;</title>" in atom


def test_category_feeds_hold_only_their_category(feeds_site):
    assert [e.title for e in parse(feeds_site, "leadership.rss.xml").entries] == [
        "The first week"
    ]
    trust = parse(feeds_site, "trust.atom.xml")
    assert [e.id for e in trust.entries] == [f"urn:uuid:{QA_GUID}"]
    assert trust.feed.title == "Gratitude Press: Trust"


def test_pages_advertise_the_feeds(feeds_site):
    def alternates(page):
        head = soup(feeds_site.read(page)).head
        return [
            (link["type"], link["title"], link["href"])
            for link in head.find_all("link", rel="alternate")
        ]

    site_feeds = [
        ("application/rss+xml", "Gratitude Press (RSS)", f"{SITE}/feeds/all.rss.xml"),
        (
            "application/atom+xml",
            "Gratitude Press (Atom)",
            f"{SITE}/feeds/all.atom.xml",
        ),
        (
            "application/rss+xml",
            "Gratitude Press: gratitude stories (RSS)",
            f"{SITE}/feeds/stories.rss.xml",
        ),
        (
            "application/atom+xml",
            "Gratitude Press: gratitude stories (Atom)",
            f"{SITE}/feeds/stories.atom.xml",
        ),
    ]
    assert alternates("index.html") == site_feeds
    assert alternates("about/index.html") == site_feeds
    assert alternates("2026/qa-with-guests/index.html") == site_feeds
    assert alternates("category/trust/index.html") == site_feeds + [
        (
            "application/rss+xml",
            "Gratitude Press: Trust (RSS)",
            f"{SITE}/feeds/trust.rss.xml",
        ),
        (
            "application/atom+xml",
            "Gratitude Press: Trust (Atom)",
            f"{SITE}/feeds/trust.atom.xml",
        ),
    ]
    for _, _, href in alternates("category/trust/index.html"):
        assert (feeds_site.output / href.removeprefix(f"{SITE}/")).is_file()


@pytest.mark.parametrize("name", STORY_FEEDS)
def test_each_story_is_an_item_linking_to_its_place_in_the_post(feeds_site, name):
    parsed = parse(feeds_site, name)
    anchors = {
        tag["id"]
        for tag in soup(feeds_site.read("2026/qa-with-guests/index.html")).find_all(
            id=True
        )
    }
    assert [
        (e.title, e.link.split("#")[0], e.link.split("#")[1] in anchors)
        for e in parsed.entries
    ] == [
        ("The question behind the question", QA_LINK, True),
        ("Thanks to Marcus Lee", QA_LINK, True),
    ]
    assert [[t.term for t in e.tags] for e in parsed.entries] == [
        ["Anticipates needs"],
        ["Unexpected"],
    ]
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    assert (
        ids[0]
        == uuid.uuid5(uuid.UUID(QA_GUID), parsed.entries[0].link.split("#")[1]).urn
    )
    assert parsed.entries[0].published == (
        "Mon, 02 Mar 2026 09:30:00 -0600"
        if name.endswith(".rss.xml")
        else "2026-03-02T09:30:00-06:00"
    )
    marcus = soup(parsed.entries[1].content[0].value)
    assert [a["href"] for a in marcus.find_all("a")] == [
        f"{SITE}/2026/the-first-week/",
        QA_LINK,
    ]  # a {filename} link, then the post
    assert "Marcus Lee · Unexpected" in parsed.entries[1].summary
    dana = soup(parsed.entries[0].content[0].value)
    assert (
        dana.find("a", string="what readers were really asking")["href"]
        == f"{SITE}/about/"
    )
    if name.endswith(".rss.xml"):
        assert [
            i.find("guid").get("isPermaLink")
            for i in channel(feeds_site, name).findall("item")
        ] == ["false", "false"]


def test_two_builds_write_byte_identical_feeds(tmp_path):
    site = built(Site(tmp_path / "a", template="feeds"))
    names = POST_FEEDS + STORY_FEEDS
    first = {name: (site.output / "feeds" / name).read_bytes() for name in names}
    time.sleep(1.1)  # a wall-clock date would now differ
    built(site)
    assert {
        name: (site.output / "feeds" / name).read_bytes() for name in names
    } == first


def test_guid_survives_a_new_title_and_slug(tmp_path):
    site = built(Site(tmp_path, template="feeds"))
    site.write(
        "posts/unnamed.md",
        """
        Title: Untitled thoughts
        Date: 2026-01-10 08:00
        Category: Trust

        A post without a Guid line.
    """,
    )
    built(site)
    before = {e.link: e.id for e in parse(site, "all.rss.xml").entries}
    post = site.content / "posts/qa-with-guests.md"
    post.write_text(
        post.read_text()
        .replace("Title: Q&A with <b>guests</b>", "Title: Ask us")
        .replace("Slug: qa-with-guests", "Slug: ask-us")
    )
    unnamed = site.content / "posts/unnamed.md"
    unnamed.write_text(
        unnamed.read_text().replace("Untitled thoughts", "Named at last")
    )
    built(site)
    after = {e.link: e.id for e in parse(site, "all.rss.xml").entries}
    assert after[f"{SITE}/2026/ask-us/"] == before[QA_LINK] == f"urn:uuid:{QA_GUID}"
    assert (
        after[f"{SITE}/2026/named-at-last/"]
        == before[f"{SITE}/2026/untitled-thoughts/"]
    )
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", after[f"{SITE}/2026/named-at-last/"])
    assert len(set(after.values())) == 3


def test_feed_max_items_is_respected(tmp_path):
    site = built(Site(tmp_path, template="feeds"), FEED_MAX_ITEMS=1)
    assert [e.title for e in parse(site, "all.atom.xml").entries] == [
        "Q&A with <b>guests</b>"
    ]
    assert len(parse(site, "all.rss.xml").entries) == 1
    assert len(parse(site, "leadership.rss.xml").entries) == 1
    assert len(parse(site, "stories.atom.xml").entries) == 1


def test_no_feeds_without_an_absolute_url_unless_feed_domain_is_set(tmp_path):
    local = built(
        Site(tmp_path / "local", template="feeds"), SITEURL="", RELATIVE_URLS=True
    )
    assert not (local.output / "feeds").exists()
    assert 'rel="alternate"' not in local.read("index.html")
    domain = built(
        Site(tmp_path / "domain", template="feeds"),
        SITEURL="",
        RELATIVE_URLS=True,
        FEED_DOMAIN="https://preview.example",
    )
    entry = parse(domain, "all.rss.xml").entries[0]
    assert entry.link == "https://preview.example/2026/qa-with-guests/"
    assert soup(entry.content[0].value).img["src"] == (
        "https://preview.example/2026/qa-with-guests/whiteboard.png"
    )
    assert 'href="https://preview.example/feeds/all.atom.xml"' in domain.read(
        "index.html"
    )


@pytest.mark.parametrize(
    "guid, message",
    [
        ("not-a-uuid", "qa-with-guests.md:7: Guid 'not-a-uuid' is not a UUID"),
        (
            WEEK_GUID,
            f"first-week.md:5: Guid {WEEK_GUID} is also the Guid of "
            "posts/qa-with-guests.md",
        ),
    ],
)
def test_a_bad_or_shared_guid_fails_the_build_with_file_and_line(
    tmp_path, guid, message
):
    site = Site(tmp_path, template="feeds")
    post = site.content / "posts/qa-with-guests.md"
    post.write_text(post.read_text().replace(QA_GUID, guid))
    result = site.build(strict=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert message in output
    assert "Traceback" not in output


def test_a_category_named_like_another_feed_is_an_error(tmp_path):
    site = Site(tmp_path, template="feeds")
    post = site.content / "posts/first-week.md"
    post.write_text(post.read_text().replace("Category: Leadership", "Category: All"))
    result = site.build()
    assert result.returncode == 1
    assert (
        "first-week.md:3: the feed of category 'all' would overwrite feeds/all.rss.xml"
        in (result.stdout + result.stderr)
    )


def test_published_sample_site_feeds_hold_posts_not_episodes(published_site):
    posts = [
        p
        for p in (ROOT / "content/posts").glob("*.md")
        if not re.search(r"^status:\s*draft", p.read_text(), re.I | re.M)
    ]
    episode_titles = {
        re.search(r"^title:\s*(.+)$", p.read_text(), re.M).group(1).strip().strip("\"'")
        for p in (ROOT / "content/episodes").glob("*.md")
    }
    for name in ("all.rss.xml", "all.atom.xml"):
        parsed = feedparser.parse((published_site / "feeds" / name).read_bytes())
        assert not parsed.bozo
        assert len(parsed.entries) == len(posts)
        assert not episode_titles & {e.title for e in parsed.entries}
        for entry in parsed.entries:
            assert entry.link.startswith(f"{SITE}/") and entry.id.startswith(
                "urn:uuid:"
            )
            uuid.UUID(entry.id.removeprefix("urn:uuid:"))
    assert not (published_site / "feeds/podcast.atom.xml").exists()  # episodes only
    for feed in (published_site / "feeds").glob("*.xml"):
        if not feed.name.startswith(("podcast", "off-the-rak")):
            assert not feedparser.parse(feed.read_bytes()).bozo, feed.name
