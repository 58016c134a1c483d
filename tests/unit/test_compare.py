"""Two-point comparisons: numbers, wording, direction of good. Series here are hand-made inputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analysis.compare import (
    Change,
    change_between,
    describe_change,
    direction_marker,
    headline_comparisons,
)


class TestChangeBetween:
    def test_fall_in_a_down_is_good_metric_is_better(self):
        # 163 - 165 = -2; -2 / 165 = -1.2121%
        change = change_between(163, 165, "down")
        assert change.absolute == -2
        assert change.percent == pytest.approx(-1.2121, abs=1e-4)
        assert change.movement == "down"
        assert change.assessment == "better"

    def test_rise_in_a_down_is_good_metric_is_worse(self):
        change = change_between(170, 165, "down")
        assert change.movement == "up"
        assert change.assessment == "worse"

    def test_rise_in_an_up_is_good_metric_is_better(self):
        change = change_between(120, 100, "up")
        assert change.percent == pytest.approx(20.0)
        assert change.assessment == "better"

    def test_neutral_metric_is_never_better_or_worse(self):
        assert change_between(120, 100, "neutral").assessment == "neutral"
        assert change_between(80, 100, "neutral").assessment == "neutral"
        assert change_between(100, 100, "neutral").assessment == "neutral"

    def test_no_movement_is_same(self):
        change = change_between(100, 100, "up")
        assert change.movement == "same"
        assert change.assessment == "same"
        assert change.percent == 0

    def test_float_noise_is_no_change(self):
        # 0.1 + 0.2 != 0.3 in binary floating point; that is not a change.
        change = change_between(0.1 + 0.2, 0.3, "up")
        assert change.movement == "same"
        assert change.absolute == 0

    def test_zero_baseline_has_no_percent(self):
        change = change_between(5, 0, "down")
        assert change.percent is None
        assert change.absolute == 5
        assert change.assessment == "worse"

    def test_negative_baseline_percent_uses_magnitude(self):
        # from -10 to -5 is up 5, +50% of |−10|
        change = change_between(-5, -10, "up")
        assert change.percent == pytest.approx(50.0)
        assert change.movement == "up"

    def test_unknown_direction_is_rejected(self):
        with pytest.raises(ValueError, match="direction of improvement"):
            change_between(1, 2, "higher")

    def test_missing_value_is_rejected(self):
        with pytest.raises(ValueError, match="missing"):
            change_between(math.nan, 2, "up")


class TestDescribeChange:
    def test_reports_own_example_down(self):
        change = change_between(163, 165, "down")
        assert describe_change(change, "count", "the same quarter last year") == (
            "down 2 (1.2%) on the same quarter last year"
        )

    def test_reports_own_example_up_with_thousands(self):
        # 72,580 -> 82,523: +9,943; 9,943 / 72,580 = 13.699% -> 13.7%
        change = change_between(82523, 72580, "neutral")
        assert describe_change(change, "count", "same_quarter_last_year") == (
            "up 9,943 (13.7%) on the same quarter last year"
        )

    def test_no_change(self):
        change = change_between(50, 50, "up")
        assert describe_change(change, "count", "previous_quarter") == (
            "no change on the previous quarter"
        )

    def test_percent_metric_in_percentage_points(self):
        # 45.3% - 43.2% = 2.1 percentage points (not 4.9%)
        change = change_between(45.3, 43.2, "up")
        text = describe_change(change, "percent", "the previous quarter")
        assert text == "up 2.1 percentage points on the previous quarter"

    def test_one_percentage_point_is_singular(self):
        change = change_between(40, 41, "up")
        assert describe_change(change, "percent", "the previous quarter") == (
            "down 1 percentage point on the previous quarter"
        )

    def test_money(self):
        # £5.4m -> £6.0m: up £600,000 (11.1%)
        change = change_between(6_000_000, 5_400_000, "up")
        assert describe_change(change, "gbp", "the previous quarter") == (
            "up £600,000 (11.1%) on the previous quarter"
        )

    def test_money_in_millions(self):
        change = change_between(2_000_000, 3_500_000, "up")
        assert describe_change(change, "gbp", "the previous quarter") == (
            "down £1.5m (42.9%) on the previous quarter"
        )

    def test_hours_say_hours(self):
        change = change_between(48_144, 47_000, "up")
        assert describe_change(change, "hours", "the previous quarter").startswith(
            "up 1,144 hours ("
        )

    def test_zero_baseline_wording(self):
        change = change_between(5, 0, "down")
        assert describe_change(change, "count", "the previous quarter") == (
            "up 5 from 0 on the previous quarter"
        )

    def test_never_calls_a_two_point_change_a_trend_or_significant(self):
        for current, baseline in [(200, 100), (50, 100), (100, 100)]:
            for improvement in ("up", "down", "neutral"):
                text = describe_change(
                    change_between(current, baseline, improvement), "count", "the previous quarter"
                )
                assert "trend" not in text
                assert "significant" not in text


class TestAssessmentAndMarker:
    @pytest.mark.parametrize(
        ("current", "baseline", "improvement", "assessment"),
        [
            (90, 100, "down", "better"),
            (110, 100, "down", "worse"),
            (110, 100, "up", "better"),
            (90, 100, "up", "worse"),
            (100, 100, "up", "same"),
            (110, 100, "neutral", "neutral"),
            (90, 100, "neutral", "neutral"),
        ],
    )
    def test_assessment_follows_direction_of_good(self, current, baseline, improvement, assessment):
        assert change_between(current, baseline, improvement).assessment == assessment

    def test_marker_shape_follows_movement_not_judgement(self):
        # the same upward movement has the same glyph whether it is good or bad
        good = direction_marker(change_between(110, 100, "up"))
        bad = direction_marker(change_between(110, 100, "down"))
        assert good.glyph == bad.glyph == "▲"
        assert good.text == "▲ up"
        assert (good.tone, bad.tone) == ("better", "worse")

    def test_marker_down_and_same_are_different_shapes(self):
        down = direction_marker(change_between(90, 100, "neutral"))
        same = direction_marker(change_between(100, 100, "neutral"))
        assert down.glyph == "▼"
        assert down.tone == "neutral"
        assert same.text == "▬ no change"
        assert len({down.glyph, same.glyph, "▲"}) == 3


class TestHeadlineComparisons:
    SERIES = pd.Series(
        {
            "2018-19-Q4": 165.0,
            "2019-20-Q1": 150.0,
            "2019-20-Q2": 155.0,
            "2019-20-Q3": 170.0,
            "2019-20-Q4": 163.0,
        }
    )

    def test_previous_and_same_quarter_last_year(self):
        result = headline_comparisons(self.SERIES, "2019-20-Q4", "down")
        prev, year = result["previous_quarter"], result["same_quarter_last_year"]
        assert isinstance(prev, Change) and isinstance(year, Change)
        # previous: 163 vs 170 (Q3) = -7; year: 163 vs 165 (2018-19 Q4) = -2
        assert (prev.baseline, prev.absolute) == (170.0, -7.0)
        assert (year.baseline, year.absolute) == (165.0, -2.0)
        assert year.assessment == "better"

    def test_any_spelling_of_the_quarter(self):
        result = headline_comparisons(self.SERIES, "2019/20 Q4", "down")
        assert result["same_quarter_last_year"].baseline == 165.0

    def test_missing_baseline_is_none(self):
        result = headline_comparisons(self.SERIES, "2019-20-Q2", "down")
        assert result["previous_quarter"].baseline == 150.0
        assert result["same_quarter_last_year"] is None  # 2018-19 Q2 not in the data

    def test_first_quarter_previous_is_last_years_q4(self):
        result = headline_comparisons(self.SERIES, "2019-20-Q1", "up")
        assert result["previous_quarter"].baseline == 165.0

    def test_missing_current_gives_none_for_both(self):
        result = headline_comparisons(self.SERIES, "2020-21-Q1", "up")
        assert result == {"previous_quarter": None, "same_quarter_last_year": None}

    def test_nan_baseline_is_treated_as_missing(self):
        series = pd.Series({"2019-20-Q3": float("nan"), "2019-20-Q4": 10.0})
        assert headline_comparisons(series, "2019-20-Q4", "up")["previous_quarter"] is None

    def test_index_in_other_spellings(self):
        series = pd.Series({"2019/20 Q3": 10.0, "Q4 2019/20": 12.0})
        change = headline_comparisons(series, "2019-20-Q4", "up")["previous_quarter"]
        assert change.absolute == 2.0
