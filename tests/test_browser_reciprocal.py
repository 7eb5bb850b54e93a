"""Who thanked whom and the threads, on the sample site, in Debian's Chromium.

What only this feature has: the picture on the gratitude index takes the reader's
colour scheme, every name in it is a working link, it scrolls inside its figure on a
phone (the page does not), and a thread's anchor lands on the thread; the picture is
well-formed SVG on its own. Axe in both schemes, the Nu checker, the page budget and
the screenshots of every page type are test_browser.py's and test_theme.py's runs;
this file adds the index's picture in the dark scheme to test-results/screenshots/.
"""

import re
import xml.etree.ElementTree as etree
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
from browser import chromium
from browser.checks import SCREENSHOTS
from browser.pages import TEMPLATE_PAGES

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

INDEX = TEMPLATE_PAGES["gratitude-index"]
PERSON = "people/rakesh-menon/"
SVG = "{http://www.w3.org/2000/svg}"
# Everything the picture is drawn with: an element outside these is a mistake.
SVG_ELEMENTS = {"svg", "title", "defs", "marker", "path", "g", "a", "circle", "text"}

needs_chromium = pytest.mark.skipif(
    not chromium.available(), reason="Chromium is not installed"
)


def open_page(browser, site_url, path, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    page = chromium.watch(context.new_page())
    response = page.goto(f"{site_url}/{path}")
    assert response.status == 200, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("load")
    return context, page


def test_the_picture_is_well_formed_svg_on_its_own(sample_site):
    """The markup as written (not as an HTML parser repairs it) parses as XML."""
    html = (sample_site / INDEX / "index.html").read_text(encoding="utf-8")
    [markup] = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    root = etree.fromstring('<?xml version="1.0" encoding="utf-8"?>\n' + markup)
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    assert {node.tag.removeprefix(SVG) for node in root.iter()} <= SVG_ELEMENTS
    links = root.findall(f"{SVG}g/{SVG}a")
    assert len(links) >= 5
    inside = {id(node) for a in links for node in a}
    nodes = [*root.iter(f"{SVG}circle"), *root.iter(f"{SVG}text")]
    assert all(id(node) in inside for node in nodes), "a node outside a link"
    referenced = set(re.findall(r"url\(#([\w-]+)\)", markup))
    assert referenced == {marker.get("id") for marker in root.iter(f"{SVG}marker")}


@needs_chromium
def test_picture_follows_the_colour_scheme_and_every_name_is_a_working_link(
    browser, site_url
):
    colours = {}
    for scheme in ("light", "dark"):
        context, page = open_page(
            browser, site_url, INDEX, color_scheme=scheme, viewport=chromium.DESKTOP
        )
        try:
            colours[scheme] = page.evaluate(
                "getComputedStyle(document.querySelector('svg .nodes text')).fill"
            )
            hrefs = page.eval_on_selector_all(
                "svg .nodes a", "links => links.map(a => a.getAttribute('href'))"
            )
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            target = SCREENSHOTS / f"gratitude-index-picture-{scheme}.png"
            page.locator("#web").screenshot(path=str(target))
            assert target.stat().st_size > 10_000
            assert page.problems == [], "\n".join(page.problems)
        finally:
            context.close()
    light, dark = (sum(map(int, re.findall(r"\d+", colours[s])[:3])) for s in colours)
    assert light < 150 and dark > 600, colours  # dark text on light, light on dark
    assert len(hrefs) >= 5
    for href in hrefs:  # each name's page is there
        url = urljoin(f"{site_url}/{INDEX}", href)
        assert server_status(url) == 200, href
    context, page = open_page(browser, site_url, INDEX)
    try:
        page.locator("svg .nodes a", has_text="Dana Whitfield").click()
        page.wait_for_url("**/people/dana-whitfield/")
        assert page.locator("h1").inner_text() == "Dana Whitfield"
        assert page.problems == [], "\n".join(page.problems)
    finally:
        context.close()


def server_status(url):
    with urlopen(url, timeout=10) as response:
        return response.status


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
def test_on_a_small_phone_the_picture_scrolls_in_its_figure(browser, site_url):
    context, page = open_page(
        browser,
        site_url,
        INDEX,
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
    )
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{width} px wide on a 360 px phone"
        figure = page.locator("figure.web")
        sizes = figure.evaluate("f => [f.scrollWidth, f.clientWidth]")
        assert sizes[0] > sizes[1], "the names would be too small to read"
    finally:
        context.close()
