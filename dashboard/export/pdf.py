"""The PDF pack: a tagged, accessible PDF (PDF/UA-1) made from HTML and the print stylesheet.

The pack is written as one HTML document (:func:`pack_html`: headings in order, tables with
header cells, lists, each chart an SVG picture with the chart's summary as its alternative
text, the document's language and title) and printed by WeasyPrint with ``assets/print.css``,
the stylesheet every dashboard page prints with. WeasyPrint's ``pdf/ua-1`` variant tags the PDF:
a structure tree (H1, H2, H3, P, L/LI, Table/TR/TH/TD, Figure with Alt), the reading order of
the HTML, the language (``/Lang en-GB``) and the title shown in the window's title bar. Page
furniture ("Data as at", the sources, "Page n of N") is drawn in the page margins from the
document's own text (CSS ``string-set``), so every page carries it.

Why not reportlab, as before: it wrote no structure tree, so a screen reader got a bag of text;
WeasyPrint's tagging is its own and checked here with pikepdf (tests/integration/test_export_files.py).
A whole pack takes about a second (benchmarks/bench_export.py).
"""

from __future__ import annotations

import base64
from functools import lru_cache
from html import escape

from ..figures.svg import chart_svg
from ..resources import assets_dir
from ..views import Chart, Pack, Section
from ..views.narrative import Expander, starts_with_area
from ..views.text import PROVENANCE

ORG = "Essex Police · Police, Fire and Crime Commissioner"


def _e(text: object) -> str:
    """Text from the data, always escaped: it is placed as text, never as markup."""
    return escape(str(text), quote=True)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return (assets_dir() / "print.css").read_text(encoding="utf-8")


def chart_image(chart: Chart, *, width: float = 40.0, height: float = 16.0) -> str:
    svg = chart_svg(chart.points, chart.unit, chart.kind, width=width, height=height, font=1.3)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _figures(section: Section, expand: Expander) -> str:
    if section.missing:
        return f'<p class="pack-none">{_e(section.missing)}</p>'
    if not section.headlines:
        return (
            '<p class="pack-none">No figures were chosen or published for this priority in '
            "this quarter.</p>"
        )
    rows = []
    for h in section.headlines:
        changes = "<br>".join(_e(c) for c in h.comparisons) or "–"
        notes = [h.change, h.note, expand(h.caveat) if h.caveat else ""]
        extra = "".join(f"<br>{_e(n)}" for n in notes if n)
        rows.append(
            "<tr>"
            f'<th scope="row">{_e(expand(h.label))} {_e(h.period)}</th>'
            f'<td class="num">{_e(h.value)}</td>'
            f"<td>{changes}</td>"
            f"<td>{_e(h.direction)}. {_e(h.plain)}.{extra}</td>"
            "</tr>"
        )
    return (
        # In a block that is not split: WeasyPrint may otherwise leave the caption alone at the
        # foot of a page and the table on the next.
        '<div class="pack-figures-block"><table class="pack-figures"><caption>Figures</caption>'
        "<thead><tr>"
        '<th scope="col">Figure</th><th scope="col">Value</th>'
        '<th scope="col">Compared with earlier</th><th scope="col">What it means</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _chart(chart: Chart, expand: Expander) -> str:
    caption = f"{chart.plain}." + (f" {chart.caveat}" if chart.caveat else "")
    return (
        '<figure class="pack-chart">'
        f'<img src="{chart_image(chart)}" alt="{_e(chart.summary)}">'
        f"<figcaption><strong>{_e(expand(chart.title))}</strong> {_e(expand(caption))}"
        "</figcaption></figure>"
    )


def _changes(section: Section, expand: Expander) -> str:
    changes = section.changes
    if changes is None:
        return ""
    items = [f"<li>{_e(expand(line))}</li>" for line in changes.detail_lines]
    body = f"<ul>{''.join(items)}</ul>" if items else ""
    if changes.new:
        listed = "; ".join(expand(f.text) for f in changes.new)
        body += f'<p class="pack-new"><strong>New figures:</strong> {_e(listed)}.</p>'

    return (
        f'<div class="pack-since"><p><strong>{_e(changes.heading)}:</strong> '
        f"{_e(changes.summary)}.</p>{body}</div>"
    )


def _narrative(section: Section, expand: Expander) -> str:
    if not section.narrative:
        return "<p>No updates for this priority in this quarter.</p>"
    html, depth = [], 0
    for line in section.narrative:
        while depth < line.level + 1:
            html.append("<ul>" if depth == 0 else "<li class='pack-sub'><ul>")
            depth += 1
        while depth > line.level + 1:
            html.append("</ul>" if depth == 1 else "</ul></li>")
            depth -= 1
        text = _e(expand(line.text))
        if line.area and not line.heading and not starts_with_area(line.text, line.area):
            text = f"<strong>{_e(line.area)}:</strong> {text}"
        cls = ' class="pack-heading-item"' if line.heading else ""
        html.append(f"<li{cls}>{text}</li>")
    while depth:
        html.append("</ul>" if depth == 1 else "</ul></li>")
        depth -= 1
    return f'<div class="pack-narrative">{"".join(html)}</div>'


def _comparisons(section: Section) -> str:
    """How Essex compares (views/compare.py): each national measure's summary and its table
    (real table headers, so the tagged PDF reads them as a table)."""
    if not section.comparisons:
        return ""
    parts = [
        "<h3>How Essex compares with its most similar group of forces</h3>",
        '<p class="pack-context">National statistics, force-wide: change over 12 months for '
        "Essex, each force of its most similar group of forces, the group's average and England "
        f"and Wales. {_e(section.comparisons[0].note)}</p>",
    ]
    for c in section.comparisons:
        head = "".join(f'<th scope="col">{_e(h)}</th>' for h in c.columns)
        body = "".join(
            f'<tr><th scope="row">{_e(row[0])}</th>'
            + "".join(f'<td class="num">{_e(v)}</td>' for v in row[1:])
            + "</tr>"
            for row in c.rows
        )
        note = f"<p>{_e(c.national_note)}</p>" if c.national_note else ""
        parts.append(
            '<div class="pack-figures-block">'
            f"<p><strong>{_e(c.title)}.</strong> {_e(c.summary)}</p>"
            f'<table class="pack-figures"><caption>{_e(c.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>"
        )
    return "".join(parts)


def _section(section: Section, pack: Pack, expand: Expander) -> str:
    expand.new_slide()
    points = "".join(f"<li>{_e(expand(p))}</li>" for p in section.key_points) or (
        "<li>No updates for this priority in this quarter.</li>"
    )
    sources = "; ".join(section.sources) or "none"
    return (
        '<section class="pack-priority">'
        f'<h2 class="pack-h2">{_e(section.heading)}</h2>'
        f'<p class="pack-context">{_e(pack.quarter_display)} · {_e(pack.area_name)} · '
        f"{_e(section.counts)}</p>"
        f'<p class="pack-sources-line">Sources: {_e(sources)}</p>'
        f"{_changes(section, expand)}"
        f"{_figures(section, expand)}"
        f"{_chart(section.chart, expand) if section.chart is not None else ''}"
        f'<h3>Key points</h3><ul class="pack-points">{points}</ul>'
        f"{_comparisons(section)}"
        f"<h3>The quarter's updates in full</h3>{_narrative(section, expand)}"
        "</section>"
    )


def pack_html(pack: Pack) -> str:
    """The whole pack as one HTML document (text escaped), styled by assets/print.css."""
    expand = Expander(pack.glossary)
    contents = "".join(
        f'<tr><th scope="row">{_e(s.heading)}</th><td>{_e(s.counts)}</td></tr>'
        for s in pack.sections
    )
    since = ""
    if pack.changes is not None:
        since = f'<p class="pack-since-line"><strong>{_e(pack.changes.heading)}:</strong> {_e(pack.changes.summary)}.</p>'
    title = f"{pack.title}: {pack.quarter_display}, {pack.area_name}"
    sections = "".join(_section(s, pack, expand) for s in pack.sections)
    sources = "".join(f"<li>{_e(s)}</li>" for s in pack.sources)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title>"
        '<meta name="author" content="Essex Police Performance Analysis Unit data; OPFCC pack">'
        f'<meta name="description" content="{_e(pack.as_at_line)}">'
        '</head><body class="pack">'
        '<section class="pack-cover">'
        f'<p class="pack-org">{_e(ORG)}</p>'
        f'<h1 class="pack-h1">{_e(pack.title)}</h1>'
        f'<p class="pack-subtitle">{_e(pack.subtitle)}</p>'
        f'<p class="pack-asat">{_e(pack.as_at_line)}</p>'
        f'<p class="pack-sources-line">Sources: {len(pack.sources)} published '
        f"document{'s' if len(pack.sources) != 1 else ''}, listed on the last page</p>"
        f"{since}"
        '<table class="pack-contents"><caption>Contents</caption><thead><tr>'
        '<th scope="col">Priority</th><th scope="col">Figures and updates</th></tr></thead>'
        f"<tbody>{contents}</tbody></table>"
        '<p class="pack-small">Changes are stated against the same quarter last year and the '
        "previous quarter, as the quarterly updates state them; a change between two figures "
        "is not on its own evidence of improvement or deterioration. “What it means” says "
        "whether a figure shows a real change or the usual ups and downs; the statistical "
        "detail is on each figure's page of the dashboard.</p>"
        "</section>"
        f"{sections}"
        '<section class="pack-end">'
        '<h2 class="pack-h2">Sources and notes</h2>'
        '<p class="pack-sources-line">Sources: listed on this page</p>'
        f"<ul>{sources}</ul>"
        "<h3>About these figures</h3>"
        f"<p>{_e(PROVENANCE)} Where a later document restated a figure, the latest is shown.</p>"
        "</section>"
        "</body></html>"
    )


def render_pdf(pack: Pack) -> bytes:
    """The tagged PDF (PDF/UA-1) of the pack."""
    from weasyprint import CSS, HTML

    html = pack_html(pack)
    return HTML(string=html, base_url=str(assets_dir())).write_pdf(
        stylesheets=[CSS(string=stylesheet())],
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=False,
    )
