"""What the browser and validator tests share: the tools' paths and axe's rules."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
# WCAG 2.1 A and AA, plus axe's best practices; only violations are reported.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
SCREENSHOTS = ROOT / "test-results/screenshots"
# A full-page screenshot does not scroll, so lazy images below the fold would stay
# blank.
LOAD_ALL_IMAGES = """() => Promise.all([...document.images].map(img => {
    img.loading = "eager";
    return img.complete ? null
        : new Promise(done => { img.onload = img.onerror = done; });
}))"""


def axe_violations(page, options=AXE_OPTIONS):
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the page (or those of
    the rules in ``options``), one line each."""
    if not page.evaluate("typeof axe !== 'undefined'"):  # not loaded by the context
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
    ]
