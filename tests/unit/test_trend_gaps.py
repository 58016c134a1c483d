"""A trend line never runs across periods the data do not hold (STATS19's quarters: 2015 and
2017 are held, 2016 is not): a person reading the chart sees a gap, not a made-up line."""

from __future__ import annotations

import datetime as dt

from dashboard.figures.metric import trend_figure
from dashboard.views.points import Point


def _line(points):
    return trend_figure(points, "count", "A series")["data"][0]


def test_a_missing_year_of_quarters_breaks_the_line():
    points = [
        Point("2014/15 Q4", 168, dt.date(2015, 3, 31)),
        Point("2015/16 Q1", 174, dt.date(2015, 6, 30)),
        Point("2015/16 Q2", 232, dt.date(2015, 9, 30)),
        Point("2016/17 Q4", 202, dt.date(2017, 3, 31)),
    ]
    line = _line(points)
    assert line["y"] == [168, 174, 232, None, 202]  # one break, between Q2 2015/16 and 2016/17 Q4
    assert len(line["x"]) == len(line["y"]) == len(line["customdata"])


def test_consecutive_quarters_and_years_are_one_line():
    quarters = [
        Point("2019/20 Q1", 1, dt.date(2019, 6, 30)),
        Point("2019/20 Q2", 2, dt.date(2019, 9, 30)),
        Point("2019/20 Q3", 3, dt.date(2019, 12, 31)),
    ]
    years = [Point(str(y), y, dt.date(y, 12, 31)) for y in (2015, 2016, 2017)]
    assert None not in _line(quarters)["y"]
    assert None not in _line(years)["y"]


def test_a_missing_year_breaks_a_yearly_line():
    years = [Point(str(y), y, dt.date(y, 12, 31)) for y in (2015, 2016, 2018)]
    assert _line(years)["y"] == [2015, 2016, None, 2018]


def test_rolling_totals_are_not_broken_where_the_table_changes_from_yearly_to_quarterly():
    # ONS: one point a year to March 2007, then every quarter: every month is still covered
    points = [
        Point("12 months to Mar 2006", 10, dt.date(2006, 3, 31)),
        Point("12 months to Mar 2007", 11, dt.date(2007, 3, 31)),
        Point("12 months to Jun 2007", 12, dt.date(2007, 6, 30)),
    ]
    assert None not in _line(points)["y"]
