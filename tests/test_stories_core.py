"""Gratitude stories, the pure parts: read and check blocks, render, group, JSON."""

import datetime as dt
import json
import pickle
import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from bs4 import BeautifulSoup

from gratitude_press.errors import ContentError
from gratitude_press.settings import SettingsSource, SettingValues
from gratitude_press.stories import settings as stories_settings
from gratitude_press.stories.aggregate import group, stories_json
from gratitude_press.stories.check import (
    HeaderLines,
    StoryError,
    check_header,
    option_validators,
)
from gratitude_press.stories.markdown_ext import GratitudeExtension, stories_of
from gratitude_press.stories.people import person_slug, person_url
from gratitude_press.stories.settings import default_config, parse_qualities

# The site's Markdown extensions (pelicanconf.py), which stories must live with.
SITE_EXTENSIONS = [
    "markdown.extensions.codehilite",
    "markdown.extensions.extra",
    "markdown.extensions.toc",
]


def stories_config(**settings):
    """The stories settings as a build reads them (``stories/settings.py``)."""
    source = SettingsSource(Path(__file__).parent / "no-such-settings.py")
    return stories_settings.read(
        SettingValues(settings, stories_settings.DEFAULTS, source)
    )


CONFIG = stories_config()
QUALITIES = CONFIG.qualities


def block(
    title="", quality="unexpected", person="Dana Whitfield", body="Thanks.", extra=""
):
    header = "/// gratitude" + (f" | {title}" if title else "")
    options = [f"    quality: {quality}"] if quality is not None else []
    options += [f"    person: {person}"] if person is not None else []
    options += [f"    {line}" for line in extra.splitlines()]
    return "\n".join([header, *options, "", body, "///"])


def _markdown(
    config=None, extensions=("markdown.extensions.extra", "markdown.extensions.toc")
):
    return markdown.Markdown(
        extensions=[GratitudeExtension(config or CONFIG), *extensions]
    )


def render(text, source=("posts/x.md", 1), config=None):
    md = _markdown(config)
    md.gratitude_source = source
    html = md.convert(text)
    return BeautifulSoup(html, "html.parser"), stories_of(md)


def stories(text, config=None):
    return render(text, config=config)[1]


def problem(text, config=None):
    """The one-line error for ``text`` in ``posts/x.md`` (the body starts on line 1)."""
    with pytest.raises(ContentError) as caught:
        render(text, config=config)
    return caught.value


# --- read and check ------------------------------------------------------------


def test_story_has_title_options_and_header_line():
    text = "Intro.\n\n" + block(
        "A card, years later", extra="from: Marcus Lee\nto: Dana"
    )
    [story] = stories(text)
    assert (story["line"], story["title"], story["quality"], story["person"]) == (
        3,
        "A card, years later",
        "unexpected",
        "Dana Whitfield",
    )
    assert (story["thanked_by"], story["thanked"]) == ("Marcus Lee", "Dana")
    assert story["anchor"] == story["id"] == "dana-whitfield-a-card-years-later"
    assert (story["person_slug"], story["person_url"]) == (
        "dana-whitfield",
        "people/dana-whitfield/",
    )


def test_untitled_story_gets_a_heading_and_an_anchor_from_its_quality():
    [story] = stories(block(quality="anticipates-needs"))
    assert story["heading"] == "Thanks to Dana Whitfield" and story["title"] == ""
    assert story["anchor"] == "dana-whitfield-anticipates-needs"


@pytest.mark.parametrize(
    "written",
    [
        "Demonstrates knowing",
        "DEMONSTRATES-KNOWING",
        "demonstrates-knowing",
        "demonstrates KNOWING",
    ],
)
def test_quality_may_be_written_as_slug_or_label(written):
    [story] = stories(block(quality=written))
    assert (story["quality"], story["quality_label"]) == (
        "demonstrates-knowing",
        "Demonstrates knowing",
    )


def test_option_validators_normalise_or_raise_value_errors():
    validators = option_validators(QUALITIES)
    assert validators["quality"]("Anticipates Needs") == "anticipates-needs"
    assert validators["person"]("  Dana \t Whitfield ") == "Dana Whitfield"
    assert validators["to"](None) == "" and validators["from"](2026) == "2026"
    for name, value in [
        ("quality", "grateful"),
        ("quality", ""),
        ("person", ["a"]),
        ("to", {"a": 1}),
    ]:
        with pytest.raises(ValueError):
            validators[name](value)


def test_check_header_reads_the_options_as_written():
    story = check_header(
        "  A   card ", "quality: unexpected\nperson: Dana\n", "", 7, QUALITIES
    )
    assert (story.line, story.title, story.quality, story.person) == (
        7,
        "A card",
        "unexpected",
        "Dana",
    )
    with pytest.raises(StoryError) as caught:
        check_header("", "person: Dana\n", "", 7, QUALITIES)
    assert (caught.value.line, caught.value.message) == (7, "the story has no quality")


def test_header_name_is_case_insensitive_and_an_empty_title_is_no_title():
    [upper, empty] = stories(
        "/// Gratitude | Upper\n    quality: unexpected\n"
        "    person: Ana\n\nBody.\n///\n\n/// gratitude |\n"
        "    quality: unexpected\n    person: Ana\n\nBody.\n///"
    )
    assert (upper["title"], empty["title"], empty["heading"]) == (
        "Upper",
        "",
        "Thanks to Ana",
    )


def test_blocks_in_fenced_code_are_examples_not_stories():
    text = "```markdown\n" + block(quality="nonsense") + "\n```\n\n" + block()
    soup, found = render(text)
    assert [story["line"] for story in found] == [10]
    assert "/// gratitude" in soup.select_one("pre code").get_text()
    assert len(soup.select("section.gratitude-story")) == 1


def test_other_blocks_nest_inside_a_story():
    body = "/// details | More\nHidden part.\n///\n\nAfter."
    soup, [story] = render(block(body=body) + "\n\nOutside.")
    assert story["person"] == "Dana Whitfield"
    assert "After." in story["body_text"] and "Outside." not in story["body_text"]
    assert soup.find_all("p")[-1].get_text() == "Outside."


def test_a_longer_header_is_closed_only_by_as_many_slashes():
    text = (
        "//// gratitude | Long\n    quality: unexpected\n    person: Ana\n\n"
        "Body\n///\nmore\n////\n\nAfter."
    )
    soup, [story] = render(text)
    assert story["body_text"] == "Body /// more"
    assert soup.find_all("p")[-1].get_text() == "After."


def test_text_around_a_story_in_the_same_paragraph_stays_outside_it():
    text = (
        "Before.\n/// gratitude | Tight\n    quality: unexpected\n    person: Ana\n"
        "Body right away.\n///\nAfter."
    )
    soup, [story] = render(text)
    assert story["line"] == 2 and story["body_text"] == "Body right away."
    assert [p.get_text() for p in soup.find_all("p", recursive=False)] == [
        "Before.",
        "After.",
    ]


def test_a_line_of_slashes_can_be_escaped():
    soup, found = render("\\///\n\nThis and\\/or that.")
    assert found == [] and soup.get_text().split() == ["///", "This", "and/or", "that."]


@pytest.mark.parametrize(
    "text, line, words, hint",
    [
        (
            block(quality="unexpectd"),
            1,
            (
                "unknown quality 'unexpectd'; known qualities: unexpected, "
                "demonstrates-knowing, "
                "anticipates-needs"
            ),
            "did you mean 'unexpected'?",
        ),
        (block(quality=None), 1, "no quality", "unexpected, demonstrates-knowing"),
        (block(quality='""'), 1, "no quality", "unexpected, demonstrates-knowing"),
        ("Intro.\n\n" + block(person=None), 3, "no person", "person: Full Name"),
        ("Intro.\n\n" + block(person='""'), 3, "no person", "person:"),
        (
            "/// gratitude | Open\n    quality: unexpected\n    person: Dana\n\nText\n",
            1,
            "not closed",
            "///",
        ),
        ("x\n\n" + block(body=""), 3, "no text", "between its options"),
        ("x\n\n" + block(body="   "), 3, "no text", "between its options"),
        (
            "/// gratitude\nquality: unexpected\nperson: Dana\n\nText\n///",
            2,
            "must be indented",
            "four spaces",
        ),
        (
            "x\n\n/// gratitude | T\n  person: Dana\n\nText\n///",
            4,
            "must be indented",
            "four spaces",
        ),
        (
            block(extra="persn: Dana"),
            1,
            "unknown story option 'persn'",
            "did you mean 'person'?",
        ),
        (block(extra="attrs: {class: x}"), 1, "unknown story option 'attrs'", None),
        (
            block(extra="to: [unclosed"),
            4,
            "story options: expected ',' or ']'",
            "key: value",
        ),
        (
            block(extra="to: {a: b}"),
            1,
            "the story option 'to' must be one line",
            "quote",
        ),
        (
            "/// gratitude\n    - unexpected\n    - Dana\n\nText\n///",
            2,
            "must be `key: value` lines",
            "four spaces",
        ),
        (
            block(body=block()),
            5,
            "cannot contain another story",
            "close the first story",
        ),
        (
            block("Outer", body="Text.\n\n" + block("Inner")),
            7,
            "cannot contain another story",
            None,
        ),
    ],
)
def test_each_problem_names_its_line_and_what_to_do(text, line, words, hint):
    error = problem(text)
    assert (error.path, error.line) == ("posts/x.md", line)
    assert words in error.message
    assert hint is None or hint in error.hint
    assert "\n" not in str(error)


def test_the_first_bad_story_is_reported_even_when_untitled_like_the_next():
    text = "Intro.\n\n" + block(extra="persn: x") + "\n\n" + block()
    assert problem(text).line == 3
    text = "Intro.\n\n" + block("One") + "\n\n" + block("Two", quality="nope")
    assert problem(text).line == 10


def test_error_lines_count_from_the_first_line_of_the_body_in_the_file():
    with pytest.raises(ContentError) as caught:
        render("Intro.\n\n" + block(quality="grateful"), source=("posts/bad.md", 5))
    assert str(caught.value).startswith("posts/bad.md:7: unknown quality 'grateful'")


def test_a_story_the_build_appended_is_reported_at_the_entry_it_was_made_from():
    # The body line of the added block's header (3) maps to the file line of the entry.
    with pytest.raises(ContentError) as caught:
        render(
            "Notes.\n\n" + block(quality="grateful"),
            source=("episodes/e.md", 4, ((3, 12),)),
        )
    assert caught.value.line == 12 and "unknown quality" in caught.value.message


def test_header_lines_skip_fenced_examples_but_not_unclosed_fences():
    lines = [
        "```",
        "/// gratitude | In code",
        "```",
        "/// gratitude | Real",
        "    /// gratitude | In a list",
        "> /// gratitude | Quoted",
        "~~~",
        "/// gratitude | After an unclosed fence",
    ]
    headers = HeaderLines(lines)
    assert headers.headers == [
        (4, "Real"),
        (5, "In a list"),
        (6, "Quoted"),
        (8, "After an unclosed fence"),
    ]
    assert headers.take("In a list") == 5  # a header Markdown skipped is passed over
    assert headers.take("Real") is None and headers.take("Quoted") == 6


def test_anchors_do_not_move_when_a_story_is_added_before_them():
    first = stories(block("One") + "\n\n" + block(person="June Park"))
    more = stories(
        block("New", person="Leo")
        + "\n\n"
        + block("One")
        + "\n\n"
        + block(person="June Park")
    )
    assert [s["anchor"] for s in first] == [s["anchor"] for s in more[1:]]


def test_clashing_anchors_are_told_apart_in_document_order():
    same = block("Same") + "\n\n" + block("Same", extra="from: Leo")
    assert [s["anchor"] for s in stories(same)] == [
        "dana-whitfield-same",
        "dana-whitfield-same-from-leo",
    ]
    three = "\n\n".join([block("Same")] * 3)
    assert [s["anchor"] for s in stories(three)] == [
        "dana-whitfield-same",
        "dana-whitfield-same-2",
        "dana-whitfield-same-3",
    ]


def test_person_identity_is_one_slug_and_one_url():
    assert person_slug("Tomás Okafor") == "tomas-okafor"
    assert person_url("Tomás Okafor") == "people/tomas-okafor/"


# --- rendering through Markdown (no Pelican) -------------------------------------


def test_story_renders_as_a_section_with_heading_quality_person_and_body():
    soup, [story] = render(
        "## Part\n\n"
        + block("The card", body="Kind *words*.", extra="from: Marcus Lee")
    )
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


def test_heading_levels_follow_the_headings_before_each_story_not_inside_one():
    text = "\n\n".join(
        [
            "# Title",
            block("A", body="### Inside\n\nText."),
            block("B"),
            "#### Deep",
            block("C"),
            "###### Deepest",
            block("D"),
        ]
    )
    soup, _ = render(text)
    levels = [
        section.find(re.compile("^h[1-6]$")).name
        for section in soup.select("section.gratitude-story")
    ]
    assert levels == ["h2", "h2", "h5", "h6"]


def test_body_is_stored_as_the_page_shows_it():
    body = (
        "Kind &amp; *careful* words  \nand &copy; <span title='say \"hi\"'>raw</span>."
        "\n\n```python\nprint('x')\n```\n\n<div class=\"raw\">\nRaw block.\n</div>"
    )
    md = _markdown(extensions=SITE_EXTENSIONS)
    md.gratitude_source = ("posts/x.md", 1)
    page = md.convert(block(body=body))
    [story] = stories_of(md)
    shown = BeautifulSoup(page, "html.parser").select_one(".gratitude-story-body")
    assert story["body_html"] == shown.decode_contents().strip()
    assert story["body_text"] == " ".join(shown.get_text().split())
    assert "<br/>" in story["body_html"] and "©" in story["body_html"]
    assert (
        '<div class="raw">' in story["body_html"] and "codehilite" in story["body_html"]
    )


def test_every_field_is_text_never_html():
    evil = "<script>alert(1)</script>"
    text = block(
        f"Title {evil}",
        person=f'"Eve {evil}"',
        extra=f'from: "From {evil}"\nto: "To {evil}"',
        body="Plain body.",
    )
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
    assert (
        soup.select_one("section.gratitude-story .gratitude-story-body").get_text(
            strip=True
        )
        == "For the card."
    )
    assert story["body_text"] == "For the card."


def test_story_in_a_block_quote_is_rendered_with_its_line():
    quoted = "\n".join(f"> {line}" if line else ">" for line in block("Q").split("\n"))
    soup, [story] = render("Intro.\n\n" + quoted + "\n\nAfter.")
    assert (
        soup.select_one("blockquote section.gratitude-story")["id"]
        == "dana-whitfield-q"
    )
    assert story["line"] == 3 and soup.find_all("p")[-1].get_text() == "After."


def test_extension_is_picklable_and_keeps_no_document_state():
    extension = GratitudeExtension(CONFIG)
    clone = pickle.loads(pickle.dumps(extension))
    assert clone.stories_config == extension.stories_config
    md = markdown.Markdown(extensions=[extension])
    md.convert(block("A"))
    other = markdown.Markdown(extensions=[extension])
    other.convert("No story here.")
    assert stories_of(other) == [] and len(stories_of(md)) == 1
    assert stories_of(md.reset()) == []


def test_without_settings_the_extension_uses_the_documented_defaults():
    assert default_config() == CONFIG
    md = markdown.Markdown(extensions=[GratitudeExtension()])
    md.convert(block(quality="Anticipates needs"))
    assert stories_of(md)[0]["quality"] == "anticipates-needs"


def test_the_extension_changes_only_its_own_markdown_object():
    md = markdown.Markdown(extensions=[GratitudeExtension(CONFIG)])
    md.convert(block())
    plain = markdown.Markdown()
    assert "/" in md.ESCAPED_CHARS and "/" not in plain.ESCAPED_CHARS
    assert plain.convert("a\\/b") == "<p>a\\/b</p>"


def _convert(md, text):
    md.gratitude_source = ("posts/x.md", 1)
    try:
        return md.convert(text), stories_of(md)
    except ContentError as error:
        return str(error), None


def test_one_markdown_object_converts_many_documents_after_reset():
    documents = [
        "# Head\n\n" + block("A") + "\n\n" + block("A"),
        "No story here.",
        block("B", person="Marcus Lee"),
        "Intro.\n\n" + block("Only"),
        block(quality="nope"),
        "- item\n\n    " + block("In a list"),
    ]
    md = _markdown()
    for text in documents:
        assert _convert(md.reset(), text) == _convert(_markdown(), text)


def test_a_post_with_two_thousand_stories_is_read_in_one_pass():
    """Reading is linear in the number of stories (this took over a minute when
    stories were parsed twice); the test checks the result, not the time."""
    headings = {0: "# Stories"}
    text = "\n\n".join(
        headings.get(number, "")
        + "\n\n"
        + block(
            f"Story {number % 700}",
            person=f"Person {number % 13}",
            body=(
                f"Thanks *number* {number}, see [notes](https://example.org/{number})."
            ),
            extra="from: Marcus Lee" if number % 3 else "",
        )
        for number in range(2000)
    )
    md = _markdown(extensions=SITE_EXTENSIONS)
    md.gratitude_source = ("posts/big.md", 5)
    page = md.convert(text)
    found = stories_of(md)
    assert len(found) == 2000 and page.count('class="gratitude-story"') == 2000
    assert len({story["id"] for story in found}) == 2000
    assert found[-1]["body_text"] == ("Thanks number 1999, see notes.")
    assert found[-1]["line"] == 5 + text.split("\n").index(
        "/// gratitude | Story 599", len(text.split("\n")) - 10
    )


def test_readme_example_is_a_valid_story():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(
        encoding="utf-8"
    )
    example = re.search(
        r"```markdown\n(/// gratitude.*?\n///)\n```", readme, re.DOTALL
    ).group(1)
    [story] = stories(example)
    assert (story["quality"], story["person"], story["thanked_by"]) == (
        "unexpected",
        "Dana Whitfield",
        "Marcus Lee",
    )


# --- settings ------------------------------------------------------------------


def test_qualities_accept_dicts_or_tuples_and_reject_bad_entries():
    qualities = parse_qualities([("kind", "Kind", "Warm."), {"slug": "brave"}])
    assert [(q.slug, q.label) for q in qualities] == [
        ("kind", "Kind"),
        ("brave", "Brave"),
    ]
    for bad in ([], [{"label": "No slug"}], [("a",), ("a",)]):
        with pytest.raises(ContentError):
            parse_qualities(bad)


def test_configured_qualities_replace_the_defaults():
    config = stories_config(GRATITUDE_QUALITIES=[("kind", "Kind", "Warm.")])
    [story] = stories(block(quality="KIND"), config)
    assert (story["quality"], story["quality_label"]) == ("kind", "Kind")
    assert (
        "known qualities: kind" in problem(block(quality="unexpected"), config).message
    )


# --- grouping and JSON -------------------------------------------------------------

TZ = dt.timezone(dt.timedelta(hours=-6))


def post(title, day, stories=(), guests=None):
    metadata = {"gratitude_stories": [dict(s) for s in stories]}
    if guests is not None:
        metadata["guests"] = guests
    slug = title.lower().replace(" ", "-")
    return SimpleNamespace(
        title=title,
        url=f"2026/{slug}/",
        metadata=metadata,
        date=dt.datetime(2026, 11, day, 8, 30, tzinfo=TZ),
    )


def story(anchor, quality, person, heading="A story"):
    return {
        "id": anchor,
        "anchor": anchor,
        "quality": quality,
        "person": person,
        "quality_label": quality.title(),
        "person_url": person_url(person),
        "thanked_by": "",
        "thanked": "",
        "title": heading,
        "heading": heading,
        "body_html": "<p>x</p>",
        "body_text": "x",
        "line": 3,
    }


def sample_posts():
    return [
        post("Old", 2, [story("a", "unexpected", "Dana Whitfield")]),
        post(
            "New",
            9,
            [
                story("b", "unexpected", "June Park"),
                story("c", "anticipates-needs", "Dana Whitfield"),
            ],
        ),
        post("Episode", 5, guests=[{"name": "Dana Whitfield", "title": "Ops"}, "bad"]),
    ]


def test_group_by_quality_newest_first_with_urls_to_anchors():
    gratitude = group(sample_posts(), CONFIG)
    by_quality = {q["slug"]: q for q in gratitude["qualities"]}
    assert [q["slug"] for q in gratitude["qualities"]] == [q.slug for q in QUALITIES]
    assert [s["url"] for s in by_quality["unexpected"]["stories"]] == [
        "2026/new/#b",
        "2026/old/#a",
    ]
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
        "Dana Whitfield",
        "June Park",
    ]


def test_story_of_a_quality_no_longer_configured_is_set_aside():
    gratitude = group([post("P", 1, [story("z", "retired", "Leo")])], CONFIG)
    assert gratitude["stories"] == [] and [s["id"] for s in gratitude["unknown"]] == [
        "z"
    ]


def test_stories_json_has_absolute_urls_and_dates_with_offset():
    items = json.loads(
        stories_json(
            group(sample_posts(), CONFIG)["stories"], "https://gratitude.example"
        )
    )
    first = items[0]
    assert first["url"] == "https://gratitude.example/2026/new/#b"
    assert first["date"] == "2026-11-09T08:30:00-06:00"
    assert (first["quality"], first["person"], first["title"], first["post_title"]) == (
        "unexpected",
        "June Park",
        "A story",
        "New",
    )
    relative = json.loads(stories_json(group(sample_posts(), CONFIG)["stories"], ""))
    assert relative[0]["url"] == "2026/new/#b"


def test_story_in_a_list_item_is_rendered_and_checked_with_its_line():
    item = "- An item\n\n" + "\n".join(
        "    " + line if line else "" for line in block("In a list").split("\n")
    )
    soup, [story] = render(item + "\n\nAfter.\n")
    assert (
        soup.select_one("li section.gratitude-story")["id"]
        == "dana-whitfield-in-a-list"
    )
    assert story["line"] == 3
    bad = item.replace("unexpected", "grateful")
    with pytest.raises(
        ContentError, match=r"^posts/x.md:3: unknown quality 'grateful'"
    ):
        render(bad)


def test_a_story_in_a_list_item_may_span_the_items_paragraphs():
    body = "First paragraph.\n\n- a nested list\n\n    continued\n\nLast paragraph."
    item = "- An item\n\n" + "\n".join(
        "    " + line if line else "" for line in block("Long", body=body).split("\n")
    )
    soup, [story] = render(item + "\n\n- Next item\n\nAfter.\n")
    section = soup.select_one("li section.gratitude-story")
    assert [p.get_text() for p in section.select(".gratitude-story-body > p")] == [
        "First paragraph.",
        "Last paragraph.",
    ]
    assert (
        section.select_one(".gratitude-story-body ul li p").get_text()
        == "a nested list"
    )
    items = soup.find("ul").find_all("li", recursive=False)
    assert [item.p.get_text() for item in items] == ["An item", "Next item"]
    assert story["line"] == 3 and soup.find_all("p")[-1].get_text() == "After."


def test_an_unclosed_story_in_a_list_item_names_its_line():
    item = (
        "- An item\n\n    /// gratitude | Open\n        quality: unexpected\n"
        "        person: Ana\n\n    Body.\n\nOutside.\n"
    )
    error = problem(item)
    assert (error.line, error.message) == (3, "the story is not closed")
