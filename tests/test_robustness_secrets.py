"""Secrets come only from the environment and never reach output, logs or state."""

import secrets
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_build, write_settings
from gratitude_press.checks.settings_types import check_settings

# Every secret the kit or an adopter might hand to a build through the environment.
SECRET_NAMES = (
    "DIGEST_SMTP_PASSWORD",
    "BUTTONDOWN_API_KEY",
    "MAILCHIMP_API_KEY",
    "LISTMONK_API_TOKEN",
    "PODCAST_INDEX_API_SECRET",
)
# Not the build's: tools, caches, and what other tests (xdist workers running at the
# same time) write next to the kit: screenshots and Lighthouse reports.
SKIPPED = {
    ".git",
    ".venv",
    "node_modules",
    ".pytest_cache",
    "__pycache__",
    "test-results",
}


@pytest.fixture
def values(monkeypatch):
    """Every secret set in the environment of the (in-process) build."""
    values = {
        name: f"s3cr3t-{name.lower()}-{secrets.token_hex(8)}" for name in SECRET_NAMES
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def _build(settings, output):
    return run_build(settings, output, strict=True)


def _files_written_since(folder: Path, started: float):
    for path in folder.rglob("*"):
        if SKIPPED.intersection(path.relative_to(folder).parts):
            continue
        try:
            if path.is_file() and path.stat().st_mtime >= started:
                yield path, path.read_bytes()
        except FileNotFoundError:  # a temporary file of another test, gone already
            continue


def _leaks(values, texts):
    return [
        (where, name)
        for where, text in texts
        for name, value in values.items()
        if value.encode() in text
    ]


def test_environment_secrets_never_reach_output_logs_or_state(tmp_path, values):
    started = time.time() - 1
    result = _build(ROOT / "pelicanconf.py", tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    written = list(_files_written_since(tmp_path, started))
    written += list(_files_written_since(ROOT, started))  # state files next to the kit
    assert len(written) > 50, "the build wrote almost nothing: the test proves nothing"
    texts = [("stdout/stderr", (result.stdout + result.stderr).encode())]
    texts += [(str(path), data) for path, data in written]
    assert not _leaks(values, texts)


def test_secrets_stay_out_of_error_messages_of_a_failed_build(tmp_path, values):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts/bad.md").write_text("Title: Bad\nDate: 2026-02-30\n\nBody.\n")
    settings = write_settings(
        tmp_path, content, SITEURL="https://gratitude.example", DEFAULT_PAGINATION="ten"
    )
    result = _build(settings, tmp_path / "output")
    assert result.returncode == 1
    assert "DEFAULT_PAGINATION" in result.stderr
    assert not _leaks(values, [("stderr", (result.stdout + result.stderr).encode())])


def test_a_secret_kept_in_settings_is_refused_without_showing_it(tmp_path, values):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts/fine.md").write_text("Title: Fine\nDate: 2026-03-02\n\nBody.\n")
    settings = write_settings(tmp_path, content, SITEURL="https://gratitude.example")
    settings.write_text(
        settings.read_text() + "import os\nDIGEST_SMTP_PASSWORD = "
        "os.environ['DIGEST_SMTP_PASSWORD']\n"
    )
    result = _build(settings, tmp_path / "output")
    assert result.returncode == 1
    assert "DIGEST_SMTP_PASSWORD holds a secret in the settings" in result.stderr
    assert not (tmp_path / "output").exists()
    assert not _leaks(values, [("stderr", (result.stdout + result.stderr).encode())])


def test_a_wrongly_typed_secret_setting_is_named_but_its_value_is_not(tmp_path):
    settings_file = tmp_path / "settings.py"
    settings_file.write_text("SERVICE_API_TOKEN = 918273645\n")
    problems = check_settings(
        {"SERVICE_API_TOKEN": 918273645}, settings_file, [{"SERVICE_API_TOKEN": ""}]
    )
    assert [p.line for p in problems] == [1]
    assert "SERVICE_API_TOKEN must be text" in str(problems[0])
    assert "918273645" not in str(problems[0])
