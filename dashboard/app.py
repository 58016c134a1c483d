"""The Dash application: the persistent shell (dashboard/shell.py) over the page table
(dashboard/pages/registry.py), the download routes and /healthz.

The URL is the single source of truth for what is shown: a filter change rewrites the query
string, and the page is rendered from (path, query). So a link opens the same view, a reload
keeps it and back/forward walk through the views.
"""

from __future__ import annotations

from dash import Dash
from flask import Flask, jsonify
from flask.typing import ResponseReturnValue

from . import shell
from .config import Settings
from .config import install as install_settings
from .data.store import DatasetStore
from .data.stores import dataset_store, served_settings
from .export import routes as export_routes
from .resources import assets_dir
from .server import install as install_hardening
from .views import views_of

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


def create_app(settings: Settings | None = None, *, background: bool = False) -> Dash:
    """The app. ``background`` (the served app, ``dashboard.wsgi``): a worker that notices a
    new version loads it, and prepares its views, in a thread of its own while the version in
    hand goes on serving; then one assignment switches (data/store.py). Off, the request that
    notices does the load (what the in-process tests rely on: publish, then read back)."""
    settings = served_settings(settings or Settings.from_env())
    # Code below the entry points reads these (read limits), never the environment.
    install_settings(settings)
    server = Flask(__name__)
    store = dataset_store(settings)  # PCP_STORE: PostgreSQL; else the data folder's files
    # A version's views are prepared before it is served (the shared store too).
    store.on_load = views_of
    server.config["PCP_STORE"] = store
    server.config["PCP_SETTINGS"] = settings

    app = Dash(
        __name__,
        server=server,  # type: ignore[arg-type]  # Dash's hint says bool, it takes a Flask app
        title="Police and Crime Plan",  # until the page callback gives the tab the page's title
        assets_folder=str(assets_dir()),
        # Bootstrap 5.3 CSS is served from assets/ (no CDN: works offline and behind firewalls).
        suppress_callback_exceptions=True,
        update_title=None,  # type: ignore[arg-type]  # None: no "Updating..." in the tab
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
    app.layout = shell.layout()
    shell.register_callbacks(app, store)
    _register_server_routes(server, store)
    export_routes.register_routes(server, store)
    # Security hooks (headers, limits, logging) are installed here, after every route exists.
    install_hardening(app, settings)
    # Dash finishes its own setup on the first request, and with threaded workers two first
    # requests can race (a script request served before its library is registered). One
    # request here, before the worker takes traffic, does that setup once.
    server.test_client().get("/healthz")
    # Only now: the master of a preloaded gunicorn starts no thread before it forks.
    store.background = background
    return app


def _register_server_routes(server: Flask, store: DatasetStore) -> None:
    @server.route("/healthz")
    def healthz() -> ResponseReturnValue:
        dataset = store.get()
        if dataset is None:
            said = {"degraded": store.degraded} if store.degraded else {}
            return jsonify(status="no data", problems=len(store.last_problems), **said), 503
        extra: dict[str, str | None] = {}
        if store.kind != "files":  # the shared store (issue 26): which, and whether it is seen
            extra = {"store": store.kind, "version": dataset.version, "degraded": store.degraded}
        return jsonify(
            status="degraded" if store.degraded else "ok",
            **extra,
            latest_quarter=dataset.latest_quarter,
            observations=int(len(dataset.observations)),
            serving_last_good_data=bool(store.last_problems),
            # Files in the data folder that differ from the live version (edited, missing,
            # added): never published by the server, only by `pcp-dashboard publish`.
            unpublished_files=[p.file for p in store.last_problems] if store.unpublished else [],
        )

    @server.errorhandler(404)
    def not_found_handler(_error: Exception) -> ResponseReturnValue:
        return "Not found", 404

    @server.errorhandler(500)
    def server_error(_error: Exception) -> ResponseReturnValue:
        return "Something went wrong. The error has been logged.", 500
