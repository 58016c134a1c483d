"""What changed since the last meeting: new figures, revised figures (both values) and new
signals, for one priority, area and pair of quarters.

The last meeting looked at quarter ``since``; this one looks at ``quarter``. Then:

* **New figures**: current values of the priority's metrics (in the area, or force-wide where
  the metric is not published by area) for periods that end after the last meeting's quarter
  ended and by this quarter's end: they could not have been in the last meeting's papers.
* **Revised figures**: a period that ends by this quarter's end, published again after the last
  meeting's quarter ended with a *different* value: both values are given, each with when it
  was published. A second source that confirms the same value (road deaths in 2016: 64 and 64)
  is not a revision.
* **New signals**: series whose latest point, at this quarter, is a real change (special cause
  at the quarter, as the overview's signals panel finds it) that was not one at the last
  meeting's quarter.
* **Better, worse**: each figure the meeting shows, its value now against its value at the last
  meeting's quarter (on a quarterly basis the value *for* that quarter; on another basis the
  latest period that had ended by then), read by the metric's own direction of good: the ones
  that moved in the good direction, then the ones that moved in the bad direction, then the
  measures where neither is better (said neutrally) and the ones that did not move. Each says
  the size of the change and whether the figure is a signal (its plain verdict at this quarter,
  the one its card and slide give).

Pure: reads the view model's indexes and signals, no Dash, no files.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..analysis.compare import change_between, format_absolute_change
from ..data.periods import parse_quarter, period_display, period_end
from ..formatting import format_percent_change, format_value
from .facade import Views
from .meeting import plain_words
from .text import short_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from .metric import MetricView
    from .points import Point
    from .signals import Signals


@dataclass(frozen=True)
class NewFigure:
    metric_id: str
    basis: str
    period: str
    label: str
    value: str
    period_label: str  # "2019/20 Q4", "12 months to Apr 2019", "2019"
    source_id: str = ""

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value} ({self.period_label})"


@dataclass(frozen=True)
class Revision:
    metric_id: str
    basis: str
    period: str
    label: str
    period_label: str
    before: str  # "970"
    before_published: str  # "January 2018"
    after: str
    after_published: str
    #: The sources of the two values (the earlier, then the latest).
    source_ids: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return (
            f"{self.label}, {self.period_label}: now {self.after} (published "
            f"{self.after_published}), was {self.before} (published {self.before_published})"
        )


@dataclass(frozen=True)
class Moved:
    """A figure of the meeting, now against the last meeting's quarter."""

    metric_id: str
    basis: str
    label: str
    assessment: str  # "better", "worse", "neutral" (neither is better), "same"
    now: str  # "168 in 2019/20 Q4"
    before: str  # "170 in 2018/19 Q4"
    size: str  # "down 2 (1.2%)", "no change"
    #: The figure shows a signal (special cause) at this quarter; None: too few points to judge.
    signal: bool | None
    plain: str  # its plain verdict: "A real fall: an improvement", "No sign of real change yet…"

    @property
    def text(self) -> str:
        """'Killed or seriously injured: 168 in 2019/20 Q4, down 2 (1.2%) from 170 in 2018/19
        Q4; a signal: a real fall: an improvement'."""
        plain = self.plain[:1].lower() + self.plain[1:]
        if self.signal is not None:
            plain = f"{'a signal' if self.signal else 'not a signal'}: {plain}"
        if self.assessment == "same":
            return f"{self.label}: {self.now}, no change from {self.before}; {plain}"
        return f"{self.label}: {self.now}, {self.size} from {self.before}; {plain}"


#: What the lists mean, said above them on the overview and the "What changed" slide.
CHANGES_NOTE = (
    "Better and worse compare each figure of the meeting with its value for the last meeting's "
    "quarter, by whether higher or lower is better for it. New figures are for periods that "
    "ended after the last meeting's quarter; revised figures were published again with a "
    "different value."
)

#: How each kind of movement is introduced, in the order they are listed.
MOVED_WORDS = (
    ("better", "Better"),
    ("worse", "Worse"),
    ("neutral", "Moved, on a measure where neither higher nor lower is better"),
    ("same", "No change"),
)


@dataclass(frozen=True)
class Changes:
    """The changes for one priority (or, summed, for a meeting)."""

    since: str  # canonical quarter of the last meeting
    new: list[NewFigure] = field(default_factory=list)
    revised: list[Revision] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)  # "Emergency (999) calls: a real rise: ..."
    #: The meeting's figures against the last meeting's quarter (see the module docstring).
    moved: list[Moved] = field(default_factory=list)
    #: The meeting's figures with no value by the last meeting's quarter (or none since): not
    #: compared, and named so that none is silently left out.
    not_compared: list[str] = field(default_factory=list)

    @property
    def since_display(self) -> str:
        return parse_quarter(self.since).display

    @property
    def heading(self) -> str:
        return f"Since the last meeting ({self.since_display})"

    @property
    def summary(self) -> str:
        """'3 new figures, 1 revised figure, no new signals; better: 1, worse: 2' (the last part
        when the meeting's figures could be compared with the last meeting's)."""

        def count(n: int, word: str, plural: str) -> str:
            return f"{'no' if n == 0 else n} {word if n == 1 else plural}"

        text = ", ".join(
            [
                count(len(self.new), "new figure", "new figures"),
                count(len(self.revised), "revised figure", "revised figures"),
                count(len(self.signals), "new signal", "new signals"),
            ]
        )
        if self.moved:
            text += f"; better: {len(self.of('better'))}, worse: {len(self.of('worse'))}"
        return text

    @property
    def empty(self) -> bool:
        return not (self.new or self.revised or self.signals or self.moved)

    def of(self, assessment: str) -> list[Moved]:
        return [m for m in self.moved if m.assessment == assessment]

    @property
    def detail_lines(self) -> list[str]:
        """What every surface lists under the summary, in this order: better, worse, neither
        (and unchanged), then revisions and new signals."""
        lines = [f"{words}: {m.text}." for kind, words in MOVED_WORDS for m in self.of(kind)]
        if self.not_compared:
            lines.append(
                f"No figure for {self.since_display} to compare with: "
                f"{'; '.join(self.not_compared)}."
            )
        lines += [f"Revised: {r.text}." for r in self.revised]
        lines += [f"New signal: {s}." for s in self.signals]
        return lines

    @property
    def sources(self) -> list[str]:
        """The source of every value these changes quote (new figures, both values of each
        revision)."""
        found = [f.source_id for f in self.new] + [s for r in self.revised for s in r.source_ids]
        return [s for s in dict.fromkeys(found) if s]


def _month(published: str) -> str:
    """'2021-02-23' or '2021-02' -> 'February 2021'."""
    try:
        parts = [int(p) for p in str(published).split("-")[:2]]
        return f"{dt.date(parts[0], parts[1], 1):%B %Y}"
    except (ValueError, IndexError):
        return str(published)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def priority_changes(
    vm: Views,
    number: int,
    area_id: str,
    quarter: str,
    since: str,
    now: Signals,
    before: Signals,
) -> Changes:
    start = parse_quarter(since).end_date
    end = parse_quarter(quarter).end_date
    new: list[NewFigure] = []
    revised: list[Revision] = []
    for metric in vm.priority_metrics(number):
        metric_id = str(metric["metric_id"])
        areas = vm.metric_areas(metric_id)
        area = area_id if area_id in areas else vm.force_id
        label = short_label(str(metric["label"]))
        unit = str(metric["unit"])
        obs = vm.index.observations_of(metric_id)
        if obs.empty:
            continue
        obs = obs[obs["area_id"] == area]
        for row in obs[obs["current"]].itertuples():
            ends = period_end(row.basis, row.period)
            if start < ends <= end:
                new.append(
                    NewFigure(
                        metric_id,
                        row.basis,
                        row.period,
                        label,
                        format_value(float(row.value), unit, with_unit=True),
                        period_display(row.basis, row.period),
                        str(row.source_id),
                    )
                )
        for (basis, period), group in obs.groupby(["basis", "period"], sort=False):
            if len(group) < 2 or period_end(str(basis), str(period)) > end:
                continue
            group = group.sort_values("published", kind="stable")
            latest = group.iloc[-1]
            if not _published_after(str(latest["published"]), start):
                continue
            earlier = [r for r in group.iloc[:-1].itertuples() if not _same(r.value, latest.value)]
            if not earlier:
                continue  # confirmed, not revised
            last = earlier[-1]
            revised.append(
                Revision(
                    metric_id,
                    str(basis),
                    str(period),
                    label,
                    period_display(str(basis), str(period)),
                    format_value(float(last.value), unit, with_unit=True),
                    _month(last.published),
                    format_value(float(latest["value"]), unit, with_unit=True),
                    _month(str(latest["published"])),
                    (str(last.source_id), str(latest["source_id"])),
                )
            )
    had = {(r.metric_id, r.area_id, r.basis) for r in before.rows}
    signals = []
    for row in now.rows:
        if (
            int(vm.metric(row.metric_id)["priority"]) == number
            and row.area_id in (area_id, vm.force_id)
            and (row.metric_id, row.area_id, row.basis) not in had
        ):
            view = vm.metric_view(row.metric_id, row.area_id, quarter, row.basis)
            signals.append(f"{view.label}: {plain_words(view)}")
    new.sort(key=lambda f: (period_end(f.basis, f.period), f.label), reverse=True)
    return Changes(since, new, revised, signals)


def _published_after(published: str, day: dt.date) -> bool:
    """A source's publication ('2021-02-23' or '2021-02') is after ``day`` (a month counts as
    after when it begins after the day)."""
    parts = str(published).split("-")
    try:
        if len(parts) >= 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])) > day
        return dt.date(int(parts[0]), int(parts[1]), 1) > day
    except ValueError:
        return False


def combine(since: str, parts: list[Changes]) -> Changes:
    return Changes(
        since,
        [f for c in parts for f in c.new],
        [r for c in parts for r in c.revised],
        [s for c in parts for s in c.signals],
        [m for c in parts for m in c.moved],
        [n for c in parts for n in c.not_compared],
    )


def moved(views: Sequence[MetricView], since: str) -> tuple[list[Moved], list[str]]:
    """Each figure's value now against its value at the last meeting's quarter ``since`` (see
    the module docstring), and the labels of the figures with no value by then or none newer
    (not compared)."""
    then = parse_quarter(since)
    found = []
    left: list[str] = []
    for view in views:
        if not view.points:
            continue
        now = view.points[-1]
        before: Point | None
        if since in view.periods:
            before = view.points[view.periods.index(since)]
        else:
            earlier = [p for p in view.points if p.end is not None and p.end <= then.end_date]
            before = earlier[-1] if earlier else None
        if before is None or before is now:
            left.append(short_label(str(view.metric["label"])))
            continue
        direction = str(view.metric["direction"])
        change = change_between(now.value, before.value, direction)
        unit = view.unit
        size = "no change"
        if change.movement != "same":
            size = f"{change.movement} {format_absolute_change(change, unit)}"
            if change.percent is not None and unit not in ("percent", "percent_change"):
                size += f" ({format_percent_change(change.percent)})"
        spc = view.spc
        latest = spc.latest
        signal = (
            bool(spc.signals_at(len(spc.values) - 1))
            if latest is not None and latest.judged
            else None
        )
        found.append(
            Moved(
                view.metric_id,
                view.basis,
                short_label(str(view.metric["label"])),
                change.assessment,
                f"{format_value(now.value, unit, with_unit=True)} in {now.label}",
                f"{format_value(before.value, unit, with_unit=True)} in {before.label}",
                size,
                signal,
                plain_words(view),
            )
        )
    return found, left


def restatements(revisions: pd.DataFrame) -> dict[tuple[str, str, str, str], bool]:
    """(metric, area, basis, period) published more than once -> True when a later value differs
    (a revision), False when every source gave the same value (a confirmation, not a revision)."""
    found: dict[tuple[str, str, str, str], bool] = {}
    for key, group in revisions.groupby(["metric_id", "area_id", "basis", "period"], sort=False):
        values = [float(v) for v in group["value"]]
        metric_id, area_id, basis, period = (str(k) for k in key)
        found[(metric_id, area_id, basis, period)] = any(
            not _same(values[0], v) for v in values[1:]
        )
    return found
