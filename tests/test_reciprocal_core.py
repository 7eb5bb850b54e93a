"""Reciprocal gratitude, the pure parts: `answers:` read and checked, answers linked
across posts, threads, the notes added to a post, stories.json and the web picture."""

import datetime as dt
import json
import xml.etree.ElementTree as etree
from types import SimpleNamespace

import markdown
import pytest

from gratitude_press.errors import ContentError
from gratitude_press.stories.aggregate import group, stories_json
from gratitude_press.stories.check import split_reference
from gratitude_press.stories.markdown_ext import GratitudeExtension, stories_of
from gratitude_press.stories.reciprocal import notes_of, threads, with_notes
from gratitude_press.stories.settings import default_config
from gratitude_press.stories.web import layout, network, svg_text

CONFIG = default_config()
TZ = dt.UTC


def block(title, person, giver="", receiver="", answers="", quality="unexpected"):
    options = [f"quality: {quality}", f"person: {person}"]
    options += [f"from: {giver}"] if giver else []
    options += [f"to: {receiver}"] if receiver else []
    options += [f"answers: {answers}"] if answers else []
    return "\n".join(
        [
            f"/// gratitude | {title}",
            *("    " + o for o in options),
            "",
            f"{title}, told.",
            "///",
            "",
        ]
    )


def read(text):
    md = markdown.Markdown(extensions=[GratitudeExtension(CONFIG)])
    md.gratitude_source = ("posts/x.md", 4)
    html = md.convert(text)
    return html, stories_of(md)


# --- `answers:` while Markdown runs ---------------------------------------------------


def test_answers_is_kept_as_written_in_the_story_data():
    _, [story] = read(block("Back", "Ana", "Bo", "Ana", "posts/a.md#ana-first"))
    assert story["answers"] == "posts/a.md#ana-first"
    _, [plain] = read(block("Plain", "Ana"))
    assert plain["answers"] == ""


@pytest.mark.parametrize(
    "written, expected",
    [
        ("ana-first", ("", "ana-first")),
        ("#ana-first", ("", "ana-first")),
        ("posts/a.md#ana-first", ("posts/a.md", "ana-first")),
        ("{filename}/posts/a.md#x", ("posts/a.md", "x")),
        ("posts/a.md", None),
        ("two words", None),
        ("a.md#", None),
    ],
)
def test_references_name_an_id_and_maybe_its_file(written, expected):
    assert split_reference(written) == expected


@pytest.mark.parametrize(
    "text, line, words",
    [
        (
            block("Back", "Ana", "Bo", answers="two words"),
            4,
            "'two words' is not a story id",
        ),
        (block("Back", "Ana", answers="ana-first"), 4, "needs `from:`"),
        (block("Same", "Ana", "Bo", answers="ana-same"), 4, "cannot answer itself"),
    ],
)
def test_a_bad_answers_option_stops_markdown_with_its_line(text, line, words):
    with pytest.raises(ContentError) as caught:
        read("Intro.\n\n" + text)
    assert caught.value.line == line + 2 and words in caught.value.message
    assert caught.value.path == "posts/x.md"


# --- linking across posts -------------------------------------------------------------


def story(anchor, person, giver="", receiver="", answers="", line=7):
    heading = anchor.replace("-", " ").capitalize()
    return {
        "id": anchor,
        "anchor": anchor,
        "quality": "unexpected",
        "quality_label": "Unexpected",
        "person": person,
        "person_slug": person.lower().replace(" ", "-"),
        "person_url": f"people/{person.lower().replace(' ', '-')}/",
        "thanked_by": giver,
        "thanked": receiver,
        "title": heading,
        "heading": heading,
        "body_html": "<p>x</p>",
        "body_text": "x",
        "line": line,
        "answers": answers,
    }


def post(path, day, stories, guests=None):
    metadata = {"gratitude_stories": stories}
    if guests is not None:
        metadata["guests"] = guests
    slug = path.rsplit("/", 1)[-1].removesuffix(".md")
    return SimpleNamespace(
        title=slug.title(),
        url=f"2026/{slug}/",
        metadata=metadata,
        source_path=f"/site/content/{path}",
        relative_source_path=path,
        date=dt.datetime(2026, 3, day, tzinfo=TZ),
    )


def linked(*posts):
    gratitude = group(posts, CONFIG)
    return {entry["id"]: entry for entry in gratitude["stories"]}, gratitude


def problems(*posts):
    return [str(error) for _, error in group(posts, CONFIG)["problems"]]


def test_an_answer_in_a_later_post_links_both_ways():
    first = post("posts/a.md", 1, [story("card", "Dana", "Marcus", "Dana")])
    later = post("posts/b.md", 9, [story("reply", "Marcus", "Dana", "Marcus", "card")])
    stories, gratitude = linked(later, first)
    assert stories["reply"]["in_return_for"] is stories["card"]
    assert gratitude["in_return_for"] == {
        ("/site/content/posts/b.md", "reply"): stories["card"]
    }
    assert stories["card"]["thanked_back"] == [stories["reply"]]
    assert gratitude["problems"] == []
    # The post read first may be the answer: order of reading does not matter.
    stories, _ = linked(first, later)
    assert stories["card"]["thanked_back"][0]["id"] == "reply"


def test_a_bare_id_names_the_story_of_the_same_file_first():
    here = post(
        "posts/a.md",
        1,
        [
            story("card", "Dana", "Marcus", "Dana"),
            story("reply", "Marcus", "Dana", "Marcus", "card"),
        ],
    )
    there = post("posts/b.md", 2, [story("card", "Dana", "Marcus", "Dana")])
    stories, gratitude = linked(here, there)
    assert gratitude["problems"] == []
    assert stories["reply"]["in_return_for"]["post"] is here


@pytest.mark.parametrize(
    "reference", ["posts/a.md#card", "{filename}/posts/a.md#card", "a.md#card"]
)
def test_a_path_picks_one_of_two_stories_with_the_same_id(reference):
    a = post("posts/a.md", 1, [story("card", "Dana", "Marcus", "Dana")])
    b = post("posts/b.md", 2, [story("card", "Dana", "Marcus", "Dana")])
    c = post("posts/c.md", 3, [story("reply", "Marcus", "Dana", "Marcus", reference)])
    stories = {
        id(e["post"]): e
        for e in group([a, b, c], CONFIG)["stories"]
        if e["id"] == "card"
    }
    assert [e["id"] for e in stories[id(a)]["thanked_back"]] == ["reply"]
    assert stories[id(b)]["thanked_back"] == []


@pytest.mark.parametrize(
    "answer, words",
    [
        (
            story("reply", "Marcus", "Dana", "Marcus", "crad", line=12),
            "posts/c.md:12: answers: no story has the id 'crad' (did you mean 'card'?)",
        ),
        (
            story("reply", "Marcus", "Dana", "Marcus", "posts/zz.md#card", line=12),
            (
                "posts/c.md:12: answers: no published post or page posts/zz.md tells "
                "a story"
            ),
        ),
        (
            story("reply", "Marcus", "Dana", "Marcus", "posts/a.md#cart", line=12),
            (
                "posts/c.md:12: answers: posts/a.md has no story 'cart' "
                "(did you mean 'card'?)"
            ),
        ),
        (
            story("reply", "Dana", "Marcus", "Dana", "posts/a.md#card", line=12),
            (
                "posts/c.md:12: answers 'card', which goes the same way "
                "(from Marcus to Dana)"
            ),
        ),
        (
            story("reply", "Marcus", "June", "Marcus", "posts/a.md#card", line=12),
            (
                "posts/c.md:12: answers 'card', which thanks Dana: the answer "
                "must come from "
                "Dana, not June"
            ),
        ),
        (
            story("reply", "June", "Dana", "June", "posts/a.md#card", line=12),
            (
                "posts/c.md:12: answers 'card', whose thanks came from Marcus: "
                "the answer must "
                "go to Marcus, not June (set `to: Marcus`)"
            ),
        ),
        (
            story("reply", "Marcus", "Dana", "Marcus", "posts/c.md#reply", line=12),
            "posts/c.md:12: a story cannot answer itself",
        ),
    ],
)
def test_a_link_that_cannot_be_made_is_one_line_at_the_story(answer, words):
    a = post("posts/a.md", 1, [story("card", "Dana", "Marcus", "Dana")])
    c = post("posts/c.md", 3, [answer])
    [problem] = problems(a, c)
    assert problem.startswith("/site/content/" + words), problem
    assert "\n" not in problem


def test_an_id_of_two_stories_must_say_which():
    a = post("posts/a.md", 1, [story("card", "Dana", "Marcus", "Dana")])
    b = post("posts/b.md", 2, [story("card", "Dana", "Marcus", "Dana")])
    c = post("posts/c.md", 3, [story("reply", "Marcus", "Dana", "Marcus", "card", 5)])
    [problem] = problems(a, b, c)
    assert problem == (
        "/site/content/posts/c.md:5: answers: 'card' is the id of a story "
        "in posts/a.md, posts/b.md (say which: answers: posts/a.md#card)"
    )


def test_two_stories_answering_each_other_are_a_loop_cut_in_one_place():
    a = post("posts/a.md", 1, [story("one", "Dana", "Marcus", "Dana", "two")])
    b = post("posts/b.md", 2, [story("two", "Marcus", "Dana", "Marcus", "one")])
    gratitude = group([a, b], CONFIG)
    [(entry, error)] = gratitude["problems"]
    assert "which itself answers this story" in error.message
    stories = {e["id"]: e for e in gratitude["stories"]}
    linked_pairs = [
        (e["id"], e["in_return_for"]["id"])
        for e in stories.values()
        if e["in_return_for"]
    ]
    assert len(linked_pairs) == 1 and entry["in_return_for"] is None


def test_without_a_giver_the_answered_story_only_needs_its_receiver_to_answer():
    a = post("posts/a.md", 1, [story("card", "Dana")])  # to Dana; from unknown
    b = post("posts/b.md", 2, [story("reply", "Leo", "Dana", "Leo", "card")])
    stories, gratitude = linked(a, b)
    assert gratitude["problems"] == [] and stories["card"]["thanked_back"]


# --- episodes: the guest's thanks answers the host's ----------------------------------


def episode(*stories, guests=({"name": "Dana"},)):
    return post("episodes/one.md", 5, list(stories), guests=list(guests))


def test_a_guests_thanks_answers_the_hosts_thanks_of_the_same_episode():
    stories, gratitude = linked(
        episode(
            story("host", "Dana", "Rakesh", "Dana", line=None),
            story("guest", "Rakesh", "Dana", "Rakesh", line=None),
        )
    )
    assert stories["guest"]["in_return_for"] is stories["host"]
    assert gratitude["problems"] == []


@pytest.mark.parametrize(
    "stories, linked_ids",
    [
        # The guest's thanks may come first in the file: it still answers the host's.
        (
            [
                story("guest", "Rakesh", "Dana", "Rakesh"),
                story("host", "Dana", "Rakesh", "Dana"),
            ],
            {"guest": "host"},
        ),
        # Thanks between two guests, or from the host only, answer nothing.
        (
            [
                story("host", "Dana", "Rakesh", "Dana"),
                story("other", "Dana", "Leo", "Dana"),
            ],
            {},
        ),
    ],
)
def test_only_a_guests_thanks_to_the_host_is_linked_by_itself(stories, linked_ids):
    found, _ = linked(episode(*stories, guests=({"name": "Dana"}, {"name": "Leo"})))
    assert {
        k: v["in_return_for"]["id"] for k, v in found.items() if v["in_return_for"]
    } == linked_ids


def test_an_explicit_answer_in_an_episode_wins_over_the_automatic_one():
    old = post("posts/old.md", 1, [story("first", "Dana", "Rakesh", "Dana")])
    found, _ = linked(
        old,
        episode(
            story("host", "Dana", "Rakesh", "Dana"),
            story("guest", "Rakesh", "Dana", "Rakesh", "posts/old.md#first"),
        ),
    )
    assert found["guest"]["in_return_for"]["id"] == "first"
    assert found["host"]["thanked_back"] == []


def test_a_post_with_guests_that_is_no_episode_links_the_same_way():
    # Guests make a post an episode for this rule: the podcast concern writes them.
    found, _ = linked(
        episode(
            story("h", "Dana", "Rakesh", "Dana"),
            story("g", "Rakesh", "Dana", "Rakesh"),
            guests=({"name": "Rakesh", "role": "host"}, {"name": "Dana"}),
        )
    )
    assert found["g"]["in_return_for"]["id"] == "h"


# --- threads and people ---------------------------------------------------------------


def test_threads_hold_a_pairs_stories_both_ways_oldest_first():
    a = post(
        "posts/a.md",
        1,
        [story("a1", "Dana", "Marcus", "Dana"), story("a2", "Leo", "Marcus", "Leo")],
    )
    b = post("posts/b.md", 9, [story("b1", "Marcus", "Dana", "Marcus")])
    c = post("posts/c.md", 5, [story("c1", "Dana", "Marcus", "Dana")])
    gratitude = group([b, a, c], CONFIG)
    pairs = threads(gratitude["stories"])
    assert list(pairs) == [("dana", "marcus")]  # Marcus-Leo goes one way only
    assert [e["id"] for e in pairs[("dana", "marcus")]] == ["a1", "c1", "b1"]
    marcus = gratitude["people_by_slug"]["marcus"]
    assert [t["anchor"] for t in marcus["threads"]] == ["with-dana"]
    assert [e["id"] for e in marcus["given"]] == ["c1", "a1", "a2"]
    assert [e["id"] for e in marcus["received"]] == ["b1"]
    assert [e["id"] for e in marcus["stories"]] == ["b1", "c1", "a1", "a2"]
    assert gratitude["people_by_slug"]["leo"]["threads"] == []


def test_givers_and_receivers_get_a_person_page_too():
    gratitude = group(
        [post("posts/a.md", 1, [story("x", "Dana", "Marcus", "Dana")])], CONFIG
    )
    assert [p["name"] for p in gratitude["people"]] == ["Dana", "Marcus"]


# --- the notes added to a post's HTML -------------------------------------------------


def section(anchor, heading_id=None):
    heading = f' id="{heading_id}"' if heading_id else ""
    return (
        f'<section class="gratitude-story" data-quality="unexpected" id="{anchor}">\n'
        f'<h2{heading}>T</h2>\n<p class="meta">meta</p>\n<div>body</div>\n'
        "</section>\n"
    )


def test_notes_go_under_the_meta_line_of_their_own_section():
    page = (
        '<h2 id="card">A heading with the same id</h2>\n'
        + section("card")
        + section("reply")
    )
    html, missing = with_notes(
        page, [("card", "\nNOTE-1"), ("reply", "\nNOTE-2"), ("gone", "\nNOTE-3")]
    )
    assert missing == ["gone"]
    assert html.count("NOTE") == 2
    assert html.index('id="card">') < html.index("NOTE-1") < html.index('id="reply"')
    assert html.index("NOTE-2") > html.index('id="reply"')
    assert html.replace("\nNOTE-1", "").replace("\nNOTE-2", "") == page
    assert '<p class="meta">meta</p>\nNOTE-1\n<div>' in html


def test_notes_link_with_pelicans_filename_links_and_escape_names():
    a = post("posts/a b.md", 1, [story("card", "Dana", "<b>Marcus</b>", "Dana")])
    b = post(
        "posts/b.md",
        9,
        [story("reply", "<b>Marcus</b>", "Dana", "<b>Marcus</b>", "card")],
    )
    found, _ = linked(a, b)
    assert notes_of(found["reply"]) == (
        '\n<p class="meta reciprocal">In return for “<a href="{filename}/posts/a%20b.md'
        '#card">Card</a>”</p>'
    )
    assert notes_of(found["card"]) == (
        '\n<p class="meta reciprocal">Thanked back by <a href="{filename}/posts/b.md'
        '#reply">Dana</a></p>'
    )
    assert notes_of(found["card"]).count("<b>") == 0


def test_two_thousand_answered_stories_in_one_post_are_linked_and_noted():
    """One dict lookup per story and one pass over the page: linear."""
    count = 2000
    stories = [
        story(
            f"s{n}",
            "A" if n % 2 else "B",
            "B" if n % 2 else "A",
            "A" if n % 2 else "B",
            f"s{n - 1}" if n else "",
        )
        for n in range(count)
    ]
    big = post("posts/big.md", 1, stories)
    gratitude = group([big], CONFIG)
    assert gratitude["problems"] == []
    page = "".join(section(f"s{n}") for n in range(count))
    notes = [(e["id"], notes_of(e)) for e in gratitude["stories"]]
    html, missing = with_notes(page, notes)
    assert missing == [] and html.count("In return for") == count - 1
    assert html.count("Thanked back by") == count - 1


# --- stories.json ---------------------------------------------------------------------


def test_stories_json_adds_reciprocity_after_the_existing_keys():
    a = post("posts/a.md", 1, [story("card", "Dana", "Marcus", "Dana")])
    b = post(
        "posts/b.md",
        9,
        [story("reply", "Marcus", "Dana", "Marcus", "card"), story("plain", "Leo")],
    )
    items = json.loads(
        stories_json(group([a, b], CONFIG)["stories"], "https://x.example")
    )
    by_id = {item["id"]: item for item in items}
    old_keys = [
        "id",
        "quality",
        "quality_label",
        "quality_url",
        "person",
        "person_url",
        "thanked_by",
        "thanked",
        "title",
        "url",
        "date",
        "post_title",
        "post_url",
        "text",
    ]
    assert list(by_id["card"]) == old_keys + [
        "answers",
        "answered_by",
        "giver",
        "receiver",
        "answers_url",
        "answered_by_urls",
    ]
    assert by_id["reply"]["answers"] == "card"
    assert by_id["reply"]["answers_url"] == "https://x.example/2026/a/#card"
    assert by_id["card"]["answered_by"] == ["reply"]
    assert by_id["card"]["answered_by_urls"] == ["https://x.example/2026/b/#reply"]
    assert (by_id["card"]["giver"], by_id["card"]["receiver"]) == ("Marcus", "Dana")
    assert (by_id["plain"]["giver"], by_id["plain"]["receiver"]) == (None, "Leo")
    assert by_id["plain"]["answers"] is None and by_id["plain"]["answered_by"] == []


# --- the web of thanks ----------------------------------------------------------------


def crowd(people, links):
    """A post where person i thanks person j for each (i, j) of ``links``."""
    stories = [
        story(f"s{n}-{i}-{j}", f"P{j:02d}", f"P{i:02d}", f"P{j:02d}")
        for n, (i, j) in enumerate(links)
    ]
    return group([post("posts/crowd.md", 1, stories)], CONFIG)


def test_network_counts_pairs_each_way_and_keeps_the_most_connected():
    links = [(0, 1), (1, 0), (1, 0), (0, 2), (3, 4)] + [(0, n) for n in range(5, 12)]
    gratitude = crowd(12, links)
    web = network(gratitude["stories"], gratitude["people_by_slug"], 4, 3)
    assert (web["all_people"], web["all_pairs"], web["reciprocated"]) == (12, 10, 1)
    assert web["thanks"] == len(links)
    first = web["pairs"][0]
    assert (first["first"]["name"], first["second"]["name"]) == ("P00", "P01")
    assert (first["forward"], first["back"], first["both"]) == (1, 2, True)
    # Kept: P00 (9 partners), P01 (3 thanks), then P02 and P03 by name; P03 thanked
    # only P04, who is left out, so only the pairs among the kept are drawn.
    assert [someone["slug"] for someone in web["people"]] == ["p00", "p01", "p02"]
    assert [(p["first"]["slug"], p["second"]["slug"]) for p in web["pairs"]] == [
        ("p00", "p01"),
        ("p00", "p02"),
    ]
    assert (
        len(network(gratitude["stories"], gratitude["people_by_slug"], 20, 1)["pairs"])
        == 1
    )


def test_picture_is_well_formed_svg_with_every_person_a_link():
    gratitude = crowd(5, [(0, 1), (1, 0), (2, 3), (3, 4), (4, 2)])
    web = network(gratitude["stories"], gratitude["people_by_slug"], 20, 30)
    positions = layout([p["slug"] for p in web["people"]], web["pairs"])
    svg = svg_text(web, positions, "../..", "Who thanked whom")
    root = etree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    links = root.findall(f"{ns}g/{ns}a")
    assert sorted(a.find(f"{ns}text").text for a in links) == [
        f"P0{n}" for n in range(5)
    ]
    assert all(a.get("href").startswith("../../people/p0") for a in links)
    # Lines grouped by kind, the group carrying the arrow heads.
    both = root.find(f"{ns}g[@class='both']")
    assert len(both.findall(f"{ns}path")) == 1
    assert both.get("marker-start") == both.get("marker-end") == "url(#web-both)"
    assert len(root.findall(f"{ns}g[@class='one']/{ns}path")) == 3
    for marker in root.iter(f"{ns}marker"):  # every head a picture points at exists
        assert f"url(#{marker.get('id')})" in svg
    # One text per name: its halo is its own outline (paint-order), not a copy.
    assert len(list(root.iter(f"{ns}text"))) == 5
    assert root.find(f"{ns}g[@class='nodes']").get("paint-order") == "stroke"
    assert svg == svg_text(
        web,
        layout([p["slug"] for p in web["people"]], web["pairs"]),
        "../..",
        "Who thanked whom",
    )
    for x, y in positions.values():
        assert 0 < x < 640 and 0 < y < 460
