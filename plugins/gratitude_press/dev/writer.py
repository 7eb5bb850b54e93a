"""The writer of dev builds: Pelican's, with the dev additions in every HTML page.

Why a ``Writer`` subclass (``get_writer``) rather than an include in the theme's base
template: the additions (live reload, the preview banner, ``noindex``) exist in dev
builds only, so no template carries a trace of them and every page that ``build``
and ``publish`` write stays byte for byte what it was; and every page gets them,
the theme's, the kit's and a page from another template alike, without its author
knowing about the dev server. ``write_file`` is the public method Pelican's docs
name for changing what is written; it renders the template it is given with
``template.render(context)``, so the template is wrapped and its result changed
before Pelican writes it.

The wrapper is also where a page whose inputs did not change since an earlier dev
build is taken from the dev cache instead of rendered (``pages.py``).
"""

from pelican.writers import Writer

from ..schedule.core import is_scheduled
from .cache import keyed_folder
from .pages import PageKeys, PageStore
from .preview import DEV_KEY, banner_text, dev_page


class DevWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        # one writer per build: the hashes it memoises live as long as the build
        self.store = PageStore(keyed_folder(self.settings))
        self.store.prune()
        self.keys = PageKeys(self.store, self.settings)

    def write_file(self, name, template, context, *args, **kwargs):
        wrapped = _DevTemplate(template, self.keys, self.store)
        return super().write_file(name, wrapped, context, *args, **kwargs)


class _DevTemplate:
    """A Jinja template whose HTML pages come out with the dev additions, taken from
    the dev cache when the page's inputs are those of a page rendered before."""

    def __init__(self, template, keys, store):
        self.template, self.keys, self.store = template, keys, store

    def render(self, context):
        name = str(context.get("output_file", ""))
        key = self.keys.key(self.template, name, context)
        page = None if key is None else self.store.get(key)
        if page is None:
            page = self.fresh(context, name)
            if key is not None and self.keys.still_current(self.template):
                self.store.put(key, page)
        return page

    def fresh(self, context, name):
        page = self.template.render(context)
        if not name.endswith(".html"):
            return page  # robots.txt and other text written from templates
        return dev_page(page, _banner(context.get("article") or context.get("page")))


def _banner(shown):
    """The preview banner of a draft or scheduled post, None for a published page."""
    if getattr(shown, "status", "published") != "draft":
        return None
    return banner_text(
        is_scheduled(shown.metadata, shown.status), getattr(shown, "date", None)
    )


def get_writer(pelican):
    return DevWriter if pelican.settings.get(DEV_KEY) else None
