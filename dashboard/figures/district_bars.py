"""The 14 districts ranked: horizontal bars from zero, each value written at its bar's end, the
14 districts together marked as a dashed line named under the title. Districts not ranked (fewer than 10, or
no figure) are listed after the ranked ones, grey, their reason written beside them: colour is
never the only sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .theme import DARK_BLUE, DARK_GREY, GRID, MID_GREY, base_layout, plotly_text


@dataclass(frozen=True)
class Bar:
    name: str
    value: float | None  # None: no bar (no figure)
    text: str  # written at the bar's end ("8.89", "fewer than 10: not ranked")
    ranked: bool


def ranked_bars(
    bars: Sequence[Bar],
    title: str,
    axis_title: str,
    *,
    line: float | None = None,
    line_label: str = "",
    percent: bool = False,
) -> dict:
    names = [plotly_text(b.name) for b in bars]
    values = [b.value if b.value is not None else 0 for b in bars]
    shown = [v for v in values]
    low, high = min([0.0, *shown]), max([0.0, *shown, *([line] if line is not None else [])])
    span = (high - low) or 1.0
    layout = base_layout(title, height=max(300, 110 + 40 * len(bars)))
    layout["xaxis"].update(
        {
            # Room for the longest label outside the bar ends ("fewer than 10: not ranked").
            "range": [low - (0.35 * span if low < 0 else 0), high + 0.32 * span],
            "showgrid": True,
            "gridcolor": GRID,
            "zeroline": True,
            "zerolinecolor": DARK_GREY,
            "title": {"text": plotly_text(axis_title)},
            "ticksuffix": "%" if percent else "",
            "separatethousands": True,
        }
    )
    layout["yaxis"].update({"type": "category", "autorange": "reversed", "rangemode": "normal"})
    layout["margin"]["r"] = 24
    data: list[dict] = [
        {
            "type": "bar",
            "orientation": "h",
            "x": values,
            "y": names,
            "text": [plotly_text(b.text) for b in bars],
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 15, "color": DARK_GREY},
            "customdata": [plotly_text(b.text) for b in bars],
            "hovertemplate": "%{y}: %{customdata}<extra></extra>",
            "marker": {
                "color": [DARK_BLUE if b.ranked else MID_GREY for b in bars],
                "line": {"color": DARK_GREY, "width": 1},
            },
            "name": "",
        }
    ]
    if line is not None:
        # The line is named in a line under the title (never over a bar's label or the title,
        # at any width), and drawn dashed behind the bars.
        layout["title"]["text"] += (
            f"<br><span style='font-size:14px'>Dashed line: {plotly_text(line_label)}</span>"
        )
        layout["margin"]["t"] += 22
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": line,
                "x1": line,
                "y0": 0,
                "y1": 1,
                "line": {"color": DARK_GREY, "width": 2, "dash": "dash"},
                "layer": "below",
            }
        ]
    return {"data": data, "layout": layout}
