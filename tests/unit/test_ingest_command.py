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


def test_one_bad_document_among_several_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_text("  \n")
    out = tmp_path / "out"
    code, _ = _run(capsys, REFERENCE, bad, "--out", out)
    assert code == 1 and not out.exists()


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
    update) as 505: both rows kept, the new one noted, the revision listed and printed."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = text.replace("Quarter 4 – 2019/20", "Quarter 4 – 2020/21").replace(
        "fell to 507 at the end of March 2020, down from 514 at the end of March 2019",
        "fell to 500 at the end of March 2021, down from 505 at the end of March 2020",
    )
    later = tmp_path / "2020-21-q4.txt"
    later.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run(capsys, REFERENCE, later, "--out", out)
    assert code == 0, output
    assert "revision: specials-headcount essex 2019-20-Q4: 507 (pcp-2019-20-q4) -> 505" in output
    obs = pd.read_csv(out / "observations.csv", dtype=str, keep_default_na=False)
    rows = obs[(obs["metric_id"] == "special-constable-headcount") & (obs["period"] == "2019-20-Q4")]
    assert sorted(rows["value"]) == ["505", "507"]
    assert (
        rows[rows["value"] == "505"].iloc[0]["note"] == "restates 507 published in pcp-2019-20-q4"
    )
    revisions = pd.read_csv(out / "review_revisions.csv", dtype=str)
    headcount = revisions[revisions["metric_id"] == "special-constable-headcount"]
    assert len(headcount) == 1 and headcount.iloc[0]["previous_value"] == "507"
    # the unchanged KSI text now states 2019/20 Q4 as 170 where the first update said 168
    ksi = revisions[revisions["metric_id"] == "ksi-casualties"].iloc[0]
    assert (ksi["period"], ksi["previous_value"], ksi["value"]) == ("2019-20-Q4", "168", "170")


def test_bundled_narrative_is_the_ingesters_output():
    sys.path.insert(0, str(REPO / "scripts"))
    from regenerate_narrative import narrative_csv

    committed = (DATA / "narrative.csv").read_text(encoding="utf-8")
    assert committed == narrative_csv(REFERENCE), "run scripts/regenerate_narrative.py"
