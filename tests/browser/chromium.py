"""Debian's Chromium driven by Playwright (never ``playwright install``: it
downloads)."""

import os
import shutil

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
)
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def available():
    return os.path.exists(CHROMIUM)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def watch(page):
    """Record every console error, page error and failed response on ``page``."""
    page.problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and page.problems.append(f"console: {message.text} ({page.url})")
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    # ERR_ABORTED is the browser dropping a request when the page navigates away.
    page.on(
        "requestfailed",
        lambda request: (
            request.failure != "net::ERR_ABORTED"
            and page.problems.append(
                f"request failed: {request.url} ({request.failure})"
            )
        ),
    )
    return page
