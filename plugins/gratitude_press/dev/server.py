"""Serve the output folder on 127.0.0.1, plus the dev server's live-reload status.

A plain static server (``serve``) or, with a ``LiveState``, the dev server: it also
answers ``/.gratitude-dev/reload.js`` (the script every dev page loads) and
``/.gratitude-dev/status.json`` (the number of the last good build and the problem
of the last failed one). The script asks for the status every second and reloads
the page when a new build is in place: nothing long-lived, nothing from other hosts.
Every answer says ``Cache-Control: no-store`` so a reload shows the new build.
"""

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .preview import DEV_PATH

SCRIPT = Path(__file__).with_name("reload.js")


class LiveState:
    """What the browser is told: the last good build's number, the last problem."""

    def __init__(self):
        self._lock = threading.Lock()
        self.version, self.problem = 0, ""

    def built(self):
        with self._lock:
            self.version, self.problem = self.version + 1, ""

    def failed(self, problem: str, reload=False):
        """Show ``problem``; with ``reload``, on the page loaded again (a page the
        browser shows was put back to the last good build's)."""
        with self._lock:
            self.problem = problem
            if reload:
                self.version += 1

    def as_json(self) -> bytes:
        with self._lock:
            return json.dumps(
                {"version": self.version, "problem": self.problem}
            ).encode("utf-8")


class SiteHandler(SimpleHTTPRequestHandler):
    """Files of the output folder; the dev paths when a ``LiveState`` is given."""

    live = None  # set per server by make_server

    def do_GET(self):
        if self.live is not None and self.path.startswith(DEV_PATH):
            return self._dev_file(self.path[len(DEV_PATH) :].split("?")[0])
        return super().do_GET()

    def _dev_file(self, name):
        if name == "status.json":
            body, kind = self.live.as_json(), "application/json"
        elif name == "reload.js":
            body, kind = SCRIPT.read_bytes(), "text/javascript"
        else:
            return self.send_error(404)
        self.send_response(200)
        self.send_header("Content-Type", kind + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        pass  # one line per request would bury the build messages


def make_server(output, host="127.0.0.1", port=8000, live=None):
    """A threading HTTP server for ``output`` (not started); port 0: any free one."""
    handler = type("Handler", (SiteHandler,), {"live": live})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(output)))


def address(server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"
