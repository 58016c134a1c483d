"""The variation set: invented rewordings of the reference report's figure sentences, each
labelled with the metric, period and value a reader would record (tests/fixtures/paraphrases/,
never shipped as data). Precision and recall are printed by benchmarks/bench_ingest.py; here
the one promise is asserted: no figure on a wrong metric or period."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "paraphrases"))
from score import rows, score  # noqa: E402

CATEGORIES = {
    "synonyms",
    "plurals and word order",
    "verbs of level and change",
    "from A to B",
    "comparators and periods",
    "numbers as words",
    "totals, separators, £m and %",
    "periods stated in the sentence",
}


@pytest.fixture(scope="module")
def scores():
    return score(ROOT / "data")


def test_the_set_has_at_least_100_labelled_paraphrases_in_every_category():
    counts = Counter(row["category"] for row in rows())
    assert sum(counts.values()) >= 100
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 8
    assert sum(1 for row in rows() if not row["expected"]) >= 10  # traps: nothing to record


def test_no_figure_goes_on_a_wrong_metric_or_period(scores):
    assert scores["all"].wrong == []
