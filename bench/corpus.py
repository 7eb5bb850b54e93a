"""A deterministic benchmark corpus: N posts and M podcast episodes.

The same seed always gives the same bytes, so stock Pelican and the kit build exactly
the same sources and two runs of ``make bench`` compare like with like.

Posts use Pelican ``Key: value`` headers, 600-1200 words of Markdown (headings,
lists, links, a code block, sometimes a table or a quote) and one or two gratitude
story blocks. Episodes use YAML front matter with guests, chapters, a transcript
and thanks, and point at copies of a small real MP3 from ``content/audio/``.
The newest week (``DIGEST_WEEK``) holds exactly ``DIGEST_WEEK_ITEMS`` items so the
digest can be timed on a realistic busy week.

Run ``python bench/corpus.py DEST --posts 1000 --episodes 20`` to write one by hand.
"""

import argparse
import datetime as dt
import random
import shutil
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content"

# The newest week of the corpus: Monday to Sunday with 40 items for the digest.
DIGEST_WEEK = dt.date(2026, 11, 16)
DIGEST_WEEK_ITEMS = 40
DIGEST_WEEK_EPISODES = 3

CATEGORIES = [
    "Trust",
    "Transparency",
    "Gratitude",
    "Teams",
    "Hiring",
    "Feedback",
    "Meetings",
    "Strategy",
    "Operations",
    "Culture",
]
TAGS = [
    "trust",
    "teams",
    "leadership",
    "feedback",
    "gratitude",
    "hiring",
    "meetings",
    "one-to-ones",
    "remote-work",
    "onboarding",
    "decisions",
    "writing",
    "strategy",
    "incidents",
    "on-call",
    "pay",
    "promotion",
    "coaching",
    "mentoring",
    "burnout",
    "planning",
    "retrospectives",
    "roadmaps",
    "budgets",
    "apologies",
    "recognition",
    "delegation",
    "listening",
    "conflict",
    "change",
    "customers",
    "quality",
    "documentation",
    "culture",
    "rituals",
    "offsites",
    "reviews",
    "careers",
    "management",
    "handoffs",
]
FIRST_NAMES = [
    "Dana",
    "Marcus",
    "Priya",
    "Samuel",
    "Tomás",
    "Aiko",
    "Femi",
    "Lena",
    "Jonah",
    "Rosa",
    "Imran",
    "Greta",
    "Kwame",
    "Mei",
    "Oscar",
    "Nadia",
    "Tariq",
    "Helen",
    "Yusuf",
    "Ingrid",
    "Mateo",
    "Chloé",
    "Ravi",
    "Zara",
]
LAST_NAMES = [
    "Whitfield",
    "Lee",
    "Raman",
    "Greene",
    "Okafor",
    "Tanaka",
    "Adeyemi",
    "Berg",
    "Castillo",
    "Novak",
    "Haddad",
    "Lindqvist",
    "Mensah",
    "Chen",
    "Ortega",
    "Petrova",
    "Kaur",
    "Walsh",
    "Demir",
    "Eriksen",
]
QUALITIES = ["unexpected", "demonstrates-knowing", "anticipates-needs"]

NOUNS = [
    "team",
    "decision",
    "meeting",
    "roadmap",
    "budget",
    "promise",
    "deadline",
    "review",
    "handoff",
    "incident",
    "customer",
    "manager",
    "engineer",
    "plan",
    "question",
    "mistake",
    "note",
    "ledger",
    "habit",
    "calendar",
    "report",
    "launch",
    "rehearsal",
    "pager",
    "offsite",
    "contract",
    "policy",
    "retro",
    "apology",
    "update",
    "checklist",
    "spreadsheet",
    "deposit",
    "silence",
]
ADJECTIVES = [
    "small",
    "quiet",
    "specific",
    "late",
    "honest",
    "boring",
    "careful",
    "public",
    "private",
    "slow",
    "early",
    "generous",
    "awkward",
    "patient",
    "invisible",
    "written",
    "unglamorous",
    "steady",
    "hard",
    "clear",
]
VERBS = [
    "builds",
    "spends",
    "earns",
    "breaks",
    "repairs",
    "hides",
    "reveals",
    "protects",
    "changes",
    "tests",
    "carries",
    "shapes",
    "slows",
    "anchors",
    "rewards",
    "explains",
    "records",
    "signals",
    "costs",
    "outlasts",
]
ADVERBS = [
    "quietly",
    "slowly",
    "deliberately",
    "publicly",
    "rarely",
    "often",
    "eventually",
    "carefully",
    "suddenly",
    "honestly",
]
OPENERS = [
    "In my experience,",
    "Most weeks,",
    "On a good team,",
    "Over time,",
    "Looking back,",
    "More often than not,",
    "In practice,",
    "Sooner or later,",
    "When it matters,",
    "Every quarter,",
]
TITLE_PATTERNS = [
    "The {adj} {noun}",
    "Why the {noun} {verb} trust",
    "What a {adj} {noun} taught me",
    "{Noun}s are {adj} on purpose",
    "Thank the {noun}, not the launch",
    "A {adj} {noun} for the {noun2}",
    "Notes on the {adj} {noun}",
    "Who owns the {noun}?",
]
CODE_SNIPPETS = [
    (
        "python",
        'def thank(person, work):\n    """Say what the work took."""\n'
        '    return f"Thank you, {{person}}, for {{work}}."\n\n'
        "for name, task in ledger.items():\n    print(thank(name, task))\n",
    ),
    (
        "yaml",
        "retro:\n  went_well:\n    - rehearsal {n} caught the bad migration\n"
        "  thanks:\n    - to: on-call\n      for: the {adj} night\n",
    ),
    (
        "sql",
        "SELECT person, COUNT(*) AS notes\nFROM thanks\n"
        "WHERE sent_at > now() - interval '{n} days'\nGROUP BY person\n"
        "ORDER BY notes DESC;\n",
    ),
    (
        "bash",
        "# count decisions written down this quarter\n"
        "grep -c '^Decision:' notes/*.md | sort -t: -k2 -n | tail -{n}\n",
    ),
]


class Writer:
    """Random prose from a seeded generator: same seed, same text."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def sentence(self):
        r = self.rng
        words = [
            r.choice(OPENERS),
            "a",
            r.choice(ADJECTIVES),
            r.choice(NOUNS),
            r.choice(VERBS),
            "the",
            r.choice(NOUNS),
        ]
        for _ in range(r.randint(1, 3)):
            words += [
                r.choice(["and", "because", "while", "until", "so"]),
                "the",
                r.choice(ADJECTIVES),
                r.choice(NOUNS),
                r.choice(ADVERBS),
                r.choice(VERBS),
                "a",
                r.choice(NOUNS),
            ]
        if r.random() < 0.15:
            words[-1] = f"*{words[-1]}*"
        if r.random() < 0.1:
            words[-2] = f"**{words[-2]}**"
        text = " ".join(words)
        if not text[0].isupper():
            text = text[0].upper() + text[1:]
        return text + "."

    def paragraph(self, sentences=None):
        count = sentences or self.rng.randint(3, 6)
        parts = [self.sentence() for _ in range(count)]
        if self.rng.random() < 0.35:
            slug = "-".join(self.rng.sample(NOUNS, 2))
            parts.insert(
                self.rng.randrange(len(parts)),
                f"See [the {slug.replace('-', ' ')} notes]"
                f"(https://example.org/notes/{slug}).",
            )
        return " ".join(parts)

    def title(self):
        r = self.rng
        noun = r.choice(NOUNS)
        return r.choice(TITLE_PATTERNS).format(
            adj=r.choice(ADJECTIVES),
            noun=noun,
            Noun=noun.capitalize(),
            noun2=r.choice(NOUNS),
            verb=r.choice(VERBS),
        )

    def bullet_list(self):
        ordered = self.rng.random() < 0.4
        lines = []
        for number in range(1, self.rng.randint(3, 6) + 1):
            marker = f"{number}." if ordered else "-"
            lines.append(f"{marker} {self.sentence()[:-1].lower()};")
        return "\n".join(lines)

    def code_block(self):
        language, code = self.rng.choice(CODE_SNIPPETS)
        code = code.format(n=self.rng.randint(2, 90), adj=self.rng.choice(ADJECTIVES))
        return f"```{language}\n{code}```"

    def table(self):
        rows = ["| Person | Thanked for | Quality |", "|---|---|---|"]
        for _ in range(self.rng.randint(2, 4)):
            rows.append(
                f"| {self.person()} | the {self.rng.choice(ADJECTIVES)} "
                f"{self.rng.choice(NOUNS)} | {self.rng.choice(QUALITIES)} |"
            )
        return "\n".join(rows)

    def story(self):
        r = self.rng
        person = self.person()
        lines = [
            f"/// gratitude | {self.title()}" if r.random() < 0.8 else "/// gratitude",
            f"    quality: {r.choice(QUALITIES)}",
            f"    person: {person}",
        ]
        if r.random() < 0.7:
            lines.append(f"    from: {self.person()}")
        if r.random() < 0.6:
            lines.append(f"    to: {person}")
        body = [self.paragraph(r.randint(2, 4)) for _ in range(r.randint(1, 2))]
        return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n///"

    def body(self, stories):
        """600-1200 words of sections with headings; one or two stories among them."""
        r = self.rng
        target = r.randint(600, 1200)
        stories_text = [self.story() for _ in range(stories)]
        words = sum(len(story.split()) for story in stories_text)
        blocks = []

        def add(block):
            nonlocal words
            blocks.append(block)
            words += len(block.split())
            return words >= target

        add(self.paragraph())
        section = 0
        while words < target:
            section += 1
            if add(f"## {self.title()}") or add(self.paragraph()):
                break
            if section == 1 and add(self.code_block()):
                break
            kind = r.random()
            extra = (
                self.bullet_list()
                if kind < 0.45
                else self.table()
                if kind < 0.6
                else "> " + self.sentence()
                if kind < 0.7
                else self.paragraph()
            )
            if add(extra):
                break
            if r.random() < 0.25 and (
                add(f"### {self.title()}") or add(self.paragraph())
            ):
                break
        # Stories sit after the first sections, never at the very top.
        for offset, story in enumerate(stories_text):
            position = min(len(blocks), 3 + offset * 4)
            blocks.insert(position, story)
        return "\n\n".join(blocks) + "\n"


def post_dates(rng, count):
    """Newest first: the last DIGEST_WEEK_ITEMS - DIGEST_WEEK_EPISODES posts fill the
    digest week; the others go back in time a day or two apart."""
    in_week = min(count, DIGEST_WEEK_ITEMS - DIGEST_WEEK_EPISODES)
    dates = []
    for index in range(in_week):
        day = DIGEST_WEEK + dt.timedelta(days=index % 7)
        dates.append(
            dt.datetime.combine(day, dt.time(6 + index % 12, (index * 7) % 60))
        )
    moment = dt.datetime.combine(DIGEST_WEEK - dt.timedelta(days=1), dt.time(8, 30))
    for _ in range(count - in_week):
        dates.append(moment)
        moment -= dt.timedelta(hours=rng.randint(10, 40), minutes=rng.randint(0, 59))
    return dates


def make_guid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def post_text(writer, number, date):
    r = writer.rng
    title = writer.title()
    tags = r.sample(TAGS, r.randint(2, 4))
    headers = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {r.choice(CATEGORIES)}",
        f"Tags: {', '.join(tags)}",
        f"Slug: post-{number:05d}",
    ]
    if r.random() < 0.8:  # the rest get Pelican's automatic summary
        headers.append(f"Summary: {writer.sentence()}")
    headers.append(f"Guid: {make_guid(r)}")
    if r.random() < 0.05:
        headers.append("Newsletter: no")
    return "\n".join(headers) + "\n\n" + writer.body(stories=r.randint(1, 2))


def episode_text(writer, number, date):
    r = writer.rng
    guest = writer.person()
    host = "Rakesh Menon"
    chapters = "".join(
        f"  - start: {start}\n    title: {writer.title()}\n" for start in (0, 11, 24)
    )
    thanks = "".join(
        f"  - from: {giver}\n    to: {receiver}\n    quality: {r.choice(QUALITIES)}\n"
        f"    body: {writer.paragraph(2)}\n"
        for giver, receiver in ((host, guest), (guest, host))
    )
    front = (
        "---\n"
        f'title: "{writer.title()}"\n'
        f"date: {date:%Y-%m-%d %H:%M}\n"
        f"slug: episode-{number:03d}\n"
        f"episode: {number}\n"
        "season: 1\n"
        "episode_type: full\n"
        f"audio: audio/episode-{number:03d}.mp3\n"
        "explicit: false\n"
        f"guid: {make_guid(r)}\n"
        f'summary: "{writer.sentence()}"\n'
        "category: Podcast\n"
        f"tags: [podcast, {', '.join(r.sample(TAGS, 2))}]\n"
        "guests:\n"
        f"  - name: {guest}\n"
        "    role: guest\n"
        f"    title: Head of {r.choice(CATEGORIES)}, Example Co\n"
        f"    link: https://example.org/people/{number}\n"
        f"transcript: transcripts/episode-{number:03d}.vtt\n"
        f"chapters:\n{chapters}"
        f"thanks:\n{thanks}"
        "---\n"
    )
    body = [writer.paragraph() for _ in range(3)]
    body += [
        "## Mentioned in this episode",
        writer.bullet_list(),
        "## Credits",
        f"Hosted by {host}. The audio is a short synthetic sample.",
    ]
    return front + "\n\n".join(body) + "\n"


def episode_dates(count):
    """Newest first: DIGEST_WEEK_EPISODES inside the digest week, then fortnightly."""
    dates = []
    for index in range(count):
        if index < DIGEST_WEEK_EPISODES:
            day = DIGEST_WEEK + dt.timedelta(days=1 + 2 * index)
        else:
            day = DIGEST_WEEK - dt.timedelta(
                days=14 * (index - DIGEST_WEEK_EPISODES + 1)
            )
        dates.append(dt.datetime.combine(day, dt.time(7, 0)))
    return dates


def generate(dest, posts, episodes, seed=2026):
    """Write the corpus into ``dest`` (replacing it); return the list of post paths."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    rng = random.Random(seed)
    writer = Writer(rng)
    for folder in ("pages", "images", "newsletter"):
        if (SAMPLE / folder).is_dir():
            shutil.copytree(SAMPLE / folder, dest / folder)
    for folder in ("posts", "episodes", "audio", "transcripts"):
        (dest / folder).mkdir(parents=True, exist_ok=True)
    paths = []
    for index, date in enumerate(post_dates(rng, posts)):
        path = dest / "posts" / f"post-{index:05d}.md"
        path.write_text(post_text(writer, index, date), encoding="utf-8")
        paths.append(path)
    # the full-length episodes only: the chapters (0, 11, 24 s) must fit the audio,
    # and the trailer lasts 12 s
    audio = sorted((SAMPLE / "audio").glob("off-the-rak-[0-9]*.mp3"))
    transcripts = sorted((SAMPLE / "transcripts").glob("*.vtt"))
    for index, date in enumerate(episode_dates(episodes)):
        number = episodes - index  # the newest episode has the highest number
        (dest / "episodes" / f"episode-{number:03d}.md").write_text(
            episode_text(writer, number, date), encoding="utf-8"
        )
        shutil.copyfile(
            audio[number % len(audio)], dest / "audio" / f"episode-{number:03d}.mp3"
        )
        shutil.copyfile(
            transcripts[number % len(transcripts)],
            dest / "transcripts" / f"episode-{number:03d}.vtt",
        )
    return paths


def edit_post(path, marker="edited"):
    """The dev-loop edit: append one paragraph to a post's body."""
    path = Path(path)
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"\nOne more sentence added while writing ({marker}).\n",
        encoding="utf-8",
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    generate(args.dest, args.posts, args.episodes, args.seed)


if __name__ == "__main__":
    main()
