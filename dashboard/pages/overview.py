"""/ : Plan at a glance for a quarter: seven priorities, headline figures, number of updates."""

from __future__ import annotations

from dash import dcc, html

from ..components.cards import metric_card
from ..components.downloads import meeting_and_downloads
from ..routing import Route
from ..views import ViewModel
from ..views.meeting import Meeting
from ..views.text import update_count_line
from ..views.titles import overview_heading, quarter_display
from .base import Context, PageContent
from .common import metric_href, page_title, priority_link


def title(ctx: Context) -> str:
    return ctx.title("Plan at a glance")


def layout(ctx: Context) -> PageContent:
    vm, route, quarter = ctx.views, ctx.route, ctx.quarter
    area_chosen = bool(route.area) and route.area != vm.force_id
    sections = []
    total_figures = total_updates = 0
    for priority in vm.index.priorities:
        number = int(priority["priority"])
        cards = [
            metric_card(
                view,
                metric_href(view.metric_id, route),
                "in the quarter" if view.basis == "quarter_count" else "at the quarter's end",
            )
            for view in vm.headline_figures(number, quarter, route.area)
        ]
        updates = vm.update_count(quarter, number, route.area)
        total_figures += len(cards)
        total_updates += updates
        sections.append(
            html.Section(
                [
                    html.H2(
                        priority_link(number, priority["title"], route.query()),
                        className="priority-title",
                    ),
                    html.P(
                        update_count_line(updates, area_chosen=area_chosen),
                        className="update-count",
                    ),
                    html.Div(cards, className="card-grid")
                    if cards
                    else html.P(
                        "No headline figures were published for this priority in this quarter.",
                        className="card-note",
                    ),
                ],
                className="priority-section",
            )
        )
    summary = (
        f"{quarter_display(quarter)}, {vm.area_name(route.area)}: 7 priorities, "
        f"{total_updates} updates and {total_figures} headline figures."
    )
    return PageContent(
        head=[page_title(overview_heading(quarter)), html.P(summary, className="lead")],
        body=[
            meeting_and_downloads(route),
            since_panel(vm, route),
            signals_panel(vm, route, quarter),
            html.Div(sections, className="priority-grid"),
        ],
    )


def since_panel(vm: ViewModel, route: Route) -> html.Section | None:
    """What changed since the last meeting (``since`` in the URL, from the meeting builder):
    the same lines as the meeting's slides and papers."""
    if not route.since:
        return None
    pack = vm.pack(
        meeting=Meeting(route.quarter, route.area, route.priorities, route.figures, route.since)
    )
    if pack.changes is None:
        return None
    items = []
    for section in pack.sections:
        changes = section.changes
        if changes is None:
            continue
        details = [html.Li(f"Revised: {r.text}.") for r in changes.revised]
        details += [html.Li(f"New signal: {s}.") for s in changes.signals]
        items.append(
            html.Li(
                [
                    priority_link(section.number, section.title, route.query()),
                    f": {changes.summary}.",
                    html.Ul(details) if details else None,
                ]
            )
        )
    return html.Section(
        [
            html.H2(pack.changes.heading),
            html.P(
                "New figures are for periods that ended after the last meeting's quarter; revised "
                "figures were published again with a different value.",
                className="hint",
            ),
            html.Ul(items),
        ],
        className="since-panel",
        id="since",
    )


def signals_panel(vm: ViewModel, route: Route, quarter: str | None) -> html.Section:
    """Where to start a meeting: series showing special-cause variation in the quarter, each with
    the verdict its own card and metric page give."""
    if not quarter:
        return html.Section()
    found = vm.signals(quarter)
    body: list
    if found.rows:
        items = [
            html.Li(
                [
                    dcc.Link(row.view.metric["label"], href=metric_href(row.view.metric_id, route)),
                    f" ({row.view.area_name}): {row.view.verdict}",
                ]
            )
            for row in found.rows
        ]
        body = [html.Ul(items)]
    else:
        body = [
            html.P(
                f"No quarterly figure shows special-cause variation in {quarter_display(quarter)}. "
                f"{found.judged} of {found.series} quarterly series have enough quarters (5 or more) to judge; "
                "the others are shown as plain comparisons."
            )
        ]
    return html.Section([html.H2("Signals this quarter"), *body], className="signals-panel")
