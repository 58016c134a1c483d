"""What the server will not do: read a large body, answer dev-tools routes in production, or
fail on a component-suite path it does not know."""

from __future__ import annotations

import logging

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, request

from ..config import Settings

log = logging.getLogger(__name__)

#: Routes Dash serves for its dev tools (hot reload); off unless settings.debug.
DEV_ROUTES = ("_reload-hash",)


def plain(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def install(app: Dash, settings: Settings) -> None:
    server = app.server
    limit = int(settings.max_request_mb * 1024 * 1024)
    # Werkzeug enforces this on whatever reads the body (chunked bodies included) ...
    server.config["MAX_CONTENT_LENGTH"] = limit
    prefix = app.config.routes_pathname_prefix or "/"
    dev_paths = {prefix + route for route in DEV_ROUTES}

    @server.before_request
    def refuse_early():
        # ... and a declared length over the limit is refused before a byte is read.
        if request.content_length is not None and request.content_length > limit:
            log.info(
                "request body too large",
                extra={"event": "request_refused", "path": request.path,
                       "length": request.content_length, "limit": limit},
            )  # fmt: skip
            return plain(f"The request is larger than {settings.max_request_mb:g} MB.", 413)
        if not settings.debug and request.path in dev_paths:
            return plain("Not found", 404)
        return None

    @server.errorhandler(DependencyException)
    def unknown_component_file(_error):
        # /_dash-component-suites/<package>/<path> naming no file Dash registered.
        return plain("Not found", 404)

    @server.errorhandler(413)
    def too_large(_error):
        return plain(f"The request is larger than {settings.max_request_mb:g} MB.", 413)
