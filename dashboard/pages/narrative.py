"""/narrative: search every update by words, priority, area and quarter; follow operations."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from ..components.layout import filter_bar, search_box, select
from ..components.narrative import TextMarker, narrative_list
from ..routing import Route
from ..views import ViewModel
from ..views.narrative import bullets
from ..views.titles import quarter_label
from .common import area_filter, page_title, quarter_filter


def layout(vm: ViewModel, route: Route) -> html.Div:
    quarter = route.quarter  # None: all quarters
    items = vm.narrative_items(
        quarter=quarter, priority=route.priority, area_id=route.area, words=route.words
    )
    marker = TextMarker(vm.index.glossary)
    names = vm.index.area_names
    priority_names = {
        int(p["priority"]): f"Priority {p['priority']}: {p['short_title']}"
        for p in vm.index.priorities
    }
    priority_options = [("all", "All priorities")] + [
        (str(k), v) for k, v in priority_names.items()
    ]
    found = len(bullets(items))
    what = f"“{route.words}”" if route.words else "all updates"
    where = f" in {quarter_label(quarter)}" if quarter else " in every quarter"
    summary = f"{found} update{'s' if found != 1 else ''} match {what}{where}."
    ops = vm.index.operations
    op_links = [
        html.Li(
            dcc.Link(
                f"{name} ({', '.join(quarter_label(q) for q in quarters)})",
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
                    area_filter(vm, route),
                    quarter_filter(vm, route, allow_all=True),
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
