"""S3-compatible storage (AWS S3, Cloudflare R2, Backblaze B2, MinIO) through boto3.

Credentials come only from boto3's own chain: the environment (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``), a profile of the AWS config files, or the machine's role.
Every object is one PUT, so its ETag is the MD5 of its bytes and tells whether it
changed; each also stores its sha256 in its metadata, which settles it where the
ETag is not an MD5 (multipart uploads by other tools, SSE-KMS). The order of the
uploads and deletions is ``core``'s, so the site online stays whole at every step:
batch after batch, the files of one batch at the same time.
"""

import base64
from concurrent.futures import ThreadPoolExecutor, as_completed

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from . import core

BATCH = 1000  # keys per DeleteObjects request: S3's limit
# Uploads at once within a batch: one PUT is mostly waiting for the network.
# botocore keeps 10 connections per client.
WORKERS = 8
SHA256_KEY = "sha256"  # x-amz-meta-sha256
DELETE_STATE = (
    "the new site is up and complete, some stale files remain; run deploy "
    "again to remove them"
)


def client(target):
    """A boto3 S3 client for the target; checksums only where the API requires
    them: botocore >= 1.36 otherwise adds CRC32 headers that several S3-compatible
    services refuse (boto/boto3#4392)."""
    session = boto3.session.Session(profile_name=target.profile)
    config = Config(
        s3={"addressing_style": target.addressing_style},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return session.client(
        "s3", endpoint_url=target.endpoint_url, region_name=target.region, config=config
    )


def deploy(target, output, files, cache, dry_run) -> core.Plan:
    bucket = Bucket(target)
    remote = bucket.listing()
    stored = bucket.stored_sha256(core.needs_metadata(files, remote, target.prefix))
    plan = core.plan_objects(files, remote, target.prefix, stored)
    if dry_run or plan.empty:
        return plan
    _upload(bucket, output, {file.path: file for file in files}, plan.uploads, cache)
    bucket.delete(plan.deletions)
    return plan


def _upload(bucket, output, files, uploads, cache):
    """Batch after batch (``core.upload_batches``), the files of a batch at once."""
    submitted = []
    with ThreadPoolExecutor(WORKERS) as pool:
        for batch in core.upload_batches(uploads):
            running = {
                pool.submit(
                    bucket.put, output, files[change.path], change.key, cache
                ): change
                for change in batch
            }
            submitted += running
            for future in as_completed(running):
                if future.exception() is None:
                    continue
                pool.shutdown(wait=True, cancel_futures=True)  # let running ones end
                done = sum(
                    1
                    for other in submitted
                    if not other.cancelled() and other.exception() is None
                )
                raise bucket.fail(
                    f"uploading {running[future].key}",
                    future.exception(),
                    f"{done} of {len(uploads)} files are up and nothing was deleted, "
                    "so every link online still resolves; run deploy again to finish",
                )


class Bucket:
    def __init__(self, target):
        self.target = target
        self.client = client(target)

    def fail(self, doing, error, state) -> core.DeployError:
        return core.DeployError(
            f"{self.target.describe()}: {doing} failed: {_reason(error)}; {state}"
        )

    def listing(self) -> dict:
        """{key: ETag} of every object under the prefix."""
        found = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.target.bucket, Prefix=self.target.prefix
        )
        try:
            for page in pages:
                found.update(
                    (item["Key"], item["ETag"]) for item in page.get("Contents", ())
                )
        except (BotoCoreError, ClientError) as error:
            raise self.fail(
                "listing the bucket", error, "nothing was changed"
            ) from None
        return found

    def stored_sha256(self, keys) -> dict:
        stored = {}
        for key in keys:
            try:
                head = self.client.head_object(Bucket=self.target.bucket, Key=key)
            except (BotoCoreError, ClientError) as error:
                raise self.fail(
                    f"reading {key}", error, "nothing was changed"
                ) from None
            stored[key] = head.get("Metadata", {}).get(SHA256_KEY)
        return stored

    def put(self, output, file, key, cache):
        md5 = base64.b64encode(bytes.fromhex(file.md5)).decode("ascii")
        with open(output / file.path, "rb") as body:
            # Content-MD5: the service refuses bytes that changed on the way.
            self.client.put_object(
                Bucket=self.target.bucket,
                Key=key,
                Body=body,
                ContentMD5=md5,
                ContentType=core.content_type(file.path, file.head),
                CacheControl=core.cache_control(file.path, cache),
                Metadata={SHA256_KEY: file.sha256},
            )

    def delete(self, keys):
        for start in range(0, len(keys), BATCH):
            batch = [{"Key": key} for key in keys[start : start + BATCH]]
            try:
                answer = self.client.delete_objects(
                    Bucket=self.target.bucket, Delete={"Objects": batch, "Quiet": True}
                )
            except (BotoCoreError, ClientError) as error:
                raise self.fail("deleting stale objects", error, DELETE_STATE) from None
            for problem in answer.get("Errors", ())[:1]:
                raise core.DeployError(
                    f"{self.target.describe()}: deleting {problem.get('Key')} failed: "
                    f"{problem.get('Code')}: {problem.get('Message')}; "
                    f"{DELETE_STATE}"
                )


def _reason(error) -> str:
    if isinstance(error, NoCredentialsError):
        return (
            "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or "
            "AWS_PROFILE) in the environment"
        )
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code, message = details.get("Code", "error"), details.get("Message", "")
        if code == "NoSuchBucket":
            return "the bucket does not exist (deploy never creates one: create it)"
        return f"{code}: {message}" if message else str(code)
    return str(error).rstrip(".")
