"""Turn an issue into email HTML, text, Markdown, a MIME message and provider payloads,
and every issue into the archive's Atom feed.

The templates live in the theme (``theme/templates/email/``) and are rendered with our
own Jinja environment: HTML autoescaped, text and Markdown not. The HTML then goes
through css-inline, which moves every rule into ``style=""`` attributes and keeps
only the ``@media`` rules (written with ``!important``) in ``<head>``.
"""

import hashlib
import html as html_lib
import json
import re
import textwrap
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import css_inline
import jinja2
from feedgen.feed import FeedGenerator

from ..errors import ContentError
from .model import answers_in, shorten

# The inbox preview stops at the preheader: these invisible characters fill the rest.
PREHEADER_SPACER = "&#8199;&#847; " * 60
DETAILS = ("full", "short", "titles")
# Per-recipient URLs are longer than the list-wide one: keep room for them.
HEADROOM = 2048
LINK_IN_TEXT = re.compile(r"\s*<https?://[^>\s]+>")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~-])")

# Each provider's own placeholders for the links only it can fill in.
PROVIDER_LINKS = {
    "mailchimp": ("*|UNSUB|*", "*|ARCHIVE|*"),
    "listmonk": ("{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    "buttondown": ("{{ unsubscribe_url }}", "{{ email_url }}"),
}


@dataclass(frozen=True)
class Links:
    unsubscribe: str
    view_online: str


@dataclass(frozen=True)
class Layout:
    """How much of the issue the email shows; the rest is "N more on the site"."""

    detail: str
    shown: int

    def fallback(self, count: int) -> str:
        """How an issue of ``count`` items was made to fit ("" when all of it fit)."""
        if self.detail == "full" and self.shown == count:
            return ""
        if self.shown < count:
            return f" ({self.detail} summaries, {count - self.shown} more on the site)"
        return f" ({self.detail} summaries)"


@dataclass
class Rendered:
    html: str
    text: str
    layout: Layout


def _wrap(text, width=72, indent=""):
    paragraphs = str(text).split("\n\n")
    return "\n\n".join(
        textwrap.fill(
            " ".join(p.split()),
            width=width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        for p in paragraphs
        if p.strip()
    )


def _markdown_escape(text):
    """Plain text inside Markdown: no accidental emphasis, no raw HTML."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html_lib.escape(str(text), quote=False))


def environment(templates_dir) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",), default_for_string=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["wrap"] = _wrap
    env.filters["md"] = _markdown_escape
    return env


def to_ascii_html(html: str) -> str:
    """Numeric entities for every non-ASCII character (one raw character can make
    Gmail clip early, and it keeps the part 7-bit clean)."""
    return html.encode("ascii", "xmlcharrefreplace").decode("ascii")


class Renderer:
    """Renders one issue for every channel with a fixed layout."""

    def __init__(self, templates_dir, cfg):
        self.env = environment(templates_dir)
        self.cfg = cfg
        self.inliner = css_inline.CSSInliner(keep_at_rules=True)

    def urls(self, issue):
        cfg = self.cfg
        archive = cfg.archive_save_as.removesuffix("index.html")
        return {
            "site": cfg.siteurl + "/",
            "issue": cfg.absolute(f"{cfg.path}/{issue.issue_id}/"),
            "archive": cfg.absolute(archive),
            "signup": cfg.absolute(cfg.signup_url),
        }

    def context(self, issue, links: Links, layout: Layout):
        cfg = self.cfg
        shown_episodes = issue.episodes[: layout.shown]
        shown_posts = issue.posts[: max(0, layout.shown - len(shown_episodes))]

        def summary(entry):
            if layout.detail == "full":
                return entry.summary
            if layout.detail == "short":
                return shorten(entry.summary, cfg.short_summary_words)
            return ""

        featured = issue.featured
        featured_text = ""
        if featured is not None and layout.detail != "full":
            words = cfg.short_summary_words * (2 if layout.detail == "short" else 1)
            # a cut URL would be a broken link
            plain = LINK_IN_TEXT.sub("", featured.text)
            featured_text = shorten(plain.replace("\n", " "), words)
        image = None
        if cfg.header_image:
            image = {
                "src": cfg.absolute(cfg.header_image),
                "alt": cfg.author or cfg.sitename,
                "width": cfg.header_image_width,
            }
        return {
            "issue": issue,
            "cfg": cfg,
            "links": links,
            "urls": self.urls(issue),
            "detail": layout.detail,
            "posts": [{"entry": e, "summary": summary(e)} for e in shown_posts],
            "episodes": [{"entry": e, "summary": summary(e)} for e in shown_episodes],
            "more": issue.count - len(shown_posts) - len(shown_episodes),
            # of the items shown: the rest are "more on the site"
            "answers": answers_in(shown_episodes + shown_posts),
            "featured": featured,
            "featured_text": featured_text,
            "header_image": image,
            "spacer": PREHEADER_SPACER,
        }

    def html(self, issue, links, layout) -> str:
        raw = self.env.get_template("email/digest.html").render(
            self.context(issue, links, layout)
        )
        return to_ascii_html(self.inliner.inline(raw))

    def text(self, issue, links, layout) -> str:
        return self.env.get_template("email/digest.txt").render(
            self.context(issue, links, layout)
        )

    def markdown(self, issue, links, layout) -> str:
        return self.env.get_template("email/digest.md").render(
            self.context(issue, links, layout)
        )

    def fit(self, issue, links, rendered=None) -> Layout:
        """The richest layout whose HTML stays under the size limit (Gmail clips).
        ``rendered``, a dict, receives the HTML of every layout tried."""
        limit = self.cfg.max_bytes - HEADROOM

        def fits(layout):
            html = self.html(issue, links, layout)
            if rendered is not None:
                rendered[layout] = html
            return len(html.encode()) < limit

        for detail in DETAILS:
            if fits(Layout(detail, issue.count)):
                return Layout(detail, issue.count)
        low, high = 0, issue.count - 1  # largest number of items that still fits
        if not fits(Layout("titles", 0)):
            source = issue.intro.source if issue.intro else "theme/templates/email/"
            raise ContentError(
                source,
                f"issue {issue.issue_id}: the email is over "
                f"{self.cfg.max_bytes} bytes even without items",
                hint="shorten the intro",
            )
        while low < high:
            middle = (low + high + 1) // 2
            if fits(Layout("titles", middle)):
                low = middle
            else:
                high = middle - 1
        return Layout("titles", low)

    def render(self, issue, links, layout=None) -> Rendered:
        tried = {}  # the chosen layout's HTML was made while fitting: not twice
        layout = layout or self.fit(issue, links, tried)
        html = tried[layout] if layout in tried else self.html(issue, links, layout)
        return Rendered(html, self.text(issue, links, layout), layout)


def message_id(issue, cfg, recipient: str = "") -> str:
    """Deterministic: a rebuilt issue is byte-identical, a resend recognisable."""
    local = f"digest.{issue.issue_id}"
    if recipient:
        local += "." + hashlib.sha256(recipient.lower().encode()).hexdigest()[:16]
    return f"<{local}@{cfg.domain}>"


def build_message(
    issue,
    cfg,
    rendered: Rendered,
    *,
    to,
    unsubscribe: tuple,
    one_click=False,
    date=None,
    msgid=None,
) -> EmailMessage:
    """multipart/alternative: text/plain first, text/html last (RFC 2046).

    ``unsubscribe`` lists the List-Unsubscribe URIs; ``one_click`` (RFC 8058) only
    when one of them is an https endpoint that really answers the POST."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = issue.subject
    msg["From"] = Address(cfg.sender_name, addr_spec=cfg.sender_email)
    msg["Reply-To"] = Address(cfg.sender_name, addr_spec=cfg.reply_to)
    msg["To"] = to
    msg["Date"] = format_datetime(date or issue.date)
    msg["Message-ID"] = msgid or message_id(issue, cfg)
    msg["List-Id"] = cfg.list_id
    msg["List-Unsubscribe"] = ", ".join(f"<{uri}>" for uri in unsubscribe)
    if one_click:
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Post"] = "NO"  # announcements only (RFC 2369)
    archive = cfg.absolute(cfg.archive_save_as.removesuffix("index.html"))
    msg["List-Archive"] = f"<{archive}>"
    msg.set_content(rendered.text, subtype="plain", charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="us-ascii")
    # The default boundary is random; a content hash keeps rebuilt issues identical.
    digest = hashlib.sha256((rendered.text + rendered.html).encode()).hexdigest()
    msg.set_boundary(f"=_gratitude_{digest[:32]}")
    return msg


def list_links(cfg, renderer, issue) -> Links:
    """The list-wide links: the exported files, and the layout every copy shares."""
    return Links(cfg.list_unsubscribe_link, renderer.urls(issue)["issue"])


TEMPLATE_OPENERS = re.compile(r"\{\{|\{%|\{#")
# Rendered in place of a provider's tags, swapped in once user text is made literal.
SENTINELS = Links(
    "gratitude-press-unsubscribe-link-3b9c7e", "gratitude-press-view-online-link-3b9c7e"
)


def for_provider(provider, body: str, html: bool) -> str:
    """A body rendered with ``SENTINELS`` as links, in the provider's template
    language: user text stays literal (a title with "{{ x }}" or "*|FNAME|*" is text),
    and only our two links become the provider's tags."""
    if provider == "mailchimp":
        body = body.replace("*|", "*&#124;" if html else "* |")
    else:  # listmonk (Go templates) and Buttondown (Jinja-like) print a string literal
        body = TEMPLATE_OPENERS.sub(lambda m: '{{ "' + m.group(0) + '" }}', body)
    unsubscribe, view_online = PROVIDER_LINKS[provider]
    return body.replace(SENTINELS.unsubscribe, unsubscribe).replace(
        SENTINELS.view_online, view_online
    )


def _json(data) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def provider_payload(provider, issue, cfg, renderer: Renderer, layout: Layout) -> dict:
    """One provider's campaign payload, with its own unsubscribe/view-online tags
    (the file written next to each issue, and what ``send`` starts from)."""
    if provider == "buttondown":
        return {
            "subject": issue.subject,
            "body": buttondown_markdown(issue, renderer, layout),
            "status": "draft",
        }
    html = for_provider(provider, renderer.html(issue, SENTINELS, layout), True)
    text = for_provider(provider, renderer.text(issue, SENTINELS, layout), False)
    if provider == "mailchimp":
        return {
            "type": "regular",
            "settings": {
                "subject_line": issue.subject,
                "preview_text": issue.preheader,
                "title": f"{cfg.sitename} {issue.issue_id}",
                "from_name": cfg.sender_name,
                "reply_to": cfg.reply_to,
            },
            "content": {"html": html, "plain_text": text},
        }
    return {  # listmonk
        "name": f"{cfg.sitename} {issue.issue_id}",
        "subject": issue.subject,
        "lists": list(cfg.listmonk_lists),
        "from_email": str(Address(cfg.sender_name, addr_spec=cfg.sender_email)),
        "content_type": "html",
        "body": html,
        "altbody": text,
    }


def provider_payloads(issue, cfg, renderer: Renderer, layout: Layout) -> dict:
    """``<provider>.json`` for each of DIGEST_PROVIDERS."""
    return {
        f"{provider}.json": _json(
            provider_payload(provider, issue, cfg, renderer, layout)
        )
        for provider in cfg.providers
    }


def buttondown_markdown(issue, renderer, layout) -> str:
    return for_provider(
        "buttondown", renderer.markdown(issue, SENTINELS, layout), False
    )


def issue_files(issue, cfg, renderer: Renderer) -> tuple[dict, Layout]:
    """Every email file of an issue (name -> bytes) and the layout that fitted."""
    rendered = renderer.render(issue, list_links(cfg, renderer, issue))
    to = Address(f"{cfg.sitename} readers", addr_spec=cfg.sender_email)
    message = build_message(
        issue, cfg, rendered, to=to, unsubscribe=(cfg.list_unsubscribe_link,)
    )
    files = {
        "email.html": rendered.html.encode("ascii"),
        "email.preview.html": local_preview(rendered.html, cfg).encode("ascii"),
        "email.txt": rendered.text.encode("utf-8"),
        "email.eml": message.as_bytes(),
        "email.md": buttondown_markdown(issue, renderer, rendered.layout).encode(
            "utf-8"
        ),
    }
    files.update(provider_payloads(issue, cfg, renderer, rendered.layout))
    return files, rendered.layout


def local_preview(html: str, cfg) -> str:
    """The email to open from disk: its links and images on the site point into the
    built site instead (``output/``), so this build's images show before the site is
    online. ``email.html`` and ``email.eml`` keep their absolute URLs."""
    up = "../" * (len(cfg.path.split("/")) + 1)  # from <path>/<issue>/ to the root
    return html.replace(f'="{cfg.siteurl}/', f'="{up}')


def issues_feed(issues, cfg, renderer: Renderer) -> bytes:
    """The Atom feed of every issue; ``issues`` newest first, at least one."""
    feed = FeedGenerator()
    archive = cfg.absolute(cfg.archive_save_as.removesuffix("index.html"))
    feed.id(archive)
    feed.title(f"{cfg.sitename}: newsletter issues")
    feed.subtitle(f"Every weekly digest of {cfg.sitename}.")
    feed.author({"name": cfg.author or cfg.sitename})
    feed.link(href=archive, rel="alternate")
    feed.link(href=cfg.absolute(cfg.feed_save_as), rel="self")
    feed.language(cfg.lang)
    feed.updated(issues[0].date)
    for issue in reversed(issues):  # feedgen prepends: newest ends up first
        url = renderer.urls(issue)["issue"]
        entry = feed.add_entry()
        entry.id(url)
        entry.title(issue.subject)
        entry.link(href=url)
        entry.published(issue.date)
        entry.updated(issue.date)
        entry.summary(issue.preheader)
    return feed.atom_str(pretty=True)
