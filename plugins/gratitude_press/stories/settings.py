"""Settings of the stories concern, with their defaults.

- ``GRATITUDE_QUALITIES``: the qualities a story may show, in the order the index
  lists them. Each is a dict ``{"slug", "label", "description"}`` (or a tuple in that
  order); a story names one by its slug (``quality: anticipates-needs``) or its label.
- ``GRATITUDE_INDEX_SAVE_AS`` ("gratitude/index.html"): every story, grouped by quality.
- ``GRATITUDE_QUALITY_SAVE_AS`` ("gratitude/{slug}/index.html"): one page per quality.
- ``GRATITUDE_JSON_SAVE_AS`` ("stories.json"): every story as JSON, newest first.
- ``GRATITUDE_WEB_PEOPLE`` (12) and ``GRATITUDE_WEB_PAIRS`` (18): who thanked whom, a
  picture (static SVG) and a table of pairs on the first page of the index; beyond
  these it shows the most connected people and the pairs with the most thanks, and
  says so (the index stays within the theme's page budget). ``GRATITUDE_WEB_PEOPLE =
  0`` leaves the picture and its table out.

Person pages are always ``people/<slug>/`` (``people.py``): episodes link there too.

The index, quality and person pages are paginated like Pelican's lists, so that a
page stays within the theme's size budget however many stories a site has. Their
entries in ``PAGINATED_TEMPLATES`` default to ``STORY_PAGINATION`` (stories per page;
None means ``DEFAULT_PAGINATION``); a site's own entries win.
"""

from dataclasses import dataclass

from ..errors import ContentError

DEFAULTS = {
    "GRATITUDE_QUALITIES": [
        {
            "slug": "unexpected",
            "label": "Unexpected",
            "description": "Thanks nobody expected doubles its impact.",
        },
        {
            "slug": "demonstrates-knowing",
            "label": "Demonstrates knowing",
            "description": "The gesture shows that you know who the person is.",
        },
        {
            "slug": "anticipates-needs",
            "label": "Anticipates needs",
            "description": "It meets a need before anyone has to voice it.",
        },
    ],
    "GRATITUDE_INDEX_SAVE_AS": "gratitude/index.html",
    "GRATITUDE_QUALITY_SAVE_AS": "gratitude/{slug}/index.html",
    "GRATITUDE_JSON_SAVE_AS": "stories.json",
    "GRATITUDE_WEB_PEOPLE": 12,
    "GRATITUDE_WEB_PAIRS": 18,
}
QUALITY_FIELDS = ("slug", "label", "description")
# The index lists one line a story; quality and person pages show each story whole.
# A person page also lists their threads on its first page, so it takes fewer.
STORY_PAGINATION = {"gratitude_index": 20, "gratitude_quality": None, "person": 6}


def with_story_pagination(paginated_templates):
    """``PAGINATED_TEMPLATES`` with the story pages added where the site left them out
    (a new dict: the default one belongs to Pelican)."""
    return {**STORY_PAGINATION, **(paginated_templates or {})}


@dataclass(frozen=True)
class Quality:
    slug: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class StoriesConfig:
    qualities: tuple
    index_save_as: str
    quality_save_as: str
    json_save_as: str
    regex_subs: tuple = ()
    web_people: int = DEFAULTS["GRATITUDE_WEB_PEOPLE"]
    web_pairs: int = DEFAULTS["GRATITUDE_WEB_PAIRS"]

    def quality_url(self, slug):
        return url_of(self.quality_save_as.format(slug=slug))

    @property
    def index_url(self):
        return url_of(self.index_save_as)


def url_of(save_as):
    """The pretty URL of an output file: ``gratitude/index.html`` -> ``gratitude/``."""
    return save_as.removesuffix("index.html")


def parse_qualities(raw, source="pelicanconf.py"):
    """``GRATITUDE_QUALITIES`` as a tuple of ``Quality`` (ContentError if malformed)."""
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ContentError(
            source,
            "GRATITUDE_QUALITIES must be a non-empty list",
            None,
            'e.g. [{"slug": "unexpected", "label": "Unexpected", '
            '"description": "..."}]',
        )
    qualities, seen = [], set()
    for number, entry in enumerate(raw, 1):
        if isinstance(entry, (list, tuple)):
            # The label and the description may be left out.
            entry = dict(zip(QUALITY_FIELDS, entry, strict=False))
        if not isinstance(entry, dict) or not str(entry.get("slug") or "").strip():
            raise ContentError(
                source,
                f"GRATITUDE_QUALITIES entry {number} has no slug",
                None,
                "give each quality a slug, a label and a description",
            )
        slug = str(entry["slug"]).strip()
        if slug in seen:
            raise ContentError(source, f"GRATITUDE_QUALITIES lists {slug!r} twice")
        seen.add(slug)
        label = str(entry.get("label") or slug.replace("-", " ").capitalize())
        qualities.append(Quality(slug, label, str(entry.get("description") or "")))
    return tuple(qualities)


def default_config() -> StoriesConfig:
    """The documented defaults, for a Markdown object made outside a Pelican build."""
    return StoriesConfig(
        qualities=parse_qualities(DEFAULTS["GRATITUDE_QUALITIES"]),
        index_save_as=DEFAULTS["GRATITUDE_INDEX_SAVE_AS"],
        quality_save_as=DEFAULTS["GRATITUDE_QUALITY_SAVE_AS"],
        json_save_as=DEFAULTS["GRATITUDE_JSON_SAVE_AS"],
    )


def read(values) -> StoriesConfig:
    try:
        qualities = parse_qualities(values["GRATITUDE_QUALITIES"])
    except ContentError as error:
        raise values.error(
            "GRATITUDE_QUALITIES",
            error.message.removeprefix("GRATITUDE_QUALITIES "),
            error.hint,
        ) from None
    return StoriesConfig(
        qualities=qualities,
        index_save_as=values.text("GRATITUDE_INDEX_SAVE_AS", empty=False),
        quality_save_as=values.text("GRATITUDE_QUALITY_SAVE_AS", empty=False),
        json_save_as=values.text("GRATITUDE_JSON_SAVE_AS"),
        web_people=values.integer("GRATITUDE_WEB_PEOPLE", low=0),
        web_pairs=values.integer("GRATITUDE_WEB_PAIRS", low=1),
        regex_subs=tuple(
            tuple(pair) for pair in values["SLUG_REGEX_SUBSTITUTIONS"] or ()
        ),
    )
