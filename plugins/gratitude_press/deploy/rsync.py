"""rsync over SSH: the command comes from ``core.rsync_command``; this runs it."""

import shutil
import subprocess

from . import core, local

# rsync's exit codes worth a sentence of their own (man rsync, EXIT VALUES).
EXIT_CODES = {
    5: "the server refused the rsync session",
    10: "error in socket I/O",
    11: "error in file I/O on one side (disk full?)",
    12: "the connection broke during the transfer",
    23: "some files could not be transferred",
    24: "some source files vanished during the transfer",
    30: "timeout in data send/receive",
    35: "timeout waiting for the server",
    255: "ssh could not connect or log in",
}


def deploy(target, output, dry_run) -> core.Plan:
    """Run rsync (``--dry-run`` asks rsync what it would do); the Plan of its report."""
    for tool in ("rsync", "ssh"):
        if shutil.which(tool) is None:
            raise core.DeployError(
                f"{tool} is not installed (Debian: apt-get install "
                "rsync openssh-client)"
            )
    total = len(local.site_paths(output))
    result = subprocess.run(
        core.rsync_command(target, output, dry_run),
        capture_output=True,
        text=True,
        errors="replace",
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if result.returncode != 0:
        raise core.DeployError(_failure(target, result, dry_run))
    return core.parse_itemized(result.stdout, total)


def _failure(target, result, dry_run) -> str:
    code = result.returncode
    said = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    # ssh's last words ("Host key verification failed.") say most; rsync's last line is
    # only its summary ("rsync error: ... (code 12)"), the one before it the cause.
    theirs = [line for line in said if not line.startswith("rsync")]
    ours = [line for line in said if not line.startswith("rsync error:")]
    # The far end's message can be lost with the connection: then only the code says.
    cause = (theirs or ours or said or [""])[-1]
    what = f"{EXIT_CODES.get(code, 'rsync failed')} (exit {code})"
    if cause:
        what += f": {cause}"
    state = (
        "nothing was changed"
        if dry_run
        else "rsync swaps changed files in only at the end, so the site online stays "
        "whole; run deploy again to finish"
    )
    return f"{target.describe()}: {what}; {state}"
