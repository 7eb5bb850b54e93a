"""Work spread over forked worker processes, one per core, with sequential results.

Forking copies the parent, so a worker sees the settings, plugins, readers, templates
and content objects exactly as the parent does, and no input has to be pickled: a
job is an index into a plan the parent set up before forking. Only results travel
back, as payloads (``transport.py``) that replay the worker's log records in the
parent and return its result or raise its exception. Anything that goes wrong with
the pool itself (a worker killed or hung) falls back to doing the rest in the parent.

- ``ReadAhead``: every Markdown source, read before Pelican asks for it;
- ``outcomes``: ``function(item)`` for a list of items (feeds, digest entries);
- ``run_in_workers``/``start_in_workers``: independent jobs whose results stay in the
  workers (rendering), now or in the background while the parent goes on.
"""

import gc
import logging
import multiprocessing
import os
import sys

from . import transport

logger = logging.getLogger(__name__)

RESULT_TIMEOUT = 300  # seconds to wait for one chunk before giving up on the pool

# The plans the forked workers serve, by pool: set just before forking, dropped when
# the pool is closed. It is how unpicklable readers, templates and objects reach a
# child. Keyed, because a background pool may still run while another one starts (a
# worker the pool replaces is forked later and must still find its own plan).
_plans = {}
_next_plan = 0


def fork_available() -> bool:
    # Linux only: forking is unsafe on macOS (system frameworks) and absent on Windows.
    return (sys.platform.startswith("linux")
            and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def _run_planned(task):
    token, numbers = task
    function, arguments, settings = _plans[token]
    return [(number, transport.call_payload(function, arguments[number], settings))
            for number in numbers]


def _chunks(count, workers, at_most=8):
    size = max(1, min(at_most, count // (workers * 16)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


class _Pool:
    """A fork pool over ``function(arguments[i])``; results come back by chunk."""

    def __init__(self, function, arguments, settings, workers, ordered, nice=0):
        global _next_plan
        self.token = _next_plan = _next_plan + 1
        _plans[self.token] = (function, arguments, settings)
        # Objects the collector never visits stay shared with the workers instead of
        # being copied page by page (copy-on-write) when it walks them.
        gc.freeze()
        try:
            self.pool = multiprocessing.get_context("fork").Pool(
                workers, initializer=os.nice if nice else None, initargs=(nice,))
        finally:
            gc.unfreeze()
        chunks = [(self.token, chunk) for chunk in _chunks(len(arguments), workers)]
        run = self.pool.imap if ordered else self.pool.imap_unordered
        self.results = run(_run_planned, chunks)

    def next_chunk(self):
        """``[(index, payload), ...]``; raises when the pool broke."""
        return self.results.next(timeout=RESULT_TIMEOUT)

    def close(self, terminate=False):
        if self.pool is not None:
            if terminate:
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()
            self.pool = None
        _plans.pop(self.token, None)


def _broken(error, what):
    logger.warning("[speed] parallel %s stopped (%s: %s); going on in one process",
                   what, error.__class__.__name__, error)


class ReadAhead:
    """Reads ``plan`` (a list of ``(path, read)``, ``read`` being the reader's own
    method) in workers, in Pelican's order; ``take(path)`` hands out a payload."""

    def __init__(self, plan, settings, workers):
        self.index = {path: number for number, (path, _) in enumerate(plan)}
        self.ready = {}
        self.remaining = len(plan)
        paths = [path for path, _ in plan]
        reads = {path: read for path, read in plan}
        self.pool = _Pool(lambda path: reads[path](path), paths, settings, workers,
                          ordered=False)
        logger.debug("[speed] reading %d sources in %d worker processes", len(plan), workers)

    def take(self, path):
        """The payload of ``path``; None if it was not planned or must be read here."""
        number = self.index.pop(path, None)
        if number is None or self.pool is None:
            return None
        try:
            while number not in self.ready:
                self.ready.update(self.pool.next_chunk())
        except Exception as error:
            _broken(error, "reading")
            self.close(terminate=True)
            return None
        self.remaining -= 1
        payload = self.ready.pop(number)
        if self.remaining == 0:
            self.close()
        return payload

    def close(self, terminate=False):
        if self.pool is not None:
            self.pool.close(terminate=terminate or self.remaining > 0)
            self.pool = None
        self.ready.clear()


def workers_for(config, count):
    """How many workers ``count`` jobs deserve under the speed settings (0: none)."""
    if (not config["SPEED_PARALLEL"] or count < config["SPEED_PARALLEL_MIN_ITEMS"]
            or not fork_available()):
        return 0
    workers = min(config["SPEED_WORKERS"], count)
    return workers if workers > 1 else 0


def payloads(settings, function, items, here=False):
    """The payload of ``function(item)`` for each item, computed in workers when it
    pays; otherwise None each (the caller calls ``function`` itself), or, with
    ``here``, computed in this process (for callers that keep payloads)."""
    from .settings import read_settings

    workers = workers_for(read_settings(settings), len(items))
    if not workers:
        if here:
            return [transport.call_payload(function, item, settings) for item in items]
        return [None] * len(items)
    return Running(_Pool(function, items, settings, workers, ordered=True), len(items)).wait()


class Running:
    """Jobs under way in a pool; ``wait()`` gives their payloads in order (None for
    a job the pool did not finish: the caller does it itself)."""

    def __init__(self, pool, count):
        self.pool, self.count = pool, count

    def wait(self):
        done = {}
        if self.pool is None:
            return [None] * self.count
        try:
            while len(done) < self.count:
                done.update(self.pool.next_chunk())
        except Exception as error:
            _broken(error, "work")
            self.stop()
        else:
            self.pool.close()
            self.pool = None
        return [done.get(number) for number in range(self.count)]

    def stop(self):
        """Abandon the jobs (the build failed): end the workers now."""
        if self.pool is not None:
            self.pool.close(terminate=True)
            self.pool = None


def outcome(settings, function, item, payload):
    """A callable that replays ``payload``, or calls ``function(item)`` without one."""
    if payload is None:
        return lambda: function(item)
    return lambda: transport.replay(payload, settings)


def outcomes(settings, function, items):
    """One callable per item, in order: calling it replays the log records of
    ``function(item)`` and returns its result or raises its exception, exactly as
    calling ``function(item)`` there would. Computed in workers when it pays.

    ``function`` must not depend on side effects of earlier items (it may run first).
    """
    items = list(items)
    return [outcome(settings, function, item, payload)
            for item, payload in zip(items, payloads(settings, function, items))]


def parallel_map(settings, function, items):
    """``[function(item) for item in items]``, in workers when it pays."""
    return [outcome() for outcome in outcomes(settings, function, items)]


def run_in_workers(settings, function, jobs):
    """Run ``function(job)`` for every job in workers; return the payloads in order,
    None for a job the workers did not run (the caller runs those itself)."""
    return payloads(settings, function, jobs)


def start_in_workers(settings, function, jobs):
    """``run_in_workers`` in the background: a ``Running`` whose ``wait()`` gives the
    payloads, or None when the jobs are too few for workers (nothing started). The
    workers run at a lower priority: they are to fill idle cores, not to slow the
    parent, which has the rest of the build to do meanwhile."""
    from .settings import read_settings

    workers = workers_for(read_settings(settings), len(jobs))
    if not workers:
        return None
    return Running(_Pool(function, jobs, settings, workers, ordered=True, nice=10),
                   len(jobs))
