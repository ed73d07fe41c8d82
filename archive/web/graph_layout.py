"""Where to draw the who-met-whom network: pure geometry, no Django, no database.

Two layouts, both computed here and drawn 1:1 in pixels (the SVG is never scaled, so its labels keep the body
font size at every screen width):

- ``radial_layout`` for wide screens: the officials on a ring (or around the one whose page it is), one label
  per row on the outer side of its node, so no two labels share a line;
- ``column_layout`` for phones: the officials in one column with their labels beside them, and each pair that
  met drawn as an arc on the other side of the column (an arc diagram).

Both order the officials so that those who met most sit next to each other, which keeps edges short. Labels
too long for the room left are cut with an ellipsis (the full name stays in the node's tooltip and the table).
"""

import math
from dataclasses import dataclass, field

# Labels are set at the body font size; these are the pixel sizes the layout plans for.
FONT_PX = 16.0
ROW_PX = 30.0  # one label per row: the line height plus a little air
# Advance of a character at FONT_PX. Measured in Chromium with IBM Plex Sans Arabic on the network of the
# seeds and 400 ANT articles: 0.42em per character on average, 0.50em at most (Arabic and Latin names alike);
# 0.56em keeps the longest names from running past their room.
CHAR_PX = 0.56 * FONT_PX
NODE_MIN_R = 5.0
NODE_MAX_R = 11.0
CENTRE_R = 13.0
LABEL_GAP = 7.0
MARGIN = 12.0
EDGE_MIN = 1.5
EDGE_MAX = 8.0
ELLIPSIS = "…"


@dataclass(frozen=True)
class GraphNode:
    key: int
    label: str
    weight: int
    href: str = ""


@dataclass
class PlacedNode:
    key: int
    label: str
    full_label: str
    weight: int
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    anchor: str  # "start" or "end" in an SVG whose direction is left-to-right
    centre: bool = False
    href: str = ""


@dataclass
class PlacedEdge:
    source: PlacedNode
    target: PlacedNode
    weight: int
    stroke: float
    path: str  # SVG path data: a straight line or an arc


@dataclass
class Layout:
    kind: str
    width: float
    height: float
    nodes: list[PlacedNode] = field(default_factory=list)
    edges: list[PlacedEdge] = field(default_factory=list)


def label_width(text: str) -> float:
    return len(text) * CHAR_PX


def fit_label(text: str, room: float) -> str:
    """The label, cut with an ellipsis when it would need more than ``room`` pixels."""
    if label_width(text) <= room:
        return text
    keep = max(1, int(room / CHAR_PX) - 1)
    return text[:keep].rstrip() + ELLIPSIS


def order_nodes(
    nodes: list[GraphNode], pairs: dict[tuple[int, int], int], *, first: int | None = None
) -> list[GraphNode]:
    """Busiest first, then always the one most tied to those already placed (recent ones count more)."""
    if not nodes:
        return []
    ties: dict[int, dict[int, int]] = {node.key: {} for node in nodes}
    for (a, b), weight in pairs.items():
        if a in ties and b in ties:
            ties[a][b] = ties[a].get(b, 0) + weight
            ties[b][a] = ties[b].get(a, 0) + weight
    left = {node.key: node for node in nodes}
    start = first if first in left else max(nodes, key=lambda n: (n.weight, -n.key)).key
    ordered = [left.pop(start)]
    while left:
        placed = [node.key for node in ordered]

        def pull(candidate: GraphNode, placed=placed) -> tuple[float, int, int]:
            score = sum(
                ties[candidate.key].get(key, 0) / (1 + distance)
                for distance, key in enumerate(reversed(placed))
            )
            return (score, candidate.weight, -candidate.key)

        best = max(left.values(), key=pull)
        ordered.append(left.pop(best.key))
    return ordered


def _radius(weight: int, top: int) -> float:
    return round(NODE_MIN_R + (NODE_MAX_R - NODE_MIN_R) * math.sqrt(weight / max(1, top)), 1)


def _edges(placed: dict[int, PlacedNode], pairs: dict[tuple[int, int], int], path) -> list[PlacedEdge]:
    inside = [(a, b, w) for (a, b), w in pairs.items() if a in placed and b in placed]
    heaviest = max((w for _a, _b, w in inside), default=1)
    edges = [
        PlacedEdge(
            placed[a],
            placed[b],
            w,
            round(EDGE_MIN + (EDGE_MAX - EDGE_MIN) * (w - 1) / max(1, heaviest - 1), 1)
            if heaviest > 1
            else EDGE_MIN + 1,
            path(placed[a], placed[b]),
        )
        for a, b, w in inside
    ]
    # Light edges first, so the heavy ones are drawn on top; ties in a stable order.
    return sorted(edges, key=lambda e: (e.weight, e.source.full_label, e.target.full_label))


def _line(a: PlacedNode, b: PlacedNode) -> str:
    return f"M{a.x:.1f} {a.y:.1f}L{b.x:.1f} {b.y:.1f}"


def radial_layout(
    nodes: list[GraphNode],
    pairs: dict[tuple[int, int], int],
    *,
    width: float,
    centre: int | None = None,
) -> Layout:
    """The ring: right half top to bottom, then left half bottom to top; the centre official in the middle."""
    ordered = order_nodes(nodes, pairs, first=centre)
    middle = ordered[0] if centre is not None and ordered and ordered[0].key == centre else None
    ring = ordered[1:] if middle else ordered
    top = max((n.weight for n in ring), default=1)
    right = ring[: math.ceil(len(ring) / 2)]
    left = ring[len(right) :]
    rows = max(len(right), len(left), 1)
    ry = max(rows * ROW_PX / 2, 3 * ROW_PX)
    longest = max((label_width(n.label) for n in ring), default=0)
    # The ring is as round as the labels allow: wide enough for the centre label, narrow enough for the rest.
    room_for_labels = min(longest, width * 0.3) + NODE_MAX_R + LABEL_GAP + MARGIN
    rx = max(min(ry, width / 2 - room_for_labels), 4 * ROW_PX)
    cx = width / 2
    cy = MARGIN + ROW_PX / 2 + ry
    height = cy + ry + ROW_PX / 2 + MARGIN
    placed: dict[int, PlacedNode] = {}
    for side, members in ((1, right), (-1, left)):
        count = len(members)
        for index, node in enumerate(members if side == 1 else list(reversed(members))):
            y = cy - ry + (index + 0.5) * (2 * ry / count)
            dx = rx * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2))
            x = cx + side * max(dx, ROW_PX / 2)
            r = _radius(node.weight, top)
            label_x = x + side * (r + LABEL_GAP)
            room = (width - MARGIN - label_x) if side == 1 else (label_x - MARGIN)
            placed[node.key] = PlacedNode(
                key=node.key,
                label=fit_label(node.label, room),
                full_label=node.label,
                weight=node.weight,
                x=round(x, 1),
                y=round(y, 1),
                r=r,
                label_x=round(label_x, 1),
                label_y=round(y + FONT_PX * 0.35, 1),
                anchor="start" if side == 1 else "end",
                href=node.href,
            )
    if middle:
        placed[middle.key] = PlacedNode(
            key=middle.key,
            label=fit_label(middle.label, 2 * rx - 2 * ROW_PX),
            full_label=middle.label,
            weight=middle.weight,
            x=cx,
            y=round(cy, 1),
            r=CENTRE_R,
            label_x=cx,
            label_y=round(cy - CENTRE_R - LABEL_GAP, 1),
            anchor="middle",
            centre=True,
            href=middle.href,
        )
    layout = Layout("radial", round(width, 1), round(height, 1))
    layout.nodes = [placed[n.key] for n in ordered]
    layout.edges = _edges(placed, pairs, _line)
    return layout


def column_layout(
    nodes: list[GraphNode],
    pairs: dict[tuple[int, int], int],
    *,
    width: float,
    rtl: bool,
    centre: int | None = None,
) -> Layout:
    """One official per row; arcs on the side the text does not start from (the right in Arabic)."""
    ordered = order_nodes(nodes, pairs, first=centre)
    top = max((n.weight for n in ordered), default=1)
    arc_room = min(100.0, width * 0.3)
    # Logical coordinates: arcs at the start (0..arc_room), then the node, then its label; mirrored for RTL.
    node_at = arc_room + NODE_MAX_R
    label_at = node_at + NODE_MAX_R + LABEL_GAP
    room = width - MARGIN - label_at

    def physical(x: float) -> float:
        return round(width - x if rtl else x, 1)

    placed: dict[int, PlacedNode] = {}
    for index, node in enumerate(ordered):
        y = MARGIN + (index + 0.5) * ROW_PX
        is_centre = node.key == centre
        placed[node.key] = PlacedNode(
            key=node.key,
            label=fit_label(node.label, room),
            full_label=node.label,
            weight=node.weight,
            x=physical(node_at),
            y=round(y, 1),
            r=CENTRE_R if is_centre else _radius(node.weight, top),
            label_x=physical(label_at),
            label_y=round(y + FONT_PX * 0.35, 1),
            anchor="end" if rtl else "start",
            centre=is_centre,
            href=node.href,
        )

    def arc(a: PlacedNode, b: PlacedNode) -> str:
        span = abs(b.y - a.y)
        bulge = min(arc_room - 4, 6 + span * 0.45) / 0.75  # a cubic reaches 3/4 of its control offset
        control = a.x + bulge if rtl else a.x - bulge
        return f"M{a.x:.1f} {a.y:.1f}C{control:.1f} {a.y:.1f} {control:.1f} {b.y:.1f} {b.x:.1f} {b.y:.1f}"

    layout = Layout("column", round(width, 1), round(MARGIN * 2 + len(ordered) * ROW_PX, 1))
    layout.nodes = [placed[n.key] for n in ordered]
    layout.edges = _edges(placed, pairs, arc)
    return layout
