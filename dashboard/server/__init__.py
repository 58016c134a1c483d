"""Server hardening, installed on the app by one call in ``create_app``: ``install(app, settings)``.

Each concern is a small module of its own: headers (Content-Security-Policy, Cache-Control),
limits (request body size, dev-tools routes, component-suite paths), callbacks (the shape of
every callback request, checked before Dash's dispatcher sees it) and logs (timestamped,
structured lines for dataset and request events). Nothing here knows which callbacks or pages
the app has: it reads them from the app itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import callbacks, headers, limits, logs

if TYPE_CHECKING:
    from dash import Dash

    from ..config import Settings


def install(app: Dash, settings: Settings) -> None:
    """Harden ``app`` (its Flask server) for production; dev tools only when settings.debug."""
    app.server.config["PCP_SETTINGS"] = settings
    logs.configure(app.server)
    limits.install(app, settings)
    callbacks.install(app)
    headers.install(app)
    # Load the dataset now that its log events have somewhere structured to go (the store is
    # lazy: without this the first request would load it).
    store = app.server.config.get("PCP_STORE")
    if store is not None:
        store.get()
