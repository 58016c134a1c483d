"""The overview's signals panel, national part: the force's series from the published national
tables with a signal at their latest point on or before the chosen quarter's end
(dashboard/views/national.py), each with that value and its own period ("year ending December
2018", and "the latest available" where it ends before the quarter) and its verdict as the
series stood then (its metric page, for now, shows and judges the series to its latest value)."""

from __future__ import annotations

from dash import dcc, html

from ..formatting import format_value
from ..routing import Route
from ..views import MetricView, ViewModel
from ..views.national import national_signals
from ..views.text import RECORDING_CAVEAT, period_words
from ..views.titles import quarter_display
from .common import metric_href


def national_block(vm: ViewModel, route: Route, quarter: str) -> list:
    found = national_signals(vm, quarter)
    if not found.series:
        return []
    items = [
        html.Li(
            [
                dcc.Link(view.metric["label"], href=metric_href(view.metric_id, route)),
                html.Span(f" ({_as_of(view)}): ", className="latest-note"),
                view.verdict_without_caveat,
                " (recorded crime: see the note below)." if view.recording_caveat else ".",
            ]
        )
        for view, _ in found.rows
    ]
    caveat = any(view.recording_caveat for view, _ in found.rows)
    stopped = (
        f" {found.stopped} series that stopped before their table's end are not listed."
        if found.stopped
        else ""
    )
    return [
        html.H3("National statistics for the force", className="h5"),
        html.P(
            f"From the published national tables (police recorded crime from the Office for "
            f"National Statistics, police workforce from the Home Office). Each figure is the "
            f"series' latest on or before the end of {quarter_display(quarter)}, for its own "
            f"period (a year's total or a count on a date), not a figure for the quarter. "
            f"{len(found.rows)} of {found.series} series show a signal at that point.{stopped}",
            className="hint",
        ),
        html.Ul(items) if items else None,
        html.P(f"{RECORDING_CAVEAT}.", className="hint recording-caveat") if caveat else None,
    ]


def _as_of(view: MetricView) -> str:
    """'year ending March 2019: 17,283', or with ', the latest available' after the period when
    it ends before the chosen quarter."""
    words = period_words(view.basis, view.periods[-1])
    if view.latest_note:
        words += ", the latest available"
    return f"{words}: {format_value(view.points[-1].value, view.unit, with_unit=True)}"
