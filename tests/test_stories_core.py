"""Gratitude stories, the pure parts: scan and check blocks, render, group, JSON."""

import datetime as dt
import json
import pickle
import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from gratitude_press.errors import ContentError
from gratitude_press.stories.aggregate import group, stories_json
from gratitude_press.stories.markdown_ext import GratitudeExtension
from gratitude_press.stories.parse import StoryError, scan, simple_options
from gratitude_press.stories.people import person_slug, person_url
from gratitude_press.stories.settings import parse_qualities, read_settings

CONFIG = read_settings({})
QUALITIES = CONFIG.qualities


def block(title="", quality="unexpected", person="Dana Whitfield", body="Thanks.",
          extra=""):
    header = "/// gratitude" + (f" | {title}" if title else "")
    options = [f"    quality: {quality}"] if quality is not None else []
    options += [f"    person: {person}"] if person is not None else []
    options += [f"    {line}" for line in extra.splitlines()]
    return "\n".join([header, *options, "", body, "///"])


def render(text, source=("posts/x.md", 1)):
    md = markdown.Markdown(extensions=[GratitudeExtension(), "markdown.extensions.extra",
                                       "markdown.extensions.toc"])
    md.gratitude_source = source
    html = md.convert(text)
    return BeautifulSoup(html, "html.parser"), md.gratitude_stories or []


# --- scan and check ------------------------------------------------------------

def test_scan_reads_title_options_and_header_line():
    text = "Intro.\n\n" + block("A card, years later", extra="from: Marcus Lee\nto: Dana")
    [story] = scan(text, QUALITIES)
    assert (story.line, story.title, story.quality, story.person) == (
        3, "A card, years later", "unexpected", "Dana Whitfield")
    assert (story.thanked_by, story.thanked) == ("Marcus Lee", "Dana")
    assert story.anchor == "dana-whitfield-a-card-years-later"


def test_untitled_story_gets_a_heading_and_an_anchor_from_its_quality():
    [story] = scan(block(quality="anticipates-needs"), QUALITIES)
    assert story.heading == "Thanks to Dana Whitfield"
    assert story.anchor == "dana-whitfield-anticipates-needs"


@pytest.mark.parametrize("written", ["Demonstrates knowing", "DEMONSTRATES-KNOWING",
                                     "demonstrates-knowing"])
def test_quality_may_be_written_as_slug_or_label(written):
    assert scan(block(quality=written), QUALITIES)[0].quality == "demonstrates-knowing"


def test_blocks_in_fenced_code_are_examples_not_stories():
    text = "```markdown\n" + block(quality="nonsense") + "\n```\n\n" + block()
    stories = scan(text, QUALITIES)
    assert [story.line for story in stories] == [10]


def test_other_blocks_nest_inside_a_story():
    body = "/// details | More\nHidden part.\n///\n\nAfter."
    [story] = scan(block(body=body), QUALITIES)
    assert story.person == "Dana Whitfield"


@pytest.mark.parametrize("text, line, words, hint", [
    (block(quality="unexpectd"), 1,
     "unknown quality 'unexpectd'; known qualities: unexpected, demonstrates-knowing, "
     "anticipates-needs", "did you mean 'unexpected'?"),
    (block(quality=None), 1, "no quality", "unexpected, demonstrates-knowing"),
    ("Intro.\n\n" + block(person=None), 3, "no person", "person: Full Name"),
    ("Intro.\n\n" + block(person='""'), 3, "no person", "person:"),
    ("/// gratitude | Open\n    quality: unexpected\n    person: Dana\n\nText\n", 1,
     "not closed", "///"),
    ("x\n\n" + block(body=""), 3, "no text", "between its options"),
    ("/// gratitude\nquality: unexpected\nperson: Dana\n\nText\n///", 2,
     "must be indented", "four spaces"),
    (block(extra="persn: Dana"), 1, "unknown story option 'persn'", "did you mean 'person'?"),
    (block(extra="to: [unclosed"), 4, "story options:", "key: value"),
    (block(body=block()), 5, "cannot contain another story", None),
])
def test_each_problem_names_its_line_and_what_to_do(text, line, words, hint):
    with pytest.raises(StoryError) as caught:
        scan(text, QUALITIES)
    assert caught.value.line == line
    assert words in caught.value.message
    assert hint is None or hint in caught.value.hint


def test_anchors_do_not_move_when_a_story_is_added_before_them():
    first = scan(block("One") + "\n\n" + block(person="June Park"), QUALITIES)
    more = scan(block("New", person="Leo") + "\n\n" + block("One") + "\n\n"
                + block(person="June Park"), QUALITIES)
    assert [s.anchor for s in first] == [s.anchor for s in more[1:]]


def test_clashing_anchors_are_told_apart_in_document_order():
    same = block("Same") + "\n\n" + block("Same", extra="from: Leo")
    assert [s.anchor for s in scan(same, QUALITIES)] == [
        "dana-whitfield-same", "dana-whitfield-same-from-leo"]
    three = "\n\n".join([block("Same")] * 3)
    assert [s.anchor for s in scan(three, QUALITIES)] == [
        "dana-whitfield-same", "dana-whitfield-same-2", "dana-whitfield-same-3"]


def test_person_identity_is_one_slug_and_one_url():
    assert person_slug("Tomás Okafor") == "tomas-okafor"
    assert person_url("Tomás Okafor") == "people/tomas-okafor/"


# --- rendering through Markdown (no Pelican) -------------------------------------

def test_story_renders_as_a_section_with_heading_quality_person_and_body():
    soup, [story] = render("## Part\n\n" + block("The card", body="Kind *words*.",
                                                 extra="from: Marcus Lee"))
    section = soup.select_one("section.gratitude-story")
    assert section["id"] == story["id"] == "dana-whitfield-the-card"
    assert section["data-quality"] == "unexpected"
    assert section.h3.get_text() == "The card"  # one level under the last heading
    quality, person = section.select("p.meta a")
    assert (quality.get_text(), person.get_text()) == ("Unexpected", "Dana Whitfield")
    assert quality["href"].endswith("gratitude/unexpected/")
    assert person["href"].endswith("people/dana-whitfield/")
    assert "Thanks from Marcus Lee" in section.select_one("p.meta").get_text()
    assert section.select_one(".gratitude-story-body em").get_text() == "words"
    assert story["body_html"] == "<p>Kind <em>words</em>.</p>"
    assert story["line"] == 3 and story["quality_label"] == "Unexpected"


def test_first_story_without_a_heading_above_is_an_h2():
    soup, _ = render(block("Top"))
    assert soup.select_one("section.gratitude-story h2").get_text() == "Top"


def test_every_field_is_text_never_html():
    evil = "<script>alert(1)</script>"
    text = block(f"Title {evil}", person=f'"Eve {evil}"',
                 extra=f'from: "From {evil}"\nto: "To {evil}"', body="Plain body.")
    soup, [story] = render(text)
    assert soup.find("script") is None
    shown = soup.select_one("section.gratitude-story").get_text()
    for word in ("Title", "Eve", "From", "To"):
        assert f"{word} {evil}" in shown
    assert story["person"] == f"Eve {evil}"


def test_markdown_in_title_is_not_interpreted():
    soup, _ = render(block("A *bold* [link](https://x.example)"))
    heading = soup.select_one("section.gratitude-story h2")
    assert heading.get_text() == "A *bold* [link](https://x.example)"
    assert heading.find("a") is None and heading.find("em") is None


def test_story_at_the_very_end_of_a_document_is_rendered():
    text = "An episode.\n\n" + block("Thanks", body="For the card.")  # no final newline
    soup, [story] = render(text)
    assert soup.select_one("section.gratitude-story .gratitude-story-body").get_text(
        strip=True) == "For the card."
    assert story["body_text"] == "For the card."


def test_render_error_names_file_and_line_in_the_file():
    with pytest.raises(ContentError) as caught:
        render("Intro.\n\n" + block(quality="grateful"), source=("posts/bad.md", 5))
    assert str(caught.value).startswith("posts/bad.md:7: unknown quality 'grateful'")


def test_extension_is_picklable_and_keeps_no_document_state():
    extension = GratitudeExtension()
    render(block())
    clone = pickle.loads(pickle.dumps(extension))
    assert clone.stories_config == extension.stories_config
    md = markdown.Markdown(extensions=[extension])
    md.convert(block("A"))
    other = markdown.Markdown(extensions=[extension])
    other.convert("No story here.")
    assert other.gratitude_stories is None and len(md.gratitude_stories) == 1


def _markdown():
    extensions = [GratitudeExtension(), "markdown.extensions.extra",
                  "markdown.extensions.toc"]
    return markdown.Markdown(extensions=extensions)


def _convert(md, text):
    md.gratitude_source = ("posts/x.md", 1)
    try:
        return md.convert(text), md.gratitude_stories
    except ContentError as error:
        return str(error), None


def test_one_markdown_object_converts_many_documents_after_reset():
    documents = ["# Head\n\n" + block("A") + "\n\n" + block("A"), "No story here.",
                 block("B", person="Marcus Lee"), "Intro.\n\n" + block("Only")]
    md = _markdown()
    for text in documents:
        assert _convert(md.reset(), text) == _convert(_markdown(), text)


@pytest.mark.parametrize("source", [
    "quality: unexpected\nperson: Dana Whitfield\n",
    "person: Jean-Luc O'Brien (Jo)\nfrom: Dr. Lee, Jr.\nto: Zoë   Ng  ",
    "person: A\nperson: B\nquality: kind",
])
def test_simple_options_are_what_yaml_reads(source):
    options = simple_options(source)
    assert options == yaml.safe_load(source)
    assert list(options) == list(yaml.safe_load(source))


@pytest.mark.parametrize("source", [
    "person: yes", "person: Null", "person: On", "to: Off", "person: Dana: Whitfield",
    "person: Dana #1", "person: 'Dana'", "person: [Dana]", "person: 2026-01-01",
    "person: 12", "person:", "who: Dana", "person : Dana", "  person: Dana",
    "person: Dana\n  more", "person: Dana\n\nto: Lee", "",
])
def test_other_options_are_left_to_yaml(source):
    assert simple_options(source) is None


# --- settings ------------------------------------------------------------------

def test_qualities_accept_dicts_or_tuples_and_reject_bad_entries():
    qualities = parse_qualities([("kind", "Kind", "Warm."), {"slug": "brave"}])
    assert [(q.slug, q.label) for q in qualities] == [("kind", "Kind"), ("brave", "Brave")]
    for bad in ([], [{"label": "No slug"}], [("a",), ("a",)]):
        with pytest.raises(ContentError):
            parse_qualities(bad)


def test_configured_qualities_replace_the_defaults():
    config = read_settings({"GRATITUDE_QUALITIES": [("kind", "Kind", "Warm.")]})
    assert scan(block(quality="kind"), config.qualities)[0].quality == "kind"
    with pytest.raises(StoryError, match="known qualities: kind"):
        scan(block(quality="unexpected"), config.qualities)


# --- grouping and JSON -------------------------------------------------------------

TZ = dt.timezone(dt.timedelta(hours=-6))


def post(title, day, stories=(), guests=None):
    metadata = {"gratitude_stories": [dict(s) for s in stories]}
    if guests is not None:
        metadata["guests"] = guests
    slug = title.lower().replace(" ", "-")
    return SimpleNamespace(title=title, url=f"2026/{slug}/", metadata=metadata,
                           date=dt.datetime(2026, 11, day, 8, 30, tzinfo=TZ))


def story(anchor, quality, person, heading="A story"):
    return {"id": anchor, "anchor": anchor, "quality": quality, "person": person,
            "quality_label": quality.title(), "person_url": person_url(person),
            "thanked_by": "", "thanked": "", "title": heading, "heading": heading,
            "body_html": "<p>x</p>", "body_text": "x", "line": 3}


def sample_posts():
    return [
        post("Old", 2, [story("a", "unexpected", "Dana Whitfield")]),
        post("New", 9, [story("b", "unexpected", "June Park"),
                        story("c", "anticipates-needs", "Dana Whitfield")]),
        post("Episode", 5, guests=[{"name": "Dana Whitfield", "title": "Ops"}, "bad"]),
    ]


def test_group_by_quality_newest_first_with_urls_to_anchors():
    gratitude = group(sample_posts(), CONFIG)
    by_quality = {q["slug"]: q for q in gratitude["qualities"]}
    assert [q["slug"] for q in gratitude["qualities"]] == [q.slug for q in QUALITIES]
    assert [s["url"] for s in by_quality["unexpected"]["stories"]] == [
        "2026/new/#b", "2026/old/#a"]
    assert by_quality["demonstrates-knowing"]["stories"] == []
    assert by_quality["anticipates-needs"]["url"] == "gratitude/anticipates-needs/"
    assert [s["id"] for s in gratitude["stories"]] == ["b", "c", "a"]


def test_people_have_their_stories_and_the_episodes_they_guested_in():
    people = group(sample_posts(), CONFIG)["people_by_slug"]
    dana = people["dana-whitfield"]
    assert [s["id"] for s in dana["stories"]] == ["c", "a"]
    assert [episode.title for episode in dana["episodes"]] == ["Episode"]
    assert dana["url"] == "people/dana-whitfield/" and dana["guest"]["title"] == "Ops"
    assert [p["name"] for p in group(sample_posts(), CONFIG)["people"]] == [
        "Dana Whitfield", "June Park"]


def test_story_of_a_quality_no_longer_configured_is_set_aside():
    gratitude = group([post("P", 1, [story("z", "retired", "Leo")])], CONFIG)
    assert gratitude["stories"] == [] and [s["id"] for s in gratitude["unknown"]] == ["z"]


def test_stories_json_has_absolute_urls_and_dates_with_offset():
    items = json.loads(stories_json(group(sample_posts(), CONFIG)["stories"],
                                    "https://gratitude.example"))
    first = items[0]
    assert first["url"] == "https://gratitude.example/2026/new/#b"
    assert first["date"] == "2026-11-09T08:30:00-06:00"
    assert (first["quality"], first["person"], first["title"], first["post_title"]) == (
        "unexpected", "June Park", "A story", "New")
    relative = json.loads(stories_json(group(sample_posts(), CONFIG)["stories"], ""))
    assert relative[0]["url"] == "2026/new/#b"


def test_readme_example_is_a_valid_story():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(/// gratitude.*?\n///)\n```", readme, re.S).group(1)
    [story] = scan(example, QUALITIES)
    assert (story.quality, story.person, story.thanked_by) == (
        "unexpected", "Dana Whitfield", "Marcus Lee")


def test_story_in_a_list_item_is_rendered_and_checked_with_its_line():
    item = "- An item\n\n" + "\n".join("    " + line if line else ""
                                       for line in block("In a list").split("\n"))
    soup, [story] = render(item + "\n\nAfter.\n")
    assert soup.select_one("li section.gratitude-story")["id"] == "dana-whitfield-in-a-list"
    assert story["line"] == 3
    bad = item.replace("unexpected", "grateful")
    with pytest.raises(ContentError, match=r"^posts/x.md:3: unknown quality 'grateful'"):
        render(bad)
