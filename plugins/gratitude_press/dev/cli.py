"""``gratitude-press dev`` (preview while writing) and ``serve`` (the built site).

``dev`` builds the site with the dev settings (drafts and scheduled posts as
previews under ``preview/``), serves it on 127.0.0.1, rebuilds after every save and
reloads the open pages. ``serve`` only serves ``output/`` as it is.
"""

import argparse
import sys
import threading
from pathlib import Path

from pelican.settings import read_settings

from ..build.runner import describe_settings_failure
from .server import LiveState, address, make_server
from .session import DevSession

DEV_DESCRIPTION = """\
Preview the site while you write: build it, serve it on http://127.0.0.1:8000/,
rebuild after every save and reload the pages open in the browser.

Drafts and scheduled posts appear under /preview/<slug>/ with a banner (never in a
build for publishing). A save with a problem prints one line naming the file and
line, shows it at the bottom of the open page, and the last good site stays.
Ctrl-C stops it.
"""


def add_commands(subparsers):
    dev = subparsers.add_parser(
        "dev",
        help="preview while writing: rebuild on save, live reload",
        description=DEV_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dev.add_argument("-s", "--settings", default="pelicanconf.py")
    dev.add_argument("-o", "--output", help="output folder (default: OUTPUT_PATH)")
    _address_arguments(dev)
    dev.add_argument(
        "--no-serve",
        action="store_true",
        help="only rebuild on every save (no server, no reload)",
    )
    dev.add_argument("--debug", action="store_true", help="show tracebacks")
    dev.set_defaults(run=run_dev)
    serve = subparsers.add_parser(
        "serve",
        help="serve the built site (output/) on 127.0.0.1",
        description="Serve the output folder as it is, on 127.0.0.1 (no build).",
    )
    serve.add_argument(
        "-o", "--output", default="output", help="the folder to serve (default: output)"
    )
    _address_arguments(serve)
    serve.set_defaults(run=run_serve)


def _address_arguments(parser):
    parser.add_argument(
        "-b",
        "--bind",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "-p", "--port", type=int, default=8000, help="port (default: 8000)"
    )


def _say(text):
    print(text, flush=True)


def _server(output, args, live=None):
    try:
        return make_server(output, args.bind, args.port, live)
    except OSError as error:
        print(
            f"cannot listen on {args.bind}:{args.port}: {error.strerror} (another "
            "server there? choose another port with -p)",
            file=sys.stderr,
        )
        return None


def run_serve(args) -> int:
    if not Path(args.output).is_dir():
        print(
            f"serve: there is no {args.output}/ to serve yet (make html builds it)",
            file=sys.stderr,
        )
        return 1
    server = _server(Path(args.output), args)
    if server is None:
        return 1
    _say(f"serving {args.output}/ on {address(server)} (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        _say("stopped")
    finally:
        server.server_close()
    return 0


def run_dev(args) -> int:
    try:
        output = Path(args.output or read_settings(args.settings)["OUTPUT_PATH"])
    except Exception as error:  # noqa: BLE001 (a settings file is Python: any error)
        print(describe_settings_failure(args.settings, error), file=sys.stderr)
        return 1
    live = LiveState()
    session = DevSession(args.settings, output, live, args.debug, _say)
    server = None if args.no_serve else _server(output, args, live)
    if server is None and not args.no_serve:
        return 1
    if server is not None:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _say(
            f"dev: serving on {address(server)}; drafts under "
            f"{address(server)}preview/ (Ctrl-C stops)"
        )
    try:
        session.run()
    except KeyboardInterrupt:
        _say("dev: stopped")
    finally:
        session.stop.set()
        if server is not None:
            server.shutdown()
            server.server_close()
    return 0
