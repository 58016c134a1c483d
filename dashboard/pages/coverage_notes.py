"""The notes a page with a quarter gives about what the data hold for it: the quarter is from a
partial copy of its update (and, on a priority's page, the priority is not in that copy), and
newer data exist than the quarter shown, with a link to the newer view
(:mod:`dashboard.views.coverage` says them)."""

from __future__ import annotations

from dash import dcc, html

from ..views.coverage import missing_note, newer_data, partial_note
from .base import Context


def quarter_notes(
    ctx: Context, path: str, *, priority: int | None = None, **newer: object
) -> list[html.Div]:
    """The page head's notes: partial, missing and newer (each only when it applies), in one
    container that is always there, so a filter change keeps the page's shape (only what
    changed is sent: components/patch.py). ``newer``: what else the newer view's link changes
    (the meeting builder: the last meeting)."""
    vm, quarter = ctx.views, ctx.quarter
    notes: list = []
    if text := partial_note(vm, quarter):
        notes.append(html.P(text, className="partial-note", id="partial-note"))
    if priority is not None and (text := missing_note(vm, quarter, priority)):
        notes.append(html.P(text, className="partial-note"))
    found = newer_data(vm, quarter)
    if found is not None:
        href = path + ctx.route.query(quarter=found.quarter, **newer)
        notes.append(
            html.P(
                [f"{found.text} ", dcc.Link(found.link, href=href, id="newer-link")],
                className="newer-note",
                id="newer-note",
            )
        )
    return [html.Div(notes, className="quarter-notes")]
