"""Dev builds take a page from the dev cache when its inputs are unchanged: same bytes.

After each kind of edit a writer makes (a post's text, its title, its date, a story,
a new post, a removed post, an episode's guests, a template), a dev build with a
warm cache must write every file exactly as a dev build with an empty cache, and
must have rendered only the pages the edit reaches: not the other posts' pages.
Nothing here measures time.
"""

import functools
import os
import shutil

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader
from test_dev_cache import a_site, dev_build

from conftest import ROOT, snapshot
from gratitude_press.dev import writer as dev_writer
from gratitude_press.dev.pages import PageKeys, PageStore, TemplateDeps, Unknown


@pytest.fixture
def rendered(monkeypatch):
    """The output files a dev build rendered rather than took from the cache."""
    names = []
    fresh = dev_writer._DevTemplate.fresh

    def spy(wrapped, context, name):
        names.append(name)
        return fresh(wrapped, context, name)

    monkeypatch.setattr(dev_writer._DevTemplate, "fresh", spy)
    return names


class Writing:
    """A site edited between dev builds; each build checked against a cold one."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.site = a_site(tmp_path)
        self.theme = tmp_path / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        self.builds = 0

    def settings(self, cache):
        return self.site.settings_file(
            SITEURL="", RELATIVE_URLS=True, CACHE_PATH=str(cache), THEME=str(self.theme)
        )

    def build_warm(self):
        assert dev_build(self.settings(self.tmp / "cache"), self.tmp / "dev") == 0
        return snapshot(self.tmp / "dev")

    def cold(self):
        self.builds += 1
        cache, output = (
            self.tmp / f"empty-{self.builds}",
            self.tmp / f"cold-{self.builds}",
        )
        assert dev_build(self.settings(cache), output) == 0
        return snapshot(output)

    def edit(self, relative, old, new):
        path = self.site.content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(writing, rendered, must, must_not):
    rendered.clear()
    warm = writing.build_warm()
    names = list(rendered)
    rendered.clear()
    cold = writing.cold()
    assert sorted(warm) == sorted(cold)
    for path in cold:
        assert warm[path] == cold[path], path
    for name in must:  # a path (exact) or a slug (part of the path)
        found = name in names if "/" in name or "." in name else None
        if found is None:
            found = any(f"/{name}/" in f"/{shown}" for shown in names)
        assert found, (name, names)
    for name in must_not:
        assert not any(name in shown for shown in names), (name, names)
    return names


def test_edits_to_a_post_render_its_page_and_lists_and_match_a_cold_build(
    tmp_path, rendered
):
    writing = Writing(tmp_path)
    writing.build_warm()
    assert rendered, "the first build renders every page"
    rendered.clear()
    assert writing.build_warm() and rendered == []  # nothing changed: all cached

    # the text of a post: its page, not the other posts'
    writing.edit(
        "posts/stories/first.md", "An opening paragraph.", "An opening, edited."
    )
    names = check(writing, rendered, ["first-thanks"], ["second", "a-plain-post"])
    assert len(names) < 20, names
    # its title: every list that shows it
    writing.edit(
        "posts/stories/first.md", "Title: First thanks", "Title: Thanks, first"
    )
    check(writing, rendered, ["thanks-first", "index.html"], ["a-plain-post"])
    # a story's words: the story pages that show it
    writing.edit("posts/stories/first.md", "*stayed*", "*stayed for years*")
    check(writing, rendered, ["dana-whitfield"], ["a-plain-post"])
    # its date: it moves in the lists and archives
    writing.edit("posts/stories/first.md", "Date: 2026-03-02", "Date: 2025-03-02")
    check(writing, rendered, ["archives/index.html"], [])


def test_new_and_removed_posts_episodes_and_templates_match_a_cold_build(
    tmp_path, rendered
):
    writing = Writing(tmp_path)
    writing.build_warm()
    # a new post
    (writing.site.content / "posts" / "new.md").write_text(
        "Title: A new note\nDate: 2026-03-09 08:00\nCategory: Trust\n\nFresh words.\n",
        encoding="utf-8",
    )
    check(writing, rendered, ["a-new-note", "index.html"], ["first-thanks"])
    # the same post removed again: the site is as it was, every page from the cache
    (writing.site.content / "posts" / "new.md").unlink()
    assert check(writing, rendered, [], []) == []
    assert not (writing.tmp / "dev" / "2026" / "a-new-note").exists()
    # an episode's guest line
    guests = writing.site.content / "episodes" / "first.md"
    text = guests.read_text(encoding="utf-8")
    guests.write_text(
        text.replace("title: Director of", "title: Head of"), encoding="utf-8"
    )
    check(writing, rendered, ["dana-whitfield"], ["a-plain-post"])
    # a template every page extends
    base = writing.theme / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("</footer>", "<!-- x --></footer>"),
        encoding="utf-8",
    )
    names = check(writing, rendered, ["first-thanks", "a-plain-post"], [])
    assert any("<!-- x -->" in page.decode() for page in writing.cold().values())
    assert len(names) > 20


def test_a_value_of_an_unknown_type_makes_its_page_render():
    class Opaque:
        pass

    keys = PageKeys(PageStore(None))
    with pytest.raises(Unknown):
        keys.token(Opaque(), {})
    assert keys.token({"a": [1, "x"]}, {}) == keys.token({"a": [1, "x"]}, {})
    assert keys.token({"a": [1, "x"]}, {}) != keys.token({"a": [1, "y"]}, {})


def test_a_graph_with_cycles_is_hashed_by_its_shape_and_values():
    keys = PageKeys(PageStore(None))
    first, second = {"name": "a"}, {"name": "b"}
    first["answer"], second["answer"] = second, first
    again_first, again_second = {"name": "a"}, {"name": "b"}
    again_first["answer"], again_second["answer"] = again_second, again_first
    other = PageKeys(PageStore(None))
    assert keys.token(first, {})[0] == other.token(again_first, {})[0]
    again_second["name"] = "c"
    assert (
        keys.token(first, {})[0] != PageKeys(PageStore(None)).token(again_first, {})[0]
    )


def test_a_template_with_a_computed_include_is_always_rendered(tmp_path):
    environment = Environment(
        loader=DictLoader(
            {
                "plain.html": "{% extends 'base.html' %}{{ article }}",
                "base.html": "{{ SITENAME }}{% block x %}{% endblock %}",
                "computed.html": "{% include name ~ '.html' %}",
            }
        )
    )
    facts = {}
    deps = TemplateDeps.of(environment.get_template("plain.html"), facts)
    assert deps.names == ("SITENAME", "article")
    assert TemplateDeps.of(environment.get_template("computed.html"), facts) is None


def test_values_that_could_collide_or_hide_data_are_told_apart():
    keys = PageKeys(PageStore(None))
    assert keys.token(["a", "b"], {})[0] != keys.token(["a\0str:b"], {})[0]
    # a template looping over a dict shows its order
    assert keys.token({"a": 1, "b": 2}, {})[0] != keys.token({"b": 2, "a": 1}, {})[0]
    # a closure or a partial carries data its name does not tell: render
    limit = 3
    with pytest.raises(Unknown):
        keys.token(lambda: limit, {})
    with pytest.raises(Unknown):
        keys.token(functools.partial(int, base=2), {})
    assert keys.token(shutil.copy, {})[0] == "Fshutil.copy"


def test_a_missing_optional_include_makes_its_page_render():
    environment = Environment(
        loader=DictLoader({"page.html": "{% include 'extra.html' ignore missing %}"})
    )
    template = environment.get_template("page.html")
    assert TemplateDeps.of(template, {}) is None


def test_a_template_saved_during_the_build_is_not_stored_under_its_new_hash(tmp_path):
    (tmp_path / "page.html").write_text("{% include 'part.html' %}", encoding="utf-8")
    (tmp_path / "part.html").write_text("old", encoding="utf-8")
    environment = Environment(loader=FileSystemLoader(str(tmp_path)))
    template = environment.get_template("page.html")
    deps = TemplateDeps.of(template, {})
    assert deps.still_current(template)
    part = tmp_path / "part.html"
    part.write_text("new", encoding="utf-8")
    os.utime(part, (part.stat().st_atime, part.stat().st_mtime + 5))
    assert not deps.still_current(template)
