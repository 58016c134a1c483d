"""The comparison view (dashboard/views/compare.py) and its figures (dashboard/figures/compare.py)
on the bundled data, against the figures worked by hand in tests/unit/test_peers.py:

Special Constables 30 Sep 2017 -> 30 Sep 2018: Essex 390 -> 476 (+86, +22.05%); group average
286.714 -> 259.429 (-9.52%); England and Wales 12,601 -> 11,029 (-1,572, -12.48%); Essex 41st of
43 from the lowest change (Cleveland and Surrey rose more), 8th of 8 in its group.
Violence with injury, 12 months to Dec 2017 -> Dec 2018: Essex 13,612 -> 14,316 (+704, +5.17%);
group average +409 (+3.54%); Essex 6th of 8 in its group.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.figures.compare import ROLE_COLOURS, change_figure, group_trend_figure
from dashboard.views import views_of
from dashboard.views.compare import (
    choose_period,
    comparable,
    comparable_metrics,
    comparison,
    latest_available,
    ordinal,
    period_words,
)

SPECIALS = "ho-special-constables-headcount"
VWI = "pfa-violence-with-injury"


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


def line(c, name):
    return next(x for x in c.lines if x.name == name)


def test_special_constables_numbers_are_the_ones_worked_by_hand(vm):
    c = comparison(vm, SPECIALS, "2018-09-30")
    essex = line(c, "Essex")
    assert (essex.before, essex.now, essex.change.absolute) == (390, 476, 86)
    assert essex.percent == pytest.approx(22.05, abs=0.005)
    average = line(c, "Average of the group (7 forces)")
    assert average.before == pytest.approx(286.714, abs=0.001)
    assert average.now == pytest.approx(259.429, abs=0.001)
    assert average.percent == pytest.approx(-9.52, abs=0.005)
    national = line(c, "England and Wales")
    assert (national.before, national.now, national.change.absolute) == (12601, 11029, -1572)
    assert national.percent == pytest.approx(-12.48, abs=0.005)
    assert national.note == "published"  # the Home Office's "Total 43 forces" row
    assert c.national_rank == (41, 43) and c.group_rank == (8, 8) and c.higher == 2
    assert [r.name for r in c.ranked[-3:]] == ["Essex", "Cleveland", "Surrey"]
    assert [line.role for line in c.lines] == ["focus", *["peer"] * 7, "group_average", "national"]
    assert c.earlier_label == "30 Sep 2017" and c.period_label == "30 Sep 2018"


def test_the_summary_says_the_comparison_in_one_line_with_the_group_named_in_full(vm):
    c = comparison(vm, SPECIALS, "2018-09-30")
    assert c.summary == (
        "Special Constables, 30 September 2018 against a year earlier: Essex up 86 (22.1%), its most similar "
        "group of forces down 9.5% on average and England and Wales down 1,572 (12.5%); Essex's "
        "change is the best of the 8 forces in its group and the 3rd best of 43 forces (higher "
        "is better)."
    )
    assert "\n" not in c.summary and "MSG" not in c.summary


def test_violence_with_injury_and_a_computed_england_and_wales(vm):
    c = comparison(vm, VWI, "12m-to-2018-12")
    essex = line(c, "Essex")
    assert (essex.before, essex.now, essex.change.absolute) == (13612, 14316, 704)
    assert essex.percent == pytest.approx(5.17, abs=0.005)
    average = line(c, "Average of the group (7 forces)")
    assert average.change.absolute == pytest.approx(409)
    assert average.percent == pytest.approx(3.54, abs=0.005)
    assert c.group_rank == (6, 8)
    # The ONS table has no England and Wales row: the sum of the 43 forces, said so.
    assert "sum of the 43 forces" in line(c, "England and Wales").note
    assert "Essex up 704 (5.2%)" in c.summary and "up 3.5% on average" in c.summary


def test_the_trend_spans_every_period_indexed_to_the_first(vm):
    c = comparison(vm, VWI, "12m-to-2018-12")
    assert len(c.trend) == len(c.trend_ends) == 52
    first, last = c.trend[0], c.trend[-1]
    assert first.focus_index == pytest.approx(100) and first.group_index == pytest.approx(100)
    assert last.focus == 14316
    assert last.focus_index == pytest.approx(14316 / first.focus * 100)
    assert c.trend_summary.startswith(
        "Violence with injury, 12 months to Mar 2003 to 12 months to Dec 2018, as an index"
    )


def test_the_period_is_the_one_asked_for_else_the_latest_by_the_quarter_else_the_latest():
    periods = ["2017-09-30", "2018-03-31", "2018-09-30"]
    ends = [dt.date.fromisoformat(p) for p in periods]
    assert choose_period(periods, ends, "2018-03-31", None) == ("2018-03-31", True)
    assert choose_period(periods, ends, None, "2018-19-Q1") == ("2018-03-31", False)
    assert choose_period(periods, ends, None, "2019-20-Q4") == ("2018-09-30", False)
    assert choose_period(periods, ends, "1999-01-01", None) == ("2018-09-30", False)
    assert choose_period([], [], None, None) == (None, False)


def test_a_series_that_ends_before_the_quarter_says_latest_available(vm):
    c = comparison(vm, VWI, None, "2019-20-Q4")
    assert c.period == "12m-to-2018-12"
    assert c.latest_note == "latest available: year ending December 2018"
    assert latest_available("as_at", "2018-09-30") == "latest available: 30 September 2018"
    assert period_words("rolling_12m", "12m-to-2018-12") == "year ending December 2018"
    # A quarter the series reaches: no note.
    assert comparison(vm, VWI, None, "2018-19-Q3").latest_note is None


def test_an_unknown_period_is_a_problem_and_the_latest_is_shown(vm):
    c = comparison(vm, SPECIALS, "2031-01-01")
    assert c.period == "2018-09-30"
    assert "“2031-01-01” is not a period" in (c.problem or "")


def test_only_metrics_other_forces_publish_can_be_compared(vm):
    ids = {m["metric_id"] for m in comparable_metrics(vm)}
    assert {SPECIALS, VWI} <= ids
    assert not comparable(vm, "ksi-casualties")  # the quarterly update's own figure
    assert all(m["context"] == "national_statistics" for m in comparable_metrics(vm))


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 41, 43)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "41st", "43rd",
    ]  # fmt: skip


def test_the_change_figure_draws_each_line_in_order_with_essex_named_in_bold(vm):
    c = comparison(vm, SPECIALS, "2018-09-30")
    figure = change_figure(c.lines, "title")
    bars = figure["data"][0]
    assert bars["y"][0] == "<b>Essex</b>" and bars["y"][-1] == "England and Wales"
    assert bars["x"][0] == pytest.approx(22.05, abs=0.005)
    assert bars["text"][0] == "+22.1%" and bars["text"][-1] == "−12.5%"
    assert bars["marker"]["color"][0] == ROLE_COLOURS["focus"]
    assert len(set(bars["marker"]["color"][1:8])) == 1  # the group's forces alike
    low, high = figure["layout"]["xaxis"]["range"]
    assert low < min(bars["x"]) and high > max(bars["x"])  # room for the labels


def test_the_trend_figure_has_three_named_lines_and_marks_the_register(vm):
    c = comparison(vm, VWI, "12m-to-2018-12")
    series = {
        "focus": [p.focus_index for p in c.trend],
        "group": [p.group_index for p in c.trend],
        "national": [p.national_index for p in c.trend],
    }
    mark = (dt.date(2014, 3, 31), "Caveat: 12 months to Mar 2014")
    figure = group_trend_figure(c.trend_ends, series, "t", names={"focus": "Essex"}, marks=[mark])
    assert [t["name"] for t in figure["data"]] == ["Essex", "Group average", "England and Wales"]
    assert len({t["line"]["dash"] for t in figure["data"]}) == 3  # not colour alone
    assert figure["layout"]["xaxis"]["range"] == ["2003-03-31", "2018-12-31"]
    labels = [a["text"] for a in figure["layout"]["annotations"]]
    assert labels[0] == "<b>Essex</b> 114.4"
    assert "Caveat: 12 months to<br>Mar 2014" in labels  # on two lines, as the chart shows it
    assert figure["layout"]["shapes"][0]["x0"] == "2014-03-31"
