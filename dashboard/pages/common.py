"""Pieces several pages share: the metric chart (or value card), the quarter/area filters."""

from __future__ import annotations

from dash import dcc, html

from ..components.chart import chart_block
from ..components.layout import select
from ..data.model import Dataset
from ..data.periods import BASIS_LABELS, parse_quarter
from ..figures.metric import chart_kind, comparison_figure, trend_figure
from ..figures.text import chart_summary, chart_title, short_label
from ..formatting import format_value
from ..routing import Route, build_query
from ..selection import MetricView


def quarter_display(quarter: str | None) -> str:
    if not quarter:
        return ""
    q = parse_quarter(quarter)
    return f"{q.display} ({q.months})"


def area_name(dataset: Dataset, area_id: str | None) -> str:
    if not area_id:
        area_id = dataset.force_id
    return dataset.area_index.get(area_id, {}).get("name", area_id)


def quarter_filter(dataset: Dataset, route: Route, *, allow_all: bool = False) -> html.Div:
    options = [(q, parse_quarter(q).display) for q in reversed(dataset.quarters)]
    if allow_all:
        options = [("all", "All quarters"), *options]
        value = route.quarter or "all"
    else:
        value = route.quarter or dataset.latest_quarter
    return select("quarter", "Quarter", options, value)


def area_options(dataset: Dataset) -> list[tuple[str, str]]:
    """Force first, then each LPA followed by its areas, then areas whose LPA is not stated."""
    areas = dataset.areas
    force = dataset.force_id
    options = [(force, f"{area_name(dataset, force)}")]
    placed = {force}
    for lpa in areas[areas["area_type"] == "lpa"].itertuples():
        options.append((lpa.area_id, lpa.name))
        placed.add(lpa.area_id)
        for child in areas[areas["parent_id"] == lpa.area_id].itertuples():
            options.append((child.area_id, f"– {child.name} ({lpa.name.split(' ')[0]})"))
            placed.add(child.area_id)
    for other in areas.itertuples():
        if other.area_id not in placed and other.area_type != "partner":
            options.append((other.area_id, f"{other.name} (Local Policing Area not stated)"))
    return options


def area_filter(dataset: Dataset, route: Route) -> html.Div:
    return select("area", "Area", area_options(dataset), route.area or dataset.force_id)


def value_card(view: MetricView, title: str, summary: str) -> html.Div:
    point = view.points[-1]
    return html.Div(
        [
            html.P(title, className="value-card-title"),
            html.P(
                format_value(point.value, view.metric["unit"], with_unit=True),
                className="value-card-value",
            ),
            html.P(
                f"{point.label} · {BASIS_LABELS.get(view.basis, view.basis)}",
                className="value-card-period",
            ),
            html.P(summary, className="chart-summary"),
            html.P(
                "One published value: there is nothing yet to compare it with.",
                className="card-note",
            ),
        ],
        className="value-card",
    )


def metric_chart(dataset: Dataset, view: MetricView, graph_id: str) -> html.Div:
    """The right display for the number of points: value card, comparison bars or trend line."""
    name = area_name(dataset, view.area_id)
    title = chart_title(view.metric, view.points, view.comparisons)
    summary = chart_summary(view.metric, view.points, view.comparisons, name, view.basis)
    kind = chart_kind(view.points)
    unit = view.metric["unit"]
    if kind == "none":
        return html.P(summary, className="chart-summary")
    if kind == "card":
        body = value_card(view, title, summary)
    else:
        builder = comparison_figure if kind == "comparison" else trend_figure
        figure = builder(view.points, unit, title)
        rows = [[p.label, format_value(p.value, unit, with_unit=True)] for p in view.points]
        body = chart_block(
            graph_id,
            figure,
            summary,
            f"{short_label(view.metric['label'])}, {name} ({BASIS_LABELS.get(view.basis, view.basis)})",
            ["Period", short_label(view.metric["label"])],
            rows,
            filename=f"{view.metric['metric_id']}-{view.area_id}",
        )
    if kind != "card" and view.basis == view.metric["basis"]:
        query = build_query(None, quarter=view.quarter, area=view.area_id)
        base = f"/download/chart/{view.metric['metric_id']}"
        body = html.Div(
            [
                body,
                html.P(
                    [
                        "Download this chart: ",
                        html.A("PNG image", href=f"{base}.png{query}"),
                        " · ",
                        html.A("SVG image", href=f"{base}.svg{query}"),
                    ],
                    className="chart-downloads",
                ),
            ]
        )
    note = None
    if view.area_is_fallback:
        note = html.P(
            "This figure is published force-wide only, not by area.", className="card-note"
        )
    return html.Div([note, body], className="metric-chart")


def metric_link(metric_id: str, route: Route) -> str:
    return f"/metric/{metric_id}{route.query()}"


def page_title(text: str) -> html.H1:
    return html.H1(text, id="page-title", tabIndex=-1)


def sources_line(dataset: Dataset, source_ids: list[str]) -> html.P:
    names = []
    for source_id in dict.fromkeys(source_ids):
        source = dataset.source_index.get(source_id)
        if source:
            names.append(f"{source['title']} ({source['publisher']}, {source['published']})")
    return html.P(["Source: ", "; ".join(names)], className="sources-line") if names else html.P()


__all__ = ["dcc"]


def value_tile(view: MetricView, href: str) -> html.Li:
    """A compact card for a metric with one published value: label, value, period and basis."""
    point = view.points[-1]
    metric = view.metric
    return html.Li(
        [
            dcc.Link(metric["label"], href=href, className="tile-label"),
            html.Span(
                format_value(point.value, metric["unit"], with_unit=True), className="tile-value"
            ),
            html.Span(
                f"{point.label} · {BASIS_LABELS.get(view.basis, view.basis)}",
                className="tile-period",
            ),
            html.Span("Force-wide figure: not published by area.", className="card-note")
            if view.area_is_fallback
            else None,
        ],
        className="value-tile",
    )
