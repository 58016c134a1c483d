"""`pcp-dashboard ingest`: bad input gets a clear message and writes nothing; revisions are
reported; the output folder validates; the bundled narrative.csv is the ingester's output."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import DATA, REFERENCE, REPO, variant_text  # noqa: E402
from render import render_pdf  # noqa: E402

from dashboard.cli import main  # noqa: E402


def _run(capsys, *args) -> tuple[int, str]:
    code = main(["ingest", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)  # a picture of a page, no text
    c.showPage()
    c.save()
    return path


def _encrypted_pdf(path: Path, tmp_path: Path) -> Path:
    import pypdf

    plain = render_pdf(
        "Police and Crime Plan 2016-2020\nQuarterly Update\n", tmp_path / "plain.pdf"
    )
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(plain)))
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(str(path))
    return path


def _truncated(path: Path) -> Path:
    text = REFERENCE.read_text(encoding="utf-8")
    path.write_text(
        text[: text.index("Priority 4 – Reverse the Trend in Serious Violence\n\nWorking")]
    )
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("empty.txt", "empty"),
        ("scan.pdf", "no text layer"),
        ("locked.pdf", "password-protected"),
        ("cut.txt", "truncated"),
        ("cut.pdf", "truncated or damaged"),
        ("cut.docx", "truncated or damaged"),
        ("press.txt", "not a quarterly update"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(case, message, tmp_path, capsys):
    path = tmp_path / case
    if case == "empty.txt":
        path.write_text("")
    elif case == "scan.pdf":
        _scanned_pdf(path)
    elif case == "locked.pdf":
        _encrypted_pdf(path, tmp_path)
    elif case == "cut.txt":
        _truncated(path)
    elif case == "cut.pdf":
        full = render_pdf(REFERENCE.read_text(encoding="utf-8"), tmp_path / "full.pdf")
        path.write_bytes(full.read_bytes()[: full.stat().st_size // 3])
    elif case == "cut.docx":
        from render import render_docx

        full = render_docx(REFERENCE.read_text(encoding="utf-8"), tmp_path / "full.docx")
        path.write_bytes(full.read_bytes()[:5000])
    else:
        path.write_text("Essex Police welcomes 75 new Special Constables.\n\nMore news follows.\n")
    out = tmp_path / "out"
    code, output = _run(capsys, path, "--out", out)
    assert code != 0
    assert case in output and message in output
    assert "Traceback" not in output
    assert not out.exists()


def test_in_a_batch_each_document_succeeds_or_fails_on_its_own(tmp_path, capsys):
    bad = tmp_path / "press.txt"
    bad.write_text("Essex Police welcomes 75 new Special Constables.\n")
    out = tmp_path / "out"
    code, output = _run(capsys, REFERENCE, bad, "--out", out)
    assert code == 1  # one document failed: said in the exit code too
    assert "read 1 of 2 document(s): 2019-20-Q4-quarterly-update.txt" in output
    assert "failed 1: press.txt (not a quarterly update" in output
    sources = pd.read_csv(out / "sources.csv", dtype=str)
    assert list(sources["source_id"]) == ["pcp-2019-20-q4"]
    assert main(["validate", str(out)]) == 0


def test_nothing_is_written_when_no_document_can_be_read(tmp_path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_text("  \n")
    out = tmp_path / "out"
    code, output = _run(capsys, bad, "--out", out)
    assert code == 1 and not out.exists() and "nothing written" in output


def test_a_truncated_document_is_refused_unless_partial(tmp_path, capsys):
    """A copy holding only its first pages: refused with the same message; with --partial
    its figures are read, the source says it is partial and which priorities are missing."""
    cut = _truncated(tmp_path / "cut.txt")
    out = tmp_path / "out"
    code, output = _run(capsys, cut, "--out", out)
    assert code == 1 and "looks truncated: its contents list Priority 4–7" in output
    assert "--partial" in output and not out.exists()
    code, output = _run(capsys, cut, "--out", out, "--partial")
    assert code == 0, output
    assert "[partial]" in output
    source = pd.read_csv(out / "sources.csv", dtype=str).iloc[0]
    assert source["title"].endswith("[partial copy: Priority 4, 5, 6, 7 missing]")
    obs = pd.read_csv(out / "observations.csv", dtype=str)
    assert "emergency-calls-999" in set(obs["metric_id"])
    assert main(["validate", str(out)]) == 0


def test_a_document_that_defines_no_acronym_still_validates(tmp_path, capsys):
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index("Priority 1 - More Local, Visible and Accessible Policing\n\nWe will:")
    end = text.index("- Essex Police currently has 47")
    plain = tmp_path / "plain.txt"
    # title, contents cut to Priority 1, the first page's objective and two bullets
    head = text[: text.index("Contents")] + "Contents\n\nPriority 1 – More Local 3\n\n"
    body = text[start:end]
    body = body.replace("(11.2% BAME: Black, Asian and Minority Ethnic, 31% female)", "")
    body = body.replace(" (CSCs)", "")
    plain.write_text(head + body, encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run(capsys, plain, "--out", out)
    assert code == 0, output
    assert not (out / "glossary.csv").exists()
    assert main(["validate", str(out)]) == 0


def test_output_validates_and_progress_is_shown(tmp_path, capsys):
    variant = tmp_path / "q2.txt"
    variant.write_text(variant_text(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run(capsys, REFERENCE, variant, "--out", out)
    assert code == 0, output
    assert "[1/2]" in output and "[2/2]" in output
    assert main(["validate", str(out)]) == 0
    narrative = pd.read_csv(out / "narrative.csv", dtype=str)
    assert set(narrative["source_id"]) == {"pcp-2019-20-q4", "pcp-2020-21-q2"}
    review = pd.read_csv(out / "review_unmatched_facts.csv", dtype=str)
    assert {
        "document",
        "sentence",
        "value",
        "unit",
        "period_offset",
        "comparison",
        "reason",
    } <= set(review)
    # running it again replaces the same documents' rows rather than duplicating them
    assert _run(capsys, REFERENCE, variant, "--out", out)[0] == 0
    assert len(pd.read_csv(out / "narrative.csv", dtype=str)) == len(narrative)


def test_restated_value_is_reported_as_a_revision(tmp_path, capsys):
    """A Q4 2020/21 update restating the end of March 2020 headcount (507 in the 2019/20 Q4
    update) as 505: both rows kept, the new one noted, the revision listed and printed in
    publication order."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = (
        text.replace("Quarter 4 – 2019/20", "Quarter 4 – 2020/21")
        .replace("Produced April 2020", "Produced April 2021")
        .replace(
            "fell to 507 at the end of March 2020, down from 514 at the end of March 2019",
            "fell to 500 at the end of March 2021, down from 505 at the end of March 2020",
        )
    )
    later = tmp_path / "2020-21-q4.txt"
    later.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run(capsys, REFERENCE, later, "--out", out)
    assert code == 0, output
    assert (
        "revision: special-constable-headcount essex 2019-20-Q4: 507 (pcp-2019-20-q4, published "
        "2020-04) restated as 505 (pcp-2020-21-q4, published 2021-04); 505 is current"
    ) in output
    obs = pd.read_csv(out / "observations.csv", dtype=str, keep_default_na=False)
    rows = obs[
        (obs["metric_id"] == "special-constable-headcount") & (obs["period"] == "2019-20-Q4")
    ]
    assert sorted(rows["value"]) == ["505", "507"]
    assert (
        rows[rows["value"] == "505"]
        .iloc[0]["note"]
        .endswith("restates 507 published in pcp-2019-20-q4")
    )
    revisions = pd.read_csv(out / "review_revisions.csv", dtype=str)
    headcount = revisions[revisions["metric_id"] == "special-constable-headcount"].iloc[0]
    assert (headcount["earlier_value"], headcount["later_value"]) == ("507", "505")


def test_an_older_document_restated_later_points_the_right_way(tmp_path, capsys):
    """The 2018/19 Q4 update said 516 for March 2019; the dataset holds 514 from the later
    2019/20 Q4 update. The message names 516 as the earlier figure and 514 as current."""
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
    code, output = _run(capsys, older, "--out", tmp_path / "out")
    assert code == 0, output
    assert (
        "special-constable-headcount essex 2018-19-Q4: 516 (pcp-2018-19-q4, published 2019-04) "
        "restated as 514 (pcp-2019-20-q4, published 2020-04); 514 is current"
    ) in output
    obs = pd.read_csv(tmp_path / "out" / "observations.csv", dtype=str, keep_default_na=False)
    row = obs[(obs["metric_id"] == "special-constable-headcount") & (obs["value"] == "516")]
    assert row.iloc[0]["note"].endswith("restated as 514 in the later pcp-2019-20-q4")


def test_bundled_narrative_is_the_ingesters_output():
    sys.path.insert(0, str(REPO / "scripts"))
    from regenerate_narrative import narrative_csv

    committed = (DATA / "narrative.csv").read_text(encoding="utf-8")
    assert committed == narrative_csv(REFERENCE), "run scripts/regenerate_narrative.py"


def test_an_issue_named_by_month_counts_its_quarter_to_the_data_to_month(tmp_path, capsys):
    """Older issues are named by month ("Quarterly Update June 2018", data to May 2018): their
    quarter is the three months to May, so "March – May 2018" is the quarter and "May 2017"
    a year earlier. The fixture is invented wording in that layout (first pages only)."""
    out = tmp_path / "out"
    fixture = REPO / "tests" / "fixtures" / "ingest" / "month-named-issue.txt"
    code, output = _run(capsys, fixture, "--out", out, "--partial")
    assert code == 0, output
    obs = pd.read_csv(out / "observations.csv", dtype=str)
    got = set(zip(obs["metric_id"], obs["period"], obs["value"], strict=True))
    assert got == {
        ("special-constable-headcount", "2018-19-Q1", "578"),
        ("special-constable-headcount", "2017-18-Q1", "420"),
        ("specials-hours-total", "2018-19-Q1", "51627"),
        ("specials-hours-operational", "2018-19-Q1", "35010"),
        ("specials-applications", "2018-19-Q1", "231"),
    }
