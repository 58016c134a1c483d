"""/ : Plan at a glance for a quarter: seven priorities, headline figures, number of updates."""

from __future__ import annotations

from dash import dcc, html

from ..analysis.spc import signals_overview
from ..components.cards import metric_card
from ..components.downloads import meeting_and_downloads
from ..components.layout import filter_bar
from ..data.model import Dataset
from ..routing import Route
from ..selection import (
    discontinuity_periods,
    metric_view,
    metrics_with_quarter,
    priority_metrics,
    update_counts,
)
from .common import area_filter, area_name, page_title, quarter_display, quarter_filter


def layout(dataset: Dataset, route: Route) -> html.Div:
    quarter = route.quarter or dataset.latest_quarter
    counts = update_counts(dataset, quarter)
    sections = []
    total_figures = 0
    for priority in dataset.priorities.sort_values("priority").itertuples():
        headline = [
            m["metric_id"] for m in priority_metrics(dataset, priority.priority, headline_only=True)
        ]
        with_values = metrics_with_quarter(dataset, headline, quarter) if quarter else []
        cards = []
        for metric_id in with_values:
            view = metric_view(dataset, metric_id, route.area, quarter)
            if view.current is None:
                continue
            cards.append(
                metric_card(
                    view,
                    f"/metric/{metric_id}{route.query()}",
                    "in the quarter" if view.basis == "quarter_count" else "at the quarter's end",
                )
            )
        total_figures += len(cards)
        updates = counts.get(priority.priority, 0)
        sections.append(
            html.Section(
                [
                    html.H2(
                        dcc.Link(
                            f"Priority {priority.priority}: {priority.title}",
                            href=f"/priority/{priority.priority}{route.query()}",
                        ),
                        className="priority-title",
                    ),
                    html.P(
                        f"{updates} update{'s' if updates != 1 else ''} in this quarter's report",
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
        f"{quarter_display(quarter)}, {area_name(dataset, route.area)}: 7 priorities, "
        f"{sum(counts.values())} updates and {total_figures} headline figures."
    )
    return html.Div(
        [
            page_title(f"Plan at a glance: {quarter_display(quarter)}"),
            html.P(summary, className="lead"),
            filter_bar([quarter_filter(dataset, route), area_filter(dataset, route)]),
            meeting_and_downloads(route),
            signals_panel(dataset, route, quarter),
            html.Div(sections, className="priority-grid"),
        ]
    )


def signals_panel(dataset: Dataset, route: Route, quarter: str | None) -> html.Section:
    """Where to start a meeting: series showing special-cause variation in the quarter."""
    if not quarter:
        return html.Section()
    current = dataset.current
    quarterly = current[current["basis"].isin(["quarter_count", "quarter_end"])]
    rows, judged = [], 0
    for (metric_id, area_id, basis), frame in quarterly.groupby(["metric_id", "area_id", "basis"]):
        metric = dataset.metric_index[metric_id]
        frame = frame.sort_values("period_end")
        points = list(zip(frame["period"], frame["value"], strict=False))
        judged += metric_view(dataset, metric_id, area_id, quarter, basis).spc.judged
        rows.append(
            {
                "metric": metric_id,
                "area": area_id,
                "points": points,
                "improvement": metric["direction"],
                "discontinuities": discontinuity_periods(dataset, metric_id, basis),
            }
        )
    found = signals_overview(rows, quarter)
    if found:
        items = [
            html.Li(
                [
                    dcc.Link(
                        dataset.metric_index[r.metric]["label"],
                        href=f"/metric/{r.metric}{route.query()}",
                    ),
                    f" ({dataset.area_index[r.area]['name']}): {r.verdict}",
                ]
            )
            for r in found
        ]
        body = [html.Ul(items)]
    else:
        body = [
            html.P(
                f"No quarterly figure shows special-cause variation in {quarter_display(quarter)}. "
                f"{judged} of {len(rows)} quarterly series have enough quarters (5 or more) to judge; "
                "the others are shown as plain comparisons."
            )
        ]
    return html.Section([html.H2("Signals this quarter"), *body], className="signals-panel")
