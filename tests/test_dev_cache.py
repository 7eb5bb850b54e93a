"""Dev builds read through Pelican's reader cache: same bytes, same messages.

``gratitude-press dev`` reads again only the files that changed since its last build
(``dev/cache.py``). A dev build after an edit, with the cache warm, must write every
file exactly as a dev build with no cache writes, and exactly what a plain build
writes apart from the dev additions (the live-reload tag, previews); and a file's
problems must be reported on every build, whether it was read or its read came from
the cache. Nothing here measures time.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_dev_server import BROKEN
from test_podcast_site import podcast_site

from conftest import SITES, Site, run_build, snapshot
from gratitude_press.build import output as output_module
from gratitude_press.build import runner
from gratitude_press.dev.cache import FOLDER_PREFIX, read_inputs_key, stable
from gratitude_press.dev.preview import DEV_SETTINGS, reload_tag
from gratitude_press.reader.markdown_reader import GratitudeMarkdownReader

NO_ALT = """\
Title: A picture
Date: 2026-03-04 08:00
Slug: a-picture

![](images/board.png)
"""
EDIT = "\nOne more sentence, added while writing.\n"


@pytest.fixture
def parsed(monkeypatch):
    """The source files the kit's reader parses (a spy: the reader is unchanged)."""
    seen = []
    parse = GratitudeMarkdownReader._parse

    def spy(reader, source_path):
        seen.append(Path(source_path).name)
        return parse(reader, source_path)

    monkeypatch.setattr(GratitudeMarkdownReader, "_parse", spy)
    return seen


def dev_build(settings, output):
    return runner.build(str(settings), output, overrides=DEV_SETTINGS)


def a_site(tmp_path):
    """Episodes (podcast metadata, chapters, transcripts) and posts with stories."""
    site = podcast_site(tmp_path / "site")
    shutil.copytree(SITES / "stories" / "posts", site.content / "posts" / "stories")
    return site


def test_a_warm_dev_build_after_an_edit_writes_what_a_cold_one_writes(tmp_path, parsed):
    site = a_site(tmp_path)
    settings = site.settings_file(
        SITEURL="", RELATIVE_URLS=True, CACHE_PATH=str(tmp_path / "cache")
    )
    assert dev_build(settings, tmp_path / "dev") == 0
    assert "guested.md" in parsed
    edited = site.content / "posts" / "stories" / "first.md"
    edited.write_text(edited.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    parsed.clear()
    assert dev_build(settings, tmp_path / "dev") == 0
    assert parsed == ["first.md"]  # every other read came from the cache
    warm = snapshot(tmp_path / "dev")
    assert "One more sentence, added while writing." in "".join(
        page.decode("utf-8", "replace") for page in warm.values()
    )

    cold_settings = site.settings_file(
        SITEURL="", RELATIVE_URLS=True, CACHE_PATH=str(tmp_path / "empty-cache")
    )
    assert dev_build(cold_settings, tmp_path / "cold") == 0
    assert warm == snapshot(tmp_path / "cold")  # every file, byte for byte

    # and a plain build of the same content, apart from the dev additions
    result = run_build(cold_settings, tmp_path / "plain", strict=False)
    assert result.returncode == 0, result.stderr
    plain = snapshot(tmp_path / "plain")
    tag = reload_tag().encode()
    for path, data in plain.items():
        if path.parts[0] == "pagefind":
            continue  # the index of pages that carry the dev additions
        assert warm[path].replace(tag, b"") == data, path


def test_a_read_problem_is_reported_on_every_build_cached_or_not(
    tmp_path, parsed, caplog
):
    site = Site(tmp_path / "site")
    site.write("posts/open-calendars.md", BROKEN)
    site.write("posts/a-picture.md", NO_ALT)
    site.write("images/board.png", "not really a picture")
    settings = site.settings_file(
        SITEURL="", RELATIVE_URLS=True, CACHE_PATH=str(tmp_path / "cache")
    )
    for build in range(2):
        caplog.clear()
        parsed.clear()
        assert dev_build(settings, tmp_path / "dev") == 1  # the error fails it
        if build:
            assert parsed == []  # both reads came from the cache
        messages = [record.getMessage() for record in caplog.records]
        assert (
            sum(
                "posts/open-calendars.md:3: YAML front matter" in line
                for line in messages
            )
            == 1
        ), messages
        assert (
            sum(
                "posts/a-picture.md:5: the image board.png has no alt text" in line
                for line in messages
            )
            == 1
        ), messages


def test_the_cache_folder_follows_what_a_read_depends_on(tmp_path):
    site = a_site(tmp_path)
    settings = {
        "PATH": str(site.content),
        "MARKDOWN": {"extension_configs": {"markdown.extensions.toc": {}}},
        "OUTPUT_PATH": "/somewhere/.output.building-123",
    }
    key = read_inputs_key(settings)
    assert read_inputs_key({**settings, "OUTPUT_PATH": "/elsewhere"}) == key
    # Pelican's reader completes MARKDOWN in place: the same settings, the same key
    completed = {
        "extension_configs": {"markdown.extensions.toc": {}},
        "extensions": ["markdown.extensions.toc", "markdown.extensions.meta"],
    }
    assert read_inputs_key({**settings, "MARKDOWN": completed}) == key
    assert read_inputs_key({**settings, "TIMEZONE": "UTC"}) != key
    # a file an episode's read opens (its transcript) is part of the key
    transcript = site.content / "transcripts" / "first.vtt"
    transcript.write_text(transcript.read_text() + "\n", encoding="utf-8")
    assert read_inputs_key(settings) != key
    # a Markdown source is not: Pelican checks each one's own hash
    post = site.content / "posts" / "hello.md"
    before = read_inputs_key(settings)
    post.write_text(post.read_text() + EDIT, encoding="utf-8")
    assert read_inputs_key(settings) == before
    assert FOLDER_PREFIX.startswith("dev-")


def test_settings_are_keyed_without_object_addresses():
    class Thing:
        pass

    assert stable({"b": [Thing()], "a": len}) == stable({"a": len, "b": [Thing()]})


def test_the_replaced_site_is_removed_after_the_swap_in_dev(tmp_path):
    site = Site(tmp_path / "site")
    site.write("posts/a-picture.md", NO_ALT.replace("![](", "![a board]("))
    settings = site.settings_file(SITEURL="", RELATIVE_URLS=True)
    output = tmp_path / "output"
    for _ in range(2):
        status = runner.build(
            str(settings), output, overrides=DEV_SETTINGS, discard_later=True
        )
        assert status == 0
    assert (output / "2026" / "a-picture" / "index.html").exists()
    # a dead process's leftover goes with the next build's recovery
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = tmp_path / f".output.discarded-{dead.pid}-0"
    (leftover / "old").mkdir(parents=True)
    output_module.recover(output)
    assert not leftover.exists()
