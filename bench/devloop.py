"""One dev-loop measurement: what ``pelican -r`` (``make devserver``) does after a save.

Builds once with a Pelican instance, edits one post, then times ``pelican.run()`` on
the same instance, exactly as Pelican's autoreload loop does. With ``--dev``, each
build is what ``gratitude-press dev`` runs after a save instead: the kit's build
runner with the dev settings (a fresh Pelican per build, staging folder, swap). The
post is restored afterwards. Prints one JSON line: cold and rebuild wall time,
rebuild CPU time.

    python bench/devloop.py SETTINGS POST [--dev] [--set KEY=JSON ...]
"""

import argparse
import json
import logging
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import edit_post  # noqa: E402


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("settings")
    parser.add_argument("post")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=JSON")
    parser.add_argument(
        "--dev", action="store_true", help="build as gratitude-press dev does"
    )
    args = parser.parse_args(argv)

    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING)
    overrides = {}
    for item in args.set:
        key, value = item.split("=", 1)
        overrides[key] = json.loads(value)
    if args.dev:
        from gratitude_press.build import runner
        from gratitude_press.dev.preview import DEV_SETTINGS

        output = overrides.pop("OUTPUT_PATH", None)

        def run():  # what DevSession runs after a save
            status = runner.build(
                args.settings,
                output,
                overrides={**DEV_SETTINGS, **overrides},
                discard_later=True,
            )
            if status != 0:
                raise SystemExit(f"the dev build failed ({status})")

    else:
        run = Pelican(read_settings(args.settings, override=overrides)).run

    start = time.perf_counter()
    run()
    cold = time.perf_counter() - start

    post = Path(args.post)
    original = post.read_bytes()
    try:
        edit_post(post, f"edited {time.time()}")  # never a page cached before
        cpu_before, start = cpu_seconds(), time.perf_counter()
        run()
        rebuild = time.perf_counter() - start
        rebuild_cpu = cpu_seconds() - cpu_before
    finally:
        post.write_bytes(original)
    print(
        json.dumps(
            {
                "cold": cold,
                "rebuild": rebuild,
                "rebuild_cpu": rebuild_cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
