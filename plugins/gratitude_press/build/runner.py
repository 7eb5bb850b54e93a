"""Run Pelican with our rules: strict mode, one-line errors, safe output swap."""

import logging
import shutil
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

import jinja2
from pelican import Pelican
from pelican.settings import read_settings

from ..checks import ready
from ..errors import BuildStopped, ContentError, plugin_logger
from ..settings import SETTINGS_FILE_KEY
from ..state import AT_BUILD_END
from . import output

logger = plugin_logger(__name__)
CHECK_MODES = ("warn", "fail")


class _ProblemCounter(logging.Handler):
    """Collects every warning and error so strict mode can fail after the whole run."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.problems = []

    def emit(self, record):
        self.problems.append(record)

    def has_errors(self):
        return any(record.levelno >= logging.ERROR for record in self.problems)


def _log_handler():
    """Whole one-line messages, on a terminal too: Pelican's rich handler wraps a long
    line and adds the Python file and line that logged it, which is not where the
    writer's problem is."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    return handler


def describe_failure(error: BaseException, content_path=".") -> str:
    """One line that tells the writer what broke and where, never a traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return (
            f"{error.filename or error.name}:{error.lineno}: template error: "
            f"{error.message}"
        )
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template not found: {error.name} (add it to theme/templates/)"
    if isinstance(error, jinja2.UndefinedError):
        return (
            f"{_template_line(error) or 'a template'}: template error: "
            f"{error.message} (check the name, or guard it with {{% if ... %}})"
        )
    if isinstance(error, ContentError):
        return str(error.relative_to(content_path))
    text = f"{error.__class__.__name__}: {error} (rerun with --debug for a traceback)"
    where = _template_line(error)
    return f"{where}: {text}" if where else text


def _template_line(error: BaseException) -> str:
    """``template:line`` of the innermost template frame (Jinja rewrites tracebacks)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            return f"{frame.filename}:{frame.lineno}"
    return ""


def describe_settings_failure(settings_file, error: BaseException) -> str:
    """A settings file that does not even load: name its line."""
    if isinstance(error, SyntaxError):
        return (
            f"{settings_file}:{error.lineno}: Python syntax error: {error.msg} "
            "(settings are Python: check quotes, commas and brackets)"
        )
    name = str(Path(settings_file).resolve())
    missing = str(Path(getattr(error, "filename", None) or "").resolve())
    if isinstance(error, FileNotFoundError) and missing == name:
        return (
            f"{settings_file}: the settings file does not exist "
            "(run from the kit's folder or pass -s path/to/pelicanconf.py)"
        )
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if str(Path(frame.filename).resolve()) == name
    ]
    if frames:
        return (
            f"{settings_file}:{frames[-1].lineno}: {error.__class__.__name__}: "
            f"{error} (fix this line of the settings file)"
        )
    return f"{settings_file}: {error} (check the settings in this file)"


@contextmanager
def _logging(debug):
    """Our handler and the strict-mode counter on the root logger, for one build."""
    handler, counter = _log_handler(), _ProblemCounter()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    root.addHandler(handler)
    root.addHandler(counter)
    try:
        yield counter
    finally:
        root.removeHandler(handler)
        root.removeHandler(counter)
        root.setLevel(level)


def build(
    settings_file="pelicanconf.py",
    output_path=None,
    strict=False,
    debug=False,
    overrides=None,
    check=None,
    discard_later=False,
) -> int:
    """Build the site; return the exit status (0 on success).

    ``check``: None, or ``"warn"``/``"fail"``: also run the checks of
    ``gratitude-press check`` (``checks/ready.py``); with "fail" a problem leaves
    the output folder unchanged, as a failed build does. ``discard_later``: the
    replaced site is removed in a background thread (dev builds, ``output.py``)."""
    run = _Run(check, discard_later)
    with _logging(debug) as counter:
        try:
            return run.build(
                settings_file, output_path, strict, debug, overrides, counter
            )
        except KeyboardInterrupt:
            if run.final is None:
                logger.error("build interrupted")
            elif run.publishing:
                output.recover(run.final)  # finish or undo the swap: one whole site
                logger.error(
                    "build interrupted while replacing %s; it holds a whole site",
                    run.final,
                )
            else:
                logger.error("build interrupted; %s left unchanged", run.final)
            return 130
        finally:
            if run.staging is not None and run.staging.exists():
                shutil.rmtree(run.staging, ignore_errors=True)


class _Run:
    """One build; what it has reached, for the interrupt handler and the clean-up."""

    def __init__(self, check=None, discard_later=False):
        self.final = self.staging = None
        self.publishing = False
        self.check = check
        self.discard_later = discard_later
        self.checked = []  # one line per problem of the checks

    def build(
        self, settings_file, output_path, strict, debug, overrides, counter
    ) -> int:
        try:
            # DEBUG makes Pelican attach the traceback of a file it could not read.
            settings = read_settings(
                settings_file,
                override={
                    **(overrides or {}),
                    SETTINGS_FILE_KEY: str(settings_file),
                    **({"DEBUG": True} if debug else {}),
                },
            )
        except Exception as error:
            if debug:
                raise
            logger.error("%s", describe_settings_failure(settings_file, error))
            return 1
        final = Path(output_path or settings["OUTPUT_PATH"]).resolve()
        precious = output.holds_sources(
            final, [settings["PATH"], settings["THEME"], settings_file, Path.cwd()]
        )
        if precious:
            logger.error(
                "%s: the output folder holds %s and would be replaced by the "
                "build (choose a folder of its own, e.g. -o output)",
                final,
                precious,
            )
            return 1
        if self.check:  # before the build: Pelican adds its own entries to settings
            self.checked = ready.settings_problems(settings)
        with output.locked(final):
            return self.build_locked(settings, final, strict, debug, counter)

    def build_locked(self, settings, final, strict, debug, counter) -> int:
        output.recover(final)
        self.final, self.staging = final, output.staging_path(final)
        settings["OUTPUT_PATH"] = str(self.staging)
        settings[AT_BUILD_END] = at_end = []
        try:
            pelican = Pelican(settings)
            if counter.has_errors():  # bad settings or a plugin that failed to load
                raise BuildStopped
            pelican.run()
        except BuildStopped:
            pass
        except Exception as error:  # any failure must leave output/ untouched
            if debug:
                raise
            logger.error("%s", describe_failure(error, settings["PATH"]))
        finally:
            for callback in at_end:  # e.g. a search index still being made
                callback()
        if self.check and not counter.has_errors():
            self.checked += ready.output_problems(settings, self.staging)
        if self.failed(counter, strict, final):
            return 1
        self.publishing = True
        output.keep_retained(final, self.staging, settings.get("OUTPUT_RETENTION"))
        output.publish(self.staging, final, later=self.discard_later)
        return 0

    def failed(self, counter, strict, final) -> bool:
        """Say why the build may not replace ``final``, if it may not."""
        level = logging.ERROR if self.check == "fail" else logging.WARNING
        for problem in self.checked:
            logger.log(level, "[check] %s", problem)
        if self.checked and self.check == "fail":
            logger.error(
                "check: %d problem(s) above; %s left unchanged (README, "
                "Adopting the kit)",
                len(self.checked),
                final,
            )
            return True
        if counter.problems and strict:
            logger.error(
                "build failed: %d problem(s) above; %s left unchanged",
                len(counter.problems),
                final,
            )
            return True
        if counter.has_errors():
            logger.error("build failed; %s left unchanged", final)
            return True
        return False


def add_command(subparsers):
    parser = subparsers.add_parser(
        "build",
        help="build the site into output/",
        description="Build the site into a hidden folder and replace output/ only if "
        "the build succeeded: a failed build leaves the previous site.",
    )
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", help="output folder (default: OUTPUT_PATH)")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning (like pelican --fatal warnings)",
    )
    parser.add_argument(
        "--fatal",
        choices=("warnings", "errors"),
        help="Pelican's spelling: --fatal warnings is --strict; errors "
        "always fail the build",
    )
    parser.add_argument(
        "--check",
        nargs="?",
        const="fail",
        choices=CHECK_MODES,
        help="also run the checks of the check command: --check fails "
        "the build on a problem (make publish), --check=warn only "
        "warns (make html)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(
        run=lambda args: build(
            args.settings,
            args.output,
            args.strict or args.fatal == "warnings",
            args.debug,
            check=args.check,
        )
    )


if __name__ == "__main__":
    sys.exit(build())
