"""Dev builds render a page again only when what its template can see has changed.

After a save, a dev build runs Pelican whole (every generator, every signal, every
file written into the staging folder), but most pages come out exactly as before:
editing one post changes its page, the list pages it is on and the feeds, not the
other thousand posts. Rendering them was most of a dev build's time.

A page's text is a function of its template (with every template it extends,
includes or imports) and of the values its templates name. Jinja lists those names
itself (``jinja2.meta.find_undeclared_variables``, a public API); the dev writer
hashes, for each page, the templates' sources and the value of each named variable
in the page's context, and keeps the rendered text under that hash in the dev cache
folder (``dev/cache.py``: keyed already by the settings, the kit's code, the
libraries and the content's side files). The next build renders a page only when its
hash is new; otherwise Pelican writes the stored text, so every file is still written
and every ``content_written`` listener still hears of it.

Values are hashed by what templates can read of them: Pelican's contents by their
documented attributes (source path, url, save_as, status, metadata with title and
date, the processed content with its links resolved, translations), categories,
tags and authors by name and url, a paginator page by its own objects and its place
(a paginator by its name, size and page count: what ``articles_page`` shows is
hashed in full, the paginator only tells where the page is; a template reaching
another page's objects through the paginator is not covered, nor an attribute
another plugin sets on a content object outside its metadata), and
plain data, dicts, lists and dataclasses by their items. Settings are in the cache
folder's key, not hashed per page. A value of any other type, or a template whose
include name is computed, makes the page render every time: unknown means render.

``tests/test_dev_pages.py`` edits posts (text, title, date, a story, a new post, a
removed post, an episode's guest, a template) between dev builds and compares every
file with a cold build.
"""

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import re
import types
from pathlib import Path

from jinja2 import TemplateNotFound, meta
from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from ..fingerprint import remove_unused
from .cache import NOT_READ_INPUTS

FOLDER = "dev-pages"
FACTS = "templates.json"
PLAIN = (int, float, bool, bytes, type(None), dt.date, dt.time, Path)
SHOWN_IN_FULL = (str, int, float, bool, tuple, list, dict)
BEYOND = float("inf")  # no back-reference reached above the value


class Unknown(Exception):
    """A value the dev writer cannot hash: its page is rendered."""


class TemplateDeps:
    """The names a template (with what it extends, includes, imports) reads, and one
    hash of their sources; ``None`` from ``of`` when an include name is computed.

    Parsing a template costs ~5 ms; what a source names is kept in ``facts`` (from
    the page store, keyed by the hash of the source), so a build parses only
    templates that changed."""

    def __init__(self, names, sources, unchanged):
        self.names = tuple(sorted(names))
        self.sources = sources
        self.unchanged = unchanged  # the loader's up-to-date checks of each source

    def still_current(self, template) -> bool:
        """Whether no source changed since it was hashed (a save during the build
        must not store a page rendered from one source under another's hash)."""
        return template.is_up_to_date and all(check() for check in self.unchanged)

    @classmethod
    def of(cls, template, facts):
        environment, seen, names, unchanged = template.environment, {}, set(), []
        pending = [template.name]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            try:
                source, _filename, uptodate = environment.loader.get_source(
                    environment, name
                )
            except TemplateNotFound:
                return None  # `include ... ignore missing`: such pages are rendered
            if uptodate is not None:
                unchanged.append(uptodate)
            seen[name] = hashlib.sha256(f"{name}\0{source}".encode()).hexdigest()
            if seen[name] not in facts:
                tree = environment.parse(source)
                facts[seen[name]] = (
                    sorted(meta.find_undeclared_variables(tree)),
                    list(meta.find_referenced_templates(tree)),
                )
            read, referenced = facts[seen[name]]
            if None in referenced:
                return None
            names.update(read)
            pending.extend(referenced)
        sources = hashlib.sha256("".join(sorted(seen.values())).encode())
        return cls(names, sources.hexdigest(), unchanged)


class PageKeys:
    """The hash of each page's inputs, for one build.

    Values are hashed as a Merkle tree: a container's hash is made of its items'
    hashes. Story data is a graph (a thank-you and its answer name each other), so a
    container met again inside itself counts as a back-reference (its distance up
    the walk). A container whose walk never reached above itself has a hash of its
    own and is memoised by id: one post, one story, one list serves many pages. The
    memo keeps each object alive, so an id never names another object during the
    build; the values templates see are complete before pages are written."""

    def __init__(self, store, settings=None):
        self.store = store
        # the settings are in the dev cache folder's key (but where things go): a
        # page's setting that is the settings' own value needs no hash of its own
        self.settings = {
            name: value
            for name, value in (settings or {}).items()
            if name not in NOT_READ_INPUTS
        }
        # template source hash -> (names read, templates named)
        self.facts = store.template_facts()
        self.templates = {}  # template name -> TemplateDeps or None
        self.memo = {}  # id(obj) -> (obj, token)

    def still_current(self, template) -> bool:
        deps = self.templates.get(template.name)
        return deps is not None and deps.still_current(template)

    def key(self, template, name, localcontext):
        """The page's hash, or None when it must be rendered."""
        if template.name not in self.templates:
            known = len(self.facts)
            self.templates[template.name] = TemplateDeps.of(template, self.facts)
            if len(self.facts) != known:
                self.store.keep_template_facts(self.facts)
        deps = self.templates[template.name]
        if deps is None:
            return None
        digest = hashlib.sha256(f"{deps.sources}\0{name}\0".encode())
        try:
            for variable in deps.names:
                value = localcontext.get(variable, Unknown)
                if isinstance(value, SHOWN_IN_FULL) and value is self.settings.get(
                    variable, Unknown
                ):
                    continue  # shown whole in the folder key (functions are not)
                token = "-" if value is Unknown else self.token(value, {})[0]
                digest.update(f"{variable}={token}\0".encode())
        except Unknown:
            return None
        return digest.hexdigest()

    def token(self, value, walking):
        """(the value's token, the shallowest depth of ``walking`` a back-reference
        inside it reached, ``BEYOND`` when none reached above the value)."""
        if isinstance(value, str):  # Markup too
            if len(value) < 64:  # length-prefixed: no two lists give one stream
                return f"{type(value).__name__}{len(value)}:{value}", BEYOND
            digest = hashlib.sha256(value.encode(errors="surrogatepass"))
            return f"{type(value).__name__}#{digest.hexdigest()}", BEYOND
        if isinstance(value, PLAIN):
            return f"{type(value).__name__}:{value!r}", BEYOND
        found = self.memo.get(id(value))
        if found is not None:
            return found[1], BEYOND
        if id(value) in walking:
            return f"^{len(walking) - walking[id(value)]}", walking[id(value)]
        depth = walking[id(value)] = len(walking)
        try:
            token, reach = self._token_of(value, walking)
        finally:
            del walking[id(value)]
        if reach < depth:
            return token, reach
        self.memo[id(value)] = (value, token)
        return token, BEYOND

    def _token_of(self, value, walking):
        if isinstance(value, Content):
            return "C" + self._content_hash(value), BEYOND
        if isinstance(value, URLWrapper):
            return self._join(
                type(value).__name__, [value.name, value.url, value.save_as], walking
            )
        if isinstance(value, PaginatorPage):
            parts = [value.number, value.url, value.save_as, value.paginator]
            return self._join("P", [*parts, list(value.object_list)], walking)
        if isinstance(value, Paginator):
            # where a page stands; what the pages show is in their own object lists
            parts = [value.name, value.url, value.count, value.num_pages]
            return self._join("N", [*parts, value.per_page, value.orphans], walking)
        if isinstance(value, dict):
            # in order: a template looping over a dict shows it in that order
            parts = [part for pair in value.items() for part in pair]
            return self._join("{", parts, walking)
        if isinstance(value, (list, tuple)):
            return self._join(type(value).__name__, value, walking)
        if isinstance(value, (set, frozenset)):
            tokens = sorted(self.token(item, walking)[0] for item in value)
            return self._join("set", tokens, walking)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = dataclasses.fields(value)
            parts = [part for f in fields for part in (f.name, getattr(value, f.name))]
            return self._join(type(value).__qualname__, parts, walking)
        if isinstance(value, (dt.tzinfo, enum.Enum, re.Pattern)):
            return f"{type(value).__name__}:{value!r}", BEYOND
        if isinstance(value, type) or (
            isinstance(value, types.FunctionType) and value.__closure__ is None
        ):
            # a module's function or a class: its code is in the folder's key;
            # closures, partials and callable objects carry data: unknown
            return f"F{value.__module__}.{value.__qualname__}", BEYOND
        raise Unknown(type(value).__qualname__)

    def _join(self, kind, items, walking):
        digest, reach = hashlib.sha256(kind.encode() + b"\0"), BEYOND
        for item in items:
            token, item_reach = self.token(item, walking)
            digest.update(token.encode(errors="surrogatepass") + b"\0")
            reach = min(reach, item_reach)
        return "H" + digest.hexdigest(), reach

    def _content_hash(self, content) -> str:
        """What a template reads of a Pelican content object (its documented
        attributes); a translation counts by its url and its text."""
        fields = {
            "type": type(content).__name__,
            "source_path": content.source_path,
            "url": content.url,
            "save_as": content.save_as,
            "status": getattr(content, "status", None),
            "metadata": content.metadata,
            "in_default_lang": getattr(content, "in_default_lang", None),
            "content": content.content,
            "translations": [
                (translation.url, translation.content)
                for translation in getattr(content, "translations", ())
            ],
        }
        return self.token(fields, {})[0]


class PageStore:
    """Rendered pages by the hash of their inputs, in a folder of the dev cache
    (``cache_folder``: the folder keyed by the settings, the kit's code and the
    libraries, or None: then every page is rendered)."""

    def __init__(self, cache_folder):
        self.folder = None if cache_folder is None else Path(cache_folder) / FOLDER

    def template_facts(self) -> dict:
        if self.folder is None:
            return {}
        try:
            facts = json.loads((self.folder / FACTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return facts if isinstance(facts, dict) else {}

    def keep_template_facts(self, facts):
        self._write(FACTS, json.dumps(facts))

    def get(self, key):
        if self.folder is None:
            return None
        path = self.folder / key
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return text

    def put(self, key, text):
        self._write(key, text)

    def _write(self, name, text):
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.{os.getpid()}"
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, self.folder / name)
        except OSError:
            pass  # no cache: the page is rendered again next time

    def prune(self):
        """Remove pages written more than a day ago: a page still in use is simply
        rendered once more (cheaper than marking every page read as used)."""
        if self.folder is not None:
            remove_unused(self.folder)
