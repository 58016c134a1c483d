"""OpenDocument spreadsheets (.ods) read in one bounded, streaming pass.

An .ods file is a zip archive whose ``content.xml`` holds every sheet. A small file can cost
far more than its bytes: a zip bomb, one cell repeated a billion times with
``number-columns-repeated``, or 46 MB of XML stored without compression (pandas with odfpy
took 43 s and 2.3 GB to refuse that one, issue 25). So nothing builds the document in memory:

- before anything is read, from the zip's directory: the file size (PCP_MAX_FILE_MB), that it
  is an OpenDocument spreadsheet, the parts' unpacked size (PCP_MAX_UNZIPPED_MB) and their
  compression ratio;
- ``content.xml`` is parsed as a stream (lxml iterparse, as the XLSX reader in
  ``data/sheets.py``), each cell and row dropped once read, and reading stops with a located
  message at the first limit reached: cells visited, counting what repeats expand to
  (PCP_MAX_CELLS), rows and columns holding values (PCP_MAX_ROWS, PCP_MAX_COLUMNS) and a cell's
  characters (PCP_MAX_CELL_CHARS). Empty repeats (LibreOffice writes the unused rest of a sheet
  as one row repeated a million times) are only counted;
- a caller may keep only the sheets it needs (``keep``, asked once a sheet's first rows are
  read); the others are streamed past, counted but not kept.

Cells come back as pandas' odf reader gave them, which the importer was written against:
numbers from ``office:value`` (an int when whole), dates as Timestamps, text with ``text:s``
spaces and line breaks, covered cells empty unless they hold a value, empty cells None.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from lxml import etree

from ..config import installed
from ..data.errors import Problem
from ..data.readers import ReadLimits
from ..data.sheets import Limits, drop_read, xml_events
from .common import column_letter

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
#: Real editions compress about 10-30 to 1; XML that compresses beyond this is not a table.
MAX_COMPRESSION_RATIO = 200
#: Rows of a sheet read before ``keep`` decides whether the sheet is wanted.
HEAD_ROWS = 30

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_SHEET = f"{_TABLE}table"
_ROW = f"{_TABLE}table-row"
_CELL = f"{_TABLE}table-cell"
_COVERED = f"{_TABLE}covered-table-cell"
_ROWS_REPEATED = f"{_TABLE}number-rows-repeated"
_COLUMNS_REPEATED = f"{_TABLE}number-columns-repeated"

#: What a caller keeps: (sheet name, its first rows) -> whether to read the rest.
Keep = Callable[[str, list[list]], bool]


@dataclass
class Workbook:
    """The sheets read, as frames of cell values (row 0 = the sheet's row 1)."""

    file: str
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Sheets streamed past because ``keep`` did not want them.
    skipped: list[str] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def check_archive(path: Path, limits: ReadLimits | None = None) -> list[Problem]:
    """Problems that make ``path`` unsafe or impossible to read as a spreadsheet (empty: fine),
    from the zip's directory alone."""
    limits = limits or ReadLimits.from_settings(installed())
    name = Path(path).name
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        return [Problem.of_file(name, f"the file cannot be read ({exc.strerror})")]
    if size > limits.file_bytes:
        return [
            Problem.of_file(
                name,
                f"a spreadsheet of at most {limits.file_bytes / 2**20:,.0f} MB (PCP_MAX_FILE_MB); "
                f"this file is {size / 2**20:,.1f} MB, so nothing was read",
            )
        ]
    if not zipfile.is_zipfile(path):
        return [
            Problem.of_file(
                name, "an OpenDocument spreadsheet (.ods: a zip archive); this is not one"
            )
        ]
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_members(name, archive, limits.sheet)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        return [Problem.of_file(name, f"a readable .ods archive ({exc.__class__.__name__}: {exc})")]


def _check_members(name: str, archive: zipfile.ZipFile, limits: Limits) -> list[Problem]:
    members = {info.filename: info for info in archive.infolist()}
    if "mimetype" in members:
        with archive.open("mimetype") as mimetype:
            declared = mimetype.read(200).strip()
        if declared != ODS_MIMETYPE:
            return [
                Problem.of_file(
                    name,
                    "an OpenDocument spreadsheet; the archive says it is "
                    f"{declared.decode('ascii', 'replace')[:80]}",
                )
            ]
    if "content.xml" not in members:
        return [Problem.of_file(name, "an OpenDocument spreadsheet with a content.xml part")]
    expanded = sum(info.file_size for info in members.values())
    if expanded > limits.unzipped_bytes:
        return [
            Problem.of_file(
                name,
                f"a spreadsheet that unpacks to at most {limits.unzipped_bytes / 2**20:,.0f} MB "
                f"(PCP_MAX_UNZIPPED_MB); this one unpacks to {expanded / 2**20:,.0f} MB, so "
                "nothing was read",
            )
        ]
    for info in members.values():
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            return [
                Problem.of_file(
                    name,
                    f"a spreadsheet whose parts compress at most {MAX_COMPRESSION_RATIO} to 1; "
                    f"{info.filename} compresses {info.file_size / info.compress_size:,.0f} "
                    "to 1 (a zip bomb?), so nothing was read",
                )
            ]
    return []


def read_workbook(
    path: Path, limits: ReadLimits | None = None, *, keep: Keep | None = None
) -> Workbook:
    """The sheets of a checked .ods file (those ``keep`` wants, or all), or located problems."""
    limits = limits or ReadLimits.from_settings(installed())
    name = Path(path).name
    workbook = Workbook(name)
    workbook.problems = check_archive(path, limits)
    if workbook.problems:
        return workbook
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            _Reader(workbook, limits.sheet, keep).read(content)
    except _Refused as refused:
        workbook.sheets, workbook.problems = {}, [refused.problem]
    except etree.XMLSyntaxError as exc:
        workbook.sheets = {}
        workbook.problems = [
            Problem(name, exc.lineno, None, None, f"well-formed XML in content.xml ({exc.msg})")
        ]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        workbook.sheets = {}
        workbook.problems = [
            Problem.of_file(name, f"a readable .ods archive ({exc.__class__.__name__}: {exc})")
        ]
    return workbook


class _Reader:
    """One pass over content.xml; the state of the sheet and row being read."""

    def __init__(self, workbook: Workbook, limits: Limits, keep: Keep | None):
        self.workbook, self.limits, self.keep = workbook, limits, keep
        self.visited = 0  # cell elements read, plus the cells their repeats expand to
        self.depth = 0  # a table inside a cell (a sub-table) is part of its sheet
        self.sheet = ""
        self.wanted: bool | None = None  # None: not decided yet
        self.rows: list[list] = []
        self.empty_rows = 0  # empty rows not yet stored: kept only if a row with values follows
        self.number = 0  # the sheet's row number of the last row read
        self.width = 0
        self.cells: list = []
        self.empty_cells = 0

    def read(self, content) -> None:
        cells = (_CELL, _COVERED)
        for event, element in xml_events(content, (_SHEET, _ROW, _CELL, _COVERED)):
            tag = element.tag
            if tag in cells:  # most events: kept short
                if event == "end" and self.depth == 1:
                    self._cell_end(element)
                    element.clear()
                    previous = element.getprevious()
                    if previous is not None:
                        element.getparent().remove(previous)
            elif tag == _ROW:
                if self.depth != 1:
                    continue
                if event == "start":
                    self.cells, self.empty_cells = [], 0
                else:
                    self._row_end(element)
                    drop_read(element)
            else:
                self._sheet(event, element)

    # -- where a problem is ----------------------------------------------------------------
    def _refuse(self, expected: str, row: int | None = None, column: int | None = None):
        raise _Refused(
            Problem(
                f"{self.workbook.file}, sheet {self.sheet}",
                row,
                None if column is None else column_letter(column - 1),
                None,
                expected,
            )
        )

    def _count(self, cells: int, row: int, column: int | None = None) -> None:
        self.visited += cells
        if self.visited > self.limits.cells:
            self._refuse(
                f"a spreadsheet of at most {self.limits.cells:,} cells (PCP_MAX_CELLS), empty "
                "ones and repeated ones included; its sheets have more, so reading stopped here",
                row,
                column,
            )

    # -- sheets ----------------------------------------------------------------------------
    def _sheet(self, event: str, element) -> None:
        if event == "start":
            self.depth += 1
            if self.depth == 1:
                self.sheet = element.get(f"{_TABLE}name", "?")
                self.wanted = None if self.keep else True
                self.rows, self.empty_rows, self.number, self.width = [], 0, 0, 0
            return
        self.depth -= 1
        if self.depth:
            return
        self._decide()
        if self.wanted:
            for row in self.rows:
                row.extend([None] * (self.width - len(row)))
            self.workbook.sheets[self.sheet] = pd.DataFrame(self.rows, dtype=object)
        self.rows = []
        drop_read(element)

    def _decide(self) -> None:
        if self.wanted is None:
            self.wanted = self.keep is None or self.keep(self.sheet, self.rows)
            if not self.wanted:
                self.workbook.skipped.append(self.sheet)
                self.rows = []

    # -- rows and cells --------------------------------------------------------------------
    def _repeat(self, given: str, attribute: str) -> int:
        if not (given.isascii() and given.isdigit() and 0 < len(given) < 10 and int(given)):
            self._refuse(
                f"table:{attribute} as a whole number from 1 to 999,999,999; found {given[:20]!r}",
                self.number + 1,
            )
        return int(given)

    def _row_end(self, element) -> None:
        given = element.get(_ROWS_REPEATED)
        repeat = 1 if given is None else self._repeat(given, "number-rows-repeated")
        first = self.number + 1
        self.number += repeat
        if not self.cells:
            self.empty_rows += repeat
            return
        if self.number > self.limits.rows:
            self._refuse(
                f"a sheet of at most {self.limits.rows:,} rows (PCP_MAX_ROWS), empty formatted "
                "rows included; this one has values further down, so reading stopped here",
                max(first, self.limits.rows + 1),
            )
        self._count(len(self.cells) * (repeat - 1), first)
        if self.wanted is False:
            return
        self.rows.extend([None] for _ in range(self.empty_rows))
        self.rows.extend(list(self.cells) for _ in range(repeat))
        self.empty_rows = 0
        self.width = max(self.width, len(self.cells))
        if self.wanted is None and len(self.rows) >= HEAD_ROWS:
            self._decide()

    def _cell_end(self, cell) -> None:
        given = cell.get(_COLUMNS_REPEATED)
        repeat = 1 if given is None else self._repeat(given, "number-columns-repeated")
        self.visited += 1
        if self.visited > self.limits.cells:
            self._count(0, self.number + 1, len(self.cells) + self.empty_cells + 1)
        if self.wanted is False:
            value = None if _is_empty(cell) else True  # only counted, never kept
        else:
            value = self._value(cell, self.number + 1, len(self.cells) + self.empty_cells + 1)
        if value is None or value == "":
            self.empty_cells += repeat
            return
        column = len(self.cells) + self.empty_cells + repeat
        if column > self.limits.columns:
            self._refuse(
                f"values in at most {self.limits.columns:,} columns (PCP_MAX_COLUMNS); this row "
                f"has one in column {column:,}, so reading stopped here",
                self.number + 1,
                min(column, self.limits.columns + 1),
            )
        if repeat > 1:
            self._count(repeat - 1, self.number + 1, column)
        if self.empty_cells:
            self.cells.extend([None] * self.empty_cells)
            self.empty_cells = 0
        self.cells.extend([value] * repeat)

    def _value(self, cell, row: int, column: int):
        """The cell as pandas' odf reader gave it (None: empty)."""
        if cell.tag == _COVERED and cell.get(f"{_OFFICE}value") is None:
            return None
        kind = cell.get(f"{_OFFICE}value-type")
        if kind is None:
            return None
        text = _text(cell, self.limits.cell_chars)
        if len(text) > self.limits.cell_chars:
            self._refuse(
                f"a cell of at most {self.limits.cell_chars:,} characters (PCP_MAX_CELL_CHARS); "
                f"this one has more, so reading stopped here",
                row,
                column,
            )
        if text == "#N/A":
            return None
        try:
            if kind == "float":
                number = float(cell.get(f"{_OFFICE}value", ""))
                return int(number) if number.is_integer() else number
            if kind in ("percentage", "currency"):
                return float(cell.get(f"{_OFFICE}value", ""))
            if kind == "date":
                return pd.Timestamp(cell.get(f"{_OFFICE}date-value", ""))
        except (ValueError, OverflowError):
            self._refuse(
                f"a {kind} cell whose office:{'date-' if kind == 'date' else ''}value is one; "
                f"found {cell.get(f'{_OFFICE}date-value' if kind == 'date' else f'{_OFFICE}value')!r}",
                row,
                column,
            )
        if kind == "boolean":
            return text == "TRUE"
        if kind == "time":
            try:
                return pd.Timestamp(text).time()
            except ValueError:
                return text
        return text


def _is_empty(cell) -> bool:
    return cell.get(f"{_OFFICE}value-type") is None or (
        cell.tag == _COVERED and cell.get(f"{_OFFICE}value") is None
    )


def _text(node, most: int) -> str:
    """A cell's text as pandas read it: ``text:s`` as its spaces, ``text:line-break`` and a
    second paragraph as a new line, annotations left out. At most a little over ``most``
    characters are built (a ``text:s`` of a billion spaces is a few bytes)."""
    parts: list[str] = []
    length = 0
    paragraph = False

    def add(text: str) -> None:
        nonlocal length
        if length <= most:
            parts.append(text[: most + 1 - length])
            length += len(parts[-1])

    add((node.text or "").strip("\n"))
    for child in node:
        tag = child.tag
        if tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            add(" " * min(int(count) if count.isascii() and count.isdigit() else 1, most + 1))
        elif tag in (f"{_TEXT}line-break", f"{_TEXT}tab"):
            add("\n" if tag == f"{_TEXT}line-break" else "\t")
        elif tag != f"{_OFFICE}annotation":
            if tag == f"{_TEXT}p":
                if paragraph:
                    add("\n")
                paragraph = True
            add(_text(child, most - length))
        add((child.tail or "").strip("\n"))
    return "".join(parts)


def mentions(path: Path, phrase: bytes, limits: ReadLimits | None = None) -> bool:
    """True when a checked .ods file's content.xml holds ``phrase`` (any case), read in chunks."""
    limits = limits or ReadLimits.from_settings(installed())
    if check_archive(path, limits):
        return False
    phrase = phrase.lower()
    tail = b""
    read = 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            while read <= limits.sheet.unzipped_bytes:
                chunk = content.read(1 << 20)
                if not chunk:
                    return False
                read += len(chunk)
                window = tail + chunk.lower()
                if phrase in window:
                    return True
                tail = window[-len(phrase) :]
    except (zipfile.BadZipFile, OSError, EOFError):
        return False
    return False


def looks_like_ods(path: Path) -> bool:
    """True for a zip archive that declares itself an OpenDocument spreadsheet."""
    try:
        if not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as archive, archive.open("mimetype") as mimetype:
            return mimetype.read(200).strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
