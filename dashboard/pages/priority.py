"""/priority/<n>: objectives, a chart per metric, and the quarter's updates for an area."""

from __future__ import annotations

from dash import dcc, html

from ..components.downloads import meeting_and_downloads
from ..components.layout import filter_bar
from ..components.narrative import TextMarker, narrative_list
from ..data.model import Dataset
from ..figures.metric import chart_kind
from ..routing import Route
from ..selection import glossary_map, metric_view, narrative_items, priority_metrics
from .common import (
    area_filter,
    area_name,
    metric_chart,
    page_title,
    quarter_display,
    quarter_filter,
    sources_line,
    value_tile,
)


def layout(dataset: Dataset, route: Route) -> html.Div:
    number = int(route.subject)
    priority = dataset.priorities.set_index("priority").loc[number]
    quarter = route.quarter or dataset.latest_quarter
    objectives = dataset.objectives[dataset.objectives["priority"] == number]
    area = area_name(dataset, route.area)

    metric_blocks, tiles = [], []
    for metric in priority_metrics(dataset, number):
        view = metric_view(dataset, metric["metric_id"], route.area, quarter)
        if not view.points:
            continue
        href = f"/metric/{metric['metric_id']}{route.query()}"
        if chart_kind(view.points) == "card":
            tiles.append(value_tile(view, href))
            continue
        metric_blocks.append(
            html.Section(
                [
                    html.H3(dcc.Link(metric["label"], href=href)),
                    metric_chart(dataset, view, f"chart-{metric['metric_id']}"),
                ],
                className="metric-section",
            )
        )
    items = narrative_items(dataset, quarter=quarter, priority=number, area_id=route.area)
    marker = TextMarker(glossary_map(dataset))
    names = dict(zip(dataset.areas["area_id"], dataset.areas["name"], strict=False))
    narrative = (
        narrative_list(items, marker, names)
        if items
        else html.P(f"No updates for {area} in this priority in {quarter_display(quarter)}.")
    )
    return html.Div(
        [
            page_title(f"Priority {number}: {priority['title']}"),
            html.P(f"{quarter_display(quarter)} · {area}", className="lead"),
            filter_bar([quarter_filter(dataset, route), area_filter(dataset, route)]),
            meeting_and_downloads(route),
            html.Section(
                [
                    html.H2("What the plan commits to"),
                    html.Ul(
                        [
                            html.Li([html.Span(o.preamble + " ", className="preamble"), o.text])
                            for o in objectives.itertuples()
                        ],
                        className="objectives",
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Figures"),
                    html.Div(metric_blocks, className="metric-grid") if metric_blocks else None,
                    html.H3("Figures published once", className="tiles-heading")
                    if tiles and metric_blocks
                    else None,
                    html.P(
                        "Each of these has a single published value so far: there is nothing to compare it with yet.",
                        className="hint",
                    )
                    if tiles
                    else None,
                    html.Ul(tiles, className="tile-grid") if tiles else None,
                    None
                    if metric_blocks or tiles
                    else html.P("No figures were published for this priority."),
                ]
            ),
            html.Section(
                [
                    html.H2(f"Updates in {quarter_display(quarter)}"),
                    html.P(
                        "Showing force-wide updates and those for the chosen area and the areas within it."
                        if route.area and route.area != dataset.force_id
                        else "Showing every update for the priority.",
                        className="hint",
                    ),
                    narrative,
                    sources_line(dataset, [i["source_id"] for i in items]),
                ],
                className="narrative-panel",
                id="updates",
            ),
        ]
    )
