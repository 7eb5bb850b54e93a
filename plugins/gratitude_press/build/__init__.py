"""Running a build: strict logging, clear errors, an output that is never lost;
compiled templates kept under CACHE_PATH (``templates.py``)."""

from . import templates  # noqa: F401
