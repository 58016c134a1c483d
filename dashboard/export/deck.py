"""The PowerPoint pack: a title slide, one slide per priority, sources on the last slide.

Rendered from the view model's :class:`~dashboard.views.pack.Pack`, so it says what the meeting
slides and the PDF say. Each priority's chart is a *native* PowerPoint chart (python-pptx ``chart_data``), not a
picture, and carries the chart's one-line summary as its alternative text (``descr`` on the
shape's ``cNvPr``, which is what PowerPoint's and LibreOffice's "Alt Text" fields edit). Why not an
image, as the issue first asked: a native chart is read by screen readers as a chart with its
values, is sharp on any projector, can be restyled or corrected by the commissioner's office in
PowerPoint, and costs milliseconds, where rendering seven Plotly images through Chromium
(kaleido) takes about 1.7 s each and would hold a server worker for over ten seconds. Values are
written on the bars and the last point, so nothing depends on colour. The full narrative of the
priority is in the speaker notes.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from ..figures.theme import DARK_BLUE, DARK_GREY, MID_GREY, TEXT
from ..formatting import format_value
from ..views import Chart, Pack, Section
from ..views.narrative import Expander, starts_with_area
from ..views.text import PROVENANCE

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
FONT = "Arial"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _text_box(slide, left, top, width, height, paragraphs, *, name: str = "", fit: bool = False):
    """paragraphs: list of (text, size_pt, bold, colour) or lists of such runs."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    if fit:  # PowerPoint and LibreOffice shrink the text if a long update would overflow
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
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
        slide, Inches(0.5), Inches(6.95), Inches(10.8), Inches(0.45),
        [(f"{pack.as_at_line} {pack.quarter_display} · {pack.area_name}", 12, False, DARK_GREY)],
        name="Footer",
    )  # fmt: skip
    _text_box(
        slide, Inches(11.4), Inches(6.95), Inches(1.5), Inches(0.45),
        [(f"{number} of {total}", 12, False, DARK_GREY)], name="Slide number",
    )  # fmt: skip


def set_alt_text(shape, text: str) -> None:
    """Alternative text as PowerPoint stores it: the descr attribute of the shape's cNvPr."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _number_format(unit: str) -> str:
    return {"percent": '0.0"%"', "gbp": '"£"#,##0'}.get(unit, "#,##0")


def add_chart(slide, chart: Chart, left, top, width, height, title: str):
    if chart.kind == "card" or len(chart.points) < 2:
        point = chart.points[-1]
        box = _text_box(
            slide, left, top, width, height,
            [(title, 18, True, TEXT),
             (format_value(point.value, chart.unit, with_unit=True), 60, True, DARK_BLUE),
             (point.label, 18, False, TEXT),
             ("One published value: there is nothing yet to compare it with.", 16, False, DARK_GREY)],
            name="Headline value",
        )  # fmt: skip
        set_alt_text(box, chart.summary)
        return box
    data = CategoryChartData(number_format=_number_format(chart.unit))
    data.categories = [p.label for p in chart.points]
    data.add_series(chart.basis_label, [p.value for p in chart.points])
    kind = (
        XL_CHART_TYPE.COLUMN_CLUSTERED if chart.kind == "comparison" else XL_CHART_TYPE.LINE_MARKERS
    )
    frame = slide.shapes.add_chart(kind, left, top, width, height, data)
    frame.name = f"Chart: {chart.metric_id}"
    set_alt_text(frame, chart.summary)
    plot_chart = frame.chart
    plot_chart.has_legend = False
    plot_chart.has_title = True
    plot_chart.chart_title.text_frame.text = title
    for para in plot_chart.chart_title.text_frame.paragraphs:
        for run in para.runs:
            run.font.size, run.font.bold, run.font.name = Pt(15), True, FONT
    plot_chart.font.size = Pt(16)
    plot_chart.font.name = FONT
    value_axis = plot_chart.value_axis
    value_axis.minimum_scale = min(0, min(p.value for p in chart.points))
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("#E1E1E1")
    value_axis.tick_labels.font.size = Pt(14)
    plot_chart.category_axis.tick_labels.font.size = Pt(14)
    plot = plot_chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size, labels.font.bold = Pt(16), True
    labels.number_format, labels.number_format_is_linked = _number_format(chart.unit), False
    series = plot.series[0]
    if chart.kind == "comparison":
        plot.gap_width = 80
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        for index in range(len(chart.points)):
            fill = series.points[index].format.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(DARK_BLUE if index == len(chart.points) - 1 else MID_GREY)
            series.points[index].format.line.color.rgb = _rgb(DARK_GREY)
    else:
        labels.position = XL_LABEL_POSITION.ABOVE
        series.format.line.color.rgb = _rgb(DARK_BLUE)
        series.format.line.width = Pt(3)
        series.smooth = False
    return frame


def _title_slide(prs, pack: Pack, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text_box(
        slide, Inches(0.8), Inches(1.2), Inches(11.7), Inches(4.8),
        [("Essex Police · Police, Fire and Crime Commissioner", 22, False, DARK_GREY),
         (pack.title, 44, True, DARK_BLUE),
         (pack.subtitle, 30, False, TEXT),
         (pack.as_at_line, 22, False, TEXT),
         ("Seven priorities: headline figures, the chart that matters most, and the key points. "
          "The full updates are in the speaker notes and the PDF pack.", 20, False, DARK_GREY)],
        name="Title",
    )  # fmt: skip
    slide.notes_slide.notes_text_frame.text = (
        f"{pack.title}. {pack.subtitle}. {pack.as_at_line} Sources are listed on the last slide."
    )
    _footer(slide, pack, 1, total)


def _section_slide(prs, section: Section, pack: Pack, expand: Expander, number: int, total: int):
    expand.new_slide()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text_box(
        slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8),
        [(section.heading, 32, True, DARK_BLUE)], name="Title",
    )  # fmt: skip
    shown = section.headlines[:3]
    if shown:
        width = Inches(12.3 / len(shown))
        for index, h in enumerate(shown):
            _text_box(
                slide, Inches(0.5) + width * index, Inches(1.1), width - Inches(0.15), Inches(1.75),
                [(h.value, 28, True, DARK_BLUE),
                 (f"{expand(h.label)} {h.period}", 14, False, TEXT),
                 (" · ".join(h.comparisons), 13, False, DARK_GREY)],
                name=f"Headline figure {index + 1}", fit=True,
            )  # fmt: skip
    else:
        _text_box(
            slide, Inches(0.5), Inches(1.1), Inches(12.3), Inches(0.6),
            [("No headline figures were published for this priority in this quarter.", 18, False, TEXT)],
            name="Headline figures",
        )  # fmt: skip
    top = Inches(2.95) if shown else Inches(1.8)
    if section.chart is not None:
        add_chart(
            slide,
            section.chart,
            Inches(0.5),
            top,
            Inches(5.6),
            Inches(3.8),
            expand(section.chart.title),
        )
        points_left, points_width = Inches(6.4), Inches(6.4)
    else:
        points_left, points_width = Inches(0.5), Inches(12.3)
    points = [("Key points", 18, True, TEXT)] + [
        (f"• {expand(p)}", 14, False, TEXT) for p in section.key_points
    ]
    if not section.key_points:
        points.append(("No updates for this priority in this quarter.", 16, False, TEXT))
    _text_box(
        slide,
        points_left,
        top,
        points_width,
        Inches(6.85) - top,
        points,
        name="Key points",
        fit=True,
    )
    notes = [section.heading, f"{pack.quarter_display} · {pack.area_name}", f"{section.counts}."]
    notes += [
        f"• {h.label}: {h.value} {h.period}. Signal or noise: {h.verdict}."
        for h in section.headlines
    ]
    if section.chart is not None:
        notes += [f"Chart: {section.chart.summary}", f"Signal or noise: {section.chart.verdict}."]
    notes.append("The quarter's updates in full:")
    for line in section.narrative:
        prefix = "  " * line.level + ("– " if line.level else "• ")
        area = (
            f"{line.area}: "
            if line.area and not line.heading and not starts_with_area(line.text, line.area)
            else ""
        )
        notes.append(f"{prefix}{area}{line.text}")
    if not section.narrative:
        notes.append("No updates for this priority in this quarter.")
    if section.comparisons:
        notes.append("How Essex compares with its most similar group of forces:")
        notes += [c.summary for c in section.comparisons]
    notes.append("Sources: " + "; ".join(section.sources))
    slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    _footer(slide, pack, number, total)


def _sources_slide(prs, pack: Pack, number: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    size = 16 if len(pack.sources) <= 8 else 13
    _text_box(
        slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(6.5),
        [("Sources", 32, True, DARK_BLUE)]
        + [(f"• {s}", size, False, TEXT) for s in pack.sources]
        + [(PROVENANCE, size, False, DARK_GREY)],
        name="Sources",
    )  # fmt: skip
    slide.notes_slide.notes_text_frame.text = "Sources:\n" + "\n".join(pack.sources)
    _footer(slide, pack, number, number)


def render_pptx(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    prs.core_properties.title = f"{pack.title}: {pack.subtitle}"
    prs.core_properties.subject = pack.as_at_line
    prs.core_properties.language = "en-GB"
    total = len(pack.sections) + 2
    _title_slide(prs, pack, total)
    expand = Expander(pack.glossary)
    for index, section in enumerate(pack.sections, start=2):
        _section_slide(prs, section, pack, expand, index, total)
    _sources_slide(prs, pack, total)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
