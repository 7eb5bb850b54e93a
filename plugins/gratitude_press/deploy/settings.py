"""Settings of the deploy concern, with their defaults (None: the default).

``DEPLOY`` ({}: no target, the command refuses and names this setting) is a dictionary
with exactly one of the keys ``rsync``, ``git`` or ``s3``, the target, plus that
target's options. No option is a password or a key: ssh reads its key from a file
(or an agent), boto3 its credentials from the environment or the AWS config files.

- rsync over SSH: ``{"rsync": "user@host:/var/www/site/"}``; options ``port``
  (a whole number), ``identity`` (path of the private key file), ``known_hosts``
  (path of a known_hosts file holding the server's key; default: ssh's own).
- a git branch (GitHub Pages, Codeberg Pages): ``{"git": "git@github.com:me/site.git"}``
  (any URL or path git can push to); options ``branch`` ("gh-pages"; Codeberg:
  "pages"), ``cname`` (a custom domain written to ``CNAME``; "" for none),
  ``nojekyll`` (True: an empty ``.nojekyll``, so GitHub serves ``_`` folders),
  ``identity`` and ``known_hosts`` (for ssh URLs, as above), ``workdir`` (the local
  clone the commits are made in; default ``<CACHE_PATH>/deploy-git``).
- S3-compatible storage: ``{"s3": "s3://bucket/optional/prefix"}``; options
  ``endpoint_url`` (R2, B2, MinIO...; default AWS), ``region``, ``profile`` (a profile
  of the AWS config files), ``addressing_style`` ("path", "virtual" or "auto";
  default "path" with an ``endpoint_url``, else "auto").

``DEPLOY_CACHE_PAGES`` ("public, max-age=300"): Cache-Control of pages, feeds, the
sitemap and other files that change in place at the same URL.
``DEPLOY_CACHE_ASSETS`` ("public, max-age=3600"): images, audio, CSS, scripts.
``DEPLOY_CACHE_FINGERPRINTED`` ("public, max-age=31536000, immutable"): files whose
name carries a hash of their content (pagefind's index), which never change.
The cache settings apply to S3 (an rsync or Pages host sets its own headers).
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULTS = {
    "DEPLOY": {},
    "DEPLOY_CACHE_PAGES": "public, max-age=300",
    "DEPLOY_CACHE_ASSETS": "public, max-age=3600",
    "DEPLOY_CACHE_FINGERPRINTED": "public, max-age=31536000, immutable",
}

TARGETS = ("rsync", "git", "s3")
SSH_KEYS = ("identity", "known_hosts")
OPTIONS = {
    "rsync": ("port",) + SSH_KEYS,
    "git": ("branch", "cname", "nojekyll", "workdir") + SSH_KEYS,
    "s3": ("endpoint_url", "region", "profile", "addressing_style"),
}
ADDRESSING = ("path", "virtual", "auto")
# user@host:path or host:path; rsync's own "::" daemon syntax is not SSH.
RSYNC_DESTINATION = re.compile(r"^(?:[^@\s:/]+@)?[^@\s:/]+:(?!:)\S*$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class SshOptions:
    port: int | None = None
    identity: str | None = None
    known_hosts: str | None = None


@dataclass(frozen=True)
class RsyncTarget:
    destination: str
    ssh: SshOptions

    def describe(self) -> str:
        return f"rsync {self.destination}"


@dataclass(frozen=True)
class GitTarget:
    remote: str
    branch: str
    cname: str
    nojekyll: bool
    workdir: str
    ssh: SshOptions

    def describe(self) -> str:
        return f"git {self.remote} ({self.branch})"


@dataclass(frozen=True)
class S3Target:
    bucket: str
    prefix: str  # "" or ending with "/"
    endpoint_url: str | None
    region: str | None
    profile: str | None
    addressing_style: str

    def describe(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"


@dataclass(frozen=True)
class CachePolicy:
    pages: str
    assets: str
    fingerprinted: str


@dataclass(frozen=True)
class DeployConfig:
    target: RsyncTarget | GitTarget | S3Target | None
    cache: CachePolicy


def read(values) -> DeployConfig:
    cache = CachePolicy(
        pages=values.text("DEPLOY_CACHE_PAGES", empty=False),
        assets=values.text("DEPLOY_CACHE_ASSETS", empty=False),
        fingerprinted=values.text("DEPLOY_CACHE_FINGERPRINTED", empty=False),
    )
    return DeployConfig(target=_target(_Deploy(values)), cache=cache)


class _Deploy:
    """The ``DEPLOY`` dictionary, each bad entry one error naming its line."""

    def __init__(self, values):
        self.values = values
        self.items = values["DEPLOY"]
        if not isinstance(self.items, dict):
            raise self.error(f"must be a dictionary, not {type(self.items).__name__}")

    def error(self, message, hint=None):
        return self.values.error("DEPLOY", message, hint)

    def text(self, key, default=None) -> str | None:
        value = self.items.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self.error(f'["{key}"] must be text in quotes, not {value!r}')
        return value

    def path(self, key) -> str | None:
        value = self.text(key)
        return None if value is None else str(Path(value).expanduser())


def _target(deploy: _Deploy):
    if not deploy.items:
        return None
    chosen = [name for name in TARGETS if name in deploy.items]
    if len(chosen) != 1:
        raise deploy.error(
            "needs exactly one target key",
            "one of: " + ", ".join(f'"{name}"' for name in TARGETS),
        )
    kind = chosen[0]
    for key in deploy.items:
        if key != kind and key not in OPTIONS[kind]:
            # Only the key is named: the value could be a password put there by mistake.
            raise deploy.error(
                f"has an unknown key {key!r} for the {kind} target",
                "allowed: " + ", ".join((kind,) + OPTIONS[kind]),
            )
    return {"rsync": _rsync, "git": _git, "s3": _s3}[kind](deploy)


def _ssh(deploy: _Deploy, port=None) -> SshOptions:
    return SshOptions(
        port=port,
        identity=deploy.path("identity"),
        known_hosts=deploy.path("known_hosts"),
    )


def _rsync(deploy: _Deploy) -> RsyncTarget:
    destination = deploy.text("rsync")
    if not RSYNC_DESTINATION.match(destination):
        raise deploy.error(
            '["rsync"] must be user@host:/path/ (rsync over SSH)',
            'e.g. "deploy@example.org:/var/www/site/"',
        )
    port = deploy.items.get("port")
    if port is not None and (
        isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536
    ):
        raise deploy.error(f'["port"] must be a port number, not {port!r}')
    return RsyncTarget(destination=destination, ssh=_ssh(deploy, port))


def _git(deploy: _Deploy) -> GitTarget:
    remote = deploy.text("git")
    _refuse_password(deploy, "git", remote)
    cname = deploy.items.get("cname") or ""
    if cname and (not isinstance(cname, str) or not DOMAIN.match(cname)):
        raise deploy.error(
            '["cname"] must be a domain name such as "blog.example.org", or ""'
        )
    nojekyll = deploy.items.get("nojekyll", True)
    if not isinstance(nojekyll, bool):
        raise deploy.error(f'["nojekyll"] must be True or False, not {nojekyll!r}')
    cache = deploy.values["CACHE_PATH"] or "cache"
    return GitTarget(
        remote=remote,
        branch=_branch(deploy),
        cname=cname,
        nojekyll=nojekyll,
        workdir=deploy.path("workdir") or str(Path(cache) / "deploy-git"),
        ssh=_ssh(deploy),
    )


def _branch(deploy: _Deploy) -> str:
    branch = deploy.text("branch", "gh-pages")
    if (
        not re.fullmatch(r"[A-Za-z0-9._/-]+", branch)
        or branch.startswith(("-", "/"))
        or ".." in branch
    ):
        raise deploy.error(f'["branch"] is not a branch name: {branch!r}')
    return branch


def _s3(deploy: _Deploy) -> S3Target:
    location = deploy.text("s3")
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    if not BUCKET.match(bucket):
        raise deploy.error(
            f'["s3"] must be s3://bucket/prefix or a bucket name, not {location!r}'
        )
    prefix = prefix.strip("/")
    endpoint = deploy.text("endpoint_url")
    if endpoint is not None:
        _refuse_password(deploy, "endpoint_url", endpoint)
        if urlsplit(endpoint).scheme not in ("http", "https"):
            raise deploy.error('["endpoint_url"] must be an http(s):// URL')
    style = deploy.text("addressing_style", "path" if endpoint else "auto")
    if style not in ADDRESSING:
        raise deploy.error(
            '["addressing_style"] must be one of ' + ", ".join(ADDRESSING)
        )
    return S3Target(
        bucket=bucket,
        prefix=prefix + "/" if prefix else "",
        endpoint_url=endpoint,
        region=deploy.text("region"),
        profile=deploy.text("profile"),
        addressing_style=style,
    )


def _refuse_password(deploy: _Deploy, key, url):
    parts = urlsplit(url)
    # https://TOKEN@host/ is how tokens are pasted into URLs; ssh://user@ is normal.
    named = parts.scheme in ("http", "https") and parts.username is not None
    if parts.password is not None or named:
        # Never echo the URL: it holds the secret.
        raise deploy.error(
            f'["{key}"] holds a password or token in its URL',
            "use an SSH key or a git credential helper; secrets come "
            "only from the environment",
        )
