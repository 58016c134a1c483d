"""Files in, string tables out: CSV (UTF-8, UTF-8 with BOM, Windows-1252), XLSX and ODS.

Every cell is read as text so that validation can report the value exactly as the file holds it.
Wide layouts (one column per quarter) are turned into the long layout here. Nothing in this
module raises on bad input: whatever goes wrong becomes a located :class:`Problem`. Workbooks
are read in one bounded, streaming pass (sheets.py): size on disk, size unpacked, rows, columns
and cell length all have limits (``ReadLimits``, from Settings), and reading stops at the first
one reached with a message that says where.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..config import Settings, installed
from . import sheets
from .errors import Problem
from .files import why_not_readable
from .periods import PeriodError, parse_quarter

_MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file is read at most (Settings: max_file_mb, max_unzipped_mb, ...)."""

    file_bytes: int = 50 * _MB
    sheet: sheets.Limits = field(default_factory=sheets.Limits)

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadLimits:
        return cls(
            file_bytes=int(settings.max_file_mb * _MB),
            sheet=sheets.Limits(
                unzipped_bytes=int(settings.max_unzipped_mb * _MB),
                rows=settings.max_rows,
                columns=settings.max_columns,
                cell_chars=settings.max_cell_chars,
                cells=settings.max_cells,
            ),
        )


def max_file_bytes() -> int:
    """The size limit: ``PCP_MAX_FILE_MB`` megabytes (default 50); a bad setting means the default."""
    return ReadLimits.from_settings(installed()).file_bytes


def _megabytes(size: int) -> str:
    value = size / _MB
    return f"{value:,.1f} MB" if value >= 0.1 else f"{value:,.3f} MB"


@dataclass
class RawTable:
    """A file read as text: a frame of strings plus what was noticed on the way."""

    file: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: Spreadsheet row number of each frame row (header is row 1), after any reshaping.
    rows: list[int] = field(default_factory=list)
    #: True when quarter columns were turned into rows (the basis then comes from the metric).
    wide: bool = False


def read_table(path: Path, limits: ReadLimits | None = None) -> RawTable:
    """Read one CSV, XLSX or ODS file as text. Problems are reported, never raised."""
    name = Path(path).name
    try:
        return _read_table(Path(path), limits or ReadLimits.from_settings(installed()))
    except Exception as exc:  # noqa: BLE001 - a bad file must give a message, never a traceback
        return _failed(
            name,
            f"the file could not be read ({exc.__class__.__name__}: {exc}); expected CSV, "
            "XLSX or ODS",
        )


def _read_table(path: Path, limits: ReadLimits) -> RawTable:
    name = path.name
    if path.is_dir():
        return _failed(name, "a folder, not a file; expected a .csv, .xlsx or .ods file")
    if why := why_not_readable(path):
        return _failed(name, f"{why}; expected a .csv, .xlsx or .ods file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _failed(name, f"the file cannot be read ({exc.strerror})")
    if path.is_dir():
        return _failed(name, "a folder, not a file; expected a .csv, .xlsx or .ods file")
    if size == 0:
        return _failed(name, "the file is empty; expected a header row and at least one data row")
    limit = limits.file_bytes
    if size > limit:
        return _failed(
            name,
            f"the file is {_megabytes(size)}, larger than any real table "
            f"(limit {_megabytes(limit)}, set by PCP_MAX_FILE_MB); nothing was read",
        )
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_workbook(path, sheets.read_xlsx, "Excel workbook", limits.sheet)
    elif suffix == ".ods":
        table = _read_workbook(path, sheets.read_ods, "OpenDocument spreadsheet", limits.sheet)
    elif suffix == ".xls":
        return _failed(name, "an old-style .xls workbook; save it as .xlsx or CSV UTF-8")
    else:
        return _failed(name, "expected a .csv, .xlsx or .ods file")
    header_broken = any(p.severity == "error" and p.row in (None, 1) for p in table.problems)
    if not header_broken:
        _reshape_wide(table)
    return table


def _failed(name: str, expected: str) -> RawTable:
    return RawTable(name, pd.DataFrame(), [Problem.of_file(name, expected)])


def _read_csv(path: Path) -> RawTable:
    name = path.name
    raw = path.read_bytes()
    problems: list[Problem] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _failed(
            name, "the file is UTF-16 text (Excel's 'Unicode Text'); save it as CSV UTF-8"
        )
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
            Problem.of_file(
                name,
                "read as Windows-1252 (not UTF-8); characters such as £ kept",
                "notice",
            )
        )
    if "\x00" in text:
        return _failed(name, "the file holds binary data; expected CSV text")
    if not text.strip():
        return _failed(name, "the file is empty; expected a header row and at least one data row")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            cells = pd.read_csv(
                io.StringIO(text),
                header=None,
                index_col=False,
                dtype=str,
                keep_default_na=False,
                skipinitialspace=False,
                skip_blank_lines=False,
            )
    except pd.errors.EmptyDataError:
        return _failed(name, "the file is empty; expected a header row and at least one data row")
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        detail = str(exc).strip().replace("Error tokenizing data. C error: ", "").rstrip(".")
        return _failed(
            name, f"the file is not valid CSV ({detail}); every row needs the header's columns"
        )
    cells = cells.fillna("")
    header = [str(h).strip() for h in cells.iloc[0]]
    frame = cells.iloc[1:].reset_index(drop=True)
    rows = _csv_row_numbers(text, len(frame))
    frame, header_problems = _tidy_header(name, frame, header)
    problems += header_problems
    frame, rows = _drop_empty_rows(frame, rows)
    return RawTable(name, frame, problems, rows)


def _csv_row_numbers(text: str, records: int) -> list[int]:
    """The line each record starts on (header = 1). Cheap when no cell spans lines."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines == records + 1:
        return list(range(2, records + 2))
    starts = []
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    line = reader.line_num
    for _ in reader:
        starts.append(line + 1)
        line = reader.line_num
    if len(starts) < records:  # pragma: no cover - the two parsers disagree: stay in range
        starts += list(range(len(starts) + 2, records + 2))
    return starts[:records]


def _tidy_header(
    name: str, frame: pd.DataFrame, header: list[str]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Drop empty columns that have no header (trailing commas); report repeated or blank names.

    Columns keep the names as written, except a repeated or blank one, which keeps pandas' own
    unique name ('value.1', 'Unnamed: 3') so that the frame stays usable.
    """
    problems: list[Problem] = []
    keep: list[str] = []
    titles: list[str] = []
    seen: dict[str, int] = {}
    for position, (column, title) in enumerate(zip(frame.columns, header, strict=False)):
        if title == "":
            if (frame[column].str.strip() == "").all():
                continue  # a trailing comma or an unused column: nothing in it
            problems.append(
                Problem(
                    name,
                    1,
                    f"column {position + 1}",
                    None,
                    "a header cell is empty: every column with values needs a name",
                )
            )
            title = f"column {position + 1}"
        elif title in seen:
            problems.append(
                Problem(
                    name,
                    1,
                    title,
                    title,
                    f"the column appears twice (columns {seen[title] + 1} and {position + 1}); "
                    "keep one",
                )
            )
            title = f"{title} (column {position + 1})"
        seen.setdefault(title, position)
        keep.append(column)
        titles.append(title)
    frame = frame[keep].set_axis(titles, axis=1)
    return frame, problems


def _drop_empty_rows(frame: pd.DataFrame, rows: list[int]) -> tuple[pd.DataFrame, list[int]]:
    if frame.empty or len(frame.columns) == 0:
        return frame.reset_index(drop=True), rows[: len(frame)]
    blank = pd.Series(True, index=frame.index)
    for column in range(len(frame.columns)):
        blank &= frame.iloc[:, column].str.strip() == ""
    if not blank.any():
        return frame, rows
    kept = ~blank.to_numpy()
    new_rows = [r for r, k in zip(rows, kept, strict=False) if k]
    return frame[kept].reset_index(drop=True), new_rows


def _read_workbook(path: Path, reader, kind: str, limits: sheets.Limits) -> RawTable:
    """The first sheet of a workbook, streamed with limits, as a table of text."""
    import zipfile

    name = path.name
    try:
        sheet = reader(path, limits)
    except sheets.LimitReached as exc:
        column = None
        if exc.column:
            titled = exc.column <= len(exc.header) and isinstance(exc.header[exc.column - 1], str)
            column = exc.header[exc.column - 1] if titled else ""
            column = column or sheets.column_letter(exc.column)
        return RawTable(name, pd.DataFrame(), [Problem(name, exc.row, column, None, str(exc))])
    except sheets.Unreadable as exc:
        return _failed(name, f"the file is not a readable {kind} ({exc})")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        return _failed(name, f"the file is not a readable {kind} (damaged zip: {exc})")
    except Exception as exc:  # noqa: BLE001 - XML and zip errors alike: a message, not a traceback
        return _failed(name, f"the file is not a readable {kind} ({exc.__class__.__name__})")
    problems: list[Problem] = []
    if sheet.other_sheets:
        problems.append(
            Problem(
                name,
                None,
                None,
                sheet.title,
                f"read the first sheet only ('{sheet.title}'); other sheets ignored",
                "notice",
            )
        )
    for merged in sorted(set(sheet.merged_header)):
        problems.append(
            Problem(
                name,
                1,
                None,
                merged,
                "merged header cells: give every column its own header cell "
                "(Format Cells > Alignment > untick Merge cells)",
            )
        )
    if not sheet.rows:
        return _failed(name, "the workbook's first sheet is empty; expected a header row")
    number, first = sheet.rows[0]
    if number != 1:
        first = []
    header = ["" if isinstance(c, sheets.Formula) else str(c) for c in first]
    while header and header[-1] == "":
        header.pop()
    if not header:
        return _failed(name, "the first row of the sheet is empty; expected a header row")
    records: list[list[str]] = []
    row_numbers: list[int] = []
    for number, cells in sheet.rows[1:] if sheet.rows[0][0] == 1 else sheet.rows:
        values = []
        for position, cell in enumerate(cells[: len(header)]):
            if isinstance(cell, sheets.Formula):
                column = header[position] or sheets.column_letter(position + 1)
                problems.append(
                    Problem(
                        name,
                        number,
                        column,
                        cell.text,
                        "a formula; paste the values (Paste Special > Values) so the figure is fixed",
                    )
                )
                values.append("")
                continue
            values.append(cell)
        values += [""] * (len(header) - len(values))
        if any(v != "" for v in values):
            records.append(values)
            row_numbers.append(number)
    for position, title in enumerate(header):
        if title == "":
            problems.append(
                Problem(
                    name,
                    1,
                    f"column {position + 1}",
                    None,
                    "a header cell is empty: every column needs a name",
                )
            )
    duplicates = {t for t in header if t and header.count(t) > 1}
    for title in sorted(duplicates):
        problems.append(Problem(name, 1, title, title, "the column appears twice; keep one"))
    if any(p.severity == "error" for p in problems if p.row == 1):
        # Columns cannot be told apart: report the header, read no values.
        return RawTable(name, pd.DataFrame(columns=range(len(header))), problems, [])
    frame = pd.DataFrame(records, columns=header, dtype=str)
    return RawTable(name, frame, problems, row_numbers)


#: Columns that, with one column per quarter, make an observations table in the wide layout.
WIDE_ID_COLUMNS = ("metric_id", "area_id", "status", "source_id", "source_sentence", "note")
_QUARTERISH = re.compile(r"(^|\W)(Q|Quarter)\s*\d|\d\s*Q\d", re.I)


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
        except PeriodError as exc:
            if _QUARTERISH.search(str(column)):
                table.problems.append(Problem(table.file, 1, column, column, str(exc)))
            continue
    if not quarter_columns:
        return
    labels = list(quarter_columns.values())
    for label in sorted({lb for lb in labels if labels.count(lb) > 1}):
        same = [c for c, lb in quarter_columns.items() if lb == label]
        table.problems.append(
            Problem(
                table.file,
                1,
                same[1],
                same[1],
                f"names the same quarter ({label}) as column '{same[0]}'; one column per quarter",
            )
        )
    records = []
    rows = []
    id_columns = [c for c in frame.columns if c not in quarter_columns]
    for position, record in enumerate(frame.to_dict("records")):
        for column, label in quarter_columns.items():
            value = record[column]
            if str(value).strip() == "":
                continue  # an empty cell is no observation, not a zero
            item = {c: record[c] for c in id_columns}
            item.update({"period": label, "value": value})
            records.append(item)
            rows.append(table.rows[position])
    table.problems.append(
        Problem.of_file(
            table.file,
            f"wide layout: {len(quarter_columns)} quarter column(s) turned into {len(records)} row(s); "
            "basis taken from the metric catalogue",
            "notice",
        )
    )
    columns = [*id_columns, "period", "value"]
    table.frame = pd.DataFrame(records, columns=columns, dtype=str)
    table.rows = rows
    table.wide = True
