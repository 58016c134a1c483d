"""The Dash application: one shell, pages chosen by the URL, filters written back to the URL.

The URL is the single source of truth for what is shown: a filter change rewrites the query
string, and the page is rendered from (path, query). So a link opens the same view, a reload
keeps it and back/forward walk through the views.
"""

from __future__ import annotations

import importlib
import logging
from urllib.parse import parse_qs, urlencode

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from flask import Flask, jsonify

from . import ids
from .components.layout import footer, header, notices
from .config import Settings
from .data.store import DatasetStore
from .pages import about, area, metric, narrative, not_found, overview, priority
from .resources import assets_dir
from .routing import resolve, shown_filters
from .server import install as install_hardening

log = logging.getLogger(__name__)

#: Dash's default wraps its scripts in a <footer>: that made a second "contentinfo" landmark
#: beside the page's own footer (axe: landmark-no-duplicate-contentinfo), so they stand alone.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en-GB">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
{%app_entry%}
{%config%}
{%scripts%}
{%renderer%}
</body>
</html>"""

PAGE_BUILDERS = {
    "overview": overview.layout,
    "priority": priority.layout,
    "metric": metric.layout,
    "area": area.layout,
    "narrative": narrative.layout,
}

#: Modules that add pages or routes of their own (meeting mode, downloads), when present.
OPTIONAL_PAGES = {"present": "dashboard.pages.present"}
OPTIONAL_ROUTES = ("dashboard.export.routes",)


def _optional(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings.from_env()
    server = Flask(__name__)
    store = DatasetStore.from_settings(settings)
    server.config["PCP_STORE"] = store

    app = Dash(
        __name__,
        server=server,
        title="Police and Crime Plan performance",
        assets_folder=str(assets_dir()),
        # Bootstrap 5.3 CSS is served from assets/ (no CDN: works offline and behind firewalls).
        suppress_callback_exceptions=True,
        update_title=None,
        serve_locally=True,
        compress=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {
                "name": "description",
                "content": "Progress on the Police and Crime Plan for Essex, quarter by quarter.",
            },
        ],
    )
    app.index_string = INDEX_STRING
    app.layout = html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            html.Div(id=ids.PAGE, className="app-shell"),
        ]
    )

    pages = dict(PAGE_BUILDERS)
    for name, module_name in OPTIONAL_PAGES.items():
        module = _optional(module_name)
        if module is not None:
            pages[name] = module.layout
            if hasattr(module, "register_callbacks"):
                module.register_callbacks(app)

    @app.callback(
        Output(ids.PAGE, "children"), Input(ids.URL, "pathname"), Input(ids.URL, "search")
    )
    def render(pathname: str | None, search: str | None):
        return render_page(store, pages, pathname, search)

    @app.callback(
        Output(ids.URL, "search"),
        Input({"type": ids.FILTER, "name": ALL}, "value"),
        State(ids.URL, "search"),
        State(ids.URL, "pathname"),
        prevent_initial_call=True,
    )
    def filters_to_url(values, search, pathname=None):
        names = [item["id"]["name"] for item in ctx.inputs_list[0]]
        dataset = store.get()
        if dataset is not None:
            shown = shown_filters(pathname, search, dataset)
            # Filters appearing with a new page hold what the page already shows: that is not
            # a change, and rewriting the URL would render the page twice and pin links to
            # values nobody chose.
            if all(
                (value or "") == shown.get(name, "")
                for name, value in zip(names, values, strict=False)
            ):
                raise PreventUpdate
        new = query_with_filters(search, dict(zip(names, values, strict=False)), store)
        return no_update if new == (search or "") else new

    _register_server_routes(server, store)
    for module_name in OPTIONAL_ROUTES:
        module = _optional(module_name)
        if module is not None:
            module.register_routes(server, store)
    install_hardening(app, settings)
    # Dash finishes its own setup on the first request, and with threaded workers two first
    # requests can race (a script request served before its library is registered). One
    # request here, before the worker takes traffic, does that setup once.
    server.test_client().get("/healthz")
    return app


def query_with_filters(
    search: str | None, values: dict[str, str | None], store: DatasetStore
) -> str:
    """The query string after a filter change; defaults are left out to keep links short."""
    params = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    dataset = store.get()
    for name, value in values.items():
        if value in (None, "", "all") or (
            name == "area" and dataset is not None and value == dataset.force_id
        ):
            params.pop(name, None)
        else:
            params[name] = str(value).strip()
    return "?" + urlencode(params) if params else ""


def render_page(store: DatasetStore, pages: dict, pathname: str | None, search: str | None):
    """The whole shell for a URL. Any failure becomes a friendly message, never a traceback."""
    dataset = store.get()
    if dataset is None:
        return [
            html.Main(
                [
                    html.H1("No data to show"),
                    html.P(
                        "The dataset could not be loaded. An administrator can run `pcp-dashboard validate` to see why."
                    ),
                ],
                id="main",
                tabIndex=-1,
                className="container-fluid page-width",
            )
        ]
    as_at = f"{dataset.data_as_at:%d %B %Y}" if dataset.data_as_at else "unknown"
    try:
        route = resolve(pathname, search, dataset)
        if route.page == "about":
            body = about.layout(dataset, store.last_problems)
        elif route.page in pages:
            body = pages[route.page](dataset, route)
        else:
            body = not_found.layout(route.problems)
        messages = route.problems if route.page != "not-found" else []
        return [
            header(pathname or "/", route.query()),
            html.Main(
                [notices(messages), body],
                id="main",
                tabIndex=-1,
                className="container-fluid page-width",
            ),
            footer(as_at, dataset.last_published or "unknown"),
        ]
    except Exception:  # noqa: BLE001 - the browser gets a message, the log gets the traceback
        log.exception("Failed to render %s%s", pathname, search or "")
        body = html.Div(
            [
                html.H1("Something went wrong"),
                html.P(
                    "This view could not be shown. Try the plan at a glance, or come back later."
                ),
                dcc.Link("Go to the plan at a glance", href="/"),
            ]
        )
        return [
            header("/", ""),
            html.Main(body, id="main", tabIndex=-1, className="container-fluid page-width"),
            footer(as_at, dataset.last_published or "unknown"),
        ]


def _register_server_routes(server: Flask, store: DatasetStore) -> None:
    @server.before_request
    def guard():
        """The one place every request passes: pages, callbacks, downloads and exports.

        The dashboard holds published figures only, so nothing is restricted today; a sign-in
        layer belongs here, and nowhere else.
        """
        return None

    @server.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @server.route("/healthz")
    def healthz():
        dataset = store.get()
        if dataset is None:
            return jsonify(status="no data", problems=len(store.last_problems)), 503
        return jsonify(
            status="ok",
            latest_quarter=dataset.latest_quarter,
            observations=int(len(dataset.observations)),
            serving_last_good_data=bool(store.last_problems),
        )

    @server.errorhandler(404)
    def not_found_handler(_error):
        return "Not found", 404

    @server.errorhandler(500)
    def server_error(_error):
        return "Something went wrong. The error has been logged.", 500
