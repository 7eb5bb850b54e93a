"""Who thanked whom: the people and pairs of the picture on the gratitude index, laid
out and drawn as SVG (pure: story entries with givers and receivers in, plain data and
SVG text out).

networkx lays the people out (its ARF layout with a fixed seed and the people in slug
order, so a rebuild draws the same picture); ElementTree writes the SVG, so every
name is escaped. The picture needs no script: each person is a link to their page.
Colours come from the theme's stylesheet (classes only), so they follow the reader's
light or dark scheme. The picture is inline in a page with a size budget, so it is
written small: whole-pixel coordinates, and what every line or name shares (class,
arrow heads, halo) said once on its group rather than on each.
"""

import math
import xml.etree.ElementTree as etree

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 640, 460
# Room around the layout for the names written under each node.
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 80, 24, 36
NODE_RADIUS = 7
LABEL_GAP = 17  # from a node's centre to the baseline of its name
ARROW_GAP = 3  # between an arrow's tip and the node it points at
LAYOUT_SEED = 19
# Arrow heads: one-way thanks end in one; thanks both ways have one at each end
# (auto-start-reverse turns the start one round).
TIP = "M0 0L10 5L0 10z"
MARKERS = {"one": ("web-one", "auto"), "both": ("web-both", "auto-start-reverse")}


def pair_counts(stories):
    """``{(giver slug, receiver slug): number of stories}``: stories naming both."""
    counts = {}
    for entry in stories:
        giver, receiver = entry["giver_slug"], entry["receiver_slug"]
        if giver and giver != receiver:
            counts[(giver, receiver)] = counts.get((giver, receiver), 0) + 1
    return counts


def pairs_of(counts, people_by_slug):
    """One dict per two people with thanks between them: ``first`` and ``second`` (in
    name order), the counts each way and whether they thanked each other."""
    pairs = {}
    for (giver, receiver), count in counts.items():
        first, second = sorted(
            (people_by_slug[giver], people_by_slug[receiver]),
            key=lambda someone: (someone["name"].casefold(), someone["slug"]),
        )
        pair = pairs.setdefault(
            (first["slug"], second["slug"]),
            {"first": first, "second": second, "forward": 0, "back": 0},
        )
        pair["forward" if giver == first["slug"] else "back"] += count
    for pair in pairs.values():
        pair["both"] = bool(pair["forward"] and pair["back"])
        pair["total"] = pair["forward"] + pair["back"]
    return list(pairs.values())


def network(stories, people_by_slug, max_people, max_pairs):
    """The people and pairs the page shows, and what it leaves out.

    Beyond ``max_people`` it keeps those with the most partners (then the most
    thanks); beyond ``max_pairs`` the pairs among them with the most thanks.
    """
    pairs = pairs_of(pair_counts(stories), people_by_slug)
    partners, thanks = {}, {}
    for pair in pairs:
        for someone in (pair["first"], pair["second"]):
            partners[someone["slug"]] = partners.get(someone["slug"], 0) + 1
            thanks[someone["slug"]] = thanks.get(someone["slug"], 0) + pair["total"]
    ranked = sorted(
        partners,
        key=lambda slug: (
            -partners[slug],
            -thanks[slug],
            people_by_slug[slug]["name"].casefold(),
        ),
    )
    kept = set(ranked[:max_people])
    shown = sorted(
        (
            pair
            for pair in pairs
            if pair["first"]["slug"] in kept and pair["second"]["slug"] in kept
        ),
        key=lambda pair: (
            -pair["total"],
            not pair["both"],
            pair["first"]["name"].casefold(),
            pair["second"]["name"].casefold(),
        ),
    )[:max_pairs]
    slugs = sorted(
        {
            someone["slug"]
            for pair in shown
            for someone in (pair["first"], pair["second"])
        }
    )
    return {
        "people": [people_by_slug[slug] for slug in slugs],
        "pairs": shown,
        "all_people": len(partners),
        "all_pairs": len(pairs),
        "reciprocated": sum(pair["both"] for pair in pairs),
        "thanks": sum(pair["total"] for pair in pairs),
    }


def layout(slugs, pairs):
    """``{slug: (x, y)}`` inside the picture, by networkx's ARF layout (attractive
    and repulsive forces: linked people close, everyone else kept apart, which leaves
    room for the names)."""
    import networkx  # only a site that draws the picture pays for the import

    graph = networkx.Graph()
    graph.add_nodes_from(slugs)
    graph.add_edges_from(
        (pair["first"]["slug"], pair["second"]["slug"]) for pair in pairs
    )
    positions = networkx.arf_layout(graph, seed=LAYOUT_SEED)
    return fit({slug: tuple(map(float, xy)) for slug, xy in positions.items()})


def fit(positions):
    """The positions scaled into the picture, leaving the margins for the names."""
    if not positions:
        return {}
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    box_w, box_h = WIDTH - 2 * MARGIN_X, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def scale(value, low, high, size, offset):
        if high == low:
            return offset + size / 2
        return offset + (value - low) / (high - low) * size

    return {
        slug: (
            round(scale(x, min(xs), max(xs), box_w, MARGIN_X)),
            round(scale(y, min(ys), max(ys), box_h, MARGIN_TOP)),
        )
        for slug, (x, y) in positions.items()
    }


def _element(parent, tag, **attributes):
    return etree.SubElement(
        parent,
        tag,
        {key.replace("_", "-"): str(value) for key, value in attributes.items()},
    )


def _markers(svg):
    defs = _element(svg, "defs")
    for marker_id, orient in MARKERS.values():
        marker = _element(
            defs,
            "marker",
            id=marker_id,
            refX=10,
            refY=5,
            markerUnits="userSpaceOnUse",
            orient=orient,
        )
        _element(marker, "path", d=TIP)


def _shortened(start, end):
    """The segment from ``start`` to ``end``, cut back so it ends at the nodes' edge."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    cut = NODE_RADIUS + ARROW_GAP
    dx, dy = (x2 - x1) / length * cut, (y2 - y1) / length * cut
    return (round(x1 + dx), round(y1 + dy)), (round(x2 - dx), round(y2 - dy))


def _edges(svg, pairs, positions):
    """One group per kind of line: it carries the class and the arrow heads."""
    for kind, (marker_id, _) in MARKERS.items():
        shown = [pair for pair in pairs if pair["both"] == (kind == "both")]
        if not shown:
            continue
        heads = {"marker-end": f"url(#{marker_id})"}
        if kind == "both":
            heads["marker-start"] = heads["marker-end"]
        group = _element(svg, "g", **{"class": kind, **heads})
        for pair in shown:
            first, second = pair["first"]["slug"], pair["second"]["slug"]
            # One-way thanks point from the giver to the receiver.
            giver, receiver = (first, second) if pair["forward"] else (second, first)
            (x1, y1), (x2, y2) = _shortened(positions[giver], positions[receiver])
            _element(group, "path", d=f"M{x1} {y1}L{x2} {y2}")


def _nodes(svg, people, positions, base_url):
    # paint-order puts each name's outline (the page's background colour, from the
    # stylesheet) under its letters: legible over the lines. As an attribute: the Nu
    # checker knows it there, not yet as a CSS property.
    group = _element(svg, "g", **{"class": "nodes", "paint-order": "stroke"})
    for someone in people:
        x, y = positions[someone["slug"]]
        link = _element(group, "a", href=f"{base_url}/{someone['url']}")
        _element(link, "circle", cx=x, cy=y, r=NODE_RADIUS)
        _element(link, "text", x=x, y=y + LABEL_GAP).text = someone["name"]


def svg_text(web, positions, base_url, title):
    """The picture as SVG markup for an HTML page; links start with ``base_url``."""
    svg = etree.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "aria-labelledby": "web-title",
        },
    )
    _element(svg, "title", id="web-title").text = title
    _markers(svg)
    _edges(svg, web["pairs"], positions)
    _nodes(svg, web["people"], positions, base_url)
    return etree.tostring(svg, encoding="unicode", short_empty_elements=True)
