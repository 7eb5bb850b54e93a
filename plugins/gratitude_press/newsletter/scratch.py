"""A temporary folder that disappears even if this process is killed.

``send`` builds the site into a temporary folder, so the published ``output/`` is
left alone. A ``finally`` clause could remove it after an exception or an interrupt,
but nothing of ours runs after SIGKILL. So a tiny janitor process makes the folder
and holds the other end of a pipe: when the block ends (we close the pipe and wait)
or this process dies, however it dies (the kernel closes the pipe), the janitor
reads end-of-file and removes the folder. It ignores the terminal's signals, so the
Ctrl-C that stops a send does not stop its clean-up.
"""

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

# The janitor makes the folder itself: it exists only while someone will remove it.
JANITOR = """\
import shutil, signal, sys, tempfile
for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"):
    signal.signal(getattr(signal, name), signal.SIG_IGN)
folder = tempfile.mkdtemp(prefix=sys.argv[1])
print(folder, flush=True)
sys.stdin.buffer.read()
shutil.rmtree(folder, ignore_errors=True)
"""
JANITOR_WAIT = 30  # seconds for the janitor to finish once the folder is gone


@contextmanager
def scratch_folder(prefix: str = "gratitude-press-send-"):
    """A new temporary folder, removed when the block ends or the process dies."""
    # -I -S: no site packages, no PYTHON* variables: starts fast, runs only the above.
    janitor = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", JANITOR, prefix],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        folder = Path(janitor.stdout.readline().decode().strip())
        if not folder.name:
            raise OSError("could not make a temporary folder (check TMPDIR)")
        yield folder
    finally:
        janitor.stdin.close()  # the janitor removes the folder, then exits
        try:
            janitor.wait(timeout=JANITOR_WAIT)
        except subprocess.TimeoutExpired:
            janitor.kill()  # ours, found by its pid: never by name
            janitor.wait()
        janitor.stdout.close()
