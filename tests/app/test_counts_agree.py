"""The website, meeting mode, the PDF and the deck show the same counts and verdicts for every
priority: each read from what a person sees (the rendered page, the slide, the PDF's text, the
deck's slides and notes), not from the view model they share.
"""

from __future__ import annotations

import io
import re

import pytest
from dash.development.base_component import Component
from pptx import Presentation
from pypdf import PdfReader
from shell_helpers import SharedStore, text_of

from dashboard.export.packs import build_file
from dashboard.shell import render_page

QUARTER = "2019-20-Q4"
AREAS = [None, "south-lpa"]


def find(node, class_name: str) -> list[Component]:
    """Components in a tree whose className includes ``class_name``, in order."""
    found: list[Component] = []
    if isinstance(node, list | tuple):
        for child in node:
            found += find(child, class_name)
    elif isinstance(node, Component):
        if class_name in str(getattr(node, "className", "") or "").split():
            found.append(node)
        found += find(getattr(node, "children", None), class_name)
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def store(bundled_dataset):
    return SharedStore(bundled_dataset)


def website(store, area):
    """Per priority: (headline figures, updates, verdicts) as the overview shows them."""
    search = f"?quarter={QUARTER}" + (f"&area={area}" if area else "")
    body = render_page(store, "/", search).body
    shown = {}
    for section in find(body, "priority-section"):
        heading = text_of(find(section, "priority-title"))
        number = int(re.match(r"Priority (\d)", heading).group(1))
        updates = int(re.match(r"(\d+) update", text_of(find(section, "update-count"))).group(1))
        verdicts = [
            text_of(card).removeprefix("Signal or noise: ")
            for card in find(section, "card-verdict")
        ]
        shown[number] = (len(find(section, "metric-card")), updates, verdicts)
    return shown


def meeting_mode(store, area):
    """Per priority: the counts on the title slide, and the verdicts on the priority's slide."""
    query = f"?quarter={QUARTER}" + (f"&area={area}" if area else "")
    title_slide = render_page(store, "/present", query).body
    counts = [text_of(c) for c in find(title_slide, "present-counts")]
    shown = {}
    for number in range(1, 8):
        slide = render_page(store, "/present", f"{query}&slide={number}").body
        verdicts = [text_of(v) for v in find(slide, "present-verdict")]
        shown[number] = (counts[number - 1], verdicts)
    return shown


def counted(text: str) -> tuple[int, int]:
    match = re.search(r"(\d+) headline figures?, (\d+) updates?", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


@pytest.mark.parametrize("area", AREAS, ids=["force-wide", "south-lpa"])
def test_every_surface_shows_the_same_counts_and_verdicts(store, bundled_dataset, area):
    site = website(store, area)
    room = meeting_mode(store, area)
    pdf = [
        flat(page.extract_text())
        for page in PdfReader(
            io.BytesIO(build_file(bundled_dataset, "pdf", QUARTER, area).content)
        ).pages
    ]
    deck = Presentation(io.BytesIO(build_file(bundled_dataset, "pptx", QUARTER, area).content))
    slides = list(deck.slides)
    assert sorted(site) == list(range(1, 8))
    for number, (figures, updates, verdicts) in site.items():
        # Meeting mode: the title slide's counts; up to three figures per slide, same verdicts.
        room_counts, room_verdicts = room[number]
        assert counted(room_counts) == (figures, updates), number
        assert [re.sub(r"^[^.]*\. ", "", v).rstrip(".") for v in room_verdicts] == verdicts[:3]
        # The PDF: the contents line, and each verdict on the priority's page(s).
        contents = re.search(
            rf"Priority {number}: .*?(\d+ headline figures?, \d+ updates?)", pdf[0]
        )
        assert contents and counted(contents.group(1)) == (figures, updates), number
        pages = " ".join(p for p in pdf[1:] if f"Priority {number}:" in p)
        for verdict in verdicts:
            assert flat(f"Signal or noise: {verdict}.") in pages, (number, verdict)
        # The deck: the priority's slide notes say the counts and every headline's verdict.
        notes = slides[number].notes_slide.notes_text_frame.text
        assert counted(notes) == (figures, updates), number
        assert re.findall(r"Signal or noise: (.*)\.$", notes, re.M)[: len(verdicts)] == verdicts


def test_the_counts_are_the_reports(store, bundled_dataset):
    """Not only equal, but right: Priority 1's updates are the quarter's 26 bullets (its 4
    headings are not updates; the PDF once said 30)."""
    narrative = bundled_dataset.narrative
    bullets = narrative[
        (narrative["quarter"] == QUARTER)
        & (narrative["priority"] == 1)
        & (narrative["kind"] == "bullet")
    ]
    assert website(store, None)[1][1] == len(bullets) == 26
