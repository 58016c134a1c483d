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

from dash import (
    ALL,
    ClientsideFunction,
    Dash,
    Input,
    Output,
    State,
    ctx,
    dcc,
    html,
    no_update,
    set_props,
)

from . import ids
from .components import filters as filter_bar
from .components.layout import footer, header, nav_items, notices
from .components.patch import as_json, coalesce, diff, updates
from .data.store import DatasetStore
from .pages.base import Context, PageContent
from .pages.common import page_title
from .pages.registry import NAV, PATHS, nav_current, page_for
from .routing import Route, resolve
from .views import ViewModel, views_of
from .views.titles import document_title

log = logging.getLogger(__name__)


def layout() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.DOCUMENT_TITLE),
            dcc.Store(id=ids.FILTER_STATE),
            dcc.Store(id=ids.FILTER_WRITTEN),
            dcc.Store(id=RENDERED),
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
    #: What the browser shows after this answer (see ``patch_from``); None for a message page.
    view: dict | None = field(default=None)
    key: tuple | None = field(default=None, repr=False)
    views: ViewModel | None = field(default=None, repr=False)

    def as_json(self) -> tuple[Any, Any, Any]:
        """Head, body and navigation as the page callback sends them: JSON trees in which every
        component has an id (dashboard/components/patch.py), kept per view and worker."""

        def convert() -> tuple[Any, Any, Any]:
            return as_json(self.head, "h"), as_json(self.body, "b"), as_json(self.nav)

        if self.views is None or self.key is None:
            return convert()
        return self.views.cached("page-json", self.key, convert)


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


def page_key(route: Route, context: Context) -> tuple:
    """Everything a page's content depends on besides the dataset version."""
    return (
        route.page,
        route.subject,
        route.quarter,
        route.area,
        route.priority,
        route.words,
        route.period,
        route.measure,  # /districts: the police.uk measure and how it is ranked
        route.rank_by,
        route.slide,
        route.contrast,
        route.priorities,  # the meeting's choice (dashboard/views/meeting.py)
        route.figures,
        route.since,
        route.text,
        tuple(route.problems),
        tuple(str(p) for p in context.problems) if route.page == "about" else (),
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
        context = Context(vm, route, tuple(store.last_problems), store.unpublished)
        # A page depends only on the dataset version and the view asked for: built once per
        # view and worker, then shared (the components are only read, never changed).
        key = page_key(route, context)
        content: PageContent = vm.cached("page", key, lambda: spec.layout(context))
        bar, state = filter_bar.build(spec.filters, vm, route, search or "")
        messages = route.problems if route.page != "not-found" else []
        query = route.query()
        return ShellUpdate(
            head=[
                notices(messages),
                # Always there, empty without an area: a filter change that names an area
                # patches its children instead of sending the page whole.
                html.Div(filter_bar.area_page_link(spec.filters, vm, route)),
                *content.head,
            ],
            filters=bar,
            body=content.body,
            nav=nav_items(NAV, nav_current(spec), query),
            home_href="/" + query,
            footer=footer(as_at, published),
            title=document_title(spec.title(context)),
            filter_state=state,
            view={"version": vm.version, "pathname": pathname or "/", "search": search or ""},
            key=key,
            views=vm,
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


#: Store: the view the browser shows (dataset version, path, query), so that the next answer
#: for the same page can be a patch (dashboard/components/patch.py).
RENDERED = "rendered-view"

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
    (RENDERED, "data"),
)


def page_request(
    pathname: str | None,
    search: str | None = "",
    *,
    written: str | None = None,
    changed: str = "url.pathname",
    rendered: dict | None = None,
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
        "state": [
            {"id": ids.FILTER_WRITTEN, "property": "data", "value": written},
            {"id": RENDERED, "property": "data", "value": rendered},
        ],
    }


#: More components to update than this and the parts are sent whole: dash-renderer applies each
#: update on its own (every mounted component looks at each), so many small updates cost more
#: than mounting the parts again (assets/lazy.js keeps drawn charts across that).
MAX_UPDATES = 60


def _as_rendered(value: object) -> dict | None:
    """What the browser says it shows, if it is the shape this shell writes (its own store,
    sent back by the browser: anything else, as a hostile request could send, means "unknown",
    and the page is sent whole)."""
    if not isinstance(value, dict):
        return None
    fields = ("version", "pathname", "search")
    if not all(value.get(name) is None or isinstance(value.get(name), str) for name in fields):
        return None
    return value


class _NotShown(Exception):
    """The URL the browser says it shows renders to no page of this dataset version."""


def _shown(store: DatasetStore, update: ShellUpdate, rendered: dict) -> ShellUpdate | None:
    """The shell as rendered for the URL the browser shows, kept per URL (and what else a
    render reads from the store) in the version's cache: a run of filter changes renders each
    URL once, not once as the new view and again as the previous one."""
    assert update.views is not None
    pathname, search = rendered.get("pathname"), rendered.get("search")
    key = (pathname, search, tuple(str(p) for p in store.last_problems), store.unpublished)

    def render() -> ShellUpdate:
        previous = render_page(store, pathname, search)
        if previous.views is not update.views or previous.key is None:
            raise _NotShown  # not kept: another version, or a message page
        return previous

    try:
        return update.views.cached("shown", key, render)
    except _NotShown:
        return None


def _changes(previous: ShellUpdate, update: ShellUpdate) -> dict[str, dict] | None:
    """``{component id: {prop: value}}`` from one page view to the other (head and body), or
    None when it is simpler to send the new parts whole."""
    changes: dict[str, dict] = {}
    for old, new in zip(previous.as_json()[:2], update.as_json()[:2], strict=True):
        operations = diff(old, new)
        found = None if operations is None else updates(new, operations)
        if found is None:
            return None
        changes.update(coalesce(new, found))
    return changes if len(changes) <= MAX_UPDATES else None


def patch_from(store: DatasetStore, rendered: object, update: ShellUpdate) -> tuple:
    """Head, body, navigation and footer for the answer. When the browser shows the same page
    of the same dataset version, only what differs is sent (``set_props`` on the components
    that hold it: nothing else is mounted again) and the outputs are left alone; otherwise the
    new parts are sent whole.

    Both views are kept in the version's cache (a view's JSON per page key, the previous URL's
    render per URL) and so is the patch between them, per pair of page keys: the same change
    made again (another person, or back to an area seen before) costs two look-ups, not a
    render and a diff of two page trees."""
    head, body, nav = update.as_json()
    whole = (head, body, nav, update.footer)
    rendered = _as_rendered(rendered)
    if not rendered or update.view is None or update.views is None or update.key is None:
        return whole
    if rendered.get("version") != update.view["version"]:
        return whole
    previous = _shown(store, update, rendered)
    if previous is None or previous.key is None:
        return whole
    if previous.key[:2] != update.key[:2]:  # another page, or another subject of it
        return whole
    changes = update.views.cached(
        "patch", (previous.key, update.key), lambda: _changes(previous, update)
    )
    if changes is None:
        return whole
    for component_id, props in changes.items():
        set_props(component_id, props)
    # The footer says the same for the whole version; the navigation is a few links.
    return no_update, no_update, nav, no_update


def register_callbacks(app: Dash, store: DatasetStore) -> None:
    # The worker prepares its dataset's views before it takes its first request.
    dataset = store.get()
    if dataset is not None:
        views_of(dataset)

    @app.callback(
        *(Output(i, p) for i, p in PAGE_OUTPUTS),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        State(ids.FILTER_WRITTEN, "data"),
        State(RENDERED, "data"),
    )
    def render(
        pathname: str | None, search: str | None, written: str | None, rendered: object
    ) -> tuple:
        update = render_page(store, pathname, search)
        # The filter bar wrote this query string itself: it already shows it, and drawing it
        # again would take the focus away from the filter someone is using.
        keep_bar = "url.pathname" not in ctx.triggered_prop_ids and written == (search or "")
        try:
            head, body, nav, footer = patch_from(store, rendered, update)
        except Exception:  # noqa: BLE001 - a patch is an optimisation: send the page whole
            log.exception("Could not patch %s%s; sending it whole", pathname, search or "")
            head, body, nav = update.as_json()
            footer = update.footer
        return (
            head,
            no_update if keep_bar else update.filters,
            body,
            nav,
            update.home_href,
            footer,
            update.title,
            update.filter_state,
            update.view,
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
