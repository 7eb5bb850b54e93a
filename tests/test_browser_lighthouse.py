"""Lighthouse 12.2.3 on Debian's Chromium: home, a post and an episode.

Accessibility, best practices and SEO must score 100, performance at least 90 (it is
measured time and the machine may be shared; these pages usually score 100): with Lighthouse's default
mobile emulation (simulated slow 4G, 4x CPU slowdown) these pages paint in about
0.8-1.1 s, far inside the 1.8 s at which first paint starts to cost points.
The JSON and HTML reports are kept in test-results/lighthouse/. One Chrome and one Node
process audit the three pages in turn (browser/lighthouse.mjs), on one xdist worker.
Performance alone varies from run to run with the CPU the page gets: a page under 100
is audited twice more and judged on the median of its three runs.
"""

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from browser import chromium
from browser.pages import LIGHTHOUSE_PAGES, TEMPLATE_PAGES

from conftest import ROOT

# One worker runs the three audits one after another (xdist_group): two Lighthouse
# runs side by side would share the CPU their performance scores measure.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.xdist_group("lighthouse"),
    pytest.mark.skipif(not chromium.available(), reason="Chromium is not installed"),
    pytest.mark.skipif(not shutil.which("node"), reason="node is not installed"),
]

LIGHTHOUSE = ROOT / "node_modules/lighthouse"
RUNNER = Path(__file__).resolve().parent / "browser/lighthouse.mjs"
REPORTS = ROOT / "test-results/lighthouse"
GATED = ("performance", "accessibility", "best-practices", "seo")
# Performance is measured time, and the machine may be shared: it must be in
# Lighthouse's "good" band; the other three are properties of the page and must be 100.
GOOD_PERFORMANCE = 90


def meets_the_bar(scores):
    return scores["performance"] >= GOOD_PERFORMANCE and all(
        scores[name] == 100 for name in GATED if name != "performance"
    )


def _lighthouse(site_url, runs):
    """Audit ``{report name: page kind}`` with one Chrome and one Node process
    (browser/lighthouse.mjs), the pages one after the other; the reports by name."""
    result = subprocess.run(
        [
            "node",
            str(RUNNER),
            str(REPORTS),
            *(
                f"{name}={site_url}/{TEMPLATE_PAGES[kind]}"
                for name, kind in runs.items()
            ),
        ],
        env={
            **os.environ,
            "CHROME_PATH": chromium.CHROMIUM,
            "CHROME_FLAGS": " ".join(["--headless=new", *chromium.ARGS]),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    reports = {}
    for name, kind in runs.items():
        report = json.loads((REPORTS / f"{name}.report.json").read_text())
        # This run's report: the server's port is new in every run.
        assert report["finalDisplayedUrl"] == f"{site_url}/{TEMPLATE_PAGES[kind]}"
        assert not report.get("runtimeError"), report.get("runtimeError")
        reports[name] = report
    return reports


def scores_of(report):
    return {
        name: round(category["score"] * 100)
        for name, category in report["categories"].items()
    }


@pytest.fixture(scope="module")
def reports(site_url):
    """Every page of LIGHTHOUSE_PAGES audited once; a page whose performance score is
    under 100 is audited twice more, and performance is then judged on the median of
    its three runs (Lighthouse's advice for its run-to-run variance: its simulated
    timings scale with the CPU time the page got, which other processes share)."""
    if not LIGHTHOUSE.exists():
        pytest.skip("npm lighthouse is not installed")
    REPORTS.mkdir(parents=True, exist_ok=True)
    first = _lighthouse(site_url, {kind: kind for kind in LIGHTHOUSE_PAGES})
    again = [
        kind for kind in LIGHTHOUSE_PAGES if scores_of(first[kind])["performance"] < 100
    ]
    more = (
        _lighthouse(
            site_url, {f"{kind}-run{run}": kind for kind in again for run in (2, 3)}
        )
        if again
        else {}
    )
    return {
        kind: [
            first[kind],
            *(more[f"{kind}-run{run}"] for run in (2, 3) if f"{kind}-run{run}" in more),
        ]
        for kind in LIGHTHOUSE_PAGES
    }


@pytest.mark.parametrize("kind", LIGHTHOUSE_PAGES)
def test_lighthouse_scores(reports, kind):
    runs = reports[kind]
    scores = scores_of(runs[0])
    scores["performance"] = statistics.median(scores_of(r)["performance"] for r in runs)
    failing = {
        audit_id: audit["title"]
        for audit_id, audit in runs[0]["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    }
    print(
        f"lighthouse {kind}: {scores} (performance of each run: "
        f"{[scores_of(r)['performance'] for r in runs]})"
    )
    assert meets_the_bar(scores), (scores, failing)
