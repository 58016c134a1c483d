"""The national statistics the overview's signals panel lists beside the quarterly figures:
the force's own series from the published national tables (context ``national_statistics``),
each judged at its latest point on or before the chosen quarter's end.

Those tables end before the quarterly updates' quarters (December 2018 for police recorded
crime, September 2018 for the workforce), so each row says "latest available: ..." and never
passes for the quarter. A series that stopped before its table's end (fraud, recorded by Action
Fraud since 2013; the burglary definition replaced in April 2017) is not listed: its last point
says nothing about now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..data.periods import parse_quarter
from .facade import Views
from .metric import MetricView
from .signals import ORDER

NATIONAL = "national_statistics"


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
    metrics = [m for m in vm.dataset.metric_index.values() if m.get("context") == NATIONAL]
    views: list[tuple[MetricView, dt.date]] = []
    for metric in metrics:
        view = vm.metric_view(metric["metric_id"], None, quarter)
        if view.area_is_fallback or not view.points or view.points[-1].end is None:
            continue
        table_end = max(  # where the metric's table ends: its latest period in any area
            series.ends[-1]
            for area in vm.metric_areas(view.metric_id)
            if (series := vm.index.series(view.metric_id, area, view.basis)).ends
        )
        views.append((view, table_end))
    rows: list[tuple[MetricView, str]] = []
    judged = listed = stopped = 0
    for view, table_end in views:
        end = view.points[-1].end
        if end is None or end > cut:
            continue  # judged as it stood at the quarter only (no table reaches past it here)
        if end < table_end:
            stopped += 1
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
