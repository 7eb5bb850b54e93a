"""The dev server's fast render: the post a save changed, before the whole site.

A dev build takes seconds at 1,000 posts: Pelican builds its whole context again and
writes every file (its generators offer no partial rebuild). A writer who saves a
post is looking at that post. So when a batch of saves only changed the text of
published posts, the session first writes those posts' pages into the served site,
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
context, its writer class). Anything else (a new or removed file, a title, a story,
a template, a setting) waits for the whole build.
"""

import logging
from pathlib import Path

from pelican import signals
from pelican.contents import Article

from ..reader.markdown_reader import PROBLEMS_KEY

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
        if not texts or not all(p in shown or p in drafts for p in texts):
            return []  # a new file, a page, a translation: the whole build
        try:
            olds = [shown.get(path) or drafts[path] for path in texts]
            if any(self._read_text.get(o.source_path) is not o._content for o in olds):
                return []  # a plugin changed its text after reading it
            news = [_read_again(generator, old) for old in olds]
            if not all(map(same_but_text, olds, news)):
                return []
            fast = type(writer)(str(self.output), settings=generator.settings)
            return [
                _write(generator, fast, new, draft=path in drafts)
                for path, new in zip(texts, news, strict=True)
            ]
        except Exception:  # noqa: BLE001 (the whole build reports it, as always)
            logger.debug("dev: no fast render", exc_info=True)
            return []


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


def _read_again(generator, old):
    # The generator's own read (generate_context), without its signals: they log the
    # file's problems, which the whole build logs once.
    return generator.readers.read_file(
        base_path=generator.path,
        path=old.relative_source_path,
        content_class=Article,
        context=generator.context,
    )


def _write(generator, writer, article, draft):
    # generate_articles' and generate_drafts' calls, as generate_output makes them
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
