"""Where to start a meeting: the quarterly series whose latest point, at the chosen quarter, is
special-cause variation. Each row carries its series' own :class:`MetricView`, so the panel says
exactly what the series' card and metric page say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .metric import MetricView

#: Concerns first: they are what a meeting should look at before anything else.
ORDER = {"concern": 0, "mixed": 1, "improvement": 2, "neutral": 3}


@dataclass(frozen=True)
class SignalRow:
    view: MetricView
    meaning: str  # "improvement", "concern", "neutral" or "mixed"


@dataclass(frozen=True)
class Signals:
    quarter: str
    rows: list[SignalRow]
    judged: int  # quarterly series with enough quarters to judge
    series: int  # quarterly series with figures up to the quarter


def signal_at_quarter(view: MetricView, quarter: str) -> SignalRow | None:
    """The series' signal when its latest point is the quarter itself and is special cause."""
    result = view.spc
    if not result.judged or not view.periods or view.periods[-1] != quarter:
        return None
    here = result.signals_at(len(result.values) - 1)
    if not here:
        return None
    meanings = {s.meaning for s in here}
    return SignalRow(view, meanings.pop() if len(meanings) == 1 else "mixed")


def find_signals(views: Iterable[MetricView], quarter: str) -> Signals:
    rows, judged, series = [], 0, 0
    for view in views:
        series += 1
        judged += view.spc.judged
        row = signal_at_quarter(view, quarter)
        if row is not None:
            rows.append(row)
    rows.sort(key=lambda r: (ORDER[r.meaning], r.view.metric_id, r.view.area_id))
    return Signals(quarter, rows, judged, series)
