"""Gratitude stories in real builds of tiny sites, asserted on the output HTML."""

import json
import os
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITES, Site, write_settings

SITEURL = "https://gratitude.example"
QUALITY_ORDER = ["unexpected", "demonstrates-knowing", "anticipates-needs"]
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def target(output, page, href, siteurl=SITEURL):
    """The output file and fragment a link on ``page`` leads to (None if off-site)."""
    url, fragment = urldefrag(href)
    if url.startswith(siteurl + "/"):
        path = url[len(siteurl) + 1 :]
    elif urlparse(url).scheme or url.startswith("/"):
        return None, fragment
    else:
        here = posixpath.dirname(page.relative_to(output).as_posix())
        path = (
            posixpath.normpath(posixpath.join(here, url))
            if url
            else page.relative_to(output).as_posix()
        )
    file = output / path
    return (
        file / "index.html" if file.is_dir() or path.endswith("/") else file
    ), fragment


def assert_link_works(output, page, href, siteurl=SITEURL):
    file, fragment = target(output, page, href, siteurl)
    assert file is not None and file.exists(), f"{href} on {page} leads nowhere"
    if fragment:
        assert soup(file).find(id=fragment), f"{href}: no #{fragment} in {file}"


def own_links(html, siteurl=SITEURL):
    """The hrefs of ``html`` that point into the site (not to example.org)."""
    return [
        a["href"]
        for a in html.select("main a[href]")
        if a["href"].startswith(siteurl + "/") or not urlparse(a["href"]).scheme
    ]


def sections(page):
    return soup(page).select("section.gratitude-story")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("stories"), template="stories")
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site.output


# --- rendering in posts --------------------------------------------------------------


def test_each_story_is_a_section_with_heading_quality_and_person(built):
    page = built / "2026/first-thanks/index.html"
    first, second = sections(page)
    assert first["id"] == "dana-whitfield-a-card-years-later"
    assert first.h2.get_text() == "A card, years later"
    assert second["id"] == "june-park-anticipates-needs"
    assert second.h3.get_text() == "Thanks to June Park"  # under "## Later"
    quality, person = first.select("p.meta a")
    assert quality.get_text() == "Unexpected"
    assert quality["href"] == f"{SITEURL}/gratitude/unexpected/"
    assert person.get_text() == "Dana Whitfield"
    assert person["href"] == f"{SITEURL}/people/dana-whitfield/"
    assert (
        "Thanks from Marcus Lee to Dana Whitfield"
        in first.select_one("p.meta").get_text()
    )
    assert first.select_one(".gratitude-story-body em").get_text() == "stayed"


def test_links_in_stories_lead_to_real_pages(built):
    for page in (
        built / "2026/first-thanks/index.html",
        built / "2026/second-thanks/index.html",
        built / "about/index.html",
    ):
        for link in soup(page).select("section.gratitude-story a[href]"):
            assert_link_works(built, page, link["href"])


def test_a_story_at_the_very_end_of_a_file_is_rendered(built):
    last = sections(built / "2026/second-thanks/index.html")[-1]
    assert last["id"] == "leo-brandt-last-words"
    assert "a year later" in last.select_one(".gratitude-story-body").get_text()


# --- aggregation ---------------------------------------------------------------------


def test_index_groups_by_quality_newest_first_linking_to_anchors(built):
    page = built / "gratitude/index.html"
    html = soup(page)
    groups = html.select("section.gratitude-quality")
    assert [group["id"] for group in groups] == QUALITY_ORDER
    listed = {
        group["id"]: [li.a.get_text() for li in group.select("li")] for group in groups
    }
    assert listed == {
        "unexpected": ["Last words", "A card, years later"],
        "demonstrates-knowing": ["The hard part, remembered"],
        "anticipates-needs": ["Thanks to June Park", "The first reader"],
    }  # page last
    for link in html.select("section.gratitude-quality a[href]"):
        assert_link_works(built, page, link["href"])
    first = groups[0].select_one("li a")["href"]
    assert first == f"{SITEURL}/2026/second-thanks/#leo-brandt-last-words"


def test_index_links_stories_json_as_alternate(built):
    alternate = soup(built / "gratitude/index.html").select_one(
        'head link[rel="alternate"][type="application/json"]'
    )
    assert alternate["href"] == f"{SITEURL}/stories.json"
    assert (built / "stories.json").exists()


def test_quality_page_lists_only_its_stories_with_their_bodies(built):
    page = built / "gratitude/unexpected/index.html"
    html = soup(page)
    assert html.h1.get_text() == "Unexpected"
    stories = html.select("article.gratitude-story")
    assert [s.h2.get_text() for s in stories] == ["Last words", "A card, years later"]
    assert (
        "weekly questions" in stories[1].select_one(".gratitude-story-body").get_text()
    )
    for href in own_links(html):
        assert_link_works(built, page, href)


def test_person_page_has_their_stories_and_episodes(built):
    page = built / "people/dana-whitfield/index.html"
    html = soup(page)
    assert html.h1.get_text() == "Dana Whitfield"
    assert [s.h3.get_text() for s in html.select("article.gratitude-story")] == [
        "The hard part, remembered",
        "A card, years later",
    ]
    episodes = html.select(".person-episodes li a")
    assert [a.get_text() for a in episodes] == ["A conversation with Dana"]
    for href in own_links(html):
        assert_link_works(built, page, href)
    body_link = html.select_one('.gratitude-story-body a[href*="first-thanks"]')
    assert body_link["href"] == f"{SITEURL}/2026/first-thanks/"  # {filename} resolved
    assert (built / "people/june-park/index.html").exists()
    assert (built / "people/leo-brandt/index.html").exists()


def test_stories_json_lists_every_story_with_working_urls(built):
    items = json.loads((built / "stories.json").read_text(encoding="utf-8"))
    assert [item["title"] for item in items] == [
        "The hard part, remembered",
        "Last words",
        "A card, years later",
        "Thanks to June Park",
        "The first reader",
    ]
    first = items[0]
    assert first["quality"] == "demonstrates-knowing"
    assert first["person"] == "Dana Whitfield"
    assert first["post_title"] == "Second thanks"
    assert (
        first["url"]
        == f"{SITEURL}/2026/second-thanks/#dana-whitfield-the-hard-part-remembered"
    )
    for item in items:
        assert item["post_title"] == "About" or ISO_WITH_OFFSET.match(item["date"])
        assert_link_works(built, built / "stories.json", item["url"])
    assert items[-1]["url"] == f"{SITEURL}/about/#ana-lima-the-first-reader"
    assert items[-1]["date"] is None  # a page without a date


# --- relative URLs (make html) ------------------------------------------------------


def test_relative_build_links_work_from_every_page(tmp_path):
    site = Site(tmp_path, template="stories")
    result = site.build(SITEURL="", RELATIVE_URLS=True)
    assert result.returncode == 0, result.stdout + result.stderr
    out = site.output
    meta = sections(out / "2026/first-thanks/index.html")[0].select("p.meta a")
    assert [a["href"] for a in meta] == [
        "../../gratitude/unexpected/",
        "../../people/dana-whitfield/",
    ]
    for page in (
        "2026/first-thanks/index.html",
        "gratitude/index.html",
        "gratitude/unexpected/index.html",
        "people/dana-whitfield/index.html",
    ):
        for href in own_links(soup(out / page), siteurl=""):
            assert_link_works(out, out / page, href, siteurl="")


# --- escaping ---------------------------------------------------------------------


def test_script_in_any_field_is_shown_as_text_everywhere(site):
    evil = "<script>alert(1)</script>"
    site.write(
        "posts/evil.md",
        f"""
        Title: Evil
        Date: 2026-03-02

        /// gratitude | Title {evil}
            quality: unexpected
            person: "Eve {evil}"
            from: "From {evil}"
            to: "To {evil}"

        Body.
        ///
    """,
    )
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    out = site.output
    pages = [
        out / "2026/evil/index.html",
        out / "gratitude/index.html",
        out / "gratitude/unexpected/index.html",
    ]
    pages += list((out / "people").glob("*/index.html"))  # who it is about, from, to
    assert len(pages) == 6
    for page in pages:
        html = soup(page)
        scripts = html.find_all("script")  # the theme's JSON-LD escapes "<" itself
        assert all(
            tag.get("type") == "application/ld+json" and "<script" not in tag.string
            for tag in scripts
        ), page
        assert f"Eve {evil}" in html.get_text(), page
    web = soup(out / "gratitude/index.html")  # its picture of who thanked whom
    assert {text.get_text() for text in web.select("svg .nodes text")} == {
        f"From {evil}",
        f"To {evil}",
    }
    post = sections(out / "2026/evil/index.html")[0].get_text()
    for shown in (f"Title {evil}", f"From {evil}", f"To {evil}"):
        assert shown in post
    items = json.loads((out / "stories.json").read_text())
    assert items[0]["person"] == f"Eve {evil}"


def test_live_script_in_a_story_body_is_dropped_on_every_page(site):
    """Story pages show the body the post shows: cleaned like the rest of the post."""
    site.write(
        "posts/live.md",
        """
        Title: Live
        Date: 2026-03-02

        /// gratitude | Live
            quality: unexpected
            person: Eve Body

        Look <img src="x.png" alt="x" onerror="alert(1)"> here.

        <script>alert(2)</script>
        ///
    """,
    )
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    out = site.output
    for page in (
        "2026/live/index.html",
        "gratitude/unexpected/index.html",
        "people/eve-body/index.html",
    ):
        body = soup(out / page).select_one(".gratitude-story-body")
        assert body.img["alt"] == "x" and not body.img.has_attr("onerror"), page
        assert body.find("script") is None, page


# --- validation ---------------------------------------------------------------------

BAD = {
    "unknown-quality": (
        (
            "/// gratitude | Oops\n    quality: unexpectd\n    person: Dana\n\n"
            "Text.\n///\n"
        ),
        5,
        (
            "unknown quality 'unexpectd'; known qualities: unexpected, "
            "demonstrates-knowing, anticipates-needs (did you mean 'unexpected'?)"
        ),
    ),
    "missing-person": (
        "/// gratitude\n    quality: unexpected\n\nText.\n///\n",
        5,
        "the story has no person",
    ),
    "unclosed": (
        (
            "Before.\n\n/// gratitude\n    quality: unexpected\n    person: Dana\n\n"
            "Text that never ends.\n"
        ),
        7,
        "the story is not closed",
    ),
    "empty-body": (
        "/// gratitude\n    quality: unexpected\n    person: Dana\n\n///\n",
        5,
        "the story has no text",
    ),
    "unknown-option": (
        (
            "Intro.\n\n/// gratitude\n    quality: unexpected\n"
            "    persn: Dana\n\nText.\n///\n"
        ),
        7,
        (
            "unknown story option 'persn'; known options: quality, person, "
            "from, to, answers (did you mean 'person'?)"
        ),
    ),
    "not-indented": (
        "/// gratitude\nquality: unexpected\nperson: Dana\n\nText.\n///\n",
        6,
        "the story options must be indented",
    ),
    "story-in-story": (
        (
            "/// gratitude | Outer\n    quality: unexpected\n    person: Dana\n"
            "\nText.\n\n/// gratitude | Inner\n    quality: unexpected\n"
            "    person: Leo\n\nMore.\n///\n///\n"
        ),
        11,
        "a story cannot contain another story",
    ),
    "bad-yaml": (
        (
            "/// gratitude\n    quality: unexpected\n    person: Dana\n"
            "    to: [Leo\n\nText.\n///\n"
        ),
        8,
        "story options: expected ',' or ']'",
    ),
    "in-a-list": (
        (
            "- An item\n\n    /// gratitude | Listed\n        quality: gratefull\n"
            "        person: Dana\n\n    Text.\n    ///\n"
        ),
        7,
        "unknown quality 'gratefull'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_story_fails_the_strict_build_with_file_and_line(site, case):
    """Every problem of a story is one line naming the file and the line."""
    body, line, message = BAD[case]
    site.write("posts/good.md", "Title: Good\nDate: 2026-03-01\n\nFine.\n")
    site.write("posts/bad.md", "Title: Bad\nDate: 2026-03-02\nCategory: X\n\n" + body)
    result = site.build()
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"posts/bad.md:{line}: {message}" in output
    assert "Traceback" not in output


def test_a_story_written_in_fenced_code_is_an_example(site):
    site.write(
        "posts/howto.md",
        """
        Title: How to thank
        Date: 2026-03-02

        Write it like this:

        ```markdown
        /// gratitude | Example
            quality: not-a-quality
            person: Somebody

        Text.
        ///
        ```
    """,
    )
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert sections(site.output / "2026/how-to-thank/index.html") == []
    assert "/// gratitude | Example" in site.read("2026/how-to-thank/index.html")
    assert json.loads(site.read("stories.json")) == []


# --- stability, cache and reload ---------------------------------------------------


def anchors(output):
    return {
        page.parent.name: [s["id"] for s in sections(page)]
        for page in sorted(output.glob("2026/*/index.html"))
    }


def test_anchors_stay_when_another_story_is_added(tmp_path):
    site = Site(tmp_path, template="stories")
    assert site.build().returncode == 0
    before = anchors(site.output)
    post = site.content / "posts/first.md"
    post.write_text(
        post.read_text().replace(
            "An opening paragraph.",
            (
                "An opening paragraph.\n\n/// gratitude | A card, years later\n"
                "    quality: unexpected\n    person: Samuel Greene\n\n"
                "Another card.\n///\n"
            ),
        )
    )
    assert site.build().returncode == 0
    after = anchors(site.output)
    assert after["first-thanks"] == [
        "samuel-greene-a-card-years-later",
        *before["first-thanks"],
    ]
    assert after["second-thanks"] == before["second-thanks"]


def test_the_generator_caching_layer_is_refused_in_one_line(tmp_path):
    site = Site(tmp_path, template="stories")
    result = site.build(
        CACHE_CONTENT=True,
        CONTENT_CACHING_LAYER="generator",
        CACHE_PATH=str(tmp_path / "cache"),
    )
    assert result.returncode == 1
    assert "CONTENT_CACHING_LAYER 'generator' is not supported by the kit" in (
        result.stderr
    )


@pytest.mark.parametrize("layer, relative", [("reader", False), ("reader", True)])
def test_warm_cached_build_shows_the_same_stories(tmp_path, layer, relative):
    site = Site(tmp_path, template="stories")
    cache = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": layer,
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    if relative:
        cache.update(SITEURL="", RELATIVE_URLS=True)
    first = site.build(**cache)
    assert first.returncode == 0, first.stdout + first.stderr
    cold_json = site.read("stories.json")
    cold_post = site.read("2026/first-thanks/index.html")
    # Change a story but keep the file's time: a warm build must come from the cache.
    post = site.content / "posts/first.md"
    stamp = post.stat().st_mtime_ns
    post.write_text(post.read_text().replace("June moved", "June shifted"))
    os.utime(post, ns=(stamp, stamp))
    second = site.build(**cache)
    assert second.returncode == 0, second.stdout + second.stderr
    assert site.read("stories.json") == cold_json
    assert "June moved" in site.read("2026/first-thanks/index.html")
    assert sections(site.output / "2026/first-thanks/index.html") == sections_of(
        cold_post
    )
    assert len(json.loads(cold_json)) == 5
    for name in ("first-thanks", "second-thanks"):
        page = site.output / f"2026/{name}/index.html"
        for link in soup(page).select("section.gratitude-story a[href]"):
            assert_link_works(
                site.output, page, link["href"], siteurl="" if relative else SITEURL
            )


def sections_of(html):
    return BeautifulSoup(html, "html.parser").select("section.gratitude-story")


def test_repeated_runs_in_one_process_never_duplicate_stories(tmp_path):
    """What `pelican --autoreload` does: the same settings, run again and again."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content = tmp_path / "content"
    shutil.copytree(SITES / "stories", content)
    settings_file = write_settings(
        tmp_path, content, SITEURL=SITEURL, RELATIVE_URLS=False
    )
    settings = read_settings(
        str(settings_file),
        override={
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
        },
    )
    same_instance = Pelican(settings)
    for run in (
        Pelican(settings).run,
        Pelican(settings).run,
        same_instance.run,
        same_instance.run,
    ):
        run()
        # The reader adds the extension to its own Markdown objects, never to the
        # settings, so runs cannot stack it.
        extensions = settings["MARKDOWN"].get("extensions", [])
        assert "GratitudeExtension" not in [type(e).__name__ for e in extensions]
        items = json.loads((tmp_path / "output/stories.json").read_text())
        assert len(items) == 5
        assert len(sections(tmp_path / "output/2026/first-thanks/index.html")) == 2
        index = soup(tmp_path / "output/gratitude/index.html")
        assert len(index.select("section.gratitude-quality li")) == 5


# --- configuration ------------------------------------------------------------------


def test_configured_qualities_make_their_own_pages(site):
    site.write(
        "posts/kind.md",
        """
        Title: Kind
        Date: 2026-03-02

        /// gratitude | Warm
            quality: kind
            person: Ana

        A kind word.
        ///
    """,
    )
    result = site.build(
        GRATITUDE_QUALITIES=[
            ("kind", "Kindness", "Plain kindness."),
            ("brave", "Bravery", ""),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert [
        g["id"]
        for g in soup(site.output / "gratitude/index.html").select(
            "section.gratitude-quality"
        )
    ] == ["kind", "brave"]
    assert soup(site.output / "gratitude/kind/index.html").h1.get_text() == "Kindness"
    assert (site.output / "gratitude/brave/index.html").exists()
    assert not (site.output / "gratitude/unexpected").exists()
    link = sections(site.output / "2026/kind/index.html")[0].select_one("a.quality")
    assert link.get_text() == "Kindness"


def _story_post(site, number, stories):
    blocks = "\n".join(
        f"""
        /// gratitude | Story {number}{letter}
            quality: {quality}
            person: {person}

        Thanks number {number}{letter}.
        ///
        """
        for letter, (quality, person) in zip("abc", stories, strict=False)
    )
    site.write(
        f"posts/p{number}.md",
        f"""
        Title: Post {number}
        Date: 2026-03-0{number} 09:00
        {blocks}
    """,
    )


def _pages(output, first):
    """The pages of a paginated list, following rel=next from ``first``."""
    pages, page = [], output / first
    while page is not None:
        pages.append(page)
        after = soup(page).select_one('nav.pagination a[rel="next"]')
        if after is None:
            break
        assert_link_works(output, page, after["href"])
        page, _ = target(output, page, after["href"])
        back = soup(page).select_one('nav.pagination a[rel="prev"]')
        assert back is not None
        assert_link_works(output, page, back["href"])
    return pages


def test_story_pages_are_paginated_and_every_story_is_listed_once(site):
    _story_post(site, 1, [("unexpected", "Ana"), ("anticipates-needs", "Ana")])
    _story_post(site, 2, [("unexpected", "Ana"), ("unexpected", "Bo")])
    _story_post(site, 3, [("anticipates-needs", "Ana")])
    result = site.build(
        PAGINATED_TEMPLATES={
            "index": None,
            "gratitude_index": 3,
            "gratitude_quality": 2,
            "person": 2,
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = site.output

    index = _pages(out, "gratitude/index.html")
    assert len(index) == 2
    listed = [
        (group["id"], li.a.get_text())
        for page in index
        for group in soup(page).select("section.gratitude-quality")
        for li in group.select("li")
    ]
    assert listed == [
        ("unexpected", "Story 2a"),
        ("unexpected", "Story 2b"),
        ("unexpected", "Story 1a"),
        ("anticipates-needs", "Story 3a"),
        ("anticipates-needs", "Story 1b"),
    ]
    assert soup(index[0]).select_one("section.gratitude-people")
    assert not soup(index[1]).select_one("section.gratitude-people")
    assert "page 2" in soup(index[1]).title.get_text()

    quality = _pages(out, "gratitude/unexpected/index.html")
    assert [
        [h.get_text() for h in soup(page).select(".gratitude-story h2")]
        for page in quality
    ] == [["Story 2a", "Story 2b"], ["Story 1a"]]
    person = _pages(out, "people/ana/index.html")
    assert sum(len(soup(page).select(".gratitude-story")) for page in person) == 4
    assert len(person) == 2


def test_story_pages_take_their_page_sizes_from_pelicans_setting():
    from gratitude_press.stories.settings import with_story_pagination

    defaults = with_story_pagination(None)
    assert defaults["gratitude_index"] and "gratitude_quality" in defaults
    assert "person" in defaults
    mine = with_story_pagination({"index": None, "gratitude_index": 50})
    assert mine["gratitude_index"] == 50 and mine["index"] is None


# --- the sample site ------------------------------------------------------------------


def test_sample_site_shows_all_three_qualities_everywhere(sample_site):
    in_posts = {
        s["data-quality"]
        for page in sample_site.glob("2026/*/index.html")
        for s in sections(page)
    }
    assert in_posts == set(QUALITY_ORDER)
    index = soup(sample_site / "gratitude/index.html")
    for group in index.select("section.gratitude-quality"):
        assert group.select("li"), f"no story under {group['id']} on the index"
    for quality in QUALITY_ORDER:
        assert soup(sample_site / f"gratitude/{quality}/index.html").select(
            "article.gratitude-story"
        )
    items = json.loads((sample_site / "stories.json").read_text(encoding="utf-8"))
    assert {item["quality"] for item in items} == set(QUALITY_ORDER)
    for item in items:
        assert_link_works(
            sample_site, sample_site / "stories.json", item["url"], siteurl=""
        )
    people = {p.parent.name for p in (sample_site / "people").glob("*/index.html")}
    assert {item["person_url"].split("/")[1] for item in items} <= people


def test_sample_episodes_thank_their_guests(sample_site):
    for source in (ROOT / "content/episodes").glob("*.md"):
        slug = re.search(r"^slug:\s*(\S+)", source.read_text(), re.MULTILINE).group(1)
        [page] = sample_site.glob(f"*/{slug}/index.html")
        assert sections(page), f"{source.name} thanks nobody"
        guest = re.search(r"guests:\s*\n\s*- name:\s*(.+)", source.read_text()).group(1)
        person = soup(
            sample_site
            / "people"
            / guest.strip().lower().replace(" ", "-")
            / "index.html"
        )
        assert slug in " ".join(a["href"] for a in person.select(".person-episodes a"))


def test_bad_qualities_setting_names_the_settings_line(site):
    site.write("posts/a.md", "Title: A\nDate: 2026-03-02\n\nText.\n")
    result = site.build(GRATITUDE_QUALITIES=[{"label": "No slug"}])
    output = result.stdout + result.stderr
    assert result.returncode == 1
    line = next(
        number
        for number, text in enumerate(
            (site.folder / "settings.py").read_text().splitlines(), 1
        )
        if text.startswith("GRATITUDE_QUALITIES")
    )
    assert f"settings.py:{line}: GRATITUDE_QUALITIES entry 1 has no slug" in output
    assert "Traceback" not in output
