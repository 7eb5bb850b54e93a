"""Reciprocal gratitude: which story answers which, and the threads between two people
(pure: the story entries of ``aggregate.story_entries`` in, links and problems out).

A story answers another with ``answers:`` (read by ``check.py``); an episode's
guest-to-host thanks answers the host-to-guest thanks of the same episode without
being told. Links are made once every post and page is read, so the answered story
may live in any file, written before or after. They are checked here: the answered
story exists, is not the story itself, and the two go opposite ways (the answer comes
from the one thanked first and, when the first story names its giver, goes back to
them). Everything is a dict lookup per story: linear in the number of stories.
"""

import datetime as dt
import difflib
import html
import posixpath
from urllib.parse import quote

from ..errors import ContentError
from .check import split_reference
from .people import person_slug

LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)
DIRECTION_HINT = "an answer goes the other way: its `from:` is the one thanked first"
# The opening of a story's section as the Markdown extension writes it.
SECTION_OPENING = '<section class="gratitude-story"'


class LinkProblem(Exception):
    def __init__(self, message, hint=None):
        super().__init__(message)
        self.message, self.hint = message, hint


def source_of(entry):
    """The path under content/ of the file that tells the story."""
    post = entry["post"]
    path = getattr(post, "relative_source_path", None) or getattr(
        post, "source_path", ""
    )
    return str(path).replace("\\", "/")


def set_participants(entries, slug_of):
    """Give each entry its giver and receiver (name and slug, "" when unknown: ``from``
    gives, ``to`` receives, else ``person``) and empty links."""
    for position, entry in enumerate(entries):
        giver = entry.get("thanked_by") or ""
        receiver = entry.get("thanked") or entry["person"]
        entry.update(
            {
                "answers": entry.get("answers") or "",  # a cache from before it existed
                "giver": giver,
                "receiver": receiver,
                "giver_slug": slug_of(giver) if giver else "",
                "receiver_slug": slug_of(receiver),
                "in_return_for": None,
                "thanked_back": [],
                "position": position,
            }
        )


def chronological(entry):
    """Oldest first; undated stories (pages) last; document order within a post."""
    return (entry["date"] or LATEST, entry["position"])


class Places:
    """Where each story is: by id, and by (file under content/, id)."""

    def __init__(self, entries):
        self.by_id, self.by_place, self.files = {}, {}, set()
        for entry in entries:
            self.by_id.setdefault(entry["id"], []).append(entry)
            self.by_place[(source_of(entry), entry["id"])] = entry
            self.files.add(source_of(entry))

    def resolve(self, entry):
        """The story ``entry`` answers, or a LinkProblem."""
        path, story_id = split_reference(entry["answers"])
        if path:
            return self._in_file(entry, path, story_id)
        here = self.by_place.get((source_of(entry), story_id))
        if here is not None:  # as in a page, an id names the story of the same file
            return here
        found = self.by_id.get(story_id, [])
        if len(found) == 1:
            return found[0]
        if found:
            files = sorted(source_of(other) for other in found)
            raise LinkProblem(
                f"answers: {story_id!r} is the id of a story in {', '.join(files)}",
                f"say which: answers: {files[0]}#{story_id}",
            )
        raise LinkProblem(
            f"answers: no story has the id {story_id!r}",
            self._suggestion(story_id, self.by_id),
        )

    def _in_file(self, entry, path, story_id):
        folder = posixpath.dirname(source_of(entry))
        for candidate in (
            posixpath.normpath(path),
            posixpath.normpath(posixpath.join(folder, path)),
        ):
            if candidate in self.files:
                found = self.by_place.get((candidate, story_id))
                if found is None:
                    ids = {key[1]: None for key in self.by_place if key[0] == candidate}
                    raise LinkProblem(
                        f"answers: {candidate} has no story {story_id!r}",
                        self._suggestion(story_id, ids),
                    )
                return found
        raise LinkProblem(
            f"answers: no published post or page {path} tells a story",
            "write the file's path under content/, e.g. posts/name.md#story-id",
        )

    @staticmethod
    def _suggestion(story_id, ids):
        close = difflib.get_close_matches(story_id, list(ids), n=1)
        if close:
            return f"did you mean {close[0]!r}?"
        return (
            "write the id of a published story (its URL after #); a story in a "
            "draft cannot be answered yet"
        )


def direction_problem(answer, first):
    """Why ``answer`` cannot answer ``first`` (they must go opposite ways), or None."""
    if (
        answer["giver_slug"] == first["giver_slug"]
        and answer["receiver_slug"] == first["receiver_slug"]
    ):
        return LinkProblem(
            f"answers {first['id']!r}, which goes the same way (from "
            f"{first['giver']} to {first['receiver']})",
            DIRECTION_HINT,
        )
    if answer["giver_slug"] != first["receiver_slug"]:
        return LinkProblem(
            f"answers {first['id']!r}, which thanks "
            f"{first['receiver']}: the answer must come from "
            f"{first['receiver']}, not {answer['giver']}",
            DIRECTION_HINT,
        )
    if first["giver_slug"] and answer["receiver_slug"] != first["giver_slug"]:
        return LinkProblem(
            f"answers {first['id']!r}, whose thanks came from "
            f"{first['giver']}: the answer must go to {first['giver']}, "
            f"not {answer['receiver']}",
            f"set `to: {first['giver']}`",
        )
    return None


def connect(answer, first):
    answer["in_return_for"] = first
    first["thanked_back"].append(answer)


def disconnect(answer):
    first = answer["in_return_for"]
    answer["in_return_for"] = None
    first["thanked_back"] = [
        other for other in first["thanked_back"] if other is not answer
    ]


def problem_at(entry, problem):
    """A LinkProblem as a ContentError at the story's header line (None for a story
    the build wrote, such as an episode's thanks: the adapter finds that line)."""
    return ContentError(
        getattr(entry["post"], "source_path", source_of(entry)),
        problem.message,
        entry.get("line"),
        problem.hint,
    )


def link_answers(entries):
    """Link every story written with ``answers:``; ``[(entry, ContentError)]``."""
    places, problems = Places(entries), []
    for entry in entries:
        if not entry["answers"]:
            continue
        try:
            first = places.resolve(entry)
            if first is entry:
                raise LinkProblem(
                    "a story cannot answer itself",
                    "write the id of the story this one answers",
                )
            wrong = direction_problem(entry, first)
            if wrong is not None:
                raise wrong
        except LinkProblem as problem:
            problems.append((entry, problem_at(entry, problem)))
            continue
        connect(entry, first)
    return problems


def link_episode(stories, guests):
    """In one episode (its stories in document order, its guests' slugs): a guest's
    thanks to someone outside the guests (the host) answers that person's thanks to
    the guest, unless it names what it answers."""
    firsts = {}
    for entry in stories:
        if (
            entry["receiver_slug"] in guests
            and entry["giver_slug"]
            and entry["giver_slug"] not in guests
        ):
            firsts.setdefault((entry["giver_slug"], entry["receiver_slug"]), entry)
    for entry in stories:
        if (
            entry["answers"]
            or entry["giver_slug"] not in guests
            or entry["receiver_slug"] in guests
        ):
            continue
        first = firsts.get((entry["receiver_slug"], entry["giver_slug"]))
        if first is not None and first["in_return_for"] is not entry:
            connect(entry, first)


def break_loops(entries):
    """Stories whose chain of answers comes back to them (A answers B answers A):
    each loop is cut at the story where it was found, ``[(entry, ContentError)]``."""
    state, problems = {}, []  # id(entry): 1 on the walk under way, 2 done
    for start in entries:
        walk, entry = [], start
        while entry is not None and id(entry) not in state:
            state[id(entry)] = 1
            walk.append(entry)
            entry = entry["in_return_for"]
        if entry is not None and state[id(entry)] == 1:
            first = entry["in_return_for"]
            problems.append(
                (
                    entry,
                    problem_at(
                        entry,
                        LinkProblem(
                            f"answers {first['id']!r}, which itself answers this story "
                            "(directly "
                            "or through others)",
                            "only the later of the two answers the other",
                        ),
                    ),
                )
            )
            disconnect(entry)
        for seen in walk:
            state[id(seen)] = 2
    return problems


def link(entries, guests_by_post, slug_of=person_slug):
    """Link answers and thanked-back stories; ``[(entry, ContentError)]``.

    ``guests_by_post``: ``{id(post): set of guest slugs}`` for episodes;
    ``slug_of(name)``: a person's slug (``people.PersonSlugs``).
    """
    set_participants(entries, slug_of)
    problems = link_answers(entries)
    by_post = {}
    for entry in entries:
        by_post.setdefault(id(entry["post"]), []).append(entry)
    for key, stories in by_post.items():
        if guests_by_post.get(key):
            link_episode(stories, guests_by_post[key])
    problems += break_loops(entries)
    for entry in entries:
        entry["thanked_back"].sort(key=chronological)
    return problems


def threads(entries):
    """``{(slug, slug): [entries, oldest first]}`` of every two people who thanked
    each other (stories both ways), the slugs in sorted order."""
    pairs = {}
    for entry in entries:
        giver, receiver = entry["giver_slug"], entry["receiver_slug"]
        if giver and giver != receiver:
            pairs.setdefault(tuple(sorted((giver, receiver))), []).append(entry)
    return {
        pair: sorted(stories, key=chronological)
        for pair, stories in pairs.items()
        if len({story["giver_slug"] for story in stories}) == 2
    }


# --- The notes shown in the story's section of its post ------------------------------


def story_href(target):
    """A link to ``target`` in its post: Pelican resolves ``{filename}`` links for
    each page shown (relative or absolute URLs, as configured), and a post shown
    elsewhere (a feed) keeps a full link, even to its own stories."""
    return f"{{filename}}/{quote(source_of(target))}#{target['id']}"


def _link(target, text):
    return (
        f'<a href="{html.escape(story_href(target))}">'
        f"{html.escape(text, quote=False)}</a>"
    )


def notes_of(entry):
    """The HTML lines to add under the story's meta line ("" if none)."""
    lines = []
    if entry["in_return_for"] is not None:
        first = entry["in_return_for"]
        lines.append(f"In return for “{_link(first, first['heading'])}”")
    if entry["thanked_back"]:
        links = [_link(answer, answer["giver"]) for answer in entry["thanked_back"]]
        lines.append("Thanked back by " + and_list(links))
    return "".join(f'\n<p class="meta reciprocal">{line}</p>' for line in lines)


def and_list(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _section_end(page, anchor, start):
    """Where the meta line of the story ``anchor`` ends in ``page`` (after
    ``start``), or -1. The extension wrote the section's opening tag and its meta line
    (escaped text and links only, so the first ``</p>`` closes it)."""
    needle = f' id="{html.escape(anchor)}"'
    found = page.find(needle, start)
    while found >= 0:
        tag = page.rfind("<", start, found)
        if (
            tag >= 0
            and page.startswith(SECTION_OPENING, tag)
            and ">" not in page[tag:found]
        ):
            end = page.find("</p>", found)
            return -1 if end < 0 else end + len("</p>")
        found = page.find(needle, found + len(needle))
    return -1


def with_notes(page, notes):
    """``page`` (a post's HTML) with each ``(anchor, note)`` placed after its story's
    meta line, ``notes`` in document order; also the anchors not found."""
    parts, start, missing = [], 0, []
    for anchor, note in notes:
        end = _section_end(page, anchor, start)
        if end < 0:
            missing.append(anchor)
            continue
        parts += [page[start:end], note]
        start = end
    parts.append(page[start:])
    return "".join(parts), missing
