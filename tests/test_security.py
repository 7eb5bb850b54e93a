"""Hostile sites: nothing read or written outside the project, no live script in any
output, every XML output well-formed, bounded resources, one line per problem, and
one build at a time per output folder."""

import email
import email.policy
import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_podcast_site import SITEURL, podcast_site

from conftest import ROOT, _environment, write_settings

# An error line as the build prints it: level, optional [concern], file, optional line.
PROBLEM = re.compile(r"^(ERROR|WARNING): (\[\w+\] )?[\w./-]+(:\d+)?: .+ \(.+\)$")
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.I)


def json_html(value, key=""):
    """The HTML inside a JSON export: fields named ...html/body, and every URL."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from json_html(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from json_html(item, key)
    elif isinstance(value, str) and (
        "html" in key or key in ("body", "content") or SCRIPT_URL.match(value)
    ):
        yield value


def live_script(markup):
    """The first live script in an HTML text (a feed's or export's markup is
    unescaped first): a script element, an event handler, a script URL."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(True):
        theme_script = tag.name == "script" and (
            tag.get("type") == "application/ld+json"
            or str(tag.get("src", "")).startswith(f"{SITEURL}/")
        )  # same origin
        if tag.name in ("script", "iframe", "object", "embed") and not theme_script:
            return str(tag)[:80]
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or SCRIPT_URL.match(value):
                return f"{tag.name} {name}={value[:60]}"
    return re.search(r"(javascript|vbscript):", markup, re.I)


def problems(result):
    return [
        line
        for line in result.stderr.splitlines()
        if not line.startswith("ERROR: build failed")
    ]


def assert_one_line_each(result):
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = problems(result)
    assert lines, result.stderr
    for line in lines:
        assert PROBLEM.match(line), line


def post(site, name, header, body="A paragraph."):
    site.write(
        f"posts/{name}.md",
        f"Title: {name}\nDate: 2026-03-02 09:00\n{header}\n\n{body}\n",
    )


def files_under(folder):
    return {path for path in Path(folder).rglob("*") if path.is_file()}


# --- 1. paths --------------------------------------------------------------------


def test_links_to_folders_and_loops_are_one_line_each_not_a_walk_round_them(site):
    post(site, "hello", "")
    posts = site.content / "posts"
    (posts / "up").symlink_to("..")  # the folder that holds it
    (posts / "top").symlink_to("../..")  # out of content/
    (posts / "self").symlink_to("self")  # itself
    for name, other in (("a", "b"), ("b", "a")):  # two folders, each into the other
        (site.content / name).mkdir()
        (site.content / name / f"to-{other}").symlink_to(f"../{other}")
    result = site.build()
    assert_one_line_each(result)
    lines = problems(result)
    assert "[checks] posts/up: a link to the folder ./" in result.stderr
    assert "[checks] posts/top: a link to" in result.stderr and "outside" in lines[1]
    assert "[checks] posts/self: a link that leads nowhere" in result.stderr
    assert "[checks] a/to-b: a link to the folder b/" in result.stderr
    assert "[checks] b/to-a: a link to the folder a/" in result.stderr
    assert len(lines) == 5, lines


def test_a_link_to_a_file_inside_content_builds(site):
    post(site, "hello", "")
    site.write("images/real.txt", "a note\n")
    (site.content / "images" / "alias.txt").symlink_to("real.txt")
    result = site.build(STATIC_PATHS=["images"])
    assert result.returncode == 0, result.stderr
    assert (site.output / "images" / "alias.txt").read_text() == "a note\n"


@pytest.mark.parametrize("slug", ["q#a", "why?", "50%off"])
def test_a_slug_that_would_cut_or_escape_its_url_is_one_line(site, slug):
    post(site, "bad", f"Slug: {slug}")
    result = site.build()
    assert_one_line_each(result)
    assert f"posts/bad.md:3: slug: {slug!r} holds # ? or %" in result.stderr


def test_html_and_restructuredtext_files_are_refused_not_published_raw(site, tmp_path):
    """Pelican's own readers would publish raw HTML and script, and
    reStructuredText's include directive reads any file on the disk."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    post(site, "hello", "")
    site.write(
        "posts/evil.rst",
        f"Evil\n####\n\n:date: 2026-03-02\n\n.. include:: {secret}\n\n"
        ".. raw:: html\n\n   <script>alert(1)</script>\n",
    )
    site.write(
        "pages/evil.html",
        "<html><head><title>E</title></head><body><script>x</script></body></html>",
    )
    result = site.build()
    assert_one_line_each(result)
    assert "posts/evil.rst: the kit reads Markdown (.md) files only" in result.stderr
    assert "pages/evil.html: the kit reads Markdown (.md) files only" in result.stderr
    assert not site.output.exists()


def test_a_symlink_out_of_content_is_an_error_and_never_published(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    post(site, "hello", "")
    (site.content / "images").mkdir()
    (site.content / "images" / "photo.png").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "note.md").write_text("Title: Note\nDate: 2026-03-02\n\nHidden.\n")
    (site.content / "posts" / "linked").symlink_to(outside)

    result = site.build(STATIC_PATHS=["images"])

    assert_one_line_each(result)
    assert "[checks] images/photo.png: a link to" in result.stderr
    assert "[checks] posts/linked: a link to" in result.stderr  # a folder link
    assert len(problems(result)) == 2  # one line a link, before Pelican reads any
    assert not site.output.exists()
    copies = [
        path
        for path in files_under(tmp_path)
        if not path.is_symlink()
        and path != secret
        and "TOP SECRET" in path.read_text(errors="replace")
    ]
    assert not copies


def test_a_static_link_climbing_out_copies_nothing(tmp_path):
    from conftest import Site

    site = Site(tmp_path / "project")
    (tmp_path / "project" / "secret.txt").write_text("TOP SECRET")
    post(site, "hello", "", "See [it]({static}../../secret.txt).")
    before = files_under(tmp_path)
    site.output = tmp_path / "project" / "deep" / "output"

    result = site.build()

    assert_one_line_each(result)
    assert "[checks] posts/hello.md:5: link to a file outside content/" in result.stderr
    new = files_under(tmp_path) - before
    assert not any(path.read_bytes() == b"TOP SECRET" for path in new), new


def test_episode_files_outside_content_or_output_are_refused(tmp_path):
    site = podcast_site(tmp_path / "a")
    private = tmp_path / "a" / "content-private"
    private.mkdir()
    (private / "x.mp3").write_bytes((site.content / "audio/first.mp3").read_bytes())
    first = site.content / "episodes" / "first.md"
    first.write_text(
        first.read_text().replace(
            "audio: audio/first.mp3", "audio: ../content-private/x.mp3"
        )
    )
    second = site.content / "episodes" / "second.md"
    second.write_text(
        second.read_text().replace("---\n", "---\nurl: ../../../../x/\n", 1)
    )
    before = files_under(tmp_path)

    result = site.build()

    assert_one_line_each(result)
    assert "episodes/first.md:8: 'audio' must be a path under content/" in result.stderr
    assert "episodes/second.md" in result.stderr
    assert not any(
        "x.mp3" in path.name or path.name == "chapters.json"
        for path in files_under(tmp_path) - before
    )


# --- 2. no live script ----------------------------------------------------------

HOSTILE_BODY = """\
Body [z]( java\tscript:alert(3)) ![i](data:text/html;base64,AAAA)

<img src="a.png" alt="a" onerror="alert(4)"><a href="&#106;avascript:alert(5)">q</a>

<script>alert(6)</script><iframe src="https://evil.example/"></iframe>

/// gratitude | A card
    quality: unexpected
    person: Dana Whitfield

Thanks <b onmouseover="alert(7)">Dana</b>, see [this](vbscript:msgbox).
///

<div><img src="b.png" alt="b"onerror="alert(8)"></div>

<meta http-equiv="refresh" content="0;url=javascript:alert(10)">

<svg width="20" height="20"><a><animate attributeName="href"
values="https://x.example/;javascript:alert(9)"/><text x="1" y="9">c</text></a></svg>
"""


# A feed's markup is looked at as HTML on purpose: that is how a reader shows it.
@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
def test_no_output_file_carries_live_script(tmp_path):
    site = podcast_site(tmp_path / "a")
    post(
        site,
        "hostile",
        "Summary: [x](javascript:alert(1)) and <i onclick=alert(2)>i</i>",
        HOSTILE_BODY,
    )
    first = site.content / "episodes" / "first.md"
    first.write_text(
        first.read_text().replace(
            "body: Thank you, Rakesh, for the card.",
            "body: 'Thanks <img src=x onerror=alert(8)> [y](javascript:alert(9))'",
        )
    )

    result = site.build(strict=False)

    assert result.returncode == 0, result.stderr
    checked = 0
    for path in files_under(site.output):
        # .txt is plain text (a tag there is shown, never run); .md goes to providers
        # that render it as HTML, so it is checked
        if path.suffix in (".html", ".xml", ".json", ".eml", ".md", ".vtt"):
            text = path.read_text(errors="replace")
            if path.suffix == ".json":
                text = "\n".join(json_html(json.loads(text)))
            elif path.suffix == ".eml":
                message = email.message_from_bytes(
                    path.read_bytes(), policy=email.policy.default
                )
                text = "\n".join(
                    part.get_content()
                    for part in message.walk()
                    if part.get_content_type() == "text/html"
                )
            elif path.suffix == ".xml":
                text = html.unescape(text)
            assert not live_script(text), (path, live_script(text))
            checked += 1
    assert checked > 20
    page = site.read("2026/hostile/index.html")
    assert "Thanks " in page and ">q</a>" in page  # the text stays, the script goes


# --- 3. XML ---------------------------------------------------------------------


def test_every_xml_output_parses_with_markup_in_slugs_and_titles(tmp_path):
    site = podcast_site(tmp_path / "a")
    post(
        site,
        "q-and-a",
        "Slug: q&a-with-dana\nTags: r&d, <b>x</b>\nCategory: Q&A <i>",
        "Questions & answers.",
    )

    result = site.build()

    assert result.returncode == 0, result.stderr
    xml_files = [p for p in files_under(site.output) if p.suffix == ".xml"]
    assert len(xml_files) >= 5
    for path in xml_files:
        ET.parse(path)  # raises on an ill-formed document
    locs = (
        ET.parse(site.output / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    )
    assert any("q&a-with-dana" in loc.text for loc in locs)


def test_a_slug_with_markup_is_an_encoded_url_in_every_export(tmp_path):
    """HTML pages escape a slug; the exports (Markdown, JSON, text, feeds, sitemap) get a
    real URL: every character a URL may not hold raw is percent-encoded."""
    site = podcast_site(tmp_path / "a")
    post(site, "markup", 'Slug: q&a <b>"zelda"</b> (1)', "Questions & answers.")

    result = site.build()

    assert result.returncode == 0, result.stderr
    encoded = "q&a%20%3Cb%3E%22zelda%22%3C/b%3E%20%281%29"
    exports = {
        path.relative_to(site.output).as_posix(): path.read_text(encoding="utf-8")
        for path in files_under(site.output)
        if path.suffix in (".md", ".json", ".xml", ".txt")
    }
    mentions = {name for name, text in exports.items() if "zelda" in text}
    assert {"sitemap.xml", "feeds/all.atom.xml"} <= mentions, sorted(exports)
    assert any(name.endswith("email.md") for name in mentions), sorted(exports)
    assert any(name.endswith(".json") and "email" not in name for name in mentions)
    for name in mentions:
        text = html.unescape(exports[name]) if name.endswith(".xml") else exports[name]
        if name.endswith(".json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        assert encoded in text, name
        assert "<b>" not in text and "(1)" not in text, name


# --- 4. limits ------------------------------------------------------------------


def test_a_yaml_alias_bomb_is_refused_at_once(site):
    rows = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    rows += [
        f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]"
        for n in range(8)
    ]
    site.write(
        "posts/bomb.md",
        "---\ntitle: Bomb\ndate: 2026-03-02\n" + "\n".join(rows) + "\n---\nBody.\n",
    )
    result = site.build()
    assert_one_line_each(result)
    assert "posts/bomb.md:5: YAML front matter: aliases" in result.stderr
    assert len(result.stderr) < 2000


def test_deep_nesting_is_refused_with_its_line(site):
    body = "\n".join("    " * depth + "- item" for depth in range(1000))
    post(site, "deep", "", body)
    result = site.build()
    assert_one_line_each(result)
    assert "posts/deep.md:38: nested 33 levels deep" in result.stderr


# --- 5. one line naming the file -------------------------------------------------


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("Date: 9999-12-31 23:59", "posts/bad.md:2: date: '9999-12-31 23:59'"),
        (
            "Date: 2026-03-02 09:00+25:00",
            "posts/bad.md:2: date: '2026-03-02 09:00+25:00'",
        ),
        ("Date: 2026-03-02 09:00 EST", "names a time zone that is not known"),
        ("Template: ../../../etc/passwd", "posts/bad.md:3: template:"),
        (
            "Template: nosuchtemplate",
            "[checks] posts/bad.md:3: the theme has no template",
        ),
        (
            "Save_as: ../../outside.html",
            "posts/bad.md:3: save_as: '../../outside.html'",
        ),
        ("Lang: x/../../../../tmp/written", "posts/bad.md:3: lang: 'x/../../"),
        (
            "Save_as: sitemap.xml",
            "posts/bad.md:3: its page would replace sitemap.xml, which the kit "
            "writes (SITEMAP_SAVE_AS moves that one) (give it another Save_as: line)",
        ),
        ("Summary: a \x01 b", "posts/bad.md:3: the character U+0001 cannot be"),
        ("Tags: \ufffe", "posts/bad.md:3: the character U+FFFE cannot be"),
    ],
)
def test_bad_headers_give_one_line_naming_file_and_line(site, header, fragment):
    if header.startswith("Date:"):
        site.write("posts/bad.md", f"Title: Bad\n{header}\n\nBody.\n")
    else:
        post(site, "bad", header)
        (site.content / "posts" / "bad.md").write_text(
            f"Title: Bad\nDate: 2026-03-02 09:00\n{header}\n\nBody.\n"
        )
    result = site.build()
    assert_one_line_each(result)
    assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "    quality: unexpected\n",
            "    quality: bogus\n",
            "episodes/first.md:32: unknown quality 'bogus'",
        ),
        (
            "    body: Thank you, Rakesh, for the card.\n",
            "",
            "episodes/first.md:32: thanks 2 needs body",
        ),
        (
            "    quality: unexpected\n",
            "    quality: unexpected\n    answers: no-such-story\n",
            "episodes/first.md:32: answers: no story has the id 'no-such-story'",
        ),
        (
            "    body: Thank you, Rakesh, for the card.\n",
            "    body: 'Thanks ![me](https://evil.example/pixel.png)'\n",
            "episodes/first.md:32: thanks 2: images are not shown in thanks",
        ),
        (
            "    body: Thank you, Rakesh, for the card.\n",
            "    body: 'A ![a [b] c](https://evil.example/p.png) and ![px]'\n",
            "episodes/first.md:32: thanks 2: images are not shown in thanks",
        ),
        (
            "    quality: demonstrates-knowing\n",
            "    quality: bogus\n",
            "episodes/first.md:28: unknown quality 'bogus'",
        ),
        (
            "    body: Thank you, Rakesh, for the card.\n",
            "    body: |\n"
            + "".join(f"      {'    ' * depth}- a\n" for depth in range(200)),
            "episodes/first.md:32: nested 33 levels deep",
        ),
    ],
)
def test_a_problem_in_an_episodes_thanks_names_the_line_of_its_entry(
    tmp_path, old, new, fragment
):
    """The thanks become story blocks after the notes, lines the file does not have:
    a problem in one is reported at the line where its entry starts."""
    site = podcast_site(tmp_path / "a")
    episode = site.content / "episodes/first.md"
    text = episode.read_text()
    assert text.splitlines()[31] == "  - from: Dana Whitfield" and old in text
    episode.write_text(text.replace(old, new))
    result = site.build()
    assert_one_line_each(result)
    assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('title: "NUL \\0 and ESC \\e"', "posts/y.md:2: title: the character U+0000"),
        ('title: "Lone \\ud800"', "posts/y.md:2: title: the character U+D800"),
        ("x: " + "[" * 5000 + "]" * 5000, "posts/y.md:2: YAML front matter is nested"),
        ("date: 2026-03-02 09:00:00 +25:00", "posts/y.md:2: date: '2026-03-02 09:"),
    ],
)
def test_bad_yaml_values_give_one_line_naming_file_and_line(site, line, fragment):
    rest = [] if line.startswith("title") else ["title: Y"]
    rest += [] if line.startswith("date") else ["date: 2026-03-02"]
    site.write("posts/y.md", "\n".join(["---", line, *rest, "---", "Body.\n"]))
    result = site.build()
    assert_one_line_each(result)
    assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize("start", [".nan", ".inf", "-.inf"])
def test_a_chapter_start_that_is_not_a_number_is_one_line(tmp_path, start):
    site = podcast_site(tmp_path / "a")
    episode = site.content / "episodes/first.md"
    text = episode.read_text()
    assert "chapters:\n  - start: 0\n" in text
    episode.write_text(text.replace("  - start: 0\n", f"  - start: {start}\n", 1))
    result = site.build()
    assert_one_line_each(result)
    assert "episodes/first.md:" in result.stderr
    assert "chapter 1 has a malformed start" in result.stderr


def test_a_page_on_a_url_the_kit_writes_names_the_setting(site):
    post(site, "hello", "")
    site.write("pages/search.md", "Title: Search\nSlug: search\n\nMy own search.\n")
    result = site.build()
    assert_one_line_each(result)
    assert (
        "[checks] pages/search.md:2: its page would replace search/index.html, "
        "which the kit writes (SEARCH_SAVE_AS moves that one)"
    ) in result.stderr


# --- 6. concurrency ---------------------------------------------------------------


def test_three_builds_of_one_site_at_once_all_succeed(tmp_path):
    settings = write_settings(
        tmp_path, ROOT / "content", SITEURL="", RELATIVE_URLS=True, SEARCH_ENABLED=False
    )
    output = tmp_path / "output"
    command = [
        sys.executable,
        "-m",
        "gratitude_press",
        "build",
        "-s",
        str(settings),
        "-o",
        str(output),
    ]
    env = {**_environment(), "PYTHONPATH": str(ROOT / "plugins")}
    builds = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(build.wait(timeout=300), build.stderr.read()) for build in builds]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert sum("waiting for it to finish" in err for _, err in results) >= 1
    assert (output / "index.html").exists()
    assert sorted(
        p.name for p in tmp_path.iterdir() if p.name.startswith(".output")
    ) == [".output-build.lock"]
    assert not os.path.exists(tmp_path / ".output.previous")
