"""'Meeting mode' and 'Download pack' links for the current quarter and area.

Plain links (not buttons that run callbacks): they work without JavaScript, can be copied into an
email, and the server builds the file on request (dashboard/export/routes.py).
"""

from __future__ import annotations

from dataclasses import replace

from dash import dcc, html

from ..export import formats
from ..routing import Route, build_query
from .layout import attrs


def paper_links(query: str) -> list:
    """'PDF, PowerPoint, Excel, CSV': each format's /download/pack link, for a meeting's papers
    (the meeting builder, meeting mode)."""
    links: list = []
    for index, fmt in enumerate(formats.formats()):
        links += [", " if index else "", html.A(fmt.label, href=pack_href(fmt, query))]
    return links


def pack_href(fmt: formats.ExportFormat, query: str) -> str:
    return f"/download/pack.{fmt.extension}{query}"


def pack_links(route: Route, *, compact: bool = False) -> html.Div:
    """Links to /download/pack.<format> for the route's quarter and area."""
    query = build_query(route)
    links: list = []
    for index, fmt in enumerate(formats.formats()):
        if index:
            links.append(", " if compact else " · ")
        links.append(
            html.A(
                fmt.label,
                href=pack_href(fmt, query),
                title=fmt.description,
                className="pack-link",
                **attrs({} if compact else {"aria-label": f"{fmt.label}: {fmt.description}"}),
            )
        )
    return html.Div(
        [html.Span("Download pack: ", className="pack-label"), *links],
        className="pack-links" + (" compact" if compact else ""),
    )


def pack_menu(route: Route) -> html.Details:
    """The pack's formats behind one disclosure: one Tab stop on the way to the page's content,
    not one per format (the links are the same as :func:`pack_links`)."""
    return html.Details(
        [html.Summary("Download pack", className="pack-label"), pack_links(route)],
        className="pack-menu",
    )


def meeting_and_downloads(route: Route, quarter: str | None, area: str) -> html.Div:
    """The control for the overview and priority pages: present this view, or take it away.
    The links name the quarter shown and the area (also when the page's URL left them to the
    defaults), so they open the same papers after a newer quarter is imported."""
    route = replace(route, quarter=quarter or route.quarter, area=route.area or area)
    return html.Div(
        [
            dcc.Link(
                "Present in meeting mode",
                href="/present" + build_query(route),
                className="btn btn-outline-primary meeting-link",
            ),
            pack_menu(route),
        ],
        className="downloads-bar",
    )
