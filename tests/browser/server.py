"""Serve a built site on 127.0.0.1 the way a static host does.

Python's http.server, plus what static hosts do: HTTP Range requests (a browser can only
seek an <audio> player, as chapter links do, when the server answers them) and the
site's own 404.html for a missing page. Run as a script
(``python server.py PORT DIRECTORY``; port 0: any free port, printed as ``port N``) in
its own process, like ``python -m http.server``.
"""

import contextlib
import io
import os
import re
import subprocess
import sys
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """http.server's file handler that also answers ``Range: bytes=a-b`` with a 206."""

    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self):
        match = RANGE.match(self.headers.get("Range", "").strip())
        path = self.translate_path(self.path)
        if not match or not os.path.isfile(path) or match.groups() == ("", ""):
            return super().send_head()
        with open(path, "rb") as handle:
            data = handle.read()
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last or len(data) - 1), len(data) - 1)
        else:  # "bytes=-N": the last N bytes
            start, end = max(len(data) - int(last), 0), len(data) - 1
        if start >= len(data) or start > end:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return io.BytesIO(data[start : end + 1])

    def send_error(self, code, message=None, explain=None):
        """A missing file gets the site's 404.html, with status 404, as on static
        hosts."""
        page = os.path.join(self.directory, "404.html")
        if code != HTTPStatus.NOT_FOUND or not os.path.isfile(page):
            return super().send_error(code, message, explain)
        with open(page, "rb") as handle:
            body = handle.read()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    """Yield the base URL (no trailing slash) of ``directory`` served over HTTP.

    The server binds a port the system picks and prints it once it listens, so
    servers of tests running side by side (xdist workers) never race for a port.
    """
    process = subprocess.Popen(
        [sys.executable, __file__, "0", str(directory)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # "port N" once listening; "" if it died
        if not line.startswith("port "):
            raise RuntimeError(f"the test server did not start (exit {process.wait()})")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), sys.argv[2]
    handler = partial(RangeRequestHandler, directory=directory)
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"port {httpd.server_address[1]}", flush=True)
    httpd.serve_forever()
