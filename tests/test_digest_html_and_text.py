"""``model.html_and_text`` parses a story body once and gives exactly what two
parses give: ``absolute_html`` of the body and ``html_to_text`` of that."""

import random

import pytest

from gratitude_press.newsletter.model import absolute_html, html_and_text, html_to_text

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
