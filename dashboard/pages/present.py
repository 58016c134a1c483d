"""/present: meeting mode. One priority per slide, for a projector at the back of a room.

Slides come from the same :class:`~dashboard.views.pack.Pack` as the PDF and PowerPoint packs (the
view model's ``pack(quarter, area)``), so the room sees what the papers say. Slide 0 is the title (quarter, area, "data as at"), slides 1
to 7 the priorities, the last the sources. Everything is in the URL
(``/present?quarter=&area=&slide=&contrast=1``): a link opens that slide, and the quarter and area
are those chosen in the dashboard, frozen while presenting (there are no filters here).

Keys (assets/present.js): right arrow / Page Down next, left arrow / Page Up previous, Home / End
first / last, Escape back to the dashboard. The script only reads the hrefs this page writes on
the deck (``data-next`` ...), so what a key does is decided here, in Python. Visible Previous /
Next links do the same for mouse, touch and keyboard users.

The site header and footer are hidden by assets/present.css while a deck is on screen (``:has``),
so app.py needs no special case. Text from the data is placed as text, never HTML.
"""

from __future__ import annotations

from dash import dcc, html

from .. import ids
from ..components.downloads import pack_links
from ..components.layout import attrs
from ..figures.metric import comparison_figure, trend_figure
from ..formatting import format_value
from ..routing import Route, build_query
from ..views import Chart, Pack, Section
from ..views.narrative import Expander
from ..views.text import ONE_VALUE_NOTE, PROVENANCE
from ..views.titles import with_view
from .base import Context, PageContent
from .common import chart_downloads

CONTRAST = {"paper": "#000000", "text": "#FFFFFF", "accent": "#FFDD00", "muted": "#BFBFBF"}
CHART_FONT = 24


def _href(route: Route, slide: int, *, contrast: bool | None = None) -> str:
    contrast = route.contrast if contrast is None else contrast
    return "/present" + build_query(route, slide=slide or None, contrast=contrast or None)


def _exit_href(route: Route, pack: Pack, slide: int) -> str:
    if 1 <= slide <= len(pack.sections):
        return f"/priority/{pack.sections[slide - 1].number}{build_query(route)}"
    return "/" + build_query(route)


def slide_figure(chart: Chart, contrast: bool) -> dict:
    """The dashboard's figure for the chart, restyled for a projector: larger type, every value
    written on the chart (nothing only on hover), no interaction; white on black in contrast mode."""
    builder = comparison_figure if chart.kind == "comparison" else trend_figure
    figure = builder(chart.points, chart.unit, "")
    layout = figure["layout"]
    layout.pop("height", None)
    layout["autosize"] = True
    layout["title"] = {"text": ""}
    layout["font"] = {**layout.get("font", {}), "size": CHART_FONT}
    layout["margin"] = {"l": 90, "r": 40 if chart.kind == "comparison" else 120, "t": 30, "b": 70}
    trace = figure["data"][0]
    values = [format_value(p.value, chart.unit) for p in chart.points]
    if chart.kind == "trend":
        trace["mode"] = "lines+markers+text"
        trace["text"] = values
        trace["textposition"] = "top center"
        layout["annotations"] = []
    trace["textfont"] = {"size": CHART_FONT + 2}
    trace["hoverinfo"] = "skip"
    trace.pop("hovertemplate", None)
    if contrast:
        layout["paper_bgcolor"] = layout["plot_bgcolor"] = CONTRAST["paper"]
        layout["font"]["color"] = CONTRAST["text"]
        trace["textfont"]["color"] = CONTRAST["text"]
        for axis in ("xaxis", "yaxis"):
            layout[axis].update(
                {
                    "linecolor": CONTRAST["text"],
                    "gridcolor": "#555555",
                    "zerolinecolor": CONTRAST["text"],
                }
            )
        if chart.kind == "comparison":
            n = len(chart.points)
            trace["marker"] = {
                "color": [CONTRAST["muted"]] * (n - 1) + [CONTRAST["accent"]],
                "line": {"color": CONTRAST["text"], "width": 1},
            }
        else:
            trace["line"] = {"color": CONTRAST["accent"], "width": 4}
            trace["marker"] = {"size": 12, "color": CONTRAST["accent"]}
    return figure


def _headlines(section: Section, expand: Expander) -> html.Div | html.P:
    if not section.headlines:
        return html.P(
            "No headline figures were published for this priority in this quarter.",
            className="present-none",
        )
    cards = []
    for h in section.headlines[:3]:
        cards.append(
            html.Div(
                [
                    html.P(h.value, className="present-value"),
                    html.P(f"{expand(h.label)} {h.period}", className="present-label"),
                    html.Ul([html.Li(c) for c in h.comparisons], className="present-changes"),
                    html.P(h.note, className="present-note") if h.note else None,
                    html.P(f"{h.direction}. {h.verdict}.", className="present-verdict")
                    if h.verdict
                    else None,
                ],
                className="present-figure",
            )
        )
    return html.Div(cards, className="present-figures")


def _chart(chart: Chart, route: Route, expand: Expander) -> html.Figure:
    title = html.H2(expand(chart.title), className="present-chart-title")
    summary = expand(chart.summary)
    if chart.kind == "card" or len(chart.points) < 2:
        point = chart.points[-1]
        body = html.Div(
            [
                html.P(
                    format_value(point.value, chart.unit, with_unit=True), className="present-big"
                ),
                html.P(point.label, className="present-label"),
                html.P(ONE_VALUE_NOTE),
            ],
            className="present-card",
        )
        return html.Figure([title, body], className="present-chart")
    query = build_query(route)
    return html.Figure(
        [
            title,
            # The graph is a picture for sighted viewers; its words are the caption below.
            html.Div(
                dcc.Graph(
                    figure=slide_figure(chart, route.contrast),
                    config={"staticPlot": True, "responsive": True},
                    className="present-graph",
                ),
                className="present-graph-box",
                **attrs({"aria-hidden": "true"}),
            ),
            html.Figcaption(
                [
                    summary,
                    " ",
                    html.Span(
                        [chart_downloads(chart.metric_id, query, short=True), "."],
                        className="present-chart-links",
                    ),
                ]
            ),
        ],
        className="present-chart",
    )


def _title_slide(pack: Pack) -> list:
    return [
        html.P("Essex Police · Police, Fire and Crime Commissioner", className="present-org"),
        html.H1(pack.title, id="present-title", className="present-h1"),
        html.P(pack.subtitle, className="present-subtitle"),
        html.P(pack.as_at_line, className="present-asat"),
        html.Ol(
            [
                html.Li([section.title, " ", html.Span(section.counts, className="present-counts")])
                for section in pack.sections
            ],
            className="present-contents",
            **attrs({"aria-label": "The plan's seven priorities"}),
        ),
        html.P(
            "Next: right arrow or Page Down. Back: left arrow or Page Up. Leave: Escape.",
            className="present-hint",
        ),
    ]


def _section_slide(section: Section, pack: Pack, route: Route) -> list:
    expand = Expander(pack.glossary)
    points = [html.Li(expand(p)) for p in section.key_points] or [
        html.Li("No updates for this priority in this quarter.")
    ]
    key_points = html.Section(
        [
            html.H2("Key points", className="present-h2"),
            html.Ul(points, className="present-points"),
        ],
        className="present-keypoints",
        **attrs({"aria-label": "Key points"}),
    )
    chart = _chart(section.chart, route, expand) if section.chart is not None else None
    return [
        html.H1(section.heading, id="present-title", className="present-h1"),
        html.P(f"{pack.quarter_display} · {pack.area_name}", className="present-context"),
        _headlines(section, expand),
        html.Div([chart, key_points], className="present-body" + ("" if chart else " no-chart")),
    ]


def _sources_slide(pack: Pack) -> list:
    return [
        html.H1("Sources", id="present-title", className="present-h1"),
        html.Ul([html.Li(s) for s in pack.sources], className="present-sources"),
        html.P(pack.as_at_line, className="present-asat"),
        html.P(PROVENANCE, className="present-note"),
    ]


def _slide(pack: Pack, route: Route) -> int:
    return min(max(route.slide, 0), len(pack.sections) + 1)


def title(ctx: Context) -> str:
    pack = ctx.views.pack(ctx.route.quarter, ctx.route.area)
    slide = _slide(pack, ctx.route)
    if 1 <= slide <= len(pack.sections):
        what = pack.sections[slide - 1].heading
    else:
        what = "Sources" if slide else pack.title
    return with_view(f"Meeting mode: {what}", pack.quarter, pack.area_name)


def layout(ctx: Context) -> PageContent:
    route = ctx.route
    pack = ctx.views.pack(route.quarter, route.area)
    last = len(pack.sections) + 1
    slide = _slide(pack, route)
    if slide == 0:
        content = _title_slide(pack)
    elif slide == last:
        content = _sources_slide(pack)
    else:
        content = _section_slide(pack.sections[slide - 1], pack, route)
    exit_href = _exit_href(route, pack, slide)
    nav = html.Nav(
        [
            dcc.Link(
                "◀ Previous",
                href=_href(route, slide - 1),
                className="present-button",
                id="present-prev",
            )
            if slide > 0
            else html.Span(className="present-spacer"),
            html.P(
                f"Slide {slide + 1} of {last + 1}",
                className="present-count",
                **attrs({"aria-live": "polite"}),
            ),
            dcc.Link(
                "Next ▶",
                href=_href(route, slide + 1),
                className="present-button",
                id="present-next",
            )
            if slide < last
            else html.Span(className="present-spacer"),
            dcc.Link(
                "High contrast: on" if route.contrast else "High contrast: off",
                href=_href(route, slide, contrast=not route.contrast),
                className="present-button present-toggle",
            ),
            pack_links(route, compact=True),
            dcc.Link(
                "Leave meeting mode (Esc)",
                href=exit_href,
                className="present-button",
                id="present-exit",
            ),
        ],  # fmt: skip
        className="present-nav",
        **attrs({"aria-label": "Slides"}),
    )
    deck = html.Div(
        [
            html.Section(
                content,
                className=f"present-slide slide-{'title' if slide == 0 else 'sources' if slide == last else 'priority'}",
                **attrs({"aria-labelledby": "present-title"}),
            ),
            nav,
        ],
        id=ids.PRESENT_DECK,
        className="present" + (" present-contrast" if route.contrast else ""),
        **attrs(
            {
                "data-prev": _href(route, slide - 1) if slide > 0 else "",
                "data-next": _href(route, slide + 1) if slide < last else "",
                "data-first": _href(route, 0),
                "data-last": _href(route, last),
                "data-exit": exit_href,
            }
        ),
    )
    return PageContent(body=[deck])
