"""The built sample site in a real browser: Debian's Chromium driven by Playwright.

One browser per module (per xdist worker running tests of it); every page visit fails on
a console error, a page error or a failed request (404s included). axe-core runs on one
page of every template type.
"""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import chromium
from browser.checks import AXE, LOAD_ALL_IMAGES, SCREENSHOTS, axe_violations
from browser.pages import POST, SCREENSHOT_PAGES, TEMPLATE_PAGES

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium.available(), reason="Chromium is not installed"),
]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=chromium.DESKTOP)
    context.set_default_timeout(10_000)
    yield chromium.watch(context.new_page())
    context.close()


def _shared_page(browser, with_axe=False, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    if with_axe:  # in every document from its start: sent to the browser once
        context.add_init_script(path=str(AXE))
    yield context.new_page()
    context.close()


# One page per module for the tests that only load a URL and look at it (each visit is
# a new document; opening a page costs more than loading one of ours).
@pytest.fixture(scope="module")
def light_page(browser):
    yield from _shared_page(browser, with_axe=True, viewport=chromium.DESKTOP)


@pytest.fixture(scope="module")
def dark_page(browser):
    yield from _shared_page(browser, with_axe=True, color_scheme="dark")


@pytest.fixture(scope="module")
def phone_page_without_javascript(browser):
    yield from _shared_page(
        browser, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )


def watched(page):
    """``page`` recording problems from now on (a shared page: none carried over)."""
    if not hasattr(page, "problems"):
        chromium.watch(page)
    page.problems.clear()
    return page


def visit(page, site_url, path):
    response = page.goto(f"{site_url}/{path}")
    assert response.status == 200, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("load")
    return response


def assert_clean(page):
    assert page.problems == [], "\n".join(page.problems)


def path_of(page):
    return urlsplit(page.url).path


# --- Walking the site like a reader -----------------------------------------------


def test_reader_walks_from_home_to_an_episode_chapter(page, site_url):
    visit(page, site_url, "")
    page.click(f"main a[href$='{POST}']")
    assert path_of(page) == "/" + POST
    assert page.locator("h1").inner_text() == "Who carried the pager?"

    # A story has a stable anchor; following it lands on that story.
    story = page.locator("main .prose section[id], main .prose aside[id]").first
    anchor = story.get_attribute("id")
    page.goto(f"{site_url}/{POST}#{anchor}")
    assert page.evaluate("location.hash") == f"#{anchor}"
    assert page.locator(f"[id='{anchor}']").is_visible()

    page.click("header nav a:text-is('Gratitude')")
    assert path_of(page) == "/gratitude/"
    page.click("main a[href$='people/marcus-lee/'] >> nth=0")
    assert path_of(page) == "/people/marcus-lee/"
    assert "Marcus Lee" in page.locator("h1").inner_text()

    page.click("main a[href$='2026/the-open-door-is-a-practice/'] >> nth=0")
    assert path_of(page) == "/2026/the-open-door-is-a-practice/"
    player = page.locator("audio").first
    chapter = page.locator("ol.chapters a").nth(1)
    start = float(chapter.get_attribute("data-seek"))
    assert start > 0
    chapter.click()
    page.wait_for_function(
        "start => Math.abs(document.querySelector('audio').currentTime - start) < 1",
        arg=start,
    )
    assert player.evaluate("audio => audio.currentTime") == pytest.approx(start, abs=1)
    assert path_of(page) == "/2026/the-open-door-is-a-practice/"
    assert_clean(page)


def test_person_page_links_to_their_episode(page, site_url):
    visit(page, site_url, "people/dana-whitfield/")
    page.click("main a[href*='gratitude-that-knows-the-work']")
    assert path_of(page) == "/2026/gratitude-that-knows-the-work/"
    assert page.locator("audio").count() == 1
    assert_clean(page)


def test_search_finds_a_word_and_leads_to_its_post(page, site_url):
    visit(page, site_url, TEMPLATE_PAGES["search"])
    page.fill(".pagefind-ui__search-input", "runbook")
    result = page.locator(
        ".pagefind-ui__result-link", has_text="Who carried the pager?"
    )
    result.first.wait_for(timeout=10_000)
    result.first.click()
    page.wait_for_load_state("load")
    assert path_of(page) == "/" + POST
    assert_clean(page)


def test_signup_form_posts_to_the_provider(page, site_url):
    sent = []

    def capture(route):
        sent.append(route.request)
        route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><title>Thanks</title><p>Check your inbox.",
        )

    page.route("https://buttondown.com/**", capture)
    visit(page, site_url, "")
    form = page.locator("form.signup-form")
    form.get_by_label("Your email address").fill("reader@example.org")
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("https://buttondown.com/**")
    (request,) = sent
    assert request.method == "POST"
    assert (
        request.url
        == "https://buttondown.com/api/emails/embed-subscribe/gratitude-press"
    )
    assert parse_qs(request.post_data) == {
        "email": ["reader@example.org"],
        "embed": ["1"],
    }
    assert_clean(page)


def test_signup_refuses_an_invalid_address_without_sending(page, site_url):
    page.route("https://buttondown.com/**", lambda route: pytest.fail("form was sent"))
    visit(page, site_url, "")
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    assert page.locator("#signup-email").evaluate("input => !input.validity.valid")
    assert path_of(page) == "/"


# --- Every template type: clean load and accessibility ------------------------------


@pytest.mark.parametrize("kind", TEMPLATE_PAGES)
def test_page_loads_cleanly_and_has_no_axe_violations(light_page, site_url, kind):
    page = watched(light_page)
    visit(page, site_url, TEMPLATE_PAGES[kind])
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert_clean(page)


# The dark scheme changes colours only (the light run checks structure, names, roles):
# axe's colour rules on every page type.
DARK_SCHEME_RULES = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}


@pytest.mark.parametrize("kind", TEMPLATE_PAGES)
def test_dark_scheme_has_no_axe_violations(dark_page, site_url, kind):
    page = watched(dark_page)
    visit(page, site_url, TEMPLATE_PAGES[kind])
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert axe_violations(page, DARK_SCHEME_RULES) == []
    assert_clean(page)


@pytest.mark.parametrize("kind", TEMPLATE_PAGES)
def test_page_reads_without_javascript_at_360px(
    phone_page_without_javascript, site_url, kind
):
    """Nothing needs JavaScript, and nothing overflows a small phone."""
    page = phone_page_without_javascript
    response = page.goto(f"{site_url}/{TEMPLATE_PAGES[kind]}")
    assert response.status == 200, f"{kind}: HTTP {response.status}"
    assert page.locator("main h1").inner_text(timeout=5_000).strip()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{kind}: the page is {width} px wide on a 360 px phone"


def test_dark_scheme_and_print_styles_apply(browser, site_url):
    backgrounds = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{site_url}/{POST}")
        backgrounds[scheme] = page.evaluate(
            "getComputedStyle(document.body).backgroundColor"
        )
        if scheme == "light":
            page.emulate_media(media="print")
            assert page.locator("header nav").is_hidden()
            assert page.locator(".site-footer").is_hidden()
        context.close()
    light, dark = (
        sum(map(int, re.findall(r"\d+", backgrounds[s])[:3])) for s in ("light", "dark")
    )
    assert light > 600 and dark < 150, backgrounds


# --- Screenshots ------------------------------------------------------------------


@pytest.mark.parametrize(
    "viewport, scheme, kinds",
    [
        ("phone", "light", SCREENSHOT_PAGES),
        ("desktop", "light", SCREENSHOT_PAGES),
        ("phone", "dark", ("home", "post")),
        ("desktop", "dark", ("home", "episode", "gratitude-index", "person")),
    ],
)
def test_screenshots_of_key_pages(browser, site_url, viewport, scheme, kinds):
    """Full-page PNGs in test-results/screenshots/ to look at (CI keeps them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = chromium.PHONE if viewport == "phone" else chromium.DESKTOP
    context = browser.new_context(viewport=size, color_scheme=scheme)
    page = chromium.watch(context.new_page())
    suffix = viewport if scheme == "light" else f"{viewport}-dark"
    try:
        for kind in kinds:
            visit(page, site_url, TEMPLATE_PAGES[kind])
            page.evaluate(LOAD_ALL_IMAGES)
            target = SCREENSHOTS / f"{kind}-{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            assert Path(target).stat().st_size > 10_000
        assert_clean(page)
    finally:
        context.close()


def test_missing_page_shows_the_styled_not_found_page_at_any_depth(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        response = page.goto(f"{site_url}/2026/no-such-post/deeper/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "This page is not here"
        assert page.evaluate("getComputedStyle(document.body).display") == "flex"
        page.click("main a:text-is('The archives')")
        assert path_of(page) == "/archives/"
    finally:
        context.close()


def test_test_server_answers_range_requests_like_a_static_host(sample_site, site_url):
    import urllib.request

    audio = "audio/off-the-rak-002.mp3"
    request = urllib.request.Request(
        f"{site_url}/{audio}", headers={"Range": "bytes=10-19"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 206
        assert response.read() == (sample_site / audio).read_bytes()[10:20]
