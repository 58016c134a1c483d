"""The PDF pack: A4 landscape, a title page, one priority per page, sources at the end.

Rendered from the view model's :class:`~dashboard.views.pack.Pack` with reportlab, so the text is
real text (selectable, searchable, read by screen readers) and the charts are drawn as vector graphics from
the same points as the dashboard's chart (no browser, no images: a whole pack takes well under a
second, where rendering seven Plotly images through Chromium takes over ten). Each priority starts
on a new page; a long narrative continues on the next page under a "continued" heading. Every
page carries "Data as at", the sources for what is on it and "Page n of N".
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..figures.theme import DARK_BLUE, DARK_GREY, MID_GREY, TEXT
from ..formatting import format_value
from ..views import Chart, Pack, Section
from ..views.narrative import Expander, starts_with_area
from ..views.text import PROVENANCE

PAGE = landscape(A4)
MARGIN = 15 * mm
FOOTER_HEIGHT = 20 * mm
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _register_fonts() -> tuple[str, str, bool]:
    """DejaVu Sans when the system has it (it has ▲ ▼ and every character the reports use);
    otherwise the built-in Helvetica, with the glyphs replaced by words."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "PackSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("PackSans", str(regular)))
            pdfmetrics.registerFont(TTFont("PackSans-Bold", str(bold)))
            pdfmetrics.registerFontFamily("PackSans", normal="PackSans", bold="PackSans-Bold")
        return "PackSans", "PackSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


FONT, BOLD, UNICODE = _register_fonts()


def _t(text: str) -> str:
    """Text from the data made safe for reportlab's mini-markup: always escaped, never markup."""
    text = str(text)
    if not UNICODE:
        text = text.replace("▲ ", "").replace("▼ ", "").replace("▬ ", "")
    return escape(text)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=11, leading=14.5, textColor=TEXT, bulletFontName=FONT
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11.5),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=30, leading=36),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=18, leading=24),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=20, leading=25, textColor=DARK_BLUE
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=13, leading=17, spaceBefore=6, spaceAfter=3
        ),
        "value": ParagraphStyle("value", parent=base, fontName=BOLD, fontSize=18, leading=22),
        "point": ParagraphStyle(
            "point", parent=base, fontSize=11.5, leading=15, leftIndent=12, bulletIndent=0
        ),
        "narrative": ParagraphStyle(
            "narrative", parent=base, fontSize=10, leading=13, leftIndent=12, bulletIndent=0
        ),
    }


# ------------------------------------------------------------------------------ charts


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return top
    return 10 ** (exponent + 1)


def chart_drawing(chart: Chart, width: float, height: float) -> Drawing:
    """The chart as vector shapes: bars from zero for a comparison, a line for a trend, a large
    value for a single figure. Values are written on the chart, so colour carries nothing alone."""
    drawing = Drawing(width, height)
    dark, grey, text = (colors.HexColor(c) for c in (DARK_BLUE, MID_GREY, DARK_GREY))
    if chart.kind == "card" or len(chart.points) < 2:
        point = chart.points[-1]
        drawing.add(
            String(
                width / 2,
                height / 2,
                format_value(point.value, chart.unit, with_unit=True),
                fontName=BOLD,
                fontSize=40,
                fillColor=dark,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                width / 2,
                height / 2 - 28,
                point.label,
                fontName=FONT,
                fontSize=13,
                fillColor=text,
                textAnchor="middle",
            )  # fmt: skip
        )
        return drawing
    left, bottom, top_pad, right_pad = 48, 36, 24, 60
    plot_w, plot_h = width - left - right_pad, height - bottom - top_pad
    values = [p.value for p in chart.points]
    top = _nice_max(max(max(values), 0))
    low = min(0.0, min(values))

    def y(v: float) -> float:
        return bottom + (v - low) / (top - low) * plot_h

    for i in range(5):  # gridlines and axis labels
        v = low + (top - low) * i / 4
        drawing.add(Line(left, y(v), left + plot_w, y(v), strokeColor=colors.HexColor("#E1E1E1")))
        drawing.add(
            String(
                left - 6,
                y(v) - 3.5,
                format_value(v, chart.unit),
                fontName=FONT,
                fontSize=9,
                fillColor=text,
                textAnchor="end",
            )  # fmt: skip
        )
    drawing.add(Line(left, y(0), left + plot_w, y(0), strokeColor=text, strokeWidth=1))
    n = len(chart.points)
    slot = plot_w / n
    labels = [p.label for p in chart.points]
    if chart.kind == "comparison":
        bar_w = slot * 0.55
        for i, point in enumerate(chart.points):
            x = left + slot * i + (slot - bar_w) / 2
            fill = dark if i == n - 1 else grey
            drawing.add(
                Rect(
                    x,
                    y(0),
                    bar_w,
                    y(point.value) - y(0),
                    fillColor=fill,
                    strokeColor=text,
                    strokeWidth=0.5,
                )  # fmt: skip
            )
            drawing.add(
                String(
                    x + bar_w / 2,
                    y(point.value) + 5,
                    format_value(point.value, chart.unit),
                    fontName=BOLD,
                    fontSize=12,
                    fillColor=text,
                    textAnchor="middle",
                )  # fmt: skip
            )
    else:
        xs = [left + slot * i + slot / 2 for i in range(n)]
        coords = [c for x, p in zip(xs, chart.points, strict=False) for c in (x, y(p.value))]
        drawing.add(PolyLine(coords, strokeColor=dark, strokeWidth=2.5))
        for x, point in zip(xs, chart.points, strict=False):
            drawing.add(Circle(x, y(point.value), 3.5, fillColor=dark, strokeColor=dark))
        last = chart.points[-1]
        drawing.add(
            String(
                xs[-1] + 8,
                y(last.value) - 4,
                format_value(last.value, chart.unit),
                fontName=BOLD,
                fontSize=12,
                fillColor=dark,
            )  # fmt: skip
        )
    size = 9 if max(len(s) for s in labels) < 22 else 7.5
    for i, label in enumerate(labels):
        drawing.add(
            String(
                left + slot * i + slot / 2,
                bottom - 16,
                label,
                fontName=FONT,
                fontSize=size,
                fillColor=text,
                textAnchor="middle",
            )  # fmt: skip
        )
    return drawing


# ------------------------------------------------------------------------------ pages


class _SectionMark(Flowable):
    """Zero-size marker: tells the page footer which priority (and sources) the page holds."""

    def __init__(self, label: str, sources: list[str]):
        super().__init__()
        self.label, self.sources = label, sources
        self.width = self.height = 0

    def draw(self):
        pass


class _Doc(BaseDocTemplate):
    def __init__(self, buffer, pack: Pack, styles: dict):
        super().__init__(
            buffer,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=f"{pack.title}: {pack.quarter_display}, {pack.area_name}",
            author="Essex Police Performance Analysis Unit data; OPFCC pack",
            subject=pack.as_at_line,
            lang="en-GB",
        )
        self.pack, self.styles = pack, styles
        self.mark: _SectionMark | None = None
        self.mark_page = 0
        frame = Frame(
            MARGIN, MARGIN + FOOTER_HEIGHT, PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - FOOTER_HEIGHT,
            id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._footer)])

    def afterFlowable(self, flowable):
        if isinstance(flowable, _SectionMark):
            self.mark, self.mark_page = flowable, self.page

    def _footer(self, canvas, doc):
        pack = self.pack
        sources = (
            self.mark.sources
            if self.mark
            else [f"{len(pack.sources)} published documents, listed on the last page"]
        )
        text = (
            f"<b>{_t(pack.as_at_line)}</b> {_t(pack.quarter_display)} · {_t(pack.area_name)}. "
            f"Sources: {_t('; '.join(sources))}"
        )
        para = Paragraph(text, self.styles["small"])
        width = PAGE[0] - 2 * MARGIN - 70
        _, h = para.wrap(width, FOOTER_HEIGHT)
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(MID_GREY))
        canvas.line(
            MARGIN, MARGIN + FOOTER_HEIGHT - 4, PAGE[0] - MARGIN, MARGIN + FOOTER_HEIGHT - 4
        )
        para.drawOn(canvas, MARGIN, MARGIN + FOOTER_HEIGHT - 8 - h)
        if self.mark is not None and self.page != self.mark_page:
            canvas.setFont(FONT, 9)
            canvas.drawRightString(
                PAGE[0] - MARGIN, PAGE[1] - MARGIN + 10, f"{self.mark.label} (continued)"
            )
        canvas.restoreState()


class _NumberedCanvas(rl_canvas.Canvas):
    """Writes "Page n of N" once the number of pages is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 9)
            self.setFillColor(colors.HexColor(TEXT))
            self.drawRightString(
                PAGE[0] - MARGIN, MARGIN + FOOTER_HEIGHT - 16, f"Page {number} of {total}"
            )
            super().showPage()
        super().save()


def _title_page(pack: Pack, s: dict) -> list:
    rows = [
        [Paragraph(_t(section.heading), s["body"]),
         Paragraph(_t(section.counts), s["body"])]
        for section in pack.sections
    ]  # fmt: skip
    contents = Table(rows, colWidths=[150 * mm, 80 * mm], hAlign="LEFT")
    contents.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(MID_GREY)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )  # fmt: skip
    )
    return [
        Paragraph("Essex Police · Police, Fire and Crime Commissioner", s["subtitle"]),
        Spacer(1, 10 * mm),
        Paragraph(_t(pack.title), s["title"]),
        Paragraph(_t(pack.subtitle), s["subtitle"]),
        Spacer(1, 4 * mm),
        Paragraph(_t(pack.as_at_line), s["body"]),
        Spacer(1, 8 * mm),
        Paragraph("Contents", s["h2"]),
        contents,
        Spacer(1, 6 * mm),
        Paragraph(
            "Changes are stated against the same quarter last year and the previous quarter, as "
            "the quarterly updates state them; a change between two figures is not on its own "
            "evidence of improvement or deterioration.",
            s["small"],
        ),
    ]


def _section_page(section: Section, pack: Pack, s: dict, expand: Expander) -> list:
    expand.new_slide()
    story: list = [
        PageBreak(),
        _SectionMark(section.heading, section.sources),
        Paragraph(_t(section.heading), s["h1"]),
        Paragraph(_t(f"{pack.quarter_display} · {pack.area_name}"), s["body"]),
        Spacer(1, 3 * mm),
    ]
    if section.headlines:
        cells = [
            [
                Paragraph(_t(h.value), s["value"]),
                Paragraph(f"{_t(expand(h.label))} {_t(h.period)}", s["body"]),
                Paragraph(
                    "<br/>".join(_t(c) for c in h.comparisons)
                    + (f"<br/>{_t(h.note)}" if h.note else "")
                    + f"<br/>{_t(f'Signal or noise: {h.verdict}.')}",
                    s["body"],
                ),
            ]
            for h in section.headlines
        ]
        table = Table(cells, colWidths=[34 * mm, 110 * mm, 123 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(MID_GREY)),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                ]
            )
        )
        story += [Paragraph("Headline figures", s["h2"]), table]
    else:
        story.append(
            Paragraph(
                "No headline figures were published for this priority in this quarter.", s["body"]
            )
        )
    left: list = []
    if section.chart is not None:
        chart = section.chart
        left = [
            Paragraph(_t(expand(chart.title)), s["h2"]),
            chart_drawing(chart, 120 * mm, 50 * mm),
            Paragraph(_t(expand(chart.summary)), s["small"]),
            Paragraph(_t(f"Signal or noise: {chart.verdict}."), s["small"]),
        ]
    right = [Paragraph("Key points", s["h2"])] + [
        Paragraph(_t(expand(p)), s["point"], bulletText="•") for p in section.key_points
    ]
    if not section.key_points:
        right.append(Paragraph("No updates for this priority in this quarter.", s["body"]))
    if left:
        grid = Table([[left, right]], colWidths=[125 * mm, 142 * mm], hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (0, 0), 0)]))  # fmt: skip
        story += [Spacer(1, 2 * mm), grid]
    else:
        story += right
    story += _comparisons(section, s)
    if section.narrative:
        story += [CondPageBreak(30 * mm), Paragraph("The quarter's updates in full", s["h2"])]
        for line in section.narrative:
            text = _t(expand(line.text))
            if line.area and not line.heading and not starts_with_area(line.text, line.area):
                text = f"<b>{_t(line.area)}:</b> {text}"
            style = ParagraphStyle(
                "n", parent=s["narrative"], leftIndent=12 + 16 * line.level,
                fontName=BOLD if line.heading else FONT,
            )  # fmt: skip
            story.append(Paragraph(text, style, bulletText="–" if line.level else "•"))
    return story


def _comparisons(section: Section, s: dict) -> list:
    """How Essex compares (views/compare.py): each national measure's summary and table."""
    if not section.comparisons:
        return []
    story: list = [
        CondPageBreak(40 * mm),
        Paragraph("How Essex compares with its most similar group of forces", s["h2"]),
        Paragraph(
            _t(
                "National statistics, force-wide: change over 12 months for Essex, each force of "
                "its most similar group of forces, the group's average and England and Wales. "
                + section.comparisons[0].note
            ),
            s["small"],
        ),
    ]
    for c in section.comparisons:
        rows = [[Paragraph(_t(h), s["small"]) for h in c.columns]] + [
            [Paragraph(f"<b>{_t(v)}</b>" if i == 0 else _t(v), s["small"]) for v in row]
            for i, row in enumerate(c.rows)
        ]
        table = Table(rows, colWidths=[70 * mm, 35 * mm, 35 * mm, 30 * mm, 25 * mm],
                      hAlign="LEFT", repeatRows=1)  # fmt: skip
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(MID_GREY)),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                ]
            )
        )
        story.append(
            KeepTogether(
                [
                    Paragraph(_t(c.title), s["body"]),
                    Paragraph(_t(c.summary), s["small"]),
                    table,
                    Paragraph(_t(c.national_note), s["small"]) if c.national_note else Spacer(1, 0),
                    Spacer(1, 2 * mm),
                ]
            )
        )
    return story


def _sources_page(pack: Pack, s: dict) -> list:
    story = [
        PageBreak(),
        _SectionMark("Sources", ["listed on this page"]),
        Paragraph("Sources and notes", s["h1"]),
        Spacer(1, 3 * mm),
    ]
    story += [Paragraph(_t(src), s["point"], bulletText="•") for src in pack.sources]
    story += [
        Spacer(1, 4 * mm),
        KeepTogether(
            [
                Paragraph("About these figures", s["h2"]),
                Paragraph(
                    _t(
                        f"{PROVENANCE} Where a later document restated a figure, the latest is shown."
                    ),
                    s["body"],
                ),
            ]
        ),
    ]
    return story


def render_pdf(pack: Pack) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = _Doc(buffer, pack, styles)
    expand = Expander(pack.glossary)
    story = _title_page(pack, styles)
    for section in pack.sections:
        story += _section_page(section, pack, styles, expand)
    story += _sources_page(pack, styles)
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
