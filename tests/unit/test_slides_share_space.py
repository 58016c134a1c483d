"""A banner ("since the last meeting") and the content after it share a slide when they fit.

Issue 24, "Slides that use their space at 200%": with the larger type a priority's first slide
can hold its heading and the banner only. That is right only when the next slide's first block
(a row of figures with its shared note, the chart, or the key points' heading and first point)
does not fit in what the budget leaves below the banner; these tests check that it never does
fit, for the since-last-meeting decks in MEETINGS in each geometry. (The budget already keeps
this: the test passed before it was added; a rule that a banner closes its slide fails it.
Whether the budget's heights match the drawing is tests/browser/test_slides_at_200.py's job.)
"""

from __future__ import annotations

import pytest

from dashboard.views import views_of
from dashboard.views.meeting import Meeting
from dashboard.views.narrative import Expander
from dashboard.views.pack import Pack
from dashboard.views.slides import (
    LARGE,
    PPTX,
    STANDARD,
    Geometry,
    Slide,
    _changes_height,
    _chart_parts,
    _heading,
    _Room,
    _tile,
    _tile_height,
    deck,
    shared_verdict,
)

#: The meetings whose since-last-meeting decks are checked: the bundled data's two quarters
#: with each last meeting the builder offers (2018/19 Q4 before 2019/20 Q4 is the issue's deck).
MEETINGS = [
    ("2019-20-Q4", "2018-19-Q4"),
    ("2019-20-Q4", "2019-20-Q3"),
    ("2019-20-Q4", "2019-20-Q1"),
    ("2019-20-Q4", "2017-18-Q4"),
    ("2018-19-Q4", "2018-19-Q3"),
    ("2018-19-Q4", "2017-18-Q4"),
]


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


def _banner_only(slide: Slide) -> bool:
    return (
        slide.kind == "priority"
        and bool(slide.changes)
        and not slide.tiles
        and slide.chart is None
        and not slide.points
    )


def _first_block(pack: Pack, slide: Slide, after: Slide, geo: Geometry) -> tuple[str, float, float]:
    """The next slide's first block, its height in u as the budget measures it on ``slide``
    (below its heading and banner, with the acronyms already written out there), and the room
    left there below the banner."""
    section = next(s for s in pack.sections if s.number == slide.number)
    expand = Expander(pack.glossary)
    room = _Room(geo)
    _heading(room, expand(section.heading), slide.context)
    for line in slide.changes:
        expand(line)
    room.used += _changes_height(room, list(slide.changes))
    left = room.left
    if after.tiles:
        columns = after.tile_columns
        width = (geo.width - (columns - 1) * geo.size(1.5)) / columns
        row = list(section.headlines[:columns])  # the banner's slide placed no figures
        common = shared_verdict(row)
        made = [_tile(h, expand, bool(common)) for h in row]
        height = max(_tile_height(room, t, width) for t in made) + geo.size(1.0)
        if common:
            height += room.lines(common, geo.small, geo.width) + geo.size(0.8)
        return "figures", height, left
    if after.chart is not None:
        title, caption = _chart_parts(after.chart.chart, expand, [])
        words = room.lines(title, geo.chart_title, geo.chart_width, True) + geo.size(0.4)
        if caption:
            words += room.lines(caption, geo.small, geo.chart_width) + geo.size(0.4)
        return "chart", words + geo.graph_min, left
    width = geo.width
    heading = room.lines("Key points", geo.h2, width, True) + geo.size(0.5)
    point = room.lines(expand(after.points[0]), geo.body, width - geo.size(1.6)) + geo.size(0.5)
    return "key points", heading + point, left


@pytest.mark.parametrize("geo", [LARGE, STANDARD, PPTX], ids=lambda g: g.name)
@pytest.mark.parametrize(("quarter", "since"), MEETINGS, ids=lambda x: str(x))
def test_a_banner_shares_its_slide_with_what_follows_when_it_fits(vm, geo, quarter, since):
    pack = vm.pack(meeting=Meeting(quarter, since=since))
    slides = deck(pack, geo)
    assert any(s.changes for s in slides)  # the deck has banners to check
    wasted = []
    for slide, after in zip(slides, slides[1:], strict=False):
        if not _banner_only(slide) or after.number != slide.number:
            continue
        block, height, left = _first_block(pack, slide, after, geo)
        if height <= left:
            wasted.append(f"{slide.heading}: {block} {height:.1f} u fit in {left:.1f} u")
    assert not wasted, wasted
