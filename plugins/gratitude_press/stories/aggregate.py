"""Group the stories of the published posts (pure: plain data in, plain data out).

A post is any object with ``title``, ``url``, ``date`` and a ``metadata`` dict holding
``gratitude_stories`` (the reader's story dicts) and, for episodes, ``guests``. Pages
may hold stories too; one without a date sorts after every post.
"""

import datetime as dt
import json

from .people import person_slug, person_url

STORIES_KEY = "gratitude_stories"
UNDATED = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def newest_first(posts):
    return sorted(posts, key=lambda post: getattr(post, "date", None) or UNDATED,
                  reverse=True)


def story_entries(posts):
    """Every story with its post, newest post first, document order within a post."""
    entries = []
    for post in newest_first(posts):
        for story in post.metadata.get(STORIES_KEY) or ():
            entries.append({**story, "post": post, "date": getattr(post, "date", None),
                            "url": f"{post.url}#{story['id']}"})
    return entries


def guests_of(post):
    """The guest dicts (with a name) of an episode; nothing for a post."""
    guests = post.metadata.get("guests")
    if not isinstance(guests, list):
        return []
    return [guest for guest in guests if isinstance(guest, dict)
            and str(guest.get("name") or "").strip()]


def group(posts, config):
    """The ``gratitude`` context: stories by quality, people, and every story.

    Returns ``{"stories", "qualities", "people", "people_by_slug", "unknown"}``;
    ``unknown`` holds stories whose quality is no longer configured (a stale cache).
    """
    posts = list(posts)
    entries = story_entries(posts)
    qualities = [{"slug": q.slug, "label": q.label, "description": q.description,
                  "url": config.quality_url(q.slug), "stories": []}
                 for q in config.qualities]
    by_slug = {quality["slug"]: quality for quality in qualities}
    people, unknown = {}, []

    def person(name):
        slug = person_slug(name, config.regex_subs)
        return people.setdefault(slug, {
            "name": name, "slug": slug, "url": person_url(name, config.regex_subs),
            "stories": [], "episodes": [], "guest": None})

    for entry in entries:
        if entry["quality"] not in by_slug:
            unknown.append(entry)
            continue
        entry["quality_url"] = by_slug[entry["quality"]]["url"]
        by_slug[entry["quality"]]["stories"].append(entry)
        person(entry["person"])["stories"].append(entry)
    for post in newest_first(posts):
        for guest in guests_of(post):
            someone = person(" ".join(str(guest["name"]).split()))
            if post not in someone["episodes"]:
                someone["episodes"].append(post)
            someone["guest"] = someone["guest"] or guest  # the newest details
    ordered = sorted(people.values(), key=lambda someone: someone["name"].casefold())
    return {"stories": [entry for entry in entries if entry["quality"] in by_slug],
            "qualities": qualities, "people": ordered,
            "people_by_slug": people, "unknown": unknown,
            "index_url": config.index_url, "json_url": config.json_save_as}


def absolute(url, siteurl):
    return f"{siteurl.rstrip('/')}/{url}" if siteurl else url


def stories_json(stories, siteurl=""):
    """``stories.json``: one object per story, newest first; absolute with a SITEURL."""
    items = [{
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
    } for entry in stories]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
