"""Periods of the policing year (April to March), from any spelling to one canonical label."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.data.periods import (
    PeriodError,
    Quarter,
    canonical_period,
    parse_quarter,
    period_display,
    period_end,
    quarter_of_date,
)


@pytest.mark.parametrize(
    "text",
    [
        "2019/20 Q4",
        "Q4 2019/20",
        "2019-20 Q4",
        "2019-20-Q4",
        "Quarter 4 – 2019/20",
        "Quarter 4 — 2019/20",
        "Quarter 4 - 2019/20",
        "quarter 4 2019/20",
        "q4 2019-20",
        "2019/2020 Q4",
        "  2019/20   Q4 ",
    ],
)
def test_every_spelling_reads_as_one_quarter(text):
    assert parse_quarter(text) == Quarter(2019, 4)
    assert canonical_period("quarter_count", text) == "2019-20-Q4"
    assert canonical_period("quarter_end", text) == "2019-20-Q4"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2019/20 Q5", "Q5 does not exist"),
        ("Q0 2019/20", "Q0 does not exist"),
        ("2020/19 Q1", "2020 and 2019 are not"),
        ("2019/21 Q1", "two consecutive years"),
        ("2019 Q4", "is not a quarter"),
        ("Q4", "is not a quarter"),
        ("", "is not a quarter"),
        ("2019-20-Q4; DROP TABLE", "is not a quarter"),
    ],
)
def test_impossible_or_unreadable_quarters_are_refused(text, words):
    with pytest.raises(PeriodError, match=words):
        parse_quarter(text)


def test_the_policing_year_runs_april_to_march():
    q4 = parse_quarter("2019/20 Q4")
    assert q4.months == "Jan–Mar 2020"
    assert q4.end_date == dt.date(2020, 3, 31)
    assert parse_quarter("2019/20 Q1").months == "Apr–Jun 2019"
    assert parse_quarter("2019/20 Q3").end_date == dt.date(2019, 12, 31)
    # pandas agrees: Q-MAR fiscal quarters named by the year they end in.
    assert q4.end_date == pd.Period("2020Q4", freq="Q-MAR").end_time.date()


def test_labels_and_neighbours():
    q4 = Quarter(2019, 4)
    assert (q4.label, q4.display, str(q4)) == ("2019-20-Q4", "2019/20 Q4", "2019-20-Q4")
    assert q4.previous == Quarter(2019, 3)
    assert q4.year_earlier.label == "2018-19-Q4"
    assert Quarter(2019, 1).previous.label == "2018-19-Q4"
    assert q4.shift(1).label == "2020-21-Q1"
    assert sorted([Quarter(2019, 4), Quarter(2018, 4), Quarter(2019, 1)])[0] == Quarter(2018, 4)
    assert Quarter(1999, 2).label == "1999-00-Q2"
    assert parse_quarter("1999/00 Q2") == Quarter(1999, 2)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2020, 3, 31), "2019-20-Q4"),
        (dt.date(2020, 4, 1), "2020-21-Q1"),
        (dt.date(2019, 12, 25), "2019-20-Q3"),
        (dt.date(2019, 7, 1), "2019-20-Q2"),
    ],
)
def test_quarter_of_date(day, label):
    assert quarter_of_date(day).label == label


@pytest.mark.parametrize(
    ("basis", "text", "label", "shown", "end"),
    [
        ("financial_year", "2019/20", "2019-20", "2019/20", dt.date(2020, 3, 31)),
        ("financial_year", "FY 2019-2020", "2019-20", "2019/20", dt.date(2020, 3, 31)),
        ("calendar_year", "2019", "2019", "2019", dt.date(2019, 12, 31)),
        (
            "rolling_12m",
            "12m to 2019-12",
            "12m-to-2019-12",
            "12 months to Dec 2019",
            dt.date(2019, 12, 31),
        ),
        (
            "rolling_12m",
            "12m-to-2020-02",
            "12m-to-2020-02",
            "12 months to Feb 2020",
            dt.date(2020, 2, 29),
        ),
    ],
)
def test_other_bases_have_their_own_canonical_labels(basis, text, label, shown, end):
    assert canonical_period(basis, text) == label
    assert period_display(basis, label) == shown
    assert period_end(basis, label) == end


@pytest.mark.parametrize(
    ("basis", "text"),
    [
        ("calendar_year", "2019/20 Q4"),  # a quarter never passes for a year
        ("calendar_year", "19"),
        ("financial_year", "2019/21"),
        ("rolling_12m", "12m-to-2019-13"),
        ("quarter_count", "2019"),
        ("weekly", "2019"),
    ],
)
def test_a_period_on_the_wrong_basis_is_refused(basis, text):
    with pytest.raises(PeriodError):
        canonical_period(basis, text)
