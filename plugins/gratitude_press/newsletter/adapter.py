"""Pelican side of the digest: articles become entries, issues become files.

Runs as a generator, after every other generator has read and finalised its content,
so stories and podcast metadata are complete. Everything it knows lives on the
generator instance, which Pelican creates anew for each build.
"""

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import blinker
from feedgen.feed import FeedGenerator
from pelican.generators import Generator

from ..errors import ContentError, plugin_logger
from . import period as periods
from .model import (Entry, Intro, Story, absolute_html, build_issue, html_and_text,
                    html_to_text, newsletter_flag)
from .render import Renderer, issue_files
from .selection import ByDate
from ..settings import config_of

logger = plugin_logger(__name__)
# The digest command listens here to get the issues of the build it started.
issues_built = blinker.signal("gratitude-press.newsletter.issues-built")


def format_duration(value) -> str:
    """``2710`` or ``"00:45:10"`` -> ``"45 min"``; unknown shapes are shown as given."""
    if value in (None, ""):
        return ""
    seconds = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = int(value)
    elif isinstance(value, str):
        parts = value.strip().split(":")
        if all(p.strip().isdigit() for p in parts) and 1 <= len(parts) <= 3:
            seconds = 0
            for part in parts:
                seconds = seconds * 60 + int(part)
        else:
            return value.strip()
    if seconds is None:
        return ""
    minutes = max(1, round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _guest_names(guests) -> list:
    names = []
    for guest in guests if isinstance(guests, list) else []:
        if isinstance(guest, dict):
            if str(guest.get("role", "guest")).lower() == "host":
                continue
            name = guest.get("name")
        else:
            name = guest
        if name and str(name).strip():
            names.append(str(name).strip())
    return names


def _stories(metadata, url, site_url) -> list:
    stories = []
    for raw in metadata.get("gratitude_stories") or []:
        if not isinstance(raw, dict):
            continue
        anchor = f"#{raw['id']}" if raw.get("id") else ""
        body, text = html_and_text(str(raw.get("body_html") or ""), url)
        stories.append(Story(
            title=str(raw.get("title") or raw.get("heading") or ""),
            person=str(raw.get("person") or ""),
            quality=str(raw.get("quality_label") or raw.get("quality") or ""),
            html=body, text=text, url=url + anchor,
            site_url=site_url + anchor))
    return stories


def entry_from_article(article, cfg) -> Entry:
    metadata = article.metadata
    source = getattr(article, "source_path", "") or ""
    url = cfg.absolute(article.url)
    is_episode = metadata.get("episode") not in (None, "")
    podcast = metadata.get("podcast") if isinstance(metadata.get("podcast"), dict) else {}
    summary_html = getattr(article, "summary", "") or ""
    return Entry(
        kind="episode" if is_episode else "post",
        title=str(article.title),
        url=url,
        site_url=article.url,
        date=article.date,
        summary=html_to_text(summary_html, url).replace("\n\n", " "),
        source=source,
        newsletter=newsletter_flag(metadata.get("newsletter"), source),
        guests=_guest_names(podcast.get("guests") or metadata.get("guests")) if is_episode
        else [],
        duration=format_duration(podcast.get("duration") or metadata.get("duration"))
        if is_episode else "",
        number=str(metadata.get("episode") or "") if is_episode else "",
        stories=_stories(metadata, url, article.url),
    )


class NewsletterGenerator(Generator):
    """Writes every issue, the archive page and the issues feed."""

    def generate_context(self):
        self.issues = []

    def generate_output(self, writer):
        cfg = config_of(self.settings).digest
        if cfg is None:
            return
        if cfg.header_image and not (Path(self.settings["PATH"]) / cfg.header_image).is_file():
            # no broken image in the inbox: a site without that file shows none
            logger.debug("[newsletter] no %s in the content: email without header image",
                         cfg.header_image)
            cfg = dataclasses.replace(cfg, header_image=None)
        entries = []
        article_of = {}  # id(entry) -> the article it was made from
        articles = self.context.get("articles", [])
        for article in articles:
            try:
                entries.append(entry_from_article(article, cfg))
            except ContentError as error:
                logger.error("[newsletter] %s", error)
                continue
            article_of[id(entries[-1])] = article
        intros = self._read_intros(cfg)
        wanted = self._periods(cfg, entries)
        renderer = Renderer(Path(self.theme) / "templates", cfg)
        by_date = ByDate(entries)  # sorted once, not scanned per week
        issues = []
        for issue_period in wanted:
            try:
                issue = build_issue(issue_period, by_date.within(issue_period), cfg,
                                    intros.get(issue_period.issue_id))
            except ContentError as error:
                logger.error("[newsletter] %s", error)
                continue
            if issue is not None:
                issues.append(issue)
        used_intros = set()
        for issue in issues:
            try:
                files, layout = issue_files(issue, cfg, renderer)
            except ContentError as error:
                logger.error("[newsletter] %s", error)
                continue
            if issue.intro:
                used_intros.add(issue.intro.source)
            self._report(issue, files, layout, cfg)
            self._write_files(Path(self.output_path) / cfg.path / issue.issue_id, files)
            self._write_page(writer, issue, cfg, renderer)
            self.issues.append(issue)
        self._check_intros(intros, used_intros, wanted)
        self.issues.sort(key=lambda issue: issue.period.start, reverse=True)
        if self.issues:
            self._write_archive(writer, cfg, renderer)
            self._write_feed(cfg, renderer)
        issues_built.send(self, issues=list(self.issues), cfg=cfg, renderer=renderer)

    # --- which issues -------------------------------------------------------------
    def _periods(self, cfg, entries):
        """Every week from the first eligible item to the newest content's week, plus
        the custom period the command line asked for (``--since``/``--until``)."""
        tz = cfg.timezone
        custom = None
        if cfg.since or cfg.until:
            try:
                if not (cfg.since and cfg.until):
                    raise ValueError("--since and --until go together")
                custom = periods.custom(periods.parse_day(cfg.since, "--since"),
                                        periods.parse_day(cfg.until, "--until"), tz)
            except ValueError as error:
                logger.error("[newsletter] %s", error)
                return []
        eligible = [e for e in entries if e.newsletter]
        wanted = []
        if eligible:
            newest = max(periods.local_day(e.date, tz) for e in entries)
            first = min(periods.local_day(e.date, tz) for e in eligible)
            wanted = list(periods.weeks_between(first, newest, tz))
        if custom and custom.issue_id not in {w.issue_id for w in wanted}:
            wanted.append(custom)
        return wanted

    # --- intros -------------------------------------------------------------------
    def _read_intros(self, cfg) -> dict:
        from ..reader.markdown_reader import GratitudeMarkdownReader

        folder = Path(self.settings["PATH"]) / cfg.intro_path
        intros = {}
        if not folder.is_dir():
            return intros
        reader = GratitudeMarkdownReader(self.settings)
        for path in sorted(folder.glob("*.md")):
            monday = periods.intro_key(path.stem)
            custom = "--" in path.stem and all(
                periods.intro_key(part) for part in path.stem.split("--"))
            if monday is None and not custom:
                logger.warning("[newsletter] %s", ContentError(
                    path, "an intro file must be named after its week",
                    hint="use the Monday's date, e.g. 2026-11-16.md, or 2026-w47.md"))
                continue
            if monday is not None and monday.weekday() != 0:
                logger.warning("[newsletter] %s", ContentError(
                    path, f"{monday} is not a Monday",
                    hint=f"name it after the Monday of its week: "
                         f"{monday - dt.timedelta(days=monday.weekday())}.md"))
                continue
            try:
                html, metadata = reader.read(str(path))
            except ContentError as error:
                logger.error("[newsletter] %s", error)
                continue
            key = monday.isoformat() if monday else path.stem
            if key in intros:
                logger.warning("[newsletter] %s", ContentError(
                    path, f"a second intro for the week of {key}",
                    hint=f"keep one of {Path(intros[key].source).name} and {path.name}"))
                continue
            base = cfg.absolute(f"{cfg.path}/{key}/")
            html = absolute_html(html, base)
            summary = metadata.get("preheader") or metadata.get("summary") or ""
            intros[key] = Intro(title=str(metadata.get("title") or ""), html=html,
                                text=html_to_text(html), source=str(path),
                                preheader=html_to_text(str(summary)))
        return intros

    def _check_intros(self, intros, used, wanted):
        built_until = max((p.end for p in wanted), default=None)
        for key, intro in intros.items():
            if intro.source in used:
                continue
            start = periods.intro_key(key.split("--")[0])
            if built_until is None or (start and periods.week_of(
                    start, self.settings.get("TIMEZONE") or "UTC").start < built_until):
                logger.warning("[newsletter] %s", ContentError(
                    intro.source, "no issue uses this intro: nothing was published "
                    "in that week", hint="check the file name's date"))

    # --- pages --------------------------------------------------------------------
    def _report(self, issue, files, layout, cfg):
        size = len(files["email.html"])
        note = "" if layout.detail == "full" and layout.shown == issue.count else (
            f" ({layout.detail} summaries, {issue.count - layout.shown} more on the site)"
            if layout.shown < issue.count else f" ({layout.detail} summaries)")
        logger.info("[newsletter] issue %s: %d items, email.html %.1f KB%s",
                    issue.issue_id, issue.count, size / 1024, note)

    def _write_files(self, folder, files):
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)

    def _web_context(self, cfg, renderer):
        return {"DIGEST_ARCHIVE_URL": cfg.archive_save_as.removesuffix("index.html"),
                "DIGEST_FEED_URL": cfg.feed_save_as, "DIGEST_SIGNUP_URL": cfg.signup_url,
                "POSTAL_ADDRESS": cfg.postal_address}

    def _write_page(self, writer, issue, cfg, renderer):
        writer.write_file(
            f"{cfg.path}/{issue.issue_id}/index.html", self.get_template("newsletter_issue"),
            self.context, relative_urls=self.settings["RELATIVE_URLS"],
            override_output=True, issue=issue, issue_url=f"{cfg.path}/{issue.issue_id}/",
            page_name=f"{cfg.path}/{issue.issue_id}/index",
            **self._web_context(cfg, renderer))

    def _write_archive(self, writer, cfg, renderer):
        writer.write_file(
            cfg.archive_save_as, self.get_template("newsletter_archive"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], override_output=True,
            issues=self.issues, issues_path=cfg.path,
            page_name=cfg.archive_save_as.removesuffix(".html"),
            **self._web_context(cfg, renderer))

    def _write_feed(self, cfg, renderer):
        feed = FeedGenerator()
        archive = cfg.absolute(cfg.archive_save_as.removesuffix("index.html"))
        feed.id(archive)
        feed.title(f"{cfg.sitename}: newsletter issues")
        feed.subtitle(f"Every weekly digest of {cfg.sitename}.")
        feed.author({"name": cfg.author or cfg.sitename})
        feed.link(href=archive, rel="alternate")
        feed.link(href=cfg.absolute(cfg.feed_save_as), rel="self")
        feed.language(cfg.lang)
        feed.updated(self.issues[0].date)
        for issue in reversed(self.issues):  # feedgen prepends: newest ends up first
            url = renderer.urls(issue)["issue"]
            entry = feed.add_entry()
            entry.id(url)
            entry.title(issue.subject)
            entry.link(href=url)
            entry.published(issue.date)
            entry.updated(issue.date)
            entry.summary(issue.preheader)
        target = Path(self.output_path) / cfg.feed_save_as
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(feed.atom_str(pretty=True))


def get_generators(_pelican):
    return NewsletterGenerator
