"""The same document as .txt, .docx and .pdf reads the same; a later quarter's variant too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import DATA, REFERENCE, variant_text  # noqa: E402
from render import render_docx, render_pdf  # noqa: E402

from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402

COMPARED = {
    "narrative": ["item_id", "priority", "objective_id", "parent_id", "order", "level", "kind", "area_id", "text"],
    "observations": ["metric_id", "area_id", "basis", "period", "value", "source_sentence"],
    "glossary": ["term", "expansion"],
    "sources": ["source_id", "title", "publisher", "published", "version"],
}  # fmt: skip


@pytest.fixture(scope="module")
def reference():
    return Reference.load(DATA)


@pytest.fixture(scope="module")
def from_txt(reference):
    return ingest(REFERENCE, reference)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    text = REFERENCE.read_text(encoding="utf-8")
    return {
        "docx": render_docx(text, folder / "update.docx"),
        "pdf": render_pdf(text, folder / "update.pdf"),
    }


def _same(a, b):
    for name, columns in COMPARED.items():
        pd.testing.assert_frame_equal(
            a.tables[name][columns].reset_index(drop=True),
            b.tables[name][columns].reset_index(drop=True),
            check_dtype=False,
        )
    review_cols = ["item_id", "sentence", "value", "unit", "period_offset", "comparison"]
    pd.testing.assert_frame_equal(a.review[review_cols], b.review[review_cols], check_dtype=False)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_docx_and_pdf_read_like_the_txt(fmt, rendered, reference, from_txt):
    _same(from_txt, ingest(rendered[fmt], reference))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_exported_by_libreoffice_reads_like_the_txt(rendered, reference, from_txt, tmp_path):
    """A PDF from a word processor (Word-style bullets, its own line breaking) as well."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(rendered["docx"])],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    _same(from_txt, ingest(tmp_path / "update.pdf", reference))


@pytest.fixture(scope="module")
def variant(tmp_path_factory, reference):
    folder = tmp_path_factory.mktemp("variant")
    text = variant_text(REFERENCE.read_text(encoding="utf-8"))
    paths = {"txt": folder / "q2.txt", "docx": folder / "q2.docx", "pdf": folder / "q2.pdf"}
    paths["txt"].write_text(text, encoding="utf-8")
    render_docx(text, paths["docx"])
    render_pdf(text, paths["pdf"])
    return {fmt: ingest(path, reference) for fmt, path in paths.items()}


def test_variant_quarter_comes_from_the_title_block(variant):
    result = variant["txt"]
    title = result.document.title
    assert title.quarter.label == "2020-21-Q2"  # the running header says 2020/21 Q1
    assert (title.data_to, title.version, title.published) == ("2020-08", "2.1", "2020-10")
    assert result.source_id == "pcp-2020-21-q2"
    narrative = result.tables["narrative"]
    assert set(narrative["quarter"]) == {"2020-21-Q2"}
    assert narrative["item_id"].iloc[0] == "2020-21-q2-p1-1"
    assert not narrative["text"].str.contains("Quarterly Update").any()


def test_variant_figures_and_structure(variant, from_txt):
    result = variant["txt"]
    obs = result.tables["observations"].set_index(["metric_id", "period"])["value"].to_dict()
    assert obs[("emergency-calls-999", "2020-21-Q2")] == 90001
    assert obs[("emergency-calls-999", "2019-20-Q2")] == 80500
    # "Down from 177 KSI casualties in the same period in 2018/19": the year the text names
    assert (
        obs[("ksi-casualties", "2020-21-Q2")] == 151
        and obs[("ksi-casualties", "2018-19-Q2")] == 177
    )
    assert obs[("road-deaths", "2020-21-Q2")] == 9
    assert obs[("special-constable-headcount", "2020-21-Q2")] == 498
    assert obs[("special-constable-headcount", "2019-20-Q2")] == 509
    assert obs[("specials-salary-equivalent", "2020-21-Q2")] == 6_100_000
    cols = ["priority", "objective_id", "level", "kind", "area_id"]
    pd.testing.assert_frame_equal(
        result.tables["narrative"][cols], from_txt.tables["narrative"][cols]
    )


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_variant_reads_the_same_in_every_format(variant, fmt):
    _same(variant["txt"], variant[fmt])
