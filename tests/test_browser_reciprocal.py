"""Who thanked whom and the threads, in Debian's Chromium and the Nu HTML checker.

The sample site's web page (the SVG picture and its table), a person page with
threads and the gratitude index: axe-core in the light and dark schemes, no overflow
on a phone, no request or script error, and 0 errors from the Nu checker on the
page, its stylesheet and the picture as a standalone SVG. Screenshots land in
test-results/screenshots/.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import chromium, server
from browser.checks import AXE, AXE_OPTIONS, SCREENSHOTS, VNU

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

WEB = "gratitude/web/"
PERSON = "people/rakesh-menon/"
PAGES = {"web": WEB, "person": PERSON, "index": "gratitude/"}

needs_chromium = pytest.mark.skipif(
    not chromium.available(), reason="Chromium is not installed"
)
needs_java = pytest.mark.skipif(
    not shutil.which("java") or not VNU.exists(),
    reason="the Nu HTML checker needs java and npm vnu-jar",
)


@pytest.fixture(scope="module")
def site_url(sample_site):
    with server.serve(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        instance = chromium.launch(playwright)
        yield instance
        instance.close()


def open_page(browser, site_url, path, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    page = chromium.watch(context.new_page())
    response = page.goto(f"{site_url}/{path}")
    assert response.status == 200, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("load")
    return context, page


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
    ]


@needs_chromium
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_pages_have_no_axe_violations_in_either_scheme(browser, site_url, kind, scheme):
    context, page = open_page(
        browser, site_url, PAGES[kind], color_scheme=scheme, viewport=chromium.DESKTOP
    )
    try:
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == []
        assert page.problems == [], "\n".join(page.problems)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"reciprocal-{kind}-{scheme}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    finally:
        context.close()


@needs_chromium
def test_picture_follows_the_colour_scheme_and_every_name_is_a_working_link(
    browser, site_url
):
    colours = {}
    for scheme in ("light", "dark"):
        context, page = open_page(browser, site_url, WEB, color_scheme=scheme)
        try:
            colours[scheme] = page.evaluate(
                "getComputedStyle(document.querySelector('svg .nodes text')).fill"
            )
            hrefs = page.eval_on_selector_all(
                "svg .nodes a",
                "links => links.map(a => a.href.baseVal || a.getAttribute('href'))",
            )
        finally:
            context.close()
    light, dark = (sum(map(int, re.findall(r"\d+", colours[s])[:3])) for s in colours)
    assert light < 150 and dark > 600, colours  # dark text on light, light on dark
    assert len(hrefs) >= 5
    context, page = open_page(browser, site_url, WEB)
    try:
        page.locator("svg .nodes a", has_text="Dana Whitfield").click()
        page.wait_for_url("**/people/dana-whitfield/")
        assert page.locator("h1").inner_text() == "Dana Whitfield"
        assert page.problems == [], "\n".join(page.problems)
    finally:
        context.close()


@needs_chromium
def test_thread_anchor_lands_on_the_thread(browser, site_url):
    context, page = open_page(browser, site_url, PERSON + "#with-tomas-okafor")
    try:
        thread = page.locator("#with-tomas-okafor")
        assert thread.is_visible()
        assert "The record of what went wrong" in thread.inner_text()
    finally:
        context.close()


@needs_chromium
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_pages_read_without_javascript_on_a_small_phone(browser, site_url, kind):
    context, page = open_page(
        browser,
        site_url,
        PAGES[kind],
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
    )
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{kind}: {width} px wide on a 360 px phone"
    finally:
        context.close()


@needs_java
def test_web_page_its_stylesheet_and_picture_pass_the_nu_checker(sample_site, tmp_path):
    page = sample_site / WEB / "index.html"
    svg = re.search(
        r"<svg.*?</svg>", page.read_text(encoding="utf-8"), re.DOTALL
    ).group(0)
    standalone = tmp_path / "web.svg"
    standalone.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + svg)
    broken = tmp_path / "broken.svg"  # the same run must catch a bad picture
    broken.write_text(svg.replace("<circle", '<circle nonsense="1"', 1))
    runs = {
        "--html": [page, sample_site / PERSON / "index.html"],
        "--css": [sample_site / "theme/css/gratitude.css"],
        "--svg": [standalone, broken],
    }
    errors = {}
    for flag, files in runs.items():
        result = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU),
                flag,
                "--errors-only",
                "--format",
                "json",
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        for message in json.loads(result.stderr or result.stdout)["messages"]:
            name = Path(message.get("url", "").removeprefix("file:")).name
            errors.setdefault(name, []).append(message["message"])
    assert "broken.svg" in errors, "the checker missed the broken picture"
    errors.pop("broken.svg")
    assert errors == {}
