"""The podcast's pages in Debian's Chromium: the show page, an episode page and the
trailer of the sample site, and a tiny show whose local build has a feed
(FEED_DOMAIN) so the copy button can be tried.

Behaviour (copy button, soundbites, guests without a photo), the 30 KB page budget,
axe-core on the local show and its screenshots in test-results/screenshots/. The
checks every page type gets run once for all of them elsewhere: axe in both schemes
and screenshots in test_browser, the Nu HTML checker in test_theme (the published
build's podcast pages too), Lighthouse in test_browser_lighthouse (the show page too).
"""

import pytest
from browser import chromium, server
from browser.checks import AXE, LOAD_ALL_IMAGES, SCREENSHOTS, axe_violations
from bs4 import BeautifulSoup
from test_podcast_show import SHOW_SETTINGS, show_site

from conftest import ROOT

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium.available(), reason="Chromium is not installed"),
]

SHOW = "podcast/"
EPISODE = "2026/trust-is-built-in-small-deposits/"  # its own artwork, two guests
TRAILER = "2026/off-the-rak-trailer/"
BUDGET = 30 * 1024


@pytest.fixture(scope="module")
def local_show(tmp_path_factory):
    """A local build (relative URLs) whose feed exists: FEED_DOMAIN gives it absolute
    URLs. Two episodes a page, so the show page has a second page."""
    site = show_site(tmp_path_factory.mktemp("local-show"))
    result = site.build(
        SITEURL="",
        RELATIVE_URLS=True,
        FEED_DOMAIN="https://podcast.example",
        DEFAULT_PAGINATION=2,
        **SHOW_SETTINGS,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def local_show_url(local_show):
    with server.serve(local_show.output) as url:
        yield url


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": chromium.DESKTOP, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return chromium.watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    page.wait_for_load_state("load")


# --- accessibility and clean loads ----------------------------------------------------
# The sample site's show, episode, trailer and home pages are checked by test_browser
# (axe in both schemes, every template type); here only what the sample cannot show:
# a show with a feed address to copy and a second page.


@pytest.fixture(scope="module")
def axe_page(browser):
    context = browser.new_context(viewport=chromium.DESKTOP)
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE))  # in every document: sent to Chromium once
    yield chromium.watch(context.new_page())
    context.close()


@pytest.mark.parametrize(
    "path", ["podcast/", "podcast/index2.html", "2026/the-first-one/"]
)
def test_local_show_with_feed_and_second_page_has_no_axe_violations(
    axe_page, local_show_url, path
):
    axe_page.problems.clear()
    visit(axe_page, f"{local_show_url}/{path}")
    assert axe_page.locator("h1").count() == 1
    assert axe_violations(axe_page) == []
    assert axe_page.problems == [], "\n".join(axe_page.problems)


def test_show_page_reads_without_javascript_on_a_small_phone(new_page, site_url):
    page = new_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    visit(page, f"{site_url}/{SHOW}")
    assert page.locator("main h1").inner_text() == "Off the Rak"
    assert page.locator(".episode-list li").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# --- behaviour ------------------------------------------------------------------------


def test_copy_button_copies_the_feed_address(new_page, local_show_url):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit(page, f"{local_show_url}/{SHOW}")
    feed = page.locator(".subscribe a[data-copy]")
    assert feed.get_attribute("href") == "https://podcast.example/podcast.xml"
    button = page.get_by_role("button", name="Copy the feed address")
    assert button.inner_text() == "Copy"
    button.click()
    page.locator(".subscribe [role=status]", has_text="Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == (
        "https://podcast.example/podcast.xml"
    )
    assert page.problems == [], "\n".join(page.problems)


def test_without_javascript_the_feed_is_a_plain_link_and_no_button(
    new_page, local_show_url
):
    page = new_page(java_script_enabled=False)
    visit(page, f"{local_show_url}/{SHOW}")
    assert page.locator(".subscribe a[data-copy]").is_visible()
    assert page.locator("button").count() == 0


def test_a_soundbite_link_seeks_the_player(new_page, site_url):
    page = new_page()
    visit(page, f"{site_url}/{EPISODE}")
    duration = page.locator("figure.player .duration")
    assert duration.is_visible() and duration.inner_text() == "Duration 0:35"
    link = page.locator(".soundbites-section a").first
    start = float(link.get_attribute("data-seek"))
    link.click()
    page.wait_for_function(
        "start => Math.abs(document.getElementById('episode-player')"
        ".currentTime - start) < 1",
        arg=start,
    )
    assert page.url == f"{site_url}/{EPISODE}"
    assert page.problems == [], "\n".join(page.problems)


def test_a_guest_without_a_photo_starts_at_the_edge(new_page, site_url):
    page = new_page()
    visit(page, f"{site_url}/{EPISODE}")
    rows = page.locator(".guests li")
    without, with_photo = rows.nth(0), rows.nth(1)
    assert (
        without.locator("img").count() == 0 and with_photo.locator("img").count() == 1
    )
    left = without.bounding_box()["x"]
    assert abs(without.locator("a.person").bounding_box()["x"] - left) < 1
    photo = with_photo.locator("img").bounding_box()
    assert (
        with_photo.locator("a.person").bounding_box()["x"] > photo["x"] + photo["width"]
    )


def test_the_menu_leads_to_the_show_page(new_page, site_url):
    page = new_page()
    visit(page, f"{site_url}/")
    page.click("header nav a:text-is('Podcast')")
    assert page.url == f"{site_url}/{SHOW}"
    page.click("main .episode-list a >> nth=0")
    assert page.url == f"{site_url}/{EPISODE}"
    assert page.problems == [], "\n".join(page.problems)


# --- validators and budget ------------------------------------------------------------


def podcast_pages(output):
    return [
        *sorted((output / "podcast").glob("*.html")),
        output / "index.html",
        *(output / path / "index.html" for path in (EPISODE, TRAILER)),
        output / EPISODE / "transcript/index.html",
    ]


@pytest.mark.parametrize("build", ["sample_site", "published_site"])
def test_podcast_pages_fit_the_page_budget(request, build):
    """HTML plus the stylesheets it links, as test_theme counts them."""
    output = request.getfixturevalue(build)
    sizes = {}
    for path in podcast_pages(output):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        sheets = [
            link["href"].rsplit("/", 1)[-1]
            for link in page.find_all("link", rel="stylesheet")
        ]
        sizes[path.relative_to(output).as_posix()] = path.stat().st_size + sum(
            (output / "theme/css" / name).stat().st_size for name in sheets
        )
    print(
        f"{build}: " + ", ".join(f"{page} {size:,} B" for page, size in sizes.items())
    )
    assert "podcast/index.html" in sizes
    assert {page: size for page, size in sizes.items() if size > BUDGET} == {}


# --- screenshots ----------------------------------------------------------------------


# The sample's show page is screenshot in all four (test_browser); this one in two.
@pytest.mark.parametrize("viewport, scheme", [("phone", "light"), ("desktop", "dark")])
def test_screenshots_of_the_show_page(new_page, local_show_url, viewport, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = chromium.PHONE if viewport == "phone" else chromium.DESKTOP
    page = new_page(viewport=size, color_scheme=scheme)
    suffix = viewport if scheme == "light" else f"{viewport}-dark"
    # The sample's show page is in test_browser's screenshots; this one has the feed.
    visit(page, f"{local_show_url}/{SHOW}")
    page.evaluate(LOAD_ALL_IMAGES)
    target = SCREENSHOTS / f"show-with-feed-{suffix}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    print(f"screenshot: {target.relative_to(ROOT)}")
    assert page.problems == [], "\n".join(page.problems)
