"""Cross-check our XmR analysis against pyqicharts 2.0 and abspc 1.1 (test-only dependencies).

How they are called: ``pyqicharts.tables.qic_table(df, x, y, chart="i", improvement=...,
shift_points=7, trend_points=7, exclude_mr_outliers=..., recalculation_points=[x, ...])`` returns
a table with centre, lcl, ucl, mrbar_for_process_limits and per-point rule flags (outside_ucl,
outside_lcl, shift, trend, two_sigma). ``abspc.calculate_control_limits(df, "XmR")`` then
``abspc.detect_special_causes(...)`` gives mean, lcl, ucl and rule1..rule4 (NHS Making Data Count
as in NHSRplotthedots).

What agrees, and what differs by design (who is right, and why):

* Centre line: the mean of all points, in all three (pyqicharts without screening).
* Limit constant: pyqicharts and abspc use 3 / 1.128 = 2.6596; we use 2.66 as the domain guide
  and Making Data Count publish it. Half-widths differ by a factor 2.66 / 2.6596 (0.016%).
* Moving-range screening: R qicharts2 (``qic.i``) screens moving ranges at 3.267 × their mean and
  keeps every point in the centre line, as we do. abspc does not screen at all (its limits widen
  with one freak quarter: the "outlier" series below). pyqicharts screens only with
  ``exclude_mr_outliers=True`` and then also drops the points after each excluded moving range
  from the *centre line*, which neither qicharts2 nor Making Data Count does. Its screened mean
  moving range agrees with ours; its centre does not. We follow qicharts2 / Making Data Count.
  (qicharts2 drops a moving range exactly equal to the threshold; "above" in our brief keeps it.)
* Shift: abspc hard-codes 8 points (NHSRplotthedots); pyqicharts takes ``shift_points=7``. A point
  on the centre line is skipped by pyqicharts (the run continues); we let it break the run, as
  the brief asks: a point on the mean is not "on one side".
* Trend: abspc hard-codes 6 points; pyqicharts takes ``trend_points=7`` but skips ties (equal
  consecutive values) and lets a trend cross a recalculation point. We break on ties (Making Data
  Count) and never cross a rebase.
* 2 of 3: we follow NHS Making Data Count as NHSRplotthedots and abspc implement it: two of
  three consecutive points beyond two thirds of the way to a limit *but inside it* (a point
  outside the limits is a signal of its own), all three on the same side of the centre; the
  points near the limit are flagged. Our flags equal abspc's rule 4. pyqicharts also counts
  points beyond the limits ("beyond two sigma" includes beyond three), so ours are a subset of
  its flags. (Until issue 10 we read the rule the Western Electric way, beyond the limit
  counting and the third point anywhere: a superset of pyqicharts'.)
* Fixed limits: ``xmr(..., fix_after=N)`` agrees with pyqicharts' ``baseline_points=N`` on the
  first segment when the baseline has no moving range to screen. Making Data Count fixes every
  rebased segment on its own first N points; pyqicharts only the first segment (we follow
  Making Data Count). abspc has no such option.

No package is good enough to depend on for the limits as they stand: abspc does not screen
moving ranges; pyqicharts either does not screen or moves the centre line. Both also pull in
matplotlib. Our arithmetic is a dozen lines and is checked here against both.

All series are made-up test inputs; the seeded random ones are synthetic noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

abspc = pytest.importorskip("abspc")
qic_tables = pytest.importorskip("pyqicharts.tables")
qic_rules = pytest.importorskip("pyqicharts.xmr_rules")

from dashboard.analysis.spc import LIMIT_FACTOR, xmr  # noqa: E402
from dashboard.data.periods import parse_quarter  # noqa: E402

THEIR_FACTOR = 3 / 1.128
START = parse_quarter("2012-13-Q1")

SERIES = {
    "stable": [10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 14, 12],
    # a large moving range: 25 in a series around 12
    "outlier": [10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 25, 12, 13],
    "near": [10, 11] * 5 + [13, 13],
    # the same below: mean 133/12 = 11.083, lower 8.423, zone 9.31; both 9s near the limit
    "near-low": [12, 11] * 5 + [9, 9],
    "shift": [9, 11, 9, 11, 9, 11, 9, 12, 11, 12, 11, 12, 11, 12],
    "rising": [12, 10, 12, 10, 12, 9, 10, 11, 12, 13, 14, 15],
}


def synthetic(seed: int) -> list[float]:
    """24 quarters of seeded noise around 100, with a step of +15 from point 14 in odd seeds."""
    rng = np.random.default_rng(seed)
    values = rng.normal(100, 8, 24)
    if seed % 2:
        values[14:] += 15
    return [round(float(v), 2) for v in values]


def ours(values, improvement="up", **kwargs):
    labels = [START.shift(k).label for k in range(len(values))]
    return xmr(list(zip(labels, values, strict=True)), improvement, **kwargs)


def qic(values, *, screen=False, **kwargs):
    df = pd.DataFrame({"x": range(len(values)), "y": values})
    return qic_tables.qic_table(
        df,
        "x",
        "y",
        chart="i",
        improvement="high is good",
        shift_points=7,
        trend_points=7,
        exclude_mr_outliers=screen,
        **kwargs,
    )


def nhs(values):
    df = pd.DataFrame({"value": values})
    return abspc.detect_special_causes(abspc.calculate_control_limits(df, "XmR"))


def flagged(result, rule, side=None) -> set[int]:
    return {
        i
        for s in result.signals
        if s.rule == rule and (side is None or s.side == side)
        for i in s.indices
    }


def their(table, column) -> set[int]:
    return set(table.index[table[column].astype(bool)])


ALL = list(SERIES.items()) + [(f"synthetic-{seed}", synthetic(seed)) for seed in range(12)]


@pytest.mark.parametrize(("name", "values"), ALL, ids=[n for n, _ in ALL])
def test_centre_line_agrees(name, values):
    seg = ours(values).latest
    assert seg.centre == pytest.approx(qic(values)["centre"].iloc[0], rel=1e-12)
    assert seg.centre == pytest.approx(nhs(values)["mean"].iloc[0], rel=1e-12)


@pytest.mark.parametrize(("name", "values"), ALL, ids=[n for n, _ in ALL])
def test_limits_agree_up_to_the_published_constant(name, values):
    result = ours(values)
    seg = result.latest
    half = seg.upper - seg.centre
    # screened mean moving range: identical to pyqicharts' screened one
    screened = qic(values, screen=True)["mrbar_for_process_limits"].iloc[0]
    assert seg.mean_moving_range == pytest.approx(screened, rel=1e-12)
    assert half == pytest.approx(LIMIT_FACTOR * screened, rel=1e-12)
    if not seg.excluded_moving_ranges:
        # nothing screened: limits match both packages to within the 2.66 vs 2.6596 factor
        for ucl in (qic(values)["ucl"].iloc[0], nhs(values)["ucl"].iloc[0]):
            their_half = ucl - seg.centre
            assert half / their_half == pytest.approx(LIMIT_FACTOR / THEIR_FACTOR, rel=1e-9)
            assert abs(half - their_half) / their_half < 2e-4


def test_large_moving_range_is_screened_by_us_not_by_abspc():
    values = SERIES["outlier"]
    seg = ours(values).latest
    abs_ucl = nhs(values)["ucl"].iloc[0]
    # abspc: mean moving range 39/12 = 3.25, upper 12.846 + 2.6596 × 3.25 = 21.49
    assert abs_ucl == pytest.approx(167 / 13 + THEIR_FACTOR * 3.25)
    # ours: 13/10 = 1.3 after screening, upper 12.846 + 2.66 × 1.3 = 16.30
    assert seg.upper == pytest.approx(167 / 13 + 2.66 * 1.3)
    # pyqicharts screens the same moving ranges but drops points 10 and 11 from the centre:
    # (167 - 25 - 12) / 11 = 11.818
    assert qic(values, screen=True)["centre"].iloc[0] == pytest.approx(130 / 11)
    assert seg.centre != pytest.approx(130 / 11)


def rules_on_our_limits(result):
    """pyqicharts' own rule engine run on our centre and limits (so only the rules differ)."""
    seg = result.latest
    values = pd.Series(result.values, dtype=float)
    return qic_rules.xmr_signals(
        values, seg.centre, seg.lower, seg.upper, "high is good", qic_rules.XmrRuleConfig(7, 7)
    )


@pytest.mark.parametrize(("name", "values"), ALL, ids=[n for n, _ in ALL])
def test_outside_limits_agree(name, values):
    result = ours(values)
    theirs = rules_on_our_limits(result)
    assert flagged(result, "outside_limits", "high") == their(theirs, "outside_ucl")
    assert flagged(result, "outside_limits", "low") == their(theirs, "outside_lcl")
    if not result.latest.excluded_moving_ranges:
        # same flags from each package's own limits (none sits in the 0.016% sliver)
        table = qic(values)
        assert flagged(result, "outside_limits", "high") == their(table, "outside_ucl")
        assert flagged(result, "outside_limits", "low") == their(table, "outside_lcl")
        assert flagged(result, "outside_limits") == their(nhs(values), "rule1")


@pytest.mark.parametrize(("name", "values"), ALL, ids=[n for n, _ in ALL])
def test_shift_and_trend_agree_with_pyqicharts_at_seven_points(name, values):
    # none of these series has a point on the centre or equal neighbours inside a run, where the
    # conventions differ (see the tests further down)
    result = ours(values)
    theirs = rules_on_our_limits(result)
    assert flagged(result, "shift") == their(theirs, "shift") == their(qic(values), "shift")
    assert flagged(result, "trend") == their(theirs, "trend") == their(qic(values), "trend")


@pytest.mark.parametrize(("name", "values"), ALL, ids=[n for n, _ in ALL])
def test_two_of_three_is_a_subset_of_pyqicharts(name, values):
    result = ours(values)
    assert flagged(result, "two_of_three") <= their(rules_on_our_limits(result), "two_sigma")


def _near_a_boundary(result, values) -> bool:
    """A point within 0.05% of a limit or zone edge, where 2.66 and 2.6596 can disagree."""
    seg = result.latest
    half = seg.upper - seg.centre
    edges = [seg.centre + k * half for k in (-1, -2 / 3, 2 / 3, 1)]
    return any(abs(v - e) <= 5e-4 * half for v in values for e in edges)


def test_two_of_three_agrees_with_abspc():
    # abspc does not screen moving ranges, and uses 3 / 1.128 for 2.66: compare the series where
    # neither matters (nothing screened, no point within 0.05% of a limit or zone edge)
    compared = 0
    non_empty = 0
    for _, values in ALL:
        result = ours(values)
        if result.latest.excluded_moving_ranges or _near_a_boundary(result, values):
            continue
        compared += 1
        ours_flags = flagged(result, "two_of_three")
        assert ours_flags == their(nhs(values), "rule4"), values
        non_empty += bool(ours_flags)
    # guard against comparing empty sets only
    assert compared >= 10
    assert non_empty >= 2


def test_the_series_exercise_every_rule():
    # guard against a cross-check that compares empty sets only
    seen = {s.rule for _, values in ALL for s in ours(values).signals}
    assert seen == {"outside_limits", "shift", "trend", "two_of_three"}
    assert sum(bool(ours(v).latest.excluded_moving_ranges) for _, v in ALL) >= 3


def test_shift_at_eight_points_agrees_with_abspc():
    # abspc flags 8 or more; our 8-point shift is the same points
    values = [8, 11, 8, 11, 8, 8, 9, 11, 11, 11, 11, 11, 11, 11, 11]
    assert flagged(ours(values), "shift") == their(nhs(values), "rule2") == set(range(7, 15))
    # and the 7-point shift, which abspc (8 points) does not flag
    seven = SERIES["shift"]
    assert flagged(ours(seven), "shift") == set(range(7, 14))
    assert their(nhs(seven), "rule2") == set()


def test_trend_abspc_flags_six_we_need_seven():
    six = SERIES["rising"][:11]  # 9,10,11,12,13,14: six rising
    assert their(nhs(six), "rule3") == set(range(5, 11))
    assert flagged(ours(six), "trend") == set()
    seven = SERIES["rising"]
    assert flagged(ours(seven), "trend") == their(nhs(seven), "rule3") == set(range(5, 12))


def test_point_on_centre_continues_a_run_in_pyqicharts_but_breaks_ours():
    # mean exactly 10; seven 11s around a 10 on the centre
    values = [8, 11, 8, 11, 8, 8, 9, 11, 11, 11, 11, 10, 11, 11, 11]
    assert their(qic(values), "shift") == {7, 8, 9, 10, 12, 13, 14}
    assert flagged(ours(values), "shift") == set()


def test_tie_continues_a_trend_in_pyqicharts_but_breaks_ours():
    values = [12, 10, 12, 10, 12, 9, 10, 11, 11, 12, 13, 14, 15]
    assert their(qic(values), "trend") >= {5, 6, 7, 9, 10, 11, 12}
    assert flagged(ours(values), "trend") == set()


def test_two_of_three_with_the_third_point_across_the_centre():
    # a steady base, then 13, 10.5, 13: two points near the upper limit with a low point between
    values = [10, 11] * 10 + [13, 10.5, 13]
    # sum 210 + 36.5 = 246.5 over 23: mean 10.717; MRs 1 × 19, 2, 2.5, 2.5 = 26/22 = 1.1818 (no
    # screening); upper 10.717 + 3.144 = 13.861, zone 10.717 + 2.096 = 12.813: both 13s near
    result = ours(values)
    assert result.latest.mean_moving_range == pytest.approx(26 / 22)
    # all three packages: the 10.5 is below the centre, so the window does not count
    assert flagged(result, "two_of_three") == set()
    assert their(rules_on_our_limits(result), "two_sigma") == set()
    assert their(nhs(values), "rule4") == set()


def test_a_point_outside_the_limits_does_not_count_towards_two_of_three():
    # 10,11 × 10 then 13, 14: sum 237 over 22: mean 10.773; MRs 1 × 19, 2, 1 = 22/21 = 1.0476;
    # upper 10.773 + 2.787 = 13.560, zone 10.773 + 1.858 = 12.631: the 13 near, the 14 outside
    values = [10, 11] * 10 + [13, 14]
    result = ours(values)
    assert flagged(result, "outside_limits") == {21}
    assert flagged(result, "two_of_three") == set()
    assert their(nhs(values), "rule4") == set()
    # pyqicharts counts the 14 ("beyond two sigma" includes beyond three) and flags both
    assert their(rules_on_our_limits(result), "two_sigma") == {20, 21}


def test_rebased_segments_agree_with_pyqicharts_recalculation():
    values = [10, 11] * 6 + [20, 21] * 4
    result = ours(values, discontinuities=[START.shift(12).label])
    table = qic(values, recalculation_points=[12])
    for seg in result.segments:
        rows = table.iloc[seg.start : seg.stop]
        assert seg.centre == pytest.approx(rows["centre"].iloc[0])
        assert (seg.upper - seg.centre) / (rows["ucl"].iloc[0] - rows["centre"].iloc[0]) == (
            pytest.approx(LIMIT_FACTOR / THEIR_FACTOR)
        )
    assert result.signals == ()
    assert not table["special_cause"].any()


@pytest.mark.parametrize(("name", "values"), ALL, ids=[n for n, _ in ALL])
def test_fixed_limits_agree_with_pyqicharts_baseline(name, values):
    # pyqicharts' baseline_points: centre and limits of the first segment from its first N
    # points. Without moving-range screening in the baseline the two agree (centre exactly,
    # half-width up to 2.66 / 2.6596).
    n = 8
    result = ours(values, fix_after=n)
    seg = result.latest
    table = qic(values, baseline_points=n)
    assert seg.fixed_on == n
    assert seg.centre == pytest.approx(sum(values[:n]) / n)
    assert seg.centre == pytest.approx(table["centre"].iloc[0])
    if not seg.excluded_moving_ranges:
        their_half = table["ucl"].iloc[0] - table["centre"].iloc[0]
        assert (seg.upper - seg.centre) / their_half == pytest.approx(LIMIT_FACTOR / THEIR_FACTOR)


def test_fixed_limits_rebase_per_segment_unlike_pyqicharts():
    # Making Data Count (fix_after_n_points) fixes each rebased segment on its own first N
    # points; pyqicharts applies baseline_points to the first segment only
    values = [10, 11] * 6 + [20, 21, 20, 21, 20, 21, 28, 29]
    result = ours(values, fix_after=6, discontinuities=[START.shift(12).label])
    second = result.segments[1]
    assert second.centre == pytest.approx(20.5)  # the first six points of the segment
    table = qic(values, baseline_points=6, recalculation_points=[12])
    assert table["centre"].iloc[12] == pytest.approx(sum(values[12:]) / 8)  # all eight
