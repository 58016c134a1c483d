"""Files in, string tables out: CSV (UTF-8, UTF-8 with BOM, Windows-1252) and XLSX.

Every cell is read as text so that validation can report the value exactly as the file holds it.
Wide layouts (one column per quarter) are turned into the long layout here.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import Problem
from .periods import PeriodError, parse_quarter

#: A real table of this dataset is a few hundred kilobytes; anything far larger is a mistake.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_file_bytes() -> int:
    megabytes = os.environ.get("PCP_MAX_FILE_MB")
    return int(float(megabytes) * 1024 * 1024) if megabytes else DEFAULT_MAX_BYTES


@dataclass
class RawTable:
    """A file read as text: a frame of strings plus what was noticed on the way."""

    file: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: Spreadsheet row number of each frame row (header is row 1), after any reshaping.
    rows: list[int] = field(default_factory=list)


def read_table(path: Path) -> RawTable:
    """Read one CSV or XLSX file as text. Problems are reported, never raised."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _failed(name, f"the file cannot be read ({exc.strerror})")
    if size == 0:
        return _failed(name, "the file is empty; expected a header row and at least one data row")
    if size > max_file_bytes():
        return _failed(
            name,
            f"the file is {size / 1e6:,.1f} MB, larger than any real table "
            f"(limit {max_file_bytes() / 1e6:,.0f} MB, set by PCP_MAX_FILE_MB)",
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    else:
        return _failed(name, "expected a .csv or .xlsx file")
    if not table.problems or all(p.severity != "error" for p in table.problems):
        _reshape_wide(table)
    return table


def _failed(name: str, expected: str) -> RawTable:
    return RawTable(name, pd.DataFrame(), [Problem(name, None, None, None, expected)])


def _read_csv(path: Path) -> RawTable:
    name = path.name
    raw = path.read_bytes()
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            return _failed(
                name, "the file is not text in UTF-8 or Windows-1252; save it as CSV UTF-8"
            )
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                "read as Windows-1252 (not UTF-8); characters such as £ kept",
                "notice",
            )
        )
    if "\x00" in text:
        return _failed(name, "the file holds binary data; expected CSV text")
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=False
        )
    except pd.errors.EmptyDataError:
        return _failed(name, "the file is empty; expected a header row and at least one data row")
    except pd.errors.ParserError as exc:
        return _failed(name, f"the file is not valid CSV ({exc})")
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(name, frame, problems, list(range(2, len(frame) + 2)))


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    try:
        workbook = load_workbook(path, data_only=False, read_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        return _failed(
            name, f"the file is not a readable Excel workbook ({exc.__class__.__name__})"
        )
    sheet = workbook.worksheets[0]
    problems: list[Problem] = []
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == 1:
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    str(merged),
                    "merged header cells: give every column its own header cell",
                )
            )
    rows = list(sheet.iter_rows())
    if not rows:
        return _failed(name, "the workbook's first sheet is empty; expected a header row")
    header = ["" if c.value is None else str(c.value).strip() for c in rows[0]]
    while header and header[-1] == "":
        header.pop()
    records: list[list[str]] = []
    row_numbers: list[int] = []
    for row in rows[1:]:
        values = []
        for cell in row[: len(header)]:
            if cell.data_type == "f":
                column = (
                    header[cell.column - 1] if cell.column - 1 < len(header) else cell.column_letter
                )
                problems.append(
                    Problem(
                        name,
                        cell.row,
                        column,
                        str(cell.value),
                        "a formula; paste the values (Paste Special > Values) so the figure is fixed",
                    )
                )
                values.append("")
                continue
            values.append(_cell_text(cell.value))
        values += [""] * (len(header) - len(values))
        if any(v != "" for v in values):
            records.append(values)
            row_numbers.append(row[0].row)
    if any(h == "" for h in header):
        problems.append(
            Problem(name, 1, None, None, "a header cell is empty: every column needs a name")
        )
    frame = pd.DataFrame(records, columns=header, dtype=str)
    return RawTable(name, frame, problems, row_numbers)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: Columns that, with one column per quarter, make an observations table in the wide layout.
WIDE_ID_COLUMNS = ("metric_id", "area_id", "status", "source_id", "source_sentence", "note")


def _reshape_wide(table: RawTable) -> None:
    """One column per quarter (as analysts keep them in Excel) -> one row per value."""
    frame = table.frame
    if "period" in frame.columns or "metric_id" not in frame.columns:
        return
    quarter_columns: dict[str, str] = {}
    for column in frame.columns:
        if column in WIDE_ID_COLUMNS:
            continue
        try:
            quarter_columns[column] = parse_quarter(column).label
        except PeriodError:
            continue
    if not quarter_columns:
        return
    records = []
    rows = []
    id_columns = [c for c in frame.columns if c not in quarter_columns]
    for position, (_, record) in enumerate(frame.iterrows()):
        for column, label in quarter_columns.items():
            value = record[column]
            if str(value).strip() == "":
                continue  # an empty cell is no observation, not a zero
            item = {c: record[c] for c in id_columns}
            item.update({"basis": "", "period": label, "value": value})
            records.append(item)
            rows.append(table.rows[position])
    table.problems.append(
        Problem(
            table.file,
            None,
            None,
            None,
            f"wide layout: {len(quarter_columns)} quarter column(s) turned into {len(records)} row(s); "
            "basis taken from the metric catalogue",
            "notice",
        )
    )
    table.frame = pd.DataFrame(records, columns=[*id_columns, "basis", "period", "value"])
    table.rows = rows
