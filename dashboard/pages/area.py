"""/area/<id>: one LPA or district across all priorities."""

from __future__ import annotations

from dash import dcc, html

from ..components.layout import filter_bar
from ..components.narrative import TextMarker, narrative_list
from ..data.model import Dataset
from ..routing import Route
from ..selection import glossary_map, metric_areas, metric_view, narrative_items
from .common import metric_chart, page_title, quarter_display, quarter_filter


def layout(dataset: Dataset, route: Route) -> html.Div:
    area_id = route.subject
    area = dataset.area_index[area_id]
    quarter = route.quarter or dataset.latest_quarter
    marker = TextMarker(glossary_map(dataset))
    names = dict(zip(dataset.areas["area_id"], dataset.areas["name"], strict=False))
    inside = sorted(dataset.descendants(area_id) - {area_id}, key=lambda a: names.get(a, a))
    parents = dataset.ancestors(area_id)
    sections = []
    for priority in dataset.priorities.sort_values("priority").itertuples():
        items = narrative_items(
            dataset, quarter=quarter, priority=priority.priority, area_id=area_id
        )
        if area_id != dataset.force_id:
            own = dataset.descendants(area_id)
            items = [
                i
                for i in items
                if (isinstance(i.get("area_id"), str) and i["area_id"] in own)
                or any(
                    isinstance(k.get("area_id"), str)
                    and k["area_id"] in own
                    and k.get("parent_id") == i["item_id"]
                    for k in items
                )
            ]
        metrics = [
            m
            for m in dataset.metrics[dataset.metrics["priority"] == priority.priority]["metric_id"]
            if area_id in metric_areas(dataset, m)
        ]
        charts = [
            metric_chart(dataset, metric_view(dataset, m, area_id, quarter), f"chart-{m}")
            for m in metrics
        ]
        sections.append(
            html.Section(
                [
                    html.H2(
                        dcc.Link(
                            f"Priority {priority.priority}: {priority.title}",
                            href=f"/priority/{priority.priority}{route.query(area=area_id)}",
                        )
                    ),
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
    return html.Div(
        [
            page_title(f"{area['name']}: all priorities"),
            html.P(
                f"{quarter_display(quarter)} · updates that name this area or the areas within it. Force-wide figures are on each priority's page.",
                className="lead",
            ),
            filter_bar([quarter_filter(dataset, route)]),
            *context,
            *sections,
        ]
    )


def _area_links(label: str, area_ids: list[str], names: dict[str, str], route: Route) -> html.P:
    links: list = [label]
    for area_id in area_ids:
        links += [
            dcc.Link(names.get(area_id, area_id), href=f"/area/{area_id}{route.query()}"),
            " ",
        ]
    return html.P(links)
