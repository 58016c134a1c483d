"""What a pack says, decided once: meeting slides, PDF and PowerPoint all render one :class:`Pack`.

:meth:`ViewModel.pack(quarter, area) <dashboard.views.model.ViewModel.pack>` builds it (pure: no
Dash, no files) from the same metric views and narrative selections as the pages: for each of the
plan's seven priorities, the headline figures with their comparisons and verdicts, the one chart
that matters most, the three to five key narrative points, the full narrative, the counts and the
sources. Every sentence about a figure comes from :mod:`dashboard.views.text` and
:mod:`dashboard.analysis.compare`, so the dashboard, the slide, the PDF and the deck say the same
thing.

Rules, so that the same data always give the same pack:

* **Headline figures**: the priority's headline metrics (``metrics.headline``) that have a value
  for the quarter in the chosen area (force-wide when the metric is not published by area), in
  catalogue order, each with its comparisons on the same quarter last year and the previous
  quarter where the data allow: the same figures as the overview's cards.
* **Updates**: the quarter's bullets (not headings) for the priority and area: the same count
  as the overview's.
* **The chart**: the first headline metric, in catalogue order, with two or more points on its
  headline basis; if none has, the first other metric of the priority with the most points; if no
  metric has two points, the first headline figure is shown as a value card; otherwise no chart.
* **Key points** (3 to 5): the quarter's bullets for the priority and area (not headings). Bullets
  that contain a figure come first, force-wide before area-specific, then document order; up to
  five are taken, and if fewer than three contain a figure the rest are filled from the others in
  the same order. They are shown in document order, each as its lead sentence (two sentences when
  the first is short); the full text is in the PDF and the speaker notes.
* **Acronyms**: on each slide or page, the first use of a glossary term is written out in full
  ("killed or seriously injured (KSI)"), unless the text already expands it there ("... (KSI)").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..analysis.compare import direction_marker
from ..data.periods import period_end
from ..formatting import format_value
from .compare import PackComparison
from .metric import MetricView
from .points import Point
from .text import (
    FORCE_WIDE_NOTE,
    NO_EARLIER,
    basis_label,
    comparison_phrase,
    counts_line,
    direction_of_good,
)
from .titles import priority_heading


class PackError(ValueError):
    """A quarter or area the data do not have: a plain message for the person who asked."""


@dataclass(frozen=True)
class Headline:
    metric_id: str
    label: str
    value: str  # "168"
    period: str  # "in 2019/20 Q4" / "at the end of 2019/20 Q4"
    comparisons: list[str]  # "▼ down 2 (1.2%) on the same quarter last year"
    note: str = ""  # "Force-wide figure: not published by area."
    direction: str = ""  # "Lower is better": how to read the change
    verdict: str = ""  # signal or noise, the same line as the dashboard's card


@dataclass(frozen=True)
class Chart:
    metric_id: str
    kind: str  # "comparison" | "trend" | "card"
    title: str
    summary: str  # the one-line summary: alt text for the picture, caption on the slide
    verdict: str  # the SPC one-liner (signal or noise)
    unit: str
    points: list[Point]
    basis_label: str
    area_name: str


@dataclass(frozen=True)
class NarrativeLine:
    text: str
    level: int
    heading: bool
    area: str | None


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    headlines: list[Headline]
    chart: Chart | None
    key_points: list[str]
    narrative: list[NarrativeLine]
    sources: list[str]
    updates: int = 0  # the quarter's bullets for the priority and area (headings not counted)
    #: How Essex compares with its most similar group of forces (views/compare.py): the
    #: priority's national measures, each with its summary and table (force-wide figures).
    comparisons: list[PackComparison] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return priority_heading(self.number, self.title)

    @property
    def counts(self) -> str:
        """'3 headline figures, 26 updates', as the overview counts them."""
        return counts_line(len(self.headlines), self.updates)


@dataclass(frozen=True)
class Pack:
    quarter: str  # canonical label, 2019-20-Q4
    quarter_display: str  # 2019/20 Q4 (Jan–Mar 2020)
    area_id: str
    area_name: str
    as_at: str  # "31 December 2022": same wording as the dashboard footer
    last_published: str
    title: str
    subtitle: str
    sections: list[Section]
    sources: list[str]
    glossary: dict[str, str] = field(default_factory=dict)  # term -> short expansion

    @property
    def as_at_line(self) -> str:
        return f"Data as at {self.as_at}. Latest source published {self.last_published}."


# ----------------------------------------------------------------------------- building


def period_phrase(view: MetricView, quarter_display: str) -> str:
    if view.basis == "quarter_end":
        return f"at the end of {quarter_display}"
    if view.basis == "quarter_count":
        return f"in {quarter_display}"
    return f"in {view.points[-1].label}" if view.points else ""


def headline(view: MetricView, quarter_display: str) -> Headline:
    unit = view.unit
    comparisons = []
    for key in ("same_quarter_last_year", "previous_quarter"):
        change = view.comparisons.get(key)
        if change is not None:
            marker = direction_marker(change)
            comparisons.append(f"{marker.glyph} {comparison_phrase(change, unit, key)}")
    if not comparisons:
        comparisons.append(NO_EARLIER)
    return Headline(
        metric_id=view.metric_id,
        label=view.label,
        value=format_value(view.current, unit, with_unit=True),  # type: ignore[arg-type]
        period=period_phrase(view, quarter_display),
        comparisons=comparisons,
        note=FORCE_WIDE_NOTE if view.area_is_fallback else "",
        direction=direction_of_good(view.metric),
        verdict=view.verdict,
    )


def chart(view: MetricView) -> Chart:
    return Chart(
        metric_id=view.metric_id,
        kind=view.kind,
        title=view.title,
        summary=view.summary,
        verdict=view.verdict,
        unit=view.unit,
        points=list(view.points),
        basis_label=basis_label(view.basis),
        area_name=view.area_name,
    )


def _ends_by(view: MetricView, last_day: dt.date | None) -> bool:
    """True when every point of the series ends by the quarter's end (no later figures in an
    earlier quarter's pack)."""
    if last_day is None or not view.periods:
        return True
    return all(period_end(view.basis, p) <= last_day for p in view.periods)


def choose_chart(
    headline_views: Sequence[MetricView],
    other_views: Sequence[MetricView],
    last_day: dt.date | None = None,
) -> MetricView | None:
    """The one chart that matters most (see the module docstring for the rule). Other metrics'
    series count only if they end by ``last_day`` (the quarter's end)."""
    for view in headline_views:
        if len(view.points) >= 2:
            return view
    others = [v for v in other_views if len(v.points) >= 2 and _ends_by(v, last_day)]
    if others:
        return max(others, key=lambda v: len(v.points))  # max keeps the first of equals
    for view in headline_views:
        if view.current is not None:
            return view
    return None
