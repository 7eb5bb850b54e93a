"""Settings of the speed concern, with their defaults.

Every switch exists so that a plain, sequential, uncached build stays one setting
away (the identical-output test compares the two):

- ``SPEED_PARALLEL`` (True): spread work over forked worker processes, one per core
  (off: everything runs in one process, as in stock Pelican). Under it:
  - ``SPEED_PARALLEL_READING`` (True): convert every Markdown source up front and hand
    the results to Pelican's reader in its own order;
  - ``SPEED_PARALLEL_WRITING`` (True): render the pages of a build in workers at the
    end of the writing phase (Pelican's bookkeeping and signals stay in order);
  - concerns hand per-post work to ``speed.parallel.outcomes``/``parallel_map``.
  Results, files, log messages and errors are those of the sequential build.
- ``SPEED_WORKERS`` (None): worker processes; None means one per available core.
- ``SPEED_PARALLEL_MIN_ITEMS`` (24): below this many items, stay in one process
  (starting workers costs more than it saves on a tiny site).
- ``SPEED_TEMPLATE_CACHE`` (True): share compiled Jinja templates between the
  generators of a build and between the rebuilds of ``make devserver``.
- ``SPEED_INCREMENTAL`` (False): remember, for the next run of the same Pelican
  instance (``pelican -r``, ``make devserver``), what each source read into and
  what each page was rendered from; the next run then re-reads only changed sources
  and re-renders only pages whose inputs changed. ``make devserver`` turns it on.
  Files are written only when their bytes change.
"""

import os

DEFAULTS = {
    "SPEED_PARALLEL": True,
    "SPEED_PARALLEL_READING": True,
    "SPEED_PARALLEL_WRITING": True,
    "SPEED_WORKERS": None,
    "SPEED_PARALLEL_MIN_ITEMS": 24,
    "SPEED_TEMPLATE_CACHE": True,
    "SPEED_INCREMENTAL": False,
}


def read_settings(settings):
    """The speed settings with defaults filled in (never mutates ``settings``)."""
    config = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    workers = config["SPEED_WORKERS"]
    if not workers:
        try:
            workers = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            workers = os.cpu_count() or 1
    config["SPEED_WORKERS"] = max(1, int(workers))
    return config
