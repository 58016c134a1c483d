"""A pack cut into slides that fit: what goes on each slide is chosen by the space there is.

Meeting mode and the PowerPoint deck show a :class:`~.pack.Pack` as slides. Type never shrinks
to make room (body text is 1.35 % of the slide's width: 26 px on a 1920 x 1080 screen, and
18 pt in PowerPoint); instead each slide gets what fits in its :class:`Geometry`, measured with
the font's own widths (:mod:`.measure`), and the rest moves to a follow-on slide ("continued").
Acronyms are written out on their first use on each slide as the slide is filled, so the
measured text is the text shown.

A priority's slides: its heading and the quarter; on the first, what changed since the last
meeting; the figures (a row of up to three); the chart beside the key points; then follow-on
slides with the figures and key points that did not fit. The title slide lists the priorities
with their counts; with a last meeting, a slide of what changed follows it; the sources close
the deck. Long lists continue on follow-on slides too.

Everything is in *u*, one hundredth of the slide's width (a 16:9 slide is 100 u x 56.25 u).
assets/present.css draws the screen slides with the same numbers (``--u``, ``--t``); the browser
tests measure every slide at 1366 x 768, 1920 x 1080 and 1366 x 768 at 200 % zoom.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .measure import line_count
from .narrative import Expander
from .pack import Chart, Headline, Pack, Section
from .since import CHANGES_NOTE
from .text import PLAIN_ONE_VALUE, PROVENANCE


@dataclass(frozen=True)
class Geometry:
    """A slide's room and type, in u. ``t`` scales the type (1.6: meeting mode's larger type);
    the sizes are for t = 1 and are the ones in assets/present.css."""

    name: str
    width: float = 94.0  # the content box
    height: float = 48.0  # 56.25 - controls (4.4) - padding (2.5) - 1.35 to spare
    t: float = 1.0
    columns: int = 3  # figures side by side
    chart_width: float = 40.0
    gap: float = 2.5
    h1: float = 2.5
    context: float = 1.35
    body: float = 1.35
    small: float = 1.3
    h2: float = 1.5
    value: float = 3.0
    chart_title: float = 1.4
    line: float = 1.3  # line height, times the font size
    graph_min: float = 12.0  # the chart's picture, not scaled by t
    graph_max: float = 19.0
    paragraph: float = 0.0  # space after each paragraph (PowerPoint adds 6 pt)

    def size(self, base: float) -> float:
        return base * self.t


STANDARD = Geometry("standard")
#: PowerPoint, 13.33 x 7.5 in (1 u = 9.6 pt): body text 18 pt, headings 32 pt; the content box
#: is 0.5 in from the sides and runs from 0.3 in to the footer at 6.85 in; 6 pt after paragraphs.
PPTX = Geometry(
    "pptx",
    width=92.5,
    height=47.5,
    columns=3,
    chart_width=42.0,
    h1=3.33,
    context=1.875,
    body=1.875,
    small=1.875,
    h2=2.08,
    value=3.33,
    chart_title=1.875,
    line=1.2,
    graph_min=14.0,
    graph_max=22.0,
    paragraph=0.625,
)
LARGE = Geometry("large", t=1.6, columns=2, chart_width=42.0, graph_min=13.0, graph_max=18.0)


@dataclass(frozen=True)
class Tile:
    """A figure on a slide, its words written out for this slide."""

    metric_id: str
    basis: str
    value: str
    label: str  # "Killed or seriously injured (KSI) road casualties in 2019/20 Q4"
    change: str  # "New since the last meeting"
    comparisons: list[str]
    plain: str  # "Lower is better. Too early to tell ..."
    notes: list[str]  # force-wide, a break in the series, another period


@dataclass(frozen=True)
class SlideChart:
    chart: Chart
    title: str
    caption: str
    graph_height: float  # u


@dataclass(frozen=True)
class Slide:
    kind: str  # "title" | "changes" | "priority" | "sources"
    heading: str
    context: str = ""
    number: int | None = None  # the priority
    part: int = 1
    parts: int = 1
    changes: list[str] = field(default_factory=list)  # since the last meeting (first slide)
    tiles: list[Tile] = field(default_factory=list)
    tile_columns: int = 3
    shared_note: str = ""
    chart: SlideChart | None = None
    points_heading: str = ""
    points: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # a list slide's lines
    intro: list[str] = field(default_factory=list)
    #: Where the parts start, in u from the content's top (a renderer that places boxes itself,
    #: such as the PowerPoint deck, uses them): "tiles", "body", and the rows' heights.
    places: dict = field(default_factory=dict)

    @property
    def continued(self) -> bool:
        return self.part > 1


ORG = "Essex Police · Police, Fire and Crime Commissioner"
ONE_OFF_NOTE = "First published figures: there is nothing earlier to compare them with yet."
MAX_CHANGE_LINES = 3


def _copy(expand: Expander) -> Expander:
    """A trial copy: what it writes out is kept only if the text is placed."""
    trial = copy.copy(expand)
    trial.seen = set(expand.seen)
    return trial


class _Room:
    """Height used on one slide so far."""

    def __init__(self, geo: Geometry):
        self.geo, self.used = geo, 0.0

    def lines(self, text: str, size: float, width: float, bold: bool = False) -> float:
        g = self.geo
        em = g.size(size)
        return line_count(text, width / em, bold) * em * g.line + (g.paragraph if text else 0)

    @property
    def left(self) -> float:
        return self.geo.height - self.used


def _heading(room: _Room, text: str, context: str) -> None:
    g = room.geo
    h1 = g.size(g.h1)
    room.used += line_count(text, g.width / h1, True) * h1 * 1.15 + g.size(0.3) + g.paragraph
    room.used += room.lines(context, g.context, g.width) + g.size(0.8)


def _verdict(h: Headline) -> tuple[str, str]:
    """(the verdict a row of figures can share, what only this figure adds): a first figure's
    small-numbers warning stays with it."""
    if h.plain.startswith(PLAIN_ONE_VALUE) and not h.comparisons:
        rest = h.plain.removeprefix(PLAIN_ONE_VALUE).lstrip("; ")
        return PLAIN_ONE_VALUE, rest[:1].upper() + rest[1:]
    return h.plain, ""


def shared_verdict(row: list[Headline]) -> str:
    """The note under a row whose figures all have the same verdict (said once, not on each)."""
    if len(row) < 2:
        return ""
    verdicts = {_verdict(h)[0] for h in row}
    if len(verdicts) != 1:
        return ""
    verdict = verdicts.pop()
    if verdict == PLAIN_ONE_VALUE:
        return ONE_OFF_NOTE
    return f"Each of these figures: {verdict[:1].lower()}{verdict[1:]}."


def _tile(h: Headline, expand: Expander, shared: bool) -> Tile:
    notes = [h.note] if h.note else []
    if h.caveat:
        notes.append(expand(h.caveat))
    if shared:
        extra = _verdict(h)[1]
        plain = f"{h.direction}." + (f" {extra}." if extra else "")
    else:
        plain = f"{h.direction}. {h.plain}."
    return Tile(
        metric_id=h.metric_id,
        basis=h.basis,
        value=h.value,
        label=expand(f"{h.label} {h.period}"),
        change=h.change,
        comparisons=list(h.comparisons),
        plain=plain,
        notes=notes,
    )


def _tile_height(room: _Room, tile: Tile, width: float) -> float:
    g = room.geo
    height = g.size(0.35 + 0.4) + g.size(g.value) * 1.1 + g.paragraph
    height += room.lines(tile.label, g.body, width)
    for text in [tile.change, *tile.comparisons, tile.plain, *tile.notes]:
        if text:
            height += room.lines(text, g.small, width)
    return height


def _changes_lines(section: Section) -> list[str]:
    changes = section.changes
    if changes is None:
        return []
    lines = [f"{changes.heading}: {changes.summary}."]
    details = changes.detail_lines
    if len(details) > MAX_CHANGE_LINES:
        more = len(details) - (MAX_CHANGE_LINES - 1)
        details = details[: MAX_CHANGE_LINES - 1] + [f"And {more} more: see the PDF pack."]
    return lines + details


def _changes_height(room: _Room, lines: list[str]) -> float:
    if not lines:
        return 0.0
    g = room.geo
    width = g.width - g.size(0.4 + 1.6)
    return sum(room.lines(t, g.small, width, i == 0) for i, t in enumerate(lines)) + g.size(
        0.6 + 0.8
    )


def _chart_parts(chart: Chart, expand: Expander, tiles: list[Tile]) -> tuple[str, str]:
    """The chart's title and caption: its plain verdict, unless its figure is on the slide
    and says it already, and any break in the series."""
    said = any(t.metric_id == chart.metric_id and t.basis == chart.basis for t in tiles)
    caption = "" if said else f"{chart.plain}."
    if chart.caveat and not said:
        caption += f" {chart.caveat}"
    return expand(chart.title), expand(caption.strip())


def _fit_points(
    room: _Room, points: list[str], width: float, expand: Expander, heading: bool
) -> list[str]:
    """As many of ``points`` (in order) as fit below the room used; expands them as placed."""
    g = room.geo
    height = room.lines("Key points", g.h2, width, True) + g.size(0.5) if heading else 0.0
    placed: list[str] = []
    text_width = width - g.size(1.6)
    for point in points:
        trial = _copy(expand)
        text = trial(point)
        need = room.lines(text, g.body, text_width) + g.size(0.5)
        if room.used + height + need > g.height:
            break
        expand.seen = trial.seen
        placed.append(text)
        height += need
    return placed


def priority_slides(section: Section, pack: Pack, geo: Geometry) -> list[Slide]:
    context = f"{pack.quarter_display} · {pack.area_name}"
    tiles_left = list(section.headlines)
    points_left = list(section.key_points)
    chart_left = section.chart
    changes = _changes_lines(section)
    slides: list[Slide] = []
    while True:
        part = len(slides) + 1
        expand = Expander(pack.glossary)
        room = _Room(geo)
        heading = expand(section.heading)
        _heading(room, heading, context)
        slide_changes: list[str] = []
        changes_top = room.used
        if part == 1 and changes:
            slide_changes = [expand(t) for t in changes]
            room.used += _changes_height(room, slide_changes)
        tiles_top = room.used
        # In reading order: the figures (rows of up to ``columns``), the chart, the key points
        # beside it. What does not fit starts the next slide, in the same order.
        tiles: list[Tile] = []
        row_heights: list[float] = []
        shared_note = ""
        columns = min(len(tiles_left), geo.columns) if tiles_left else geo.columns
        width = (geo.width - (columns - 1) * geo.size(1.5)) / columns
        while tiles_left:
            row = tiles_left[:columns]
            common = shared_verdict(row)
            trial = _copy(expand)
            made = [_tile(h, trial, bool(common)) for h in row]
            height = max(_tile_height(room, t, width) for t in made) + geo.size(1.0)
            note = common if common and not shared_note else ""
            if note:
                height += room.lines(note, geo.small, geo.width) + geo.size(0.8)
            if room.used + height > geo.height and (tiles or slide_changes):
                break
            expand.seen = trial.seen
            tiles += made
            shared_note = shared_note or note
            tiles_left = tiles_left[len(row) :]
            room.used += height
            row_heights.append(height)
        body_top = room.used
        slide_chart = None
        if chart_left is not None and not tiles_left:
            trial = _copy(expand)
            title, caption = _chart_parts(chart_left, trial, tiles)
            words = room.lines(title, geo.chart_title, geo.chart_width, True) + geo.size(0.4)
            if caption:
                words += room.lines(caption, geo.small, geo.chart_width) + geo.size(0.4)
            if room.left >= words + geo.graph_min or not (tiles or slide_changes):
                graph = max(geo.graph_min, min(geo.graph_max, room.left - words))
                expand.seen = trial.seen
                slide_chart = SlideChart(chart_left, title, caption, round(graph, 1))
                chart_left = None
        points: list[str] = []
        if not tiles_left and chart_left is None:
            points_width = geo.width - (geo.chart_width + geo.gap if slide_chart else 0)
            points = _fit_points(room, points_left, points_width, expand, True)
            if not points and points_left and not (tiles or slide_changes) and slide_chart is None:
                # A point longer than a whole slide: shown cut, never overflowing.
                points = [_cut(points_left[0], room, points_width, expand)]
            points_left = points_left[len(points) :]
        slides.append(
            Slide(
                kind="priority",
                places={
                    "changes": changes_top,
                    "tiles": tiles_top,
                    "body": body_top,
                    "rows": tuple(row_heights),
                },
                heading=heading,
                context=context,
                number=section.number,
                part=part,
                changes=slide_changes,
                tiles=tiles,
                tile_columns=columns,
                shared_note=shared_note,
                chart=slide_chart,
                points_heading=("Key points" if part == 1 else "Key points (continued)")
                if points or (part == 1 and not section.key_points)
                else "",
                points=points
                or (
                    ["No updates for this priority in this quarter."]
                    if part == 1 and not section.key_points
                    else []
                ),
            )
        )
        if not (tiles_left or points_left or chart_left):
            break
    total = len(slides)
    return [replace(s, parts=total) for s in slides]


def _cut(text: str, room: _Room, width: float, expand: Expander) -> str:
    words = expand(text).split()
    while words:
        trial = " ".join(words) + "…"
        if (
            room.used + room.lines(trial, room.geo.body, width) + room.geo.size(3)
            <= room.geo.height
        ):
            return trial
        words = words[:-1]
    return "…"


def list_slides(
    kind: str,
    heading: str,
    items: list[str],
    geo: Geometry,
    glossary: dict[str, str],
    intro: Sequence[str] = (),
) -> list[Slide]:
    """A heading and a list, continued on as many slides as it needs."""
    slides: list[Slide] = []
    left = list(items)
    while True:
        part = len(slides) + 1
        expand = Expander(glossary)
        room = _Room(geo)
        title = heading if part == 1 else f"{heading} (continued)"
        h1 = geo.size(geo.h1)
        room.used += line_count(title, geo.width / h1, True) * h1 * 1.15 + geo.size(0.8)
        shown_intro = [expand(t) for t in intro] if part == 1 else []
        for text in shown_intro:
            room.used += room.lines(text, geo.body, geo.width) + geo.size(0.5)
        placed: list[str] = []
        for item in left:
            trial = _copy(expand)
            text = trial(item)
            need = room.lines(text, geo.body, geo.width - geo.size(1.6)) + geo.size(0.5)
            if room.used + need > geo.height and placed:
                break
            expand.seen = trial.seen
            placed.append(text)
            room.used += need
        left = left[len(placed) :]
        slides.append(Slide(kind=kind, heading=title, part=part, items=placed, intro=shown_intro))
        if not left:
            break
    return [replace(s, parts=len(slides)) for s in slides]


def title_items(pack: Pack) -> list[str]:
    return [f"{s.heading} — {s.counts}" for s in pack.sections]


def changes_items(pack: Pack) -> list[str]:
    lines = []
    for section in pack.sections:
        if section.changes is None:
            continue
        lines.append(f"{section.heading}: {section.changes.summary}.")
        lines += section.changes.detail_lines
    return lines


def deck(pack: Pack, geo: Geometry = STANDARD, papers: str = "") -> list[Slide]:
    """Every slide of the meeting, in order. ``papers``: a line for the title and sources
    slides (meeting mode's links to the packs), counted as text."""
    intro = [ORG, pack.subtitle, pack.as_at_line]
    if pack.changes is not None:
        intro.append(f"{pack.changes.heading}: {pack.changes.summary}.")
    if papers:
        intro.append(papers)
    slides = list_slides("title", pack.title, title_items(pack), geo, pack.glossary, intro)
    if pack.changes is not None:
        slides += list_slides(
            "changes",
            f"What changed {pack.changes.heading[0].lower()}{pack.changes.heading[1:]}",
            changes_items(pack) or ["Nothing has changed for these priorities."],
            geo,
            pack.glossary,
            [CHANGES_NOTE],
        )
    for section in pack.sections:
        slides += priority_slides(section, pack, geo)
    closing = [pack.as_at_line, PROVENANCE] + ([papers] if papers else [])
    slides += list_slides("sources", "Sources", pack.sources, geo, pack.glossary, closing)
    return slides
