"""Real HTML tables: a caption, column headers and row headers with scopes."""

from __future__ import annotations

import re

from dash import html

#: Cells that are figures ("82,344", "£5.4m", "11.2%", "–") line up on the right; text stays left.
_FIGURE = re.compile(r"^(–|[-+]?£?\d[\d,]*(\.\d+)?(m|bn)?%?( hours)?)$")


def _is_figure(value: object) -> bool:
    return bool(_FIGURE.match(str(value).strip()))


def data_table(
    caption: str, columns: list[str], rows: list[list[str]], *, row_headers: bool = True
) -> html.Table:
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in columns]))
    body = []
    for row in rows:
        cells: list[html.Th | html.Td] = []
        for index, value in enumerate(row):
            if index == 0 and row_headers:
                cells.append(html.Th(value, scope="row"))
            else:
                cells.append(html.Td(value, className="num" if _is_figure(value) else None))
        body.append(html.Tr(cells))
    return html.Table(
        [html.Caption(caption), head, html.Tbody(body)],
        className="table table-sm data-table",
    )
