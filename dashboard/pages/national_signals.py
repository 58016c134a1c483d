"""The overview's signals panel, national part: the force's series from the published national
tables with a signal at their latest point (dashboard/views/national.py), each saying which
period it is ("latest available: ...") and giving the verdict its own metric page gives."""

from __future__ import annotations

from dash import dcc, html

from ..routing import Route
from ..views import ViewModel
from ..views.national import national_signals
from ..views.text import RECORDING_CAVEAT
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
                html.Span(f" ({view.latest_note}): ", className="latest-note")
                if view.latest_note
                else ": ",
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
            f"National Statistics, police workforce from the Home Office). They end before "
            f"{quarter_display(quarter)}, so each figure is the latest available, not a figure "
            f"for the quarter. {len(found.rows)} of {found.series} series show a signal at their "
            f"latest point.{stopped}",
            className="hint",
        ),
        html.Ul(items) if items else None,
        html.P(f"{RECORDING_CAVEAT}.", className="hint recording-caveat") if caveat else None,
    ]
