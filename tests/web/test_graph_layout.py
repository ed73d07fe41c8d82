"""The network's layouts (web/graph_layout.py): a label per row, inside the picture, mirrored in RTL."""

from itertools import combinations, pairwise

from archive.web.graph_layout import (
    ELLIPSIS,
    ROW_PX,
    GraphNode,
    column_layout,
    fit_label,
    label_width,
    order_nodes,
    radial_layout,
)

NAMES = [
    "سيرغي لافروف",
    "سراج الدين مهر الدين",
    "إمام علي رحمون",
    "فلاديمير بوتين",
    "Sergey Lavrov",
    "عبد الفتاح السيسي",
    "خالد بن سلمان بن عبد العزيز آل سعود ولي العهد",
]


def network(size: int) -> tuple[list[GraphNode], dict[tuple[int, int], int]]:
    nodes = [GraphNode(i, NAMES[i % len(NAMES)], size - i, f"/ar/officials/{i}/") for i in range(size)]
    pairs = {(a, b): 1 + (a + b) % 4 for a, b in combinations(range(size), 2) if (a * b + a) % 3 == 0}
    return nodes, pairs


def label_box(node) -> tuple[float, float]:
    width = label_width(node.label)
    if node.anchor == "start":
        return node.label_x, node.label_x + width
    if node.anchor == "end":
        return node.label_x - width, node.label_x
    return node.label_x - width / 2, node.label_x + width / 2


def test_it_gives_each_label_on_the_ring_a_row_of_its_own_inside_the_picture():
    nodes, pairs = network(30)
    layout = radial_layout(nodes, pairs, width=960)

    assert len(layout.nodes) == 30
    for side in ("start", "end"):
        rows = sorted(n.label_y for n in layout.nodes if n.anchor == side)
        assert all(b - a >= ROW_PX - 0.2 for a, b in pairwise(rows))
    for node in layout.nodes:
        left, right = label_box(node)
        assert left >= 0 and right <= layout.width
    assert {n.href for n in layout.nodes} == {n.href for n in nodes}


def test_it_puts_the_officials_page_owner_in_the_middle():
    nodes, pairs = network(8)
    layout = radial_layout(nodes, pairs, width=960, centre=5)

    centre = layout.nodes[0]
    assert (centre.key, centre.centre, centre.x) == (5, True, 480)
    assert not any(n.centre for n in layout.nodes[1:])


def test_it_stacks_a_phone_column_with_arcs_on_the_side_the_text_does_not_start_from():
    nodes, pairs = network(12)
    arabic = column_layout(nodes, pairs, width=350, rtl=True)
    english = column_layout(nodes, pairs, width=350, rtl=False)

    assert all(n.anchor == "end" and n.label_x < n.x for n in arabic.nodes)
    assert all(n.anchor == "start" and n.label_x > n.x for n in english.nodes)
    rows = [n.y for n in arabic.nodes]
    assert rows == sorted(rows) and min(b - a for a, b in pairwise(rows)) >= ROW_PX
    for layout in (arabic, english):
        for node in layout.nodes:
            left, right = label_box(node)
            assert left >= 0 and right <= layout.width
    # Arcs bulge away from the labels: right of the column in Arabic, left of it in English.
    assert all(float(e.path.split("C")[1].split()[0]) > e.source.x for e in arabic.edges)
    assert all(float(e.path.split("C")[1].split()[0]) < e.source.x for e in english.edges)


def test_it_draws_heavier_pairs_with_thicker_lines():
    nodes = [GraphNode(i, f"n{i}", 1) for i in range(3)]
    layout = radial_layout(nodes, {(0, 1): 5, (1, 2): 1}, width=960)

    stroke = {(e.source.key, e.target.key): e.stroke for e in layout.edges}
    assert stroke[(0, 1)] > stroke[(1, 2)]


def test_it_seats_officials_who_met_most_next_to_each_other():
    nodes = [GraphNode(i, f"n{i}", w) for i, w in enumerate([9, 1, 1, 5])]
    ordered = [n.key for n in order_nodes(nodes, {(0, 3): 5, (1, 2): 1, (0, 2): 1})]

    assert ordered[:2] == [0, 3]


def test_it_cuts_a_label_too_long_for_its_room_with_an_ellipsis():
    long = NAMES[-1]
    cut = fit_label(long, 120)

    assert cut.endswith(ELLIPSIS) and label_width(cut) <= 120
    assert fit_label("بوتين", 120) == "بوتين"
