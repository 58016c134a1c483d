"""The PowerPoint pack: the meeting's slides, as meeting mode shows them, for the office to edit.

Rendered from the view model's :class:`~dashboard.views.pack.Pack` cut into slides for a
13.33 x 7.5 in slide (:data:`~dashboard.views.slides.PPTX`): the same slides as meeting mode,
with follow-on slides where a priority's figures and key points need more room, because text
is never shrunk: body text is 18 pt, headings 32 pt (shapes do not auto-shrink their text).

Each chart is a *native* PowerPoint chart (python-pptx ``chart_data``), not a picture, with the
chart's one-line summary as its alternative text (``descr`` on the shape's ``cNvPr``, which is
what PowerPoint's and LibreOffice's "Alt Text" fields edit). Its labels are written per point
with the same text as the dashboard (46.4%, 43.8%: the decimals of the chart's title), not left
to a number format. A native chart is read by screen readers with its values, is sharp on any
projector, can be corrected in PowerPoint, and costs milliseconds. The speaker notes of a
priority's first slide hold its full narrative, each figure's verdict in plain words and the
analysts' term, and what changed since the last meeting.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from ..figures.theme import DARK_BLUE, DARK_GREY, MID_GREY, TEXT
from ..formatting import format_value
from ..views import Chart, Pack, Section
from ..views.chart_kinds import kind_named
from ..views.narrative import starts_with_area
from ..views.slides import PPTX, Slide, deck

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
FONT = "Arial"
BODY = 18  # pt: the smallest text on a slide (the footer excepted)
#: One slide unit (views/slides.py), 1% of the slide's width, in EMU.
U = int(WIDTH / 100)
LEFT, TOP = Inches(0.5), Inches(0.3)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _u(value: float) -> Emu:
    return Emu(int(value * U))


def _text_box(slide, left, top, width, height, paragraphs, *, name: str = ""):
    """paragraphs: list of (text, size_pt, bold, colour) or lists of such runs."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.auto_size = MSO_AUTO_SIZE.NONE  # never shrink: the slide was filled to fit
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, 0)
    for index, para in enumerate(paragraphs):
        p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        runs = para if isinstance(para, list) else [para]
        for text, size, bold, colour in runs:
            run = p.add_run()
            run.text = text
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = FONT
            run.font.color.rgb = _rgb(colour)
        p.space_after = Pt(6)
    return box


def _footer(slide, pack: Pack, number: int, total: int) -> None:
    _text_box(
        slide, Inches(0.5), Inches(6.98), Inches(10.8), Inches(0.45),
        [(f"{pack.as_at_line} {pack.quarter_display} · {pack.area_name}", 12, False, DARK_GREY)],
        name="Footer",
    )  # fmt: skip
    _text_box(
        slide, Inches(11.4), Inches(6.98), Inches(1.5), Inches(0.45),
        [(f"{number} of {total}", 12, False, DARK_GREY)], name="Slide number",
    )  # fmt: skip


def set_alt_text(shape, text: str) -> None:
    """Alternative text as PowerPoint stores it: the descr attribute of the shape's cNvPr."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


@dataclass(frozen=True)
class PptxMarks:
    """How a chart kind draws in PowerPoint: the chart type, where each value's label goes, and
    the series' look (named by the kind's line in ``views/chart_kinds.py``)."""

    chart_type: XL_CHART_TYPE
    label_position: XL_LABEL_POSITION
    style: Callable[[Any, Any, Chart], None]  # (plot, series, chart)


def _columns(plot, series, chart: Chart) -> None:
    plot.gap_width = 80
    for index in range(len(chart.points)):
        fill = series.points[index].format.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(DARK_BLUE if index == len(chart.points) - 1 else MID_GREY)
        series.points[index].format.line.color.rgb = _rgb(DARK_GREY)


def _line(plot, series, chart: Chart) -> None:
    series.format.line.color.rgb = _rgb(DARK_BLUE)
    series.format.line.width = Pt(3)
    series.smooth = False


COLUMNS = PptxMarks(XL_CHART_TYPE.COLUMN_CLUSTERED, XL_LABEL_POSITION.OUTSIDE_END, _columns)
LINE = PptxMarks(XL_CHART_TYPE.LINE_MARKERS, XL_LABEL_POSITION.ABOVE, _line)


def add_chart(slide, chart: Chart, left, top, width, height, title: str):
    data = CategoryChartData()
    data.categories = [p.label for p in chart.points]
    data.add_series(chart.basis_label, [p.value for p in chart.points])
    marks: PptxMarks = kind_named(chart.kind).renderer("pptx")
    frame = slide.shapes.add_chart(marks.chart_type, left, top, width, height, data)
    frame.name = f"Chart: {chart.metric_id}"
    set_alt_text(frame, chart.summary)
    plot_chart = frame.chart
    plot_chart.has_legend = False
    plot_chart.has_title = True
    plot_chart.chart_title.text_frame.text = title
    for para in plot_chart.chart_title.text_frame.paragraphs:
        for run in para.runs:
            run.font.size, run.font.bold, run.font.name = Pt(BODY), True, FONT
    plot_chart.font.size = Pt(BODY)
    plot_chart.font.name = FONT
    value_axis = plot_chart.value_axis
    value_axis.minimum_scale = min(0, min(p.value for p in chart.points))
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("#E1E1E1")
    value_axis.tick_labels.font.size = Pt(BODY)
    value_axis.tick_labels.number_format = '#,##0"%"' if "percent" in chart.unit else "#,##0"
    value_axis.tick_labels.number_format_is_linked = False
    plot_chart.category_axis.tick_labels.font.size = Pt(BODY)
    plot = plot_chart.plots[0]
    series = plot.series[0]
    for index, point in enumerate(chart.points):
        # Each label says exactly what the dashboard says: 46.4%, not a rounded 46.
        label = series.points[index].data_label
        label.has_text_frame = True
        label.text_frame.text = format_value(point.value, chart.unit)
        for para in label.text_frame.paragraphs:
            for run in para.runs:
                run.font.size, run.font.bold, run.font.name = Pt(BODY), True, FONT
        label.position = marks.label_position
    marks.style(plot, series, chart)
    return frame


def _list_slide(prs, slide: Slide, pack: Pack, number: int, total: int, notes: str) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[6])
    paragraphs = [(slide.heading, 32, True, DARK_BLUE)]
    paragraphs += [
        (text, BODY, i == 0 and slide.kind == "title", TEXT) for i, text in enumerate(slide.intro)
    ]
    paragraphs += [(f"• {item}", BODY, False, TEXT) for item in slide.items]
    _text_box(
        page, LEFT, TOP, _u(PPTX.width), _u(PPTX.height + 1), paragraphs, name=slide.kind.title()
    )
    page.notes_slide.notes_text_frame.text = notes
    _footer(page, pack, number, total)


def _notes(section: Section, pack: Pack) -> str:
    lines = [section.heading, f"{pack.quarter_display} · {pack.area_name}", f"{section.counts}."]
    if section.changes is not None:
        lines.append(f"{section.changes.heading}: {section.changes.summary}.")
        lines += section.changes.detail_lines
    for h in section.headlines:
        lines.append(f"• {h.label}: {h.value} {h.period}. {h.plain}. Signal or noise: {h.verdict}.")
    if section.chart is not None:
        lines += [f"Chart: {section.chart.summary}", f"Signal or noise: {section.chart.verdict}."]
    lines.append("The quarter's updates in full:")
    for line in section.narrative:
        prefix = "  " * line.level + ("– " if line.level else "• ")
        area = (
            f"{line.area}: "
            if line.area and not line.heading and not starts_with_area(line.text, line.area)
            else ""
        )
        lines.append(f"{prefix}{area}{line.text}")
    if not section.narrative:
        lines.append("No updates for this priority in this quarter.")
    if section.comparisons:
        lines.append("How Essex compares with its most similar group of forces:")
        lines += [c.summary for c in section.comparisons]
    lines.append("Sources: " + "; ".join(section.sources))
    return "\n".join(lines)


def _priority_slide(prs, slide: Slide, section: Section, pack: Pack, number: int, total: int):
    page = prs.slides.add_slide(prs.slide_layouts[6])
    g = PPTX
    heading = slide.heading + (
        f" (continued, {slide.part} of {slide.parts})" if slide.continued else ""
    )
    _text_box(page, LEFT, TOP, _u(g.width), _u(4.5), [(heading, 32, True, DARK_BLUE),
              (slide.context, BODY, False, DARK_GREY)], name="Title")  # fmt: skip
    places = slide.places
    if slide.changes:
        _text_box(
            page, LEFT, TOP + _u(places["changes"]), _u(g.width),
            _u(places["tiles"] - places["changes"]),
            [(text, BODY, i == 0, TEXT) for i, text in enumerate(slide.changes)],
            name="Since the last meeting",
        )  # fmt: skip
    if slide.tiles:
        columns = slide.tile_columns
        width = (g.width - (columns - 1) * 1.5) / columns
        rows = places["rows"]
        for index, tile in enumerate(slide.tiles):
            row, column = divmod(index, columns)
            top = places["tiles"] + sum(rows[:row])
            paragraphs = [(tile.value, 32, True, DARK_BLUE), (tile.label, BODY, False, TEXT)]
            paragraphs += [(t, BODY, t == tile.change, DARK_GREY) for t in
                           [tile.change, *tile.comparisons, tile.plain, *tile.notes] if t]  # fmt: skip
            _text_box(
                page, LEFT + _u(column * (width + 1.5)), TOP + _u(top), _u(width), _u(rows[row] - 1),
                paragraphs, name=f"Figure {index + 1}",
            )  # fmt: skip
        if slide.shared_note:
            note_top = places["body"] - 3.2
            _text_box(page, LEFT, TOP + _u(note_top), _u(g.width), _u(2.6),
                      [(slide.shared_note, BODY, False, DARK_GREY)], name="Figures note")  # fmt: skip
    body_top = places["body"]
    points_left, points_width = 0.0, g.width
    if slide.chart is not None:
        chart = slide.chart
        add_chart(
            page, chart.chart, LEFT, TOP + _u(body_top), _u(g.chart_width),
            _u(g.height - body_top), chart.title,
        )  # fmt: skip
        points_left, points_width = g.chart_width + g.gap, g.width - g.chart_width - g.gap
    if slide.points:
        paragraphs = [(slide.points_heading, BODY + 2, True, TEXT)]
        paragraphs += [(f"• {p}", BODY, False, TEXT) for p in slide.points]
        _text_box(page, LEFT + _u(points_left), TOP + _u(body_top), _u(points_width),
                  _u(g.height - body_top), paragraphs, name="Key points")  # fmt: skip
    notes = (
        _notes(section, pack)
        if slide.part == 1
        else (
            f"{section.heading}, continued. The full updates are in the notes of its first slide."
        )
    )
    if slide.chart is not None and slide.part > 1:
        notes += f"\nChart: {slide.chart.chart.summary}"
    page.notes_slide.notes_text_frame.text = notes
    _footer(page, pack, number, total)


def render_pptx(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    prs.core_properties.title = f"{pack.title}: {pack.subtitle}"
    prs.core_properties.subject = pack.as_at_line
    prs.core_properties.language = "en-GB"
    slides = deck(pack, PPTX)
    sections = {s.number: s for s in pack.sections}
    total = len(slides)
    for number, slide in enumerate(slides, start=1):
        if slide.kind == "priority" and slide.number in sections:
            _priority_slide(prs, slide, sections[slide.number], pack, number, total)
        elif slide.kind == "sources":
            _list_slide(prs, slide, pack, number, total, "Sources:\n" + "\n".join(pack.sources))
        else:
            notes = (
                f"{pack.title}. {pack.subtitle}. {pack.as_at_line} Sources are listed on the last slide."
                if slide.kind == "title"
                else "\n".join(slide.items)
            )
            _list_slide(prs, slide, pack, number, total, notes)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
