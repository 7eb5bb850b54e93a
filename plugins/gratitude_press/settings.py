"""The one settings pattern of every concern.

Each concern's ``settings.py`` lists its names with their documented defaults in
``DEFAULTS`` and has ``read(values: SettingValues) -> <frozen dataclass>``. The
plugin calls every ``read`` once, when Pelican starts (``config.py``), and keeps the
results in one immutable ``Config``.

``None`` always means "use the documented default": ``X = None`` in ``pelicanconf.py``
is the same as not setting ``X``. A concern documents its own "off" value where a
feature can be switched off (``False`` for a switch, ``""`` for an output path).

A bad value is a ``ContentError`` naming the settings file and the line of the
assignment (``SettingValues.error``), the same way in every concern.
"""

import ast
import importlib.util
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from .errors import ContentError

# Our build command records the settings file here (``pelican -s`` does not), so
# messages can name the line of a setting.
SETTINGS_FILE_KEY = "GRATITUDE_SETTINGS_FILE"
DEFAULT_SETTINGS_FILE = "pelicanconf.py"
# Where ``config.install`` keeps the immutable ``Config`` of every concern.
CONFIG_KEY = "GRATITUDE_CONFIG"


def config_of(settings):
    """The ``Config`` read once when Pelican started (``config.install``)."""
    try:
        return settings[CONFIG_KEY]
    except KeyError:
        raise RuntimeError(
            "gratitude_press is not registered with this Pelican "
            "instance (add it to PLUGINS)"
        ) from None


def _star_imports(path: Path):
    """Files whose names a settings file imports with ``from x import *``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return []
    found = []
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if not any(alias.name == "*" for alias in node.names):
            continue
        sibling = path.with_name(node.module.replace(".", "/") + ".py")
        if sibling.exists():
            found.append(sibling)
            continue
        try:
            spec = importlib.util.find_spec(node.module)
        except (ImportError, ValueError):
            spec = None
        if spec and spec.origin and spec.origin.endswith(".py"):
            found.append(Path(spec.origin))
    return found


def _assignments(path: Path):
    """``{name: line}`` of the last top-level assignment of each name."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            targets = []
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = node.lineno
    return found


class SettingsSource:
    """Where each setting was written: the settings file first, then what it imports."""

    def __init__(self, settings_file):
        self.file = Path(settings_file)
        self.files = [self.file]
        for path in self.files:  # grows while we walk: imports of imports
            self.files += [p for p in _star_imports(path) if p not in self.files]
        self._tables = [(path, _assignments(path)) for path in self.files]

    @classmethod
    def of(cls, settings):
        return cls(settings.get(SETTINGS_FILE_KEY) or DEFAULT_SETTINGS_FILE)

    def where(self, name):
        """(shown path, line) of the assignment that wins, or (settings file, None)."""
        for path, table in self._tables:
            if name in table:
                shown = str(self.file) if path == self.file else path.name
                return shown, table[name]
        return str(self.file), None

    def error(self, name, message, hint=None) -> ContentError:
        path, line = self.where(name)
        return ContentError(path, f"{name} {message}", line, hint)


class SettingValues:
    """One concern's settings: its ``DEFAULTS`` with the site's values over them.

    ``values[name]`` is the merged value of one of the concern's names, or a Pelican
    setting (``SITEURL``, ``AUTHOR``...) as Pelican has it. The typed getters check a
    value and raise ``SettingsSource.error`` when it is wrong.
    """

    def __init__(self, settings, defaults, source=None):
        self.settings = settings
        self.source = source or SettingsSource.of(settings)
        self.own = MappingProxyType(
            {
                name: default if settings.get(name) is None else settings[name]
                for name, default in defaults.items()
            }
        )

    def __getitem__(self, name):
        return self.own[name] if name in self.own else self.settings.get(name)

    def error(self, name, message, hint=None) -> ContentError:
        return self.source.error(name, message, hint)

    def text(self, name, *, empty=True) -> str:
        value = self[name]
        if not isinstance(value, str) or (not empty and not value.strip()):
            wanted = "text" if empty else "non-empty text"
            raise self.error(
                name,
                f"must be {wanted} in quotes, not {value!r}",
                f'e.g. {name} = "..."',
            )
        return value

    def optional_text(self, name):
        return None if self[name] is None else self.text(name)

    def flag(self, name) -> bool:
        value = self[name]
        if not isinstance(value, bool):
            raise self.error(
                name, f"must be True or False, not {value!r}", f"e.g. {name} = True"
            )
        return value

    def integer(self, name, low=1, high=None) -> int:
        value = self[name]
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < low
            or (high is not None and value > high)
        ):
            limits = f">= {low}" if high is None else f"from {low} to {high}"
            raise self.error(
                name,
                f"must be a whole number {limits}, not {value!r}",
                f"e.g. {name} = {max(low, 1)}",
            )
        return value

    def number(self, name, above=0) -> float:
        value = self[name]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or value <= above
        ):
            raise self.error(
                name, f"must be a number > {above}, not {value!r}", f"e.g. {name} = 30"
            )
        return float(value)

    def choice(self, name, allowed) -> str:
        value = self[name]
        if value not in allowed:
            raise self.error(
                name,
                f"must be one of {', '.join(map(str, allowed))}, not {value!r}",
                f"e.g. {name} = {allowed[0]!r}",
            )
        return value

    def names(self, name, allowed=None) -> tuple:
        items = self[name]
        if isinstance(items, str) or not isinstance(items, (list, tuple)):
            raise self.error(
                name, f"must be a list, not {items!r}", f'e.g. {name} = ["...", "..."]'
            )
        for item in items:
            if allowed is not None and item not in allowed:
                raise self.error(
                    name,
                    f"has an unknown entry {item!r}",
                    "choose from " + ", ".join(allowed),
                )
        return tuple(items)

    def output_path(self, name) -> str:
        """A path inside the output folder ("" where the concern allows it: off)."""
        value = self.text(name)
        parts = value.replace("\\", "/").split("/")
        if value.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise self.error(
                name,
                f"must be a path inside the output folder, not {value!r}",
                "write it relative to output/, without ..",
            )
        return value

    def https_url(self, name, value=None) -> str:
        url = self[name] if value is None else value
        parts = urlsplit(url if isinstance(url, str) else "")
        if parts.scheme != "https" or not parts.hostname:
            raise self.error(
                name,
                f"must be an absolute https:// URL, not {url!r}",
                f'e.g. {name} = "https://example.org/..."',
            )
        return url


def absolute_base_url(settings) -> str:
    """The absolute site URL feeds are built on (``SITEURL``, else ``FEED_DOMAIN``),
    without a trailing slash, or "" when there is none (``make html``)."""
    for name in ("SITEURL", "FEED_DOMAIN"):
        value = str(settings.get(name) or "").rstrip("/")
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            return value
    return ""
