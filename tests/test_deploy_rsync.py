"""Deploying with rsync over SSH to a real sshd on 127.0.0.1 (Debian's openssh-server).

What arrived is read on the server's disk: the tree, the file modes, and each file's
inode (rsync writes a changed file anew and renames it into place, so an untouched
file keeps its inode: a new inode is a file that was transferred).
"""

import shutil
import stat

import pytest
from deploy_support import (
    SSHD,
    SshServer,
    broken_links,
    build_versions,
    changed,
    deploy,
    deploy_settings,
    local_pages,
    tree,
)

pytestmark = [
    pytest.mark.skipif(
        not (shutil.which("rsync") and shutil.which("ssh") and shutil.which(SSHD)),
        reason="rsync or openssh-server not installed (make test installs them)",
    ),
    pytest.mark.xdist_group("deploy-rsync"),  # one worker: one sshd, one build
]


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    return build_versions(tmp_path_factory)


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    server = SshServer(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


@pytest.fixture
def remote(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(tmp_path, sshd, remote):
    return deploy_settings(tmp_path / "kit", sshd.target(remote))


def inodes(folder):
    return {
        path.relative_to(folder).as_posix(): path.stat().st_ino
        for path in folder.rglob("*")
        if path.is_file()
    }


def uploaded(result):
    return {
        line.split()[1]
        for line in result.stdout.splitlines()
        if line.startswith("  upload")
    }


def test_the_server_gets_exactly_the_site_with_modes_a_web_server_can_read(
    versions, settings, remote
):
    result = deploy(settings, versions["v1"])
    assert result.returncode == 0, result.stderr
    assert tree(remote) == tree(versions["v1"])
    modes = {stat.S_IMODE(path.stat().st_mode) for path in remote.rglob("*")}
    assert modes == {0o644, 0o755}
    assert f"{len(tree(remote))} new, 0 changed, 0 to delete" in result.stdout


def test_a_second_deploy_after_one_edit_transfers_only_the_changed_files(
    versions, settings, remote
):
    assert deploy(settings, versions["v1"]).returncode == 0
    before = inodes(remote)
    result = deploy(settings, versions["v2"])
    assert result.returncode == 0, result.stderr
    after = inodes(remote)
    transferred = {path for path, inode in after.items() if before.get(path) != inode}
    expected = changed(versions["v1"], versions["v2"])
    assert transferred == expected
    assert 0 < len(expected) < len(after) // 2  # one edit: a few pages, feeds, index
    assert "2026/first-light/index.html" in expected
    assert uploaded(result) == expected  # the report says what was sent
    assert tree(remote) == tree(versions["v2"])


def test_a_removed_post_disappears_from_the_server(versions, settings, remote):
    assert deploy(settings, versions["v2"]).returncode == 0
    assert (remote / "2026/second-wind/index.html").exists()
    result = deploy(settings, versions["v3"])
    assert result.returncode == 0, result.stderr
    assert not (remote / "2026/second-wind").exists()
    assert "  delete  2026/second-wind/index.html" in result.stdout.splitlines()
    assert tree(remote) == tree(versions["v3"])


def test_a_failure_mid_transfer_leaves_the_old_site_whole_and_a_rerun_finishes_it(
    versions, settings, remote, sshd
):
    assert deploy(settings, versions["v2"]).returncode == 0
    with sshd.failing_writes():  # the 1 MB audio file of v3 cannot be written
        failed = deploy(settings, versions["v3"])
    assert failed.returncode == 1
    message = failed.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "run deploy again" in message and "exit 11" in message
    # The new home page was sent before the break: it waits in rsync's staging
    # folder, while the live one is still the old one.
    staged = {path for path in tree(remote) if ".~tmp~" in path}
    assert ".~tmp~/index.html" in staged and "index.html" in changed(
        versions["v2"], versions["v3"]
    )
    live = {
        path: digest for path, digest in tree(remote).items() if ".~tmp~" not in path
    }
    assert live == tree(versions["v2"])  # the old site, whole: not one file replaced
    again = deploy(settings, versions["v3"])
    assert again.returncode == 0, again.stderr
    assert tree(remote) == tree(versions["v3"])  # staging folders gone too
    online = local_pages(remote)
    assert broken_links(online, set(tree(remote))) == broken_links(
        local_pages(versions["v3"]), set(tree(versions["v3"]))
    )


def test_dry_run_lists_uploads_and_deletions_and_changes_nothing(
    versions, settings, remote
):
    assert deploy(settings, versions["v2"]).returncode == 0
    before = tree(remote), inodes(remote)
    result = deploy(settings, versions["v3"], "--dry-run")
    assert result.returncode == 0, result.stderr
    assert (tree(remote), inodes(remote)) == before
    assert uploaded(result) == changed(versions["v2"], versions["v3"])
    assert "  delete  2026/second-wind/index.html" in result.stdout.splitlines()
    assert "dry run: nothing was changed" in result.stdout


def test_an_unknown_host_key_is_refused_in_one_line(tmp_path, versions, sshd, remote):
    other = tmp_path / "known_hosts"
    other.write_text(
        f"[127.0.0.1]:{sshd.port} ssh-ed25519 "
        "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
    )
    settings = deploy_settings(
        tmp_path / "kit", {**sshd.target(remote), "known_hosts": str(other)}
    )
    result = deploy(settings, versions["v1"])
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Host key verification failed." in result.stderr
    assert tree(remote) == {}
