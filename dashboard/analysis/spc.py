"""XmR (individuals) charts: telling signal from noise the NHS "Making Data Count" way.

Method (domain guide, "Reading change honestly"):

* Centre line = mean of the segment's values (all of them: an outlying point stays in the mean).
* Limits = centre ± 2.66 × mean moving range. Moving ranges above 3.267 × the initial mean moving
  range are left out of the mean used for the limits (one pass, not iterated, as in Making Data
  Count). If leaving them out would make the mean moving range 0 (e.g. 0, 0, 0, 0, 1), they are
  kept: zero-width limits would call every later change special.
* Signals (special cause), each recording its rule, the points it covers, its side and what it
  means for this metric:

  - ``outside_limits``: a point strictly above the upper or below the lower limit.
  - ``shift``: 7 or more points in a row strictly on one side of the centre. A point exactly on
    the centre breaks the run (it is on neither side).
  - ``trend``: 7 or more points in a row each strictly higher (or lower) than the one before.
    Equal consecutive values break the run (NHS Making Data Count); side "high" means rising.
  - ``two_of_three``: 2 (or 3) of 3 consecutive points strictly beyond two thirds of the way from
    the centre to a limit but not outside it, with all three points on the same side of the
    centre. As NHS Making Data Count does it (NHSRplotthedots ``close_to_limits`` and
    ``ptd_two_in_three``): a point outside the limits is a signal of its own and does not count
    towards this rule; the flagged points are the ones near the limit. (Until issue 10 this
    followed the Western Electric reading, "zone A or beyond" with the third point anywhere.)

Choices, documented because the sources differ:

* Fewer than :data:`MIN_POINTS` (5) points in a segment: too few to judge; no limits, no signals
  (run chart only). Five points give four moving ranges; Wheeler notes that useful trial limits
  can be computed from as few as five or six values, and below that a single odd quarter dominates
  the mean moving range. The shortest rule (2 of 3) needs 3 points; shifts and trends need 7, so
  in a 5- or 6-point segment only the limit-based rules can fire.
* Fewer than :data:`FULL_LIMITS_POINTS` (12) points: limits are "trial" (recalculated as quarters
  arrive). 11 points are trial, 12 are not.
* Discontinuities: each given period starts a new segment (for example a counting-rules change);
  limits and rules run separately in each segment, and no run crosses a boundary. A discontinuity
  at or before the first point, or after the last, has no effect and is reported in ``notes``.
* Missing quarters: points are passed as ordered (period, value) pairs; a value of None/NaN or a
  jump of more than one quarter is a gap. Gaps are reported (:class:`Gap`). The moving range across
  a gap is not computed (it would span more than one quarter), and the run-based rules (shift,
  trend, 2 of 3) restart after a gap rather than silently joining points that are not
  consecutive. The centre and limits still use every point in the segment.
* All values equal: the mean moving range is 0, the limits coincide with the centre; no division
  happens anywhere, and the limit-based rules (outside limits, 2 of 3) are not applied because
  there is no variation to judge against. Points on the centre make no shift or trend.
* Limits are not truncated at zero: they describe the variation, not possible values.
* Overlapping points (issue 20): a series whose points overlap in time (rolling 12-month totals
  published at each quarter end share nine months with the total before) is judged only on
  points that share no month: the latest, then the period ending the day before it starts, and
  so on (one a year, "years ending December"). Which points is decided from the periods' own
  first and last days, not from a list of metrics (:mod:`dashboard.analysis.overlap`, with the
  reference it follows); the view (:func:`dashboard.views.metric.judge`) passes those points
  here with ``point_word="year"`` and its verdict says "judged on 12 yearly points, years
  ending December". Point-in-time counts, single-quarter counts and quarter-end snapshots do
  not overlap and keep every point. A rebased segment names the register's break ("since the
  change at 12 months to Jun 2018"), which may come before the segment's first judged point.
* Fixed limits (``fix_after=N``), as Making Data Count fixes them (NHSRplotthedots
  ``fix_after_n_points``): in each segment the centre, the moving ranges (screened as above) and
  so the limits come from the segment's first N points only; every later point is judged against
  them, so a long series answers "has this changed since the baseline?" rather than drifting
  limits along with the change. A segment of N points or fewer uses them all. N must be at
  least :data:`MIN_POINTS`. Limits fixed on fewer than 12 points are trial limits. A metric's
  baseline is data (``metrics.baseline_end``): :func:`baseline_points` turns it into N.

Every wording comes from :func:`verdict` (one line for card, chart summary, slide and export).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from dashboard.analysis.compare import check_improvement
from dashboard.data.periods import PeriodError, Quarter, display_label, parse_quarter
from dashboard.formatting import format_number

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
MR_SCREEN_FACTOR = 3.267  # upper limit of the moving-range chart (D4 for n = 2)
RUN_LENGTH = 7  # shift and trend rules
MIN_POINTS = 5  # fewer than this in a segment: too few to judge
FULL_LIMITS_POINTS = 12  # fewer than this: trial limits
SMALL_NUMBERS_THRESHOLD = 10  # counts whose typical value is below this swing wildly

Rule = Literal["outside_limits", "shift", "trend", "two_of_three"]
Side = Literal["high", "low"]
Meaning = Literal["improvement", "concern", "neutral"]

RULE_NAMES: dict[str, str] = {
    "outside_limits": "a point outside the process limits",
    "shift": f"{RUN_LENGTH} or more points in a row on one side of the mean",
    "trend": f"{RUN_LENGTH} or more points in a row rising or falling",
    "two_of_three": "2 of 3 points beyond two thirds of the way to a limit",
}

# Order in which the verdict mentions signals at the same point (most striking first).
_RULE_PRIORITY = ("outside_limits", "two_of_three", "shift", "trend")
_TOL = 1e-9


@dataclass(frozen=True)
class Signal:
    """One special-cause signal: the rule, the points it covers, its side and its meaning."""

    rule: Rule
    indices: tuple[int, ...]
    periods: tuple[str, ...]
    side: Side
    meaning: Meaning
    segment: int

    @property
    def name(self) -> str:
        return RULE_NAMES[self.rule]


@dataclass(frozen=True)
class Gap:
    """Missing quarters between two consecutive points (``missing`` may be empty for
    non-quarter periods where only a missing value was passed)."""

    after: str
    before: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """Points ``start`` to ``stop - 1`` with their own centre and limits.

    ``status`` is "too_few" (no limits: run chart only) or "judged". ``excluded_moving_ranges``
    holds the index of the later point of each moving range left out of the mean moving range.
    """

    start: int
    stop: int
    status: Literal["judged", "too_few"]
    trial: bool
    centre: float | None = None
    lower: float | None = None
    upper: float | None = None
    mean_moving_range: float | None = None
    initial_mean_moving_range: float | None = None
    excluded_moving_ranges: tuple[int, ...] = ()
    starts_at_discontinuity: bool = False
    #: Points the centre and limits come from, when fixed on a baseline (None: every point).
    fixed_on: int | None = None
    #: The discontinuity this segment starts at, as the register gives it (its first point may
    #: come later: a series judged on one point a year, or a quarter with no value).
    break_label: str | None = None

    @property
    def n(self) -> int:
        return self.stop - self.start

    @property
    def fixed(self) -> bool:
        """True when later points are judged against limits from the first ``fixed_on``."""
        return self.fixed_on is not None and self.fixed_on < self.n

    @property
    def judged(self) -> bool:
        return self.status == "judged"

    @property
    def no_variation(self) -> bool:
        """True when the limits have zero width (all moving ranges 0)."""
        return self.judged and self.mean_moving_range == 0


@dataclass(frozen=True)
class XmrResult:
    """Everything an XmR chart, card, table or slide needs, computed once."""

    periods: tuple[str, ...]
    values: tuple[float, ...]
    improvement: str
    segments: tuple[Segment, ...]
    signals: tuple[Signal, ...]
    gaps: tuple[Gap, ...] = ()
    target: float | None = None
    notes: tuple[str, ...] = field(default=())
    quarterly: bool = True
    #: The word for one point when it is neither a quarter nor a plain point ("year": a series
    #: judged on one rolling 12-month total a year, see :mod:`dashboard.analysis.overlap`).
    unit_word: str | None = None

    @property
    def latest(self) -> Segment | None:
        return self.segments[-1] if self.segments else None

    @property
    def judged(self) -> bool:
        """Whether the latest segment has enough points for limits and rules."""
        return self.latest is not None and self.latest.judged

    @property
    def trial(self) -> bool:
        return self.latest is not None and self.latest.trial

    def segment_of(self, index: int) -> Segment:
        for segment in self.segments:
            if segment.start <= index < segment.stop:
                return segment
        raise IndexError(index)

    def signals_at(self, index: int) -> tuple[Signal, ...]:
        return tuple(s for s in self.signals if index in s.indices)

    def index_of(self, period: str) -> int | None:
        key = _canonical(period)
        return self.periods.index(key) if key in self.periods else None

    @property
    def point_word(self) -> str:
        if self.unit_word:
            return self.unit_word
        return "quarter" if self.quarterly else "point"


# --------------------------------------------------------------------------- computation


def _canonical(period: str) -> str:
    try:
        return parse_quarter(str(period)).label
    except PeriodError:
        return str(period)


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def signal_meaning(side: Side, improvement: str) -> Meaning:
    """High/low (or rising/falling) read against the direction of improvement."""
    check_improvement(improvement)
    if improvement == "neutral":
        return "neutral"
    return "improvement" if (side == "high") == (improvement == "up") else "concern"


def screened_mean_moving_range(
    moving_ranges: Sequence[float],
) -> tuple[float, float, tuple[int, ...]]:
    """(mean used for limits, initial mean, positions excluded) for the given moving ranges.

    A moving range above 3.267 × the initial mean is excluded (one pass). If excluding would leave
    a mean of 0, nothing is excluded.
    """
    if not moving_ranges:
        raise ValueError("at least one moving range is needed")
    initial = sum(moving_ranges) / len(moving_ranges)
    threshold = MR_SCREEN_FACTOR * initial
    excluded = tuple(i for i, mr in enumerate(moving_ranges) if mr > threshold)
    kept = [mr for mr in moving_ranges if mr <= threshold]
    screened = sum(kept) / len(kept) if kept else 0.0
    if screened == 0 and initial > 0:
        return initial, initial, ()
    return screened, initial, excluded


def _side(value: float, centre: float) -> int:
    if math.isclose(value, centre, rel_tol=_TOL, abs_tol=_TOL):
        return 0
    return 1 if value > centre else -1


def _blocks(start: int, stop: int, breaks: Sequence[bool]) -> list[list[int]]:
    """Runs of consecutive (gap-free) point indices within [start, stop)."""
    blocks: list[list[int]] = []
    for i in range(start, stop):
        if i == start or breaks[i]:
            blocks.append([i])
        else:
            blocks[-1].append(i)
    return blocks


def _runs(indices: list[int], key: Sequence[int]) -> list[tuple[list[int], int]]:
    """Maximal runs of equal non-zero ``key`` over ``indices`` (key 0 breaks a run)."""
    runs: list[tuple[list[int], int]] = []
    current: list[int] = []
    sign = 0
    for i, k in zip(indices, key, strict=True):
        if k != 0 and k == sign:
            current.append(i)
            continue
        if current:
            runs.append((current, sign))
        current, sign = ([i], k) if k != 0 else ([], 0)
    if current:
        runs.append((current, sign))
    return runs


def _segment_signals(
    seg_no: int, segment: Segment, values: Sequence[float], breaks: Sequence[bool]
) -> list[tuple[Rule, tuple[int, ...], Side]]:
    found: list[tuple[Rule, tuple[int, ...], Side]] = []
    if not segment.judged:
        return found
    assert segment.centre is not None and segment.upper is not None and segment.lower is not None
    centre, upper, lower = segment.centre, segment.upper, segment.lower
    limit_rules = not segment.no_variation

    if limit_rules:
        for i in range(segment.start, segment.stop):
            if values[i] > upper and _side(values[i], upper) > 0:
                found.append(("outside_limits", (i,), "high"))
            elif values[i] < lower and _side(values[i], lower) < 0:
                found.append(("outside_limits", (i,), "low"))

    zone_high = centre + (upper - centre) * 2 / 3
    zone_low = centre - (centre - lower) * 2 / 3
    for block in _blocks(segment.start, segment.stop, breaks):
        # shift: runs strictly on one side of the centre
        for run, sign in _runs(block, [_side(values[i], centre) for i in block]):
            if len(run) >= RUN_LENGTH:
                found.append(("shift", tuple(run), "high" if sign > 0 else "low"))
        # trend: each point strictly higher (lower) than the one before; ties break the run
        steps = [0] + [_side(values[b], values[a]) for a, b in zip(block, block[1:], strict=False)]
        for run, sign in _runs(block, steps):
            # a run of same-direction steps also covers the point before its first step
            points = [run[0] - 1, *run]
            if len(points) >= RUN_LENGTH:
                found.append(("trend", tuple(points), "high" if sign > 0 else "low"))
        if limit_rules:
            for side, sign, near in (
                ("high", 1, lambda v: _side(v, zone_high) > 0 and _side(v, upper) <= 0),
                ("low", -1, lambda v: _side(v, zone_low) < 0 and _side(v, lower) >= 0),
            ):
                groups: list[set[int]] = []
                for w in range(len(block) - 2):
                    window = block[w : w + 3]
                    if any(_side(values[i], centre) != sign for i in window):
                        continue  # all three on this side of the centre (Making Data Count)
                    hits = {i for i in window if near(values[i])}
                    if len(hits) >= 2:
                        if groups and groups[-1] & hits:
                            groups[-1] |= hits
                        else:
                            groups.append(hits)
                for group in groups:
                    found.append(("two_of_three", tuple(sorted(group)), side))  # type: ignore[arg-type]
    return found


def _segment(
    start: int,
    stop: int,
    values: Sequence[float],
    breaks: Sequence[bool],
    rebased: bool,
    fix_after: int | None = None,
) -> Segment:
    base_stop = stop if fix_after is None else min(stop, start + fix_after)
    base_n = base_stop - start
    fixed_on = None if fix_after is None else base_n
    moving = [
        (i, abs(values[i] - values[i - 1])) for i in range(start + 1, base_stop) if not breaks[i]
    ]
    trial = base_n < FULL_LIMITS_POINTS
    if base_n < MIN_POINTS or not moving:
        return Segment(start, stop, "too_few", trial, starts_at_discontinuity=rebased)
    centre = sum(values[start:base_stop]) / base_n
    mrbar, initial, excluded_pos = screened_mean_moving_range([mr for _, mr in moving])
    half_width = LIMIT_FACTOR * mrbar
    return Segment(
        start,
        stop,
        "judged",
        trial,
        centre=centre,
        lower=centre - half_width,
        upper=centre + half_width,
        mean_moving_range=mrbar,
        initial_mean_moving_range=initial,
        excluded_moving_ranges=tuple(moving[p][0] for p in excluded_pos),
        starts_at_discontinuity=rebased,
        fixed_on=fixed_on,
    )


def _parse_periods(labels: Sequence[str]) -> list[Quarter] | None:
    try:
        return [parse_quarter(str(label)) for label in labels]
    except PeriodError:
        return None


def xmr(
    points: Iterable[tuple[str, float | None]],
    improvement: str = "neutral",
    *,
    discontinuities: Iterable[str] = (),
    target: float | None = None,
    fix_after: int | None = None,
    point_word: str | None = None,
) -> XmrResult:
    """An XmR analysis of ordered (period, value) pairs.

    ``improvement`` is "up", "down" or "neutral". ``discontinuities`` are periods that start a new
    segment (limits rebased). ``target`` is an optional target value (see :func:`target_assurance`).
    ``fix_after`` fixes each segment's centre and limits on its first N points (N >= 5) and judges
    later points against them. A value of None or NaN is a missing point (reported as a gap).
    ``point_word`` names one point in the wording ("year") when it is not a quarter.
    """
    check_improvement(improvement)
    if fix_after is not None and (
        isinstance(fix_after, bool) or not isinstance(fix_after, int) or fix_after < MIN_POINTS
    ):
        raise ValueError(
            f"fix_after must be a whole number of points, at least {MIN_POINTS} "
            f"(limits need that many); got {fix_after!r}"
        )
    raw = [(str(p), None if _is_missing(v) else float(v)) for p, v in points]  # type: ignore[arg-type]
    quarters = _parse_periods([p for p, _ in raw])
    quarterly = quarters is not None and bool(raw)
    labels = [q.label for q in quarters] if quarters else [p for p, _ in raw]
    if quarters:
        for a, b in zip(quarters, quarters[1:], strict=False):
            if not a < b:
                raise ValueError(f"periods must be in order without repeats: {a} then {b}")
    elif len(set(labels)) != len(labels):
        raise ValueError("periods must not repeat")

    periods: list[str] = []
    values: list[float] = []
    breaks: list[bool] = []
    gaps: list[Gap] = []
    pending_missing: list[str] = []
    last_label: str | None = None
    last_quarter: Quarter | None = None
    for pos, (label, (_, value)) in enumerate(zip(labels, raw, strict=True)):
        quarter = quarters[pos] if quarters else None
        if value is None:
            pending_missing.append(label)
            continue
        skipped: list[str] = []
        if quarter is not None and last_quarter is not None:
            skipped = [
                last_quarter.shift(k).label for k in range(1, _distance(last_quarter, quarter))
            ]
        missing = sorted(set(skipped) | set(pending_missing)) if quarterly else pending_missing
        is_break = last_label is not None and bool(skipped or pending_missing)
        if is_break:
            gaps.append(Gap(last_label, label, tuple(missing)))  # type: ignore[arg-type]
        periods.append(label)
        values.append(value)
        breaks.append(is_break)
        pending_missing = []
        last_label, last_quarter = label, quarter

    notes: list[str] = []
    if pending_missing:
        notes.append("no value for " + ", ".join(_display(p, quarterly) for p in pending_missing))
    break_labels: dict[int, str] = {}
    starts = _segment_starts(periods, discontinuities, quarterly, notes, break_labels)
    bounds = list(zip(starts, [*starts[1:], len(periods)], strict=True)) if periods else []
    segments = tuple(
        replace(
            _segment(a, b, values, breaks, rebased=k > 0, fix_after=fix_after),
            break_label=break_labels.get(a) if k > 0 else None,
        )
        for k, (a, b) in enumerate(bounds)
    )
    signals: list[Signal] = []
    for seg_no, segment in enumerate(segments):
        for rule, indices, side in _segment_signals(seg_no, segment, values, breaks):
            signals.append(
                Signal(
                    rule,
                    indices,
                    tuple(periods[i] for i in indices),
                    side,
                    signal_meaning(side, improvement),
                    seg_no,
                )
            )
    signals.sort(key=lambda s: (s.indices[0], _RULE_PRIORITY.index(s.rule)))
    return XmrResult(
        periods=tuple(periods),
        values=tuple(values),
        improvement=improvement,
        segments=segments,
        signals=tuple(signals),
        gaps=tuple(gaps),
        target=None if target is None else float(target),
        notes=tuple(notes),
        quarterly=quarterly,
        unit_word=None if quarterly else point_word,
    )


def _distance(a: Quarter, b: Quarter) -> int:
    return (b.start_year * 4 + b.number) - (a.start_year * 4 + a.number)


def _segment_starts(
    periods: Sequence[str],
    discontinuities: Iterable[str],
    quarterly: bool,
    notes: list[str],
    labels: dict[int, str] | None = None,
) -> list[int]:
    if not periods:
        return []
    starts = {0}
    for raw in discontinuities:
        label = _canonical(raw) if quarterly else str(raw)
        if quarterly:
            q = parse_quarter(label)
            index = next((i for i, p in enumerate(periods) if parse_quarter(p) >= q), None)
        else:
            # Canonical labels of one basis sort in time order ("12m-to-2018-04" < "12m-to-2018-07"):
            # rebase at the first point on or after the break.
            index = next((i for i, p in enumerate(periods) if str(p) >= label), None)
        if index is None or index == 0:
            where = "after the last point" if index is None else "at or before the first point"
            notes.append(f"discontinuity at {_display(label, quarterly)} is {where}: no rebase")
            continue
        starts.add(index)
        if labels is not None and label > labels.get(index, ""):
            labels[index] = label  # the latest of two breaks before one point
    return sorted(starts)


def _display(label: str, quarterly: bool) -> str:
    return parse_quarter(label).display if quarterly else display_label(label)


def baseline_points(periods: Sequence[str], baseline_end: str | None) -> int | None:
    """How many of ``periods`` (ordered) fall on or before ``baseline_end``: the ``fix_after``
    for a metric whose baseline ends there. None when there is no baseline, or fewer than
    :data:`MIN_POINTS` points fall in it (limits are then computed from every point)."""
    if not baseline_end or not periods:
        return None
    try:
        end = parse_quarter(str(baseline_end))
        count = sum(1 for p in periods if parse_quarter(str(p)) <= end)
    except PeriodError:
        count = sum(1 for p in periods if str(p) <= str(baseline_end))
    return count if count >= MIN_POINTS else None


# --------------------------------------------------------------------------- targets

Assurance = Literal["meet", "miss", "hit_and_miss"]


def target_position(result: XmrResult) -> Literal["above", "below", "within"] | None:
    """Where the target lies against the latest limits (None: no target or no limits)."""
    seg = result.latest
    if result.target is None or seg is None or not seg.judged:
        return None
    assert seg.upper is not None and seg.lower is not None
    if result.target > seg.upper:
        return "above"
    if result.target < seg.lower:
        return "below"
    return "within"


def target_assurance(result: XmrResult, improvement: str | None = None) -> Assurance | None:
    """Will the process, as it is, consistently meet or miss the target, or hit and miss?

    Target above the upper limit: every value will fall short of it (a miss if up is good, a meet
    if down is good); below the lower limit: the reverse; inside the limits: hit and miss.
    None for no target, no limits, or a neutral metric (a target for demand is not a judgement).
    """
    improvement = improvement or result.improvement
    position = target_position(result)
    if position is None or improvement == "neutral":
        return None
    if position == "within":
        return "hit_and_miss"
    values_exceed_target = position == "below"
    return "meet" if values_exceed_target == (improvement == "up") else "miss"


# --------------------------------------------------------------------------- wording


def is_small_numbers(values: Iterable[float], threshold: float = SMALL_NUMBERS_THRESHOLD) -> bool:
    """True when the typical (median) value is below ``threshold``: counts that swing wildly."""
    data = sorted(v for v in values if not _is_missing(v))
    if not data:
        return False
    mid = len(data) // 2
    median = data[mid] if len(data) % 2 else (data[mid - 1] + data[mid]) / 2
    return abs(median) < threshold


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def describe_signal(signal: Signal, result: XmrResult) -> str:
    """The signal in words: "2 of 3 quarters near the upper limit"."""
    word = result.point_word
    n = len(signal.indices)
    if signal.rule == "outside_limits":
        where = "above the upper limit" if signal.side == "high" else "below the lower limit"
        return f"a {word} {where}"
    if signal.rule == "shift":
        where = "above" if signal.side == "high" else "below"
        return f"{n} {word}s in a row {where} the mean"
    if signal.rule == "trend":
        return f"{n} {word}s in a row {'rising' if signal.side == 'high' else 'falling'}"
    span = max(3, signal.indices[-1] - signal.indices[0] + 1)
    limit = "upper" if signal.side == "high" else "lower"
    return f"{n} of {span} {word}s near the {limit} limit"


def _when(result: XmrResult, index: int) -> str:
    return _display(result.periods[index], result.quarterly)


def _meaning_label(meanings: Collection[str]) -> str:
    if meanings == {"neutral"}:
        return "Special cause variation (neither good nor bad for this measure)"
    if len(meanings) > 1:
        return "Special cause (both improvement and concern)"
    return f"Special cause ({next(iter(meanings))})"


def verdict(
    result: XmrResult, improvement: str | None = None, *, small_numbers: bool = False
) -> str:
    """ONE plain-English line for card, chart summary, slide and export.

    Judged on the latest point: special cause if it belongs to a signal, otherwise common-cause
    (mentioning an earlier signal in the same segment, if any). Adds trial limits, missing
    quarters, the target assurance and a small-numbers warning where they apply.
    """
    improvement = improvement or result.improvement
    check_improvement(improvement)
    word = result.point_word
    extras: list[str] = []
    seg = result.latest
    if seg is None:
        return f"No data to judge; {word}s appear here once published"
    if not seg.judged:
        at = (
            _display(seg.break_label, result.quarterly)
            if seg.break_label
            else _when(result, seg.start)
        )
        since = f" since the change at {at}" if seg.starts_at_discontinuity else ""
        # Short on purpose: it sits under every card and slide figure with only a few points.
        text = f"Too few points to judge{since} ({_plural(seg.n, word)})"
    else:
        last = len(result.values) - 1
        current = [s for s in result.signals_at(last)]
        if current:
            current.sort(key=lambda s: _RULE_PRIORITY.index(s.rule))
            meanings = {signal_meaning(s.side, improvement) for s in current}
            parts = [describe_signal(s, result) for s in current]
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            text = f"{_meaning_label(meanings)}: {listed}"
        else:
            text = "Common-cause variation: no evidence of change"
            earlier = [s for s in result.signals if s.indices[0] >= seg.start]
            if earlier:
                s = earlier[-1]
                text += (
                    f" in the latest {word} (earlier special cause: "
                    f"{describe_signal(s, result)}, {_when(result, s.indices[-1])})"
                )
        if seg.fixed:
            assert seg.fixed_on is not None
            last_base = seg.start + seg.fixed_on - 1
            extras.append(
                f"limits fixed on {_plural(seg.fixed_on, word)} to {_when(result, last_base)}"
            )
        if seg.trial:
            extras.append(f"trial limits (fewer than {FULL_LIMITS_POINTS} {word}s)")
        assurance = target_assurance(result, improvement)
        if assurance is not None and result.target is not None:
            target = format_number(result.target)
            extras.append(
                {
                    "meet": f"the target of {target} will be met consistently",
                    "miss": f"the target of {target} will be missed consistently without change",
                    "hit_and_miss": f"the target of {target} will be met only some of the time",
                }[assurance]
            )
    missing = sum(len(g.missing) for g in result.gaps if g.before in result.periods[seg.start :])
    if missing and seg.judged:
        extras.append(f"{_plural(missing, 'missing ' + word)}")
    if small_numbers:
        extras.append("small numbers: expect large swings")
    return "; ".join([text, *extras])
