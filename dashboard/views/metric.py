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
from ..analysis.overlap import JudgedPoints, judged_points
from ..analysis.spc import XmrResult, is_small_numbers, verdict, xmr
from ..data.periods import QUARTER_BASES, parse_quarter, period_end
from .indexes import SeriesRows, quarter_key
from .points import Point, chart_kind
from .text import (
    RECORDING_CAVEAT,
    chart_summary,
    chart_title,
    comparable_from,
    latest_available,
    short_label,
)

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
    #: Periods from which the register's caveats apply (marked, limits not rebased).
    caveats: tuple[str, ...] = field(default=(), repr=False)
    #: Other caveats of the register: (period, sentence), said by a verdict at that period.
    caveat_notes: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    #: "latest available: year ending December 2018" when the series ends before the quarter.
    latest_note: str | None = None

    @cached_property
    def _judged(self) -> tuple[XmrResult, str]:
        # Worked out when first asked for: a priority page shows charts and summaries and
        # never reads the verdict, so its dozens of series need no XmR analysis.
        values = tuple(p.value for p in self.points)
        return judge(
            self.metric,
            self.basis,
            self.periods,
            values,
            self.discontinuities,
            self.caveats,
            self.caveat_notes,
        )

    @property
    def spc(self) -> XmrResult:
        """The XmR analysis of the judged points (every point unless they overlap in time:
        see :attr:`judged_on`)."""
        return self._judged[0]

    @cached_property
    def judged_on(self) -> JudgedPoints:
        """Which points the verdict judges: every one, or for a series whose points overlap in
        time (rolling 12-month totals at each quarter end) one a year back from the latest."""
        return judged_points(self.basis, self.periods)

    @property
    def verdict(self) -> str:
        """The one-line signal-or-noise verdict every card, chart, slide and pack uses."""
        return self._judged[1]

    @property
    def recording_caveat(self) -> bool:
        """Whether the verdict ends with the recording-practice caveat (a list of verdicts can
        say it once, below)."""
        return self.verdict.endswith(RECORDING_CAVEAT)

    @property
    def verdict_without_caveat(self) -> str:
        return self.verdict.removesuffix(f". {RECORDING_CAVEAT}")

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
        """'none', 'card', 'comparison', 'trend' or 'monthly': see
        :func:`~dashboard.views.points.chart_kind`."""
        return chart_kind(self.points, self.basis)


def judge(
    metric: Mapping[str, Any],
    basis: str,
    periods: Sequence[str],
    values: Sequence[float],
    discontinuities: Sequence[str],
    caveats: Sequence[str] = (),
    caveat_notes: Sequence[tuple[str, str]] = (),
) -> tuple[XmrResult, str]:
    """XmR analysis of a series (rebased at recorded discontinuities, against the metric's
    target) and THE one-line verdict for it (with the small-numbers warning for low counts, and
    the recording-practice caveat for a rise the register's caveat covers).

    A series whose points overlap in time (rolling 12-month totals at each quarter end) is
    judged on the points that do not (:func:`~dashboard.analysis.overlap.judged_points`), and
    its verdict says so ("judged on 12 yearly points, years ending December")."""
    target = metric.get("target")
    target = None if target is None or pd.isna(target) else float(target)
    judged_on = judged_points(basis, periods)
    points: list[tuple[str, float | None]] = [
        (period, None if index is None else values[index]) for period, index in judged_on.tiles
    ]
    result = xmr(
        points,
        metric["direction"],
        discontinuities=discontinuities,
        target=target,
        point_word=judged_on.word,
    )
    small = metric["unit"] == "count" and is_small_numbers(values)
    text = verdict(result, metric["direction"], small_numbers=small)
    if judged_on.overlapping:
        latest = result.latest
        judged = latest.n if latest is not None and latest.judged else None
        text = f"{text}; {judged_on.sentence(judged)}"
    if caveats and periods and _rise_under_caveat(result, basis, periods, caveats):
        text = f"{text}. {RECORDING_CAVEAT}"
    for period, sentence in caveat_notes:
        if periods and period == periods[-1]:  # the caveat is about the latest point
            text = f"{text}. Caveat: {sentence.rstrip('.')}"
    return result, text


def _rise_under_caveat(
    result: XmrResult, basis: str, periods: Sequence[str], caveats: Sequence[str]
) -> bool:
    """Whether the latest point is special cause on the high side (a rise) and a caveat of the
    register applies by then."""
    if not result.judged:
        return False
    rising = any(s.side == "high" for s in result.signals_at(len(result.values) - 1))
    last = period_end(basis, periods[-1])
    return rising and any(period_end(basis, p) <= last for p in caveats)


def build_metric_view(
    metric: Mapping[str, Any],
    area_id: str,
    area_name: str,
    fallback: bool,
    basis: str,
    rows: SeriesRows,
    quarter: str | None,
    discontinuities: Sequence[str],
    caveats: Sequence[str] = (),
    caveat_notes: Sequence[tuple[str, str]] = (),
) -> MetricView:
    """The series up to ``quarter`` (quarterly bases), with the comparisons the data allow. A
    series on another basis that ends before the quarter says so ("latest available: ...")."""
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
    since = comparable_from(rows.periods, discontinuities)
    summary = chart_summary(metric, points, comparisons, area_name, basis, since)
    latest_note = None
    if quarter and basis not in QUARTER_BASES and points:
        end = points[-1].end
        if end is not None and end < parse_quarter(quarter).end_date:
            latest_note = latest_available(basis, rows.periods[-1])
            summary = f"{summary[:-1]}; {latest_note}, before {parse_quarter(quarter).display}."
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
        title=chart_title(metric, points, comparisons, since),
        summary=summary,
        discontinuities=tuple(discontinuities),
        caveats=tuple(caveats),
        caveat_notes=tuple(caveat_notes),
        latest_note=latest_note,
    )
