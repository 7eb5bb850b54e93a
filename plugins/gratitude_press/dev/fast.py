"""The dev server's fast render: the post a save changed, before the whole site.

A dev build takes seconds at 1,000 posts: Pelican builds its whole context again and
writes every file (its generators offer no partial rebuild). A writer who saves a
post is looking at that post. So when a batch of saves only changed the text of
posts or drafts, or added a post, the session first writes those posts' pages into
the served site,
then builds the whole site as always, which writes them again with every list, story
and search page and swaps the site in. (Hugo's server does the same in its "fast
render" mode.)

A page is rendered fast only when the last build would have rendered it the same
way: the post is read again with the last build's readers, and the new ``Article``
must equal the one that build made in everything but its text (metadata, stories,
status, every attribute a plugin set), whose text no plugin changed after the read
(the reciprocal stories add "thanked back" lines to both posts of a pair: such a
post waits for the whole build); the read must report no problem; and the page
is written by the article generator's own ``write_file`` call (its template, its
context, its writer class). A new file passes the checks of ``_is_new_post``.
Anything else (a removed file, a page, a title, a story, a template, a setting)
waits for the whole build.
"""

import logging
from pathlib import Path

from pelican import signals
from pelican.contents import Article

from ..reader.markdown_reader import PROBLEMS_KEY
from ..schedule import status_now
from ..stories.aggregate import STORIES_KEY, guests_of

logger = logging.getLogger(__name__)

TEXT_ONLY = frozenset({"_content"})  # the attribute a text edit changes


class LastBuild:
    """The article generator and writer of the last good dev build, kept to render
    posts again without the rest. One per dev session."""

    def __init__(self, output):
        self.output = Path(output)
        self.finished = None  # (generator, writer) of the last good build
        self._seen = None
        self._read_text = {}  # source path -> the text its read gave (unchanged?)

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
        try:
            status = run()
        finally:
            signals.article_writer_finalized.disconnect(self._writer_finalized)
            signals.content_object_init.disconnect(self._content_made)
        self.finished = self._seen if status == 0 else None
        self._seen = None
        return status

    def render(self, changed) -> list:
        """Write the pages of the posts among the paths ``changed`` if their saves
        only changed their text and nothing else that a page shows changed; their
        output names, or [] (the whole build does it all)."""
        if self.finished is None:
            return []
        generator, writer = self.finished
        content = Path(generator.path).resolve()
        paths = [Path(path).resolve() for path in changed]
        if not all(content in path.parents for path in paths):
            return []  # a template or a settings file: the last build's are stale
        texts = [p for p in paths if p.suffix.lstrip(".") in generator.readers.readers]
        shown = {Path(a.source_path).resolve(): a for a in generator.articles}
        drafts = {Path(a.source_path).resolve(): a for a in generator.drafts}
        if not texts:
            return []
        try:
            news = []
            for path in texts:
                old = shown.get(path) or drafts.get(path)
                new = _read(generator, path)
                if old is None:
                    ok = self._is_new_post(generator, path, new, shown, drafts)
                else:
                    ok = self._read_text.get(old.source_path) is old._content and (
                        same_but_text(old, new)
                    )  # (else a plugin changed its text after reading it)
                if not ok:
                    return []
                news.append(new)
            fast = type(writer)(str(self.output), settings=generator.settings)
            return [_write(generator, fast, new) for new in news]
        except Exception:  # noqa: BLE001 (the whole build reports it, as always)
            logger.debug("dev: no fast render", exc_info=True)
            return []

    @staticmethod
    def _is_new_post(generator, path, new, shown, drafts) -> bool:
        """Whether the page of a file the last build did not have is the one the
        whole build will write: a post of the article generator in the default
        language, with the article template, the status the schedule gives it, a
        URL no other post has, no problem, and nothing the whole site adds to its
        text (a story that answers another gets an "in return for" line; an
        episode's guests answer its host)."""
        settings = generator.settings
        articles = generator.get_files(
            settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]
        )
        content = Path(generator.path)
        taken = {a.save_as for a in (*shown.values(), *drafts.values())}
        return (
            path in {(content / name).resolve() for name in articles}
            and PROBLEMS_KEY not in new.metadata
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
