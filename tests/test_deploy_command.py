"""The deploy command itself: it builds first, refuses what is not a publish build,
reports bad settings in one line without their secrets; plus `make deploy` and the
scheduled CI workflow that runs it."""

import re
import shutil
import subprocess

import pytest
import yaml
from deploy_support import deploy, deploy_settings, tree

from conftest import ROOT, Site, run_build, run_command, write_settings

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
needs_git = pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def bare_repository(folder):
    subprocess.run(["git", "init", "--quiet", "--bare", str(folder)], check=True)
    return folder


def git_target(tmp_path):
    return {
        "git": str(bare_repository(tmp_path / "site.git")),
        "workdir": str(tmp_path / "work"),
    }


def line_of(settings, name) -> int:
    lines = settings.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f"{name} ="))


@pytest.mark.parametrize(
    ("deploy_value", "expected", "secret"),
    [
        ({}, "DEPLOY is not set: there is nowhere to deploy to", None),
        (
            {"rsync": "deploy@example.org:/srv/www/", "password": "hunter2-Secret"},
            "DEPLOY has an unknown key 'password' for the rsync target",
            "hunter2-Secret",
        ),
        (
            {"git": "https://ghp_T0kenT0kenT0ken@github.com/me/site.git"},
            'DEPLOY ["git"] holds a password or token in its URL',
            "ghp_T0kenT0kenT0ken",
        ),
        (
            {"git": "https://me:hunter2-Secret@codeberg.org/me/pages.git"},
            'DEPLOY ["git"] holds a password or token in its URL',
            "hunter2-Secret",
        ),
        (
            {"rsync": "deploy@example.org:/srv/www/", "port": "22"},
            'DEPLOY ["port"] must be a port number',
            None,
        ),
        ({"rsync": "/srv/www/"}, 'DEPLOY ["rsync"] must be user@host:/path/', None),
        (
            {"s3": "s3://Not_A_Bucket/x"},
            'DEPLOY ["s3"] must be s3://bucket/prefix',
            None,
        ),
        ({"git": "x", "s3": "y"}, "DEPLOY needs exactly one target key", None),
    ],
)
def test_bad_deploy_settings_are_one_line_naming_the_line_never_the_secret(
    tmp_path, deploy_value, expected, secret
):
    settings = deploy_settings(tmp_path, deploy_value)
    (tmp_path / "output").mkdir()
    line = one_line(deploy(settings, tmp_path / "output"))
    assert f"{settings}:{line_of(settings, 'DEPLOY')}: {expected}" in line
    if secret:
        assert secret not in line


def test_a_relative_siteurl_cannot_be_deployed(tmp_path):
    settings = deploy_settings(
        tmp_path, {"rsync": "u@example.org:/srv/www/"}, SITEURL="", RELATIVE_URLS=True
    )
    line = one_line(deploy(settings, tmp_path / "output"))
    assert (
        f"{settings}:{line_of(settings, 'SITEURL')}: SITEURL must be the site's "
        "absolute URL to deploy" in line
    )


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    return Site(tmp_path_factory.mktemp("command-site"), template="basic")


@needs_git
@pytest.mark.parametrize(
    ("build_settings", "why"),
    [
        (
            {"base": "pelicanconf", "SITEURL": "", "RELATIVE_URLS": True},
            "has a sitemap.xml for /, not for https://gratitude.example",
        ),  # make html
        (
            {"base": "publishconf", "SITEURL": "https://staging.gratitude.example"},
            (
                "has a sitemap.xml for https://staging.gratitude.example/, not for "
                "https://gratitude.example"
            ),
        ),
    ],
)
def test_no_build_refuses_an_output_not_built_by_publish_for_this_siteurl(
    tmp_path, basic, build_settings, why
):
    base = build_settings.pop("base")
    built = run_build(
        write_settings(tmp_path, basic.content, base=base, **build_settings),
        tmp_path / "output",
    )
    assert built.returncode == 0, built.stderr
    target = git_target(tmp_path)
    line = one_line(
        deploy(deploy_settings(tmp_path / "kit", target), tmp_path / "output")
    )
    assert f"{tmp_path / 'output'} {why}: it is not a `make publish` build" in line
    assert not (tmp_path / "work").exists()  # refused before touching the target


@needs_git
def test_deploy_builds_with_the_publish_settings_then_uploads(tmp_path, basic):
    target = git_target(tmp_path)
    settings = write_settings(
        tmp_path, basic.content, base="publishconf", DEPLOY=target
    )
    output = tmp_path / "output"
    result = run_command(["deploy", "-s", settings, "-o", output])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "building with" in result.stdout
    assert (output / "sitemap.xml").read_text().count(
        "<loc>https://gratitude.example/"
    ) > 3
    listed = subprocess.run(
        ["git", "--git-dir", target["git"], "ls-tree", "-r", "--name-only", "gh-pages"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(listed) == sorted([*tree(output), ".nojekyll"])


@needs_git
def test_a_failed_build_uploads_nothing(tmp_path):
    site = Site(tmp_path, template="basic")
    site.write(
        "posts/broken.md",
        """
        Title: Broken
        Date: 2026-03-02 09:00

        See [the missing post]({filename}/posts/missing.md).
        """,
    )
    target = git_target(tmp_path)
    settings = write_settings(tmp_path, site.content, base="publishconf", DEPLOY=target)
    result = run_command(["deploy", "-s", settings, "-o", tmp_path / "output"])
    assert result.returncode == 1
    assert (
        "[deploy] the build failed (its problems are above): nothing was "
        "uploaded" in result.stderr
    )
    assert "broken.md" in result.stderr
    heads = subprocess.run(
        ["git", "--git-dir", target["git"], "branch", "--list"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert heads == ""


def test_a_deploy_setting_of_the_wrong_type_stops_the_build(tmp_path, basic):
    settings = write_settings(
        tmp_path, basic.content, base="publishconf", DEPLOY="user@example.org:/srv/www/"
    )
    result = run_build(settings, tmp_path / "output")
    assert result.returncode == 1
    assert (
        f"{settings}:{line_of(settings, 'DEPLOY')}: DEPLOY must be a dictionary"
        in result.stderr
    )


def test_make_deploy_runs_the_command_with_the_publish_settings():
    dry = subprocess.run(
        ["make", "-n", "deploy", "DEPLOY_ARGS=--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "gratitude-press deploy -s publishconf.py --dry-run" in dry


# --- the scheduled workflow -------------------------------------------------------


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text())


def steps(workflow):
    [job] = workflow["jobs"].values()
    return job["steps"]


def test_the_workflow_runs_daily_and_on_push(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*")
    assert 0 <= int(minute) < 60 and 0 <= int(hour) < 24
    assert "main" in triggers["push"]["branches"]


def test_the_workflow_caches_the_venv_builds_then_deploys(workflow):
    found = steps(workflow)
    uses = [step.get("uses", "") for step in found]
    assert any(use.startswith("actions/checkout@") for use in uses)
    python = next(
        step
        for step in found
        if step.get("uses", "").startswith("actions/setup-python@")
    )
    assert python["with"]["python-version"] == "3.11"
    cache = next(
        step for step in found if step.get("uses", "").startswith("actions/cache@")
    )
    assert cache["with"]["path"] == ".venv"
    assert "hashFiles('requirements.txt')" in cache["with"]["key"]
    runs = [step.get("run", "") for step in found]
    publish = runs.index("make publish")
    deploy_step = next(n for n, run in enumerate(runs) if run.startswith("make deploy"))
    assert publish < deploy_step
    assert "--no-build" in runs[deploy_step]  # uploads what make publish checked


def test_the_workflow_names_its_secrets_and_stores_none(workflow):
    text = WORKFLOW.read_text()
    named = set(re.findall(r"\$\{\{\s*secrets\.([A-Z0-9_]+)\s*\}\}", text))
    assert named == {
        "DEPLOY_SSH_KEY",
        "DEPLOY_KNOWN_HOSTS",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    }
    for step in steps(workflow):
        for name, value in (step.get("env") or {}).items():
            if re.search(r"KEY|SECRET|TOKEN|PASSWORD|KNOWN_HOSTS", name):
                assert value == f"${{{{ secrets.{name} }}}}", name
    for leak in (
        r"-----BEGIN",
        r"AKIA[0-9A-Z]{16}",
        r"ssh-(ed25519|rsa) AAAA",
        r"ghp_[A-Za-z0-9]{20,}",
        r"https://[^/\s]+:[^@\s]+@",
    ):
        assert not re.search(leak, text), leak
