"""Author intros: ``content/newsletter/<monday>.md`` (or ``2026-w47.md``, or
``<since>--<last day>.md`` for a custom period) becomes that issue's ``Intro``.

Reading a file is the caller's job (the adapter hands in the site reader's ``parse``),
and problems come back as ``(level, ContentError)`` for the caller to report: a
misnamed file is a warning (the site still builds), an unreadable one an error.
"""

import datetime as dt
import logging
from pathlib import Path

from ..errors import ContentError
from . import period as periods
from .model import Intro, absolute_html, html_to_text


def _misnamed(path: Path) -> ContentError | None:
    """Why a file's name names no week, or None when it does."""
    monday = periods.intro_key(path.stem)
    custom = "--" in path.stem and all(
        periods.intro_key(part) for part in path.stem.split("--")
    )
    if monday is None and not custom:
        return ContentError(
            path,
            "an intro file must be named after its week",
            hint="use the Monday's date, e.g. 2026-11-16.md, or 2026-w47.md",
        )
    if monday is not None and monday.weekday() != 0:
        return ContentError(
            path,
            f"{monday} is not a Monday",
            hint=f"name it after the Monday of its week: "
            f"{monday - dt.timedelta(days=monday.weekday())}.md",
        )
    return None


def _issue_id(path: Path) -> str:
    monday = periods.intro_key(path.stem)  # 2026-w47 names the issue 2026-11-16
    return monday.isoformat() if monday else path.stem


def _intro(path, html, metadata, cfg, key) -> Intro:
    html = absolute_html(html, cfg.absolute(f"{cfg.path}/{key}/"))
    summary = metadata.get("preheader") or metadata.get("summary") or ""
    return Intro(
        title=str(metadata.get("title") or ""),
        html=html,
        text=html_to_text(html),
        source=str(path),
        preheader=html_to_text(str(summary)),
    )


def read_intros(folder: Path, parse, cfg) -> tuple[dict, list]:
    """``({issue id: Intro}, [(level, ContentError)])`` for the ``*.md`` in ``folder``.

    ``parse(path)`` returns ``(html, metadata)`` or raises ContentError."""
    intros, problems = {}, []
    for path in sorted(folder.glob("*.md")):
        misnamed = _misnamed(path)
        if misnamed:
            problems.append((logging.WARNING, misnamed))
            continue
        try:
            html, metadata = parse(str(path))
        except ContentError as error:
            problems.append((logging.ERROR, error))
            continue
        except OSError as error:
            problems.append(
                (
                    logging.ERROR,
                    ContentError(
                        path,
                        f"cannot read this intro: {error.strerror}",
                        hint="check the file's permissions",
                    ),
                )
            )
            continue
        key = _issue_id(path)
        if key in intros:
            problems.append(
                (
                    logging.WARNING,
                    ContentError(
                        path,
                        f"a second intro for the week of {key}",
                        hint=f"keep one of {Path(intros[key].source).name} and {path.name}",
                    ),
                )
            )
            continue
        intros[key] = _intro(path, html, metadata, cfg, key)
    return intros, problems


def unused_intros(intros: dict, used: set, wanted: list, timezone: str) -> list:
    """A ContentError for each intro of a week that was built but had no issue.

    Intros for weeks after the newest content are kept quietly: they are written
    ahead of their issue."""
    built_until = max((p.end for p in wanted), default=None)
    problems = []
    for key, intro in intros.items():
        if intro.source in used:
            continue
        start = periods.intro_key(key.split("--")[0])
        if built_until is None or (
            start and periods.week_of(start, timezone).start < built_until
        ):
            problems.append(
                ContentError(
                    intro.source,
                    "no issue uses this intro: nothing was published in that week",
                    hint="check the file name's date",
                )
            )
    return problems
