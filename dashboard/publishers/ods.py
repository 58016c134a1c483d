"""OpenDocument spreadsheets (.ods) read safely: the archive is checked before any sheet is.

An .ods file is a zip archive whose ``content.xml`` holds every sheet. A small file can expand
enormously (a zip bomb, or one cell repeated a billion times with ``number-columns-repeated``),
so before pandas (with odfpy) builds the sheets in memory this module checks, streaming and
without expanding anything: the file size, that it is an OpenDocument spreadsheet, the
uncompressed size and compression ratio of its parts, and how many cells the sheets would
expand to. Any failure is a located :class:`Problem`, never an exception.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..data.errors import Problem
from ..data.readers import max_file_bytes

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
#: The largest real edition expands to 3 MB of XML; 50 MB is far beyond any real table.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: Real editions compress about 10-30 to 1; XML that compresses beyond this is not a table.
MAX_COMPRESSION_RATIO = 200
#: Cells the sheets may expand to (rows x widest row, as pandas squares them); real: ~10,000.
MAX_CELLS = 2_000_000

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ROW = f"{{{_TABLE}}}table-row"
_CELLS = (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell")
_SHEET = f"{{{_TABLE}}}table"
_ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
_VALUE_TYPE = f"{{{_OFFICE}}}value-type"
_P = f"{{{_TEXT}}}p"


@dataclass
class Workbook:
    """Every sheet of a spreadsheet as a frame of cell values (row 0 = the sheet's row 1)."""

    file: str
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def check_archive(path: Path) -> list[Problem]:
    """Problems that make ``path`` unsafe or impossible to read as a spreadsheet (empty: fine)."""
    name = Path(path).name
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        return [Problem.of_file(name, f"the file cannot be read ({exc.strerror})")]
    limit = max_file_bytes()
    if size > limit:
        return [
            Problem.of_file(
                name,
                f"a spreadsheet of at most {limit / 1024 / 1024:,.0f} MB (PCP_MAX_FILE_MB); this "
                f"file is {size / 1024 / 1024:,.1f} MB, so nothing was read",
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
            members = {info.filename: info for info in archive.infolist()}
            if "mimetype" in members and archive.read("mimetype").strip() != ODS_MIMETYPE:
                return [
                    Problem.of_file(
                        name,
                        "an OpenDocument spreadsheet; the archive says it is "
                        f"{archive.read('mimetype').decode('ascii', 'replace')[:80]}",
                    )
                ]
            if "content.xml" not in members:
                return [
                    Problem.of_file(name, "an OpenDocument spreadsheet with a content.xml part")
                ]
            expanded = sum(info.file_size for info in members.values())
            if expanded > MAX_UNCOMPRESSED_BYTES:
                return [
                    Problem.of_file(
                        name,
                        f"a spreadsheet that expands to at most {MAX_UNCOMPRESSED_BYTES // 2**20} MB; "
                        f"this one expands to {expanded / 2**20:,.0f} MB, so nothing was read",
                    )
                ]
            for info in members.values():
                if (
                    info.compress_size
                    and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
                ):
                    return [
                        Problem.of_file(
                            name,
                            f"a spreadsheet whose parts compress at most {MAX_COMPRESSION_RATIO} to 1; "
                            f"{info.filename} compresses {info.file_size / info.compress_size:,.0f} "
                            "to 1 (a zip bomb?), so nothing was read",
                        )
                    ]
            with archive.open("content.xml") as content:
                return _check_cells(name, content)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        return [Problem.of_file(name, f"a readable .ods archive ({exc.__class__.__name__}: {exc})")]


def _has_content(cell) -> bool:
    if cell.get(_VALUE_TYPE):
        return True
    return any((p.text or "").strip() or len(p) for p in cell.iter(_P))


def _check_cells(name: str, content) -> list[Problem]:
    """Count the cells pandas would build, streaming the XML (entities and DTDs refused)."""
    from defusedxml.ElementTree import iterparse

    total = 0
    sheet_rows = sheet_width = rows_to_last = 0
    try:
        for _event, element in iterparse(content, events=("end",)):
            tag = element.tag
            if tag == _ROW:
                width = pending = 0
                for cell in element:
                    if cell.tag not in _CELLS:
                        continue
                    repeat = int(cell.get(_COLUMNS_REPEATED, "1"))
                    if _has_content(cell):
                        width += pending + repeat
                        pending = 0
                    else:
                        pending += repeat
                repeat = int(element.get(_ROWS_REPEATED, "1"))
                sheet_rows += repeat
                if width:
                    rows_to_last = sheet_rows
                    sheet_width = max(sheet_width, width)
                if rows_to_last * sheet_width + total > MAX_CELLS:
                    return [
                        Problem.of_file(
                            name,
                            f"a spreadsheet of at most {MAX_CELLS:,} cells; its sheets expand to "
                            "more (repeated rows or columns), so nothing was read",
                        )
                    ]
                element.clear()
            elif tag == _SHEET:
                total += rows_to_last * sheet_width
                sheet_rows = sheet_width = rows_to_last = 0
                element.clear()
    except Exception as exc:  # noqa: BLE001 - defusedxml and expat errors alike: a message
        return [
            Problem.of_file(name, f"a well-formed spreadsheet ({exc.__class__.__name__}: {exc})")
        ]
    return []


def read_workbook(path: Path) -> Workbook:
    """Every sheet of a checked .ods file; cells keep pandas' types (float, str, Timestamp)."""
    name = Path(path).name
    workbook = Workbook(name)
    workbook.problems = check_archive(path)
    if workbook.problems:
        return workbook
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="odf", dtype=object)
    except Exception as exc:  # noqa: BLE001 - odfpy and pandas errors alike: a message
        workbook.problems.append(
            Problem.of_file(
                name, f"a readable OpenDocument spreadsheet ({exc.__class__.__name__}: {exc})"
            )
        )
        return workbook
    workbook.sheets = {str(k): v for k, v in sheets.items()}
    return workbook


def looks_like_ods(path: Path) -> bool:
    """True for a zip archive that declares itself an OpenDocument spreadsheet."""
    try:
        if not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
