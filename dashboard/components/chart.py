"""A chart with its one-line summary and its data table: never a chart alone."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ..figures.theme import GRAPH_CONFIG
from .tables import data_table


def chart_block(
    graph_id: str,
    figure: dict,
    summary: str,
    table_caption: str,
    columns: list[str],
    rows: list[list[str]],
    *,
    filename: str = "chart",
) -> html.Figure:
    config: Any = {
        **GRAPH_CONFIG,
        "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": filename},
    }
    return html.Figure(
        [
            dcc.Graph(id=graph_id, figure=figure, config=config, className="chart"),
            html.Figcaption(summary, className="chart-summary"),
            html.Details(
                [
                    html.Summary("Show the figures as a table"),
                    data_table(table_caption, columns, rows),
                ],
                className="chart-table",
            ),
        ],
        className="chart-block",
    )
