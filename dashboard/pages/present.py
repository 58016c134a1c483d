"""/present: meeting mode. The meeting's slides, for a projector at the back of a room.

The slides are the view model's :class:`~dashboard.views.pack.Pack` for the meeting in the URL
(quarter, area, priorities, figures and the last meeting, as the meeting builder at /meeting
writes them), cut into slides that fit (:mod:`dashboard.views.slides`): the room sees what the
papers say, and a link opens the same deck in another browser. ``slide`` is the slide's number
(0: the title), ``contrast=1`` white and yellow on black, ``text=large`` larger type (more,
shorter slides); a small or zoomed screen switches to larger type by itself (assets/present.js)
unless ``text=standard`` says otherwise.

Keys (assets/present.js): right arrow / Page Down next, left arrow / Page Up previous, Home / End
first / last, Escape back to the dashboard. The script only reads the hrefs this page writes on
the deck (``data-next`` ...), so what a key does is decided here, in Python. Visible Previous /
Next links do the same for mouse, touch and keyboard users.

The site header and footer are hidden by assets/present.css while a deck is on screen (``:has``),
so app.py needs no special case. Text from the data is placed as text, never HTML; the chart is
an SVG picture (figures/svg.py) with the chart's summary as its alternative text.

Every link the deck hands out names its quarter (the one shown, also when the URL left it to the
default), and the papers and "plan the meeting" links name every other choice too (the area,
the priorities and the figures, defaults written out), so they open the same meeting after a
newer quarter is imported. Where newer data exist, the title slide's papers line says so and
links to the newer meeting (its last meeting: this one's quarter).
"""

from __future__ import annotations

import base64
import math
from dataclasses import replace

from dash import dcc, html

from .. import ids
from ..components.downloads import paper_links
from ..components.layout import attrs
from ..figures.svg import chart_svg
from ..routing import Route, build_query
from ..views import Pack, ViewModel
from ..views.coverage import newer_data
from ..views.meeting import Meeting, figure_token
from ..views.slides import LARGE, STANDARD, Geometry, Slide, SlideChart, Tile, deck
from ..views.titles import with_view
from .base import Context, PageContent

#: The title slide's last line: the papers and the builder (written as links, counted as text).
PAPERS = (
    "Papers for this meeting: PDF, PowerPoint, Excel, CSV. Change what is shown: plan the meeting."
)


def papers_line(vm: ViewModel, pack: Pack) -> str:
    """The title and sources slides' last line, as text (measured so the slide fits): the
    papers, and newer data than the deck's quarter when there are any."""
    found = newer_data(vm, pack.quarter)
    return PAPERS + (f" {found.text} {found.link}." if found is not None else "")


def meeting_of(route: Route) -> Meeting:
    return Meeting(route.quarter, route.area, route.priorities, route.figures, route.since)


def geometry(route: Route) -> Geometry:
    return LARGE if route.text == "large" else STANDARD


def slides_of(ctx: Context) -> tuple[Pack, list[Slide]]:
    """The meeting's pack and its slides for the route's type size (cached per dataset)."""
    pack = ctx.views.pack(meeting=meeting_of(ctx.route))
    geo = geometry(ctx.route)
    return pack, ctx.views.cached(
        "deck",
        (pack.meeting.key, geo.name),
        lambda: deck(pack, geo, papers=papers_line(ctx.views, pack)),
    )


def _href(route: Route, slide: int, *, contrast: bool | None = None, text: str | None = "") -> str:
    contrast = route.contrast if contrast is None else contrast
    size = route.text if text == "" else text
    return "/present" + build_query(
        route, slide=slide or None, contrast=contrast or None, text=size
    )


def _exit_href(route: Route, slide: Slide) -> str:
    if slide.number is not None:
        return f"/priority/{slide.number}{build_query(route)}"
    return "/" + build_query(route)


def _same_place(slides: list[Slide], index: int, other: list[Slide]) -> int:
    """The slide of ``other`` (the deck in the other type size) showing the same part."""
    here = slides[index]
    group = [i for i, s in enumerate(other) if (s.kind, s.number) == (here.kind, here.number)]
    if not group:
        return 0
    part = math.floor((here.part - 1) * len(group) / max(here.parts, 1))
    return group[min(part, len(group) - 1)]


def _graph_class(height: float) -> str:
    """The picture's height in half units (assets/present.css: .gh-24 is 12 u ... .gh-38 19 u)."""
    return f"gh-{max(24, min(38, int(height * 2)))}"


def _chart(chart: SlideChart, geo: Geometry, contrast: bool) -> html.Figure:
    svg = chart_svg(
        chart.chart.points,
        chart.chart.unit,
        chart.chart.kind,
        width=geo.chart_width,
        height=math.floor(chart.graph_height * 2) / 2,
        font=geo.size(geo.small),
        contrast=contrast,
    )
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return html.Figure(
        [
            html.H2(chart.title, className="present-chart-title"),
            html.Img(
                src=source,
                alt=chart.chart.summary,
                className=f"present-graph {_graph_class(chart.graph_height)}",
            ),
            html.Figcaption(chart.caption) if chart.caption else None,
        ],
        className="present-chart",
    )


def _tile(tile: Tile) -> html.Div:
    lines = [
        html.P(tile.change, className="present-tag") if tile.change else None,
        *[html.P(c, className="present-change") for c in tile.comparisons],
        html.P(tile.plain, className="present-verdict") if tile.plain else None,
        *[html.P(n, className="present-note") for n in tile.notes],
    ]
    return html.Div(
        [
            html.P(tile.value, className="present-value"),
            html.P(tile.label, className="present-label"),
            *[line for line in lines if line is not None],
        ],
        className="present-figure",
    )


def _priority(slide: Slide, geo: Geometry, route: Route) -> list:
    body: list = []
    if slide.changes:
        body.append(
            html.Div(
                [html.P(slide.changes[0], className="present-changes-lead")]
                + [html.P(line) for line in slide.changes[1:]],
                className="present-changes",
            )
        )
    if slide.tiles:
        body.append(
            html.Div(
                [_tile(t) for t in slide.tiles],
                className=f"present-figures cols-{slide.tile_columns}",
            )
        )
    if slide.shared_note:
        body.append(html.P(slide.shared_note, className="present-shared"))
    chart = _chart(slide.chart, geo, route.contrast) if slide.chart else None
    points = (
        html.Section(
            [
                html.H2(slide.points_heading, className="present-h2"),
                html.Ul([html.Li(p) for p in slide.points], className="present-points"),
            ],
            className="present-keypoints",
            **attrs({"aria-label": slide.points_heading}),
        )
        if slide.points
        else None
    )
    if chart is not None or points is not None:
        body.append(
            html.Div(
                [c for c in (chart, points) if c is not None],
                className="present-body" + (" with-chart" if chart is not None else ""),
            )
        )
    context = slide.context + (
        f" · continued ({slide.part} of {slide.parts})" if slide.continued else ""
    )
    return [
        html.H1(slide.heading, id="present-title", className="present-h1"),
        html.P(context, className="present-context"),
        *body,
    ]


def pinned(ctx: Context, pack: Pack) -> Route:
    """The route with every choice of the meeting written out (what the papers' links carry)."""
    vm = ctx.views
    return replace(
        ctx.route,
        quarter=pack.quarter,
        area=pack.area_id,
        priorities=tuple(s.number for s in pack.sections),
        figures=tuple(
            figure_token(dict(vm.metric(h.metric_id)), h.basis)
            for s in pack.sections
            for h in s.headlines
        ),
    )


def _newer(ctx: Context, pack: Pack) -> list:
    """Newer data than the deck's quarter: said, with a link to the newer meeting (whose last
    meeting is this one's quarter)."""
    found = newer_data(ctx.views, pack.quarter)
    if found is None:
        return []
    href = "/present" + build_query(
        replace(ctx.route, area=pack.area_id, figures=None),
        quarter=found.quarter,
        since=pack.quarter,
        slide=None,
    )
    return [
        " ",
        html.Span(
            [f"{found.text} ", dcc.Link(found.link, href=href, id="newer-link"), "."],
            className="present-newer",
            id="newer-note",
        ),
    ]


def _papers(route: Route, newer: list | None = None) -> html.P:
    query = build_query(route)
    links: list = ["Papers for this meeting: ", *paper_links(query)]
    links += [
        ". Change what is shown: ",
        dcc.Link("plan the meeting", href="/meeting" + query),
        ".",
        *(newer or []),
    ]
    return html.P(links, className="present-intro present-papers")


def _list(slide: Slide, route: Route, newer: list, papers: str) -> list:
    intro = [
        _papers(route, newer) if text == papers else html.P(text, className="present-intro")
        for text in slide.intro
    ]
    return [
        html.H1(slide.heading, id="present-title", className="present-h1 present-list-h1"),
        *intro,
        html.Ul([html.Li(item) for item in slide.items], className="present-items"),
    ]


def _index(route: Route, slides: list[Slide]) -> int:
    return min(max(route.slide, 0), len(slides) - 1)


def title(ctx: Context) -> str:
    pack, slides = slides_of(ctx)
    slide = slides[_index(ctx.route, slides)]
    return with_view(f"Meeting mode: {slide.heading}", pack.quarter, pack.area_name)


def layout(ctx: Context) -> PageContent:
    pack, slides = slides_of(ctx)
    # The deck's own links keep the quarter shown, even when the URL left it to the default.
    route = replace(ctx.route, quarter=pack.quarter)
    geo = geometry(route)
    index = _index(route, slides)
    slide = slides[index]
    last = len(slides) - 1
    content = (
        _priority(slide, geo, route)
        if slide.kind == "priority"
        else _list(slide, pinned(ctx, pack), _newer(ctx, pack), papers_line(ctx.views, pack))
    )
    other_geo = STANDARD if geo is LARGE else LARGE
    other = ctx.views.cached(
        "deck",
        (pack.meeting.key, other_geo.name),
        lambda: deck(pack, other_geo, papers=papers_line(ctx.views, pack)),
    )
    other_index = _same_place(slides, index, other)
    large = geo is LARGE
    exit_href = _exit_href(route, slide)
    nav = html.Nav(
        [
            dcc.Link(
                "◀ Previous",
                href=_href(route, index - 1),
                className="present-button",
                id="present-prev",
            )
            if index > 0
            else html.Span(className="present-spacer"),
            html.P(
                f"Slide {index + 1} of {last + 1}",
                className="present-count",
                **attrs({"aria-live": "polite"}),
            ),
            dcc.Link(
                "Next ▶",
                href=_href(route, index + 1),
                className="present-button",
                id="present-next",
            )
            if index < last
            else html.Span(className="present-spacer"),
            dcc.Link(
                "High contrast: on" if route.contrast else "High contrast: off",
                href=_href(route, index, contrast=not route.contrast),
                className="present-button present-toggle",
                id="present-contrast",
            ),
            dcc.Link(
                "Larger text: on" if large else "Larger text: off",
                href=_href(route, other_index, text="standard" if large else "large"),
                className="present-button present-toggle",
                id="present-text",
            ),
            dcc.Link("Leave (Esc)", href=exit_href, className="present-button", id="present-exit"),
        ],  # fmt: skip
        className="present-nav",
        **attrs({"aria-label": "Slides"}),
    )
    kind = {"title": "title", "sources": "sources"}.get(slide.kind, "priority")
    frame = html.Div(
        [
            html.Section(
                content,
                className=f"present-slide slide-{kind}",
                **attrs({"aria-labelledby": "present-title"}),
            ),
            nav,
        ],
        className="present-frame",
    )
    deck_div = html.Div(
        frame,
        id=ids.PRESENT_DECK,
        className="present"
        + (" present-contrast" if route.contrast else "")
        + (" text-large" if large else ""),
        **attrs(
            {
                # This slide's own address: a key pressed before the slide it asked for has
                # arrived waits for it (assets/present.js).
                "data-here": _href(route, index),
                "data-prev": _href(route, index - 1) if index > 0 else "",
                "data-next": _href(route, index + 1) if index < last else "",
                "data-first": _href(route, 0),
                "data-last": _href(route, last),
                "data-exit": exit_href,
                # A small or zoomed screen takes the larger type, at the same place, unless the
                # URL chose a size (assets/present.js).
                "data-large": _href(route, other_index, text="large")
                if not large and route.text is None
                else "",
            }
        ),
    )
    return PageContent(body=[deck_div])
