"""Headline figure cards: value, period, and comparisons shown by glyph and words, not colour."""

from __future__ import annotations

from dash import dcc, html

from ..analysis.compare import Change, direction_marker
from ..figures.text import comparison_phrase, direction_of_good, short_label
from ..formatting import format_value
from ..selection import MetricView


def change_line(change: Change | None, unit: str, against: str) -> html.Li | None:
    if change is None:
        return None
    marker = direction_marker(change)
    return html.Li(
        [
            html.Span(marker.glyph, className="glyph", **{"aria-hidden": "true"}),
            " ",
            comparison_phrase(change, unit, against),
        ],
        className=f"change tone-{marker.tone}",
    )


def metric_card(
    view: MetricView, href: str, quarter_display: str, *, heading_level: int = 3
) -> html.Div:
    metric = view.metric
    heading = getattr(html, f"H{heading_level}")
    value = (
        format_value(view.current, metric["unit"], with_unit=True)
        if view.current is not None
        else "not published"
    )
    changes = [
        change_line(
            view.comparisons.get("same_quarter_last_year"), metric["unit"], "same_quarter_last_year"
        ),
        change_line(view.comparisons.get("previous_quarter"), metric["unit"], "previous_quarter"),
    ]
    changes = [c for c in changes if c is not None]
    if not changes and view.current is not None:
        changes = [
            html.Li("No earlier figure to compare with in the data.", className="change tone-none")
        ]
    return html.Div(
        [
            heading(dcc.Link(short_label(metric["label"]), href=href), className="card-metric"),
            html.P(
                [
                    html.Span(value, className="card-value"),
                    html.Span(f" {quarter_display}", className="card-period"),
                ]
            ),
            html.Ul(changes, className="changes"),
            html.P(f"{direction_of_good(metric)}.", className="card-direction"),
            html.P(["Signal or noise: ", view.verdict], className="card-verdict"),
            html.P("Force-wide figure: not published by area.", className="card-note")
            if view.area_is_fallback
            else None,
        ],
        className="metric-card",
    )
