"""Reading every Markdown source up front, in forked worker processes.

Pelican reads sources one by one; Python-Markdown takes most of a build. ``ReadAhead``
forks one worker per core once the generators exist (the settings, plugins and
readers are then final), lets the workers read the planned files in the order Pelican
will ask for them, and hands each payload (``transport.py``) to the reader when
Pelican asks. Forking copies the parent, so a worker reads a file exactly as the
parent would; anything that goes wrong with the pool (a worker killed, a result that
cannot be pickled) falls back to reading that file in the parent.
"""

import logging
import multiprocessing

from . import transport

logger = logging.getLogger(__name__)

RESULT_TIMEOUT = 300  # seconds to wait for one file before giving up on the pool

# The plan a forked worker serves: set just before the fork, cleared when the pool is
# closed. It is the only way to hand unpicklable readers to a forked child.
_plan = None


def fork_available() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def _read_planned(numbers):
    payloads = []
    for number in numbers:
        path, read, settings = _plan[number]
        payloads.append((number, transport.read_payload(read, path, settings)))
    return payloads


class ReadAhead:
    """A pool of forked workers reading ``plan``: a list of ``(path, read, settings)``
    where ``read(path)`` is the reader's own (unwrapped) read method."""

    def __init__(self, plan, workers):
        global _plan
        self.index = {path: number for number, (path, _, _) in enumerate(plan)}
        self.ready = {}
        self.remaining = len(plan)
        _plan = plan
        context = multiprocessing.get_context("fork")
        self.pool = context.Pool(workers)
        # Small chunks in Pelican's order: the first results arrive early and the
        # workers finish together.
        size = max(1, min(8, len(plan) // (workers * 16)))
        chunks = [range(start, min(start + size, len(plan)))
                  for start in range(0, len(plan), size)]
        self.results = self.pool.imap_unordered(_read_planned, chunks)
        logger.debug("[speed] reading %d sources in %d worker processes", len(plan), workers)

    def take(self, path):
        """The payload of ``path``; None if it was not planned or must be read here."""
        number = self.index.pop(path, None)
        if number is None or self.pool is None:
            return None
        try:
            while number not in self.ready:
                self.ready.update(self.results.next(timeout=RESULT_TIMEOUT))
        except Exception as error:  # a worker died or hung: read the rest here
            logger.warning("[speed] parallel reading stopped (%s); reading sequentially",
                           error.__class__.__name__)
            self.close(terminate=True)
            return None
        self.remaining -= 1
        payload = self.ready.pop(number)
        if self.remaining == 0:
            self.close()
        return payload

    def close(self, terminate=False):
        global _plan
        if self.pool is not None:
            if terminate or self.remaining:
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()
            self.pool = None
        self.ready.clear()
        _plan = None
