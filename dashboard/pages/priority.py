"""/priority/<n>: objectives, a chart per metric, and the quarter's updates for an area."""

from __future__ import annotations

from dash import dcc, html

from ..components.downloads import meeting_and_downloads
from ..components.narrative import narrative_list, update_marker
from ..components.tables import Link, data_table
from ..formatting import format_value
from ..views import MetricView
from ..views.chart_kinds import kind_named
from ..views.text import basis_label
from ..views.titles import priority_heading, quarter_display
from .base import Context, PageContent
from .common import metric_chart, metric_href, page_title, sources_line, value_tile
from .compare import compare_link
from .coverage_notes import quarter_notes

#: Charts on a priority's page (in catalogue order); any more figures are listed in a table
#: with their latest values and links to their own pages.
PRIORITY_CHARTS = 12


def title(ctx: Context) -> str:
    number = int(ctx.route.subject or 0)
    return ctx.title(priority_heading(number, ctx.views.priority(number)["title"]))


def layout(ctx: Context) -> PageContent:
    vm, route, quarter = ctx.views, ctx.route, ctx.quarter
    number = int(route.subject or 0)
    priority = vm.priority(number)
    objectives = vm.index.objectives_by_priority.get(number, [])
    area = vm.area_name(route.area)

    metric_blocks: list[html.Section] = []
    tiles: list[html.Li] = []
    more: list[MetricView] = []
    for metric in vm.priority_metrics(number):
        view = vm.metric_view(metric["metric_id"], route.area, quarter)
        if not view.points:
            continue
        href = metric_href(view.metric_id, route)
        if not kind_named(view.kind).drawn:
            tiles.append(value_tile(view, href))
            continue
        if len(metric_blocks) >= PRIORITY_CHARTS:
            more.append(view)
            continue
        metric_blocks.append(
            html.Section(
                [
                    html.H3(dcc.Link(metric["label"], href=href)),
                    metric_chart(vm, view, f"chart-{view.metric_id}"),
                    compare_link(vm, view.metric_id, route),
                ],
                className="metric-section",
            )
        )
    items = vm.narrative_items(quarter=quarter, priority=number, area_id=route.area)
    marker = update_marker(vm, route.quarter)
    narrative = (
        narrative_list(items, marker, vm.index.area_names)
        if items
        else html.P(f"No updates for {area} in this priority in {quarter_display(quarter)}.")
    )
    return PageContent(
        head=[
            page_title(priority_heading(number, priority["title"])),
            html.P(f"{quarter_display(quarter)} · {area}", className="lead"),
            *quarter_notes(ctx, f"/priority/{number}", priority=number),
        ],
        body=[
            meeting_and_downloads(route, quarter, vm.force_id),
            html.Section(
                [
                    html.H2("What the plan commits to"),
                    html.Ul(
                        [
                            html.Li(
                                [html.Span(o["preamble"] + " ", className="preamble"), o["text"]]
                            )
                            for o in objectives
                        ],
                        className="objectives",
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Figures"),
                    html.Div(metric_blocks, className="metric-grid") if metric_blocks else None,
                    html.H3("More figures", className="tiles-heading") if more else None,
                    data_table(
                        f"More figures for this priority, {area}: the latest value of each",
                        ["Metric", "Latest", "Period", "Basis"],
                        [
                            [
                                Link(v.metric["label"], metric_href(v.metric_id, route)),
                                format_value(v.points[-1].value, v.unit, with_unit=True),
                                v.points[-1].label,
                                basis_label(v.basis),
                            ]
                            for v in more
                        ],
                    )
                    if more
                    else None,
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
                        if route.area and route.area != vm.force_id
                        else "Showing every update for the priority.",
                        className="hint",
                    ),
                    narrative,
                    sources_line(vm, [i["source_id"] for i in items]),
                ],
                className="narrative-panel",
                id="updates",
            ),
        ],
    )
