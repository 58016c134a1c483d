"""Real HTML tables (a caption, column headers, row headers with scopes), sent as ONE component.

A table of a few hundred cells built from Dash components is a few hundred components in the
page's answer, and the browser's cost of an answer grows with its components (dash-renderer
subscribes each one to its store). So a table is one ``<div data-table="...">`` whose one
property holds the caption, the headers and the rows as JSON; ``assets/lazy.js`` builds the
``<table>`` from it (``<caption>``, ``<th scope="col">``, ``<th scope="row">``, figures aligned
right) when it is on the page, or when its ``<details>`` is opened for one that starts closed.
A long table shows ``page_size`` rows at a time with Previous and Next buttons and a status
line that screen readers announce.

A cell is text, or a :class:`Link` (a link to another view, followed without reloading).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import html

from .layout import attrs

#: Rows shown at a time when a table is longer (the rest one button away).
PAGE_SIZE = 25


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def _cell(value: object) -> Any:
    if isinstance(value, Link):
        return {"text": value.text, "href": value.href}
    return "" if value is None else str(value)


def table_data(
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    row_headers: bool = True,
    page_size: int | None = PAGE_SIZE,
) -> dict:
    """What the table's one property carries (plain JSON-ready data)."""
    return {
        "caption": caption,
        "columns": list(columns),
        "rows": [[_cell(v) for v in row] for row in rows],
        "rowHeaders": row_headers,
        "pageSize": page_size,
    }


def encode_table(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def table_island(
    encoded: str,
    *,
    id: str | None = None,  # noqa: A002 - Dash's name for it
    collapsed: str | None = None,
    links: tuple[str, list[tuple[str, str]]] | None = None,
) -> html.Div:
    """The one component a table is: its data (:func:`encode_table`) in one property. With
    ``collapsed``, the table sits in a ``<details>`` whose summary says that (built by
    assets/lazy.js, the table when it is opened). ``links`` (words, then (text, href) pairs)
    follow it in a paragraph: a chart's image downloads."""
    extra: dict[str, str] = {"id": id} if id else {}
    if collapsed:
        extra["data-collapsed"] = collapsed
    if links:
        extra["data-links"] = json.dumps([links[0], [list(pair) for pair in links[1]]])
    return html.Div(className="table-island", **attrs({"data-table": encoded, **extra}))


def data_table(
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    row_headers: bool = True,
    page_size: int | None = PAGE_SIZE,
    collapsed: str | None = None,
) -> html.Div:
    """The table as one component (see the module docstring)."""
    data = table_data(caption, columns, rows, row_headers=row_headers, page_size=page_size)
    return table_island(encode_table(data), collapsed=collapsed)
