"""A break of the register drawn on a metric's trend chart as on its XmR chart: ASB incidents
(``pfa-asb-incidents``), whose recording changed from the year ending March 2012 (the row of
data/discontinuities.csv), on the metric page and in the chart download."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from shell_helpers import SharedStore, props_of

from dashboard.components.chart import figure_json
from dashboard.export.charts import chart_figure
from dashboard.shell import render_page

DATA = Path(__file__).resolve().parents[2] / "data"
METRIC = "pfa-asb-incidents"
#: ONS PFA tables, year ending March 2019 edition (policeforceareatablesyeendingmarch2019.xlsx),
#: sheet 'Table P7 ', row 45 (Essex): H45 "Apr '10 to Mar '11" and J45 "Apr '11 to Mar '12".
BEFORE, AFTER = ("2011-03-31", 71056), ("2012-03-31", 61643)


@pytest.fixture(scope="module")
def store(bundled_dataset):
    return SharedStore(bundled_dataset)


@pytest.fixture(scope="module")
def row() -> dict[str, str]:
    with (DATA / "discontinuities.csv").open(newline="", encoding="utf-8") as handle:
        (found,) = [r for r in csv.DictReader(handle) if r["metric_id"] == METRIC]
    assert (found["basis"], found["period"], found["kind"]) == (
        "financial_year",
        "2011-12",
        "break",
    )
    return found


def _break_of(figure: dict) -> tuple[str, str]:
    """(x of the one dotted rule, the text of the label at its x)."""
    (rule,) = [s for s in figure["layout"].get("shapes", []) if s["type"] == "line"]
    assert rule["x0"] == rule["x1"] and rule["line"]["dash"] == "dot"
    (label,) = [a for a in figure["layout"]["annotations"] if a.get("x") == rule["x0"]]
    return rule["x0"], label["text"].replace("<br>", " ")


def test_the_asb_trend_chart_marks_the_2012_recording_break_between_its_two_years(store, row):
    update = render_page(store, f"/metric/{METRIC}", "")
    figure = json.loads(props_of(update.body, "chart-financial_year")["data-figure"])
    line = figure["data"][0]
    points = dict(zip(line["x"], line["y"], strict=True))
    assert points[BEFORE[0]] == BEFORE[1] and points[AFTER[0]] == AFTER[1]
    x, label = _break_of(figure)
    assert BEFORE[0] < x < AFTER[0]  # between the last year before and the first year after
    # what changed, in the row's own words, and from which year
    assert label.startswith("Break, 2011/12: ")
    assert "a different approach to recording anti-social behaviour incidents data" in label
    assert label.removeprefix("Break, 2011/12: ") in row["reason"]


def test_the_chart_download_marks_the_same_break(store, bundled_dataset):
    on_page = json.loads(
        props_of(render_page(store, f"/metric/{METRIC}", "").body, "chart-financial_year")[
            "data-figure"
        ]
    )
    download = json.loads(figure_json(chart_figure(bundled_dataset, METRIC, None, None)))
    assert _break_of(download) == _break_of(on_page)


def test_the_xmr_chart_says_what_changed_cut_at_a_word(store):
    update = render_page(store, f"/metric/{METRIC}", "")
    trend = json.loads(props_of(update.body, "chart-financial_year")["data-figure"])
    xmr = json.loads(props_of(update.body, "xmr-financial_year")["data-figure"])
    (rule,) = [s for s in xmr["layout"]["shapes"] if s["type"] == "line"]
    (label,) = [a for a in xmr["layout"]["annotations"] if a.get("x") == rule["x0"]]
    what = _break_of(trend)[1].removeprefix("Break, 2011/12: ")
    # cut at a word to fit one line above the plot (it was cut mid-word: "... approach to record")
    words = label["text"].removesuffix(" (2011/12)")
    assert words.endswith("…") and what.startswith(words.removesuffix("…"))
    assert what[len(words) - 1] == " "  # the cut falls between words


#: The same table's latest column, V45 "Apr '18 to Mar '19" (46,425), and its first, B45
#: "Apr '07 to Mar '08" (95,164): across the break, never compared with each other.
LATEST, FIRST = ("2018/19", "46,425"), ("2007/08", "95,164")


def test_the_title_and_summary_compare_the_latest_year_only_with_years_after_the_break(store):
    update = render_page(store, f"/metric/{METRIC}", "")
    figure = json.loads(props_of(update.body, "chart-financial_year")["data-figure"])
    title = figure["layout"]["title"]["text"].replace("<br>", " ")
    assert f"{LATEST[1]} in {LATEST[0]}, from 61,643 in 2011/12" in title
    assert FIRST[1] not in title  # the 2007/08 figure was recorded another way
    summary = props_of(update.body, "chart-financial_year-summary")["children"]
    assert "a break in the series at 2011/12" in summary
    assert "not comparable" in summary
    assert f"highest {FIRST[1]}" not in summary  # highest since the break is 2011/12's
    assert "highest 61,643 (2011/12)" in summary
