"""What a rendered page was made from, as one hash (the dev loop's render memory).

A page is rendered from its template (and every template it includes), the site's
context (settings, every post and page, tags, stories, ...) and the variables of this
one write (``article=``, ``articles_page=``, ...). Hashing all post bodies into every
page would re-render every page after any edit, so content objects are hashed at two
depths:

- *full* (metadata, attributes, URL, summary and body): the objects a page is about:
  ``article``/``page``, the objects on the current page of a paginated page, and, on
  a page that is not paginated (the archives), the items of every list it is handed;
- *outline* (everything but the body; the summary is included): every other mention,
  e.g. in the site-wide context or in the full list behind a paginator.

So editing a post's body re-renders its own page, the list pages showing it and the
unpaginated lists, while a change to any title, date, tag, summary, URL, story,
setting or template changes every page's hash. The assumption, true of our theme and
of Pelican's themes: a template shows the body of an object only on a page about it.

Values are hashed by their content, never by identity, except opaque objects whose
``repr`` holds an address: those change their hash whenever they are re-created,
which can only cause an extra render, never a missed one. Within one build a content
object, list or dict is hashed once: the writing phase is assumed not to change the
objects it renders from (Pelican and our concerns build the context first).
"""

import datetime
import hashlib
import types

from markupsafe import Markup
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

MAX_DEPTH = 16
SCALARS = (str, int, float, bool, type(None), bytes, Markup)
# the common scalar types, found by a dict lookup instead of isinstance
EXACT_SCALARS = {int: b"int", float: b"float", bool: b"bool", type(None): b"NoneType"}
CALLABLES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type,
             types.ModuleType)
CONTENT_SKIP = frozenset({"_content", "_context", "settings", "_summary", "translations"})


class Hasher:
    """Hashes values for one build; content objects are hashed once each."""

    def __init__(self, settings, summary_memo):
        self.settings = settings
        self.summary_memo = summary_memo  # body hash -> summary hash, across builds
        self._outline = {}  # id(content) -> (content, digest)
        self._full = {}
        self._containers = {}  # (id, mode) -> (container, digest); see _container
        self._settings_digest = None

    # --- content objects ------------------------------------------------------------
    def body_digest(self, content):
        return hashlib.sha1((content._content or "").encode("utf-8", "surrogatepass")).digest()

    def outline(self, content):
        known = self._outline.get(id(content))
        if known is not None:
            return known[1]
        # A reference back to an object being hashed (next/previous links) is hashed
        # by its path: its own outline is part of the site's hash anyway.
        self._outline[id(content)] = (content, f"REF:{content.source_path}".encode())
        h = hashlib.sha1(b"outline")
        self._feed(h, type(content).__qualname__, 0, "outline")
        for key, value in vars(content).items():
            if key not in CONTENT_SKIP:
                self._feed(h, key, 0, "outline")
                self._feed(h, value, 1, "outline")
        self._feed(h, [getattr(t, "source_path", None) for t in content.translations], 0,
                   "outline")
        # url and save_as are not hashed: Pelican derives them (slowly) from the
        # settings and the attributes hashed above (slug, date, category, overrides).
        if (getattr(content, "_content", None) and "summary" not in content.metadata
                and hasattr(content, "get_summary")):
            body = self.body_digest(content)
            summary = self.summary_memo.get(body)
            if summary is None:
                text = content.get_summary(self.settings.get("SITEURL", ""))
                summary = hashlib.sha1(str(text).encode("utf-8", "surrogatepass")).digest()
                self.summary_memo[body] = summary
            h.update(summary)
        digest = h.digest()
        self._outline[id(content)] = (content, digest)
        return digest

    def full(self, content):
        known = self._full.get(id(content))
        if known is not None:
            return known[1]
        digest = hashlib.sha1(self.outline(content) + self.body_digest(content)).digest()
        self._full[id(content)] = (content, digest)
        return digest

    def _container(self, value, depth, mode):
        """A list, tuple or dict, hashed once per build: every page of a paginated list
        gets the same list object (and so do the site-wide lists in the context)."""
        key = (id(value), mode)
        known = self._containers.get(key)
        if known is not None:
            return known[1]
        h = hashlib.sha1()
        if isinstance(value, dict):
            h.update(b"M%d{" % len(value))
            for name, item in value.items():
                self._feed(h, name, depth + 1, "outline")
                self._feed(h, item, depth + 1, "outline")
        else:
            inner = mode if mode == "focus" else "outline"
            h.update(b"L%d[" % len(value))
            for item in value:
                self._feed(h, item, depth + 1, inner)
        digest = h.digest()
        self._containers[key] = (value, digest)  # the reference keeps the id unique
        return digest

    # --- any value --------------------------------------------------------------------
    def digest(self, value, mode="outline"):
        h = hashlib.sha1()
        self._feed(h, value, 0, mode)
        return h.digest()

    def settings_digest(self):
        if self._settings_digest is None:
            h = hashlib.sha1(b"settings")
            for key, value in self.settings.items():
                self._feed(h, key, 0, "outline")
                self._feed(h, value, 1, "outline")
            self._settings_digest = h.digest()
        return self._settings_digest

    def _feed(self, h, value, depth, mode):
        """``mode``: "outline", or "focus" (content objects in this value, one level
        of list deep, are hashed in full)."""
        kind = type(value)
        if kind is str:  # most values: one encode and one update
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"str:%d:%s" % (len(data), data))
            return
        if kind in EXACT_SCALARS:
            text = str(value)
            h.update(b"%s:%d:%s" % (EXACT_SCALARS[kind], len(text), text.encode()))
            return
        if isinstance(value, SCALARS):
            h.update(b"%s:%d:" % (type(value).__name__.encode(), len(str(value))))
            h.update(str(value).encode("utf-8", "surrogatepass"))
            return
        if depth > MAX_DEPTH:
            h.update(b"deep:%d" % id(value))
            return
        if value is self.settings:
            h.update(b"SETTINGS")
            h.update(self.settings_digest())
            return
        if kind is dict or kind is list or kind is tuple:  # before the isinstance chain
            h.update(self._container(value, depth, mode))
            return
        if isinstance(value, Content):
            h.update(b"C" + (self.full(value) if mode == "focus" else self.outline(value)))
            return
        if isinstance(value, URLWrapper):
            h.update(f"W:{type(value).__name__}:{value.name}:{value.slug}".encode())
            return
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            h.update(f"D:{type(value).__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}"
                     .encode())
            return
        if isinstance(value, Page):
            h.update(b"PAGE:%d:" % value.number)
            self._feed(h, value.paginator, depth + 1, "outline")
            for item in value.object_list:
                self._feed(h, item, depth + 1, mode)
            return
        if isinstance(value, Paginator):
            h.update(self._paginator(value, depth))
            return
        if isinstance(value, (list, tuple, dict)):
            h.update(self._container(value, depth, mode))
            return
        if isinstance(value, (set, frozenset)):
            parts = sorted(self.digest(item) for item in value)
            h.update(b"S%d{" % len(parts) + b"".join(parts) + b"}")
            return
        if isinstance(value, CALLABLES):
            name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
            h.update(f"F:{name}:{id(value)}".encode())
            return
        state = getattr(value, "__dict__", None)
        h.update(f"O:{type(value).__module__}.{type(value).__qualname__}:".encode())
        if state is not None:
            self._feed(h, state, depth + 1, "outline")
        else:
            h.update(repr(value).encode("utf-8", "surrogatepass"))

    def _paginator(self, value, depth):
        """Hashed once per build: every page of a paginated list hands it over, up to
        three times (its own page and the pages before and after it)."""
        key = (id(value), "paginator")
        known = self._containers.get(key)
        if known is not None:
            return known[1]
        h = hashlib.sha1(f"PAGINATOR:{value.name}:{value.url}:{value.per_page}:"
                         f"{value.orphans}".encode())
        self._feed(h, value.object_list, depth + 1, "outline")
        digest = h.digest()
        self._containers[key] = (value, digest)  # the reference keeps the id unique
        return digest
