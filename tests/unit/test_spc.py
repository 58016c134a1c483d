"""XmR rules on hand-worked series. Every series here is a made-up test input, not real data.

Arithmetic is stated in comments so a reader can check each expected number by hand.
"""

from __future__ import annotations

import math

import pytest

from dashboard.analysis.spc import (
    Gap,
    describe_signal,
    is_small_numbers,
    screened_mean_moving_range,
    signal_meaning,
    target_assurance,
    target_position,
    verdict,
    xmr,
)
from dashboard.data.periods import parse_quarter

START = parse_quarter("2015-16-Q1")


def quarters(n: int, start=START) -> list[str]:
    return [start.shift(k).label for k in range(n)]


def pts(values, start=START):
    return list(zip(quarters(len(values), start), values, strict=True))


def rules(result, rule):
    return [s for s in result.signals if s.rule == rule]


# 12 points: sum 143, mean 143/12 = 11.91667.
# Moving ranges 2,1,2,1,1,1,1,2,1,2,2: sum 16, mean 16/11 = 1.45455; 3.267 × 1.45455 = 4.752, none
# excluded. Half-width 2.66 × 1.45455 = 3.86909: limits 8.04758 and 15.78576.
# Two-thirds zone: 11.91667 ± 2.57939 = 9.33728 / 14.49606 (14 is inside).
STABLE = [10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 14, 12]


class TestLimits:
    def test_centre_and_limits_by_hand(self):
        seg = xmr(pts(STABLE), "up").latest
        assert seg.centre == pytest.approx(143 / 12)
        assert seg.mean_moving_range == pytest.approx(16 / 11)
        assert seg.upper == pytest.approx(143 / 12 + 2.66 * 16 / 11)
        assert seg.lower == pytest.approx(143 / 12 - 2.66 * 16 / 11)
        assert seg.excluded_moving_ranges == ()

    def test_stable_series_has_no_signals(self):
        result = xmr(pts(STABLE), "up")
        assert result.signals == ()
        assert verdict(result) == "Common-cause variation: no evidence of change"

    def test_outlier_moving_ranges_left_out_of_limits(self):
        # 13 points, 25 at index 10. Moving ranges 2,1,2,1,1,1,1,2,1,13,13,1: sum 39, mean 3.25;
        # 3.267 × 3.25 = 10.618, so the two 13s (into and out of 25: points 10 and 11) go.
        # Screened mean 13/10 = 1.3; centre 167/13 = 12.84615; upper 12.84615 + 3.458 = 16.30415.
        values = [10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 25, 12, 13]
        result = xmr(pts(values), "down")
        seg = result.latest
        assert seg.initial_mean_moving_range == pytest.approx(3.25)
        assert seg.mean_moving_range == pytest.approx(1.3)
        assert seg.excluded_moving_ranges == (10, 11)
        assert seg.centre == pytest.approx(167 / 13)  # the outlier stays in the mean
        assert seg.upper == pytest.approx(167 / 13 + 2.66 * 1.3)
        outside = rules(result, "outside_limits")
        assert [(s.indices, s.side, s.meaning) for s in outside] == [((10,), "high", "concern")]

    def test_screening_alone(self):
        # mean of 1,1,1,1,10 = 2.8; 3.267 × 2.8 = 9.15 < 10: excluded; screened mean 1
        assert screened_mean_moving_range([1, 1, 1, 1, 10]) == (1.0, 2.8, (4,))
        # 1,1,1,1,5: mean 1.8; threshold 5.88 keeps 5
        assert screened_mean_moving_range([1, 1, 1, 1, 5]) == (1.8, 1.8, ())

    def test_screening_never_leaves_zero_width_limits(self):
        # 0 × 11 then 1: moving ranges 0 × 10 and 1; mean 1/11; 1 > 3.267/11 = 0.297 would be
        # excluded leaving 0, so nothing is excluded. Centre 1/12; upper 1/12 + 2.66/11 = 0.3252.
        result = xmr(pts([0] * 11 + [1]), "down")
        seg = result.latest
        assert seg.excluded_moving_ranges == ()
        assert seg.mean_moving_range == pytest.approx(1 / 11)
        assert [s.indices for s in rules(result, "outside_limits")] == [(11,)]

    def test_all_values_equal(self):
        # every moving range is 0: limits collapse to the centre; no divide-by-zero, no signals
        result = xmr(pts([5] * 12), "up")
        seg = result.latest
        assert (seg.centre, seg.lower, seg.upper, seg.mean_moving_range) == (5, 5, 5, 0)
        assert seg.no_variation
        assert result.signals == ()
        assert verdict(result).startswith("Common-cause variation")

    def test_limits_not_truncated_at_zero(self):
        # 0,4,0,4,0: centre 1.6, moving ranges all 4, lower 1.6 - 10.64 = -9.04
        seg = xmr(pts([0, 4, 0, 4, 0]), "down").latest
        assert seg.lower == pytest.approx(1.6 - 2.66 * 4)


class TestPointCounts:
    def test_eleven_points_are_trial_twelve_are_not(self):
        assert xmr(pts(STABLE[:11]), "up").trial is True
        assert xmr(pts(STABLE), "up").trial is False

    def test_trial_is_said_in_the_verdict(self):
        assert "trial limits" in verdict(xmr(pts(STABLE[:11]), "up"))
        assert "trial" not in verdict(xmr(pts(STABLE), "up"))

    def test_four_points_are_too_few(self):
        result = xmr(pts([10, 12, 11, 13]), "up")
        assert not result.judged
        assert result.latest.centre is None and result.latest.upper is None
        assert result.signals == ()
        assert verdict(result) == "Too few points to judge (4 quarters)"

    def test_five_points_are_judged_on_trial(self):
        result = xmr(pts([10, 12, 11, 13, 12]), "up")
        assert result.judged and result.trial

    def test_too_few_points_hide_even_an_extreme_value(self):
        result = xmr(pts([1, 1, 1, 100]), "up")
        assert result.signals == ()

    def test_empty_series(self):
        result = xmr([], "up")
        assert result.segments == ()
        assert verdict(result).startswith("No data")


class TestShiftRule:
    # 9,11,9,11,9,11,9 then 12,11,12,11,12,11,12: sum 69 + 81 = 150, mean 10.71429.
    # The last 7 are all above; the first 7 alternate. Moving ranges: 2 × 6, 3, 1 × 6 = 21/13
    # = 1.61538: limits 10.714 ± 4.297 (6.418, 15.011), zone 10.714 ± 2.865: nothing near.
    SHIFT = [9, 11, 9, 11, 9, 11, 9, 12, 11, 12, 11, 12, 11, 12]

    def test_seven_in_a_row_above(self):
        result = xmr(pts(self.SHIFT), "up")
        assert [(s.rule, s.indices, s.side) for s in result.signals] == [
            ("shift", tuple(range(7, 14)), "high")
        ]
        assert result.signals[0].meaning == "improvement"
        assert verdict(result) == "Special cause (improvement): 7 quarters in a row above the mean"

    def test_six_in_a_row_is_not_a_shift(self):
        # first 13: mean 138/13 = 10.615; the last six (12,11,...,11) are above, the 9 before is not
        result = xmr(pts(self.SHIFT[:13]), "up")
        assert rules(result, "shift") == []

    def test_point_on_the_centre_breaks_the_run(self):
        # 8,11,8,11,8,8,9 (63) + 11,11,11,11,10,11,11,11 (87) = 150 over 15 points: mean 10 exactly.
        # Seven points above the mean but the 10 sits on it: runs of 4 and 3, no shift.
        values = [8, 11, 8, 11, 8, 8, 9, 11, 11, 11, 11, 10, 11, 11, 11]
        result = xmr(pts(values), "up")
        assert result.latest.centre == 10
        assert rules(result, "shift") == []

    def test_same_series_without_the_centre_point_shifts(self):
        # replace the 10 by 11: sum 151, mean 10.0667, eight 11s above in a row
        values = [8, 11, 8, 11, 8, 8, 9, 11, 11, 11, 11, 11, 11, 11, 11]
        shifts = rules(xmr(pts(values), "up"), "shift")
        assert [s.indices for s in shifts] == [tuple(range(7, 15))]

    def test_shift_below_in_a_down_is_good_metric_is_improvement(self):
        mirrored = [20 - v for v in self.SHIFT]
        result = xmr(pts(mirrored), "down")
        (signal,) = result.signals
        assert (signal.side, signal.meaning) == ("low", "improvement")


class TestTrendRule:
    # 12,10,12,10,12 then 9,10,11,12,13,14,15: seven rising from index 5
    RISING = [12, 10, 12, 10, 12, 9, 10, 11, 12, 13, 14, 15]

    def test_seven_rising(self):
        result = xmr(pts(self.RISING), "down")
        trends = rules(result, "trend")
        assert [(s.indices, s.side, s.meaning) for s in trends] == [
            (tuple(range(5, 12)), "high", "concern")
        ]
        assert describe_signal(trends[0], result) == "7 quarters in a row rising"

    def test_six_rising_is_not_a_trend(self):
        assert rules(xmr(pts(self.RISING[:11]), "down"), "trend") == []

    def test_equal_consecutive_values_break_the_run(self):
        # 9,10,11,11,12,13,14,15: the repeated 11 splits it into 3 and 5 rising points
        values = [12, 10, 12, 10, 12, 9, 10, 11, 11, 12, 13, 14, 15]
        assert rules(xmr(pts(values), "down"), "trend") == []

    def test_seven_falling(self):
        falling = [30 - v for v in self.RISING]
        trends = rules(xmr(pts(falling), "down"), "trend")
        assert [(s.side, s.meaning) for s in trends] == [("low", "improvement")]


class TestTwoOfThreeRule:
    # 10,11 × 5 then 13,13: sum 131, mean 10.91667. Moving ranges 1 × 9, 2, 0: 11/11 = 1.
    # Upper limit 10.917 + 2.66 = 13.577 (13 inside); zone 10.917 + 1.773 = 12.690 (13 beyond).
    NEAR = [10, 11] * 5 + [13, 13]

    def test_two_of_three_near_the_upper_limit(self):
        result = xmr(pts(self.NEAR), "up")
        assert [(s.rule, s.indices, s.side) for s in result.signals] == [
            ("two_of_three", (10, 11), "high")
        ]
        assert verdict(result) == (
            "Special cause (improvement): 2 of 3 quarters near the upper limit"
        )

    def test_one_point_near_the_limit_is_not_a_signal(self):
        # 10,11 × 5, 13, 11: sum 129, mean 10.75; moving ranges 1 × 9, 2, 2 = 13/11 = 1.18182;
        # zone 10.75 + 2/3 × 3.14364 = 12.846: only the 13 beyond it; upper 13.894
        result = xmr(pts([10, 11] * 5 + [13, 11]), "up")
        assert result.signals == ()

    def test_neutral_metric_wording(self):
        text = verdict(xmr(pts(self.NEAR), "neutral"))
        assert text == (
            "Special cause variation (neither good nor bad for this measure): "
            "2 of 3 quarters near the upper limit"
        )
        for judgement in ("improvement", "concern", "better", "worse", "good:", "bad:"):
            assert judgement not in text

    def test_verdict_can_be_given_a_direction(self):
        result = xmr(pts(self.NEAR), "neutral")
        assert verdict(result, "down").startswith("Special cause (concern)")


class TestDiscontinuities:
    # 10,11 × 6 (mean 10.5, moving ranges 1) then 20,21 × 3 (mean 20.5, moving ranges 1)
    STEP = [10, 11] * 6 + [20, 21] * 3

    def test_unrebased_step_is_special_cause(self):
        assert rules(xmr(pts(self.STEP), "up"), "outside_limits")

    def test_rebase_gives_each_segment_its_own_limits(self):
        rebase_at = quarters(13)[12]
        result = xmr(pts(self.STEP), "up", discontinuities=[rebase_at])
        first, second = result.segments
        assert (first.start, first.stop, second.start, second.stop) == (0, 12, 12, 18)
        assert first.centre == pytest.approx(10.5)
        assert second.centre == pytest.approx(20.5)
        # the 11 -> 20 jump across the boundary is not a moving range of either segment
        assert second.mean_moving_range == pytest.approx(1.0)
        assert second.upper == pytest.approx(23.16)
        assert second.starts_at_discontinuity and second.trial and not first.trial
        assert result.signals == ()

    def test_any_spelling_of_the_discontinuity(self):
        label = parse_quarter(quarters(13)[12]).display  # e.g. "2018/19 Q1"
        result = xmr(pts(self.STEP), "up", discontinuities=[label])
        assert len(result.segments) == 2

    def test_few_points_since_the_change(self):
        values = [10, 11] * 6 + [20, 21, 20]
        rebase_at = quarters(13)[12]
        result = xmr(pts(values), "up", discontinuities=[rebase_at])
        assert not result.judged
        display = parse_quarter(rebase_at).display
        assert verdict(result) == (
            f"Too few points to judge since the change at {display} (3 quarters)"
        )

    def test_series_starting_after_the_discontinuity(self):
        before_start = START.shift(-8).label
        result = xmr(pts(STABLE), "up", discontinuities=[before_start])
        assert len(result.segments) == 1
        assert result.latest.centre == pytest.approx(143 / 12)
        assert "no rebase" in result.notes[0]

    def test_series_starting_at_the_discontinuity(self):
        result = xmr(pts(STABLE), "up", discontinuities=[START.label])
        assert len(result.segments) == 1
        assert not result.latest.starts_at_discontinuity

    def test_runs_do_not_cross_a_rebase(self):
        # 3,4,5 | 6,7,8,9 rise for 7 points in a row, but a rebase between 5 and 6 leaves runs
        # of 3 and 4 (both segments have enough points to be judged: 7 and 6)
        values = [10, 12, 10, 12, 3, 4, 5, 6, 7, 8, 9, 7, 8]
        whole = xmr(pts(values), "up")
        assert [s.indices for s in rules(whole, "trend")] == [tuple(range(4, 11))]
        split = xmr(pts(values), "up", discontinuities=[quarters(8)[7]])
        assert all(seg.judged for seg in split.segments)
        assert rules(split, "trend") == []


class TestMissingQuarters:
    # 9,11,9,11,9,9 then eight 12s. Consecutively that is eight above the mean (154/14 = 11): a
    # shift. With a quarter missing between the 4th and 5th twelve it is 4 + 4: no shift.
    VALUES = [9, 11, 9, 11, 9, 9, 12, 12, 12, 12, 12, 12, 12, 12]

    def with_gap(self):
        labels = quarters(15)
        kept = labels[:10] + labels[11:]
        return list(zip(kept, self.VALUES, strict=True)), labels[10]

    def test_control_without_a_gap_shifts(self):
        assert rules(xmr(pts(self.VALUES), "up"), "shift")

    def test_gap_is_reported_and_breaks_runs(self):
        points, missing = self.with_gap()
        result = xmr(points, "up")
        assert result.gaps == (Gap(points[9][0], points[10][0], (missing,)),)
        assert rules(result, "shift") == []
        # moving ranges 2,2,2,2,0,3,0,0,0 | 0,0,0: 11/12; the one across the gap is not used
        assert result.latest.initial_mean_moving_range == pytest.approx(11 / 12)
        assert "1 missing quarter" in verdict(result)

    def test_missing_value_is_a_gap_too(self):
        points, missing = self.with_gap()
        with_none = points[:10] + [(missing, None)] + points[10:]
        result = xmr(with_none, "up")
        assert result.gaps == xmr(points, "up").gaps
        assert len(result.values) == 14

    def test_nan_value_is_missing(self):
        points = pts([10, 12, 11, 13, 12, 11])
        points[3] = (points[3][0], math.nan)
        assert len(xmr(points, "up").gaps) == 1

    def test_missing_latest_value_is_noted(self):
        points = pts(STABLE) + [(START.shift(12).label, None)]
        result = xmr(points, "up")
        assert result.notes and "no value for" in result.notes[0]

    def test_periods_out_of_order_are_rejected(self):
        points = pts(STABLE)
        points[3], points[4] = points[4], points[3]
        with pytest.raises(ValueError, match="in order"):
            xmr(points, "up")


class TestTargets:
    # STABLE limits: 8.048 to 15.786
    @pytest.mark.parametrize(
        ("target", "improvement", "position", "assurance"),
        [
            (20, "up", "above", "miss"),  # every value falls short of 20
            (20, "down", "above", "meet"),  # every value is under 20
            (5, "up", "below", "meet"),
            (5, "down", "below", "miss"),
            (12, "up", "within", "hit_and_miss"),
            (12, "neutral", "within", None),
        ],
    )
    def test_target_against_limits(self, target, improvement, position, assurance):
        result = xmr(pts(STABLE), improvement, target=target)
        assert target_position(result) == position
        assert target_assurance(result) == assurance

    def test_target_in_the_verdict(self):
        text = verdict(xmr(pts(STABLE), "up", target=12))
        assert text.endswith("the target of 12 will be met only some of the time")
        text = verdict(xmr(pts(STABLE), "up", target=20))
        assert text.endswith("the target of 20 will be missed consistently without change")

    def test_no_target_without_limits(self):
        assert target_assurance(xmr(pts([1, 2, 3]), "up", target=2)) is None


class TestWordingHelpers:
    def test_meaning(self):
        assert signal_meaning("high", "up") == "improvement"
        assert signal_meaning("high", "down") == "concern"
        assert signal_meaning("low", "down") == "improvement"
        assert signal_meaning("low", "neutral") == "neutral"

    def test_small_numbers_warning(self):
        text = verdict(xmr(pts([0, 1, 2, 1, 0, 3, 1]), "down"), small_numbers=True)
        assert text.endswith("small numbers: expect large swings")
        assert is_small_numbers([0, 1, 2, 1, 0, 3, 1])
        assert not is_small_numbers([50, 60, 55])

    def test_earlier_signal_is_mentioned_but_not_the_verdict(self):
        values = [10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 25, 12, 13]
        text = verdict(xmr(pts(values), "down"))
        when = parse_quarter(quarters(11)[10]).display
        assert text == (
            "Common-cause variation: no evidence of change in the latest quarter "
            f"(earlier special cause: a quarter above the upper limit, {when})"
        )

    def test_several_signals_at_the_latest_point_are_listed(self):
        # 1..8 rising: mean 4.5, moving ranges 1, limits 4.5 ± 2.66 = 1.84 to 7.16. The 8 is
        # outside the upper limit and ends a trend of 8 rising. Only the 7 is near the limit
        # (beyond 4.5 + 1.773 = 6.273, inside 7.16): the 8 is outside, so it does not count
        # towards 2 of 3 (Making Data Count), and there is no 2-of-3 signal.
        text = verdict(xmr(pts([1, 2, 3, 4, 5, 6, 7, 8]), "up"))
        assert text.startswith(
            "Special cause (improvement): a quarter above the upper limit "
            "and 8 quarters in a row rising"
        )

    def test_two_of_three_counts_only_points_inside_the_limits(self):
        # 10,11 × 5 then 13, 14: sum 132, mean 11; moving ranges 1 × 9, 2, 1 = 12/11 = 1.0909;
        # upper 11 + 2.66 × 1.0909 = 13.902, zone 11 + 1.9345 = 12.935. The 13 is near the
        # limit, the 14 outside it: one signal of its own, and no 2 of 3.
        result = xmr(pts([10, 11] * 5 + [13, 14]), "up")
        assert result.latest.upper == pytest.approx(11 + 2.66 * 12 / 11)
        assert [(s.rule, s.indices) for s in result.signals] == [("outside_limits", (11,))]

    def test_two_of_three_needs_all_three_on_one_side(self):
        # 10,11 × 10 then 14, 9, 14: mean 247/23 = 10.739; moving ranges 1 × 19, 3, 5, 5 =
        # 32/22 = 1.4545, threshold 4.752 screens the 5s: 22/20 = 1.1; upper 13.665, zone
        # 12.690. Both 14s are outside the limit and the 9 is below the centre: no 2 of 3.
        result = xmr(pts([10, 11] * 10 + [14, 9, 14]), "up")
        assert rules(result, "two_of_three") == []
        assert [s.indices for s in rules(result, "outside_limits")] == [(20,), (22,)]

    def test_two_of_three_with_a_low_point_between_is_not_a_signal(self):
        # 10,11 × 10 then 13, 10.5, 13: mean 246.5/23 = 10.717; moving ranges 1 × 19, 2, 2.5,
        # 2.5 = 26/22 = 1.1818 (none above 3.861); upper 10.717 + 3.1436 = 13.861 (13s inside),
        # zone 10.717 + 2.0958 = 12.813 (13s near). The 10.5 between is below the centre, so
        # the window is not on one side: no signal (the Western Electric reading flagged it).
        result = xmr(pts([10, 11] * 10 + [13, 10.5, 13]), "up")
        assert result.signals == ()

    def test_non_quarter_periods_say_points(self):
        years = [(str(2000 + k), v) for k, v in enumerate([10, 11] * 5 + [13, 13])]
        result = xmr(years, "up")
        assert not result.quarterly
        assert verdict(result).endswith("2 of 3 points near the upper limit")


class TestFixedLimits:
    """``fix_after=N``: centre and limits from each segment's first N points (Making Data Count)."""

    # 10,11 × 4 (mean 10.5, moving ranges 1: limits 10.5 ± 2.66 = 7.84 to 13.16) then 12 × 4
    BASE_THEN_RISE = [10, 11] * 4 + [12, 12, 12, 12]

    def test_limits_come_from_the_first_points_only(self):
        result = xmr(pts(self.BASE_THEN_RISE), "up", fix_after=8)
        seg = result.latest
        assert seg.fixed and seg.fixed_on == 8
        assert seg.centre == pytest.approx(10.5)
        assert (seg.lower, seg.upper) == (pytest.approx(7.84), pytest.approx(13.16))
        # against the fixed limits the 12s are inside the zone (below 10.5 + 1.773 = 12.273):
        # no 2 of 3; with the 11 before them, five in a row above the centre: too few for a shift
        assert result.signals == ()

    def test_later_points_are_judged_against_the_baseline(self):
        # the same baseline, then 13 × 6. Fixed: centre 10.5, so the last 11 and the six 13s are
        # seven in a row above it (a shift), and each 13 is near the upper limit (beyond 12.273,
        # inside 13.16). From every point the centre moves up with the change, to
        # (84 + 78) / 14 = 11.571: the 11 falls below it, the run above is only six (no shift
        # up), and the baseline itself becomes the signal (eight in a row below).
        values = [10, 11] * 4 + [13] * 6
        fixed = xmr(pts(values), "up", fix_after=8)
        assert fixed.latest.centre == pytest.approx(10.5)
        assert {s.rule for s in fixed.signals_at(13)} == {"shift", "two_of_three"}
        assert [s.indices for s in fixed.signals if s.rule == "shift"] == [tuple(range(7, 14))]
        drifting = xmr(pts(values), "up")
        assert drifting.latest.centre == pytest.approx(162 / 14)
        shifts = [(s.side, s.indices) for s in drifting.signals if s.rule == "shift"]
        assert shifts == [("low", tuple(range(8)))]

    def test_each_segment_is_fixed_on_its_own_first_points(self):
        # 10,11 × 3 then a break; 20,21 × 3 then 30: segment 2 fixed on its first 6 points
        # (mean 20.5, moving ranges 1: upper 23.16), so the 30 is outside its limits
        values = [10, 11] * 3 + [20, 21] * 3 + [30]
        labels = quarters(len(values))
        result = xmr(
            list(zip(labels, values, strict=True)), "up", discontinuities=[labels[6]], fix_after=6
        )
        first, second = result.segments
        assert (first.centre, first.fixed) == (pytest.approx(10.5), False)  # 6 points: all used
        assert second.centre == pytest.approx(20.5) and second.fixed_on == 6 and second.fixed
        assert [(s.rule, s.indices) for s in result.signals] == [("outside_limits", (12,))]

    def test_fewer_points_than_the_baseline_use_them_all(self):
        result = xmr(pts([10, 11, 10, 11, 10, 11]), "up", fix_after=12)
        assert result.latest.centre == pytest.approx(10.5)
        assert not result.latest.fixed

    @pytest.mark.parametrize("bad", [0, 4, 2.5, True, "8"])
    def test_baseline_needs_five_whole_points(self, bad):
        with pytest.raises(ValueError, match="fix_after"):
            xmr(pts(self.BASE_THEN_RISE), "up", fix_after=bad)

    def test_the_verdict_says_the_limits_are_fixed(self):
        text = verdict(xmr(pts(self.BASE_THEN_RISE), "up", fix_after=8))
        end = parse_quarter(quarters(8)[7]).display
        assert f"limits fixed on 8 quarters to {end}" in text
        assert "trial limits" in text  # 8 points: fewer than 12

    def test_baseline_points_from_a_catalogue_baseline(self):
        from dashboard.analysis.spc import baseline_points

        labels = quarters(16)
        assert baseline_points(labels, labels[9]) == 10
        assert baseline_points(labels, labels[2]) is None  # three points: too few for limits
        assert baseline_points(labels, None) is None
        rolling = [f"12m-to-{y}-03" for y in range(2003, 2019)]
        assert baseline_points(rolling, "12m-to-2016-03") == 14
        dates = ["2014-09-30", "2015-03-31", "2015-09-30", "2016-03-31", "2016-09-30", "2017-03-31"]
        assert baseline_points(dates, "2016-03-31") is None  # four points
        assert baseline_points(dates, "2016-09-30") == 5
