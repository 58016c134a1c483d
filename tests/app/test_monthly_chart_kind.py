"""police.uk months drawn by the ``monthly`` chart kind, chosen from the registry by the series'
basis: the metric page's chart and table and the chart download, checked against the records
counted in the published police.uk files (data/published/police-uk/*.csv, two header styles)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from shell_helpers import SharedStore, props_of

from dashboard.components.chart import figure_json
from dashboard.export.charts import chart_figure
from dashboard.shell import render_page
from dashboard.views.chart_kinds import kind_for

POLICE_UK = Path(__file__).resolve().parents[2] / "data" / "published" / "police-uk"
METRIC = "policeuk-anti-social-behaviour"
LABEL = "Anti-social behaviour incidents: police.uk records"
BASIS = "police.uk counts (not Home Office recorded crime), by calendar month"
#: The months between the first file and the last that police.uk files are not held for.
GAP = ("2018-08", "2018-09")
MONTHS = [f"2018-{m:02d}" for m in range(1, 13)] + ["2019-01", "2019-02"]


@pytest.fixture(scope="module")
def store(bundled_dataset):
    return SharedStore(bundled_dataset)


@pytest.fixture(scope="module")
def southend_asb() -> dict[str, int]:
    """Records of crime type 'Anti-social behaviour' whose LSOA name is Southend-on-Sea's
    ('Southend-on-Sea 001A'), counted in each month's file."""
    counts: Counter[str] = Counter()
    for path in sorted(POLICE_UK.glob("*-essex-street.csv")):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                cells = {k.strip().lower().replace(" ", "_"): v for k, v in row.items() if k}
                if cells["crime_type"] == "Anti-social behaviour" and cells["lsoa_name"].startswith(
                    "Southend-on-Sea "
                ):
                    counts[cells["month"]] += 1
    assert set(counts) == set(MONTHS) - set(GAP)
    return dict(counts)


def test_the_registry_chooses_monthly_by_the_series_basis():
    assert kind_for(12, "month").name == "monthly"
    assert kind_for(2, "month").name == "monthly"
    assert kind_for(1, "month").name == "card"  # one month: a value card, as any one value
    assert kind_for(12, "rolling_12m").name == "trend"
    assert kind_for(2, "quarter_count").name == "comparison"


def test_a_monthly_metric_page_draws_the_months_with_the_gap_and_the_files_counts(
    store, southend_asb
):
    update = render_page(store, f"/metric/{METRIC}", "?area=southend")
    chart = props_of(update.body, "chart-month")
    figure = json.loads(chart["data-figure"])
    table = json.loads(props_of(update.body, "chart-month-table")["data-table"])
    # the table: every month from Jan 2018 to Feb 2019, Aug and Sep 2018 said to be missing
    expected_rows = [
        [
            f"{dt.date(int(month[:4]), int(month[5:]), 1):%b %Y}",
            "not in the data" if month in GAP else f"{southend_asb[month]:,}",
        ]
        for month in MONTHS
    ]
    assert table["columns"] == ["Month", LABEL]
    assert table["rows"] == expected_rows
    assert table["caption"] == f"{LABEL}, Southend-on-Sea ({BASIS})"
    # the chart: one point a month, none made up for the gap and the line not joined across it
    line = figure["data"][0]
    assert line["x"] == [f"{m}-01" for m in MONTHS]
    assert line["y"] == [southend_asb.get(m) for m in MONTHS]
    assert line["connectgaps"] is False
    assert BASIS in figure["layout"]["title"]["text"]
    assert [a["text"] for a in figure["layout"]["annotations"]].count("Not in<br>the data") == 1


def test_the_chart_download_is_the_page_chart(store, southend_asb, bundled_dataset):
    update = render_page(store, f"/metric/{METRIC}", "?area=southend")
    on_page = json.loads(props_of(update.body, "chart-month")["data-figure"])
    download = json.loads(figure_json(chart_figure(bundled_dataset, METRIC, None, "southend")))
    assert download == on_page
    assert download["data"][0]["y"][-1] == southend_asb["2019-02"]
