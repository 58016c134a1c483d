"""The comparison's two figures, as plain dicts: the change over 12 months of Essex, each force
of its most similar group, the group's average and England and Wales (horizontal bars from
zero); and Essex against the group and England and Wales over the whole span (index lines).

Essex is never told apart by colour alone: its bar and line are labelled with its name (in
bold), the group's average and England and Wales are named rows and differently dashed lines,
each line is labelled at its end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from ..views.compare import Line
from .theme import (
    DARK_BLUE,
    DARK_GREY,
    MID_GREY,
    ORANGE,
    TEXT,
    base_layout,
    plotly_text,
    vertical_rule,
    wrap_title,
)

#: Bar colours by role (Essex stands out; the two summary rows are darker than the forces).
ROLE_COLOURS = {
    "focus": ORANGE,
    "peer": DARK_BLUE,
    "group_average": DARK_GREY,
    "national": DARK_GREY,
}


def _signed(percent: float) -> str:
    sign = "+" if percent > 0 else "−" if percent < 0 else ""
    return f"{sign}{abs(percent):,.1f}%"


def change_figure(lines: Sequence[Line], title: str) -> dict:
    """Percentage change over 12 months, one bar per line that has one, in the lines' order."""
    shown = [line for line in lines if line.percent is not None]
    names = [
        f"<b>{plotly_text(line.name)}</b>" if line.role == "focus" else plotly_text(line.name)
        for line in shown
    ]
    values = [float(line.percent) for line in shown if line.percent is not None]
    text = [_signed(v) for v in values]
    layout = base_layout(title, height=max(260, 90 + 44 * len(shown)))
    low, high = min([0.0, *values]), max([0.0, *values])
    pad = _label_room(high - low, sides=(low < 0) + (high > 0))
    layout["xaxis"].update(
        {
            "range": [low - (pad if low < 0 else 0), high + (pad if high > 0 else 0)],
            "showgrid": True,
            "gridcolor": "#E1E1E1",
            "zeroline": True,
            "zerolinecolor": DARK_GREY,
            "zerolinewidth": 2,
            "ticksuffix": "%",
            "title": {"text": "Change over 12 months"},
        }
    )
    layout["yaxis"].update({"type": "category", "autorange": "reversed", "automargin": True})
    layout["margin"]["r"] = 40
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": values,
                "y": names,
                "text": text,
                # Inside a long bar, outside a short one: a label never overprints the names
                # (at 200% zoom the chart is narrow). Dark text on Essex's orange, white on the
                # dark bars.
                "textposition": "auto",
                "constraintext": "none",
                "cliponaxis": False,
                "insidetextanchor": "end",
                "insidetextfont": {
                    "size": 16,
                    "color": [TEXT if line.role == "focus" else "#FFFFFF" for line in shown],
                },
                "outsidetextfont": {"size": 16, "color": DARK_GREY},
                "customdata": text,
                "hovertemplate": "%{y}: %{customdata}<extra></extra>",
                "marker": {
                    "color": [ROLE_COLOURS[line.role] for line in shown],
                    "line": {"color": DARK_GREY, "width": 1},
                },
                "name": "",
            }
        ],
        "layout": layout,
    }


#: The narrowest plot area a bar chart is drawn in (1366x768 at 200% zoom, after the forces'
#: names) and the widest bar label ("−12.5%" at 16 px, with its gap), in CSS pixels.
NARROWEST_PLOT_PX = 300
BAR_LABEL_PX = 70


def _label_room(span: float, sides: int) -> float:
    """Room beyond the longest bar on each side that has bars, in the bars' units, so that a
    label outside a short bar stays inside the plot and off the forces' names even in the
    narrowest plot: ``pad / (span + sides * pad)`` is the label's share of the plot's width."""
    share = BAR_LABEL_PX / NARROWEST_PLOT_PX
    span = max(span, 1.0)
    return span * share / (1 - max(sides, 1) * share)


#: The trend's lines: (key of the series, name, colour, dash).
TREND_LINES = (
    ("focus", "Essex", ORANGE, "solid"),
    ("group", "Group average", DARK_BLUE, "dash"),
    ("national", "England and Wales", DARK_GREY, "dot"),
)


#: Below the plot: the date axis, its labels and its title (CSS pixels, an upper bound).
PLOT_BOTTOM_PX = 100
#: The least distance between two line-end labels' middles (15 px text).
END_LABEL_GAP_PX = 22
#: Marks closer than this share the top of the plot: the later one's label is a row lower.
MARK_APART_DAYS = 3 * 365
MARK_ROW_PX = 36


def _apart(values: Sequence[float], low: float, high: float, plot_px: float) -> list[float]:
    """Vertical shifts (px, up is positive) that keep labels at ``values`` at least
    END_LABEL_GAP_PX apart, moving as little as it can: the lower label of a close pair moves
    down, the higher one stays by its line."""
    scale = plot_px / (high - low) if high > low else 0.0
    wanted = [(v - low) * scale for v in values]
    order = sorted(range(len(values)), key=lambda i: -wanted[i])
    placed: dict[int, float] = {}
    for i in order:
        y = wanted[i]
        above = [placed[j] for j in placed]
        if above:
            y = min(y, min(above) - END_LABEL_GAP_PX)
        placed[i] = y
    return [round(placed[i] - wanted[i], 1) for i in range(len(values))]


def group_trend_figure(
    ends: Sequence[dt.date],
    series: Mapping[str, Sequence[float | None]],
    title: str,
    *,
    names: Mapping[str, str] | None = None,
    marks: Sequence[tuple[dt.date, str]] = (),
    axis_title: str = "",
    height: int = 420,
) -> dict:
    """Index lines over time (first common period = 100), each labelled at its last point;
    ``marks`` are dated vertical lines with a short label (breaks and caveats of the register)."""
    dates = [d.isoformat() for d in ends]
    ends_dates = sorted(ends)
    layout = base_layout(title, height=height)
    # The range is the data's: labels at the line ends sit in the right margin, and Plotly
    # would otherwise widen the axis to hold them.
    layout["xaxis"].update(
        {
            "type": "date",
            "title": {"text": axis_title},
            "autorange": False,
            "range": [dates[0], dates[-1]] if dates else None,
        }
    )
    layout["yaxis"].update({"title": {"text": "Index (first period = 100)"}, "tickformat": ",~r"})
    layout["margin"]["r"] = 250
    data, annotations, shapes = [], [], []
    end_values: list[float] = []
    label_names = {key: name for key, name, _, _ in TREND_LINES} | dict(names or {})
    for key, _, colour, dash in TREND_LINES:
        values = list(series.get(key, ()))
        if not any(v is not None for v in values):
            continue
        name = label_names[key]
        text = ["–" if v is None else f"{v:,.1f}" for v in values]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": dates,
                "y": values,
                "customdata": text,
                "hovertemplate": f"{plotly_text(name)} %{{x|%b %Y}}: %{{customdata}}<extra></extra>",
                "line": {"color": colour, "width": 4 if key == "focus" else 3, "dash": dash},
                "name": plotly_text(name),
                "connectgaps": False,
            }
        )
        last = max(i for i, v in enumerate(values) if v is not None)
        end_values.append(float(values[last] or 0.0))
        annotations.append(
            {
                "x": dates[last],
                "y": values[last],
                "text": f"<b>{plotly_text(name)}</b> {text[last]}"
                if key == "focus"
                else f"{plotly_text(name)} {text[last]}",
                "showarrow": False,
                "xanchor": "left",
                "xshift": 8,
                "font": {"color": colour if key != "national" else DARK_GREY, "size": 15},
            }
        )
    known = [v for key, _, _, _ in TREND_LINES for v in series.get(key, ()) if v is not None]
    low, high = min([0.0, *known]), max([0.0, *known]) * 1.08 or 1.0
    layout["yaxis"].update({"range": [low, high], "autorange": False})
    plot_px = height - layout["margin"]["t"] - PLOT_BOTTOM_PX
    for note, shift in zip(annotations, _apart(end_values, low, high, plot_px), strict=True):
        note["yshift"] = shift
    # A mark's label reads away from the line ends' labels (in the right margin): to the left of
    # a mark in the later half of the span. Two lines at most 20 characters wide; a mark close
    # after another has its label lower down.
    middle = ends_dates[0] + (ends_dates[-1] - ends_dates[0]) / 2 if ends_dates else None
    previous: dt.date | None = None
    row = 0
    for day, label in marks:
        x = day.isoformat()
        later = middle is not None and day > middle
        row = row + 1 if previous is not None and (day - previous).days < MARK_APART_DAYS else 0
        previous = day
        shapes.append(vertical_rule(x, MID_GREY, 2))
        annotations.append(
            {
                "x": x,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": wrap_title(label, 20),
                "showarrow": False,
                "xanchor": "right" if later else "left",
                "yanchor": "top",
                "xshift": -4 if later else 4,
                "yshift": -MARK_ROW_PX * row,
                "font": {"color": DARK_GREY, "size": 13},
            }
        )
    layout["annotations"] = annotations
    layout["shapes"] = shapes
    return {"data": data, "layout": layout}
