"""Write the story pages (the index with who thanked whom, one per quality, one per
person) and stories.json."""

import os
import posixpath

from pelican.generators import Generator

from ..errors import plugin_logger
from ..links import resolve_links
from ..settings import config_of
from .aggregate import STORIES_KEY, brief, guests_of, stories_json
from .markdown_ext import TARGET_ROOT
from .people import person_url
from .settings import url_of
from .web import layout, network, svg_text

logger = plugin_logger(__name__)
WEB_TITLE = "Who thanked whom"


class LinkTarget:
    """What Pelican's ``{filename}`` replacement needs of a linked page: its URL."""

    def __init__(self, url):
        self.url = url


def register_link_targets(context, config, posts):
    """Make the quality and person links of story headers resolvable.

    Called before the content cache is saved, so a post restored from the generator
    cache layer (which keeps the context it was read with) finds them too.
    """
    targets = context.setdefault("generated_content", {})
    urls = [config.index_url, *(config.quality_url(q.slug) for q in config.qualities)]
    for post in posts:
        names = [story["person"] for story in post.metadata.get(STORIES_KEY) or ()]
        names += [str(guest["name"]) for guest in guests_of(post)]
        urls += [
            person_url(" ".join(name.split()), config.regex_subs) for name in names
        ]
    for url in urls:
        targets[TARGET_ROOT + url] = LinkTarget(url)


def story_body(entry, siteurl):
    """A story's body HTML, its ``{filename}`` links resolved for the page shown."""
    return resolve_links(entry["post"], entry["body_html"], siteurl)


def quality_brief(quality):
    keys = ("slug", "label", "description", "url")
    return {**{key: quality[key] for key in keys}, "count": len(quality["stories"])}


def web_brief(web):
    people = [brief(someone) for someone in web["people"]]
    pairs = [
        {**pair, "first": brief(pair["first"]), "second": brief(pair["second"])}
        for pair in web["pairs"]
    ]
    return {**web, "people": people, "pairs": pairs}


def web_page(gratitude, config):
    """What the index's picture shows, and the picture's SVG markup (None without
    networkx: the index then shows the table alone). Its links are relative to the
    index (``../people/<slug>/``): the page has a size budget, and a SITEURL in
    every link of the picture would spend a tenth of what the picture may take."""
    web = network(
        gratitude["stories"],
        gratitude["people_by_slug"],
        config.web_people,
        config.web_pairs,
    )
    slugs = [someone["slug"] for someone in web["people"]]
    try:
        positions = layout(slugs, web["pairs"]) if slugs else None
    except ImportError as error:
        logger.warning(
            "[stories] %s: the page %s shows the table of pairs without "
            "the picture (pip install -r requirements.txt)",
            error,
            config.index_save_as,
        )
        positions = None
    if positions is None:
        return web_brief(web), None
    root = posixpath.relpath(".", posixpath.dirname(config.index_save_as) or ".")
    return web_brief(web), svg_text(web, positions, root, WEB_TITLE)


class StoriesGenerator(Generator):
    """Pages built from ``context["gratitude"]`` (made by the finalized signals)."""

    def generate_output(self, writer):
        gratitude = self.context.get("gratitude")
        if gratitude is None:
            return
        config = config_of(self.settings).stories
        relative = self.settings["RELATIVE_URLS"]

        def write(save_as, template, stories, **kwargs):
            # Paginated like Pelican's own lists (PAGINATED_TEMPLATES): the stories of
            # a page are ``stories_page.object_list``.
            writer.write_file(
                save_as,
                self.get_template(template),
                self.context,
                relative_urls=relative,
                story_body=story_body,
                stories_index_url=gratitude["index_url"],
                paginated={"stories": stories},
                template_name=template,
                url=url_of(save_as),
                **kwargs,
            )

        by_quality = [
            story for quality in gratitude["qualities"] for story in quality["stories"]
        ]
        web, picture = (
            web_page(gratitude, config) if config.web_people >= 2 else (None, None)
        )
        write(
            config.index_save_as,
            "gratitude_index",
            by_quality,
            web=web,
            web_picture=picture,
            web_title=WEB_TITLE,
            story_qualities=[quality_brief(q) for q in gratitude["qualities"]],
            story_people=[brief(someone) for someone in gratitude["people"]],
            stories_json_url=gratitude["json_url"],
        )
        for quality in gratitude["qualities"]:
            save_as = config.quality_save_as.format(slug=quality["slug"])
            write(
                save_as,
                "gratitude_quality",
                quality["stories"],
                quality=quality_brief(quality),
            )
        for person in gratitude["people"]:
            write(
                person["url"] + "index.html", "person", person["stories"], person=person
            )
        if config.json_save_as:
            path = os.path.join(self.output_path, config.json_save_as)
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                siteurl = self.settings["SITEURL"]
                handle.write(stories_json(gratitude["stories"], siteurl))
