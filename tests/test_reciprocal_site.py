"""Reciprocal gratitude in real builds of tiny sites: answers across posts and an
episode, the notes both ways, people's threads, stories.json, the picture of who
thanked whom on the gratitude index, errors."""

import json
import os
import re
import xml.etree.ElementTree as etree

import pytest
from PIL import Image
from test_stories_site import SITEURL, assert_link_works, soup

from conftest import Site

SVG = "{http://www.w3.org/2000/svg}"
BUDGET = 30 * 1024
CARD = "dana-whitfield-a-card-years-later"
REPLY = "marcus-lee-the-day-it-arrived"
HOST = "dana-whitfield-rakesh-menon-thanks-dana-whitfield"  # the episode's thanks
GUEST = "rakesh-menon-dana-whitfield-thanks-rakesh-menon"
AGAIN = "dana-whitfield-thanks-again"


def story(title, person, giver, receiver, answers="", quality="unexpected"):
    lines = [
        f"/// gratitude | {title}",
        f"    quality: {quality}",
        f"    person: {person}",
        f"    from: {giver}",
        f"    to: {receiver}",
    ]
    lines += [f"    answers: {answers}"] if answers else []
    return "\n".join(lines + ["", f"{title}: what happened, told.", "///", ""])


def post(site, name, date, *stories):
    body = "\n".join(stories)
    return site.write(
        f"posts/{name}.md",
        f"Title: {name.title()}\nDate: {date}\nCategory: Notes\n\nIntro.\n\n{body}",
    )


def tiny_mp3(path, seconds):
    """A silent MP3 (MPEG-1 Layer III frames): the episode needs a real audio file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(
            (bytes([0xFF, 0xFB, 0x10, 0xC0]) + bytes(100))
            * round(seconds * 44100 / 1152)
        )


def image(path, size, kind):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new("RGB", size, "white").save(path, kind)


def episode_site(folder):
    """The podcast test site (its first episode: Rakesh thanks Dana, Dana thanks
    Rakesh), plus posts that answer across files."""
    site = Site(folder, template="podcast")
    tiny_mp3(str(site.content / "audio/first.mp3"), 12)
    tiny_mp3(str(site.content / "audio/second.mp3"), 9)
    image(str(site.content / "images/off-the-rak-cover.jpg"), (1400, 1400), "JPEG")
    image(str(site.content / "images/favicon.png"), (32, 32), "PNG")
    post(
        site,
        "card",
        "2026-03-10",
        story("A card, years later", "Dana Whitfield", "Marcus Lee", "Dana Whitfield"),
    )
    post(
        site,
        "reply",
        "2026-03-20",
        story("The day it arrived", "Marcus Lee", "Dana Whitfield", "Marcus Lee", CARD),
        story(
            "Thanks again",
            "Dana Whitfield",
            "Rakesh Menon",
            "Dana Whitfield",
            f"episodes/first.md#{GUEST}",
        ),
    )
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = episode_site(tmp_path_factory.mktemp("reciprocal"))
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site.output


def section(output, page, anchor):
    found = soup(output / page / "index.html").find("section", id=anchor)
    assert found is not None, f"no #{anchor} on {page}"
    return found


def notes(output, page, anchor):
    return [
        (p.get_text(" ", strip=True), [a["href"] for a in p.find_all("a")])
        for p in section(output, page, anchor).select("p.reciprocal")
    ]


# --- the notes in the posts -----------------------------------------------------------


def test_an_answer_in_a_later_post_links_back_and_is_linked_from_the_first(built):
    assert notes(built, "2026/card", CARD) == [
        ("Thanked back by Dana Whitfield", [f"{SITEURL}/2026/reply/#{REPLY}"])
    ]
    assert notes(built, "2026/reply", REPLY) == [
        ("In return for “ A card, years later ”", [f"{SITEURL}/2026/card/#{CARD}"])
    ]
    for page in ("2026/card/index.html", "2026/reply/index.html"):
        for link in soup(built / page).select("p.reciprocal a"):
            assert_link_works(built, built / page, link["href"])


def test_the_guests_thanks_answers_the_hosts_in_the_episode_without_being_told(built):
    episode = "2026/the-first-one"
    assert notes(built, episode, HOST) == [
        ("Thanked back by Dana Whitfield", [f"{SITEURL}/{episode}/#{GUEST}"])
    ]
    # The guest's thanks answers the host's, and a later post answers it in turn.
    assert notes(built, episode, GUEST) == [
        (
            "In return for “ Rakesh Menon thanks Dana Whitfield ”",
            [f"{SITEURL}/{episode}/#{HOST}"],
        ),
        ("Thanked back by Rakesh Menon", [f"{SITEURL}/2026/reply/#{AGAIN}"]),
    ]


def test_stories_that_answer_nothing_are_left_as_they_were(built):
    html = (built / "2026/card/index.html").read_text()
    assert html.count('class="meta reciprocal"') == 1
    assert not soup(built / "2026/the-first-one/index.html").select(
        "section.gratitude-story:not([id]) p.reciprocal"
    )


# --- story pages ----------------------------------------------------------------------


def test_index_and_quality_pages_mark_reciprocated_stories(built):
    marks = {
        li.a.get_text(): [badge.get_text() for badge in li.select(".badge")]
        for li in soup(built / "gratitude/index.html").select(".gratitude-list li")
    }
    assert marks["A card, years later"] == ["Thanked back"]
    assert marks["The day it arrived"] == ["In return"]
    assert marks["Dana Whitfield thanks Rakesh Menon"] == ["Thanked back", "In return"]
    page = built / "gratitude/unexpected/index.html"
    cards = {
        card.h2.get_text(): card
        for card in soup(page).select("article.gratitude-story")
    }
    assert "reciprocated" in cards["A card, years later"]["class"]
    assert (
        cards["A card, years later"].select_one(".reciprocal").get_text()
        == "Thanked back by Dana Whitfield"
    )
    for link in soup(page).select(".reciprocal a"):
        assert_link_works(built, page, link["href"])


def test_person_page_lists_received_given_and_threads_with_stable_anchors(built):
    page = built / "people/dana-whitfield/index.html"
    html = soup(page)
    threads = {
        thread["id"]: [li.a.get_text() for li in thread.select("li")]
        for thread in html.select("section.thread")
    }
    assert threads == {
        "with-marcus-lee": ["A card, years later", "The day it arrived"],
        "with-rakesh-menon": [
            "Rakesh Menon thanks Dana Whitfield",
            "Dana Whitfield thanks Rakesh Menon",
            "Thanks again",
        ],
    }
    received = [h.get_text() for h in html.select(".person-received article h3")]
    given = [h.get_text() for h in html.select(".person-given article h3")]
    assert received == [
        "Thanks again",
        "A card, years later",
        "Rakesh Menon thanks Dana Whitfield",
    ]
    assert given == ["The day it arrived", "Dana Whitfield thanks Rakesh Menon"]
    for link in html.select("main a[href]"):
        if link["href"].startswith(SITEURL):
            assert_link_works(built, page, link["href"])
    # The other side of a thread has it at their own page's anchor.
    marcus = soup(built / "people/marcus-lee/index.html")
    assert marcus.find("section", id="with-dana-whitfield")


def test_a_giver_who_is_never_the_subject_has_a_page(built):
    rakesh = soup(built / "people/rakesh-menon/index.html")
    assert [h.get_text() for h in rakesh.select(".person-given article h3")] == [
        "Thanks again",
        "Rakesh Menon thanks Dana Whitfield",
    ]


def test_stories_json_has_answers_both_ways_with_giver_and_receiver(built):
    items = {
        item["id"]: item for item in json.loads((built / "stories.json").read_text())
    }
    assert items[REPLY]["answers"] == CARD
    assert items[REPLY]["answers_url"] == f"{SITEURL}/2026/card/#{CARD}"
    assert items[CARD]["answered_by"] == [REPLY]
    assert items[GUEST]["answers"] == HOST and items[GUEST]["answered_by"] == [AGAIN]
    assert (items[CARD]["giver"], items[CARD]["receiver"]) == (
        "Marcus Lee",
        "Dana Whitfield",
    )
    for item in items.values():
        for url in [item["answers_url"] or item["url"], *item["answered_by_urls"]]:
            assert_link_works(built, built / "stories.json", url)


# --- who thanked whom -----------------------------------------------------------------


def web_of(output):
    """The index's section of who thanked whom, and its picture parsed as XML (which
    fails on markup that is not well-formed)."""
    page = output / "gratitude/index.html"
    section = soup(page).find("section", id="web")
    assert section is not None, "no picture of who thanked whom on the index"
    # The markup as written: an HTML parser would repair what XML refuses.
    [svg] = re.findall(r"<svg\b.*?</svg>", page.read_text(encoding="utf-8"), re.S)
    return section, etree.fromstring(svg)


def test_the_index_draws_every_person_as_a_link_and_tells_the_pairs(built):
    page = built / "gratitude/index.html"
    section, svg = web_of(built)
    links = list(svg.iter(f"{SVG}a"))
    names = {a.find(f"{SVG}text").text: a.get("href") for a in links}
    assert set(names) == {"Dana Whitfield", "Marcus Lee", "Rakesh Menon"}
    for href in names.values():
        assert_link_works(built, page, href)
    # Every node (its circle and its name) is inside a link.
    inside = {id(node) for a in links for node in a}
    nodes = [*svg.iter(f"{SVG}circle"), *svg.iter(f"{SVG}text")]
    assert len(nodes) == 6 and all(id(node) in inside for node in nodes)
    lines = {
        group.get("class"): len(group.findall(f"{SVG}path"))
        for group in svg.findall(f"{SVG}g")
        if group.get("class") in ("one", "both")
    }
    assert lines == {"both": 2}
    # The table that says the same in words is right after the picture.
    assert section.find("figure").find_next_sibling("table") is not None
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in section.select("table.web-pairs tbody tr")
    ]
    assert rows == [
        ["Dana Whitfield and Rakesh Menon", "1", "2"],
        ["Dana Whitfield and Marcus Lee", "1", "1"],
    ]
    assert not (built / "gratitude/web").exists()


def test_relative_build_links_work_on_every_new_piece(tmp_path):
    site = episode_site(tmp_path)
    result = site.build(SITEURL="", RELATIVE_URLS=True)
    assert result.returncode == 0, result.stdout + result.stderr
    out = site.output
    for page in (
        "2026/card/index.html",
        "2026/reply/index.html",
        "2026/the-first-one/index.html",
        "people/dana-whitfield/index.html",
        "gratitude/index.html",
        "gratitude/unexpected/index.html",
    ):
        links = soup(out / page).select(".reciprocal a, .thread a, svg a")
        assert links, page
        for link in links:
            assert_link_works(out, out / page, link.get("href"), siteurl="")


# --- errors ---------------------------------------------------------------------------

ERRORS = {
    "missing": (
        story(
            "Back",
            "Marcus Lee",
            "Dana Whitfield",
            "Marcus Lee",
            "dana-whitfield-a-crad",
        ),
        7,
        (
            "answers: no story has the id 'dana-whitfield-a-crad' (did you mean "
            f"'{CARD}'?)"
        ),
    ),
    "same-direction": (
        story(
            "Back",
            "Dana Whitfield",
            "Marcus Lee",
            "Dana Whitfield",
            f"posts/card.md#{CARD}",
        ),
        7,
        (
            f"answers '{CARD}', which goes the same way (from Marcus Lee to "
            "Dana Whitfield)"
        ),
    ),
    "self": (
        story("Back", "Marcus Lee", "Dana Whitfield", "Marcus Lee", "marcus-lee-back"),
        7,
        "a story cannot answer itself",
    ),
    "self-by-path": (
        story(
            "Back",
            "Marcus Lee",
            "Dana Whitfield",
            "Marcus Lee",
            "posts/bad.md#marcus-lee-back",
        ),
        7,
        "a story cannot answer itself",
    ),
    "wrong-giver": (
        story("Back", "Marcus Lee", "June Park", "Marcus Lee", CARD),
        7,
        (
            f"answers '{CARD}', which thanks Dana Whitfield: the answer must "
            "come from Dana Whitfield, not June Park"
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_an_answer_that_cannot_be_linked_fails_the_build_in_one_line(site, case):
    body, line, message = ERRORS[case]
    post(
        site,
        "card",
        "2026-03-10",
        story("A card, years later", "Dana Whitfield", "Marcus Lee", "Dana Whitfield"),
    )
    post(site, "bad", "2026-03-01", body)  # older than what it answers: still found
    result = site.build()
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"posts/bad.md:{line}: {message}" in output
    assert "Traceback" not in output
    assert sum("posts/bad.md" in row for row in output.splitlines()) == 1


def test_an_id_two_posts_use_must_be_written_with_its_file(site):
    twin = story(
        "A card, years later", "Dana Whitfield", "Marcus Lee", "Dana Whitfield"
    )
    post(site, "card", "2026-03-10", twin)
    post(site, "copy", "2026-03-11", twin)
    post(
        site,
        "bad",
        "2026-03-12",
        story("Back", "Marcus Lee", "Dana Whitfield", "Marcus Lee", CARD),
    )
    result = site.build()
    assert result.returncode == 1
    assert (
        f"posts/bad.md:7: answers: '{CARD}' is the id of a story in posts/card.md, "
        f"posts/copy.md (say which: answers: posts/card.md#{CARD})"
    ) in result.stderr
    fixed = site.content / "posts/bad.md"
    fixed.write_text(
        fixed.read_text().replace(f"answers: {CARD}", f"answers: posts/copy.md#{CARD}")
    )
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (
        notes(site.output, "2026/copy", CARD)[0][0] == "Thanked back by Dana Whitfield"
    )
    assert not soup(site.output / "2026/card/index.html").select("p.reciprocal")


# --- the page budget and switches -----------------------------------------------------


def test_a_crowded_web_keeps_the_most_connected_and_every_page_in_budget(site):
    thanks = [
        (f"Person {(n * 7) % 45:02d}", f"Person {n % 45:02d}")
        for n in range(300)
        if n % 45 != (n * 7) % 45
    ]
    everyone = {name for pair in thanks for name in pair}
    stories = [
        story(f"Thanks {n}", receiver, giver, receiver, quality="anticipates-needs")
        for n, (giver, receiver) in enumerate(thanks)
    ]
    for number in range(0, len(stories), 30):
        post(
            site,
            f"p{number}",
            f"2026-02-{1 + number // 30:02d}",
            *stories[number : number + 30],
        )
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    web, svg = web_of(site.output)
    shown = {a.find(f"{SVG}text").text for a in svg.iter(f"{SVG}a")}
    assert 2 <= len(shown) <= 12
    rows = web.select("table.web-pairs tbody tr")
    assert 1 <= len(rows) <= 18
    assert {name for row in rows for name in row.th.get_text().split(" and ")} == shown
    assert f"most thanks between them (of {len(everyone)})" in web.get_text(" ")
    for page in [
        site.output / "gratitude/index.html",
        *site.output.glob("people/*/index*.html"),
    ]:
        assert weight(site.output, page) <= BUDGET, page


def weight(output, page):
    """The page and its stylesheets in bytes, as the theme's budget counts them."""
    sheets = soup(page).find_all("link", rel="stylesheet")
    return page.stat().st_size + sum(
        (output / link["href"].removeprefix(SITEURL + "/")).stat().st_size
        for link in sheets
    )


def test_the_picture_can_be_left_out(site):
    post(site, "card", "2026-03-10", story("A card", "Dana", "Marcus", "Dana"))
    result = site.build(GRATITUDE_WEB_PEOPLE=0)
    assert result.returncode == 0, result.stderr
    index = soup(site.output / "gratitude/index.html")
    assert not index.select("#web, svg, link[href$='gratitude.css']")


def test_without_networkx_the_page_keeps_its_table_and_says_why(monkeypatch, caplog):
    from test_reciprocal_core import post as core_post
    from test_reciprocal_core import story as core_story

    from gratitude_press.stories import generator
    from gratitude_press.stories.aggregate import group
    from gratitude_press.stories.settings import default_config

    def no_networkx(slugs, pairs):
        raise ModuleNotFoundError("No module named 'networkx'")

    config = default_config()
    gratitude = group(
        [core_post("posts/a.md", 1, [core_story("x", "Dana", "Marcus", "Dana")])],
        config,
    )
    web, picture = generator.web_page(gratitude, config)
    assert picture is not None and "<svg" in picture
    monkeypatch.setattr(generator, "layout", no_networkx)
    web, picture = generator.web_page(gratitude, config)
    assert picture is None and len(web["pairs"]) == 1
    assert "shows the table of pairs without the picture" in caplog.text
