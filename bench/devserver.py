"""The dev loop as a writer lives it: save a post, wait for its page in ``output/``.

Starts ``gratitude-press dev --no-serve`` (what ``make devserver`` runs, without the
HTTP server), waits for its first build, then (1) appends a sentence to one post and
times until that post's page in the output folder holds the sentence, (2) adds a new
post and times until its page exists. Both times run from the save to the file
written, watcher and debounce included; ``edit_site`` and ``new_site`` run from the
same saves to the end of the whole build that follows (every list, story and search
page written and swapped in: the edited page comes first when only its text changed,
``dev/fast.py``). The edited post is restored and the new one removed afterwards; the
dev process is stopped by its own process id.

    python bench/devserver.py SETTINGS POST OUTPUT [--timeout 600]

Prints one JSON line: ``{"cold": s, "edit": s, "edit_site": s, "new": s,
"new_site": s}`` (``null`` on a time-out).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import edit_post  # noqa: E402

POLL = 0.005


def page_of(post: Path, output: Path) -> Path:
    """``{date:%Y}/{slug}/index.html`` (the kit's ARTICLE_SAVE_AS) of a corpus post."""
    text = post.read_text(encoding="utf-8")
    year = re.search(r"^Date: (\d{4})", text, re.M).group(1)
    slug = re.search(r"^Slug: (\S+)", text, re.M).group(1)
    return output / year / slug / "index.html"


def wait_for(condition, timeout):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(POLL)
    return None


def holds(path: Path, text: str) -> bool:
    try:
        return text in path.read_text(encoding="utf-8")
    except OSError:
        return False


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("settings")
    parser.add_argument("post", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)

    builds = threading.Semaphore(0)
    dev = subprocess.Popen(
        [sys.executable, "-m", "gratitude_press", "dev", "--no-serve"]
        + ["-s", args.settings, "-o", str(args.output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def follow():
        for line in dev.stdout:
            sys.stdout.write(line)
            if line.startswith("dev: built in"):
                builds.release()

    threading.Thread(target=follow, daemon=True).start()
    post, original = args.post, args.post.read_bytes()
    new = post.with_name("bench-new-post.md")
    figures = dict.fromkeys(("cold", "edit", "edit_site", "new", "new_site"))
    try:
        start = time.perf_counter()
        if not builds.acquire(timeout=args.timeout):
            return print(json.dumps(figures))
        figures["cold"] = time.perf_counter() - start
        time.sleep(1)  # the watcher is running; nothing else pending
        marker = f"bench edit {os.getpid()}"
        saved = time.perf_counter()
        edit_post(post, marker)
        figures["edit"] = wait_for(
            lambda: holds(page_of(post, args.output), marker), args.timeout
        )
        if builds.acquire(timeout=args.timeout):  # that build's end
            figures["edit_site"] = time.perf_counter() - saved
        time.sleep(1)
        text = original.decode("utf-8")
        text = re.sub(r"^Slug: .*$", "Slug: bench-new-post", text, count=1, flags=re.M)
        text = re.sub(r"^Guid: .*$", "", text, count=1, flags=re.M)
        saved = time.perf_counter()
        new.write_text(text, encoding="utf-8")
        figures["new"] = wait_for(page_of(new, args.output).is_file, args.timeout)
        if builds.acquire(timeout=args.timeout):
            figures["new_site"] = time.perf_counter() - saved
    finally:
        post.write_bytes(original)
        new.unlink(missing_ok=True)
        dev.terminate()
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            dev.kill()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
