"""Deploying to a git branch (GitHub or Codeberg Pages) in a local bare repository.

What arrived is read in the bare repository: the branch's tree and blobs, its
commits (one per deploy that changed something), and the files each commit touched.
"""

import hashlib
import shutil
import subprocess

import pytest
from deploy_support import build_versions, changed, deploy, deploy_settings, tree

pytestmark = [
    pytest.mark.skipif(not shutil.which("git"), reason="git is not installed"),
    pytest.mark.xdist_group("deploy-git"),  # one worker builds the site for all
]
EXTRAS = {".nojekyll": b"", "CNAME": b"blog.gratitude.example"}


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    return build_versions(tmp_path_factory)


@pytest.fixture
def remote(tmp_path):
    subprocess.run(
        ["git", "init", "--quiet", "--bare", str(tmp_path / "site.git")], check=True
    )
    return tmp_path / "site.git"


@pytest.fixture
def settings(tmp_path, remote):
    return deploy_settings(
        tmp_path / "kit",
        {
            "git": str(remote),
            "branch": "gh-pages",
            "cname": "blog.gratitude.example",
            "workdir": str(tmp_path / "work"),
        },
    )


def git(remote, *args) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(remote), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def branch_tree(remote, branch="gh-pages") -> dict:
    """{path: sha256} of the files on the branch, read from the repository."""
    found = {}
    for path in git(remote, "ls-tree", "-r", "-z", "--name-only", branch).split("\0"):
        if path:
            data = subprocess.run(
                [
                    "git",
                    "--git-dir",
                    str(remote),
                    "cat-file",
                    "blob",
                    f"{branch}:{path}",
                ],
                check=True,
                capture_output=True,
            ).stdout
            found[path] = hashlib.sha256(data).hexdigest()
    return found


def expected(output) -> dict:
    return {
        **tree(output),
        **{path: hashlib.sha256(data).hexdigest() for path, data in EXTRAS.items()},
    }


def commits(remote, branch="gh-pages") -> list:
    """(id, parents, subject, committer) of the branch, newest first."""
    log = git(remote, "log", "--format=%H|%P|%s|%cn <%ce>", branch)
    return [line.split("|") for line in log.splitlines()]


def test_the_branch_gets_exactly_the_site_plus_cname_and_nojekyll_in_one_commit(
    versions, settings, remote
):
    result = deploy(settings, versions["v1"])
    assert result.returncode == 0, result.stderr
    assert branch_tree(remote) == expected(versions["v1"])
    git_show = git(remote, "show", "gh-pages:CNAME")
    assert git_show == "blog.gratitude.example"
    [(_, parents, subject, committer)] = commits(remote)
    assert parents == ""
    total = len(expected(versions["v1"]))
    assert subject.startswith(
        f"Deploy https://gratitude.example: {total} new, 0 changed"
    )
    assert committer == "Gratitude Press <deploy@gratitude.example>"  # never " <>"


def test_each_deploy_is_one_commit_holding_only_the_changed_files(
    versions, settings, remote
):
    assert deploy(settings, versions["v1"]).returncode == 0
    [(first, *_)] = commits(remote)
    result = deploy(settings, versions["v2"])
    assert result.returncode == 0, result.stderr
    [(second, parent, subject, _), _] = commits(remote)
    assert parent == first

    def touched(kinds):
        return set(
            git(
                remote, "diff", "--name-only", f"--diff-filter={kinds}", first, second
            ).split()
        )

    assert touched("AM") == changed(versions["v1"], versions["v2"])
    assert "2026/first-light/index.html" in touched("M")
    # pagefind names its index files after their content: the old ones go.
    gone = set(tree(versions["v1"])) - set(tree(versions["v2"]))
    assert touched("D") == gone and gone
    assert subject.startswith(
        f"Deploy https://gratitude.example: {len(touched('A'))} "
        f"new, {len(touched('M'))} changed, {len(gone)} removed"
    )
    assert branch_tree(remote) == expected(versions["v2"])


def test_a_removed_post_disappears_from_the_branch(versions, settings, remote):
    assert deploy(settings, versions["v2"]).returncode == 0
    result = deploy(settings, versions["v3"])
    assert result.returncode == 0, result.stderr
    assert "2026/second-wind/index.html" not in branch_tree(remote)
    assert branch_tree(remote) == expected(versions["v3"])
    assert "  delete  2026/second-wind/index.html" in result.stdout.splitlines()


def test_an_unchanged_site_makes_no_commit(versions, settings, remote):
    assert deploy(settings, versions["v1"]).returncode == 0
    again = deploy(settings, versions["v1"])
    assert again.returncode == 0, again.stderr
    assert "nothing to do" in again.stdout
    assert len(commits(remote)) == 1


def test_a_refused_push_leaves_the_branch_as_it_was_and_a_rerun_completes_it(
    versions, settings, remote
):
    assert deploy(settings, versions["v2"]).returncode == 0
    before = commits(remote)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'quota exceeded' >&2\nexit 1\n")
    hook.chmod(0o755)
    failed = deploy(settings, versions["v3"])
    assert failed.returncode == 1
    assert len(failed.stderr.strip().splitlines()) == 1
    assert "push was refused" in failed.stderr and "run deploy again" in failed.stderr
    assert commits(remote) == before
    assert branch_tree(remote) == expected(versions["v2"])
    hook.unlink()
    again = deploy(settings, versions["v3"])
    assert again.returncode == 0, again.stderr
    after = commits(remote)
    assert len(after) == len(before) + 1 and after[0][1] == before[0][0]
    assert branch_tree(remote) == expected(versions["v3"])


def test_dry_run_lists_the_changes_and_pushes_nothing(versions, settings, remote):
    assert deploy(settings, versions["v2"]).returncode == 0
    before = commits(remote)
    result = deploy(settings, versions["v3"], "--dry-run")
    assert result.returncode == 0, result.stderr
    assert commits(remote) == before
    uploads = {
        line.split()[1]
        for line in result.stdout.splitlines()
        if line.startswith("  upload")
    }
    assert uploads == changed(versions["v2"], versions["v3"])
    assert "dry run: nothing was changed" in result.stdout


def test_codeberg_pages_branch_without_jekyll_or_cname(tmp_path, versions, remote):
    settings = deploy_settings(
        tmp_path / "kit",
        {
            "git": str(remote),
            "branch": "pages",
            "nojekyll": False,
            "workdir": str(tmp_path / "work"),
        },
    )
    result = deploy(settings, versions["v1"])
    assert result.returncode == 0, result.stderr
    assert branch_tree(remote, "pages") == tree(versions["v1"])
    assert git(remote, "branch", "--list").split() == ["pages"]
