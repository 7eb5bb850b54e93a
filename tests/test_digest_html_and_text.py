"""``model.html_and_text`` parses a story body once and gives exactly what two
parses give: ``absolute_html`` of the body and ``html_to_text`` of that; and the
"Thanked back" section rendered from plain entries."""

import datetime as dt
import random

import pytest
from bs4 import BeautifulSoup
from newsletter_support import TZ, config, post, renderer, story, when

from gratitude_press.newsletter import period as periods
from gratitude_press.newsletter.model import (
    Returned,
    absolute_html,
    build_issue,
    html_and_text,
    html_to_text,
)
from gratitude_press.newsletter.render import Layout, Links

BASE = "https://gratitude.example/2026/the-note/"
PIECES = [
    '<p>Marcus wrote a card <a href="../other/">years later</a>, and Dana kept it.</p>',
    '<p>Two links: <a href="https://example.org/x?a=1&amp;b=2">one</a> and '
    '<a href="#story">#story</a>.</p>',
    '<a href="">empty href</a>',
    '<a name="anchor">no href</a>',
    '<a href="https://example.org/">https://example.org/</a>',
    '<img src="card.jpg" width="900">',
    '<img src="/images/a.png" alt="A card" width="320">',
    "<p>line one<br>line two<br/>line three</br></p>",
    "<p>&nbsp;spaced &lt;b&gt; &amp; &copy 2026 &#8212; done</p>",
    "<!-- a comment --><p>after a comment</p>",
    "<![CDATA[ raw ]]>",
    "<pre>  code\n    indented  </pre>",
    "   \n  ",
    "<blockquote><p>quoted</p><ul><li>in "
    "a <b>list</b></li><li>two</li></ul></blockquote>",
    "<ol><li><p>para in item</p></li></ol>",
    "<p><b>unclosed bold",
    "</p>stray end",
    "<p/>",
    "a < b and c > d",
    "<3 you",
    "<P CLASS=x>upper <A HREF=y.html>case</A></P>",
    "<h2>Heading</h2><h5>small heading</h5>",
    "<p>emoji \U0001f64f and accents é</p>",
    "text\r\nwith CRLF",
    "<div><p>in a div</p>tail text</div>",
    "<p>inner <p>nested paragraph</p> end</p>",
    "<table><tr><td>cell</td></tr></table>",
    "<p>a <script>alert(1)</script> b</p>",
    "<style>p{}</style><p>styled</p>",
    '<iframe src="x"></iframe>',
    "<p title='quote \" inside'>attr</p>",
    '<a href="x.html"><p>a paragraph in a link</p><br></a>',
    "<br>",
    '<li>item <a href="y">link <br> broken</a></li>',
    "<pre><p>p in pre</p></pre>",
]


@pytest.mark.parametrize("piece", PIECES)
def test_each_piece_alone(piece):
    reference = absolute_html(piece, BASE)
    assert html_and_text(piece, BASE) == (reference, html_to_text(reference))


def test_random_mixtures_of_pieces():
    rng = random.Random(2026)
    for _ in range(400):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
        reference = absolute_html(html, BASE)
        assert html_and_text(html, BASE) == (reference, html_to_text(reference)), html


def test_empty_body():
    assert html_and_text("", BASE) == ("", "")
    assert html_to_text("") == html_to_text(None) == ""


# --- the "Thanked back" section, from plain entries ----------------------------------

WEEK = periods.week_of(dt.date(2026, 11, 18), TZ)  # Monday 16 to Sunday 22 November
EARLIER = "https://gratitude.example/2026/the-card/#dana-whitfield-a-card"


def answer(title, giver, receiver, slug):
    found = story(f"https://gratitude.example/2026/{slug}/")
    found.title, found.giver, found.receiver = title, giver, receiver
    found.answers = Returned(
        "A card", EARLIER, "2026/the-card/#dana-whitfield-a-card", when("2026-03-10")
    )
    return found


def links(html):
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]


def thanked_back(html):
    label = BeautifulSoup(html, "html.parser").find(
        "p", class_="label", string="Thanked back"
    )
    return None if label is None else links(str(label.parent))


def test_only_the_answers_of_the_items_shown_are_in_the_section():
    entries = [
        post(
            "The reply",
            "2026-11-17 08:00",
            slug="the-reply",
            stories=[answer("The reply", "Marcus Lee", "Dana Whitfield", "the-reply")],
        ),
        post(
            "Later",
            "2026-11-19 08:00",
            slug="later",
            stories=[answer("Marcus Lee thanks Dana", "Marcus Lee", "Dana", "later")],
        ),
    ]
    issue = build_issue(WEEK, entries, config())
    assert [story.title for story in issue.answers] == [
        "The reply",
        "Marcus Lee thanks Dana",
    ]
    render = renderer()
    full = render.render(issue, Links("https://u.example/", "https://v.example/"))
    assert thanked_back(full.html) == [
        "https://gratitude.example/2026/the-reply/#story-card",
        EARLIER,
        "https://gratitude.example/2026/later/#story-card",
        EARLIER,
    ]
    # The untitled one says who in its title: not again.
    assert "Marcus Lee thanks Dana Whitfield in return for" in full.text
    assert 'In return for "A card" (March 10, 2026).' in full.text
    one = render.render(issue, Links("u", "v"), Layout("titles", 1))
    assert thanked_back(one.html) == [
        "https://gratitude.example/2026/the-reply/#story-card",
        EARLIER,
    ]
    assert "/2026/later/#story-card" not in one.text


def test_an_issue_whose_stories_answer_nothing_has_no_section():
    issue = build_issue(
        WEEK, [post("The note", "2026-11-17 08:30", stories=[story()])], config()
    )
    assert issue.answers == []
    rendered = renderer().render(issue, Links("u", "v"))
    assert thanked_back(rendered.html) is None
    assert "THANKED BACK" not in rendered.text
