"""The national statistics the overview's signals panel lists beside the quarterly figures:
the force's own series from the published national tables (context ``national_statistics``),
each cut at the chosen quarter's end and judged at its latest point on or before it, as it
stood then: a value after the quarter is never shown or used.

Those series are rolling years and counts at a date, not quarters, so each row says its own
period ("year ending December 2018", "30 September 2018") and, where the period ends before the
quarter does, that it is the latest available. A series that stopped before its table's latest
period at the quarter's end (fraud, recorded by Action Fraud since 2013; the burglary definition
replaced in April 2017) is not listed: its last point says nothing about then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..data.periods import parse_quarter
from .facade import Views
from .metric import MetricView, build_metric_view
from .signals import ORDER

NATIONAL = "national_statistics"
#: Contexts of published national series listed here (DfT STATS19 road casualties too).
NATIONAL_CONTEXTS = (NATIONAL, "stats19")


@dataclass(frozen=True)
class NationalSignals:
    quarter: str
    rows: list[tuple[MetricView, str]]  # the series' view and the meaning of its signal
    judged: int  # series with limits at their latest point
    series: int  # the force's national series listed (current to their table's end)
    stopped: int  # series left out: they stopped before their table's end


def national_signals(vm: Views, quarter: str) -> NationalSignals:
    return vm.cached("national-signals", quarter, lambda: _build(vm, quarter))


def _build(vm: Views, quarter: str) -> NationalSignals:
    cut = parse_quarter(quarter).end_date
    metrics = [m for m in vm.dataset.metric_index.values() if m.get("context") in NATIONAL_CONTEXTS]
    views: list[tuple[MetricView, dt.date]] = []
    for metric in metrics:
        view = _view_at(vm, metric["metric_id"], quarter, cut)
        if view is None:
            continue
        table_end = max(  # where the metric's table ends at the quarter: its latest period then
            (
                ends[held - 1]
                for area in vm.metric_areas(view.metric_id)
                if (
                    held := _held(
                        ends := vm.index.series(view.metric_id, area, view.basis).ends, cut
                    )
                )
            ),
            default=None,
        )
        if table_end is not None:
            views.append((view, table_end))
    rows: list[tuple[MetricView, str]] = []
    judged = listed = stopped = 0
    for view, table_end in views:
        end = view.points[-1].end
        if end is None or end < table_end:
            stopped += end is not None
            continue
        listed += 1
        result = view.spc
        judged += result.judged
        here = result.signals_at(len(result.values) - 1) if result.judged else ()
        if here:
            meanings = {s.meaning for s in here}
            rows.append((view, meanings.pop() if len(meanings) == 1 else "mixed"))
    rows.sort(key=lambda r: (ORDER[r[1]], r[0].metric_id))
    return NationalSignals(quarter, rows, judged, listed, stopped)


def _held(ends: tuple[dt.date, ...], cut: dt.date) -> int:
    """How many of a series' periods (oldest first) end on or before ``cut``."""
    return sum(1 for end in ends if end <= cut)


def _view_at(vm: Views, metric_id: str, quarter: str, cut: dt.date) -> MetricView | None:
    """The force's series as it stood at ``cut`` (its periods ending on or before it), or None
    when the metric has no force figures or none by then."""
    view = vm.metric_view(metric_id, None, quarter)
    if view.area_is_fallback or not view.points or view.points[-1].end is None:
        return None
    rows = vm.index.series(metric_id, view.area_id, view.basis)
    held = _held(rows.ends, cut)
    if held == len(rows):
        return view
    if held == 0:
        return None
    return build_metric_view(
        view.metric,
        view.area_id,
        view.area_name,
        view.area_is_fallback,
        view.basis,
        rows.upto(held),
        quarter,
        view.discontinuities,
        view.caveats,
        view.caveat_notes,
    )
