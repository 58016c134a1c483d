"""How Essex compares, in the packs (issue 10, item 4): the view model's Pack carries each
priority's comparisons (views/compare.py), the PDF prints each summary and table, the
PowerPoint deck's speaker notes give the summaries. Figures as worked by hand in test_peers.py
(Special Constables 30 Sep 2017 -> 30 Sep 2018: Essex 390 -> 476, +86, +22.05%)."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from dashboard.export.packs import build_file
from dashboard.views import views_of


@pytest.fixture(scope="module")
def pack(bundled_dataset):
    return views_of(bundled_dataset).pack("2019-20-Q4")


def test_each_priority_section_carries_its_national_comparisons(pack):
    by_priority = {s.number: [c.metric_id for c in s.comparisons] for s in pack.sections}
    assert "ho-special-constables-headcount" in by_priority[1]
    assert by_priority[4][0] == "pfa-violence-with-injury"
    # ASB incidents (ONS PFA tables, Table P7) are Priority 2's; none is mapped to Priority 3
    assert by_priority[2] == ["pfa-asb-incidents"] and by_priority[3] == []
    # A series that stopped before its table's end (fraud, 2013) says nothing about now.
    assert "pfa-fraud-offences" not in by_priority[1]
    specials = next(c for c in pack.sections[0].comparisons if "Special" in c.title)
    essex = specials.rows[0]
    assert essex == ("Essex", "390", "476", "+86", "+22.1%")
    assert specials.columns[1:3] == ("30 Sep 2017", "30 Sep 2018")
    assert "the best of the 8 forces in its group" in specials.summary
    assert "most similar group of forces as named in" in specials.note
    assert specials.national_note == ""  # the Home Office publishes "Total 43 forces"
    vwi = pack.sections[3].comparisons[0]
    # year ending December 2019: Greater Manchester's row is '..' (pfatablesdec19.xlsx, Table
    # P1, row 16), so no sum of the 43 forces is made, and the note names the force
    assert "without Greater Manchester" in vwi.national_note


def test_the_pdf_prints_the_summary_and_the_table(bundled_dataset):
    content = build_file(bundled_dataset, "pdf", "2019-20-Q4").content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "How Essex compares with its most similar group of forces" in flat
    assert "Essex up 86 (22.1%)" in flat
    assert "Average of the group (7 forces) 286.7 259.4 −27.3 −9.5%" in flat


def test_the_deck_notes_give_the_summaries(bundled_dataset):
    deck = Presentation(io.BytesIO(build_file(bundled_dataset, "pptx", "2019-20-Q4").content))
    notes = deck.slides[1].notes_slide.notes_text_frame.text  # Priority 1
    assert "How Essex compares with its most similar group of forces:" in notes
    assert "Special Constables, 30 September 2018 against a year earlier: Essex up 86" in notes
