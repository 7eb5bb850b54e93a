"""The digest's plain data: what an issue contains, chosen from plain entries.

Nothing here knows Pelican: the adapter turns articles into ``Entry`` objects, and the
tests build them by hand.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from ..errors import ContentError
from .period import Period

OPT_OUT = frozenset({"no", "false", "off", "0", "never"})
OPT_IN = frozenset({"yes", "true", "on", "1"})
SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass
class Returned:
    """The earlier story that an answer returns: where it is told, and when."""

    title: str
    url: str  # absolute https URL (emails)
    site_url: str  # site-relative URL (the web archive page)
    date: dt.datetime | None = None  # None for a story told in a page


@dataclass
class Story:
    title: str
    person: str
    quality: str
    html: str  # trusted HTML rendered from the writer's Markdown, links absolute
    text: str
    url: str
    site_url: str = ""
    giver: str = ""
    receiver: str = ""
    answers: Returned | None = None  # the story this one thanks back for

    @property
    def says_who(self) -> bool:
        """Whether "giver thanks receiver" tells more than the title (an episode's
        untitled thanks is titled just that)."""
        return bool(self.giver) and not (
            self.giver in self.title and self.receiver in self.title
        )


@dataclass
class Entry:
    """One post or episode, reduced to what a digest shows."""

    kind: str  # "post" or "episode"
    title: str
    url: str  # absolute https URL (emails)
    site_url: str  # site-relative URL (the web archive page)
    date: dt.datetime
    summary: str = ""
    source: str = ""
    newsletter: bool = True
    guests: list = field(default_factory=list)  # display strings
    duration: str = ""
    number: str = ""
    stories: list = field(default_factory=list)  # Story


@dataclass
class Intro:
    title: str
    html: str
    text: str
    source: str
    preheader: str = ""


@dataclass
class Issue:
    period: Period
    title: str
    subject: str
    preheader: str
    posts: list
    episodes: list
    intro: Intro | None = None
    featured: Story | None = None
    date: dt.datetime | None = (
        None  # the issue's date: the first moment after the period
    )

    @property
    def issue_id(self) -> str:
        return self.period.issue_id

    @property
    def items(self) -> list:
        return self.episodes + self.posts

    @property
    def count(self) -> int:
        return len(self.posts) + len(self.episodes)

    @property
    def answers(self) -> list:
        return answers_in(self.items)


def newsletter_flag(value, source="", line=None) -> bool:
    """``Newsletter: no`` keeps a post out of the digest; anything unclear is an error."""
    if value is None or value is True:
        return True
    if value is False:
        return False
    word = str(value).strip().lower()
    if word in OPT_OUT:
        return False
    if word in OPT_IN or not word:
        return True
    raise ContentError(
        source,
        f"Newsletter: {value!r} is neither yes nor no",
        line,
        hint="write 'Newsletter: no' to leave the post out of the digest",
    )


UNSAFE = frozenset({"script", "iframe", "form", "video", "style", "object"})
BLOCKS = frozenset({"p", "li", "blockquote", "h1", "h2", "h3", "h4", "pre"})
CONTAINERS = frozenset({"p", "li", "blockquote"})
IMAGE_STYLE = "display:block;max-width:100%;height:auto;border:0"


# One walk of the tree instead of BeautifulSoup's find_all/find_parent: each of those
# builds a matcher, and the digest converts every story of every post.
def _tags(soup, names):
    return [
        node
        for node in soup.descendants
        if isinstance(node, Tag) and node.name in names
    ]


def _links(soup):
    return [
        node
        for node in soup.descendants
        if isinstance(node, Tag) and node.name == "a" and node.get("href") is not None
    ]


def _text(soup, base_url=""):
    """The plain text of a parsed fragment (changes the tree)."""
    for link in _links(soup):
        href = urljoin(base_url, link["href"]) if base_url else link["href"]
        label = link.get_text(" ", strip=True)
        link.replace_with(
            f"{label} <{href}>" if label and label != href else f"<{href}>"
        )
    found = _tags(soup, BLOCKS | {"br"})  # a br holds no block: one walk finds both
    for br in [tag for tag in found if tag.name == "br"]:
        br.replace_with("\n")
    blocks = [tag for tag in found if tag.name != "br"]
    if not blocks:
        return " ".join(soup.get_text(" ").split())
    lines = []
    for block in blocks:
        if any(parent.name in CONTAINERS for parent in block.parents):
            continue
        text = " ".join(block.get_text(" ").split())
        if text:
            lines.append(f"- {text}" if block.name == "li" else text)
    return "\n\n".join(lines)


def _make_absolute(soup, images, base_url, image_width):
    for link in _links(soup):
        link["href"] = urljoin(base_url, link["href"])
    for image in images:
        image["src"] = urljoin(base_url, image.get("src", ""))
        image["alt"] = image.get("alt") or ""
        width = str(image.get("width", ""))
        image["width"] = (
            width if width.isdigit() and int(width) <= image_width else str(image_width)
        )
        image["style"] = IMAGE_STYLE


def html_to_text(html: str, base_url: str = "") -> str:
    """Plain text of a small HTML fragment; each link keeps its URL after its text."""
    return _text(BeautifulSoup(html or "", "html.parser"), base_url)


def absolute_html(html: str, base_url: str, image_width: int = 560) -> str:
    """Make links and images absolute; give every image alt text and a width."""
    soup = BeautifulSoup(html or "", "html.parser")
    _make_absolute(soup, _tags(soup, {"img"}), base_url, image_width)
    for unsafe in _tags(soup, UNSAFE):
        unsafe.decompose()
    return str(soup)


def html_and_text(html: str, base_url: str, image_width: int = 560) -> tuple[str, str]:
    """``absolute_html`` and the ``html_to_text`` of its result, from one parse."""
    soup = BeautifulSoup(html or "", "html.parser")
    found = _tags(soup, UNSAFE | {"img"})
    if any(tag.name in UNSAFE for tag in found):
        # Removing a tag leaves the text around it in two strings that only a new
        # parse joins: rare, so parse twice.
        body = absolute_html(html, base_url, image_width)
        return body, html_to_text(body)
    _make_absolute(soup, found, base_url, image_width)
    body = str(soup)
    soup.smooth()  # a new parse would find one string where a stray end tag left two
    return body, _text(soup)


def shorten(text: str, words: int) -> str:
    """The first sentence, or the first ``words`` words with an ellipsis."""
    text = " ".join(text.split())
    first = SENTENCE_END.split(text, maxsplit=1)[0]
    chosen = first if len(first.split()) <= words else text
    parts = chosen.split()
    if len(parts) <= words:
        return chosen
    return " ".join(parts[:words]).rstrip(",;:") + "\u2026"


def select(entries, period: Period) -> list:
    """Entries published in the period that did not opt out, oldest first."""
    chosen = [e for e in entries if e.newsletter and period.contains(e.date)]
    return sorted(chosen, key=lambda e: (e.date, e.title))


def featured_story(posts) -> Story | None:
    """The period's first story that has a body (else its first story at all)."""
    stories = [story for post in posts for story in post.stories]
    with_body = [s for s in stories if s.text.strip()]
    return (with_body or stories or [None])[0]


def answers_in(entries) -> list:
    """The stories of ``entries`` that answer another, in the order the entries were
    published (document order within one): the issue's "Thanked back" section."""
    ordered = sorted(entries, key=lambda entry: (entry.date, entry.title))
    return [story for entry in ordered for story in entry.stories if story.answers]


def preheader(intro: Intro | None, posts, episodes, sitename: str) -> str:
    """40 to 130 characters that an inbox shows after the subject."""
    if intro and intro.preheader:
        text = intro.preheader
    else:
        titles = [e.title for e in episodes + posts]
        text = "This week: " + "; ".join(titles)
    text = " ".join(text.split())
    if len(text) > 130:
        text = text[:129].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    if len(text) < 40:
        text = f"{text} \u00b7 the weekly digest from {sitename}"[:130]
    return text


def build_issue(
    period: Period, entries, cfg, intro: Intro | None = None, source="pelicanconf.py"
) -> Issue | None:
    """The issue for a period, or None when nothing was published in it."""
    chosen = select(entries, period)
    if not chosen:
        return None
    posts = [e for e in chosen if e.kind == "post"]
    episodes = [e for e in chosen if e.kind == "episode"]
    fields = {"start": period.first_day, "end": period.last_day}
    try:
        title = intro.title if intro and intro.title else cfg.title.format(**fields)
        subject = cfg.subject.format(
            sitename=cfg.sitename,
            title=title,
            issue_id=period.issue_id,
            count=len(chosen),
            **fields,
        )
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        raise ContentError(
            source,
            f"DIGEST_SUBJECT or DIGEST_TITLE has a bad field: {error}",
            hint="use {sitename}, {title}, {issue_id}, {start}, {end}, {count}",
        ) from None
    return Issue(
        period=period,
        title=title,
        subject=" ".join(subject.split()),
        preheader=preheader(intro, posts, episodes, cfg.sitename),
        posts=posts,
        episodes=episodes,
        intro=intro,
        featured=featured_story(posts),
        date=period.end,
    )
