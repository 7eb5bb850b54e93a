"""``gratitude-press new post|episode "Title"``: a draft to start from, never over
another file."""

import yaml
from test_podcast_site import podcast_site
from test_week import files_mentioning

from conftest import run_command
from gratitude_press.scaffold import core
from gratitude_press.schedule import clock


def _front_matter(text):
    return yaml.safe_load(text.split("---\n")[1])


# --- the text (pure) -------------------------------------------------------------


def test_a_post_is_a_dated_draft_with_its_slug_and_a_guid():
    text = core.post_text(
        'Trust: "a ledger"',
        "2026-12-02 09:00",
        "trust-a-ledger",
        "0b8e4a8e-0000-4000-8000-000000000001",
    )
    meta = _front_matter(text)
    assert meta == {
        "title": 'Trust: "a ledger"',
        "date": "2026-12-02 09:00",
        "status": "draft",
        "slug": "trust-a-ledger",
        "guid": "0b8e4a8e-0000-4000-8000-000000000001",
        "summary": "One sentence for lists, feeds and the digest.",
    }
    assert "# /// gratitude" in text  # the story block waits as a comment


def test_an_episode_has_its_number_and_every_optional_field_as_an_example():
    text = core.episode_text(
        "Small promises",
        "2026-12-02 09:00",
        "small-promises",
        "guid-1",
        4,
        season=2,
        host="Jane Doe",
    )
    meta = _front_matter(text)
    assert (meta["episode"], meta["season"], meta["status"]) == (4, 2, "draft")
    assert meta["guid"] == "guid-1"
    for field in ("audio", "transcript", "chapters", "guests", "thanks"):
        assert f"# {field}:" in text, field
        assert field not in meta  # commented: the writer fills them in
    assert "#   - from: Jane Doe" in text
    assert "# season: 1" in core.episode_text("x", "d", "x", "g", 1)


def test_the_next_episode_follows_the_newest_season():
    assert core.next_numbering([]) == (None, 1)
    assert core.next_numbering([(None, 3), (None, 7), None]) == (None, 8)
    assert core.next_numbering([(1, 9), (2, 1), (2, 2)]) == (2, 3)
    assert core.numbering("---\ntitle: x\nepisode: 12  # the twelfth\n---\nbody") == (
        None,
        12,
    )
    assert core.numbering("---\nseason: 3\nepisode: 2\n---\n") == (3, 2)
    assert core.numbering("Title: no front matter\n") is None


# --- the command -------------------------------------------------------------------


def _new(site, *args):
    settings = site.settings_file(SITEURL="", RELATIVE_URLS=True)
    return run_command(["new", *args, "-s", settings], cwd=site.folder)


def test_new_post_writes_a_draft_now_in_the_sites_time_zone(site, monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-12-02T15:04:00+00:00")
    made = _new(site, "post", "What the week needs!")
    assert made.returncode == 0, made.stderr
    path = site.content / "posts/what-the-week-needs.md"
    assert made.stdout.splitlines() == [
        "content/posts/what-the-week-needs.md: a new draft post; edit it, then delete "
        "its status: draft line to publish it",
        "preview: http://127.0.0.1:8000/preview/what-the-week-needs/ (while "
        "gratitude-press dev runs)",
    ]
    meta = _front_matter(path.read_text())
    assert meta["date"] == "2026-12-02 09:04"  # America/Chicago
    assert meta["status"] == "draft" and meta["slug"] == "what-the-week-needs"


def test_new_never_replaces_a_file(site):
    path = site.write("posts/what-the-week-needs.md", "Title: Mine\n\nKeep me.\n")
    made = _new(site, "post", "What the week needs")
    assert made.returncode == 1
    assert "already exists and is left as it is" in made.stderr
    assert path.read_text() == "Title: Mine\n\nKeep me.\n"


def test_new_refuses_a_title_without_letters(site):
    made = _new(site, "post", "?!")
    assert made.returncode == 1 and "makes no file name" in made.stderr


def test_new_episode_takes_the_next_number(tmp_path):
    site = podcast_site(tmp_path)  # episodes 1 and 2 of season 1
    made = _new(site, "episode", "Trust, one promise at a time")
    assert made.returncode == 0, made.stderr
    path = site.content / "episodes/trust-one-promise-at-a-time.md"
    meta = _front_matter(path.read_text())
    assert (meta["season"], meta["episode"]) == (1, 3)
    assert "/preview/trust-one-promise-at-a-time/" in made.stdout


def test_a_new_post_stays_out_of_the_built_site(site):
    site.write("posts/published.md", "Title: Out\nDate: 2026-03-02\n\nText.\n")
    assert _new(site, "post", "Not yet").returncode == 0
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert files_mentioning(site.output, ("not-yet", "Not yet")) == []


def test_a_new_episode_builds_before_it_has_a_recording(tmp_path):
    """A scaffolded episode is a draft without audio: it must not stop the build (the
    podcast concern lets such a draft through; every check runs once it has audio)."""
    site = podcast_site(tmp_path)
    assert _new(site, "episode", "Not recorded yet").returncode == 0
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert files_mentioning(site.output, ("not-recorded-yet",)) == []
