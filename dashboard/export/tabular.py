"""CSV and XLSX: the meeting's figures as the slides show them, and the observations behind
them with their provenance.

The XLSX opens on a readable summary ("Summary": each priority's figures as the slides show
them, with headings, units, comparisons and what they mean in plain words, then its key points
and what changed since the last meeting), then the data ("Observations"), then "About". The CSV
is the data alone. In the data, one row per published value (current, superseded or republished
unchanged), for every series the dashboard shows for the quarter and area. Both writers pass
every cell through :func:`safe_cell`, so a text that starts with = + - @ (or a tab/carriage
return) cannot run as a formula in a spreadsheet; numbers stay numbers. The XLSX is written with openpyxl and contains no formulas at all.
"""

from __future__ import annotations

import csv
import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..views import Pack, ViewModel
from ..views.evidence import revision_status

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
    ("revision", "Current, superseded or republished unchanged"),
    ("source_id", "Source id"),
    ("source_title", "Source title"),
    ("publisher", "Publisher"),
    ("published", "Published"),
    ("source_url", "Source address"),
    ("source_sentence", "Source sentence"),
    ("note", "Note for analysts"),
]

#: How the summary names each unit.
UNITS = {
    "count": "number",
    "percent": "per cent",
    "percent_change": "per cent change",
    "hours": "hours",
    "gbp": "pounds (£)",
    "rate": "rate",
}
SUMMARY_COLUMNS = [
    ("Figure", 52),
    ("Value", 14),
    ("Unit", 16),
    ("Period", 24),
    ("Compared with earlier", 40),
    ("What it means", 60),
    ("Since the last meeting", 34),
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
    """Every published value behind the view (current, superseded, republished unchanged), with its provenance, in a
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
    latest = {
        (r["metric_id"], r["area_id"], r["basis"], r["period"]): float(r["value"])
        for r in records
        if r["current"]
    }
    rows = []
    for row in records:
        key = (row["metric_id"], row["area_id"], row["basis"], row["period"])
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
                "revision": revision_status(
                    bool(row["current"]), float(row["value"]), latest.get(key)
                ),
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


def _summary(book: Workbook, pack: Pack) -> None:
    sheet = book.active
    sheet.title = "Summary"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([safe_cell(pack.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (pack.subtitle, pack.as_at_line):
        sheet.append([safe_cell(line)])
    if pack.changes is not None:
        sheet.append([safe_cell(f"{pack.changes.heading}: {pack.changes.summary}.")])
    for section in pack.sections:
        sheet.append([])
        sheet.append([safe_cell(section.heading), "", "", safe_cell(section.counts)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append([title for title, _ in SUMMARY_COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        if section.missing:
            sheet.append([safe_cell(section.missing)])
        elif not section.headlines:
            sheet.append(["No figures were chosen or published for this priority in this quarter."])
        for h in section.headlines:
            sheet.append(
                [
                    safe_cell(cell)
                    for cell in (
                        h.label,
                        h.value,
                        UNITS.get(h.unit, h.unit),
                        h.period.removeprefix("in ").removeprefix("at the "),
                        "; ".join(c.lstrip("▲▼▬ ") for c in h.comparisons) or "–",
                        " ".join(
                            x for x in (f"{h.direction}.", f"{h.plain}.", h.note, h.caveat) if x
                        ),
                        h.change,
                    )
                ]
            )
        if section.key_points:
            sheet.append(["Key points"])
            sheet.cell(sheet.max_row, 1).font = bold
            for point in section.key_points:
                sheet.append([safe_cell(point)])
        if section.changes is not None:
            sheet.append([safe_cell(f"{section.changes.heading}: {section.changes.summary}.")])
            sheet.cell(sheet.max_row, 1).font = bold
            for line in section.changes.detail_lines:
                sheet.append([safe_cell(line)])
    for index, (_, width) in enumerate(SUMMARY_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"


def write_xlsx(rows: list[dict], pack: Pack) -> bytes:
    """A summary sheet first, then the observations and an 'About' sheet; no formulas."""
    book = Workbook()
    _summary(book, pack)
    sheet = book.create_sheet("Observations")
    sheet.append([safe_cell(title) for _, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(_plain(row[key])) for key, _ in COLUMNS])
    for ws in book.worksheets:
        for cells in ws.iter_rows():
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
        f"{pack.title}: {pack.subtitle}",
        pack.as_at_line,
        "Summary: the figures as the meeting's slides show them. Observations: one row per "
        "published value. 'Current, superseded or republished unchanged': when a later "
        "document restated a figure, both rows are kept and the later one is current (the "
        "earlier one superseded); a value a later document gave again unchanged is "
        "'republished unchanged'.",
        "Cells that began with = + - or @ start with an apostrophe so they are read as text.",
    ):
        about.append([safe_cell(line)])
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_csv(pack: Pack, vm: ViewModel) -> bytes:
    """The pack's observations (its quarter and area) as CSV: the registry's renderer."""
    return write_csv(observation_rows(vm, pack.quarter, pack.area_id))


def render_xlsx(pack: Pack, vm: ViewModel) -> bytes:
    """The pack's summary, observations and notes as a workbook: the registry's renderer."""
    return write_xlsx(observation_rows(vm, pack.quarter, pack.area_id), pack)
