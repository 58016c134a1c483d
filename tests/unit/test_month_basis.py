"""The month basis ('2018-01': one calendar month, police.uk's street-level counts)."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.analysis.peers import year_earlier
from dashboard.data.periods import (
    BASES,
    BASIS_LABELS,
    PeriodError,
    canonical_period,
    display_label,
    month_calendar_year,
    month_financial_year,
    month_quarter,
    period_display,
    period_end,
    period_start,
)


@pytest.mark.parametrize(
    "text", ["2018-01", "2018/01", "2018-1", " 2018 - 01 ", "Jan 2018", "January 2018", "jan. 2018"]
)
def test_every_spelling_reads_as_one_month(text):
    assert canonical_period("month", text) == "2018-01"


@pytest.mark.parametrize(
    "text, words",
    [
        ("2018-13", "names month 13"),
        ("2018-00", "names month 0"),
        ("18-01", "is not a calendar month"),
        ("Smarch 2018", "is not a calendar month"),
        ("2018-01-31", "is not a calendar month"),
        ("9999-12", "not a real period"),
        ("1850-06", "must lie between 1900 and 2100"),
    ],
)
def test_impossible_or_unreadable_months_are_refused(text, words):
    with pytest.raises(PeriodError, match=words):
        canonical_period("month", text)


def test_a_month_is_a_basis_with_its_label():
    assert "month" in BASES
    assert BASIS_LABELS["month"] == "calendar month"


def test_a_month_runs_from_its_first_to_its_last_day():
    assert period_start("month", "2018-02") == dt.date(2018, 2, 1)
    assert period_end("month", "2018-02") == dt.date(2018, 2, 28)
    assert period_end("month", "2020-02") == dt.date(2020, 2, 29)
    assert period_end("month", "2018-12") == dt.date(2018, 12, 31)
    assert period_display("month", "2018-10") == "Oct 2018"


def test_months_order_by_time_not_by_text():
    months = ["2019-02", "2018-10", "2018-01", "2018-12", "2019-01"]
    ordered = sorted(months, key=lambda m: period_end("month", m))
    assert ordered == ["2018-01", "2018-10", "2018-12", "2019-01", "2019-02"]


@pytest.mark.parametrize(
    "month, quarter, financial_year, calendar_year",
    [
        ("2018-01", "2017-18-Q4", "2017-18", 2018),  # January to March: Q4 of the year before
        ("2018-03", "2017-18-Q4", "2017-18", 2018),
        ("2018-04", "2018-19-Q1", "2018-19", 2018),  # the policing year starts in April
        ("2018-10", "2018-19-Q3", "2018-19", 2018),
        ("2018-12", "2018-19-Q3", "2018-19", 2018),
        ("2019-02", "2018-19-Q4", "2018-19", 2019),
    ],
)
def test_the_quarter_and_years_a_month_belongs_to(month, quarter, financial_year, calendar_year):
    assert month_quarter(month).label == quarter
    assert month_financial_year(month) == financial_year
    assert month_calendar_year(month) == calendar_year


def test_the_same_month_a_year_earlier():
    assert year_earlier("month", "2019-02") == "2018-02"


def test_a_label_alone_is_read_as_a_month_or_a_financial_year():
    assert display_label("2018-01") == "Jan 2018"
    assert display_label("2018-12") == "Dec 2018"
    assert display_label("2019-20") == "2019/20"  # 20 is the next year: a financial year
