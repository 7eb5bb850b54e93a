"""The deploy concern's pure core: plans, upload order, headers, rsync's command and
report, the publish-build check; and its settings, read over their defaults."""

import hashlib

import pytest

from gratitude_press.deploy import core
from gratitude_press.deploy import settings as deploy_settings
from gratitude_press.deploy.core import CHANGED, NEW, Change, LocalFile, Plan
from gratitude_press.errors import ContentError
from gratitude_press.settings import SettingsSource, SettingValues

POLICY = deploy_settings.CachePolicy(
    pages="short", assets="medium", fingerprinted="forever"
)


def local(path, data=b"x"):
    blob = hashlib.sha1(core.git_blob_header(len(data)) + data).hexdigest()
    return LocalFile(
        path=path,
        size=len(data),
        md5=hashlib.md5(data).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
        git_blob=blob,
        head=data[:1024],
    )


def etag(data):
    return f'"{hashlib.md5(data).hexdigest()}"'


@pytest.mark.parametrize(
    ("path", "head", "expected"),
    [
        ("index.html", b"", "text/html; charset=utf-8"),
        (
            "feeds/all.rss.xml",
            b'<?xml version="1.0"?>\n<rss version="2.0">',
            "application/rss+xml",
        ),
        (
            "podcast.xml",
            b"<?xml version='1.0'?><?xml-stylesheet href='x'?><!-- c --><rss>",
            "application/rss+xml",
        ),
        (
            "feeds/all.atom.xml",
            b"\xef\xbb\xbf<?xml version='1.0'?>\n<feed xmlns='x'>",
            "application/atom+xml",
        ),
        ("sitemap.xml", b"<?xml version='1.0'?><urlset>", "application/xml"),
        ("stories.json", b"", "application/json"),
        ("transcripts/a.vtt", b"", "text/vtt; charset=utf-8"),
        ("transcripts/a.srt", b"", "application/x-subrip"),
        ("audio/a.mp3", b"", "audio/mpeg"),
        ("audio/a.m4a", b"", "audio/x-m4a"),
        ("images/a.JPG", b"", "image/jpeg"),
        ("images/a.svg", b"", "image/svg+xml"),
        ("theme/css/site.css", b"", "text/css; charset=utf-8"),
        ("pagefind/pagefind.js", b"", "text/javascript; charset=utf-8"),
        ("pagefind/wasm.en.pagefind", b"", "application/octet-stream"),
        ("pagefind/fragment/en_232d695.pf_fragment", b"", "application/octet-stream"),
        ("pagefind/index/en_fc948f6.pf_index", b"", "application/octet-stream"),
        ("pagefind/pagefind.en_901c65cbb7.pf_meta", b"", "application/octet-stream"),
        ("x.wasm", b"", "application/wasm"),
        ("robots.txt", b"", "text/plain; charset=utf-8"),
        ("newsletter/2026-11-16/email.eml", b"", "message/rfc822"),
        ("newsletter/2026-11-16/email.md", b"", "text/markdown; charset=utf-8"),
        ("CNAME", b"", "application/octet-stream"),
    ],
)
def test_content_type_of_every_kind_of_file_the_kit_writes(path, head, expected):
    assert core.content_type(path, head) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", "short"),
        ("feeds/all.rss.xml", "short"),
        ("stories.json", "short"),
        ("robots.txt", "short"),
        ("images/author.jpg", "medium"),
        ("theme/css/site.css", "medium"),
        ("audio/a.mp3", "medium"),
        ("pagefind/fragment/en_232d695.pf_fragment", "forever"),
        ("pagefind/pagefind.en_901c65cbb7.pf_meta", "forever"),
        ("assets/site.3f2a9c1b.css", "forever"),
        # eight hex digits in a slug or a photo's name are no fingerprint
        ("2026/deadbeef-cafe1234/index.html", "short"),
        ("images/photo.cafe1234.jpg", "medium"),
    ],
)
def test_cache_control_short_for_pages_forever_only_for_fingerprinted_files(
    path, expected
):
    assert core.cache_control(path, POLICY) == expected


def test_plan_new_files_first_then_changed_assets_pages_and_indexes_then_deletions():
    files = [
        local(path, b"new")
        for path in (
            "sitemap.xml",
            "index.html",
            "2026/new-post/index.html",
            "theme/css/site.css",
            "pagefind/fragment/en_1.pf_fragment",
            "feeds/all.rss.xml",
            "images/same.png",
        )
    ]
    remote = {
        path: etag(b"old")
        for path in (
            "sitemap.xml",
            "index.html",
            "theme/css/site.css",
            "feeds/all.rss.xml",
            "2026/old-post/index.html",
        )
    }
    remote["images/same.png"] = etag(b"new")
    plan = core.plan_objects(files, remote)
    assert [(change.key, change.reason) for change in plan.uploads] == [
        ("pagefind/fragment/en_1.pf_fragment", NEW),
        ("2026/new-post/index.html", NEW),
        ("theme/css/site.css", CHANGED),
        ("index.html", CHANGED),
        ("feeds/all.rss.xml", CHANGED),
        ("sitemap.xml", CHANGED),
    ]
    assert plan.deletions == ("2026/old-post/index.html",)
    assert plan.unchanged == 1
    assert plan.summary() == "2 new, 4 changed, 1 to delete, 1 unchanged"


def test_uploads_go_in_batches_of_one_reason_and_tier():
    plan = core.plan_objects(
        [
            local(path, b"new")
            for path in ("a.css", "b.png", "c.html", "d.html", "e.xml", "f.png")
        ],
        {"a.css": etag(b"old"), "c.html": etag(b"old"), "e.xml": etag(b"old")},
    )
    assert [
        [change.path for change in batch] for batch in core.upload_batches(plan.uploads)
    ] == [["b.png", "f.png"], ["d.html"], ["a.css"], ["c.html"], ["e.xml"]]


def test_plan_under_a_prefix_and_with_etags_that_are_not_md5():
    files = [local("a.mp3", b"audio"), local("b.mp3", b"other"), local("c.html")]
    remote = {
        "www/a.mp3": '"0123abcd-2"',
        "www/b.mp3": '"89ab-3"',
        "www/c.html": etag(b"x"),
    }
    assert core.needs_metadata(files, remote, "www/") == ["www/a.mp3", "www/b.mp3"]
    stored = {"www/a.mp3": hashlib.sha256(b"audio").hexdigest(), "www/b.mp3": None}
    plan = core.plan_objects(files, remote, "www/", stored)
    assert plan.uploads == (Change("www/b.mp3", "b.mp3", CHANGED),)
    assert plan.unchanged == 2 and plan.deletions == ()


def test_plan_a_git_tree_with_modes_and_extras():
    files = [local("index.html", b"home"), local("run.sh", b"#!")]
    files[1] = LocalFile(**{**files[1].__dict__, "executable": True})
    cname = local("CNAME", b"blog.example.org")
    remote = {
        "index.html": ("100644", files[0].git_blob),
        "run.sh": ("100644", files[1].git_blob),  # lost its x bit
        "old.html": ("100644", "0" * 40),
    }
    plan = core.plan_tree(files, remote, [cname])
    assert [(c.path, c.reason) for c in plan.uploads] == [
        ("CNAME", NEW),
        ("run.sh", CHANGED),
    ]
    assert plan.deletions == ("old.html",) and plan.unchanged == 1


def test_git_blob_ids_are_gits_own():
    # `printf 'hello\n' | git hash-object --stdin`
    assert local("x", b"hello\n").git_blob == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_ls_tree_output_is_parsed():
    text = (
        "100644 blob aa\tindex.html\x00100755 blob bb\twith space.sh\x00"
        "160000 commit cc\tsub\x00"
    )
    assert core.parse_ls_tree(text) == {
        "index.html": ("100644", "aa"),
        "with space.sh": ("100755", "bb"),
    }


def test_the_rsync_command_compares_contents_and_swaps_files_in_at_the_end():
    target = deploy_settings.RsyncTarget(
        "deploy@example.org:/srv/www/",
        deploy_settings.SshOptions(
            port=2222, identity="/keys/deploy key", known_hosts="/keys/known_hosts"
        ),
    )
    command = core.rsync_command(target, "/site/output", dry_run=True)
    for flag in (
        "--checksum",
        "--delete-delay",
        "--delay-updates",
        "--perms",
        "--chmod=D755,F644",
        "--itemize-changes",
        "--dry-run",
    ):
        assert flag in command
    assert "--archive" not in command  # no owners or groups of this machine
    assert command[-2:] == ["/site/output/", "deploy@example.org:/srv/www/"]
    ssh = command[command.index("-e") + 1]
    assert ssh == (
        "ssh -o BatchMode=yes -o ConnectTimeout=20 -p 2222 -i "
        "'/keys/deploy key' -o IdentitiesOnly=yes -o "
        "UserKnownHostsFile=/keys/known_hosts -o StrictHostKeyChecking=yes"
    )


def test_rsyncs_report_becomes_a_plan():
    report = (
        "<f+++++++++ 2026/new post/index.html\n"
        "<fcst...... index.html\n"
        "cd+++++++++ 2026/new post/\n"
        ".d..t...... ./\n"
        "*deleting   2026/old/index.html\n"
    )
    plan = core.parse_itemized(report, total=10)
    assert plan.uploads == (
        Change("2026/new post/index.html", "2026/new post/index.html", NEW),
        Change("index.html", "index.html", CHANGED),
    )
    assert plan.deletions == ("2026/old/index.html",)
    assert plan.unchanged == 8
    assert list(plan.lines()) == [
        "  upload  2026/new post/index.html (new)",
        "  upload  index.html (changed)",
        "  delete  2026/old/index.html",
    ]


SITE = "https://blog.example.org"


@pytest.mark.parametrize(
    ("index", "sitemap", "problem"),
    [
        (f'<link rel="canonical" href="{SITE}/">', f"<loc>{SITE}/</loc>", ""),
        (f'<a href="{SITE}/about/">', None, ""),
        (
            '<a href="about/">',
            None,
            f"has an index.html without absolute links to {SITE}/",
        ),
        (
            "",
            "<loc>https://blog.example.org.evil/</loc>",
            f"has a sitemap.xml for https://blog.example.org.evil/, not for {SITE}",
        ),
        (None, None, "has no index.html"),
    ],
)
def test_an_output_built_for_another_site_is_recognised(index, sitemap, problem):
    assert core.published_problem(SITE, index, sitemap) == problem


def test_secrets_in_the_environment_are_never_printed():
    environ = {
        "AWS_SECRET_ACCESS_KEY": "abc/def+ghi",
        "DEPLOY_SSH_KEY": "-----BEGIN",
        "HOME": "/root",
        "GITHUB_TOKEN": "ghs_xyz",
        "AWS_ACCESS_KEY_ID": "/root",
    }
    text = "failed with abc/def+ghi and ghs_xyz in /root"
    assert core.redact(text, environ) == "failed with *** and *** in /root"


def test_plan_lines_and_empty():
    assert (
        Plan().empty
        and Plan().summary() == "0 new, 0 changed, 0 to delete, 0 unchanged"
    )


# --- settings -------------------------------------------------------------------


def read(tmp_path, deploy, **more):
    settings_file = tmp_path / "publishconf.py"
    lines = [f"DEPLOY = {deploy!r}", *(f"{k} = {v!r}" for k, v in more.items())]
    settings_file.write_text("\n".join(["# settings", *lines]) + "\n")
    settings = {"DEPLOY": deploy, "CACHE_PATH": str(tmp_path / "cache"), **more}
    values = SettingValues(
        settings, deploy_settings.DEFAULTS, SettingsSource(settings_file)
    )
    return deploy_settings.read(values)


def test_each_target_is_read_with_its_defaults(tmp_path):
    rsync = read(tmp_path, {"rsync": "me@host:/srv/www/", "port": 2222}).target
    assert rsync == deploy_settings.RsyncTarget(
        "me@host:/srv/www/", deploy_settings.SshOptions(port=2222)
    )
    git = read(tmp_path, {"git": "git@github.com:me/me.github.io.git"}).target
    assert (git.branch, git.cname, git.nojekyll) == ("gh-pages", "", True)
    assert git.workdir == str(tmp_path / "cache" / "deploy-git")
    s3 = read(
        tmp_path,
        {
            "s3": "s3://bucket-1/www/",
            "endpoint_url": "https://acc.r2.cloudflarestorage.com",
        },
    ).target
    assert (s3.bucket, s3.prefix, s3.addressing_style) == ("bucket-1", "www/", "path")
    assert read(tmp_path, {"s3": "bucket-1"}).target.addressing_style == "auto"
    assert read(tmp_path, {}).target is None
    assert read(tmp_path, None).cache == deploy_settings.CachePolicy(
        "public, max-age=300",
        "public, max-age=3600",
        "public, max-age=31536000, immutable",
    )


def test_a_bad_value_names_the_settings_line(tmp_path):
    with pytest.raises(ContentError) as raised:
        read(tmp_path, {"s3": "bucket-1", "addressing_style": "sideways"})
    assert str(raised.value).startswith(f"{tmp_path / 'publishconf.py'}:2: DEPLOY ")
    with pytest.raises(ContentError, match="DEPLOY_CACHE_PAGES must be non-empty"):
        read(tmp_path, {}, DEPLOY_CACHE_PAGES="")
