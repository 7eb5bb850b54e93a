"""Compiled templates kept under ``CACHE_PATH``, through Pelican's public
``JINJA_ENVIRONMENT`` setting.

Pelican makes a Jinja environment per generator and per build, and each compiled the
theme's templates again. Jinja's own ``FileSystemBytecodeCache`` keeps the compiled
code of each template file; Jinja checks the source's checksum before it uses it, so an
edited template is compiled afresh. The folder is named after the environment's
options and Jinja's version: code compiled with other options is never reused.
Environments live for one build, so they need not look for edited templates
(``auto_reload``) while it runs.
"""

import hashlib
from importlib import metadata
from pathlib import Path

import jinja2


def install(pelican):
    settings = pelican.settings
    options = dict(settings.get("JINJA_ENVIRONMENT") or {})
    if "bytecode_cache" in options:
        return  # the site chose its own
    if not all(_plain(value) for value in options.values()):
        # a function (say an autoescape rule) has no name that is the same in every
        # process, so no folder could be keyed by it: compile as Pelican does
        return
    fingerprint = hashlib.sha256(
        repr((metadata.version("jinja2"), sorted(map(repr, options.items())))).encode()
    ).hexdigest()[:16]
    folder = Path(settings["CACHE_PATH"]) / f"jinja-{fingerprint}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no writable cache folder: templates are compiled as before
    options["bytecode_cache"] = jinja2.FileSystemBytecodeCache(str(folder))
    options.setdefault("auto_reload", False)
    settings["JINJA_ENVIRONMENT"] = options  # a copy: the settings module stays as is


def _plain(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(map(_plain, value))
    return value is None or isinstance(value, (str, int, float, bool))
