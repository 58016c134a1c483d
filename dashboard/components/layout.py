"""Pieces of the page shell: header with navigation, filter controls, notices, footer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from .. import ids
from ..ids import filter_id
from ..views.text import PROVENANCE_PARTS


def nav_items(links: Sequence[tuple[str, str]], current: str | None, query: str) -> list:
    """The main navigation's items: (href, label) pairs, the current page's link marked with
    aria-current="page".

    Links carry the current quarter and area. dcc.Link cannot carry aria-current, so the current
    page's link is a plain <a> (following it reloads the page it is already on); the others are
    dcc.Links that change the page without reloading it.
    """
    items = []
    for href, text in links:
        link: html.A | dcc.Link
        if href == current:
            link = html.A(
                text,
                href=href + query,
                className="nav-link active",
                **attrs({"aria-current": "page"}),
            )
        else:
            link = dcc.Link(text, href=href + query, className="nav-link")
        items.append(html.Li(link, className="nav-item"))
    return items


def header(links: Sequence[tuple[str, str]]) -> html.Header:
    """The site header: stays mounted; the navigation's items and the title's link follow the
    URL (dashboard/shell.py)."""
    return html.Header(
        [
            html.Div(
                [
                    html.P("Essex Police · Police, Fire and Crime Commissioner", className="org"),
                    dcc.Link(
                        "Police and Crime Plan: quarterly performance",
                        href="/",
                        id=ids.HOME_LINK,
                        className="site-title",
                    ),
                ],
                className="brand",
            ),
            html.Nav(
                html.Ul(nav_items(links, None, ""), id=ids.NAV, className="nav"),
                **attrs({"aria-label": "Main"}),
            ),
        ],
        className="site-header",
    )


def attrs(values: dict[str, str]) -> Any:
    """``aria-*`` and ``data-*`` attributes for a Dash component (``**attrs({...})``): their
    names are not Python identifiers, and Dash's typed signatures do not list them."""
    return values


def select(
    name: str,
    label: str,
    options: list[tuple[str, str]],
    value: str | None,
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
        **attrs({"aria-label": "Filters for this page"}),
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


def footer(as_at: str, updated: str) -> list:
    """The footer's content: data as at, where the figures come from, the accessibility
    statement."""
    return [
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
    ]
