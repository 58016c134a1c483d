"""The website, meeting mode, the PDF and the deck show the same counts and verdicts for every
priority: each read from what a person sees (the rendered page, the slide, the PDF's text, the
deck's slides and notes), not from the view model they share.

The overview's cards give the statistical verdict; each figure's metric page gives it beside
the same verdict in plain words ("In plain words: ..."), which is what the slides and the PDF
say to a lay audience. The deck's speaker notes carry both.
"""

from __future__ import annotations

import io
import re

import pytest
from dash.development.base_component import Component
from pptx import Presentation
from pypdf import PdfReader
from shell_helpers import text_of

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


def links(node) -> list[str]:
    found: list[str] = []
    if isinstance(node, list | tuple):
        for child in node:
            found += links(child)
    elif isinstance(node, Component):
        href = getattr(node, "href", None)
        if href:
            found.append(href)
        found += links(getattr(node, "children", None))
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


def query(area) -> str:
    return f"?quarter={QUARTER}" + (f"&area={area}" if area else "")


def website(store, area):
    """Per priority: (headline figures, updates, [(metric, verdict, plain words)])."""
    body = render_page(store, "/", query(area)).body
    shown = {}
    for section in find(body, "priority-section"):
        heading = text_of(find(section, "priority-title"))
        number = int(re.match(r"Priority (\d)", heading).group(1))
        updates = int(re.match(r"(\d+) update", text_of(find(section, "update-count"))).group(1))
        figures = []
        for card in find(section, "metric-card"):
            verdict = text_of(find(card, "card-verdict")).removeprefix("Signal or noise: ")
            href = next(h for h in links(card) if h.startswith("/metric/"))
            metric = href.split("?")[0].removeprefix("/metric/")
            page = render_page(store, f"/metric/{metric}", query(area)).body
            plain = text_of(find(page, "plain-verdict")[0]).removeprefix("In plain words: ")
            figures.append((metric, verdict, plain))
        shown[number] = (len(find(section, "metric-card")), updates, figures)
    return shown


def meeting_mode(store, area):
    """Per priority: the counts on the title slide, and the words of its slides."""
    title_slide = render_page(store, "/present", query(area)).body
    counts = [text_of(item) for item in find(title_slide, "present-items")[0].children]
    words = {}
    slide = 1
    while True:
        body = render_page(store, "/present", f"{query(area)}&slide={slide}").body
        heading = text_of(find(body, "present-h1"))
        match = re.match(r"Priority (\d):", heading)
        if heading == "Sources":
            break
        if match:
            words.setdefault(int(match.group(1)), []).append(flat(text_of(body)))
        slide += 1
    return {n: (counts[n - 1], " ".join(words.get(n, []))) for n in range(1, 8)}


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
    firsts = {}
    for slide in deck.slides:
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        match = re.match(r"Priority (\d):", text)
        if match:
            firsts.setdefault(int(match.group(1)), slide)
    assert sorted(site) == list(range(1, 8))
    for number, (figures, updates, cards) in site.items():
        room_counts, room_words = room[number]
        assert counted(room_counts) == (figures, updates), number
        contents = re.search(
            rf"Priority {number}: .*?(\d+ headline figures?, \d+ updates?)", pdf[0]
        )
        assert contents and counted(contents.group(1)) == (figures, updates), number
        pages = " ".join(p for p in pdf[1:] if f"Priority {number}:" in p)
        notes = firsts[number].notes_slide.notes_text_frame.text
        assert counted(notes) == (figures, updates), number
        assert re.findall(r"Signal or noise: (.*)\.$", notes, re.M)[: len(cards)] == [
            verdict for _, verdict, _ in cards
        ]
        for metric, _, plain in cards:
            # The plain words of the metric page are on the slide (on the tile, or said once
            # for a row of figures that share them) and in the PDF.
            first_value = plain.startswith("First published figure")
            shared = "First published figures" if first_value else plain[:1].lower() + plain[1:]
            assert plain in room_words or shared in room_words, (number, metric, plain)
            assert flat(plain) in pages, (number, metric, plain)


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
