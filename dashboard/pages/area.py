"""/area/<id>: one LPA or district across all priorities."""

from __future__ import annotations

from dash import dcc, html

from ..components.narrative import narrative_list, update_marker
from ..components.tables import Link, data_table
from ..formatting import format_value
from ..routing import Route
from ..views.text import basis_label
from ..views.titles import quarter_display, with_view
from .base import Context, PageContent
from .common import metric_chart, page_title, priority_link
from .coverage_notes import quarter_notes
from .district_profile import profile_section

#: Charts per priority on an area's page; its other figures are listed with their latest values.
AREA_CHARTS = 4


def title(ctx: Context) -> str:
    return with_view(f"{ctx.views.area_name(ctx.route.subject)}: all priorities", ctx.quarter)


def layout(ctx: Context) -> PageContent:
    vm, route, quarter = ctx.views, ctx.route, ctx.quarter
    area_id = route.subject or vm.force_id
    area = vm.dataset.area_index[area_id]
    marker = update_marker(vm, route.quarter, here=area_id)
    names = vm.index.area_names
    inside = sorted(vm.index.descendants(area_id) - {area_id}, key=lambda a: names.get(a, a))
    parents = vm.index.ancestors(area_id)
    sections = []
    for priority in vm.index.priorities:
        number = int(priority["priority"])
        items = vm.area_items(quarter, number, area_id)
        metrics = [
            m for m in vm.priority_metrics(number) if area_id in vm.metric_areas(m["metric_id"])
        ]
        # Beyond AREA_CHARTS, the others are a table of latest values (catalogue order).
        views = [vm.metric_view(m["metric_id"], area_id, quarter) for m in metrics]
        charts = [metric_chart(vm, v, f"chart-{v.metric_id}") for v in views[:AREA_CHARTS]]
        others = [v for v in views[AREA_CHARTS:] if v.points]
        if others:
            charts.append(
                data_table(
                    f"More figures for {area['name']}: the latest value of each",
                    ["Metric", "Latest", "Period", "Basis"],
                    [
                        [
                            Link(
                                v.metric["label"],
                                f"/metric/{v.metric_id}{route.query(area=area_id)}",
                            ),
                            format_value(v.points[-1].value, v.unit, with_unit=True),
                            v.points[-1].label,
                            basis_label(v.basis),
                        ]
                        for v in others
                    ],
                )
            )
        sections.append(
            html.Section(
                [
                    html.H2(priority_link(number, priority["title"], route.query(area=area_id))),
                    *charts,
                    narrative_list(items, marker, names)
                    if items
                    else html.P(f"No updates that name {area['name']} in this quarter."),
                ],
                className="priority-section",
            )
        )
    context = [
        _area_links(label, ids, names, route)
        for label, ids in (("Part of: ", parents), ("Areas within it: ", inside))
        if ids
    ]
    evidence = area.get("parent_evidence")
    if isinstance(evidence, str) and evidence:
        context.append(html.P(f"How we know where it sits: {evidence}", className="hint"))
    return PageContent(
        head=[
            page_title(f"{area['name']}: all priorities"),
            html.P(
                f"{quarter_display(quarter)} · updates that name this area or the areas within it. Force-wide figures are on each priority's page.",
                className="lead",
            ),
            *quarter_notes(ctx, f"/area/{area_id}"),
        ],
        body=[*context, profile_section(vm, area_id, route), *sections],
    )


def _area_links(label: str, area_ids: list[str], names: dict[str, str], route: Route) -> html.P:
    links: list = [label]
    for area_id in area_ids:
        links += [
            dcc.Link(names.get(area_id, area_id), href=f"/area/{area_id}{route.query()}"),
            " ",
        ]
    return html.P(links)
