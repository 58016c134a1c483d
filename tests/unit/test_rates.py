"""Rates per 1,000 people: a count meets a population of the same area and year only.

The populations used are cells of the ONS workbook (sheet MYE 5, read by hand): Southend-on-Sea
mid-2018, row 179 column G = 182,463; Basildon mid-2018, row 188 column G = 185,862. The count is
police.uk's anti-social behaviour in Southend-on-Sea, January to March 2018: 1,490 (the README of
../shared/sources/local/, "ASB by district").
"""

from __future__ import annotations

import pytest

from dashboard.views.rates import (
    POPULATION_METRIC,
    NoRate,
    Population,
    Rate,
    population_year,
    populations_from,
    populations_of,
    rate_per_1000,
)

SOUTHEND_2018 = 182_463
BASILDON_2018 = 185_862


def rows():
    return [
        {
            "metric_id": POPULATION_METRIC,
            "area_id": "southend",
            "basis": "as_at",
            "period": "2018-06-30",
            "value": SOUTHEND_2018,
            "source_id": "ons-mid-year-population-2019",
            "source_location": "sheet MYE 5, row 179, column G (Estimated Population mid-2018)",
        },
        {
            "metric_id": POPULATION_METRIC,
            "area_id": "basildon",
            "basis": "as_at",
            "period": "2018-06-30",
            "value": BASILDON_2018,
            "source_id": "ons-mid-year-population-2019",
        },
        {  # another metric on the same date: never a population
            "metric_id": "ho-police-officers-fte",
            "area_id": "essex",
            "basis": "as_at",
            "period": "2018-06-30",
            "value": 2900,
            "source_id": "x",
        },
    ]


@pytest.mark.parametrize(
    "basis, period, year",
    [
        ("month", "2018-01", 2018),
        ("month", "2018-12", 2018),
        ("calendar_year", "2018", 2018),
        ("quarter_count", "2018-19-Q3", 2018),  # October to December 2018
        ("quarter_count", "2018-19-Q4", 2019),  # January to March 2019
        ("rolling_12m", "12m-to-2018-12", 2018),
        ("rolling_12m", "12m-to-2019-03", None),  # April 2018 to March 2019: two years
        ("financial_year", "2018-19", None),
        ("as_at", "2018-09-30", None),  # a snapshot is not a count
    ],
)
def test_the_rule_names_one_year_or_none(basis, period, year):
    assert population_year(basis, period) == year


def test_populations_are_the_population_metric_only():
    found = populations_from(rows())
    assert set(found) == {("southend", 2018), ("basildon", 2018)}
    assert found[("southend", 2018)].value == SOUTHEND_2018
    assert populations_of(rows()) == found


def test_a_count_meets_its_own_areas_mid_year_population():
    rate = rate_per_1000(1490, "southend", "quarter_count", "2017-18-Q4", populations_from(rows()))
    assert isinstance(rate, Rate)
    assert rate.value == pytest.approx(1490 / SOUTHEND_2018 * 1000)  # 8.17 per 1,000
    assert round(rate.value, 2) == 8.17
    assert rate.population == Population(
        "southend",
        2018,
        SOUTHEND_2018,
        "ons-mid-year-population-2019",
        "sheet MYE 5, row 179, column G (Estimated Population mid-2018)",
    )
    assert rate.population_label == "ONS mid-2018 estimate"


def test_no_rate_from_another_year():
    result = rate_per_1000(
        3003, "southend", "month", "2019-01", populations_from(rows()), "Southend-on-Sea"
    )
    assert isinstance(result, NoRate)
    assert "no published mid-2019 population for Southend-on-Sea" in result.reason
    assert "another year is not used" in result.reason


def test_no_rate_from_another_area_or_a_sum():
    result = rate_per_1000(3420, "essex", "month", "2018-01", populations_from(rows()), "Essex")
    assert isinstance(result, NoRate)
    assert "no published population for Essex" in result.reason
    assert "a sum of areas" in result.reason


def test_no_rate_for_a_period_across_two_years():
    result = rate_per_1000(100, "southend", "financial_year", "2018-19", populations_from(rows()))
    assert isinstance(result, NoRate) and "spans two calendar years" in result.reason
