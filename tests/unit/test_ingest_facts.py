"""Figures: catalogue matches become observations; everything else waits in review."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import CATALOGUE, DATA, REFERENCE  # noqa: E402

from dashboard.data.periods import parse_quarter  # noqa: E402
from dashboard.ingest.catalogue import CatalogueError, load_phrasings  # noqa: E402
from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.facts import find_facts  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402

Q4 = parse_quarter("Quarter 4 – 2019/20")


@pytest.fixture(scope="module")
def fixture_result():
    return ingest(REFERENCE, Reference.load(DATA, CATALOGUE))


def _obs(result, metric, period):
    o = result.tables["observations"]
    rows = o[(o["metric_id"] == metric) & (o["period"] == period)]
    assert len(rows) == 1, (metric, period, o[o["metric_id"] == metric])
    return rows.iloc[0]


def test_999_calls_this_quarter_and_same_quarter_last_year(fixture_result):
    now = _obs(fixture_result, "calls-999", "2019-20-Q4")
    before = _obs(fixture_result, "calls-999", "2018-19-Q4")
    assert (now["value"], before["value"]) == (82344, 72401)
    sentence = (
        "82,344 emergency calls (999) were taken this quarter compared to 72,401 in the same "
        "quarter last year (an increase of 13.7%)."
    )
    assert now["source_sentence"] == sentence and sentence in REFERENCE.read_text()
    assert (now["area_id"], now["basis"], now["status"]) == ("essex", "quarter_count", "final")


def test_ksi_fatalities_headcount_and_money(fixture_result):
    assert _obs(fixture_result, "ksi", "2019-20-Q4")["value"] == 168
    assert _obs(fixture_result, "ksi", "2018-19-Q4")["value"] == 170
    assert _obs(fixture_result, "road-deaths", "2019-20-Q4")["value"] == 12  # "Twelve"
    assert _obs(fixture_result, "road-deaths", "2018-19-Q4")["value"] == 8
    assert _obs(fixture_result, "specials-headcount", "2018-19-Q4")["value"] == 514
    assert _obs(fixture_result, "specials-salary", "2019-20-Q4")["value"] == 5_400_000


def test_unmatched_numbers_go_to_review_with_their_sentence(fixture_result):
    review = fixture_result.review
    hirc = review[review["raw"] == "850"]
    assert len(hirc) == 1
    assert hirc.iloc[0]["sentence"] == (
        "There are now 60 HIRCs county wide with 850 trained volunteers to support these centres."
    )
    assert hirc.iloc[0]["reason"] == "no metric in the catalogue matches this sentence"
    dvpo = review[(review["raw"] == "69")].iloc[0]
    assert dvpo["period_offset"] == 0 and "increase of 20" in dvpo["comparison"]
    # matched numbers are not also in review
    assert not ((review["raw"] == "82,344") | (review["raw"] == "168")).any()
    # numbers that are not facts never appear: years, dates, phone numbers, ranges
    assert not review["raw"].isin(["2020", "2019", "23", "999", "101", "55", "2019/20"]).any()


def test_fact_details_from_one_sentence():
    sentence = (
        "75 Specials Constables provided 861 hours over the quarter, a decrease of 8.8% from 941 "
        "hours in the same period last year (likely due to Covid-19 response)."
    )
    facts = {f.raw: f for f in find_facts(sentence, Q4)}
    assert set(facts) == {"75", "861", "8.8%", "941"}
    assert (facts["861"].unit, facts["861"].offset) == ("hours", 0)
    assert (facts["941"].unit, facts["941"].offset) == ("hours", -4)
    assert facts["8.8%"].unit == "percent" and facts["8.8%"].value == 8.8
    assert facts["941"].comparison.startswith("from 941 hours in the same period last year")
    ksi = find_facts("Twelve of these were fatalities up from 8 in the same period in 2018/19.", Q4)
    assert [(f.value, f.offset) for f in ksi] == [(12, None), (8, -4)]
    assert ksi[1].comparison.startswith("up from 8")
    money = find_facts("who would attract an annual salary cost of £5.4m.", Q4)
    assert [(f.value, f.unit) for f in money] == [(5_400_000, "gbp")]
    headcount = find_facts(
        "fell to 507 at the end of March 2020, down from 514 at the end of March 2019", Q4
    )
    assert [f.offset for f in headcount] == [0, -4]


def test_bad_phrasing_is_reported():
    frame = pd.DataFrame(
        [{"metric_id": "x", "unit": "count", "basis": "quarter_count", "phrasings": "0:no group"}]
    )
    with pytest.raises(CatalogueError, match="metric x"):
        load_phrasings(frame)


def test_every_bundled_figure_from_the_report_is_found():
    """The bundled dataset's observations from this report, found with the right metric,
    area, period, value and sentence by the bundled catalogue."""
    bundled = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    bundled = bundled[bundled["source_id"] == "pcp-2019-20-q4"]
    assert len(bundled) > 0
    result = ingest(REFERENCE, Reference.load(DATA))
    got = result.tables["observations"]
    keys = ["metric_id", "area_id", "basis", "period"]
    merged = bundled.merge(got, on=keys, how="left", suffixes=("", "_got"))
    missing = merged[merged["value_got"].isna()]
    assert missing.empty, missing[keys]
    assert (merged["value"].astype(float) == merged["value_got"].astype(float)).all()
    assert (merged["source_sentence"] == merged["source_sentence_got"]).all()
