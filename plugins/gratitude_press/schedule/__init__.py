"""Scheduled posts: an article dated in the future stays a draft until its day.

With ``WITH_FUTURE_DATES = False`` (``pelicanconf.py`` and ``publishconf.py``) Pelican
makes every article dated after the machine's clock a draft. On
``article_generator_pretaxonomy`` (after reading, before categories, tags, feeds,
stories, the podcast and the digest see the articles) this adapter applies the same
rule with the kit's clock (``clock.now``: ``GRATITUDE_NOW`` when set) and moves each
article whose status changes to Pelican's list for it, so every later step sees only
what is published at that moment. With the real clock nothing changes and the lists
are left as Pelican made them.
"""

from pelican import signals
from pelican.utils import order_content, process_translations

from . import clock
from .core import LISTS, intended_status, status_at


def _articles(generator):
    for names in LISTS.values():
        for name in names:
            yield from getattr(generator, name)


def status_now(article, settings, now=None):
    """The status ``apply_schedule`` gives ``article`` (its own when dates in the
    future are published)."""
    if settings.get("WITH_FUTURE_DATES", True):
        return article.status
    now = now or clock.now(settings.get("TIMEZONE") or "UTC")
    intended = intended_status(article.metadata, article.default_status)
    return status_at(intended, article.date, now)


def apply_schedule(generator):
    settings = generator.settings
    if settings.get("WITH_FUTURE_DATES", True):
        return
    now = clock.now(settings.get("TIMEZONE") or "UTC")
    articles = list(_articles(generator))
    changed = False
    for article in articles:
        wanted = status_now(article, settings, now)
        if wanted != article.status:
            article.status, changed = wanted, True
    if changed:
        _sort_into_lists(generator, articles)


def _sort_into_lists(generator, articles):
    """Pelican's own grouping (translations, order) for each status's list."""
    settings = generator.settings
    for status, (originals, translations) in LISTS.items():
        chosen = [article for article in articles if article.status == status]
        found, translated = process_translations(
            chosen, translation_id=settings["ARTICLE_TRANSLATION_ID"]
        )
        ordered = order_content(found, settings["ARTICLE_ORDER_BY"])
        # the lists Pelican made, refilled in place (the hook exists to change them)
        getattr(generator, originals)[:] = ordered
        getattr(generator, translations)[:] = translated


def register():
    signals.article_generator_pretaxonomy.connect(apply_schedule)
