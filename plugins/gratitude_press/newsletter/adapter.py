"""Pelican side of the digest: articles become entries, issues become files.

Runs as a generator, after every other generator has read and finalised its content,
so stories and podcast metadata are complete. What a build learns lives in its
``BuildState`` (``state.digest_issues``); the digest command gets them through the
``DigestOutbox`` it put in this build's settings (``outbox.py``). An issue's email
files come from the cache under ``CACHE_PATH`` when their inputs did not change
(``cache.py``).
"""

import dataclasses
import logging
from pathlib import Path

from pelican.generators import Generator

from ..errors import ContentError, plugin_logger
from ..reader.markdown_reader import GratitudeMarkdownReader
from ..settings import config_of
from ..state import state_of
from . import period as periods
from .cache import IssueCache
from .entries import entry_of, inputs_of
from .intros import read_intros, unused_intros
from .model import build_issue
from .outbox import OUTBOX_KEY
from .render import Renderer, issue_files, issues_feed
from .selection import ByDate, issue_periods

logger = plugin_logger(__name__)


class NewsletterGenerator(Generator):
    """Writes every issue, the archive page and the issues feed."""

    def generate_output(self, writer):
        cfg = config_of(self.settings).digest
        if cfg is None:
            return  # bad digest settings: reported once, when Pelican started
        issues = state_of(self.context).digest_issues
        cfg = self._without_missing_header(cfg)
        inputs = self._inputs(cfg)
        intros = self._intros(cfg)
        wanted = self._periods(cfg, inputs)
        templates = Path(self.theme) / "templates"
        renderer = Renderer(templates, cfg)
        cache = IssueCache(self.settings["CACHE_PATH"], templates, cfg)
        by_date = ByDate(inputs)  # sorted once, not scanned per week
        for period in wanted:
            made = self._issue(
                period, by_date.within(period), intros, cfg, renderer, cache
            )
            if made is not None:
                self._write_issue(writer, cfg, *made)
                issues.append(made[0])
        cache.prune()
        used = {issue.intro.source for issue in issues if issue.intro}
        for error in unused_intros(intros, used, wanted, cfg.timezone):
            self._report(error, logging.WARNING)
        issues.sort(key=lambda issue: issue.period.start, reverse=True)
        if issues:
            self._write_archive(writer, cfg, issues)
            self._write_bytes(cfg.feed_save_as, issues_feed(issues, cfg, renderer))
        outbox = self.settings.get(OUTBOX_KEY)
        if outbox is not None:
            outbox.entries = [entry_of(item) for item in inputs]
            outbox.issues = list(issues)
            outbox.cfg, outbox.renderer = cfg, renderer

    def _report(self, error, level=logging.ERROR):
        state_of(self.context).report(logger, "newsletter", error, level)

    def _without_missing_header(self, cfg):
        image = cfg.header_image
        if not image or (Path(self.settings["PATH"]) / image).is_file():
            return cfg
        # no broken image in the inbox: a site without that file shows none
        logger.debug(
            "[newsletter] no %s in the content: email without header image", image
        )
        return dataclasses.replace(cfg, header_image=None)

    def _inputs(self, cfg) -> list:
        found = []
        # which story answers which: linked by the stories concern (its BuildState)
        answered = (state_of(self.context).gratitude or {}).get("in_return_for")
        for article in self.context.get("articles", []):
            try:
                found.append(inputs_of(article, cfg, answered))
            except ContentError as error:
                self._report(error)
        return found

    def _intros(self, cfg) -> dict:
        folder = Path(self.settings["PATH"]) / cfg.intro_path
        if not folder.is_dir():
            return {}
        intros, problems = read_intros(
            folder, GratitudeMarkdownReader(self.settings).parse, cfg
        )
        for level, error in problems:
            self._report(error, level)
        return intros

    def _periods(self, cfg, entries) -> list:
        try:
            custom = periods.requested(cfg.since, cfg.until, cfg.timezone)
        except ValueError as error:
            logger.error("[newsletter] %s", error)
            return []
        return issue_periods(entries, cfg.timezone, custom)

    def _issue(self, period, chosen, intros, cfg, renderer, cache):
        """``(issue, files, layout)`` of a period, from the cache when its inputs
        (the period, its articles' plain data, its intro) are those of an issue
        made before; None for a period with nothing in it or with a problem."""
        intro = intros.get(period.issue_id)
        key = cache.key((period, chosen, intro))
        found = cache.get(key)
        if found is not None:
            files, layout, issue = found
            return issue, files, layout
        try:
            issue = build_issue(period, [entry_of(item) for item in chosen], cfg, intro)
            if issue is None:
                return None
            files, layout = issue_files(issue, cfg, renderer)
        except ContentError as error:
            self._report(error)
            return None
        cache.put(key, files, layout, issue)
        return issue, files, layout

    # --- files and pages ----------------------------------------------------------
    def _write_issue(self, writer, cfg, issue, files, layout):
        logger.info(
            "[newsletter] issue %s: %d items, email.html %.1f KB%s",
            issue.issue_id,
            issue.count,
            len(files["email.html"]) / 1024,
            layout.fallback(issue.count),
        )
        folder = f"{cfg.path}/{issue.issue_id}/"
        for name, data in files.items():
            self._write_bytes(folder + name, data)
        writer.write_file(
            folder + "index.html",
            self.get_template("newsletter_issue"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            override_output=True,
            issue=issue,
            issue_url=folder,
            page_name=folder + "index",
            **_web_context(cfg),
        )

    def _write_archive(self, writer, cfg, issues):
        writer.write_file(
            cfg.archive_save_as,
            self.get_template("newsletter_archive"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            override_output=True,
            issues=issues,
            issues_path=cfg.path,
            page_name=cfg.archive_save_as.removesuffix(".html"),
            **_web_context(cfg),
        )

    def _write_bytes(self, relative, data: bytes):
        target = Path(self.output_path) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _web_context(cfg) -> dict:
    return {
        "DIGEST_ARCHIVE_URL": cfg.archive_save_as.removesuffix("index.html"),
        "DIGEST_FEED_URL": cfg.feed_save_as,
        "DIGEST_SIGNUP_URL": cfg.signup_url,
        "POSTAL_ADDRESS": cfg.postal_address,
    }


def get_generators(_pelican):
    return NewsletterGenerator
