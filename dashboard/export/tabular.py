"""CSV and XLSX: the observations behind the current view, with their provenance.

One row per published value (current and superseded), for every series the dashboard shows for
the quarter and area. Both writers pass every cell through :func:`safe_cell`, so a text that
starts with = + - @ (or a tab/carriage return) cannot run as a formula in a spreadsheet; numbers
stay numbers. The XLSX is written with openpyxl and contains no formulas at all.
"""

from __future__ import annotations

import csv
import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..views import ViewModel

COLUMNS = [
    ("priority", "Priority"),
    ("metric_id", "Metric id"),
    ("metric_label", "Metric"),
    ("area_id", "Area id"),
    ("area_name", "Area"),
    ("basis", "Basis"),
    ("period", "Period"),
    ("period_label", "Period (as written)"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("status", "Status"),
    ("revision", "Current or superseded"),
    ("source_id", "Source id"),
    ("source_title", "Source title"),
    ("publisher", "Publisher"),
    ("published", "Published"),
    ("source_url", "Source address"),
    ("source_sentence", "Source sentence"),
    ("note", "Note"),
]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell that a spreadsheet will show, never run: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe. Numbers, None and other text are unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return "" if isinstance(value, float) and math.isnan(value) else value
    text = str(value)
    if text.startswith(DANGEROUS):
        return "'" + text
    return text


def observation_rows(vm: ViewModel, quarter: str | None, area: str | None) -> list[dict]:
    """Every published value behind the view (current and superseded), with its provenance, in a
    stable order."""
    quarter = vm.resolve_quarter(quarter)
    area_id = vm.resolve_area(area)
    dataset = vm.dataset
    rows = []
    for view in vm.export_views(quarter, area_id):
        obs = vm.index.observations_of(view.metric_id)
        chosen = obs[
            (obs["area_id"] == view.area_id)
            & (obs["basis"] == view.basis)
            & obs["period"].isin(view.periods)
        ]
        rows += _rows(vm, chosen.to_dict("records"))
    order = {m: i for i, m in enumerate(dataset.metric_index)}
    rows.sort(
        key=lambda r: (
            r["priority"],
            order.get(r["metric_id"], 0),
            r["basis"],
            str(r["period"]),
            r["published"],
        )
    )
    return rows


def _rows(vm: ViewModel, records: list[dict]) -> list[dict]:
    dataset, names = vm.dataset, vm.index.area_names
    rows = []
    for row in records:
        metric = dataset.metric_index[row["metric_id"]]
        source = dataset.source_index.get(row["source_id"], {})
        rows.append(
            {
                "priority": int(metric["priority"]),
                "metric_id": row["metric_id"],
                "metric_label": metric["label"],
                "area_id": row["area_id"],
                "area_name": names.get(row["area_id"], row["area_id"]),
                "basis": row["basis"],
                "period": row["period"],
                "period_label": row["period_label"],
                "value": float(row["value"]),
                "unit": metric["unit"],
                "status": row["status"],
                "revision": "current" if row["current"] else "superseded",
                "source_id": row["source_id"],
                "source_title": source.get("title", ""),
                "publisher": source.get("publisher", ""),
                "published": row["published"],
                "source_url": source.get("url", ""),
                "source_sentence": row["source_sentence"],
                "note": row.get("note") if isinstance(row.get("note"), str) else "",
            }
        )
    return rows


def _plain(value):
    """Whole numbers written without '.0' (507, not 507.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_csv(rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads '£' and '–' correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(title) for _, title in COLUMNS])
    for row in rows:
        writer.writerow([safe_cell(_plain(row[key])) for key, _ in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: list[dict], *, title: str = "", as_at: str = "") -> bytes:
    """One sheet of observations and one 'About' sheet; no formulas anywhere."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Observations"
    sheet.append([safe_cell(title) for _, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(_plain(row[key])) for key, _ in COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # belt and braces: never a live formula
                cell.value = "'" + str(cell.value)
                cell.data_type = "s"
    widths = {"metric_label": 40, "source_title": 48, "source_sentence": 80, "note": 40}
    for index, (key, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, 16)
    for cell in sheet[get_column_letter(COLUMNS.index(("source_sentence", "Source sentence")) + 1)]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    about = book.create_sheet("About")
    for line in (
        title,
        as_at,
        "One row per published value. 'Current or superseded': when a later document restated a "
        "figure, both rows are kept and the later one is current.",
        "Cells that began with = + - or @ start with an apostrophe so they are read as text.",
    ):
        about.append([safe_cell(line)])
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
