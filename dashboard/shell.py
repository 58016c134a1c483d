"""The persistent shell and its callbacks.

The header, the filter bar and the footer stay mounted. One server callback renders a URL into
the parts of the shell that depend on it (:func:`render_page`): the navigation (links carry the
quarter and area; the current page is marked ``aria-current="page"``), the page's head and body,
its filter bar, the footer, the tab's title and the filters' state. The URL stays the single
source of truth: a link opens the same view, a reload keeps it, back/forward walk the views.

A filter change never waits for the server to build a query string: a clientside callback
(``pcp.filtersToUrl`` in assets/shell.js) writes it into the URL, and the page callback renders
the new view, leaving the filter bar (and the focus in it) alone. The bar is drawn again only
when the page changes or the URL changes from elsewhere (back, forward, a link), so the filters
always show what the URL says. ``pcp.setTitle`` puts the page's title on the browser tab.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from . import ids
from .components import filters as filter_bar
from .components.layout import footer, header, nav_items, notices
from .data.store import DatasetStore
from .pages.base import Context, PageContent
from .pages.common import page_title
from .pages.registry import NAV, PATHS, nav_current, page_for
from .routing import resolve
from .views import views_of
from .views.titles import document_title

log = logging.getLogger(__name__)


def layout() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.DOCUMENT_TITLE),
            dcc.Store(id=ids.FILTER_STATE),
            dcc.Store(id=ids.FILTER_WRITTEN),
            header(NAV),
            html.Main(
                [html.Div(id=ids.PAGE_HEAD), html.Div(id=ids.FILTERS), html.Div(id=ids.PAGE_BODY)],
                id="main",
                tabIndex=-1,
                className="container-fluid page-width",
            ),
            html.Footer(id=ids.FOOTER, className="site-footer"),
        ],
        className="app-shell",
    )


@dataclass
class ShellUpdate:
    """Everything a URL changes in the shell."""

    head: list[Any]
    filters: list[Any]
    body: list[Any]
    nav: list[Any]
    home_href: str
    footer: list[Any]
    title: str
    filter_state: dict | None = field(default=None)


def _message(heading: str, body: list[Any], as_at: str, published: str) -> ShellUpdate:
    """A page that only says something (no data, or a view that failed)."""
    return ShellUpdate(
        head=[page_title(heading)],
        filters=[],
        body=body,
        nav=nav_items(NAV, None, ""),
        home_href="/",
        footer=footer(as_at, published),
        title=document_title(heading),
    )


def render_page(store: DatasetStore, pathname: str | None, search: str | None) -> ShellUpdate:
    """The shell's parts for a URL. Any failure becomes a friendly message, never a traceback."""
    dataset = store.get()
    if dataset is None:
        return _message(
            "No data to show",
            [
                html.P(
                    "The dataset could not be loaded. An administrator can run `pcp-dashboard validate` to see why."
                )
            ],
            "unknown",
            "unknown",
        )
    vm = views_of(dataset)
    as_at, published = vm.as_at(), vm.last_published()
    try:
        route = resolve(pathname, search, dataset, PATHS)
        spec = page_for(route.page)
        context = Context(vm, route, tuple(store.last_problems))
        content: PageContent = spec.layout(context)
        bar, state = filter_bar.build(spec.filters, vm, route, search or "")
        messages = route.problems if route.page != "not-found" else []
        query = route.query()
        return ShellUpdate(
            head=[notices(messages), *content.head],
            filters=bar,
            body=content.body,
            nav=nav_items(NAV, nav_current(spec), query),
            home_href="/" + query,
            footer=footer(as_at, published),
            title=document_title(spec.title(context)),
            filter_state=state,
        )
    except Exception:  # noqa: BLE001 - the browser gets a message, the log gets the traceback
        log.exception("Failed to render %s%s", pathname, search or "")
        return _message(
            "Something went wrong",
            [
                html.P(
                    "This view could not be shown. Try the plan at a glance, or come back later."
                ),
                dcc.Link("Go to the plan at a glance", href="/"),
            ],
            as_at,
            published,
        )


#: What the page callback fills, in order.
PAGE_OUTPUTS = (
    (ids.PAGE_HEAD, "children"),
    (ids.FILTERS, "children"),
    (ids.PAGE_BODY, "children"),
    (ids.NAV, "children"),
    (ids.HOME_LINK, "href"),
    (ids.FOOTER, "children"),
    (ids.DOCUMENT_TITLE, "data"),
    (ids.FILTER_STATE, "data"),
)


def page_request(
    pathname: str | None,
    search: str | None = "",
    *,
    written: str | None = None,
    changed: str = "url.pathname",
) -> dict:
    """The body the browser POSTs to /_dash-update-component for the page callback (for the
    tests and the benchmark that call it over HTTP)."""
    return {
        "output": "...".join(f"{i}.{p}" for i, p in PAGE_OUTPUTS).join(("..", "..")),
        "outputs": [{"id": i, "property": p} for i, p in PAGE_OUTPUTS],
        "inputs": [
            {"id": ids.URL, "property": "pathname", "value": pathname},
            {"id": ids.URL, "property": "search", "value": search},
        ],
        "changedPropIds": [changed],
        "state": [{"id": ids.FILTER_WRITTEN, "property": "data", "value": written}],
    }


def register_callbacks(app: Dash, store: DatasetStore) -> None:
    @app.callback(
        *(Output(i, p) for i, p in PAGE_OUTPUTS),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        State(ids.FILTER_WRITTEN, "data"),
    )
    def render(pathname: str | None, search: str | None, written: str | None) -> tuple:
        update = render_page(store, pathname, search)
        # The filter bar wrote this query string itself: it already shows it, and drawing it
        # again would take the focus away from the filter someone is using.
        keep_bar = "url.pathname" not in ctx.triggered_prop_ids and written == (search or "")
        return (
            update.head,
            no_update if keep_bar else update.filters,
            update.body,
            update.nav,
            update.home_href,
            update.footer,
            update.title,
            update.filter_state,
        )

    app.clientside_callback(
        ClientsideFunction(namespace="pcp", function_name="filtersToUrl"),
        Output(ids.URL, "search"),
        Output(ids.FILTER_WRITTEN, "data"),
        Input({"type": ids.FILTER, "name": ALL}, "value"),
        Input(ids.URL, "search"),
        State(ids.FILTER_STATE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="pcp", function_name="setTitle"),
        Input(ids.DOCUMENT_TITLE, "data"),
    )
