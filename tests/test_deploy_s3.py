"""Deploying to S3-compatible storage: moto's S3 server on 127.0.0.1, behind a front.

moto is an emulator: a pass shows our boto3 calls are well formed and the plan is
right, not that every provider accepts them. The front (``S3Front``) forwards each
request to moto and records the uploads that reached it; it can also stop answering
after N uploads, as a server that goes away mid-deploy. What arrived is read from
moto directly: keys, bytes, Content-Type, Cache-Control.
"""

import hashlib
import itertools

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from deploy_support import (
    S3Front,
    broken_links,
    build_versions,
    changed,
    deploy,
    deploy_settings,
    local_pages,
    tree,
)
from moto.server import ThreadedMotoServer

pytestmark = pytest.mark.xdist_group("deploy-s3")  # one worker: one server, one build
SECRET = "never-printed-S3cret-f00"
BUCKETS = (f"site-{n}" for n in itertools.count())


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    return build_versions(tmp_path_factory)


@pytest.fixture(scope="module")
def moto_port():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    yield server.get_host_and_port()[1]
    server.stop()


@pytest.fixture(scope="module")
def front(moto_port):
    front = S3Front(moto_port)
    yield front
    front.stop()


@pytest.fixture(scope="module", autouse=True)
def credentials(tmp_path_factory):
    """Credentials only from the environment, as in CI; no AWS files of the machine."""
    nothing = tmp_path_factory.mktemp("no-aws")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "AKIDEPLOYTEST")
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
        env.setenv("AWS_CONFIG_FILE", str(nothing / "config"))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nothing / "credentials"))
        env.delenv("AWS_PROFILE", raising=False)
        yield


@pytest.fixture(scope="module")
def s3(moto_port):
    """A client straight to moto, to read what arrived."""
    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{moto_port}",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(s3={"addressing_style": "path"}),
    )


@pytest.fixture
def bucket(s3):
    name = next(BUCKETS)
    s3.create_bucket(Bucket=name)
    return name


def settings_for(folder, front, bucket, prefix=""):
    return deploy_settings(
        folder,
        {
            "s3": f"s3://{bucket}/{prefix}",
            "endpoint_url": front.url,
            "region": "us-east-1",
        },
    )


@pytest.fixture
def settings(tmp_path, front, bucket):
    return settings_for(tmp_path / "kit", front, bucket)


def objects(s3, bucket, prefix="") -> dict:
    """{path under prefix: sha256 of the bytes} of everything in the bucket."""
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", ()):
            data = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found[item["Key"].removeprefix(prefix)] = hashlib.sha256(data).hexdigest()
    return found


def headers(s3, bucket, key):
    head = s3.head_object(Bucket=bucket, Key=key)
    return head["ContentType"], head["CacheControl"]


def test_the_bucket_gets_exactly_the_site(versions, settings, s3, bucket, front):
    result = deploy(settings, versions["v1"])
    assert result.returncode == 0, result.stderr
    assert objects(s3, bucket) == tree(versions["v1"])
    assert sorted(front.keys(bucket)) == sorted(tree(versions["v1"]))
    assert SECRET not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def published(versions, tmp_path_factory, front, s3):
    """A bucket holding v1, deployed once for the tests that only read it."""
    name = next(BUCKETS)
    s3.create_bucket(Bucket=name)
    settings = settings_for(tmp_path_factory.mktemp("published"), front, name)
    assert deploy(settings, versions["v1"]).returncode == 0
    return name


SHORT = "public, max-age=300"
ASSET = "public, max-age=3600"
FOREVER = "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    ("key", "content_type", "cache"),
    [
        ("index.html", "text/html; charset=utf-8", SHORT),
        ("2026/first-light/index.html", "text/html; charset=utf-8", SHORT),
        ("feeds/all.rss.xml", "application/rss+xml", SHORT),
        ("feeds/all.atom.xml", "application/atom+xml", SHORT),
        ("newsletter/feed.xml", "application/atom+xml", SHORT),
        ("sitemap.xml", "application/xml", SHORT),
        ("stories.json", "application/json", SHORT),
        ("robots.txt", "text/plain; charset=utf-8", SHORT),
        ("newsletter/2026-01-05/email.eml", "message/rfc822", SHORT),
        ("newsletter/2026-01-05/email.md", "text/markdown; charset=utf-8", SHORT),
        ("theme/css/site.css", "text/css; charset=utf-8", ASSET),
        ("theme/js/podcast.js", "text/javascript; charset=utf-8", ASSET),
        ("images/author.jpg", "image/jpeg", ASSET),
        ("favicon.png", "image/png", ASSET),
        ("transcripts/hello.vtt", "text/vtt; charset=utf-8", ASSET),
        ("pagefind/pagefind.js", "text/javascript; charset=utf-8", ASSET),
        ("pagefind/pagefind-entry.json", "application/json", SHORT),
        ("pagefind/wasm.en.pagefind", "application/octet-stream", ASSET),
    ],
)
def test_content_type_and_cache_control_of_each_kind_of_file(
    published, s3, key, content_type, cache
):
    assert headers(s3, published, key) == (content_type, cache)


def test_pagefind_index_files_are_cached_forever(versions, s3, published):
    hashed = [
        path
        for path in tree(versions["v1"])
        if path.endswith((".pf_fragment", ".pf_index", ".pf_meta"))
    ]
    assert len(hashed) >= 3
    for key in hashed:
        assert headers(s3, published, key) == ("application/octet-stream", FOREVER)


def test_a_second_deploy_after_one_edit_uploads_only_the_changed_files(
    versions, settings, s3, bucket, front
):
    assert deploy(settings, versions["v1"]).returncode == 0
    first = len(front.keys(bucket))
    result = deploy(settings, versions["v2"])
    assert result.returncode == 0, result.stderr
    arrived = front.keys(bucket)[first:]
    assert sorted(arrived) == sorted(changed(versions["v1"], versions["v2"]))
    assert "2026/first-light/index.html" in arrived
    assert objects(s3, bucket) == tree(versions["v2"])  # old pagefind files deleted


def test_new_files_first_then_changed_assets_pages_and_feeds(
    versions, settings, bucket, front
):
    assert deploy(settings, versions["v2"]).returncode == 0
    first = len(front.keys(bucket))
    assert deploy(settings, versions["v3"]).returncode == 0
    arrived = front.keys(bucket)[first:]
    old = tree(versions["v2"])
    new = [key for key in arrived if key not in old]
    assert arrived[: len(new)] == new  # nothing online links to them yet
    kinds = [
        0 if key.endswith(".html") else 1 if key.endswith((".xml", ".json")) else -1
        for key in arrived[len(new) :]
    ]
    assert kinds == sorted(kinds) and 0 in kinds and 1 in kinds


def test_a_removed_post_disappears_from_the_bucket(versions, settings, s3, bucket):
    assert deploy(settings, versions["v2"]).returncode == 0
    result = deploy(settings, versions["v3"])
    assert result.returncode == 0, result.stderr
    assert "2026/second-wind/index.html" not in objects(s3, bucket)
    assert objects(s3, bucket) == tree(versions["v3"])
    assert "  delete  2026/second-wind/index.html" in result.stdout.splitlines()


def test_a_server_stopping_mid_deploy_leaves_every_link_resolving_and_a_rerun_finishes(
    versions, settings, s3, bucket, front, monkeypatch
):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # a dead server: fail now, no backoff
    assert deploy(settings, versions["v2"]).returncode == 0
    to_send = changed(versions["v2"], versions["v3"])
    with front.going_down_after(len(to_send) - 3):
        failed = deploy(settings, versions["v3"])
    assert failed.returncode == 1
    message = failed.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert (
        f"{len(to_send) - 3} of {len(to_send)} files are up and nothing was deleted"
        in message
        and "run deploy again" in message
    )
    assert SECRET not in failed.stdout + failed.stderr
    online = objects(s3, bucket)
    assert online != tree(versions["v2"]) and online != tree(versions["v3"])  # a mix
    assert set(tree(versions["v2"])) <= set(online)  # nothing old is gone yet
    pages = {
        key: s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
        for key in online
        if key.endswith(".html")
    }
    # Links the build itself leaves dangling (the menu's podcast page) do not count.
    dangling = {
        target
        for version in ("v2", "v3")
        for _, target in broken_links(
            local_pages(versions[version]), set(tree(versions[version]))
        )
    }
    assert {target for _, target in broken_links(pages, set(online))} <= dangling
    again = deploy(settings, versions["v3"])
    assert again.returncode == 0, again.stderr
    assert objects(s3, bucket) == tree(versions["v3"])


def test_dry_run_lists_uploads_and_deletions_and_changes_nothing(
    versions, settings, s3, bucket, front
):
    assert deploy(settings, versions["v2"]).returncode == 0
    before, sent = objects(s3, bucket), len(front.keys(bucket))
    result = deploy(settings, versions["v3"], "--dry-run")
    assert result.returncode == 0, result.stderr
    assert objects(s3, bucket) == before and len(front.keys(bucket)) == sent
    uploads = {
        line.split()[1]
        for line in result.stdout.splitlines()
        if line.startswith("  upload")
    }
    assert uploads == changed(versions["v2"], versions["v3"])
    assert "  delete  2026/second-wind/index.html" in result.stdout.splitlines()


def test_a_prefix_keeps_the_site_in_its_folder_and_leaves_other_keys_alone(
    versions, tmp_path, front, s3, bucket
):
    s3.put_object(Bucket=bucket, Key="other/keep.txt", Body=b"not ours")
    settings = settings_for(tmp_path, front, bucket, prefix="www/")
    assert deploy(settings, versions["v1"]).returncode == 0
    kept = {"other/keep.txt": hashlib.sha256(b"not ours").hexdigest()}
    assert objects(s3, bucket, "www/") == {**tree(versions["v1"]), **kept}


def test_multipart_objects_are_compared_by_their_stored_sha256(
    versions, tmp_path, settings, s3, bucket, front
):
    assert deploy(settings, versions["v3"]).returncode == 0
    audio = versions["v3"] / "audio" / "extra.mp3"
    sha256 = hashlib.sha256(audio.read_bytes()).hexdigest()
    small_parts = TransferConfig(
        multipart_threshold=256 * 1024, multipart_chunksize=256 * 1024
    )
    for key, stored in (("audio/extra.mp3", sha256), ("images/author.jpg", "0" * 64)):
        source = versions["v3"] / key
        s3.upload_file(
            str(source),
            bucket,
            key,
            Config=small_parts if key.endswith("mp3") else None,
            ExtraArgs={"Metadata": {"sha256": stored}},
        )
    assert "-" in s3.head_object(Bucket=bucket, Key="audio/extra.mp3")["ETag"]
    sent = len(front.keys(bucket))
    result = deploy(settings, versions["v3"])
    assert result.returncode == 0, result.stderr
    # The multipart audio file is the same bytes (its sha256 says so): left alone.
    # author.jpg went up with one PUT: its ETag is its MD5 and settles it.
    assert front.keys(bucket)[sent:] == []


def test_a_missing_bucket_is_one_line(versions, tmp_path, front):
    result = deploy(settings_for(tmp_path, front, "no-such-bucket"), versions["v1"])
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "[deploy] s3://no-such-bucket/ at " + front.url + ": listing the bucket failed:"
        " the bucket does not exist (deploy never creates one: create it); nothing was "
        "changed"
    ]
