"""One metric for one area, quarter and basis: every number and sentence its card, chart, XmR
chart, slide and pack show, and its one verdict.

:func:`judge` is the only place a series gets its signal-or-noise verdict: the overview's cards
and signals panel, the metric page's XmR caption, the slides and the packs all read
:attr:`MetricView.verdict`, so one series never gets two sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from ..analysis.compare import Change, headline_comparisons
from ..analysis.spc import XmrResult, is_small_numbers, verdict, xmr
from ..data.periods import QUARTER_BASES
from .indexes import SeriesRows, quarter_key
from .points import Point, chart_kind
from .text import chart_summary, chart_title, short_label

NO_COMPARISONS: Mapping[str, Change | None] = {
    "previous_quarter": None,
    "same_quarter_last_year": None,
}


@dataclass(frozen=True)
class MetricView:
    """One metric for one area and quarter: the numbers every card, chart and slide needs."""

    metric: Mapping[str, Any]
    area_id: str
    area_name: str
    area_is_fallback: bool  # True when the metric is published force-wide only
    basis: str
    points: tuple[Point, ...]
    periods: tuple[str, ...]
    source_ids: tuple[str, ...]  # the source of each point
    current: float | None
    comparisons: Mapping[str, Change | None]
    quarter: str | None
    title: str  # the chart's title: what it shows
    summary: str  # the chart's one-line summary: alt text, caption, slide caption
    #: Periods that start a new segment of the XmR analysis (recorded discontinuities).
    discontinuities: tuple[str, ...] = field(default=(), repr=False)

    @cached_property
    def _judged(self) -> tuple[XmrResult, str]:
        # Worked out when first asked for: a priority page shows charts and summaries and
        # never reads the verdict, so its dozens of series need no XmR analysis.
        values = tuple(p.value for p in self.points)
        return judge(self.metric, self.basis, self.periods, values, self.discontinuities)

    @property
    def spc(self) -> XmrResult:
        return self._judged[0]

    @property
    def verdict(self) -> str:
        """The one-line signal-or-noise verdict every card, chart, slide and pack uses."""
        return self._judged[1]

    @property
    def metric_id(self) -> str:
        return str(self.metric["metric_id"])

    @property
    def unit(self) -> str:
        return str(self.metric["unit"])

    @property
    def label(self) -> str:
        return short_label(str(self.metric["label"]))

    @property
    def kind(self) -> str:
        """'none', 'card', 'comparison' or 'trend': see :func:`~dashboard.views.points.chart_kind`."""
        return chart_kind(self.points)


def judge(
    metric: Mapping[str, Any],
    basis: str,
    periods: Sequence[str],
    values: Sequence[float],
    discontinuities: Sequence[str],
) -> tuple[XmrResult, str]:
    """XmR analysis of a series (rebased at recorded discontinuities, against the metric's
    target) and THE one-line verdict for it (with the small-numbers warning for low counts)."""
    target = metric.get("target")
    target = None if target is None or pd.isna(target) else float(target)
    result = xmr(
        list(zip(periods, values, strict=True)),
        metric["direction"],
        discontinuities=discontinuities,
        target=target,
    )
    small = metric["unit"] == "count" and is_small_numbers(values)
    return result, verdict(result, metric["direction"], small_numbers=small)


def build_metric_view(
    metric: Mapping[str, Any],
    area_id: str,
    area_name: str,
    fallback: bool,
    basis: str,
    rows: SeriesRows,
    quarter: str | None,
    discontinuities: Sequence[str],
) -> MetricView:
    """The series up to ``quarter`` (quarterly bases), with the comparisons the data allow."""
    if quarter and basis in QUARTER_BASES:
        cut = quarter_key(quarter)
        rows = rows.upto(sum(1 for p in rows.periods if quarter_key(p) <= cut))
    points = tuple(
        Point(label, value, end)
        for label, value, end in zip(rows.labels, rows.values, rows.ends, strict=True)
    )
    comparisons: Mapping[str, Change | None] = NO_COMPARISONS
    current = None
    if basis in QUARTER_BASES and quarter:
        series = dict(zip(rows.periods, rows.values, strict=True))
        comparisons = headline_comparisons(series, quarter, metric["direction"])
        current = float(series[quarter]) if quarter in series else None
    elif points:
        current = points[-1].value
    return MetricView(
        metric=metric,
        area_id=area_id,
        area_name=area_name,
        area_is_fallback=fallback,
        basis=basis,
        points=points,
        periods=rows.periods,
        source_ids=rows.source_ids,
        current=current,
        comparisons=comparisons,
        quarter=quarter,
        title=chart_title(metric, points, comparisons),
        summary=chart_summary(metric, points, comparisons, area_name, basis),
        discontinuities=tuple(discontinuities),
    )
