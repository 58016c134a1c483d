"""Where to start a meeting: the quarterly series whose latest point, at the chosen quarter, is
special-cause variation.

The rows are found for every quarter at once when a dataset version loads (:mod:`.scan`,
:meth:`~dashboard.views.model.ViewModel.signals`); what a row says (its verdict, its chart) is
its series' own :class:`MetricView`, so the panel says exactly what the series' card and metric
page say. Asked one series at a time of the views, the
same question is the reference the scan is tested against
(``tests/integration/test_engine_equivalence.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Concerns first: they are what a meeting should look at before anything else.
ORDER = {"concern": 0, "mixed": 1, "improvement": 2, "neutral": 3}


@dataclass(frozen=True)
class SignalRow:
    metric_id: str
    area_id: str
    basis: str
    meaning: str  # "improvement", "concern", "neutral" or "mixed"


@dataclass(frozen=True)
class Signals:
    quarter: str
    rows: list[SignalRow]
    judged: int  # quarterly series with enough quarters to judge at the quarter
    series: int  # quarterly series

    def count(self, meaning: str) -> int:
        return sum(1 for row in self.rows if row.meaning == meaning)


def sort_rows(rows: Iterable[SignalRow]) -> list[SignalRow]:
    return sorted(rows, key=lambda r: (ORDER[r.meaning], r.metric_id, r.area_id, r.basis))
