"""/narrative: search every update by words, priority, area and quarter; follow operations."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from ..components.narrative import area_page_links, narrative_list, update_marker
from ..views.narrative import bullets
from ..views.titles import priority_heading, quarter_label, with_view
from .base import Context, PageContent
from .common import page_title

HEADING = "Search the quarterly updates"


def title(ctx: Context) -> str:
    words = ctx.route.words
    return with_view(f"{HEADING}: “{words}”" if words else HEADING, ctx.route.quarter)


def layout(ctx: Context) -> PageContent:
    vm, route = ctx.views, ctx.route
    quarter = route.quarter  # None: all quarters
    items = vm.narrative_items(
        quarter=quarter, priority=route.priority, area_id=route.area, words=route.words
    )
    marker = update_marker(vm, quarter)
    names = vm.index.area_names
    priority_names = {
        int(p["priority"]): priority_heading(int(p["priority"]), p["short_title"])
        for p in vm.index.priorities
    }
    found = len(bullets(items))
    what = f"“{route.words}”" if route.words else "all updates"
    where = f" in {quarter_label(quarter)}" if quarter else " in every quarter"
    summary = f"{found} update{'s' if found != 1 else ''} match {what}{where}."
    ops = vm.index.operations
    # The pages of the areas the words name ("southend"): every priority's updates about them.
    found_areas = area_page_links(vm, vm.index.areas_in_words(route.words), quarter)
    area_links = [found_areas] if found_areas is not None else []
    op_links = [
        html.Li(
            dcc.Link(
                f"{name} ({', '.join(quarter_label(q) for q in quarters)})",
                href="/narrative?" + urlencode({"q": name}),
            )
        )
        for name, quarters in ops.items()
    ]
    return PageContent(
        head=[page_title(HEADING)],
        body=[
            html.P(summary, className="lead", role="status"),
            *area_links,
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
        ],
    )
