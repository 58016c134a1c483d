"""From document to live data in one reviewed step: `ingest --import`, `import DIR`, the
review step that remembers wording, and glossary revisions."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import REFERENCE, variant_text  # noqa: E402

from dashboard.cli import main  # noqa: E402


@pytest.fixture
def data_copy(bundled_copy):
    return bundled_copy


@pytest.fixture
def variant(tmp_path):
    path = tmp_path / "2020-21-q2.txt"
    path.write_text(variant_text(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _run(capsys, *args) -> tuple[int, str]:
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _obs(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "observations.csv", dtype=str, keep_default_na=False)


def test_ingest_import_shows_the_diff_then_imports_with_yes(tmp_path, data_copy, variant, capsys):
    before = len(_obs(data_copy))
    out = tmp_path / "out"
    code, output = _run(
        capsys, "ingest", variant, "--out", out, "--dataset", data_copy, "--import", "--yes"
    )
    assert code == 0, output
    assert f"what importing {out} into {data_copy} would change:" in output
    assert "observations: " in output and "new row(s)" in output
    assert "facts left for review:" in output and "named operation" in output
    assert "imported into" in output
    obs = _obs(data_copy)
    assert len(obs) > before
    headcount = obs[(obs["metric_id"] == "special-constable-headcount")
                    & (obs["period"] == "2020-21-Q2")]  # fmt: skip
    assert list(headcount["value"]) == ["498"]
    assert main(["validate", str(data_copy)]) == 0


def test_ingest_import_never_waits_for_input_without_a_terminal(
    tmp_path, data_copy, variant, capsys
):
    before = (data_copy / "observations.csv").read_bytes()
    out = tmp_path / "out"
    code, output = _run(capsys, "ingest", variant, "--out", out, "--dataset", data_copy, "--import")
    assert code == 1
    assert "not imported: no terminal to confirm on; run again with --yes" in output
    assert (data_copy / "observations.csv").read_bytes() == before
    # the folder is kept: it can be imported later, review files left alone
    code, output = _run(capsys, "import", out, "--data-dir", data_copy, "--dry-run")
    assert code == 0, output
    assert "left alone (not dataset tables): " in output
    assert "review_unmatched_facts.csv" in output and "narrative_tags.csv" in output
    assert "dry run: nothing written" in output


def test_import_takes_the_folder_ingest_wrote(tmp_path, data_copy, variant, capsys):
    out = tmp_path / "out"
    assert _run(capsys, "ingest", variant, "--out", out, "--dataset", data_copy)[0] == 0
    code, output = _run(capsys, "import", out, "--data-dir", data_copy)
    assert code == 0, output
    assert "pcp-2020-21-q2" in set(_obs(data_copy)["source_id"])
    narrative = pd.read_csv(data_copy / "narrative.csv", dtype=str)
    assert "2020-21-Q2" in set(narrative["quarter"])


def test_a_glossary_term_defined_differently_later_is_a_revision(tmp_path, data_copy, capsys):
    """The same acronym spelt out differently by a later quarter: the import goes through and
    the later definition is current, reported as a revision of the glossary."""
    text = variant_text(REFERENCE.read_text(encoding="utf-8"))
    text = text.replace("Community Volunteer Services (CVS)", "Council for Voluntary Service (CVS)")
    assert "Council for Voluntary Service (CVS)" in text
    path = tmp_path / "q2.txt"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run(
        capsys, "ingest", path, "--out", out, "--dataset", data_copy, "--import", "--yes"
    )
    assert code == 0, output
    assert "revision: glossary CVS: 'Community Volunteer Services, as the report" in output
    assert "revised to 'Council for Voluntary Service' (pcp-2020-21-q2)" in output
    glossary = pd.read_csv(data_copy / "glossary.csv", dtype=str).set_index("term")
    assert glossary.loc["CVS", "expansion"] == "Council for Voluntary Service"
    assert glossary.index.is_unique


def test_review_maps_a_fact_and_remembers_the_wording(tmp_path, data_copy, capsys):
    """An analyst maps a figure ingest could not place; the next quarter's same wording is
    then read by itself."""

    def quarter(label: str, value: str, month: str) -> Path:
        text = variant_text(REFERENCE.read_text(encoding="utf-8"))
        anchor = "• Essex Police currently retains 384"
        assert anchor in text
        text = text.replace(
            anchor, f"• Our volunteer constables totalled {value} at the end of {month}.\n{anchor}"
        )
        if label != "2020-21-Q2":
            text = text.replace("Quarter 2 – 2020/21", "Quarter 3 – 2020/21")
            text = text.replace("Produced October 2020", "Produced January 2021")
        path = tmp_path / f"{label}.txt"
        path.write_text(text, encoding="utf-8")
        return path

    out = tmp_path / "out"
    first = quarter("2020-21-Q2", "530", "September 2020")
    assert _run(capsys, "ingest", first, "--out", out, "--dataset", data_copy)[0] == 0
    review_file = out / "review_unmatched_facts.csv"
    review = pd.read_csv(review_file, dtype=str, keep_default_na=False)
    row = review.index[review["raw"] == "530"][0]
    assert review.loc[row, "reason"] == "no metric in the catalogue matches this figure"
    review.loc[row, ["metric_id", "period"]] = ["special-constable-headcount", "2020/21 Q2"]
    review.to_csv(review_file, index=False)
    code, output = _run(capsys, "review", out, "--dataset", data_copy)
    assert code == 0, output
    assert "recorded 1 figure(s) from pcp-2020-21-q2; remembered 1 wording(s)" in output
    terms = pd.read_csv(out / "metric_terms.csv", dtype=str)
    assert list(terms["term"]) == ["volunteer constables totalled"]
    assert "530" not in set(pd.read_csv(review_file, dtype=str)["raw"])
    assert _run(capsys, "import", out, "--data-dir", data_copy)[0] == 0
    obs = _obs(data_copy)
    mapped = obs[(obs["metric_id"] == "special-constable-headcount") & (obs["value"] == "530")]
    assert mapped.iloc[0]["source_sentence"] == (
        "Our volunteer constables totalled 530 at the end of September 2020."
    )
    # next quarter: the remembered wording is read without review
    later = quarter("2020-21-Q3", "541", "December 2020")
    out2 = tmp_path / "out2"
    assert _run(capsys, "ingest", later, "--out", out2, "--dataset", data_copy)[0] == 0
    got = _obs(out2)
    found = got[(got["metric_id"] == "special-constable-headcount") & (got["value"] == "541")]
    assert list(found["period"]) == ["2020-21-Q3"]


def test_review_refuses_an_unknown_metric_or_a_bad_period(tmp_path, data_copy, variant, capsys):
    out = tmp_path / "out"
    assert _run(capsys, "ingest", variant, "--out", out, "--dataset", data_copy)[0] == 0
    review_file = out / "review_unmatched_facts.csv"
    review = pd.read_csv(review_file, dtype=str, keep_default_na=False)
    review.loc[0, ["metric_id", "period"]] = ["no-such-metric", "2020/21 Q2"]
    review.loc[1, ["metric_id", "period"]] = ["ksi-casualties", "2020"]
    review.to_csv(review_file, index=False)
    before = review_file.read_bytes()
    code, output = _run(capsys, "review", out, "--dataset", data_copy)
    assert code == 1
    assert "row 2, metric_id: 'no-such-metric' is not in metrics.csv" in output
    assert "row 3, period: '2020'" in output
    assert review_file.read_bytes() == before and not (out / "metric_terms.csv").exists()


def test_importing_an_older_update_keeps_the_later_restatement_current(tmp_path, data_copy, capsys):
    """The 2018/19 Q4 update said 516 for March 2019; the dataset's 514 comes from the later
    2019/20 Q4 update. Both rows are kept and the diff says 514 stays current."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = (
        text.replace("Quarter 4 – 2019/20", "Quarter 4 – 2018/19")
        .replace("Produced April 2020", "Produced April 2019")
        .replace(
            "fell to 507 at the end of March 2020, down from 514 at the end of March 2019",
            "rose to 516 at the end of March 2019, up from 490 at the end of March 2018",
        )
    )
    older = tmp_path / "2018-19-q4.txt"
    older.write_text(text, encoding="utf-8")
    code, output = _run(
        capsys, "ingest", older, "--out", tmp_path / "out", "--dataset", data_copy,
        "--import", "--yes",
    )  # fmt: skip
    assert code == 0, output
    assert (
        "special-constable-headcount / essex / 2018-19-Q4: 516 (pcp-2018-19-q4, published "
        "2019-04) is an older publication than 514 (pcp-2019-20-q4, published 2020-04); kept "
        "as history, the newer value stays current"
    ) in output
    obs = _obs(data_copy)
    march_2019 = obs[(obs["metric_id"] == "special-constable-headcount")
                     & (obs["period"] == "2018-19-Q4")]  # fmt: skip
    assert sorted(march_2019["value"]) == ["514", "516"]
