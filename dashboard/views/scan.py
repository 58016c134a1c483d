"""Which quarterly series show special cause at their latest point, for every quarter at once.

The overview's signals panel asks, for a quarter, which series' latest point is special cause
when the series is judged as it stood then (later points left out). With thousands of series and
dozens of quarters that is hundreds of thousands of XmR analyses; done one by one with
:func:`dashboard.analysis.spc.xmr` it takes minutes. Here the same rules are worked out for every
series and every quarter in a few NumPy passes, once per dataset version.

It is the XmR method of :mod:`dashboard.analysis.spc`, restricted to the question the panel asks
(is the last point in a signal, and what does the signal mean), and computed the same way in
floating point: sums are sequential (``np.cumsum``-style accumulation in point order, as Python's
``sum``), the tolerance test is :func:`math.isclose`'s formula, the limits and zones use the same
expressions. ``tests/integration/test_engine_equivalence.py`` checks it against ``xmr`` on thousands of
made-up series (gaps, discontinuities, ties, flat stretches, short series); a change to the rules
in ``spc.py`` must be made here too, and that test says so when it is not.

What the panel shows for a row (the verdict, the chart) still comes from the series' own
:class:`~dashboard.views.metric.MetricView`, built by ``xmr``: this module only decides which rows
there are and in what order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..analysis.spc import LIMIT_FACTOR, MIN_POINTS, MR_SCREEN_FACTOR, RUN_LENGTH
from ..data.periods import parse_quarter

_TOL = 1e-9  # dashboard.analysis.spc._TOL: math.isclose(rel_tol=_TOL, abs_tol=_TOL)
#: Series analysed together: bounds the (series x points x points) work arrays.
CHUNK = 512


def quarter_number(label: str) -> int:
    """A quarter as a number, consecutive quarters one apart ("2019-20-Q4" -> 2019*4 + 3)."""
    return int(label[:4]) * 4 + int(label[-1]) - 1


@dataclass(frozen=True)
class SeriesInput:
    """One quarterly series: its points in time order and the discontinuities of its metric."""

    quarters: np.ndarray  # int: quarter_number of each point, increasing
    values: np.ndarray  # float64
    improvement: str  # "up", "down" or "neutral"
    discontinuities: Sequence[str] = ()


@dataclass(frozen=True)
class Scan:
    """For each series: at each of its points, whether the series judged up to that point has
    limits (``judged``) and the meaning of a signal at that point ("" when there is none)."""

    judged: list[np.ndarray]  # bool per point
    meaning: list[list[str]]  # "improvement", "concern", "neutral", "mixed" or ""


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """math.isclose(a, b, rel_tol=_TOL, abs_tol=_TOL), element-wise, the same formula."""
    diff = np.abs(b - a)
    with np.errstate(invalid="ignore"):
        return (a == b) | (diff <= np.abs(_TOL * b)) | (diff <= np.abs(_TOL * a)) | (diff <= _TOL)


def _side(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """spc._side(a, b): 0 when close, else the sign of a - b."""
    return np.where(_close(a, b), 0, np.where(a > b, 1, -1))


def _starts(quarters: np.ndarray, discontinuities: Sequence[str]) -> np.ndarray:
    """spc._segment_starts for the whole series: a boolean per point, True where a segment
    begins (the first point, and the first point on or after each discontinuity)."""
    starts = np.zeros(len(quarters), dtype=bool)
    if len(quarters):
        starts[0] = True
    for label in discontinuities:
        q = parse_quarter(label)
        index = int(np.searchsorted(quarters, q.start_year * 4 + q.number - 1, side="left"))
        if index < len(quarters):
            starts[index] = True
    return starts


def scan(series: Sequence[SeriesInput]) -> Scan:
    judged: list[np.ndarray] = []
    meaning: list[list[str]] = []
    for begin in range(0, len(series), CHUNK):
        part_judged, part_meaning = _scan_chunk(series[begin : begin + CHUNK])
        judged += part_judged
        meaning += part_meaning
    return Scan(judged, meaning)


def _shifted(values: np.ndarray, back: int) -> np.ndarray:
    """``values`` moved ``back`` points later along each row (zeros before): column k holds the
    value ``back`` points before k. Rows shorter than ``back`` are all zeros (no rule reaches
    that far back in them: each rule also asks for enough points in its block)."""
    shifted = np.zeros_like(values)
    width = values.shape[1]
    if back < width:
        shifted[:, back:] = values[:, : width - back]
    return shifted


def _scan_chunk(series: Sequence[SeriesInput]) -> tuple[list[np.ndarray], list[list[str]]]:
    count = len(series)
    lengths = np.array([len(s.values) for s in series], dtype=np.int64)
    width = int(lengths.max()) if count else 0
    if width == 0:
        return [np.zeros(0, dtype=bool) for _ in series], [[] for _ in series]
    pos = np.arange(width)
    valid = pos[None, :] < lengths[:, None]
    v = np.zeros((count, width))
    q = np.zeros((count, width), dtype=np.int64)
    start = np.zeros((count, width), dtype=bool)
    for i, s in enumerate(series):
        n = len(s.values)
        v[i, :n] = s.values
        q[i, :n] = s.quarters
        start[i, :n] = _starts(np.asarray(s.quarters), s.discontinuities)

    # A gap (a quarter skipped) breaks moving ranges and runs; a segment start rebases.
    brk = np.zeros((count, width), dtype=bool)
    brk[:, 1:] = (q[:, 1:] - q[:, :-1] > 1) & valid[:, 1:]
    seg_start = np.maximum.accumulate(np.where(start, pos, 0), axis=1)
    block_start = np.maximum.accumulate(np.where(start | brk, pos, 0), axis=1)

    # Sequential sums within each segment: the centre and the initial mean moving range of the
    # segment as it stood at each point (as Python's sum adds them: in point order).
    mr = np.zeros((count, width))
    mr[:, 1:] = np.abs(v[:, 1:] - v[:, :-1])
    mr_valid = (pos[None, :] > seg_start) & ~brk & valid
    value_sum = np.zeros((count, width))
    mr_sum = np.zeros((count, width))
    mr_count = np.zeros((count, width), dtype=np.int64)
    for j in range(width):
        fresh = start[:, j]
        previous_v = value_sum[:, j - 1] if j else 0.0
        previous_mr = mr_sum[:, j - 1] if j else 0.0
        previous_n = mr_count[:, j - 1] if j else 0
        value_sum[:, j] = np.where(fresh, v[:, j], previous_v + v[:, j])
        add = np.where(mr_valid[:, j], mr[:, j], 0.0)
        mr_sum[:, j] = np.where(fresh, 0.0, previous_mr + add)
        mr_count[:, j] = np.where(fresh, 0, previous_n + mr_valid[:, j])
    points = pos[None, :] - seg_start + 1
    is_judged = valid & (points >= MIN_POINTS) & (mr_count >= 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = value_sum / points
        initial = np.where(mr_count > 0, mr_sum / np.maximum(mr_count, 1), 0.0)
    threshold = MR_SCREEN_FACTOR * initial

    # The screened mean moving range at each cut k: moving ranges j <= k of k's segment that
    # are not above k's threshold, added in point order.
    kept_sum = np.zeros((count, width))
    kept_count = np.zeros((count, width), dtype=np.int64)
    for j in range(width):
        usable = (
            mr_valid[:, j][:, None]
            & (j <= pos)[None, :]
            & (seg_start[:, j][:, None] == seg_start)
            & (mr[:, j][:, None] <= threshold)
        )
        kept_sum = kept_sum + np.where(usable, mr[:, j][:, None], 0.0)
        kept_count = kept_count + usable
    with np.errstate(invalid="ignore", divide="ignore"):
        screened = np.where(kept_count > 0, kept_sum / np.maximum(kept_count, 1), 0.0)
    mrbar = np.where((screened == 0) & (initial > 0), initial, screened)
    half = LIMIT_FACTOR * mrbar
    upper = centre + half
    lower = centre - half
    limit_rules = mrbar != 0
    zone_high = centre + (upper - centre) * 2 / 3
    zone_low = centre - (centre - lower) * 2 / 3

    high = np.zeros((count, width), dtype=bool)  # a signal on the high side at the last point
    low = np.zeros((count, width), dtype=bool)
    # outside the limits
    high |= limit_rules & (v > upper) & ~_close(v, upper)
    low |= limit_rules & (v < lower) & ~_close(v, lower)
    # shift: the last RUN_LENGTH points strictly on one side of k's centre, in one block
    run = RUN_LENGTH
    reach = pos[None, :] - (run - 1) >= block_start
    same_high = np.ones((count, width), dtype=bool)
    same_low = np.ones((count, width), dtype=bool)
    for back in range(run):
        shifted = _shifted(v, back)
        side = _side(shifted, centre)
        same_high &= side > 0
        same_low &= side < 0
    high |= reach & same_high
    low |= reach & same_low
    # trend: the last RUN_LENGTH - 1 steps all rising (or all falling), in one block
    step = np.zeros((count, width), dtype=np.int64)
    step[:, 1:] = _side(v[:, 1:], v[:, :-1])
    rising = np.ones((count, width), dtype=bool)
    falling = np.ones((count, width), dtype=bool)
    for back in range(run - 1):
        shifted_step = _shifted(step, back)
        rising &= shifted_step > 0
        falling &= shifted_step < 0
    high |= reach & rising
    low |= reach & falling
    # 2 of 3 near a limit (beyond two thirds of the way to it, not outside it), the three in a
    # row all on that side of k's centre: the last point and one of the two before it
    window = pos[None, :] - 2 >= block_start
    for zone, limit, sign, side in ((zone_high, upper, 1, high), (zone_low, lower, -1, low)):
        near, same = [], np.ones((count, width), dtype=bool)
        for back in range(3):
            shifted = _shifted(v, back)
            beyond = _side(shifted, zone) == sign
            inside = _side(shifted, limit) != sign
            near.append(beyond & inside)
            same &= _side(shifted, centre) == sign
        side |= limit_rules & window & same & near[0] & (near[1] | near[2])

    high &= is_judged
    low &= is_judged
    judged_out: list[np.ndarray] = []
    meaning_out: list[list[str]] = []
    for i, s in enumerate(series):
        n = int(lengths[i])
        judged_out.append(is_judged[i, :n].copy())
        words = []
        for h, lo in zip(high[i, :n], low[i, :n], strict=True):
            words.append(_meaning(bool(h), bool(lo), s.improvement))
        meaning_out.append(words)
    return judged_out, meaning_out


def _meaning(high: bool, low: bool, improvement: str) -> str:
    """spc.signal_meaning for the sides present; two meanings are "mixed"."""
    if not (high or low):
        return ""
    if improvement == "neutral":
        return "neutral"
    found = {("improvement" if (side == "high") == (improvement == "up") else "concern")
             for side, present in (("high", high), ("low", low)) if present}  # fmt: skip
    return found.pop() if len(found) == 1 else "mixed"


def by_quarter(
    keys: Sequence[tuple[str, str, str]],
    inputs: Sequence[SeriesInput],
    result: Scan,
    quarters: Mapping[str, int],
) -> dict[str, tuple[list[tuple[tuple[str, str, str], str]], int]]:
    """Quarter label -> (series with a signal at that quarter, with its meaning, in series
    order; how many series are judged as they stood at that quarter)."""
    labels = sorted(quarters, key=lambda label: quarters[label])
    numbers = np.array([quarters[label] for label in labels], dtype=np.int64)
    judged_count = np.zeros(len(labels) + 1, dtype=np.int64)
    rows: dict[int, list[tuple[tuple[str, str, str], str]]] = {n: [] for n in numbers.tolist()}
    for key, series, flags, words in zip(keys, inputs, result.judged, result.meaning, strict=True):
        points = np.asarray(series.quarters, dtype=np.int64)
        if not len(points):
            continue
        # Point k is the series' latest point for the quarters from its own to the next one's.
        following = np.append(points[1:], np.iinfo(np.int64).max)
        first = np.searchsorted(numbers, points, side="left")
        stop = np.searchsorted(numbers, following, side="left")
        np.add.at(judged_count, first[flags], 1)
        np.add.at(judged_count, stop[flags], -1)
        for k in np.flatnonzero(np.fromiter((bool(w) for w in words), bool, len(words))):
            number = int(points[k])
            if number in rows:
                rows[number].append((key, words[k]))
    totals = np.cumsum(judged_count)[: len(labels)]
    return {
        label: (rows[int(number)], int(total))
        for label, number, total in zip(labels, numbers, totals, strict=True)
    }
