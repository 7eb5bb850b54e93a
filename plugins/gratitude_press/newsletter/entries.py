"""Pelican articles reduced to digest entries: the one place that reads an article.

Only public article attributes and plain metadata are read (``title``, ``url``,
``date``, ``summary``, ``source_path``, ``metadata``), so the tests can hand in any
object with those. Which story answers which is the stories concern's work: it hands
its ``in_return_for`` mapping in (``(source path, story id)`` -> the story answered).
"""

from dataclasses import dataclass

from .model import (
    Entry,
    Returned,
    Story,
    html_and_text,
    html_to_text,
    newsletter_flag,
)


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


def guest_names(guests) -> list:
    """Display names of an episode's guests; hosts are not guests."""
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


def returned(answered, cfg) -> Returned | None:
    """The story an answer returns (an entry of the stories concern), links absolute."""
    if not answered:
        return None
    return Returned(
        title=str(answered.get("title") or answered.get("heading") or ""),
        url=cfg.absolute(answered["url"]),
        site_url=answered["url"],
        date=answered.get("date"),
    )


@dataclass
class StoryInputs:
    """What a digest story is made from, before its HTML is parsed."""

    title: str
    person: str
    quality: str
    body_html: str  # as the reader rendered it; links relative to ``base_url``
    base_url: str  # the post's absolute URL
    url: str
    site_url: str
    giver: str
    receiver: str
    answers: Returned | None


@dataclass
class EntryInputs:
    """What an ``Entry`` is made from: the article's plain data, before any HTML is
    parsed (``entry_of`` does that). An issue's cache key is taken from these, so a
    past week read back from the cache never parses its articles' HTML."""

    kind: str
    title: str
    url: str
    site_url: str
    date: object
    summary_html: str
    source: str
    newsletter: bool
    guests: list
    duration: str
    number: str
    stories: list  # StoryInputs


def story_inputs(metadata, url, site_url, answers=None) -> list:
    """The post's gratitude stories (collected by the reader), links made absolute.
    ``answers(story id)``: the ``Returned`` that story answers, or None."""
    stories = []
    for raw in metadata.get("gratitude_stories") or []:
        if not isinstance(raw, dict):
            continue
        anchor = f"#{raw['id']}" if raw.get("id") else ""
        stories.append(
            StoryInputs(
                title=str(raw.get("title") or raw.get("heading") or ""),
                person=str(raw.get("person") or ""),
                quality=str(raw.get("quality_label") or raw.get("quality") or ""),
                body_html=str(raw.get("body_html") or ""),
                base_url=url,
                url=url + anchor,
                site_url=site_url + anchor,
                # as the stories concern reads them: `from` gives, `to` (or the
                # person the story is about) receives
                giver=str(raw.get("thanked_by") or ""),
                receiver=str(raw.get("thanked") or raw.get("person") or ""),
                answers=answers(raw.get("id")) if answers else None,
            )
        )
    return stories


def inputs_of(article, cfg, in_return_for=None) -> EntryInputs:
    """One post or episode as ``EntryInputs``; ContentError for an unclear flag.

    ``in_return_for``: the stories concern's ``{(source path, story id): the story
    answered}`` of the whole site (``BuildState.gratitude``), or None."""
    metadata = article.metadata
    source = getattr(article, "source_path", "") or ""
    url = cfg.absolute(article.url)
    is_episode = "podcast" in metadata  # trailers and bonuses may have no number
    podcast = (
        metadata.get("podcast") if isinstance(metadata.get("podcast"), dict) else {}
    )

    def answers(story_id):  # a lookup per story: no scan of every answer per post
        return returned((in_return_for or {}).get((source, story_id)), cfg)

    return EntryInputs(
        kind="episode" if is_episode else "post",
        title=str(article.title),
        url=url,
        site_url=article.url,
        date=article.date,
        summary_html=getattr(article, "summary", "") or "",
        source=source,
        newsletter=newsletter_flag(metadata.get("newsletter"), source),
        guests=guest_names(podcast.get("guests") or metadata.get("guests"))
        if is_episode
        else [],
        duration=format_duration(podcast.get("duration") or metadata.get("duration"))
        if is_episode
        else "",
        number=str(metadata.get("episode") or "") if is_episode else "",
        stories=story_inputs(metadata, url, article.url, answers),
    )


def entry_of(inputs: EntryInputs) -> Entry:
    """The ``Entry`` of its inputs: summary and story bodies parsed (BeautifulSoup)."""
    stories = []
    for story in inputs.stories:
        body, text = html_and_text(story.body_html, story.base_url)
        stories.append(
            Story(
                title=story.title,
                person=story.person,
                quality=story.quality,
                html=body,
                text=text,
                url=story.url,
                site_url=story.site_url,
                giver=story.giver,
                receiver=story.receiver,
                answers=story.answers,
            )
        )
    return Entry(
        kind=inputs.kind,
        title=inputs.title,
        url=inputs.url,
        site_url=inputs.site_url,
        date=inputs.date,
        summary=html_to_text(inputs.summary_html, inputs.url).replace("\n\n", " "),
        source=inputs.source,
        newsletter=inputs.newsletter,
        guests=list(inputs.guests),
        duration=inputs.duration,
        number=inputs.number,
        stories=stories,
    )


def entry_from_article(article, cfg, in_return_for=None) -> Entry:
    """One post or episode as an ``Entry``; ContentError for an unclear flag."""
    return entry_of(inputs_of(article, cfg, in_return_for))
