"""Headline figure cards: value, period, and comparisons shown by glyph and words, not colour."""

from __future__ import annotations

from dash import dcc, html

from ..analysis.compare import Change, direction_marker
from ..formatting import format_value
from ..views import MetricView
from ..views.text import FORCE_WIDE_NOTE, NO_EARLIER, comparison_phrase, direction_of_good
from .layout import attrs


def change_line(change: Change | None, unit: str, against: str) -> html.Li | None:
    if change is None:
        return None
    marker = direction_marker(change)
    return html.Li(
        [
            html.Span(marker.glyph, className="glyph", **attrs({"aria-hidden": "true"})),
            " ",
            comparison_phrase(change, unit, against),
        ],
        className=f"change tone-{marker.tone}",
    )


def metric_card(view: MetricView, href: str, period_words: str) -> html.Div:
    """A headline figure: value, comparisons, how to read them and the series' verdict."""
    metric = view.metric
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
        changes = [html.Li(NO_EARLIER, className="change tone-none")]
    return html.Div(
        [
            html.H3(dcc.Link(view.label, href=href), className="card-metric"),
            html.P(
                [
                    html.Span(value, className="card-value"),
                    html.Span(f" {period_words}", className="card-period"),
                ]
            ),
            html.Ul(changes, className="changes"),
            html.P(f"{direction_of_good(metric)}.", className="card-direction"),
            html.P(["Signal or noise: ", view.verdict], className="card-verdict"),
            html.P(FORCE_WIDE_NOTE, className="card-note") if view.area_is_fallback else None,
        ],
        className="metric-card",
    )
