"""/ : Plan at a glance for a quarter: seven priorities, headline figures, number of updates."""

from __future__ import annotations

from dash import dcc, html

from ..components.cards import metric_card
from ..components.layout import filter_bar
from ..data.model import Dataset
from ..routing import Route
from ..selection import metric_view, metrics_with_quarter, priority_metrics, update_counts
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
            html.Div(sections, className="priority-grid"),
        ]
    )
