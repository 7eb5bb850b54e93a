"""Run Pelican with our rules: strict mode, one-line errors, safe output swap."""

import logging
import shutil
import sys
from pathlib import Path

import jinja2
from pelican import Pelican
from pelican.log import DEFAULT_LOG_HANDLER, init as init_logging
from pelican.settings import read_settings

from ..errors import ContentError
from . import output

logger = logging.getLogger(__name__)


class _ProblemCounter(logging.Handler):
    """Collects every warning and error so strict mode can fail after the whole run."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.problems = []

    def emit(self, record):
        self.problems.append(record)


def _log_handler():
    """Rich output on a terminal; whole one-line messages in logs and CI."""
    if sys.stderr.isatty():
        return DEFAULT_LOG_HANDLER
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    return handler


def describe_failure(error: BaseException) -> str:
    """One line that tells the writer what broke and where, never a traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: template error: {error.message}"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template not found: {error.name} (add it to theme/templates/)"
    if isinstance(error, jinja2.UndefinedError):
        return f"template error: {error.message}"
    if isinstance(error, ContentError):
        return str(error)
    return f"{error.__class__.__name__}: {error} (rerun with --debug for a traceback)"


def build(settings_file="pelicanconf.py", output_path=None, strict=False,
          debug=False, overrides=None) -> int:
    """Build the site; return the exit status (0 on success)."""
    init_logging(level=logging.DEBUG if debug else logging.WARNING, handler=_log_handler())
    counter = _ProblemCounter()
    logging.getLogger().addHandler(counter)
    try:
        settings = read_settings(settings_file, override=overrides or {})
        final = Path(output_path or settings["OUTPUT_PATH"]).resolve()
        output.recover(final)
        staging = output.staging_path(final)
        settings["OUTPUT_PATH"] = str(staging)
        try:
            Pelican(settings).run()
        except Exception as error:  # any failure must leave output/ untouched
            if debug:
                raise
            logger.error("%s", describe_failure(error))
        if counter.problems and strict:
            logger.error("build failed: %d problem(s) above; %s left unchanged",
                         len(counter.problems), final)
            return 1
        if any(r.levelno >= logging.ERROR for r in counter.problems):
            logger.error("build failed; %s left unchanged", final)
            return 1
        output.publish(staging, final)
        return 0
    finally:
        logging.getLogger().removeHandler(counter)
        if "staging" in locals() and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def add_command(subparsers):
    parser = subparsers.add_parser("build", help="build the site into output/")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", help="output folder (default: OUTPUT_PATH)")
    parser.add_argument("--strict", action="store_true",
                        help="fail on any warning (like pelican --fatal warnings)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(run=lambda args: build(args.settings, args.output, args.strict,
                                               args.debug))


if __name__ == "__main__":
    sys.exit(build())
