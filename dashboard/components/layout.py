"""The page shell: skip link, header with navigation, filter bar, notices, footer."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..ids import filter_id
from ..views.text import PROVENANCE_PARTS

NAV = (
    ("/", "Plan at a glance"),
    ("/narrative", "Search updates"),
    ("/present", "Meeting mode"),
    ("/about", "About the data"),
)


def header(current_path: str, query: str) -> html.Header:
    links = []
    for href, text in NAV:
        active = current_path == href or (href != "/" and current_path.startswith(href))
        links.append(
            html.Li(
                dcc.Link(
                    [text, html.Span(" (current page)", className="visually-hidden")]
                    if active
                    else text,
                    href=href + query,
                    className="nav-link" + (" active" if active else ""),
                ),
                className="nav-item",
            )
        )
    return html.Header(
        [
            html.Div(
                [
                    html.P("Essex Police · Police, Fire and Crime Commissioner", className="org"),
                    dcc.Link(
                        "Police and Crime Plan: quarterly performance",
                        href="/" + query,
                        className="site-title",
                    ),
                ],
                className="brand",
            ),
            html.Nav(html.Ul(links, className="nav"), **{"aria-label": "Main"}),
        ],
        className="site-header",
    )


def select(
    name: str,
    label: str,
    options: list[tuple[str, str]],
    value: str | None,
    *,
    hint: str | None = None,
) -> html.Div:
    """A native <select> inside its <label>: keyboard- and screen-reader-friendly."""
    return html.Div(
        html.Label(
            [
                html.Span(label, className="filter-label"),
                dbc.Select(
                    id=filter_id(name),
                    options=[{"label": text, "value": val} for val, text in options],
                    value=value if value is not None else (options[0][0] if options else None),
                    className="filter-select",
                ),
                html.Span(hint, className="filter-hint") if hint else None,
            ]
        ),
        className="filter",
    )


def search_box(name: str, label: str, value: str) -> html.Div:
    return html.Div(
        html.Label(
            [
                html.Span(label, className="filter-label"),
                dbc.Input(
                    id=filter_id(name),
                    type="search",
                    value=value,
                    debounce=True,
                    className="filter-input",
                    placeholder="for example: Operation SCEPTRE",
                ),
            ]
        ),
        className="filter",
    )


def filter_bar(children: list) -> html.Div:
    # A Div with the search landmark, not a <form>: in a form, Enter in the search box submitted
    # it natively, reloading the page at "?" and losing the words and every other filter.
    return html.Div(
        [html.H2("Filters", className="visually-hidden"), *children],
        className="filter-bar",
        role="search",
        **{"aria-label": "Filters for this page"},
    )


def notices(messages: list[str]) -> html.Div | None:
    if not messages:
        return None
    # A plain Div with Bootstrap's alert classes: dbc.Alert takes no `role` and raised a
    # TypeError, so every link with an unknown quarter or area showed "Something went wrong".
    return html.Div(
        [html.H2("About this link", className="h5"), html.Ul([html.Li(m) for m in messages])],
        className="alert alert-warning notice",
        role="status",
    )


def footer(as_at: str, updated: str) -> html.Footer:
    return html.Footer(
        [
            html.P(f"Data as at {as_at}. Latest source published {updated}."),
            html.P(
                [
                    PROVENANCE_PARTS[0],
                    dcc.Link(PROVENANCE_PARTS[1], href="/about"),
                    PROVENANCE_PARTS[2],
                    " ",
                    dcc.Link("Accessibility statement", href="/about#accessibility"),
                    ".",
                ]
            ),
        ],
        className="site-footer",
    )
