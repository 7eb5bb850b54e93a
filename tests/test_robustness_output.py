"""The published site is never lost: failed, killed and publish builds keep output/.

Builds run in-process (``conftest.run_build``) except where the test kills or
interrupts the build, or runs ``pelican -lr``: those need a process of their own.
"""

import os
import signal
import subprocess
import sys
import time

from test_robustness import tree_digest

from conftest import ROOT, write_settings
from gratitude_press.build import output

# A plugin that holds the build after every page was written into the staging folder,
# so the test can kill it at a known point (deterministic, unlike a big corpus).
SLOW_PLUGIN = """
import time
from pathlib import Path
from pelican import signals

def hold(pelican):
    Path(pelican.settings["OUTPUT_PATH"], "HOLDING").write_text("written")
    time.sleep(120)

def register():
    signals.finalized.connect(hold)
"""


def _good_build(site):
    result = site.build()
    assert result.returncode == 0, result.stderr
    return tree_digest(site.output)


def test_a_failed_build_leaves_output_byte_identical(basic_site):
    before = _good_build(basic_site)
    basic_site.write(
        "posts/broken.md",
        """
        Title: Broken
        Date: 2026-02-30

        An impossible date stops the build.
    """,
    )
    result = basic_site.build()
    assert result.returncode == 1
    assert tree_digest(basic_site.output) == before
    assert not list(basic_site.folder.glob(".output.*"))


def test_a_failed_publish_build_keeps_output_despite_delete_output_dir(basic_site):
    """publishconf sets DELETE_OUTPUT_DIRECTORY: Pelican alone empties output/ first."""
    before = _good_build(basic_site)
    basic_site.write("posts/broken.md", "Title: Broken\nDate: someday\n\nBody.\n")
    result = basic_site.build(base="publishconf")
    assert result.returncode == 1
    assert tree_digest(basic_site.output) == before


def test_a_publish_build_replaces_stale_files_but_keeps_retained_ones(basic_site):
    _good_build(basic_site)
    (basic_site.output / "2026/removed-post").mkdir()
    (basic_site.output / "2026/removed-post/index.html").write_text("stale")
    (basic_site.output / ".git").mkdir()
    (basic_site.output / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (basic_site.output / "CNAME").write_text("gratitude.example\n")
    result = basic_site.build(base="publishconf", OUTPUT_RETENTION=[".git", "CNAME"])
    assert result.returncode == 0, result.stderr
    assert not (basic_site.output / "2026/removed-post").exists()
    assert (basic_site.output / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (basic_site.output / "CNAME").read_text() == "gratitude.example\n"
    assert (basic_site.output / "2026/first-light/index.html").exists()


def _start_held_build(site):
    """Start a build that holds once every page is in the staging folder."""
    plugins = site.folder / "test-plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "hold_build.py").write_text(SLOW_PLUGIN)
    settings = write_settings(
        site.folder,
        site.content,
        SITEURL="https://gratitude.example",
        RELATIVE_URLS=False,
        PLUGIN_PATHS=[str(ROOT / "plugins"), str(plugins)],
        PLUGINS=["gratitude_press", "hold_build"],
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(ROOT / "plugins")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gratitude_press",
            "build",
            "-s",
            str(settings),
            "-o",
            str(site.output),
            "--strict",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    holding = []
    while time.monotonic() < deadline and not holding and process.poll() is None:
        holding = list(site.folder.glob(".output.building-*/HOLDING"))
        time.sleep(0.05)
    if not holding:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError(
            f"the build never reached the staging folder: {process.communicate()[0]}"
        )
    assert (holding[0].parent / "2026/first-light/index.html").exists()
    return process


def test_a_build_killed_mid_way_leaves_output_and_the_next_build_recovers(basic_site):
    before = _good_build(basic_site)
    process = _start_held_build(basic_site)
    os.kill(process.pid, signal.SIGKILL)  # kill -9 of the build, as a crash would
    process.communicate(timeout=10)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # and any worker it left behind
    except ProcessLookupError:
        pass
    assert process.returncode == -signal.SIGKILL
    assert tree_digest(basic_site.output) == before
    assert list(basic_site.folder.glob(".output.building-*")), "nothing to recover from"

    basic_site.write(
        "posts/third.md", "Title: After the crash\nDate: 2026-03-01\n\nNew.\n"
    )
    result = basic_site.build()
    assert result.returncode == 0, result.stderr
    assert (basic_site.output / "2026/after-the-crash/index.html").exists()
    assert not list(basic_site.folder.glob(".output.*")), "stale staging folder left"


def test_ctrl_c_stops_the_build_cleanly_and_keeps_output(basic_site):
    before = _good_build(basic_site)
    process = _start_held_build(basic_site)
    os.killpg(process.pid, signal.SIGINT)
    log = process.communicate(timeout=30)[0]
    assert process.returncode == 130, log
    assert "build interrupted" in log and "Traceback" not in log
    assert tree_digest(basic_site.output) == before
    assert not list(basic_site.folder.glob(".output.*"))


def test_recover_restores_output_killed_between_the_two_renames(tmp_path):
    final = tmp_path / "output"
    previous = output.previous_path(final)
    previous.mkdir()
    (previous / "index.html").write_text("the live site")
    output.recover(final)
    assert (final / "index.html").read_text() == "the live site"
    assert not previous.exists()


def test_recover_leaves_the_staging_folder_of_a_running_build_alone(tmp_path):
    final = tmp_path / "output"
    final.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        running = final.with_name(f".output.building-{sleeper.pid}")
        running.mkdir()
        dead = final.with_name(".output.building-999999999")
        dead.mkdir()
        output.recover(final)
        assert running.exists()
        assert not dead.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url):
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def test_devserver_keeps_serving_and_explains_a_bad_save(basic_site, tmp_path):
    """`make devserver` (pelican -lr) writes in place: a bad save must not take pages
    away, and its log gets the same one-line message as the build command."""
    port = _free_port()
    settings = write_settings(basic_site.folder, basic_site.content)
    log = tmp_path / "devserver.log"
    pelican = ROOT / ".venv/bin/pelican"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["COLUMNS"] = "400"  # Rich wraps long lines at the terminal width
    with log.open("w") as sink:
        process = subprocess.Popen(
            [
                str(pelican) if pelican.exists() else "pelican",
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
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/2026/first-light/"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "A short first post." not in _fetch(url):
            time.sleep(0.3)
        assert "A short first post." in _fetch(url)
        post = basic_site.content / "posts/first.md"
        broken = post.read_text().replace(
            "Date: 2026-01-05 09:00", "Date: 2026-01-32 09:00"
        )
        while (
            time.monotonic() < deadline
            and "posts/first.md:2: date:" not in log.read_text()
        ):
            post.write_text(broken)  # again: the watcher may start after the first save
            time.sleep(2)
        assert (
            "posts/first.md:2: date: '2026-01-32 09:00' is not a valid date"
            in log.read_text()
        )
        assert "A short first post." in _fetch(url), "a bad save took the page away"
        assert "Traceback" not in log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_an_output_folder_that_holds_the_content_is_refused(basic_site):
    """The swap replaces the whole output folder: `-o .` must not throw content away."""
    from conftest import run_build

    settings = write_settings(basic_site.folder, basic_site.content)
    before = tree_digest(basic_site.folder)
    result = run_build(settings, basic_site.folder)
    assert result.returncode == 1
    assert "the output folder holds" in result.stderr and "-o output" in result.stderr
    assert tree_digest(basic_site.folder) == before


def test_pelicans_fatal_warnings_flag_is_strict_mode(basic_site):
    from conftest import run_build, run_command

    basic_site.write(
        "posts/twice.md", "Title: Twice\nDate: 2026-03-02\nDate: 2026-03-03\n\nx\n"
    )
    settings = write_settings(basic_site.folder, basic_site.content)
    lenient = run_build(settings, basic_site.output, strict=False)
    assert lenient.returncode == 0, lenient.stderr
    before = tree_digest(basic_site.output)
    fatal = run_command(
        ["build", "-s", settings, "-o", basic_site.output, "--fatal", "warnings"]
    )
    assert fatal.returncode == 1
    assert "posts/twice.md:3: Duplicate definition of `date`" in fatal.stderr
    assert tree_digest(basic_site.output) == before


def test_an_undefined_value_in_a_template_names_template_and_line(basic_site, tmp_path):
    import shutil

    before = _good_build(basic_site)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    page = theme / "templates/page.html"
    lines = page.read_text().splitlines()
    line = lines.index("{% block content %}") + 2
    lines.insert(line - 1, "<p>{{ page.nothing.deeper }}</p>")
    page.write_text("\n".join(lines) + "\n")
    result = basic_site.build(THEME=str(theme))
    assert result.returncode == 1
    assert f"page.html:{line}: template error:" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_digest(basic_site.output) == before


def test_ctrl_c_while_pages_render_is_one_line(basic_site, tmp_path):
    """Ctrl-C in the middle of writing pages (a template filter is running): one line,
    exit 130, output/ untouched, no staging folder left."""
    import shutil

    before = _good_build(basic_site)
    for number in range(40):  # 40 x 0.3 s of rendering: Ctrl-C lands in the middle
        basic_site.write(
            f"posts/many-{number}.md",
            f"Title: Many {number}\nDate: 2026-02-01 09:{number:02d}\n\nx\n",
        )
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates/article.html"
    article.write_text(
        article.read_text().replace(
            "{{ article.title }}", "{{ article.title|slow }}", 1
        )
    )
    marks = tmp_path / "marks"
    marks.mkdir()
    settings = write_settings(
        basic_site.folder,
        basic_site.content,
        THEME=str(theme),
        SITEURL="https://gratitude.example",
        RELATIVE_URLS=False,
    )
    settings.write_text(
        settings.read_text()
        + (
            "import os as _os, time as _time\n"
            "def _slow(value):\n"
            f"    open(_os.path.join({str(marks)!r}, str(_os.getpid())), 'w').close()\n"
            "    _time.sleep(0.3)\n"
            "    return value\n"
            "JINJA_FILTERS = {'slow': _slow}\n"
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gratitude_press",
            "build",
            "-s",
            str(settings),
            "-o",
            str(basic_site.output),
            "--strict",
        ],
        cwd=ROOT,
        start_new_session=True,
        env={**env, "PYTHONPATH": str(ROOT / "plugins")},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(marks.iterdir()):
        time.sleep(0.02)
    time.sleep(0.5)  # well inside the 40 x 0.3 s of rendering
    os.killpg(process.pid, signal.SIGINT)
    log = process.communicate(timeout=60)[0]
    assert process.returncode == 130, log
    assert "Traceback" not in log and "build interrupted" in log, log
    assert tree_digest(basic_site.output) == before
    assert not list(basic_site.folder.glob(".output.*"))
