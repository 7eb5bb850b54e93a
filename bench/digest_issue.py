"""Time the digest build of one week, apart from the site build around it.

``python -m gratitude_press digest`` builds the whole site and then picks the issue,
so its time is a site build's. This script builds the site once, in this process,
keeps what the build hands the digest command (its ``DigestOutbox``), and then times
building the chosen week's issue again from the site's entries: selecting its items
and rendering its files (HTML email with inlined CSS, plain text, provider payloads).
Prints one JSON line with the median of ``--repeat`` timings.

    python bench/digest_issue.py SETTINGS ISSUE_ID [--repeat 5]
"""

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("settings")
    parser.add_argument("issue_id", help="the Monday of the week, e.g. 2026-11-16")
    parser.add_argument("--output", default=str(ROOT / "bench" / "work" / "out-digest"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from pelican import Pelican
    from pelican.log import init
    from pelican.settings import read_settings

    from gratitude_press.newsletter.model import build_issue
    from gratitude_press.newsletter.outbox import OUTBOX_KEY, DigestOutbox
    from gratitude_press.newsletter.render import issue_files

    init(level=logging.ERROR)
    built = DigestOutbox()  # the build fills it, as for the digest command
    Pelican(
        read_settings(
            args.settings, override={"OUTPUT_PATH": args.output, OUTBOX_KEY: built}
        )
    ).run()
    issue = next(i for i in built.issues if i.issue_id == args.issue_id)
    entries, cfg, renderer = built.entries, built.cfg, built.renderer

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        again = build_issue(issue.period, entries, cfg, issue.intro)
        issue_files(again, cfg, renderer)
        timings.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "issue": args.issue_id,
                "items": again.count,
                "seconds": statistics.median(timings),
            }
        )
    )


if __name__ == "__main__":
    main()
