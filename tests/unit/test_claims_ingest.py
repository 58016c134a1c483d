"""Issue 20, finding 9: a headline figure missed on ingest.

* "The Special Constabulary headcount stood at 506 at the end of September, compared with 516
  at the same time last year", in a report whose title says "Data to September 2020", is the
  headcount at the end of September 2020 (2020/21 Q2), not "period not stated".
* Bullets that run together on one line (as flattened PDF and web copies print them) are split
  before the named-operation rule applies: "105 full-time equivalents" and "£5.4m" are the
  force's figures, not "details of a named operation", when the next bullet, about an
  operation, runs into the same line.

The document below is invented wording in the series' layout (a test input, never data).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "paraphrases"))
from helpers import DATA  # noqa: E402
from score import _expected, read_row, rows  # noqa: E402

from dashboard.ingest.document import catalogue_for, ingest  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402

HEADCOUNT = (
    "The Special Constabulary headcount stood at 506 at the end of September, compared with "
    "516 at the same time last year."
)
RUN_TOGETHER = (
    "In the last quarter, Specials Constables contributed a total of 47,310 hours. The hours "
    "worked were equivalent to 105 full-time equivalents, who would attract an annual salary "
    "cost of £5.4m. • Operation SCEPTRE: Special led policing resulted in 12 officers "
    "providing 80 high visibility hours and five arrests."
)


def _document(title: list[str]) -> str:
    return "\n".join(
        [
            "[Official] Police and Crime Plan 2016-2020",
            *title,
            "Version 1.0",
            "Performance Analysis Unit, Essex Police",
            "",
            "Contents",
            "",
            "Priority 1 – More Local, Visible and Accessible Policing\t2",
            "",
            "Priority 1 - More Local, Visible and Accessible Policing",
            "",
            "We will:",
            "",
            "Boost community volunteering, encourage the Active Citizen Programme and grow the "
            "police family – doubling the Special Constabulary, with a Special Constable in "
            "every community.",
            "",
            f"• {HEADCOUNT}",
            f"• {RUN_TOGETHER}",
            "",
        ]
    )


TITLES = {
    # named by month: its quarter is the three months to the "Data to" month
    "month-named": ["Quarterly Update", "October 2020", "Data to September 2020.", "Produced October 2020"],
    # named by quarter, with the same "Data to" month
    "quarter-named": ["Quarterly Update Quarter 2 – 2020/21", "Data to September 2020", "Produced October 2020"],
}  # fmt: skip


@pytest.fixture(scope="module")
def reference():
    return Reference.load(DATA)


@pytest.fixture(scope="module", params=sorted(TITLES))
def result(request, reference, tmp_path_factory):
    path = tmp_path_factory.mktemp("ingest") / f"{request.param}.txt"
    path.write_text(_document(TITLES[request.param]), encoding="utf-8")
    return ingest(path, reference)


def _recorded(result) -> set[tuple[str, str, float]]:
    obs = result.tables["observations"]
    return {
        (m, p, float(v))
        for m, p, v in zip(obs["metric_id"], obs["period"], obs["value"], strict=True)
    }


def test_the_end_of_a_month_named_without_a_year_is_the_documents_month(result):
    assert result.document.title.quarter.label == "2020-21-Q2"
    recorded = _recorded(result)
    assert ("special-constable-headcount", "2020-21-Q2", 506.0) in recorded
    assert ("special-constable-headcount", "2019-20-Q2", 516.0) in recorded
    review = result.review
    assert not (review["raw"] == "506").any(), review[["raw", "reason"]].to_string()


def test_bullets_run_together_are_read_one_by_one(result):
    recorded = _recorded(result)
    assert ("specials-fte-equivalent", "2020-21-Q2", 105.0) in recorded
    assert ("specials-salary-equivalent", "2020-21-Q2", 5_400_000.0) in recorded
    assert ("specials-hours-total", "2020-21-Q2", 47_310.0) in recorded
    review = result.review
    refused = review[review["reason"].str.startswith("details of a named operation")]
    # The operation's own details are still refused; the force's figures before it are not.
    assert set(refused["raw"]) == {"12", "80", "five"}
    # Each bullet is its own narrative item, as a reader of the update sees them.
    texts = list(result.tables["narrative"]["text"])
    assert any(t.startswith("Operation SCEPTRE: Special led policing") for t in texts)
    assert any(t.endswith("an annual salary cost of £5.4m.") for t in texts)


def test_both_sentences_are_in_the_paraphrase_set():
    texts = {row["text"]: row for row in rows()}
    assert HEADCOUNT in texts
    assert texts[HEADCOUNT]["expected"] == (
        "special-constable-headcount@2020-21-Q2=506; special-constable-headcount@2019-20-Q2=516"
    )
    run_together = [row for row in rows() if "£5.4m. • Operation" in row["text"]]
    assert run_together, "the run-together bullets are not in the paraphrase set"
    assert "specials-fte-equivalent@" in run_together[0]["expected"]


def test_the_paraphrase_set_reads_both_rows_right(reference):
    """The paraphrase test asserts only that nothing is wrong; these two must also be found."""
    catalogue = catalogue_for(reference)
    chosen = [
        row for row in rows() if row["text"] == HEADCOUNT or "£5.4m. • Operation" in row["text"]
    ]
    assert len(chosen) == 2
    for row in chosen:
        assert read_row(row, catalogue) == _expected(row["expected"]), row["id"]
