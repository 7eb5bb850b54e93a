"""The dev server's fast render: the post a save changed, before the whole site.

A dev build takes seconds at 1,000 posts: Pelican builds its whole context again and
writes every file (its generators offer no partial rebuild). A writer who saves a
post is looking at that post. So when a batch of saves only changed the text of
posts or drafts, or added a post, the session first writes those posts' pages into
the served site, then builds the whole site as always, which writes them again with
every list, story and search page and swaps the site in. (Hugo's server does the
same in its "fast render" mode.)

A page is rendered fast only when the last build would have rendered it the same
way: the post is read again with the last build's readers, and the new ``Article``
must equal the one that build made in everything but its text (metadata, stories,
status, every attribute a plugin set), whose text no plugin changed after the read
(the reciprocal stories add "thanked back" lines to both posts of a pair: such a
post waits for the whole build); its intrasite links must be ones the last build
resolved; the read must report no problem; and the page is written by the article
generator's own ``write_file`` call (its template, its context, its writer class).
A new file passes the checks of ``_is_new_post``. Anything else (a removed file, a
page, a title, a story, a template, a setting) waits for the whole build.

The pages are rendered beside the site and moved in under the output folder's
lock; what they replace is kept, and put back if the whole build then fails, so a
save the build rejects never stays in the served site.
"""

import logging
import os
import posixpath
import re
import shutil
import tempfile
from pathlib import Path

from pelican import signals
from pelican.contents import Article

from ..build import output
from ..paths import inside
from ..reader.markdown_reader import PROBLEMS_KEY
from ..schedule import status_now
from ..stories.aggregate import STORIES_KEY, guests_of

logger = logging.getLogger(__name__)

TEXT_ONLY = frozenset({"_content"})  # the attribute a text edit changes


class LastBuild:
    """The article generator and writer of the last good dev build, kept to render
    posts again without the rest. One per dev session."""

    def __init__(self, output_folder):
        self.output = Path(output_folder)
        self.finished = None  # (generator, writer) of the last good build
        self._seen = None
        self._read_text = {}  # source path -> the text its read gave (unchanged?)
        self._undo = []  # (served page, its bytes before a fast render, or None)

    def _writer_finalized(self, generator, writer):
        self._seen = (generator, writer)

    def _content_made(self, instance):
        self._read_text[instance.source_path] = instance._content

    def build(self, run):
        """``run()`` (a build returning its exit status), keeping what it made."""
        self._seen = self.finished = None  # two sites' objects never live at once
        self._read_text = {}
        signals.article_writer_finalized.connect(self._writer_finalized)
        signals.content_object_init.connect(self._content_made)
        status = None
        try:
            status = run()
        finally:
            signals.article_writer_finalized.disconnect(self._writer_finalized)
            signals.content_object_init.disconnect(self._content_made)
            if status != 0:
                self._put_back()
            self._undo = []
        self.finished = self._seen if status == 0 else None
        self._seen = None
        return status

    def render(self, changed) -> list:
        """Write the pages of the posts among the paths ``changed`` if their saves
        only changed their text (or added a post) and nothing else that a page shows
        changed; their output names, or [] (the whole build does it all)."""
        if self.finished is None or not changed:
            return []
        generator, writer = self.finished
        try:
            posts = _fresh_posts(generator, changed, self._read_text)
            if not posts:
                return []
            with output.locked(self.output):
                return self._place(generator, writer, posts)
        except Exception:  # noqa: BLE001 (the whole build reports it, as always)
            logger.debug("dev: no fast render", exc_info=True)
            return []

    def _place(self, generator, writer, posts):
        """Render the pages beside the site, then move each into it, keeping what
        it replaces until the whole build has succeeded (``build``)."""
        staging = Path(
            tempfile.mkdtemp(
                dir=self.output.parent, prefix=f".{self.output.name}.fast-"
            )
        )
        try:
            fast = type(writer)(str(staging), settings=generator.settings)
            names = [_write(generator, fast, post) for post in posts]
            for name in names:
                target = inside(self.output, name)
                before = target.read_bytes() if target.is_file() else None
                self._undo.append((target, before))
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(inside(staging, name), target)
            return names
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _put_back(self):
        """The served pages as the last good build wrote them: a save the whole
        build rejected never stays in the site."""
        for target, before in reversed(self._undo):
            try:
                if before is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_bytes(before)
            except OSError:
                pass


def _fresh_posts(generator, changed, read_text):
    """The posts of ``changed`` read again, or [] when a save is more than a post's
    text or a new post."""
    paths = [Path(path) for path in changed]
    if any(_was_read(generator, path) for path in paths if not path.exists()):
        return []  # a deletion: a link to it, a list holding it
    content = Path(generator.path).resolve()
    paths = [path.resolve() for path in paths if path.exists()]
    if not all(content in path.parents for path in paths):
        return []  # a template or a settings file: the last build's are stale
    texts = [p for p in paths if p.suffix.lstrip(".") in generator.readers.readers]
    shown = {Path(a.source_path).resolve(): a for a in generator.articles}
    drafts = {Path(a.source_path).resolve(): a for a in generator.drafts}
    taken = {a.save_as for a in (*shown.values(), *drafts.values())}
    links = IntrasiteLinks(generator)
    readable = None  # the files the article generator reads, once a new one is seen
    posts = []
    for path in texts:
        old = shown.get(path) or drafts.get(path)
        new = _read(generator, path)
        if old is None:
            readable = readable or _article_files(generator)
            ok = (
                path in readable
                and _is_new_post(generator, new, taken)
                and links.known(new)
            )
            taken.add(new.save_as)  # two new posts of one batch at one URL
        else:
            ok = (
                read_text.get(old.source_path) is old._content  # no plugin changed it
                and same_but_text(old, new)
                and links.of(new) <= links.of(old)
            )
        if not ok:
            return []
        posts.append(new)
    return posts


def _was_read(generator, path) -> bool:
    """Whether a file now gone was one the last build read (not an editor's lock or
    temporary file, which comes and goes within a batch of saves)."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(generator.path))
    relative = relative.replace(os.sep, "/")
    context = generator.context
    return relative in context.get("static_content", {}) or relative in context.get(
        "generated_content", {}
    )


def _article_files(generator) -> set:
    settings = generator.settings
    names = generator.get_files(
        settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]
    )
    return {(Path(generator.path) / name).resolve() for name in names}


def _is_new_post(generator, new, taken) -> bool:
    """Whether the page of a post file the last build did not have is the one the
    whole build will write: in the default language, with the article template,
    the status the schedule gives it, a URL no other post has, no problem, and
    nothing the whole site adds to its text (a story that answers another gets an
    "in return for" line; an episode's guests answer its host)."""
    settings = generator.settings
    return (
        PROBLEMS_KEY not in new.metadata
        and new.status in ("published", "draft")
        and new.status == status_now(new, settings)
        and new.template == "article"
        and new.in_default_lang
        and new.save_as not in taken
        and not any(s.get("answers") for s in new.metadata.get(STORIES_KEY) or ())
        and not guests_of(new)
    )


def same_but_text(old, new) -> bool:
    """Whether ``new`` (read again) is ``old`` but for its text, read cleanly."""
    if PROBLEMS_KEY in new.metadata:
        return False  # the whole build reports the problem once
    old_values, new_values = vars(old), vars(new)
    if old_values.keys() != new_values.keys():
        return False  # a plugin set something on the old one after reading it
    return all(
        old_values[name] == new_values[name]
        for name in old_values
        if name not in TEXT_ONLY
    )


class IntrasiteLinks:
    """Pelican's intrasite links (``{filename}``, ``{static}``, ... in an attribute,
    found with its ``INTRASITE_LINK_REGEX`` setting) of a post's text, each with the
    folder a relative one starts from. A fast page may hold only links the last
    build resolved: any other stays a raw marker until the whole build knows its
    target (a post added in the same batch, a new person's page)."""

    def __init__(self, generator):
        self.generator = generator
        marker = generator.settings["INTRASITE_LINK_REGEX"]
        self.marker = re.compile(marker)
        self.pattern = re.compile(r"""=\s*(["'])(""" + marker + r"""[^"']*)\1""")
        self._every = None

    def of(self, content) -> set:
        folder = posixpath.dirname(content.relative_source_path.replace(os.sep, "/"))
        found = set()
        for match in self.pattern.finditer(content._content or ""):
            link = match.group(2)
            rest = link[self.marker.match(link).end() :]
            found.add((None if rest.startswith("/") else folder, link))
        return found

    def known(self, content) -> bool:
        """Whether every link of ``content`` is one a text of the last build had."""
        wanted = self.of(content)
        if not wanted:
            return True
        if self._every is None:
            generator = self.generator
            texts = [
                *generator.articles,
                *generator.drafts,
                *generator.context.get("pages", ()),
            ]
            self._every = set().union(*(self.of(text) for text in texts))
        return wanted <= self._every


def _read(generator, path):
    # The generator's own read (generate_context), without its signals: they log the
    # file's problems, which the whole build logs once.
    return generator.readers.read_file(
        base_path=generator.path,
        path=str(path.relative_to(Path(generator.path).resolve())),
        content_class=Article,
        context=generator.context,
    )


def _write(generator, writer, article):
    # generate_articles' and generate_drafts' calls, as generate_output makes them
    draft = article.status == "draft"
    extra = {"all_articles": generator.articles} if draft else {}
    writer.write_file(
        article.save_as,
        generator.get_template(article.template),
        generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"],
        article=article,
        category=getattr(article, "category", None),
        override_output=hasattr(article, "override_save_as"),
        url=article.url,
        blog=True,
        **extra,
    )
    return article.save_as
