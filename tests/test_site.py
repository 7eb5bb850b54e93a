"""The site kit foundation: real builds, asserted on the real output."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Site, write_settings


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def basic_built(tmp_path_factory):
    """The basic site, built once for the tests that only read its output."""
    site = Site(tmp_path_factory.mktemp("basic"), template="basic")
    result = site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_index_lists_posts_newest_first(basic_built):
    titles = [
        a.get_text()
        for a in soup(basic_built.output / "index.html").select("article h2 a")
    ]
    assert titles == ["Written with front matter", "Second wind", "First light"]


def test_every_post_and_page_is_written_and_drafts_are_not(basic_built):
    out = basic_built.output
    assert (out / "2026/first-light/index.html").exists()
    assert (out / "2026/second-wind/index.html").exists()
    assert (out / "about/index.html").exists()
    assert not list(out.rglob("*not-ready-yet*"))
    assert "Not ready yet" not in (out / "index.html").read_text()
    assert "Not ready yet" not in (out / "archives/index.html").read_text()


def test_yaml_front_matter_sets_metadata(basic_built):
    page = soup(basic_built.output / "2026/written-with-front-matter/index.html")
    assert page.h1.get_text() == "Written with front matter"
    assert [a.get_text() for a in page.select(".meta a")][1:] == ["trust", "yaml"]


def test_theme_assets_are_copied(basic_built):
    css = basic_built.output / "theme/css/site.css"
    assert css.read_text() == (ROOT / "theme/static/css/site.css").read_text()


def test_sample_site_has_every_post_episode_and_page(sample_site):
    titles = {}  # the <h1> of every post and episode page: the pages each parsed once
    for page in sample_site.glob("*/*/index.html"):
        h1 = soup(page).h1
        if h1:
            titles.setdefault(h1.get_text(strip=True), []).append(page)
    for folder, metadata_key in (("posts", "Title:"), ("episodes", "title:")):
        for source in (ROOT / "content" / folder).glob("*.md"):
            text = source.read_text(encoding="utf-8")
            if "Status: draft" in text or "status: draft" in text:
                assert not list(sample_site.rglob(f"{source.stem}/index.html"))
                continue
            title = next(
                line.split(":", 1)[1].strip()
                for line in text.splitlines()
                if line.startswith(metadata_key)
            )
            assert titles.get(title), (
                f"no page with the title {title!r} of {source.name}"
            )
    assert (sample_site / "about/index.html").exists()
    assert (sample_site / "newsletter/index.html").exists()


def test_strict_build_fails_on_a_template_error_and_keeps_output(basic_site, tmp_path):
    assert basic_site.build().returncode == 0
    before = (basic_site.output / "index.html").read_bytes()
    theme = tmp_path / "broken-theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates/index.html").write_text(
        "{% block content %}{{ oops( }}{% endblock %}"
    )
    result = basic_site.build(THEME=str(theme))
    assert result.returncode == 1
    assert "index.html:1" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert (basic_site.output / "index.html").read_bytes() == before


def test_strict_build_fails_on_any_warning(basic_site):
    basic_site.write(
        "posts/dup.md",
        """
        Title: Duplicate
        Date: 2026-01-07
        Date: 2026-01-08

        Two dates make Pelican warn.
    """,
    )
    result = basic_site.build()
    assert result.returncode == 1
    assert "Duplicate definition" in result.stdout + result.stderr
    assert basic_site.build(strict=False).returncode == 0


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_devserver_rebuilds_on_save(basic_site):
    """`make devserver` runs `pelican -lr`: edit a post and the served page changes."""
    port = _free_port()
    settings = write_settings(basic_site.folder, basic_site.content)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/pelican")
            if (ROOT / ".venv/bin/pelican").exists()
            else "pelican",
            "-lr",
            str(basic_site.content),
            "-o",
            str(basic_site.output),
            "-s",
            str(settings),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=basic_site.folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/2026/first-light/"
    try:
        deadline = time.monotonic() + 60
        page = ""
        # Wait for the first build: the page may be missing, or caught half-written.
        while time.monotonic() < deadline and "A short first post." not in page:
            try:
                page = _fetch(url)
            except OSError:
                pass
            time.sleep(0.3)
        assert "A short first post." in page
        post = basic_site.content / "posts/first.md"
        edited = post.read_text().replace("A short first post.", "Edited on save.")
        post.write_text(edited)
        saved = time.monotonic()
        while time.monotonic() < deadline and "Edited on save." not in page:
            time.sleep(0.3)
            page = _fetch(url)
            # Pelican watches only once a build has finished (search indexing included):
            # a save made while the first build still runs is never seen, so save again.
            if time.monotonic() - saved > 3:
                post.write_text(edited)
                saved = time.monotonic()
        assert "Edited on save." in page
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
