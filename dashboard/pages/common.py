"""Pieces several pages share: the metric chart (or value card), value tiles, titles, sources."""

from __future__ import annotations

from dash import dcc, html

from ..components.chart import ChartPayload, block, chart_payload
from ..figures.screen import screen_figure
from ..formatting import format_value
from ..routing import Route, build_query
from ..views import MetricView, ViewModel
from ..views.chart_kinds import kind_named
from ..views.districts import series_basis
from ..views.text import FORCE_WIDE_NOTE, ONE_VALUE_NOTE, basis_label
from ..views.titles import priority_heading


def value_card(view: MetricView) -> html.Div:
    point = view.points[-1]
    return html.Div(
        [
            html.P(view.title, className="value-card-title"),
            html.P(
                format_value(point.value, view.unit, with_unit=True), className="value-card-value"
            ),
            html.P(f"{point.label} · {basis_label(view.basis)}", className="value-card-period"),
            html.P(view.summary, className="chart-summary"),
            html.P(ONE_VALUE_NOTE, className="card-note"),
        ],
        className="value-card",
    )


def metric_chart(vm: ViewModel, view: MetricView, graph_id: str) -> html.Div | html.P | html.Figure:
    """The display its kind gives the points (views/chart_kinds.py): the summary alone (no
    value), a value card (one), or the kind's chart (bars for two, a trend line for more)."""
    kind = view.kind
    if not view.points:
        return html.P(view.summary, className="chart-summary")
    note = html.P(FORCE_WIDE_NOTE, className="card-note") if view.area_is_fallback else None
    if not kind_named(kind).drawn:
        return html.Div([note, value_card(view)], className="metric-chart")
    key = (graph_id, view.metric_id, view.area_id, view.quarter, view.basis, kind)
    downloads: list[tuple[str, str]] = []
    if view.basis == view.metric["basis"]:
        query = build_query(None, quarter=view.quarter, area=view.area_id)
        base = f"/download/chart/{view.metric_id}"
        downloads = [("PNG image", f"{base}.png{query}"), ("SVG image", f"{base}.svg{query}")]
    return block(
        graph_id,
        vm.cached("chart", key, lambda: _metric_payload(vm, view)),
        view.summary,
        downloads=downloads,
        note=note,
        class_name="metric-chart",
    )


def _metric_payload(vm: ViewModel, view: MetricView) -> ChartPayload:
    """The view's chart and table as its kind draws them, captioned with its basis."""
    basis = series_basis(view.metric, view.basis)
    heading, rows = kind_named(view.kind).renderer("table")(view.points, view.unit)
    return chart_payload(
        screen_figure(vm, view),
        f"{view.label}, {view.area_name} ({basis})",
        [heading, view.label],
        rows,
        filename=f"{view.metric_id}-{view.area_id}",
    )


def page_title(text: str) -> html.H1:
    return html.H1(text, id="page-title", tabIndex=-1)


def sources_line(vm: ViewModel, source_ids: list[str]) -> html.P:
    names = vm.source_lines(source_ids)
    return html.P(["Source: ", "; ".join(names)], className="sources-line") if names else html.P()


def value_tile(view: MetricView, href: str) -> html.Li:
    """A compact card for a metric with one published value: label, value, period and basis."""
    point = view.points[-1]
    return html.Li(
        [
            dcc.Link(view.metric["label"], href=href, className="tile-label"),
            html.Span(format_value(point.value, view.unit, with_unit=True), className="tile-value"),
            html.Span(f"{point.label} · {basis_label(view.basis)}", className="tile-period"),
            html.Span(FORCE_WIDE_NOTE, className="card-note") if view.area_is_fallback else None,
        ],
        className="value-tile",
    )


def metric_href(metric_id: str, route: Route) -> str:
    return f"/metric/{metric_id}{route.query()}"


def priority_link(number: int, title: str, query: str) -> dcc.Link:
    return dcc.Link(priority_heading(number, title), href=f"/priority/{number}{query}")
