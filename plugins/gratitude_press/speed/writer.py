"""The dev loop's writer: render a page only if its inputs changed, write a file only
if its bytes changed.

Pelican re-renders every page on every rebuild. ``IncrementalWriter`` wraps each
template handed to ``write_file`` so that, just before rendering, it hashes what the
page is made from (``digest.py``). When the hash and the file on disk are those of
the previous run of this Pelican instance, the render is skipped and the file left
alone; Pelican still does its bookkeeping and still sends ``content_written`` with
the page's context (the sitemap collects pages from it). A page that is rendered is
compared with the file on disk and written only when it differs.
"""

import hashlib
import io
import logging
import os

from pelican.contents import Content
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .reading import file_stamp

logger = logging.getLogger(__name__)


class RenderMemory:
    """What the previous runs of one Pelican instance rendered, by output path."""

    def __init__(self):
        self.pages = {}  # output path -> (input digest, file stamp after writing)
        self.summaries = {}  # body digest -> summary digest (see digest.py)
        self.files = {}  # path -> (data digest, file stamp), see speed.write_bytes
        self.rendered = self.skipped = 0

    def begin(self):
        self.rendered = self.skipped = 0


class _Template:
    """Stands in for a Jinja template in one ``write_file`` call."""

    def __init__(self, writer, template, kwarg_keys):
        self.writer = writer
        self.template = template
        self.kwarg_keys = kwarg_keys

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext):
        writer = self.writer
        path = sanitised_join(writer.output_path, localcontext["output_file"])
        digest = writer.page_digest(self.template, localcontext, self.kwarg_keys)
        writer.pending[path] = digest
        previous = writer.memory.pages.get(path)
        if previous is not None and previous == (digest, file_stamp(path)):
            writer.unchanged.add(path)
            writer.memory.skipped += 1
            return ""
        writer.memory.rendered += 1
        return self.template.render(localcontext)


class _WriteIfChanged(io.StringIO):
    def __init__(self, writer, path, encoding):
        super().__init__()
        self.writer, self.path, self.charset = writer, path, encoding

    def close(self):
        if not self.closed:
            self.writer.finish_file(self.path, self.getvalue().encode(self.charset))
        super().close()

    def __exit__(self, *exc):
        self.close()
        return False


class _Unchanged(io.StringIO):
    def __init__(self, writer, path):
        super().__init__()
        self.writer, self.path = writer, path

    def close(self):
        if not self.closed:
            self.writer.keep_file(self.path)
        super().close()


class IncrementalWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        from . import state_for  # the package imports this module

        state = state_for(self.settings)
        self.memory = state.render_memory
        self.files_fingerprint = state.files_fingerprint
        self.memory.begin()
        self.hasher = state.build_hasher()
        self.sites = {}  # id(context) -> (context, snapshot, digest)
        self.templates = {}  # id(env) -> (env, digest)
        self.pending = {}  # path -> digest of the render in progress
        self.unchanged = set()
        self._context = None

    # --- hashing -----------------------------------------------------------------------
    def _site(self, context):
        known = self.sites.get(id(context))
        if known is None:
            snapshot = dict(context)
            h = hashlib.sha1(b"site")
            h.update(repr(self.files_fingerprint()).encode())
            for key, value in snapshot.items():
                self.hasher._feed(h, key, 0, "outline")
                self.hasher._feed(h, value, 1, "outline")
            known = self.sites[id(context)] = (context, snapshot, h.digest())
        return known

    def _template_digest(self, template):
        env = template.environment
        known = self.templates.get(id(env))
        if known is None:
            h = hashlib.sha1(b"templates")
            loader = env.loader
            for name in sorted(loader.list_templates()) if loader else ():
                source, filename, _ = loader.get_source(env, name)
                h.update(f"{name}\0{filename}\0{len(source)}\0".encode())
                h.update(source.encode("utf-8", "surrogatepass"))
            known = self.templates[id(env)] = (env, h.digest())
        return known[1]

    def page_digest(self, template, localcontext, kwarg_keys):
        _, snapshot, site = self._site(self._context)
        h = hashlib.sha1(site + self._template_digest(template))
        h.update(str(template.name).encode())
        # A paginated page is about the objects on its page; any other page is about
        # everything it was handed (digest.py explains the two depths).
        paginated = any(f"{key}_page" in localcontext for key in kwarg_keys)
        for key, value in localcontext.items():
            if key in kwarg_keys:
                mode = "outline" if paginated and not isinstance(value, Content) else "focus"
            elif paginated and key.endswith("_page") and key[:-5] in kwarg_keys:
                mode = "focus"
            elif key in snapshot and snapshot[key] is value:
                continue  # part of the site hash
            else:
                mode = "outline"
            self.hasher._feed(h, key, 0, "outline")
            self.hasher._feed(h, value, 0, mode)
        return h.digest()

    # --- Pelican's entry points ----------------------------------------------------------
    def write_file(self, name, template, context, *args, **kwargs):
        self._context = context
        if name:
            named = {"relative_urls", "paginated", "template_name", "override_output", "url"}
            template = _Template(self, template, set(kwargs) - named)
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        unchanged = filename in self.unchanged
        self.unchanged.discard(filename)
        # Pelican's own bookkeeping (Writer._open_w), without truncating the file.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time '
                    "(was previously overwritten)")
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        if unchanged:
            return _Unchanged(self, filename)
        return _WriteIfChanged(self, filename, encoding)

    # --- files -----------------------------------------------------------------------------
    def finish_file(self, path, data):
        try:
            with open(path, "rb") as existing:
                same = existing.read() == data
        except OSError:
            same = False
        if not same:
            with open(path, "wb") as handle:
                handle.write(data)
        self._remember(path)

    def keep_file(self, path):
        self._remember(path)

    def _remember(self, path):
        digest = self.pending.pop(path, None)
        if digest is None:
            self.memory.pages.pop(path, None)
        else:
            self.memory.pages[path] = (digest, file_stamp(path))


# --- cold builds: every page rendered, in workers -------------------------------------------

def _render_job(job):
    template, snapshot, delta, path, context, localsiteurl, encoding = job
    localcontext = dict(snapshot)  # Pelican's localcontext: the context, then the page's
    localcontext.update(delta)
    # Pelican sets this just before each render; content objects read it for links.
    context["localsiteurl"] = localsiteurl
    output = template.render(localcontext)
    with open(path, "w", encoding=encoding) as handle:
        handle.write(output)


class _Deferred:
    """Stands in for a Jinja template: records the render as a job for later."""

    def __init__(self, writer, template, context):
        self.writer, self.template, self.context = writer, template, context

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext):
        path = sanitised_join(self.writer.output_path, localcontext["output_file"])
        snapshot = self.writer.snapshot(self.context)
        # A page's own variables only: thousands of full copies of the context would
        # cost tens of MiB (the order of keys is kept: see _render_job).
        delta = {key: value for key, value in localcontext.items()
                 if key not in snapshot or snapshot[key] is not value}
        self.writer.waiting[path] = (self.template, snapshot, delta, path, self.context,
                                     self.context.get("localsiteurl"))
        return ""


class ParallelWriter(Writer):
    """Pelican's writer, except that templates are rendered later, spread over worker
    processes: the pages queued by the article and page generators while the parent
    goes on with the other generators (``start``, at ``page_writer_finalized``; they
    are sequential and leave a core idle), the rest at the end of the writing phase
    (``flush``, at ``finalized``).

    Everything else happens when Pelican asks, in Pelican's order: the output file is
    created (empty), the bookkeeping against overwrites is done and ``content_written``
    is sent. ``flush`` waits for every page, replays the workers' log records in the
    order of the pages and fills the remaining files, before any ``finalized``
    receiver (search index, sitemap) looks at the output.
    """

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.waiting = {}  # path -> job, between render() and _open_w()
        self.jobs = []
        self.snapshots = {}  # id(context) -> (context, copy)
        self.started = []  # (jobs, Running) rendered in the background
        from . import state_for  # the package imports this module

        state_for(self.settings).writer = self  # flushed at ``finalized``

    def write_file(self, name, template, context, *args, **kwargs):
        if name:
            template = _Deferred(self, template, context)
        return super().write_file(name, template, context, *args, **kwargs)

    def snapshot(self, context):
        """A copy of ``context`` as it is now, shared by the jobs queued while it
        does not change (a plugin may add or replace keys between two writes)."""
        known = self.snapshots.get(id(context))
        if known is not None:
            copy = known[1]
            if len(copy) == len(context) and all(
                    context.get(key, copy) is value for key, value in copy.items()
                    if key != "localsiteurl"):
                return copy
        copy = dict(context)
        self.snapshots[id(context)] = (context, copy)
        return copy

    def _open_w(self, filename, encoding, override=False):
        handle = super()._open_w(filename, encoding, override=override)
        job = self.waiting.pop(filename, None)
        if job is not None and handle.name != os.devnull:
            self.jobs.append((*job, encoding))
        return handle

    def start(self):
        """Render the pages queued so far in background workers. A page only reads
        objects that later generators leave alone (``tests/test_speed.py`` compares
        with a build that renders each page at once, and with one that renders all
        at the end)."""
        from .parallel import start_in_workers

        running = start_in_workers(self.settings, _render_job, self.jobs)
        if running is not None:
            self.started.append((self.jobs, running))
            self.jobs = []

    def stop(self):
        """The build failed: end the background workers before anyone removes the
        output they write into."""
        started, self.started = self.started, []
        for _, running in started:
            running.stop()

    def flush(self):
        from .parallel import run_in_workers
        from .transport import replay

        started, self.started = self.started, []
        batches = [(jobs, running.wait()) for jobs, running in started]
        jobs, self.jobs = self.jobs, []
        batches.append((jobs, run_in_workers(self.settings, _render_job, jobs)))
        for jobs, payloads in batches:
            for job, payload in zip(jobs, payloads):
                if payload is None:
                    _render_job(job)
                else:
                    replay(payload, self.settings)
