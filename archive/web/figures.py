"""What the SVG pictures show: meetings per year (or month) and who met whom.

The numbers come from two aggregate queries; the geometry is computed here and drawn by Django templates
(``templates/web/charts/*.svg``), so the pictures are plain accessible SVG: ``role="img"``, ``<title>``,
``<desc>`` and text labels. Pages embed them inline with a data table (``chart_meetings_context`` and
``chart_graph_context`` with the includes in ``templates/web/charts/``); ``archive/web/views/charts.py``
serves them as pictures of their own.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth, TruncYear
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _

from archive.entities.errors import ParamError
from archive.entities.models import Meeting
from archive.entities.network import NETWORK_DEFAULT_NODES, NETWORK_MAX_NODES, network_read
from archive.web.graph_layout import GraphNode, column_layout, radial_layout
from archive.web.presenters import month_year, official_name

PERIODS = ("year", "month")
GRAPH_DEFAULT_NODES = NETWORK_DEFAULT_NODES
GRAPH_MAX_NODES = NETWORK_MAX_NODES

# Bar chart geometry, in SVG user units (the picture scales with its container through viewBox).
BAR_WIDTH = 720
BAR_MAX_SLOT = 64
BAR_PLOT_HEIGHT = 220
BAR_MARGIN_TOP = 24
BAR_MARGIN_SIDE = 48
BAR_MARGIN_BOTTOM = 96
# Room one axis label needs; narrower bars get a label every few bars (each bar keeps its own <title>).
BAR_LABEL_ROOM = {"year": 40, "month": 20}
# The network's two drawing widths in CSS pixels: the wide one where the figure has 60rem (960 px), the
# narrow one for a 390 px phone (358 px of content); see charts.css.
GRAPH_WIDE_PX = 960
GRAPH_NARROW_PX = 350


# A chart parameter that cannot be used: the archive's one parameter error.
ChartParamError = ParamError


def _counted_meetings() -> QuerySet:
    # Proposed meetings count as well as approved ones: the archive shows extraction results until an
    # editor rejects them, the same rule the meeting pages follow.
    return Meeting.objects.visible()


# --- meetings per period ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    start: datetime.date
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    axis_label: str

    @property
    def center(self) -> float:
        return self.x + self.width / 2


def _period_starts(first: datetime.date, last: datetime.date, by: str) -> list[datetime.date]:
    """Every year (or month) from first to last, so empty periods show as gaps rather than vanish."""
    starts = []
    current = first
    while current <= last:
        starts.append(current)
        if by == "year":
            current = current.replace(year=current.year + 1)
        else:
            current = current.replace(year=current.year + current.month // 12, month=current.month % 12 + 1)
    return starts


def _nice_ticks(top: int) -> list[int]:
    """Up to five round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0, 1]
    step = 10 ** max(0, len(str(top)) - 1)
    while top / step > 5:
        step *= 2
    while top / step < 2 and step > 1:
        step = max(1, step // 2)
    return list(range(0, top + step, step))


def chart_meetings_context(*, by: str = "year", official_id: int | None = None) -> dict:
    """Everything ``web/charts/meetings_per_period.svg`` (and the figure include) needs: 1 SQL query."""
    if by not in PERIODS:
        raise ChartParamError("by", _("Expected “year” or “month”."))
    meetings = _counted_meetings().filter(date__isnull=False)
    if official_id is not None:
        meetings = meetings.filter(participants=official_id)
    trunc = TruncYear("date") if by == "year" else TruncMonth("date")
    rows = meetings.annotate(period=trunc).values("period").annotate(n=Count("id", distinct=True))
    counts = {row["period"]: row["n"] for row in rows.order_by("period")}
    starts = _period_starts(min(counts), max(counts), by) if counts else []
    top = max(counts.values(), default=0)
    ticks = _nice_ticks(top)
    scale = BAR_PLOT_HEIGHT / ticks[-1]
    width = BAR_WIDTH
    baseline = BAR_MARGIN_TOP + BAR_PLOT_HEIGHT
    plot_width = width - 2 * BAR_MARGIN_SIDE
    slot = min(BAR_MAX_SLOT, plot_width / max(1, len(starts)))
    # Few bars stay grouped in the middle rather than stretched across the whole width.
    offset = BAR_MARGIN_SIDE + (plot_width - slot * len(starts)) / 2
    every = math.ceil(BAR_LABEL_ROOM[by] / slot)
    bars = []
    for index, start in enumerate(starts):
        count = counts.get(start, 0)
        label = str(start.year) if by == "year" else month_year(start)
        if by == "month" and every > 1:
            # Many months: name each year once, under its first bar.
            every_year = math.ceil(BAR_LABEL_ROOM["year"] / (12 * slot))
            shown = (start.month == 1 and start.year % every_year == 0) or index == 0
            axis_label = str(start.year) if shown else ""
        else:
            axis_label = label if index % every == 0 else ""
        height = count * scale
        x = offset + index * slot + slot * 0.15
        bars.append(Bar(start, label, count, x, baseline - height, slot * 0.7, height, axis_label))
    title = _("Meetings per year") if by == "year" else _("Meetings per month")
    if bars:
        total = sum(counts.values())
        desc = ngettext(
            "%(total)s meeting from %(first)s to %(last)s; the most in %(peak)s (%(peak_count)s).",
            "%(total)s meetings from %(first)s to %(last)s; the most in %(peak)s (%(peak_count)s).",
            total,
        ) % {
            "total": total,
            "first": bars[0].label,
            "last": bars[-1].label,
            "peak": max(bars, key=lambda bar: bar.count).label,
            "peak_count": top,
        }
    else:
        desc = _("No dated meetings yet.")
    return {
        "title": title,
        "desc": desc,
        "by": by,
        "bars": bars,
        "ticks": [{"value": tick, "y": baseline - tick * scale} for tick in ticks],
        "width": width,
        "height": baseline + (BAR_MARGIN_BOTTOM if by == "month" and every == 1 else 40),
        # Counts above the bars only when there is room to read them.
        "show_values": slot >= BAR_LABEL_ROOM["month"],
        "baseline": baseline,
        "plot_left": BAR_MARGIN_SIDE,
        "plot_right": width - BAR_MARGIN_SIDE,
        "center_x": width / 2,
        # Month names are long: turn them so neighbours do not overlap.
        "rotate_labels": by == "month" and every == 1,
    }


# --- who met whom ---------------------------------------------------------------------------------


def chart_graph_context(
    *,
    official_id: int | None = None,
    limit: int = GRAPH_DEFAULT_NODES,
    year: int | None = None,
    country: str = "",
) -> dict:
    """Both layouts of the network (``web/charts/who_met_whom.svg``): 2 SQL queries whatever the data size.

    The wide (radial) layout is shown where the figure has room for it and the column layout otherwise (a CSS
    container query), each drawn at 1:1 so that labels keep the body font size. With ``official_id`` the
    picture is that official's circle: them in the centre, those they met around.
    """
    network = network_read(official_id=official_id, year=year, country=country, limit=limit)
    nodes = [
        GraphNode(o.pk, official_name(o), network.degree[o.pk], o.get_absolute_url())
        for o in network.officials
    ]
    wide = radial_layout(nodes, network.pairs, width=GRAPH_WIDE_PX, centre=network.centre)
    narrow = column_layout(
        nodes, network.pairs, width=GRAPH_NARROW_PX, rtl=get_language_bidi(), centre=network.centre
    )
    # The pairs for the table and the description: most meetings first, then by name.
    edges = sorted(wide.edges, key=lambda e: (-e.weight, e.source.full_label, e.target.full_label))
    if edges:
        strongest = edges[0]
        sentence = ngettext(
            "%(nodes)s officials linked by %(edges)s pair of shared meetings; "
            "the most frequent: %(first)s and %(second)s (%(count)s).",
            "%(nodes)s officials linked by %(edges)s pairs of shared meetings; "
            "the most frequent: %(first)s and %(second)s (%(count)s).",
            len(edges),
        )
        values = {"nodes": len(nodes), "edges": len(edges), "count": strongest.weight}
        names = {"first": strongest.source.full_label, "second": strongest.target.full_label}
        desc = sentence % (values | names)
        # On the page the names are isolated, so that an Arabic name in an English sentence keeps its place.
        isolated = {key: format_html("<bdi>{}</bdi>", name) for key, name in names.items()}
        caption = mark_safe(escape(sentence) % (values | isolated))  # the sentence is escaped first
    else:
        desc = _("No meetings with two or more known participants yet.")
        caption = desc
    return {
        "title": _("Who met whom"),
        "desc": desc,
        "caption": caption,
        "wide": wide,
        "narrow": narrow,
        "edges": edges,
        "centred": network.centre is not None,
    }
