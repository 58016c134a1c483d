"""A metric view's chart as the screen draws it (the page and the chart image download): the
renderer its chart kind names (views/chart_kinds.py), with the series' basis in words and the
register's breaks of the series."""

from __future__ import annotations

from ..views import MetricView, ViewModel
from ..views.chart_kinds import kind_named
from ..views.districts import series_basis
from ..views.text import series_breaks


def screen_figure(vm: ViewModel, view: MetricView) -> dict:
    """The Plotly figure of ``view`` by its kind (raises LookupError for a kind without one)."""
    reasons = vm.index.discontinuities.get((view.metric_id, view.basis), {})
    return kind_named(view.kind).renderer("screen")(
        view.points,
        view.unit,
        view.title,
        basis=series_basis(view.metric, view.basis),
        breaks=series_breaks(view.basis, reasons),
    )
