"""Response headers: a Content-Security-Policy and Cache-Control on HTML and JSON.

The policy allows scripts from the app itself and, inline, only Dash's own renderer script (by
its hash: ``app.csp_hashes()``); the app's scripts live in assets/. Styles may be inline:
Plotly and React set them. Downloads and assets keep the caching they set themselves.
"""

from __future__ import annotations

from dash import Dash
from flask import Response

#: Directives besides script-src, the same for every response.
POLICY = {
    "default-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}


def policy(script_hashes: list[str]) -> str:
    directives = {"script-src": ["'self'", *script_hashes], **POLICY}
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def install(app: Dash) -> None:
    server = app.server
    computed: dict[str, str] = {}

    def csp() -> str:
        # Computed at the first response, after every callback (and so every inline script
        # Dash may add for one) has been registered.
        if "value" not in computed:
            computed["value"] = policy(list(app.csp_hashes()))
        return computed["value"]

    @server.after_request
    def security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = csp()
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if "Cache-Control" not in response.headers:
            if response.mimetype == "text/html":
                # The page is the same for everyone, but must be asked for again each time.
                response.headers["Cache-Control"] = "no-cache"
            elif response.mimetype == "application/json":
                # Layouts, callback answers and health reflect the live dataset version.
                response.headers["Cache-Control"] = "no-store"
        return response
