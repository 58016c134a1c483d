"""Metric figures as plain dicts (no graph_objects validation in the hot path).

Which figure fits is decided by how many points there are (the view model's
:func:`~dashboard.views.points.chart_kind`): one point is a value card (no figure), two are a
comparison (bars from zero), three or more are a trend (line, labelled directly). A figure never
mixes bases: callers pass one basis at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..formatting import format_value
from ..views.points import Point
from .theme import (
    DARK_BLUE,
    DARK_GREY,
    MID_GREY,
    ORANGE,
    base_layout,
    pin_category_positions,
    plotly_text,
    two_line_tick,
    vertical_rule,
    wrap_title,
)


def _hover(unit: str) -> str:
    return "%{x}: %{customdata}<extra></extra>"


#: A trend labels at most this many periods on its axis (every point still has its hover label
#: and its row in the table): forty labels cannot be read, and placing each one costs Plotly
#: a text measurement in every drawing.
MAX_TICKS = 6


#: A trend line on a date axis labels at most this many (six two-line labels fit level under a
#: chart half the page wide at 1366x768, and at 200% zoom).
TREND_TICKS = MAX_TICKS


#: Axis labels of one wide word ("2008/09": a financial year has no space to split it onto two
#: lines) that fit level under a trend or XmR chart at 200% zoom (six ran into each other).
WIDE_TICKS = 3


def tick_room(labels: Sequence[str]) -> int:
    """How many of these axis labels fit level: six of two lines or short words ("2019"),
    three of one wide word ("2008/09")."""
    return WIDE_TICKS if any(" " not in label and len(label) > 5 for label in labels) else MAX_TICKS


def tick_positions(count: int, most: int = MAX_TICKS) -> list[int]:
    """Which of ``count`` points get an axis label: all of a short series; else evenly spaced,
    counted back from the latest, which is always labelled."""
    if count <= most:
        return list(range(count))
    step = -(-count // most)
    return sorted(range(count - 1, -1, -step))


def spaced_ticks(ends: Sequence[dt.date], most: int = TREND_TICKS) -> list[int]:
    """Which points of a date axis get a label: at most ``most``, evenly spaced in time (not in
    count: a series of yearly then quarterly points would crowd its labels at the quarterly
    end), counted back from the latest, which is always labelled."""
    if len(ends) <= 1:
        return list(range(len(ends)))
    gap = (ends[-1] - ends[0]).days / most
    shown = [len(ends) - 1]
    for i in range(len(ends) - 2, -1, -1):
        if (ends[shown[-1]] - ends[i]).days >= gap:
            shown.append(i)
    return sorted(shown)


#: The longest step between two points of a series of separate periods before the line is
#: broken: a missing quarter or year is a gap on the chart, never a line drawn across it.
_QUARTER = re.compile(r"^\d{4}/\d{2} Q[1-4]$")
_YEAR = re.compile(r"^\d{4}(/\d{2})?$")
_LONGEST_STEP = ((_QUARTER, 100), (_YEAR, 400))  # days between the periods' last days


def with_gaps(
    points: Sequence[Point], dates: list[str], values: list[float], custom: list
) -> tuple[list, list, list]:
    """The series with a break (a point with no value) wherever a quarter or year is missing
    between two held ones; other series (rolling, snapshots) as they are."""
    labels = [p.label for p in points]
    longest = next(
        (days for pattern, days in _LONGEST_STEP if all(pattern.match(lb) for lb in labels)), None
    )
    if longest is None:
        return dates, values, custom
    x: list = [dates[0]]
    y: list = [values[0]]
    c: list = [custom[0]]
    for i in range(1, len(points)):
        before, after = points[i - 1].end, points[i].end
        if before is not None and after is not None and (after - before).days > longest:
            x.append((before + (after - before) / 2).isoformat())
            y.append(None)
            c.append(["not in the data", ""])
        x.append(dates[i])
        y.append(values[i])
        c.append(custom[i])
    return x, y, c


#: A break's label: characters a line (wrapped at words) and its distance below the plot's top.
BREAK_LABEL_WIDTH = 26


def break_marks(
    ends: Sequence[dt.date | None], breaks: Sequence[tuple[dt.date, str]]
) -> tuple[list[dict], list[dict]]:
    """(shapes, annotations) marking each break of the register on a date axis as the XmR chart
    does: a dotted rule between the last point before the break and the first on the new
    footing (``breaks``: that point's last day, and what changed), its label at the top of the
    plot on the side with room. A break before the first point or after the last is not drawn:
    the chart has nothing on one side of it."""
    shapes: list[dict] = []
    annotations: list[dict] = []
    known = [e for e in ends if e is not None]
    if len(known) < 2:
        return shapes, annotations
    middle = known[0] + (known[-1] - known[0]) / 2
    for first_day, label in breaks:
        after = next((i for i, e in enumerate(known) if e >= first_day), None)
        if after is None or after == 0:
            continue
        x = known[after - 1] + (known[after] - known[after - 1]) / 2
        later = x > middle
        shapes.append(vertical_rule(x.isoformat(), DARK_GREY, 1.5))
        annotations.append(
            {
                "x": x.isoformat(),
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": wrap_title(label, BREAK_LABEL_WIDTH),
                "showarrow": False,
                "xanchor": "right" if later else "left",
                "yanchor": "top",
                "xshift": -4 if later else 4,
                "align": "right" if later else "left",
                "font": {"color": DARK_GREY, "size": 13},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    return shapes, annotations


def trend_figure(
    points: Sequence[Point],
    unit: str,
    title: str,
    *,
    height: int = 360,
    basis: str = "",
    breaks: Sequence[tuple[dt.date, str]] = (),
) -> dict:
    """A line with markers; the last value labelled at the end of the line, no legend.

    ``basis`` (the chart kinds' screen contract) is not written on the chart: the caption says
    it. ``breaks``: the register's breaks of the series, marked as :func:`break_marks` does.

    Points that know their period's end are placed in time (a date axis labelled with the
    periods), so uneven gaps, such as 2019 then 2021, look uneven rather than adjacent.
    """
    labels = [p.label for p in points]
    values = [p.value for p in points]
    text = [format_value(v, unit) for v in values]
    layout = base_layout(title, height=height)
    if all(p.end is not None for p in points):
        dates = [p.end.isoformat() for p in points if p.end is not None]
        prefix = "12 months to "
        rolling = all(label.startswith(prefix) for label in labels)
        ticks = [label.removeprefix(prefix) for label in labels] if rolling else labels
        shown = spaced_ticks(
            [p.end for p in points if p.end is not None], min(TREND_TICKS, tick_room(ticks))
        )
        layout["xaxis"].update(
            {
                "type": "date",
                "tickmode": "array",
                "tickvals": [dates[i] for i in shown],
                "ticktext": [two_line_tick(ticks[i]) for i in shown],
                # Level, on two lines: tilted labels of a crowded axis run into each other.
                "tickangle": 0,
                "title": {"text": "Twelve months ending" if rolling else ""},
            }
        )
        customdata = [[label, value] for label, value in zip(labels, text, strict=True)]
        x, y, custom = with_gaps(points, dates, values, customdata)
        figure = {
            "data": [
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": x,
                    "y": y,
                    "customdata": custom,
                    "hovertemplate": "%{customdata[0]}: %{customdata[1]}<extra></extra>",
                    "line": {"color": DARK_BLUE, "width": 3},
                    "marker": {"size": 9, "color": DARK_BLUE},
                    "name": "",
                }
            ],
            "layout": layout,
        }
        layout["yaxis"].update({"title": {"text": ""}, "tickformat": ",~r"})
        shapes, notes = break_marks([p.end for p in points], breaks)
        layout["annotations"] = [_end_label(dates[-1], values[-1], text[-1]), *notes]
        if shapes:
            layout["shapes"] = shapes
        return figure
    layout["xaxis"].update({"type": "category", "title": {"text": ""}})
    layout["yaxis"].update({"title": {"text": ""}, "tickformat": ",~r"})
    layout["annotations"] = [
        {
            "x": labels[-1],
            "y": values[-1],
            "text": f"<b>{text[-1]}</b>",
            "showarrow": False,
            "xanchor": "left",
            "xshift": 10,
            "font": {"color": DARK_BLUE, "size": 16},
        }
    ]
    return pin_category_positions(
        {
            "data": [
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": labels,
                    "y": values,
                    "customdata": text,
                    "hovertemplate": _hover(unit),
                    "line": {"color": DARK_BLUE, "width": 3},
                    "marker": {"size": 9, "color": DARK_BLUE},
                    "name": "",
                }
            ],
            "layout": layout,
        }
    )


def _end_label(x: str, y: float, text: str) -> dict:
    return {
        "x": x,
        "y": y,
        "text": f"<b>{text}</b>",
        "showarrow": False,
        "xanchor": "left",
        "xshift": 10,
        "font": {"color": DARK_BLUE, "size": 16},
    }


def comparison_figure(
    points: Sequence[Point],
    unit: str,
    title: str,
    *,
    height: int = 320,
    basis: str = "",
    breaks: Sequence[tuple[dt.date, str]] = (),
) -> dict:
    """Two (or a few) bars from zero with their values written on them: a comparison, not a
    trend (``basis``: as for :func:`trend_figure`; ``breaks`` are not drawn between bars)."""
    labels = [p.label for p in points]
    values = [p.value for p in points]
    text = [format_value(v, unit) for v in values]
    colours = [MID_GREY] * (len(points) - 1) + [DARK_BLUE]
    layout = base_layout(title, height=height)
    layout["xaxis"].update({"type": "category"})
    layout["yaxis"].update({"rangemode": "tozero", "tickformat": ",~r"})
    layout["bargap"] = 0.45
    return {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": values,
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": 16, "color": DARK_GREY},
                "customdata": text,
                "hovertemplate": _hover(unit),
                "marker": {"color": colours, "line": {"color": DARK_GREY, "width": 1}},
                "name": "",
            }
        ],
        "layout": layout,
    }


def areas_figure(names: list[str], values: list[float], unit: str, title: str) -> dict:
    """Areas side by side: horizontal bars from zero, values written at the bar ends."""
    text = [format_value(v, unit) for v in values]
    layout = base_layout(title, height=max(240, 70 + 48 * len(names)))
    layout["xaxis"].update({"rangemode": "tozero", "showgrid": True, "gridcolor": "#E1E1E1"})
    layout["yaxis"].update({"type": "category", "autorange": "reversed", "rangemode": "normal"})
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": values,
                "y": [plotly_text(n) for n in names],  # area names from the data: text
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": text,
                "hovertemplate": "%{y}: %{customdata}<extra></extra>",
                "marker": {"color": ORANGE if len(names) == 1 else DARK_BLUE},
                "name": "",
            }
        ],
        "layout": layout,
    }


def period_table(points: Sequence[Point], unit: str) -> tuple[str, list[list[str]]]:
    """The table under a trend or bars: each period and its value with its unit."""
    return "Period", [[p.label, format_value(p.value, unit, with_unit=True)] for p in points]
