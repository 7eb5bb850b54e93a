"""Site settings. To adopt the kit, edit the "Site identity" block; the rest is wiring.

Every ``GRATITUDE_*``, ``PODCAST_*``, ``FEEDS_*`` and ``DIGEST_*`` setting has a
documented default in its concern under ``plugins/gratitude_press/``; set one here
only to change it.
"""

import logging

# --- Site identity -------------------------------------------------------------
SITENAME = "Gratitude Press"
AUTHOR = "Rakesh Menon"
SITE_TAGLINE = "Short stories of leadership, transparency, trust and thanks."
SITE_DESCRIPTION = (
    "Essays on leadership, transparency and trust, told through small stories of "
    "gratitude, plus the Off the Rak podcast and a weekly digest."
)
SITE_LANGUAGE = "en"
DEFAULT_LANG = SITE_LANGUAGE
TIMEZONE = "America/Chicago"
SOCIAL = (
    ("Mastodon", "https://mastodon.example/@rakesh"),
    ("LinkedIn", "https://www.linkedin.com/in/rakesh-menon-example"),
)
SENDER_NAME = "Rakesh Menon"
SENDER_EMAIL = "digest@gratitude.example"
REPLY_TO_EMAIL = "rakesh@gratitude.example"
POSTAL_ADDRESS = "Gratitude Press, P.O. Box 1234, Madison, WI 53701, USA"
# Default image for link previews (Open Graph, Twitter cards); a path under content/.
SITE_IMAGE = "images/author.jpg"
# The mailing-list sign-up form on the home and newsletter pages. provider: buttondown
# (username), mailchimp (dc, u, id), listmonk (root, lists: [list uuid...]) or link (url).
NEWSLETTER_SIGNUP = {
    "provider": "buttondown",
    "username": "gratitude-press",
    "privacy": "One email a week. Your address is used for nothing else; unsubscribe "
    "with one click.",
}
# The podcast (defaults and every PODCAST_* setting: plugins/gratitude_press/podcast/).
PODCAST_TITLE = "Off the Rak"
PODCAST_DESCRIPTION = (
    "Rakesh Menon talks with leaders about transparency, trust and the small, specific "
    "thank-yous that hold teams together. Each episode ends with host and guest "
    "thanking each other."
)
PODCAST_IMAGE = "images/off-the-rak-cover.jpg"
PODCAST_CATEGORY = "Business"
PODCAST_SUBCATEGORY = "Management"
PODCAST_OWNER_EMAIL = "rakesh@gratitude.example"
PODCAST_FUNDING_URL = "https://gratitude.example/support/"
PODCAST_FUNDING_TEXT = "Support Off the Rak"
# podcast:guid, computed once from https://gratitude.example/podcast.xml: never
# change it, even if the feed moves.
PODCAST_GUID = "8de365cf-e895-5c59-87b0-aa4ce9aa255f"
PODCAST_LOCKED = True
# "Listen on" links of the show page (podcast/) and the episode pages, each shown only
# when set. Placeholders: put your show's page in each directory once it lists you.
PODCAST_LISTEN_ON = {
    "apple": "https://podcasts.apple.com/podcast/id1234567890",
    "spotify": "https://open.spotify.com/show/0a1b2c3d4e5f6a7b8c9d0e",
    "overcast": "https://overcast.fm/itunes1234567890",
    "pocketcasts": "https://pca.st/itunes/1234567890",
}
# podcast:txt: ownership strings a directory asks you to put in the feed (placeholder).
PODCAST_TXT = [("verify", "gratitude-press-sample-3f9a")]
# podcast:podroll: shows you recommend (their podcast:guid, from podcastindex.org).
PODCAST_PODROLL = [
    {
        "title": "Quiet Leaders",
        "guid": "b0357083-2f84-5e29-9b12-6a70b7e46915",
        "feed_url": "https://quiet-leaders.example/feed.xml",
        "link": "https://quiet-leaders.example/",
    },
    {
        "title": "Thank-You Notes",
        "guid": "f55ee7cf-e943-54a1-a572-624e92ea98a2",
        "feed_url": "https://thank-you-notes.example/podcast.rss",
    },
]
PODCAST_LICENSE = "cc-by-nc-nd-4.0"
# Download analytics (OP3, Podtrac...): put before the feed's media URLs only.
# PODCAST_ENCLOSURE_PREFIX = "https://op3.dev/e/"

# --- Where things are ------------------------------------------------------------
PATH = "content"
OUTPUT_PATH = "output"
SITEURL = ""
RELATIVE_URLS = True
THEME = "theme"
ARTICLE_PATHS = ["posts", "episodes"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "audio", "transcripts"]
EXTRA_PATH_METADATA = {"images/favicon.png": {"path": "favicon.png"}}
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["gratitude_press"]

ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
# Drafts (Status: draft) are never written, so they cannot leak onto the live site;
# `gratitude-press dev` previews them under preview/ (plugins/gratitude_press/dev/).
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
# A post dated in the future is a draft until a build on or after its date (the kit's
# clock: GRATITUDE_NOW sets it; plugins/gratitude_press/schedule/clock.py).
WITH_FUTURE_DATES = False
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
# Main menu of the theme (path relative to the site root), before the pages. Podcast:
# the show page (PODCAST_PAGE_SAVE_AS).
MENUITEMS = (
    ("Writing", "archives/"),
    ("Podcast", "podcast/"),
    ("Gratitude", "gratitude/"),
)
# The theme's extra pages: search (pagefind), a 404 page and robots.txt.
DIRECT_TEMPLATES = [
    "index",
    "tags",
    "categories",
    "authors",
    "archives",
    "search",
    "404",
    "robots",
]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
ROBOTS_SAVE_AS = "robots.txt"
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 50

# Jinja autoescapes: a title such as "Q&A with <b>guests</b>" shows those characters.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

SITEMAP_EXCLUDE = [r"^404\.html$", r"^search/"]

# Pelican's own feeds are replaced by the feeds concern (feedgen); keep these off.
# FEED_DOMAIN stays unset: `make html` (relative URLs) writes no feeds, since they
# need absolute URLs; `make publish` (SITEURL set) writes them. See feeds/settings.py.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Pelican's own warnings for what the kit reports itself, as one line naming the file
# and line: duplicate slugs and links to missing files (checks), images without alt
# text (reader).
LOG_FILTER = [
    # Pelican's duplicate warnings list the files after the message (2 to 9 of them)
    *(
        (logging.WARNING, 'There are %s items "%s" with lang %s: ' + "\n%s" * count)
        for count in range(2, 10)
    ),
    *(
        (
            logging.WARNING,
            "There are %s original (not translated) items %s: " + "\n%s" * count,
        )
        for count in range(2, 10)
    ),
    (logging.WARNING, "Unable to find '%s', skipping url replacement."),
    (logging.WARNING, "Empty alt attribute for image %s in %s"),
    (logging.WARNING, "Cannot get modification stamp for %s\n\t%s"),
    (
        logging.WARNING,
        "Replacement Indicator %r not recognized in %r, skipping replacement",
    ),
    (
        logging.WARNING,
        "{filename} used for linking to static content %s in %s. Use {static} instead",
    ),
]

# Reproducible builds: caching stays off by default; `make html` is fast enough.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# --- Newsletter digest (every DIGEST_* setting: plugins/gratitude_press/newsletter/) ---
# Emails need absolute https links, even from `make html` (relative SITEURL).
DIGEST_SITEURL = "https://gratitude.example"
DIGEST_SUBJECT = "{sitename}: {title}"
DIGEST_LIST_ID = "Gratitude Press weekly <weekly.gratitude.example>"
DIGEST_PROVIDERS = ["mailchimp", "buttondown", "listmonk"]
# `make send`: the sign-up form's provider (NEWSLETTER_SIGNUP, Buttondown) keeps the
# list, and the issue becomes a draft campaign there. The API key is read only from
# this environment variable, never from a file.
DIGEST_SEND_PATH = "provider"
DIGEST_PROVIDER_KEY_ENV = "DIGEST_PROVIDER_API_KEY"
# Or mail a git-ignored CSV yourself (README, "Newsletter digest"):
# DIGEST_SEND_PATH = "smtp"
# DIGEST_SMTP_HOST = "smtp.example.org"  # and _PORT, _SECURITY, _USER
# DIGEST_SMTP_PASSWORD_ENV = "DIGEST_SMTP_PASSWORD"
# DIGEST_UNSUBSCRIBE_SECRET_ENV = "DIGEST_UNSUBSCRIBE_SECRET"  # signs unsubscribe tokens
# DIGEST_IMAP_HOST = "imap.example.org"  # the mailbox of REPLY_TO_EMAIL: requests
# DIGEST_IMAP_PASSWORD_ENV = "DIGEST_IMAP_PASSWORD"
