"""The show as the templates see it, and the episodes of its page (pure).

``show_context`` is ``context["podcast_show"]``: every page's head advertises
``feed_url``, episode pages link to ``url`` and list ``listen_on``, the show page
shows the rest. ``page_lists`` splits the published episodes into the trailers shown
first, the newest episode and the paginated list; ``season_groups`` groups a page of
that list under season headings.
"""

from ..stories.people import person_slug, person_url


def is_published(article):
    return getattr(article, "status", "published") == "published"


def _hosts(config, people):
    """Each host with the URL of their person page, or None when the build wrote no
    page for them (people get one through stories or guest appearances)."""
    hosts = []
    for name in config.hosts:
        known = person_slug(name, config.regex_subs) in people
        hosts.append(
            {
                "name": name,
                "url": person_url(name, config.regex_subs) if known else None,
            }
        )
    return hosts


def show_context(config, episodes, people, static_urls):
    """``episodes``: the build's episode articles; ``people``: person slugs with a
    page (``context["gratitude"]["people_by_slug"]``)."""
    published = [article for article in episodes if is_published(article)]
    newest = max(published, key=lambda a: a.date, default=None)
    # Without a show page, "all episodes" is the episodes' category page; without a
    # published episode there is neither.
    url = (config.page_url or newest.category.url) if newest else ""
    image = config.image or ""
    return {
        "title": config.title,
        "description": config.description,
        "url": url,
        "page_save_as": config.page_save_as if published else "",
        "feed_url": config.feed_url if published else "",
        "image": static_urls.get(image, image),
        "hosts": _hosts(config, people),
        "listen_on": config.listen_on,
        "podroll": config.podroll,
        "license": config.license,
        "copyright": config.copyright,
    }


def page_lists(episodes, show_type):
    """``(trailers newest first, newest other episode, the others in list order)``:
    newest first, or oldest first for a serial show (listened to in order)."""
    published = sorted(
        (a for a in episodes if is_published(a)), key=lambda a: a.date, reverse=True
    )
    trailers = [a for a in published if a.podcast["type"] == "trailer"]
    others = [a for a in published if a.podcast["type"] != "trailer"]
    newest = others[0] if others else None
    if show_type == "serial":
        others.reverse()
    return trailers, newest, others


def season_groups(episodes):
    """``[(season or None, [episodes])]`` of consecutive episodes of one season; a
    single group without a season when no episode has one."""
    groups = []
    for article in episodes:
        season = article.podcast["season"]
        if groups and groups[-1][0] == season:
            groups[-1][1].append(article)
        else:
            groups.append((season, [article]))
    return groups
