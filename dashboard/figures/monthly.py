"""Monthly counts (police.uk) as a line with its missing months left as gaps, never joined.

A month the data do not hold is a break in the line and a shaded band labelled "not in the
data" (its row in the chart's table says the same): the line is never drawn across it, and no
value is made up for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from ..formatting import format_number, format_value
from ..views.districts import all_months
from ..views.points import Point
from .metric import break_marks
from .theme import DARK_BLUE, DARK_GREY, GRID, MID_GREY, base_layout, plotly_text


def _month_start(month: str) -> str:
    return f"{month}-01"


def _month_after(month: str) -> str:
    year, m = int(month[:4]), int(month[5:7])
    return f"{year + (m == 12):04d}-{m % 12 + 1:02d}-01"


def _runs(months: Sequence[str]) -> list[tuple[str, str]]:
    """Consecutive months grouped: [("2018-08", "2018-09")]."""
    runs: list[tuple[str, str]] = []
    for month in months:
        if runs and _month_after(runs[-1][1])[:7] == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def month_short(month: str) -> str:
    return f"{dt.date(int(month[:4]), int(month[5:7]), 1):%b %Y}"


def gap_words(missing: Sequence[str]) -> str:
    """'Aug 2018 and Sep 2018', 'Aug 2018': the months not in the data, in words."""
    names = [month_short(m) for m in missing]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def monthly_figure(
    months: Sequence[str],
    values: Mapping[str, float],
    title: str,
    unit: str = "count",
    *,
    comparator: Mapping[str, float] | None = None,
    comparator_name: str = "",
    height: int = 380,
    decimals: int | None = None,
    basis: str = "",
) -> dict:
    """``months``: every calendar month from the first held to the last; ``values`` the ones
    held. A second, dashed line (``comparator``) is labelled with its name at its end."""
    x = [_month_start(m) for m in months]
    y = [values.get(m) for m in months]
    missing = [m for m in months if m not in values]
    text = [_text(v, unit, decimals) if v is not None else "not in the data" for v in y]
    layout = base_layout(title, height=height)
    if basis:
        # The basis under the title, on every chart of these counts (never mistaken for ONS).
        layout["title"]["text"] += f"<br><span style='font-size:14px'>{plotly_text(basis)}</span>"
        layout["margin"]["t"] += 22
    layout["xaxis"].update(
        {
            "type": "date",
            "tickformat": "%b<br>%Y",
            "tickangle": 0,
            "title": {"text": ""},
            "range": [
                _month_start(months[0]) if months else None,
                _month_after(months[-1]) if months else None,
            ],
        }
    )
    layout["yaxis"].update({"title": {"text": ""}, "tickformat": ",~r"})
    data: list[dict] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": y,
            "connectgaps": False,
            "customdata": [[month_short(m), t] for m, t in zip(months, text, strict=True)],
            "hovertemplate": "%{customdata[0]}: %{customdata[1]}<extra></extra>",
            "line": {"color": DARK_BLUE, "width": 3},
            "marker": {"size": 8, "color": DARK_BLUE},
            "name": "",
        }
    ]
    annotations: list[dict] = []
    if comparator:
        cy = [comparator.get(m) for m in months]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x,
                "y": cy,
                "connectgaps": False,
                "hoverinfo": "skip",
                "line": {"color": DARK_GREY, "width": 2, "dash": "dash"},
                "name": plotly_text(comparator_name),
            }
        )
        last = next((i for i in range(len(cy) - 1, -1, -1) if cy[i] is not None), None)
        if last is not None:
            # Under the line's end, right-aligned: inside the plot at any width (a label to
            # the right of the end was cut off at 200% zoom).
            annotations.append(
                {
                    "x": x[last],
                    "y": cy[last],
                    "text": plotly_text(comparator_name),
                    "showarrow": False,
                    "xanchor": "right",
                    "yanchor": "top",
                    "yshift": -6,
                    "font": {"color": DARK_GREY, "size": 14},
                    "bgcolor": "rgba(255,255,255,0.85)",
                }
            )
    held = [i for i, v in enumerate(y) if v is not None]
    if held:
        i = held[-1]
        annotations.append(
            {
                "x": x[i],
                "y": y[i],
                "text": f"<b>{text[i]}</b>",
                "showarrow": False,
                "xanchor": "left",
                "xshift": 10,
                "yshift": 12 if comparator else 0,
                "font": {"color": DARK_BLUE, "size": 16},
            }
        )
    shapes = []
    for first, last_month in _runs(missing):
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": _month_start(first),
                "x1": _month_after(last_month),
                "y0": 0,
                "y1": 1,
                "fillcolor": GRID,
                "line": {"color": MID_GREY, "width": 1, "dash": "dot"},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": _month_start(first),
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "xshift": 2,
                "text": "Not in<br>the data",
                "showarrow": False,
                "font": {"color": DARK_GREY, "size": 13},
            }
        )
    layout["shapes"] = shapes
    layout["annotations"] = annotations
    return {"data": data, "layout": layout}


def _text(value: float, unit: str, decimals: int | None) -> str:
    return format_number(value, decimals) if decimals is not None else format_value(value, unit)


def monthly_rows(
    months: Sequence[str], values: Mapping[str, float], unit: str, decimals: int | None = None
) -> list[list[str]]:
    """The chart's table: every month, a missing one said as "not in the data"."""
    return [
        [month_short(m), _text(values[m], unit, decimals) if m in values else "not in the data"]
        for m in months
    ]


def _held(points: Sequence[Point]) -> tuple[list[str], dict[str, float]]:
    """Every calendar month from the first point to the last, and the values held by month."""
    values = {f"{p.end:%Y-%m}": p.value for p in points if p.end is not None}
    return all_months(list(values)), values


def monthly_chart(
    points: Sequence[Point],
    unit: str,
    title: str,
    *,
    basis: str = "",
    breaks: Sequence[tuple[dt.date, str]] = (),
) -> dict:
    """The ``monthly`` chart kind's screen figure: :func:`monthly_figure` of the points' months,
    the register's ``breaks`` marked as on a trend (:func:`.metric.break_marks`)."""
    months, values = _held(points)
    figure = monthly_figure(months, values, title, unit, basis=basis)
    starts = [p.end.replace(day=1) if p.end is not None else None for p in points]
    shapes, notes = break_marks(starts, breaks)
    figure["layout"]["shapes"] += shapes
    figure["layout"]["annotations"] += notes
    return figure


def monthly_table(points: Sequence[Point], unit: str) -> tuple[str, list[list[str]]]:
    """The ``monthly`` chart kind's table: every month, a missing one "not in the data"."""
    months, values = _held(points)
    return "Month", monthly_rows(months, values, unit)
