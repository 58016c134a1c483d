"""The first sheet of an XLSX or ODS workbook, read as text in one streaming pass, with limits.

A workbook is a zip of XML. A small one can unpack to gigabytes (a zip bomb), or hold a million
rows that are only formatted, or one cell of many megabytes; reading it whole, as openpyxl's
normal mode does, took 3.5 GB and 400 s on such files. Here:

- the parts' unpacked sizes are added up from the zip's directory before anything is read
  (and the zip format itself stops a part that is longer than its directory says);
- the sheet's XML is parsed as a stream (lxml iterparse), each row dropped once read;
- reading stops at the first row past ``rows``, a value past column ``columns`` or a cell of
  more than ``cell_chars`` characters, with a message that names the row (and column).

Cells come back as the analyst sees them (``_number_text``: whole numbers without ".0", percent
cells as "93%", dates as YYYY-MM-DD); a formula comes back as :class:`Formula` so the caller can
ask for the values instead.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    unzipped_bytes: int = 100 * _MB
    rows: int = 100_000
    columns: int = 200
    cell_chars: int = 32_767
    #: Cells read, empty ones included: what parsing costs, whatever the bytes (issue 25, 3).
    cells: int = 1_000_000


#: XLSX's own widest row (XFD): a row with more cell elements than this is not a sheet.
XLSX_COLUMNS = 16_384


class LimitReached(Exception):
    """Reading stopped at a limit: ``row``/``column`` say where (None: the whole file);
    ``header`` holds row 1 when it had been read, to name the column."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None):
        super().__init__(message)
        self.row, self.column = row, column
        self.header: list = []


class Unreadable(Exception):
    """Not a workbook this reader understands (the message says why)."""


@dataclass(frozen=True)
class Formula:
    text: str


@dataclass
class Sheet:
    """Non-empty rows as (row number, cells); row 1 (the header) always comes first."""

    title: str
    rows: list[tuple[int, list]] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)
    #: Merged ranges that touch row 1, as "H1:I1".
    merged_header: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def xml_events(stream, tags):
    # huge_tree: one long cell is measured and refused by our own limit with its place,
    # rather than by libxml2's with none. No entities, no network: the XML is only data.
    return etree.iterparse(
        stream,
        events=("start", "end"),
        tag=tags,
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )


def _open_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unreadable(f"not a zip file ({exc})") from exc
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if len(infos) > 10_000 or total > limits.unzipped_bytes:
        archive.close()
        raise LimitReached(
            f"the workbook unpacks to {total / _MB:,.1f} MB in {len(infos):,} parts, more than "
            f"the limit of {limits.unzipped_bytes / _MB:,.0f} MB (PCP_MAX_UNZIPPED_MB); nothing "
            "was read"
        )
    return archive


def _check_length(text: str, limits: Limits, row: int, column: int) -> None:
    if len(text) > limits.cell_chars:
        raise LimitReached(
            f"a cell of {len(text):,} characters, more than the limit of {limits.cell_chars:,}; "
            "reading stopped here",
            row,
            column,
        )


def _too_many_rows(limits: Limits, row: int) -> LimitReached:
    return LimitReached(
        f"more rows than the limit of {limits.rows:,} (PCP_MAX_ROWS), empty formatted rows "
        "included; reading stopped here. Delete the unused rows below the table, or save the "
        "sheet as CSV",
        row,
    )


def _too_many_columns(limits: Limits, row: int, column: int) -> LimitReached:
    return LimitReached(
        f"a value in column {column:,}, past the limit of {limits.columns:,} columns; reading "
        "stopped here",
        row,
        column,
    )


def _keep(sheet: Sheet, number: int, cells: list, limits: Limits) -> None:
    """Store a row that has any value (row 1 always), trailing empty cells dropped."""
    while cells and cells[-1] == "":
        cells.pop()
    if not cells and number != 1:
        return
    if number > limits.rows + 1:
        raise _too_many_rows(limits, number)
    if len(cells) > limits.columns:
        raise _too_many_columns(limits, number, len(cells))
    sheet.rows.append((number, cells))


def _number_text(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.10g}%"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _date_text(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    return value.isoformat()


class _Box:
    """A sheet that may not exist yet (ODS: it starts with the first table)."""

    sheet: Sheet | None = None


@contextmanager
def _header_on(sheet: Sheet | _Box):
    """A LimitReached leaving the block carries the sheet's header row, if read by then."""
    try:
        yield
    except LimitReached as exc:
        current = sheet.sheet if isinstance(sheet, _Box) else sheet
        if current is not None and current.rows and current.rows[0][0] == 1:
            exc.header = current.rows[0][1]
        raise


def drop_read(element) -> None:
    """Free an element once read, and the siblings read before it (iterparse keeps them)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# --- XLSX ---------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = f"{{{_MAIN}}}"
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_DIGITS = re.compile(r"[0-9]{1,9}")


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


def _workbook_sheets(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], bool]:
    """[(sheet title, part name)] in the workbook's order, and whether dates count from 1904."""
    try:
        workbook = etree.fromstring(
            archive.read("xl/workbook.xml"),
            etree.XMLParser(resolve_entities=False, no_network=True),
        )
        rels = etree.fromstring(
            archive.read("xl/_rels/workbook.xml.rels"),
            etree.XMLParser(resolve_entities=False, no_network=True),
        )
    except (KeyError, etree.XMLSyntaxError) as exc:
        raise Unreadable(f"no workbook inside ({exc.__class__.__name__})") from exc
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    sheets = []
    for sheet in workbook.iter(f"{_M}sheet"):
        target = targets.get(sheet.get(f"{{{_REL}}}id"), "")
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        sheets.append((sheet.get("name", "?"), part))
    properties = workbook.find(f"{_M}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    if not sheets:
        raise Unreadable("the workbook has no sheets")
    return sheets, date1904


def _shared_strings(archive: zipfile.ZipFile, limits: Limits) -> list:
    """Each shared string; one longer than the cell limit is kept as its length (an int), so
    that only a cell that uses it is refused."""
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list = []
    with stream:
        for event, element in xml_events(stream, (f"{_M}si",)):
            if event != "end":
                continue
            # A rich-text string is several runs; phonetic guides (rPh) are not shown text.
            text = "".join(
                t.text or "" for t in element.iter(f"{_M}t") if t.getparent().tag != f"{_M}rPh"
            )
            strings.append(text if len(text) <= limits.cell_chars else len(text))
            drop_read(element)
    return strings


def _styles(archive: zipfile.ZipFile) -> list[tuple[bool, bool]]:
    """For each cell style index: (is a percent format, is a date format)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    try:
        root = etree.fromstring(
            archive.read("xl/styles.xml"), etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except (KeyError, etree.XMLSyntaxError):
        return []
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in root.iter(f"{_M}numFmt")}
    styles = []
    cell_xfs = root.find(f"{_M}cellXfs")
    for xf in cell_xfs.iter(f"{_M}xf") if cell_xfs is not None else []:
        number = int(xf.get("numFmtId", 0))
        code = custom.get(number, BUILTIN_FORMATS.get(number, "General")) or "General"
        styles.append(("%" in code, is_date_format(code)))
    return styles


def read_xlsx(path: Path, limits: Limits) -> Sheet:
    """The first sheet of an XLSX workbook (the others are only named)."""
    with _open_zip(path, limits) as archive:
        sheets, date1904 = _workbook_sheets(archive)
        title, part = sheets[0]
        sheet = Sheet(title, other_sheets=[t for t, _ in sheets[1:]])
        strings = _shared_strings(archive, limits)
        styles = _styles(archive)
        _read_xlsx_part(archive, part, sheet, strings, styles, date1904, limits, [0])
    return sheet


def read_xlsx_sheets(path: Path, limits: Limits, wanted) -> list[Sheet]:
    """Every sheet of an XLSX workbook whose title ``wanted(title)`` accepts, in the workbook's
    order, read with the same streaming limits; ``limits.cells`` bounds the cells of all the
    sheets read together (a workbook of many sheets cannot multiply it)."""
    with _open_zip(path, limits) as archive:
        sheets, date1904 = _workbook_sheets(archive)
        titles = [t for t, _ in sheets]
        chosen = [(t, p) for t, p in sheets if wanted(t)]
        strings = _shared_strings(archive, limits) if chosen else []
        styles = _styles(archive) if chosen else []
        budget = [0]
        result = []
        for title, part in chosen:
            sheet = Sheet(title, other_sheets=[t for t in titles if t != title])
            _read_xlsx_part(archive, part, sheet, strings, styles, date1904, limits, budget)
            result.append(sheet)
    return result


def _read_xlsx_part(
    archive: zipfile.ZipFile,
    part: str,
    sheet: Sheet,
    strings: list,
    styles: list,
    date1904: bool,
    limits: Limits,
    budget: list[int],
) -> None:
    """Stream one sheet's XML into ``sheet``; ``budget[0]`` counts the cells read so far."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    try:
        stream = archive.open(part)
    except KeyError as exc:
        raise Unreadable(f"the sheet {sheet.title!r} ({part}) is missing") from exc
    number = 0
    position = 0  # cells read in this row
    cells: list = []
    with stream, _header_on(sheet):
        tags = (f"{_M}row", f"{_M}c", f"{_M}mergeCell")
        for event, element in xml_events(stream, tags):
            tag = element.tag
            if tag == f"{_M}row" and event == "start":
                # Each cell is read and dropped as it ends (a row of twenty million empty
                # cells once took 2.6 GB), and the row numbers must rise (issue 25, 3).
                given = element.get("r")
                previous = number
                number = int(given) if given and _DIGITS.fullmatch(given) else number + 1
                if number <= previous:
                    raise LimitReached(
                        f"row number {number:,} comes after row {previous:,}: the rows of a "
                        "sheet are numbered upwards, so the file is damaged or made by hand; "
                        "reading stopped here. Save the sheet again from Excel, or as CSV",
                        number,
                    )
                if number > limits.rows + 1:
                    raise _too_many_rows(limits, number)
                position, cells = 0, []
                continue
            if event != "end":
                continue
            if tag == f"{_M}c":
                position += 1
                budget[0] += 1
                if budget[0] > limits.cells:
                    raise LimitReached(
                        f"more than {limits.cells:,} cells (empty ones included), the limit "
                        "(PCP_MAX_CELLS); reading stopped here",
                        number,
                        position,
                    )
                if position > XLSX_COLUMNS:
                    raise LimitReached(
                        f"a row of more than {XLSX_COLUMNS:,} cells, Excel's widest (empty "
                        "cells included): not a sheet Excel saved; reading stopped here",
                        number,
                    )
                ref = _CELL_REF.match(element.get("r", ""))
                column = _column_index(ref[1]) if ref else position
                value = _xlsx_cell(
                    element, strings, styles, epoch, from_excel, limits, number, column
                )
                drop_read(element)
                if value == "":
                    continue
                if column > limits.columns:
                    raise _too_many_columns(limits, number, column)
                cells += [""] * (column - len(cells) - 1)
                cells.append(value)
            elif tag == f"{_M}mergeCell":
                ref = element.get("ref", "")
                if re.match(r"^[A-Z]+1:", ref):
                    sheet.merged_header.append(ref)
            elif tag == f"{_M}row":
                _keep(sheet, number, cells, limits)
                drop_read(element)


def _xlsx_cell(cell, strings, styles, epoch, from_excel, limits, row, column):
    kind = cell.get("t", "n")
    formula = cell.find(f"{_M}f")
    raw = cell.findtext(f"{_M}v")
    if formula is not None:
        return Formula("=" + (formula.text or ""))
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in cell.iter(f"{_M}t"))
        _check_length(text, limits, row, column)
        return text.strip()
    if raw is None:
        return ""
    if kind == "s":
        try:
            text = strings[int(raw)]
        except (ValueError, IndexError):
            return ""
        if isinstance(text, int):  # longer than the limit: refused where it is used
            raise LimitReached(
                f"a cell of {text:,} characters, more than the limit of {limits.cell_chars:,}; "
                "reading stopped here",
                row,
                column,
            )
        return text.strip()
    if kind in ("str", "e"):
        _check_length(raw, limits, row, column)
        return raw.strip()
    if kind == "b":
        return "true" if raw.strip() in ("1", "true") else "false"
    if kind == "d":
        return raw.strip()[:10] if raw.strip().endswith("T00:00:00") else raw.strip()
    try:
        value = float(raw)
    except ValueError:
        return raw.strip()
    style = cell.get("s")
    percent, date = (
        styles[int(style)]
        if style and style.isdigit() and int(style) < len(styles)
        else (False, False)
    )
    if date:
        try:
            return _date_text(from_excel(value, epoch))
        except (ValueError, OverflowError):
            return _number_text(value, False)
    return _number_text(value, percent)


# --- ODS ----------------------------------------------------------------------------------------

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
#: Repeats that stay in range: LibreOffice writes the unused rest of a sheet as one row
#: repeated about a million times; empty repeats cost nothing and are only counted.
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")


def _ods_text(paragraph) -> str:
    parts = [paragraph.text or ""]
    for child in paragraph:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1") or 1))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_cell(cell, limits: Limits, row: int, column: int):
    formula = cell.get(f"{_TABLE}formula")
    kind = cell.get(f"{_OFFICE}value-type")
    if formula:
        return Formula(formula.split(":", 1)[-1] if formula.startswith("of:") else formula)
    if kind in ("float", "currency", "percentage"):
        try:
            value = float(cell.get(f"{_OFFICE}value", ""))
        except ValueError:
            value = None
        if value is not None:
            return _number_text(value, kind == "percentage")
    if kind == "date":
        text = cell.get(f"{_OFFICE}date-value", "")
        return text[:10] if text.endswith("T00:00:00") or len(text) == 10 else text
    if kind == "boolean":
        return "true" if cell.get(f"{_OFFICE}boolean-value") == "true" else "false"
    paragraphs = [p for p in cell if p.tag == f"{_TEXT}p"]
    text = "\n".join(_ods_text(p) for p in paragraphs)
    _check_length(text, limits, row, column)
    return text.strip()


def read_ods(path: Path, limits: Limits) -> Sheet:
    with _open_zip(path, limits) as archive:
        try:
            stream = archive.open("content.xml")
        except KeyError as exc:
            raise Unreadable("no content.xml inside (not an OpenDocument spreadsheet)") from exc
        sheet: Sheet | None = None
        depth = 0  # tables inside the first table (a sub-table) are part of it
        number = 0
        with stream, _header_on(sheet_box := _Box()):
            tags = (f"{_TABLE}table", f"{_TABLE}table-row")
            for event, element in xml_events(stream, tags):
                if element.tag == f"{_TABLE}table":
                    if event == "start":
                        if sheet is not None and depth == 0:
                            # A second sheet: only the first is read; stop here.
                            sheet.other_sheets.append(element.get(f"{_TABLE}name", "?"))
                            break
                        if sheet is None:
                            sheet = sheet_box.sheet = Sheet(element.get(f"{_TABLE}name", "?"))
                        depth += 1
                    else:
                        depth -= 1
                    continue
                if event != "end" or sheet is None or depth != 1:
                    continue
                repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1") or 1)
                first = number + 1
                cells = _ods_row(element, limits, first, sheet)
                number += repeat
                if cells:
                    if first > limits.rows + 1 or number > limits.rows + 1:
                        raise _too_many_rows(limits, max(first, limits.rows + 2))
                    for offset in range(repeat):
                        _keep(sheet, first + offset, list(cells), limits)
                elif first == 1:
                    _keep(sheet, 1, [], limits)
                drop_read(element)
    if sheet is None:
        raise Unreadable("the spreadsheet has no sheets")
    return sheet


def _ods_row(row, limits: Limits, number: int, sheet: Sheet) -> list:
    cells: list = []
    column = 0
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1") or 1)
        value = _ods_cell(cell, limits, number, column + 1) if cell.tag == _CELLS[0] else ""
        span = int(cell.get(f"{_TABLE}number-columns-spanned", "1") or 1)
        if number == 1 and span > 1:
            sheet.merged_header.append(
                f"{column_letter(column + 1)}1:{column_letter(column + span)}1"
            )
        if value == "":
            column += repeat
            continue
        if column + repeat > limits.columns:
            raise _too_many_columns(limits, number, max(column + 1, limits.columns + 1))
        cells += [""] * (column - len(cells))
        cells += [value] * repeat
        column += repeat
    return cells
