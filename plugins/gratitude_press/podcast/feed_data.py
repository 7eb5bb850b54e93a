"""The podcast feed's channel and items as plain data for ``feed.build_feed``.

Pure: the config, the show (``show.show_context``), episode articles and their links
in; dicts with absolute URLs out. The analytics prefix (PODCAST_ENCLOSURE_PREFIX) is
applied here, to the feed's media URLs only.
"""

from ..stories.people import person_url
from ..urls import absolute_url
from .feed import absolute_html, build_feed, podcast_guid
from .show import is_published
from .show_settings import prefixed


def absolute(config, url):
    return absolute_url(config.base_url, url) if url else url


def _person(config, static_urls, name, role, href=None, image=None):
    return {
        "name": name,
        "role": role,
        "href": href or absolute(config, person_url(name, config.regex_subs)),
        "img": absolute(config, static_urls.get(image, image)) if image else None,
    }


def host_persons(config, show):
    """The hosts' ``podcast:person``: each links to their person page when the build
    has one, else to the show page (never to a page that does not exist)."""
    fallback = absolute(config, show["url"]) or config.base_url + "/"
    return [
        {
            "name": host["name"],
            "role": "host",
            "href": absolute(config, host["url"]) or fallback,
            "img": None,
        }
        for host in show["hosts"]
    ]


def _trailer(config, article, links):
    podcast = article.podcast
    return {
        "title": str(article.title),
        "date": article.date,
        "url": prefixed(config.enclosure_prefix, absolute(config, links["audio"])),
        "length": podcast["audio"]["length"],
        "type": podcast["audio"]["type"],
        "season": podcast["season"],
    }


def show_data(config, show, static_urls, trailers=()):
    """The channel; ``trailers``: ``(article, links)`` of the published trailers."""
    image = config.image or ""
    return {
        "title": config.title,
        "link": config.base_url + "/",
        "feed_url": config.feed_url,
        "description": config.description,
        "language": config.language,
        "image_url": absolute(config, static_urls.get(image, image)),
        "category": config.category,
        "subcategory": config.subcategory,
        "explicit": config.explicit,
        "author": config.author,
        "type": config.type,
        "owner_name": config.owner_name,
        "owner_email": config.owner_email,
        "locked": config.locked,
        "funding_url": config.funding_url,
        "funding_text": config.funding_text,
        "guid": config.guid or podcast_guid(config.feed_url),
        "copyright": config.copyright,
        "hosts": host_persons(config, show),
        "txt": [(txt.purpose, txt.text) for txt in config.txt],
        "podroll": [(remote.guid, remote.feed_url) for remote in config.podroll],
        "license": (config.license.id, config.license.url) if config.license else None,
        "trailers": [_trailer(config, article, links) for article, links in trailers],
    }


def episode_data(article, links, config, static_urls, hosts):
    """One item of the feed; ``hosts``: the channel's host persons."""
    podcast = article.podcast
    page_url = absolute(config, article.url)
    guests = [
        _person(config, static_urls, g["name"], g["role"], g["link"], g["image"])
        for g in podcast["guests"]
    ]
    return {
        "title": article.title,
        "link": page_url,
        "guid": podcast["guid"],
        "date": article.date,
        "summary": podcast["summary"],
        "content_html": absolute_html(article.content, page_url),
        "enclosure_url": prefixed(
            config.enclosure_prefix, absolute(config, links["audio"])
        ),
        "length": podcast["audio"]["length"],
        "type": podcast["audio"]["type"],
        "duration": podcast["duration"],
        "number": podcast["number"],
        "season": podcast["season"],
        "episode_type": podcast["type"],
        "explicit": podcast["explicit"],
        "image_url": absolute(config, links.get("image")),
        "transcript_url": absolute(config, links["transcript_file"]),
        "transcript_type": (podcast["transcript"] or {}).get("type"),
        "language": config.language,
        "chapters_url": absolute(config, links["chapters"]),
        "soundbites": podcast.get("soundbites") or [],
        "persons": [*hosts, *guests],
    }


def feed_xml(config, show, episodes, podcast_links, static_urls):
    """The feed's bytes: ``episodes`` (oldest first) and their links by source path;
    only published episodes are items, trailers are also named on the channel."""
    published = [a for a in episodes if is_published(a)]
    hosts = host_persons(config, show)
    trailers = [
        (a, podcast_links[a.source_path])
        for a in reversed(published)
        if a.podcast["type"] == "trailer"
    ]
    items = [
        episode_data(a, podcast_links[a.source_path], config, static_urls, hosts)
        for a in published
    ]
    return build_feed(show_data(config, show, static_urls, trailers), items)
