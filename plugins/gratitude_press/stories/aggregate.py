"""Group the stories of the published posts (pure: plain data in, plain data out).

A post is any object with ``title``, ``url``, ``date`` and a ``metadata`` dict holding
``gratitude_stories`` (the reader's story dicts) and, for episodes, ``guests``; its
``source_path`` (and Pelican's ``relative_source_path``) names it in errors and
``answers:``. Pages may hold stories too; one without a date sorts after every post.
Who answers whom, and the threads between two people: ``reciprocal.py``.
"""

import datetime as dt
import json

from ..urls import absolute_url, encode_url
from .people import PersonSlugs, person_slug, person_url
from .reciprocal import link, threads

STORIES_KEY = "gratitude_stories"
UNDATED = dt.datetime.min.replace(tzinfo=dt.UTC)


def newest_first(posts):
    return sorted(
        posts, key=lambda post: getattr(post, "date", None) or UNDATED, reverse=True
    )


def story_entries(posts):
    """Every story with its post, newest post first, document order within a post."""
    entries = []
    for post in newest_first(posts):
        for story in post.metadata.get(STORIES_KEY) or ():
            entries.append(
                {
                    **story,
                    "post": post,
                    "date": getattr(post, "date", None),
                    "url": f"{post.url}#{story['id']}",
                }
            )
    return entries


def guests_of(post):
    """The guest dicts (with a name) of an episode; nothing for a post."""
    guests = post.metadata.get("guests")
    if not isinstance(guests, list):
        return []
    return [
        guest
        for guest in guests
        if isinstance(guest, dict) and str(guest.get("name") or "").strip()
    ]


def guest_slugs(posts, slug_of=person_slug):
    """``{id(post): slugs of its guests}`` of every episode (hosts are no guests)."""
    found = {}
    for post in posts:
        slugs = {
            slug_of(" ".join(str(guest["name"]).split()))
            for guest in guests_of(post)
            if str(guest.get("role") or "guest").lower() != "host"
        }
        if slugs:
            found[id(post)] = slugs
    return found


def _people_of(entry):
    """The names a story concerns: who it is about, who gave and who received."""
    names = [entry["person"], entry["giver"], entry["receiver"]]
    return [name for name in names if name]


def brief(someone):
    """What a list shows of a person: their name and page, not their whole record
    (a page's data is what it shows, so a dev build can tell it is unchanged:
    ``dev/pages.py``)."""
    return {key: someone[key] for key in ("name", "slug", "url")}


def _add_threads(people, entries):
    for (first, second), stories in threads(entries).items():
        for own, other in ((first, second), (second, first)):
            # who the thread is with, not their whole record: the people stay a tree
            people[own]["threads"].append(
                {
                    "with": brief(people[other]),
                    "anchor": f"with-{other}",
                    "stories": stories,
                }
            )
    for someone in people.values():
        someone["threads"].sort(key=lambda thread: thread["with"]["name"].casefold())


def answered_stories(entries):
    """``{(post source path, story id): the story it answers}`` for every answer: how
    the feeds and the digest, which read a post's own story dicts, find the link."""
    return {
        (getattr(entry["post"], "source_path", ""), entry["id"]): entry["in_return_for"]
        for entry in entries
        if entry["in_return_for"]
    }


def group(posts, config):
    """The ``gratitude`` context: stories by quality, people, and every story.

    Returns ``{"stories", "qualities", "people", "people_by_slug", "unknown",
    "problems", "in_return_for"}``; ``unknown`` holds stories whose quality is no
    longer configured (a stale cache), ``problems`` the ``(entry, ContentError)`` of
    answers that cannot be linked, ``in_return_for`` see ``answered_stories``. Each
    entry gains ``giver``, ``receiver``, ``in_return_for`` (the story it answers)
    and ``thanked_back`` (its answers); each person ``stories`` (about, from or to
    them, newest first), ``received``, ``given`` and ``threads``.
    """
    posts = list(posts)
    entries = story_entries(posts)
    slug_of = PersonSlugs(config.regex_subs)
    problems = link(entries, guest_slugs(posts, slug_of), slug_of)
    qualities = [
        {
            "slug": q.slug,
            "label": q.label,
            "description": q.description,
            "url": config.quality_url(q.slug),
            "stories": [],
        }
        for q in config.qualities
    ]
    by_slug = {quality["slug"]: quality for quality in qualities}
    people, unknown = {}, []

    def person(name):
        slug = slug_of(name)
        if slug not in people:
            people[slug] = {
                "name": name,
                "slug": slug,
                "url": person_url(name, config.regex_subs),
                "stories": [],
                "received": [],
                "given": [],
                "threads": [],
                "episodes": [],
                "guest": None,
            }
        return people[slug]

    for entry in entries:
        if entry["quality"] not in by_slug:
            unknown.append(entry)
            continue
        entry["quality_url"] = by_slug[entry["quality"]]["url"]
        by_slug[entry["quality"]]["stories"].append(entry)
        concerned = {id(someone): someone for someone in map(person, _people_of(entry))}
        for someone in concerned.values():
            someone["stories"].append(entry)
        person(entry["receiver"])["received"].append(entry)
        if entry["giver"]:
            person(entry["giver"])["given"].append(entry)
    known = [entry for entry in entries if entry["quality"] in by_slug]
    _add_threads(people, known)
    for post in newest_first(posts):
        for guest in guests_of(post):
            someone = person(" ".join(str(guest["name"]).split()))
            if post not in someone["episodes"]:
                someone["episodes"].append(post)
            someone["guest"] = someone["guest"] or guest  # the newest details
    ordered = sorted(people.values(), key=lambda someone: someone["name"].casefold())
    return {
        "stories": known,
        "qualities": qualities,
        "people": ordered,
        "people_by_slug": people,
        "unknown": unknown,
        "problems": problems,
        "in_return_for": answered_stories(known),
        "index_url": config.index_url,
        "json_url": config.json_save_as,
    }


def absolute(url, siteurl):
    return absolute_url(siteurl, url) if siteurl else encode_url(url)


def _id_of(entry):
    return None if entry is None else entry["id"]


def _url_of(entry, siteurl):
    return None if entry is None else absolute(entry["url"], siteurl)


def stories_json(stories, siteurl=""):
    """``stories.json``: one object per story, newest first; absolute with a SITEURL."""
    items = [
        {
            "id": entry["id"],
            "quality": entry["quality"],
            "quality_label": entry["quality_label"],
            "quality_url": absolute(entry["quality_url"], siteurl),
            "person": entry["person"],
            "person_url": absolute(entry["person_url"], siteurl),
            "thanked_by": entry["thanked_by"] or None,
            "thanked": entry["thanked"] or None,
            "title": entry["heading"],
            "url": absolute(entry["url"], siteurl),
            "date": entry["date"].isoformat() if entry["date"] else None,
            "post_title": str(entry["post"].title),
            "post_url": absolute(entry["post"].url, siteurl),
            "text": entry["body_text"],
            # Reciprocity, after every older key: readers of the file keep working.
            "answers": _id_of(entry.get("in_return_for")),
            "answered_by": [answer["id"] for answer in entry.get("thanked_back", ())],
            "giver": entry.get("giver") or None,
            "receiver": entry.get("receiver") or None,
            "answers_url": _url_of(entry.get("in_return_for"), siteurl),
            "answered_by_urls": [
                absolute(answer["url"], siteurl)
                for answer in entry.get("thanked_back", ())
            ],
        }
        for entry in stories
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
