"""``gratitude-press check``: the sample's identity, the sign-up form, links the build
writes to pages it does not write, subscriber files outside git's ignore list."""

import subprocess

import pytest
from pelican.settings import read_settings

from conftest import ROOT, run_command
from gratitude_press.checks import adoption, outputs, ready
from gratitude_press.podcast.feed import podcast_guid
from gratitude_press.settings import SettingsSource

JANE = {
    "SITENAME": "Jane Writes",
    "AUTHOR": "Jane Doe",
    "SENDER_NAME": "Jane Doe",
    "SENDER_EMAIL": "digest@janedoe-writes.net",
    "REPLY_TO_EMAIL": "jane@janedoe-writes.net",
    "SITEURL": "https://janedoe-writes.net",
    "DIGEST_SITEURL": "https://janedoe-writes.net",
    "DIGEST_LIST_ID": "Jane Writes weekly <weekly.janedoe-writes.net>",
}


def _source(tmp_path, text="X = 1\n"):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(text)
    return SettingsSource(settings)


def _names(problems):
    return [problem.message.split(" ")[0] for problem in problems]


# --- identity ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pelicanconf.py", "publishconf.py"])
def test_the_shipped_sample_passes_the_settings_checks(name):
    settings = read_settings(
        str(ROOT / name), override={"GRATITUDE_SETTINGS_FILE": str(ROOT / name)}
    )
    assert adoption.is_sample(settings)
    assert ready.settings_problems(settings) == []


def test_an_adopted_site_may_keep_nothing_of_the_sample(tmp_path):
    sample = read_settings(str(ROOT / "publishconf.py"))
    values = ready.with_defaults(
        {**sample, "SITENAME": "Jane Writes", "AUTHOR": "Jane Doe"}
    )
    names = _names(adoption.identity_problems(values, _source(tmp_path)))
    for name in (
        "SITEURL",
        "DIGEST_SITEURL",
        "DIGEST_LIST_ID",
        "SENDER_EMAIL",
        "REPLY_TO_EMAIL",
        "SENDER_NAME",
        "POSTAL_ADDRESS",
        "NEWSLETTER_SIGNUP",
        "PODCAST_TITLE",
        "PODCAST_OWNER_EMAIL",
        "SOCIAL",
    ):
        assert name in names, (name, names)


def test_a_site_of_its_own_passes(tmp_path):
    values = ready.with_defaults(JANE)
    assert adoption.identity_problems(values, _source(tmp_path)) == []


def test_each_problem_names_the_file_and_line(tmp_path):
    source = _source(
        tmp_path, 'AUTHOR = "Jane Doe"\nSITEURL = "https://blog.example.org"\n'
    )
    problems = adoption.identity_problems(
        {**JANE, "SITEURL": "https://blog.example.org"}, source
    )
    assert [str(problem) for problem in problems] == [
        f"{source.file}:2: SITEURL is on the placeholder domain blog.example.org, "
        "where nothing real answers (set your own address; README, Adopting the kit)"
    ]


def test_placeholder_hosts_are_found_in_urls_addresses_and_list_ids():
    assert adoption.placeholder_hosts(
        [
            "https://a.example/x",
            "me@mail.test",
            "List <weekly.example.org>",
            "https://real.net/",
            {"nested": "http://localhost:8000/"},
        ]
    ) == ["a.example", "mail.test", "weekly.example.org", "localhost"]


def test_the_sample_shows_guid_on_another_feed_is_refused(tmp_path):
    source = _source(tmp_path)
    feed = "https://janedoe-writes.net/podcast.xml"
    problems = adoption.podcast_guid_problems(
        adoption.SAMPLE_PODCAST_GUID, feed, source, podcast_guid
    )
    assert len(problems) == 1
    assert f'PODCAST_GUID = "{podcast_guid(feed)}"' in str(problems[0])
    assert (
        adoption.podcast_guid_problems(
            adoption.SAMPLE_PODCAST_GUID, adoption.SAMPLE_FEED_URL, source, podcast_guid
        )
        == []
    )
    assert (
        adoption.podcast_guid_problems(podcast_guid(feed), feed, source, podcast_guid)
        == []
    )


# --- the sign-up form ----------------------------------------------------------


@pytest.mark.parametrize(
    ("signup", "expected"),
    [
        (None, []),
        ({"provider": "buttondown", "username": "jane"}, []),
        ({"provider": "link", "url": "https://jane.net/subscribe", "privacy": "x"}, []),
        (
            {"provider": "buttondowm", "username": "jane"},
            ["provider 'buttondowm'", "did you mean 'buttondown'?"],
        ),
        ({"provider": "mailchimp", "dc": "us21"}, ["lacks 'u'", "lacks 'id'"]),
        ({"provider": "listmonk", "root": "https://lists.jane.net"}, ["lacks 'lists'"]),
        (
            {"provider": "buttondown", "username": "jane", "privcy": "x"},
            ["key 'privcy'", "did you mean 'privacy'?"],
        ),
        ("buttondown", ["must be a dictionary"]),
    ],
)
def test_a_signup_the_form_cannot_use_is_a_problem(tmp_path, signup, expected):
    text = " ".join(str(p) for p in adoption.signup_problems(signup, _source(tmp_path)))
    for words in expected:
        assert words in text, (words, text)
    assert bool(text) == bool(expected)


# --- subscriber files --------------------------------------------------------------


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_subscriber_files_must_be_ignored_by_git(tmp_path):
    _git(tmp_path, "init", "-q")
    settings = tmp_path / "pelicanconf.py"
    (tmp_path / "list.csv").write_text("email\nreader@example.org\n")
    problems = ready.subscriber_file_problems(settings, None)
    assert [p.split(":")[0] for p in problems] == [
        str(tmp_path / ".digest-state.json"),
        str(tmp_path / ".digest-suppressed.json"),
        str(tmp_path / "list.csv"),
    ]
    (tmp_path / ".gitignore").write_text(
        (ROOT / ".gitignore").read_text(encoding="utf-8")
    )
    assert ready.subscriber_file_problems(settings, None) == []
    _git(tmp_path, "add", "-f", "list.csv")
    assert [
        "tracked by git" in p for p in ready.subscriber_file_problems(settings, None)
    ] == [True]


def test_outside_git_there_is_nothing_to_commit(tmp_path):
    (tmp_path / "list.csv").write_text("email\n")
    assert ready.subscriber_file_problems(tmp_path / "pelicanconf.py", None) == []


# --- links the build writes ------------------------------------------------------


def test_a_link_to_a_page_the_build_does_not_write_is_found():
    texts = {
        "podcast.xml": '<podcast:person href="https://jane.net/people/jane-doe/">',
        "index.html": '<a href="about/">About</a> <a href="people/jane-doe/">Jane</a>'
        ' <a href="https://elsewhere.net/x">x</a> <a href="#top">top</a>',
        "2026/post/index.html": '<img src="../../images/a.jpg"> '
        '<a href="../../">home</a>',
    }
    files = {
        "podcast.xml",
        "index.html",
        "about/index.html",
        "2026/post/index.html",
        "images/a.jpg",
    }
    missing = outputs.missing_pages(texts, files, ["https://jane.net"])
    assert [str(m) for m in missing] == [
        "index.html and 1 other file link to people/jane-doe/, which the build does "
        "not write"
    ]
    assert (
        outputs.missing_pages(
            texts, files, ["https://jane.net"], typed={"people/jane-doe/"}
        )
        == []
    )


# --- the command and the builds that run it ---------------------------------------


def _adopted_only_in_name(site):
    return site.settings_file(SITENAME="Jane Writes", AUTHOR="Jane Doe")


def test_check_fails_with_one_line_per_problem(site):
    site.write("posts/a.md", "Title: A\nDate: 2026-03-02\n\nText.\n")
    result = run_command(["check", "-s", _adopted_only_in_name(site)], cwd=site.folder)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "[check]" in line]
    assert any(
        "SITEURL is on the placeholder domain gratitude.example" in line
        for line in lines
    ), lines
    assert "check: " in result.stderr and "problem(s) above" in result.stderr


def test_publish_stops_on_a_check_and_keeps_the_old_site(site):
    site.write("posts/a.md", "Title: A\nDate: 2026-03-02\n\nText.\n")
    (site.output / "old.html").parent.mkdir(parents=True)
    (site.output / "old.html").write_text("the site online")
    settings = _adopted_only_in_name(site)
    failed = run_command(
        ["build", "-s", settings, "-o", site.output, "--strict", "--check"],
        cwd=site.folder,
    )
    assert failed.returncode == 1
    assert "ERROR: [check] " in failed.stderr
    assert sorted(p.name for p in site.output.iterdir()) == ["old.html"]
    warned = run_command(
        ["build", "-s", settings, "-o", site.output, "--check=warn"], cwd=site.folder
    )
    assert warned.returncode == 0, warned.stderr
    assert "WARNING: [check] " in warned.stderr
    assert (site.output / "2026/a/index.html").is_file()


def test_send_checks_first_and_sends_nothing_as_the_sample(site):
    result = run_command(
        ["send", "--dry-run", "-s", _adopted_only_in_name(site)], cwd=site.folder
    )
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "problem(s) above; nothing was sent (README, Adopting the kit)"
    )
    assert not (site.output).exists()  # it stopped before any build
