"""``python -m gratitude_press deploy`` (``make deploy``): build for publishing, upload.

It reads ``DEPLOY`` from the publish settings, builds the site with them in strict
mode (the build runs every check; any warning stops the deploy) and uploads
``output/`` to the target. ``--no-build`` uploads what ``make publish`` left instead,
after checking that it was built for this ``SITEURL``. ``--dry-run`` lists the
uploads and deletions and changes nothing. Every problem is one line; secrets in the
environment are never printed.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pelican.settings import read_settings

from ..build import runner
from ..errors import ContentError
from ..settings import SETTINGS_FILE_KEY, SettingsSource, SettingValues
from ..sitemap import settings as sitemap_settings
from . import core, git, local, rsync
from . import settings as deploy_settings

PREFIX = "[deploy]"


def add_command(subparsers):
    parser = subparsers.add_parser(
        "deploy",
        help="build with the publish settings and upload the site",
        description="Build the site with the publish settings (strict), then upload "
        "output/ to the target in DEPLOY: rsync over SSH, a git branch "
        "(GitHub or Codeberg Pages) or S3-compatible storage.",
    )
    parser.add_argument("-s", "--settings", default="publishconf.py")
    parser.add_argument("-o", "--output", help="output folder (default: OUTPUT_PATH)")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="list the uploads and deletions; change nothing online",
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="upload the output of `make publish` as it is (refused "
        "if it was built for another SITEURL)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        return _deploy(args)
    except core.DeployError as problem:
        _say(str(problem), error=True)
        return 1
    except KeyboardInterrupt:
        _say("interrupted: run the same command again to finish", error=True)
        return 130
    except Exception as error:  # a bug must still be one line, not a traceback
        if args.debug:
            raise
        _say(
            f"{error.__class__.__name__}: {error} (rerun with --debug for a traceback)",
            error=True,
        )
        return 1


def _say(text, error=False):
    print(
        f"{PREFIX} {core.redact(text, os.environ)}",
        file=sys.stderr if error else sys.stdout,
        flush=True,
    )


def _deploy(args) -> int:
    settings, source = _read_settings(Path(args.settings), args.debug)
    config = _deploy_config(settings, source)
    siteurl = _siteurl(settings, source)
    output = Path(args.output or settings["OUTPUT_PATH"])
    if not args.no_build:
        _say(f"building with {args.settings} (strict)")
        if runner.build(args.settings, args.output, strict=True, debug=args.debug):
            raise core.DeployError(
                "the build failed (its problems are above): nothing was uploaded"
            )
    problem = local.publish_problem(output, siteurl, _sitemap_path(settings, source))
    if problem:
        raise core.DeployError(
            f"{output} {problem}: it is not a `make publish` build "
            f"for {siteurl} (run make publish, or deploy without "
            "--no-build)"
        )
    plan = _upload(config, output, siteurl, args.dry_run)
    _report(config.target, plan, args.dry_run)
    return 0


def _read_settings(settings_file: Path, debug):
    try:
        settings = read_settings(
            str(settings_file), override={SETTINGS_FILE_KEY: str(settings_file)}
        )
    except Exception as error:
        if debug:
            raise
        raise core.DeployError(
            runner.describe_settings_failure(settings_file, error)
        ) from None
    return settings, SettingsSource.of(settings)


def _deploy_config(settings, source) -> deploy_settings.DeployConfig:
    try:
        config = deploy_settings.read(
            SettingValues(settings, deploy_settings.DEFAULTS, source)
        )
    except ContentError as error:
        raise core.DeployError(str(error)) from None
    if config.target is None:
        raise core.DeployError(
            str(
                source.error(
                    "DEPLOY",
                    "is not set: there is nowhere to deploy to",
                    'e.g. DEPLOY = {"rsync": "user@host:/var/www/site/"}; see the README, '
                    "Publishing",
                )
            )
        )
    return config


def _siteurl(settings, source) -> str:
    siteurl = settings.get("SITEURL") or ""
    parts = urlsplit(siteurl)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise core.DeployError(
            str(
                source.error(
                    "SITEURL",
                    f"must be the site's absolute URL to deploy, not {siteurl!r}",
                    'e.g. SITEURL = "https://blog.example.org" in publishconf.py',
                )
            )
        )
    return siteurl.rstrip("/")


def _sitemap_path(settings, source):
    try:
        values = SettingValues(settings, sitemap_settings.DEFAULTS, source)
        return sitemap_settings.read(values).save_as or None
    except ContentError:
        return None  # the build reports it; check the home page instead


def _upload(config, output: Path, siteurl, dry_run) -> core.Plan:
    target = config.target
    if isinstance(target, deploy_settings.RsyncTarget):
        return rsync.deploy(target, output, dry_run)
    files = local.site_files(output)
    if isinstance(target, deploy_settings.GitTarget):
        return git.deploy(target, output, files, siteurl, dry_run)
    # Imported here: boto3 costs every other command (builds, tests) ~0.1 s and 8 MiB.
    from . import s3

    return s3.deploy(target, output, files, config.cache, dry_run)


def _report(target, plan, dry_run):
    _say(f"{target.describe()}: {plan.summary()}")
    for line in plan.lines():
        print(line, flush=True)
    if dry_run:
        _say("dry run: nothing was changed")
    elif plan.empty:
        _say("nothing to do: the site online is up to date")
    else:
        _say(f"done: {len(plan.uploads)} uploaded, {len(plan.deletions)} deleted")
