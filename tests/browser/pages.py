"""One URL of the sample site per template type: the browser tests visit each of them.

Concern pages (gratitude, people, episodes, newsletter) are listed even before their
concern lands, so that a missing page type fails the tests instead of going unchecked.
"""

POST = "2026/who-carried-the-pager/"
EPISODE = "2026/trust-is-built-in-small-deposits/"

TEMPLATE_PAGES = {
    "home": "",
    "home-page-2": "index2.html",
    "post": POST,
    "episode": EPISODE,
    "transcript": EPISODE + "transcript/",
    "page": "about/",
    "signup-page": "newsletter/",
    "archives": "archives/",
    "category": "category/trust/",
    "tag": "tag/trust/",
    "author": "author/rakesh-menon/",
    "categories": "categories/",
    "tags": "tags/",
    "authors": "authors/",
    "search": "search/",
    "not-found": "404.html",
    "gratitude-index": "gratitude/",
    "gratitude-quality": "gratitude/unexpected/",
    "person": "people/marcus-lee/",
    "newsletter-archive": "newsletter/archive/",
    "newsletter-issue": "newsletter/2026-11-16/",
    "show": "podcast/",
    "trailer": "2026/off-the-rak-trailer/",
}

# The pages the screenshots show, phone and desktop.
SCREENSHOT_PAGES = (
    "home",
    "post",
    "episode",
    "gratitude-index",
    "person",
    "newsletter-issue",
    "show",
)

# Lighthouse runs on these (about 10 s each, one after the other).
LIGHTHOUSE_PAGES = ("home", "post", "episode", "show")
