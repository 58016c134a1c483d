"""Unknown addresses: a friendly message and a way back, never a blank page or a traceback."""

from __future__ import annotations

from dash import dcc, html

from .base import Context, PageContent
from .common import page_title


def title(ctx: Context) -> str:
    return "Page not found"


def layout(ctx: Context) -> PageContent:
    return PageContent(
        head=[page_title("We could not find that page")],
        body=[
            html.Ul([html.Li(m) for m in ctx.route.problems]),
            html.P(
                [
                    dcc.Link("Go to the plan at a glance", href="/"),
                    " or ",
                    dcc.Link("search the updates", href="/narrative"),
                    ".",
                ]
            ),
        ],
    )
