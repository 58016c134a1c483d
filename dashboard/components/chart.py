"""A chart with its one-line summary and its data table: never a chart alone.

The chart is one ``<div data-figure="...">`` holding the Plotly figure (a plain dict) as JSON;
``assets/lazy.js`` draws it with Plotly when it comes near the screen (or for printing), and
draws it again with ``Plotly.react`` when a new answer changes the figure of a chart already on
the page. ``data-digest`` names what is drawn (figure and config): a chart whose digest did not
change is never drawn again, and an answer that patches the page (dashboard/shell.py) sends no
figure that did not change. A page of forty charts so sends forty components, not forty Graph components drawn
at once, and only the charts a person scrolls to are drawn. The table alternative is one
component too (:mod:`.tables`), built when "Show the figures as a table" is opened.

What a chart sends depends only on the dataset version and what it shows, so pages keep its
encoded :class:`ChartPayload` in the view model's cache (``vm.cached("chart", ...)``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import html
from plotly.io.json import to_json_plotly

from ..figures.theme import GRAPH_CONFIG
from .layout import attrs
from .tables import encode_table, table_data, table_island


def figure_json(figure: dict) -> str:
    """Compact JSON; Plotly's encoder only for what plain JSON cannot say (NaN, numpy)."""
    try:
        return json.dumps(figure, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return to_json_plotly(figure)


def graph_config(filename: str) -> dict[str, Any]:
    return {
        **GRAPH_CONFIG,
        "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": filename},
    }


@dataclass(frozen=True)
class ChartPayload:
    """A chart and its table as the browser receives them (JSON text), built once."""

    figure: str
    config: str
    table: str
    height: int | None

    @functools.cached_property
    def digest(self) -> str:
        """A short name for what the chart draws (its figure and config)."""
        found = hashlib.blake2b(digest_size=8)
        found.update(self.figure.encode())
        found.update(b"\0")
        found.update(self.config.encode())
        return found.hexdigest()


def chart_payload(
    figure: dict,
    table_caption: str,
    columns: list[str],
    rows: list[list[str]],
    *,
    filename: str = "chart",
) -> ChartPayload:
    height = figure.get("layout", {}).get("height")
    return ChartPayload(
        figure_json(figure),
        json.dumps(graph_config(filename), separators=(",", ":")),
        encode_table(table_data(table_caption, columns, rows)),
        int(height) if height else None,
    )


def chart(graph_id: str, payload: ChartPayload, *, class_name: str = "chart") -> html.Div:
    """The chart alone, drawn by assets/lazy.js; its height is kept before it is drawn."""
    return html.Div(
        id=graph_id,
        className=f"{class_name} lazy-chart",
        style={"minHeight": f"{payload.height}px"} if payload.height else None,
        **attrs(
            {
                "data-figure": payload.figure,
                "data-config": payload.config,
                "data-digest": payload.digest,
            }
        ),
    )


def block(
    graph_id: str,
    payload: ChartPayload,
    summary: str,
    *,
    downloads: Sequence[tuple[str, str]] = (),
    note: html.P | None = None,
    class_name: str = "",
) -> html.Figure:
    """Chart, one-line summary, and the table one click away (with links to the chart's
    images, when given). Four components whatever the data: the chart, the summary, and one
    for the table and the links (assets/lazy.js builds them); each has an id (from the
    chart's), so that a new answer can change one part of a chart block and nothing else."""
    tail = table_island(
        payload.table, id=f"{graph_id}-table", collapsed="Show the figures as a table"
    )
    if downloads:
        tail = table_island(
            payload.table,
            id=f"{graph_id}-table",
            collapsed="Show the figures as a table",
            links=("Download this chart: ", list(downloads)),
        )
    return html.Figure(
        [
            note,
            chart(graph_id, payload),
            html.Figcaption(summary, className="chart-summary", id=f"{graph_id}-summary"),
            tail,
        ],
        className=f"chart-block {class_name}".strip(),
        id=f"{graph_id}-block",
    )
