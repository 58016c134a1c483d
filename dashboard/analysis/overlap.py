"""Which points of a series an XmR chart may judge when its points overlap in time.

A rolling 12-month total published at each quarter end shares nine of its twelve months with
the total before it: consecutive points are mostly the same crimes counted again, so they are
strongly autocorrelated by construction. The moving range of two such points is the difference
between the quarter that came in and the quarter that dropped out, not the variation from one
year to the next, so limits worked out from them are far too narrow, and runs on one side of
the mean are close to guaranteed. An XmR chart takes each value as a separate look at the
process; on what strong lag-1 autocorrelation does to a process behaviour chart see D. J.
Wheeler, "Autocorrelated Data: what does autocorrelation tell you about your process?", Quality
Digest, 7 August 2017 (qualitydigest.com/inside/statistics-column/autocorrelated-data-080717.html).
Here the autocorrelation is made by the way the figure is published, so the remedy is simple and
needs no model: judge only values that share no month.

The rule, decided from the periods themselves (their first and last days, from
:mod:`dashboard.data.periods`), not from a list of metrics:

* A series **overlaps** when any point's period starts on or before the end of the period
  before it. Point-in-time counts (the workforce headcounts at 31 March and 30 September),
  single-quarter counts, quarter-end snapshots and calendar or financial years never do, and
  are judged on every point as before.
* An overlapping series is **judged on the points that tile back from the latest**: the latest
  point, then the period that ends the day before the latest one starts, and so on (for rolling
  12-month totals: one point a year, at the latest point's month: "years ending December").
  A tile with no published value inside the series is a missing point (a gap, said so); tiles
  before the earliest published one are not counted. Every point is still drawn; only the
  judged ones have limits and signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..data.periods import PeriodError, period_end, period_start


@dataclass(frozen=True)
class JudgedPoints:
    """The points an XmR analysis uses: every point, or those tiling back from the latest."""

    overlapping: bool
    #: (period, index into the series or None for a tile with no value), oldest first.
    tiles: tuple[tuple[str, int | None], ...]
    #: Months each judged period covers (12 for rolling 12-month totals); 0 when not overlapping.
    months: int = 0
    #: Month the judged periods end in ("December"); "" when not overlapping.
    ending: str = ""

    @property
    def indices(self) -> tuple[int, ...]:
        """Positions in the series of the judged points."""
        return tuple(i for _, i in self.tiles if i is not None)

    @property
    def count(self) -> int:
        return len(self.indices)

    @property
    def word(self) -> str | None:
        """The word for one judged point in sentences ("year"), None for the series' own."""
        if not self.overlapping:
            return None
        return "year" if self.months == 12 else "point"

    def sentence(self, judged: int | None = None) -> str:
        """What the verdict adds: 'judged on 12 yearly points, years ending December' (``judged``:
        the points of the latest segment, the ones the verdict rests on), or, with too few to
        judge (None), which points count and why. '' when the points do not overlap."""
        if not self.overlapping:
            return ""
        if self.months == 12:
            ending = f"years ending {self.ending}"
            if judged is None:
                return f"one point a year counts ({ending}): the 12-month periods overlap"
            what = "yearly point" if judged == 1 else "yearly points"
            return f"judged on {judged} {what}, {ending}"
        ending = f"{self.months} months each, ending {self.ending}"
        if judged is None:
            return f"only points that do not overlap count ({ending})"
        what = "point" if judged == 1 else "points"
        return f"judged on {judged} {what} that do not overlap ({ending})"


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def overlaps(basis: str, periods: Sequence[str]) -> bool:
    """Whether any point's period starts on or before the end of the point before it."""
    try:
        return any(
            period_start(basis, b) <= period_end(basis, a)
            for a, b in zip(periods, periods[1:], strict=False)
        )
    except PeriodError:
        return False


def _label_ending(basis: str, end: dt.date) -> str | None:
    """The label of the period on ``basis`` ending on ``end`` (for a tile with no value)."""
    if basis == "rolling_12m":
        return f"12m-to-{end.year:04d}-{end.month:02d}"
    return None


def judged_points(basis: str, periods: Sequence[str]) -> JudgedPoints:
    """The points to judge (see the module docstring): every one unless the series overlaps."""
    every = tuple((p, i) for i, p in enumerate(periods))
    if not periods or not overlaps(basis, periods):
        return JudgedPoints(False, every)
    ends = {period_end(basis, p): i for i, p in enumerate(periods)}
    first_end = period_end(basis, periods[0])
    latest = len(periods) - 1
    start, end = period_start(basis, periods[latest]), period_end(basis, periods[latest])
    tiles: list[tuple[str, int | None]] = [(periods[latest], latest)]
    while True:
        end = start - dt.timedelta(days=1)
        if end < first_end:
            break
        index = ends.get(end)
        if index is not None:
            tiles.append((periods[index], index))
            start = period_start(basis, periods[index])
            continue
        label = _label_ending(basis, end)
        if label is None:
            break  # no label for a missing tile: judge the unbroken tiles only
        tiles.append((label, None))
        start = period_start(basis, label)
    while tiles and tiles[-1][1] is None:  # before the earliest published tile: not counted
        tiles.pop()
    tiles.reverse()
    last_start = period_start(basis, periods[latest])
    last_end = period_end(basis, periods[latest])
    return JudgedPoints(True, tuple(tiles), _months(last_start, last_end), f"{last_end:%B}")
