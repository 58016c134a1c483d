"""/narrative: search every update by words, priority, area and quarter; follow operations."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from ..components.layout import filter_bar, search_box, select
from ..components.narrative import TextMarker, narrative_list
from ..data.model import Dataset
from ..data.periods import parse_quarter
from ..routing import Route
from ..selection import glossary_map, narrative_items, operations
from .common import area_filter, page_title, quarter_filter


def layout(dataset: Dataset, route: Route) -> html.Div:
    quarter = route.quarter  # None: all quarters
    items = narrative_items(
        dataset, quarter=quarter, priority=route.priority, area_id=route.area, words=route.words
    )
    marker = TextMarker(glossary_map(dataset))
    names = dict(zip(dataset.areas["area_id"], dataset.areas["name"], strict=False))
    priority_names = {
        int(p.priority): f"Priority {p.priority}: {p.short_title}"
        for p in dataset.priorities.itertuples()
    }
    priority_options = [("all", "All priorities")] + [
        (str(k), v) for k, v in priority_names.items()
    ]
    bullets = [i for i in items if i.get("kind") != "heading"]
    what = f"“{route.words}”" if route.words else "all updates"
    where = f" in {parse_quarter(quarter).display}" if quarter else " in every quarter"
    summary = f"{len(bullets)} update{'s' if len(bullets) != 1 else ''} match {what}{where}."
    ops = operations(dataset)
    op_links = [
        html.Li(
            dcc.Link(
                f"{name} ({', '.join(parse_quarter(q).display for q in quarters)})",
                href="/narrative?" + urlencode({"q": name}),
            )
        )
        for name, quarters in ops.items()
    ]
    return html.Div(
        [
            page_title("Search the quarterly updates"),
            filter_bar(
                [
                    search_box("q", "Words to find", route.words),
                    select(
                        "priority",
                        "Priority",
                        priority_options,
                        str(route.priority) if route.priority else "all",
                    ),
                    area_filter(dataset, route),
                    quarter_filter(dataset, route, allow_all=True),
                ]
            ),
            html.P(summary, className="lead", role="status"),
            narrative_list(items, marker, names, show_priority=priority_names)
            if items
            else html.P("Nothing matches: try fewer words or another area."),
            html.Section(
                [
                    html.H2("Operations named in the updates"),
                    html.Ul(op_links, className="operations"),
                ]
                if op_links
                else [],
            ),
        ]
    )
