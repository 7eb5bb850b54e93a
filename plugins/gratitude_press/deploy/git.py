"""A git branch (GitHub or Codeberg Pages): ghp-import writes one commit, git pushes it.

The commit is made in a bare repository of the deploy's own (``workdir``), never in
the kit's checkout: ``GIT_DIR`` points every git command at it, ghp-import's too.
ghp-import builds on the remote-tracking branch and does not fetch, so we fetch the
branch's tip first (``--depth 1``: the history of a Pages branch is of no use here).
A push lands whole or not at all, so a failed deploy leaves the branch as it was.
"""

import os
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from . import core, local

REMOTE = "origin"
COMMITTER = "Gratitude Press"


def deploy(target, output, files, siteurl, dry_run) -> core.Plan:
    if (output / ".git").exists():
        raise core.DeployError(
            f"{output}/.git: a git folder inside the site would "
            "land on the branch (take .git out of "
            "OUTPUT_RETENTION: this target keeps its own history)"
        )
    repo = Repository(target, siteurl)
    remote_tip = repo.fetch()
    tree = (
        core.parse_ls_tree(repo.git("ls-tree", "-r", "-z", repo.tracking))
        if remote_tip
        else {}
    )
    plan = core.plan_tree(files, tree, extras(target))
    if dry_run or plan.empty:
        return plan
    repo.commit(
        output, core.commit_message(siteurl, plan, source_revision()), remote_tip
    )
    repo.push()
    return plan


def extras(target) -> list:
    """The files ghp-import adds to the branch besides output/."""
    found = [local.extra_file(".nojekyll", b"")] if target.nojekyll else []
    if target.cname:
        found.append(local.extra_file("CNAME", target.cname.encode()))
    return found


def source_revision() -> str:
    """The kit checkout's commit, for the deploy's commit message ("" if none)."""
    env = {name: value for name, value in os.environ.items() if name != "GIT_DIR"}
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        text=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else ""


class Repository:
    """The deploy's own bare repository, with the target as its ``origin``."""

    def __init__(self, target, siteurl):
        self.target = target
        self.path = Path(target.workdir).resolve()
        self.branch = f"refs/heads/{target.branch}"
        self.tracking = f"refs/remotes/{REMOTE}/{target.branch}"
        self.env = self._environment(siteurl)
        self._prepare()

    def _environment(self, siteurl) -> dict:
        env = {**os.environ, "GIT_DIR": str(self.path), "GIT_TERMINAL_PROMPT": "0"}
        ssh = self.target.ssh
        if ssh.identity or ssh.known_hosts:
            env["GIT_SSH_COMMAND"] = shlex.join(core.ssh_command(ssh))
        # ghp-import would otherwise commit as " <>" on a machine without git config.
        env.setdefault("GIT_COMMITTER_NAME", COMMITTER)
        host = urlsplit(siteurl).hostname or "localhost"
        env.setdefault("GIT_COMMITTER_EMAIL", f"deploy@{host}")
        return env

    def run(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", *args],
            env=self.env,
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            check=False,
        )

    def git(self, *args) -> str:
        """git's output; a failure is one line with git's own last words."""
        result = self.run(*args)
        if result.returncode != 0:
            raise core.DeployError(
                f"{self.target.describe()}: git {args[0]} failed: "
                f"{_last_line(result.stderr)}"
            )
        return result.stdout

    def ref(self, name) -> str:
        return self.run("rev-parse", "--verify", "--quiet", name).stdout.strip()

    def _prepare(self):
        if (
            self.path.exists()
            and any(self.path.iterdir())
            and not (self.path / "HEAD").is_file()
        ):
            raise core.DeployError(
                f"{self.path}: not the deploy's git repository "
                "(choose an empty folder for DEPLOY['workdir'])"
            )
        if not (self.path / "HEAD").is_file():
            self.git("init", "--bare", "--quiet")
        remote = self.target.remote
        if "://" not in remote and Path(remote).exists():
            remote = str(Path(remote).resolve())  # GIT_DIR moves relative paths
        current = self.run("remote", "get-url", REMOTE).stdout.strip()
        if not current:
            self.git("remote", "add", REMOTE, remote)
        elif current != remote:
            self.git("remote", "set-url", REMOTE, remote)

    def fetch(self):
        """The branch's tip online, fetched; None when the branch does not exist."""
        listed = self.run("ls-remote", "--exit-code", REMOTE, self.branch)
        if listed.returncode == 2:  # reached the remote: no such branch yet
            for ref in (self.tracking, self.branch):
                self.run("update-ref", "-d", ref)
            return None
        if listed.returncode != 0:
            raise core.DeployError(
                f"{self.target.describe()}: cannot reach the "
                f"remote: {_last_line(listed.stderr)}"
            )
        self.git(
            "fetch",
            "--quiet",
            "--depth",
            "1",
            REMOTE,
            f"+{self.branch}:{self.tracking}",
        )
        return listed.stdout.split()[0]

    def commit(self, output, message, remote_tip):
        """One commit holding exactly output/ (plus CNAME, .nojekyll), by ghp-import."""
        command = [
            sys.executable,
            "-m",
            "ghp_import",
            "--branch",
            self.target.branch,
            "--remote",
            REMOTE,
            "--message",
            message,
        ]
        if self.target.nojekyll:
            command.append("--no-jekyll")
        if self.target.cname:
            command += ["--cname", self.target.cname]
        result = subprocess.run(
            [*command, str(output.resolve())],
            env=self.env,
            cwd=self.path,
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            check=False,
        )
        # ghp-import reports a failed fast-import on stdout and exits 0: check the ref.
        made = self.ref(self.branch) not in ("", remote_tip)
        if (
            result.returncode != 0
            or not made
            or self.ref(f"{self.branch}^") != (remote_tip or "")
        ):
            said = _last_line(result.stderr) or _last_line(result.stdout)
            raise core.DeployError(
                f"{self.target.describe()}: ghp-import made no "
                f"commit: {said or 'no reason given'}; nothing was "
                "pushed"
            )

    def push(self):
        pushed = self.run("push", "--porcelain", REMOTE, f"{self.branch}:{self.branch}")
        if pushed.returncode != 0:
            reason = _push_reason(pushed.stdout) or _last_line(pushed.stderr)
            raise core.DeployError(
                f"{self.target.describe()}: the push was refused ({reason}); the "
                "branch online is unchanged (a push lands whole or not at all); run "
                "deploy again"
            )


def _push_reason(porcelain) -> str:
    """The reason on the porcelain line of the refused ref ("" when there is none)."""
    for line in porcelain.splitlines():
        if line.startswith("!"):
            return line.split("\t")[-1].strip()
    return ""


def _last_line(text) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""
