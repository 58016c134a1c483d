"""Figures: stage 1 finds the facts of a sentence; stage 2 puts each on a catalogue metric and
period from its meaning, or leaves it for review with the reason."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import DATA, REFERENCE  # noqa: E402

from dashboard.data.periods import parse_quarter  # noqa: E402
from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.facts import find_facts  # noqa: E402
from dashboard.ingest.figures import Item, read_figures  # noqa: E402
from dashboard.ingest.matcher import Catalogue, TermsError  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402
from dashboard.ingest.terms import phrase, stem  # noqa: E402

Q4 = parse_quarter("Quarter 4 – 2019/20")


@pytest.fixture(scope="module")
def reference():
    return Reference.load(DATA)


@pytest.fixture(scope="module")
def catalogue(reference):
    return Catalogue.build(reference.metrics, reference.terms, reference.glossary)


@pytest.fixture(scope="module")
def result(reference):
    return ingest(REFERENCE, reference)


def _read(catalogue, text, quarter=Q4):
    found, left = read_figures([Item("t-1", text, "essex")], quarter, catalogue)
    return {(f.metric_id, quarter.shift(f.offset).label, f.fact.value) for f in found}, left


def test_every_bundled_figure_from_the_report_is_found(result):
    """The bundled dataset's observations from this report: found with the right metric,
    area, period, value and sentence, and nothing else is."""
    bundled = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    bundled = bundled[bundled["source_id"] == "pcp-2019-20-q4"]
    got = result.tables["observations"]
    keys = ["metric_id", "area_id", "basis", "period"]
    merged = bundled.merge(got, on=keys, how="outer", suffixes=("", "_got"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][keys]
    assert (merged["value"].astype(float) == merged["value_got"].astype(float)).all()
    assert (merged["source_sentence"] == merged["source_sentence_got"]).all()


def test_facts_left_for_review_say_why(result):
    review = result.review.set_index("raw")
    assert review.loc["81", "reason"].startswith("period not stated")  # HIRC hate crimes
    assert review.loc["81", "suggested_metric_id"] == "hirc-hate-crimes-reported"
    assert "bound" in review.loc["3,000", "reason"]  # "over 3,000 NHW Coordinators"
    assert "bound" in review.loc["400", "reason"]  # "grow to over 400"
    assert "a change" in review.loc["13.7%", "reason"]
    assert "named operation" in review.loc["90", "reason"]  # 90 high visibility hours (SCEPTRE)
    assert "named operation" in review.loc["153", "reason"]  # Operation ORBITAL's vehicle stops
    # matched numbers are not also in review; numbers that are not facts never appear
    assert not review.index.isin(["82,344", "168", "2020", "2019", "23", "999", "101", "55"]).any()


def test_fact_details_from_one_sentence():
    sentence = (
        "75 Specials Constables provided 861 hours over the quarter, a decrease of 8.8% from 941 "
        "hours in the same period last year (likely due to Covid-19 response)."
    )
    facts = {f.raw: f for f in find_facts(sentence, Q4)}
    assert set(facts) == {"75", "861", "8.8%", "941"}
    assert (facts["861"].unit, facts["861"].offset, facts["861"].role) == ("hours", 0, "level")
    assert (facts["941"].unit, facts["941"].offset, facts["941"].role) == (
        "hours",
        -4,
        "comparator",
    )
    assert facts["8.8%"].role == "change" and facts["8.8%"].value == 8.8
    assert facts["75"].offset == 0  # the clause's "over the quarter" is the 75's too
    assert facts["941"].comparison.startswith("from 941 hours in the same period last year")
    ksi = find_facts("Twelve of these were fatalities up from 8 in the same period in 2018/19.", Q4)
    assert [(f.value, f.offset, f.of_which) for f in ksi] == [(12, None, True), (8, -4, False)]
    money = find_facts("who would attract an annual salary cost of £5.4m.", Q4)
    assert [(f.value, f.unit) for f in money] == [(5_400_000, "gbp")]
    words = find_facts("There are twenty-seven companies and a hundred and 3 per cent.", Q4)
    assert [(f.value, f.unit) for f in words][:1] == [(27, "count")]


@pytest.mark.parametrize(
    ("sentence", "offset"),
    [
        ("The headcount was 514 at the end of March 2019.", -4),
        ("The headcount was 480 at the end of June 2019.", -3),
        ("In Q3 2019/20 there were 79,000 calls.", -1),
        ("During Q3 there were 79,000 calls.", -1),
        ("In the same quarter of 2017/18 there were 79,000 calls.", -8),
        ("Between January and March 2020 there were 79,000 calls.", 0),
        ("There were 79,000 calls in the last quarter.", 0),
    ],
)
def test_periods_named_in_the_sentence(sentence, offset):
    (fact,) = find_facts(sentence, Q4)
    assert fact.offset == offset


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2019/20 a total of 1,400 drivers were arrested for drink driving.",  # a year
        "In March 2020, 120 drivers were arrested for drink driving.",  # a month
        "In the last 12 months there were 690 KSI casualties.",  # rolling year
        "So far this financial year Specials have contributed 190,000 hours.",
    ],
)
def test_a_period_that_is_not_a_quarter_goes_to_review(catalogue, sentence):
    found, left = _read(catalogue, sentence)
    assert not found
    assert left and ("not a quarter" in left[0].reason or "one month" in left[0].reason)


def test_plurals_word_order_synonyms_and_acronyms(catalogue):
    assert stem("casualties") == stem("casualty") and stem("stopped") == stem("stops")
    assert phrase("vehicles stopped") == phrase("stopped vehicle")
    found, _ = _read(catalogue, "Currently signed up to CSCs are 47 Parish and Town Councils.")
    assert found == {("csc-councils-signed-up", "2019-20-Q4", 47)}
    found, _ = _read(
        catalogue, "The Resolution Centre received 4,174 cases for investigation this quarter."
    )  # noqa: E501
    assert found == {("rc-investigations-received", "2019-20-Q4", 4174)}


def test_from_a_to_b_gives_both_values_their_periods(catalogue):
    found, _ = _read(
        catalogue,
        "Over the last year the Special Constable headcount went from 514 to 507.",
    )
    assert found == {
        ("special-constable-headcount", "2018-19-Q4", 514),
        ("special-constable-headcount", "2019-20-Q4", 507),
    }


def test_the_bullets_topic_decides_between_similar_metrics(catalogue):
    """ "75 Specials provided 861 hours" is the Employer Supported Policing scheme's, because
    the bullet is about the scheme; the same words elsewhere are all Specials' hours."""
    esp = (
        "The Employer Supported Policing scheme currently has 27 companies registered. "
        "75 Specials Constables provided 861 hours over the quarter."
    )
    found, _ = _read(catalogue, esp)
    assert ("esp-hours", "2019-20-Q4", 861) in found and ("esp-specials", "2019-20-Q4", 75) in found
    found, left = _read(catalogue, "Specials provided 861 hours over the quarter.")
    assert found == {("specials-hours-total", "2019-20-Q4", 861)}


def test_a_count_with_no_period_is_not_guessed(catalogue):
    found, left = _read(catalogue, "Special Constables contributed 48,144 hours.")
    assert not found
    assert left[0].reason.startswith("period not stated")
    assert left[0].suggested_metric == "specials-hours-total"


def test_ambiguous_wording_goes_to_review(catalogue):
    found, left = _read(catalogue, "During Q4 795 drivers were arrested for drink or drug driving.")
    assert not found
    assert left[0].reason.startswith("ambiguous")


def test_a_bad_terms_row_is_reported(reference):
    terms = pd.DataFrame([{"metric_id": "x", "kind": "synonym", "term": "a", "origin": ""}])
    with pytest.raises(TermsError, match="row 2: kind 'synonym'"):
        Catalogue.build(reference.metrics, terms)
