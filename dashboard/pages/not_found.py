"""Unknown addresses: a friendly message and a way back, never a blank page or a traceback."""

from __future__ import annotations

from dash import dcc, html

from .common import page_title


def layout(messages: list[str]) -> html.Div:
    return html.Div(
        [
            page_title("We could not find that page"),
            html.Ul([html.Li(m) for m in messages]),
            html.P(
                [
                    dcc.Link("Go to the plan at a glance", href="/"),
                    " or ",
                    dcc.Link("search the updates", href="/narrative"),
                    ".",
                ]
            ),
        ]
    )
