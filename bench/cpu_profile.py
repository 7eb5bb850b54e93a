"""Where a kit build spends its CPU time, by phase and by concern.

Runs one kit build in this process under cProfile with a CPU-time clock (the machine
is shared: wall-clock profiles would charge other people's work to us), reading
sequentially so that all the work shows up in one profile. Prints:

- the CPU time of Pelican's phases (reading, other context, writing) and of each
  concern's entry points (functions of ``plugins/gratitude_press/<concern>/`` called
  from Pelican or from the signal library);
- the top functions by cumulative and by own time.

    python bench/cpu_profile.py SETTINGS [--incremental]   # after bench/run.py made them

``--incremental`` profiles the dev-loop rebuild after editing one post instead.
"""

import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(BENCH))

PLUGIN = str(ROOT / "plugins" / "gratitude_press") + os.sep
PHASES = {
    "reading (Markdown and metadata)": ("readers.py", "read_file"),
    "articles context": ("generators.py", "generate_context"),
    "writing pages (Pelican + Jinja)": ("writers.py", "write_file"),
    "Jinja render": ("environment.py", "render"),
    "Python-Markdown convert": ("core.py", "convert"),
    "BeautifulSoup parsing": ("bs4/__init__.py", "__init__"),
    "subprocesses (pagefind)": ("subprocess.py", "run"),
}


def concern_of(filename):
    if filename.startswith(PLUGIN):
        concern = filename[len(PLUGIN) :].split(os.sep, 1)[0].removesuffix(".py")
        return "reader (all Markdown reading)" if concern == "reader" else concern
    return None


def by_concern(stats):
    """CPU seconds of each concern's entry points (called from outside the kit)."""
    totals = defaultdict(float)
    for (filename, _line, _name), (
        _,
        _,
        _,
        _cumulative,
        callers,
    ) in stats.stats.items():
        concern = concern_of(filename)
        if concern is None:
            continue
        outside = [c for c in callers if concern_of(c[0]) != concern]
        if outside and not any(concern_of(c[0]) for c in outside):
            totals[concern] += sum(callers[c][3] for c in outside)
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def phase_totals(stats):
    totals = {}
    for label, (file_end, function) in PHASES.items():
        totals[label] = sum(
            value[3]
            for (filename, _, name), value in stats.stats.items()
            if filename.endswith(file_end) and name == function
        )
    return totals


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings")
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--save", type=Path, help="write the report here too")
    args = parser.parse_args(argv)

    from corpus import edit_post
    from pelican import Pelican
    from pelican.log import init
    from pelican.settings import read_settings

    init(level=logging.ERROR)
    output = BENCH / "work" / "out-profile"
    overrides = {"OUTPUT_PATH": str(output)}
    pelican = Pelican(read_settings(args.settings, override=overrides))
    profiler = cProfile.Profile(time.process_time)
    post = None
    if args.incremental:
        pelican.run()
        posts = sorted(Path(pelican.settings["PATH"], "posts").glob("*.md"))
        post = posts[len(posts) // 2]
        original = post.read_bytes()
        edit_post(post)
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        profiler.enable()
        pelican.run()
        profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        if post is not None:
            post.write_bytes(original)

    stats = pstats.Stats(profiler)
    report = io.StringIO()
    report.write(
        f"{'rebuild after one edit' if args.incremental else 'cold build'}: "
        f"{cpu:.2f} s CPU in this process (profiled), {wall:.2f} s wall\n\n"
    )
    report.write("phases (CPU s, overlapping):\n")
    for label, seconds in phase_totals(stats).items():
        report.write(f"  {seconds:7.2f}  {label}\n")
    report.write("\nconcerns (CPU s of their entry points):\n")
    for concern, seconds in by_concern(stats).items():
        report.write(f"  {seconds:7.2f}  {concern}\n")
    for order in ("cumulative", "tottime"):
        stats.stream = report
        stats.sort_stats(order).print_stats(args.top)
    text = report.getvalue()
    print(text)
    if args.save:
        args.save.write_text(text)
        stats.dump_stats(str(args.save.with_suffix(".prof")))


if __name__ == "__main__":
    main()
