"""Real HTML tables: a caption, column headers and row headers with scopes."""

from __future__ import annotations

from dash import html


def data_table(
    caption: str, columns: list[str], rows: list[list[str]], *, row_headers: bool = True
) -> html.Table:
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in columns]))
    body = []
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index == 0 and row_headers:
                cells.append(html.Th(value, scope="row"))
            else:
                cells.append(html.Td(value, className="num" if index else None))
        body.append(html.Tr(cells))
    return html.Table(
        [html.Caption(caption), head, html.Tbody(body)],
        className="table table-sm data-table",
    )
