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
"""

from pelican.writers import Writer

from ..schedule.core import is_scheduled
from .preview import DEV_KEY, banner_text, dev_page


class DevWriter(Writer):
    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(
            name, _DevTemplate(template), context, *args, **kwargs
        )


class _DevTemplate:
    """A Jinja template whose HTML pages come out with the dev additions."""

    def __init__(self, template):
        self.template = template

    def render(self, context):
        page = self.template.render(context)
        if not str(context.get("output_file", "")).endswith(".html"):
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
