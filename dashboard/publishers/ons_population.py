"""ONS mid-year population estimates for local authorities (``ukmidyearestimatesYYYYYYYYladcodes.xls``)
-> population by district and county, mid-2001 onwards.

The workbook is Excel 97 (BIFF), read with ``xlrd`` on demand: only sheet ``MYE 5``
("Population estimates: Population density for local authorities in the UK, mid-2001 to
mid-2019") and, for the publication date, the ``Notes and definitions`` sheet's "Date published"
line. ``MYE 5``'s header row starts ``Code, Name, Geography1, Area (sq km)``, then for each year
the pair ``Estimated Population mid-YYYY`` / ``YYYY people per sq. km``; only the populations
are read. A row is read when its code is an area's ``ons_code`` in areas.csv (the force's
districts and unitaries, Essex county); every district must be found.

Each value is an ``as_at`` snapshot on 30 June of its year, with its sheet, row and column. No
total is made here: the force area (county + Southend-on-Sea + Thurrock) is not published in
this workbook, and a sum would be ours, not ONS's.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..config import installed
from ..data.errors import Problem
from ..data.files import why_not_readable
from ..data.readers import ReadLimits
from .catalogue import Catalogue
from .common import (
    OBSERVATION_COLUMNS,
    SOURCE_COLUMNS,
    Published,
    cell_text,
    column_letter,
    not_in_catalogue,
    number_text,
    opened,
    parse_date,
    publication_date,
    text_table,
)

PUBLISHER = "ons-population"
SHEET = "MYE 5"
NOTES = "Notes and definitions"
#: ``published_as`` of the metric the populations are read into.
SERIES = "Estimated Population"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_YEAR = re.compile(r"^estimated population\s+mid-(?P<year>\d{4})$", re.I)
_PUBLISHED = re.compile(r"^date published:\s*(?P<date>.+)$", re.I)
#: Rows searched for the header (it is row 5) and the publication date (row 60 of the notes).
HEADER_ROWS = 20
NOTES_ROWS = 200


def _sheet_key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _too_big(path: Path, limits: ReadLimits) -> str | None:
    size = path.stat().st_size
    if size > limits.file_bytes:
        return (
            f"a workbook of at most {limits.file_bytes / 1024 / 1024:,.0f} MB (PCP_MAX_FILE_MB); "
            f"this one is {size / 1024 / 1024:,.1f} MB, nothing was read"
        )
    return None


def recognise(path: Path) -> bool:
    """True for an Excel 97 workbook with an ``MYE 5`` sheet (cheap: its name list only)."""
    path = Path(path)
    if path.suffix.lower() != ".xls" or why_not_readable(path):
        return False
    try:
        with open(path, "rb") as handle:
            if handle.read(8) != _OLE2:
                return False
        if _too_big(path, ReadLimits.from_settings(installed())):
            return False
        book = _open(path)
    except Exception:  # noqa: BLE001 - not a workbook we can read: not ours
        return False
    try:
        return any(_sheet_key(n) == _sheet_key(SHEET) for n in book.sheet_names())
    finally:
        book.release_resources()


def _open(path: Path):
    import xlrd  # only when a workbook is read

    return xlrd.open_workbook(str(path), on_demand=True, logfile=_Quiet())


class _Quiet:
    """xlrd writes warnings to a log file; they are not the analyst's concern."""

    def write(self, text: str) -> None:
        return None


def read(
    path: Path,
    catalogue: Catalogue,
    *,
    published: str | None = None,
    origin: str | None = None,
    limits: ReadLimits | None = None,
) -> Published:
    path = Path(path)
    name = path.name
    limits = limits or ReadLimits.from_settings(installed())
    result = opened(path, PUBLISHER, "an ONS .xls workbook", limits.file_bytes)
    if result.errors:
        return result
    metric = next(
        (m for k, m in catalogue.series(PUBLISHER).items() if k.label == SERIES.casefold()), None
    )
    if metric is None or not catalogue.codes:
        return not_in_catalogue(
            result,
            "a catalogue with a population metric (metrics.published_as "
            f"'{PUBLISHER}:{SERIES}') and areas with ONS codes (areas.ons_code)",
        )
    try:
        book = _open(path)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook: a message, not a traceback
        result.problems.append(
            Problem.of_file(name, f"an Excel 97 (.xls) workbook ({exc.__class__.__name__}: {exc})")
        )
        return result
    try:
        _read_book(book, name, catalogue, metric, published, origin, limits, result)
    except Exception as exc:  # noqa: BLE001 - whatever xlrd raises on a broken sheet
        result.problems.append(
            Problem.of_file(name, f"a readable sheet {SHEET!r} ({exc.__class__.__name__}: {exc})")
        )
        result.tables, result.source_ids = [], []
    finally:
        book.release_resources()
    return result


def _read_book(
    book,
    name: str,
    catalogue: Catalogue,
    metric: dict,
    published: str | None,
    origin: str | None,
    limits: ReadLimits,
    result: Published,
) -> None:
    sheets = {_sheet_key(n): n for n in book.sheet_names()}
    sheet_name = sheets.get(_sheet_key(SHEET))
    if sheet_name is None:
        result.problems.append(
            Problem.of_file(name, f"a sheet named {SHEET!r} (the population by local authority)")
        )
        return
    sheet = book.sheet_by_name(sheet_name)
    if sheet.nrows > limits.sheet.rows or sheet.ncols > limits.sheet.columns:
        result.problems.append(
            Problem(
                name,
                None,
                None,
                sheet_name,
                f"a sheet of at most {limits.sheet.rows:,} rows and {limits.sheet.columns} "
                f"columns; {sheet_name!r} has {sheet.nrows:,} and {sheet.ncols}",
            )
        )
        return
    header_row = next(
        (
            r
            for r in range(min(sheet.nrows, HEADER_ROWS))
            if [cell_text(v).casefold() for v in sheet.row_values(r, 0, 2)] == ["code", "name"]
        ),
        None,
    )
    if header_row is None:
        result.problems.append(
            Problem(
                name,
                None,
                None,
                sheet_name,
                f"a header row starting 'Code, Name' within the first {HEADER_ROWS} rows of "
                f"sheet {SHEET!r}",
            )
        )
        return
    header = [cell_text(v) for v in sheet.row_values(header_row)]
    years = {c: int(m["year"]) for c, h in enumerate(header) if (m := _YEAR.match(h))}
    if not years:
        result.problems.append(
            Problem(
                name,
                header_row + 1,
                None,
                " | ".join(header)[:300],
                "columns 'Estimated Population mid-YYYY'",
            )
        )
        return
    # the sheet's title above the header (row 3; row 1 is a "Contents" link): the longest text
    title = (
        max((cell_text(sheet.cell_value(r, 0)) for r in range(header_row)), key=len, default="")
        or sheet_name
    )
    records: list[dict] = []
    rows: list[int] = []
    found: set[str] = set()
    for r in range(header_row + 1, sheet.nrows):
        code = cell_text(sheet.cell_value(r, 0)).upper()
        area = catalogue.codes.get(code)
        if area is None:
            continue
        cells = sheet.row_values(r)
        found.add(area)
        sentence = " | ".join(cell_text(v) for v in cells)
        for column, year in sorted(years.items(), key=lambda item: item[1]):
            value = cells[column] if column < len(cells) else ""
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                result.problems.append(
                    Problem(
                        name,
                        r + 1,
                        header[column],
                        cell_text(value),
                        f"a population (a whole number) for {code} in sheet {SHEET!r}",
                    )
                )
                continue
            records.append(
                {
                    "metric_id": metric["metric_id"],
                    "area_id": area,
                    "basis": "as_at",
                    "period": f"{year}-06-30",
                    "value": number_text(value),
                    "status": "final",
                    "source_sentence": sentence,
                    "note": "",
                    "source_file": name,
                    "source_location": (
                        f"sheet {sheet_name} ({title}), row {r + 1}, column "
                        f"{column_letter(column)} ({header[column]})"
                    ),
                }
            )
            rows.append(r + 1)
    districts = set(catalogue.districts.values())
    with_codes = set(catalogue.codes.values())
    missing = sorted((districts & with_codes) - found)
    if missing:
        result.problems.append(
            Problem(
                name,
                None,
                "Code",
                None,
                f"a row in sheet {SHEET!r} for every district with an ONS code; none for "
                + ", ".join(f"{catalogue.area_names.get(a, a)}" for a in missing),
            )
        )
    if result.errors:
        return
    date = published or _published_in(book, name, result)
    if date is None:
        result.problems.append(
            Problem.of_file(
                name,
                f"a publication date: none found in sheet {NOTES!r} ('Date published: ...'); "
                "give it with --published YYYY-MM-DD",
            )
        )
        return
    checked = publication_date(date)
    if checked is None:
        result.problems.append(
            Problem(name, None, "--published", date, "a date written YYYY-MM-DD or YYYY-MM")
        )
        return
    last = max(years.values())
    source = {
        "source_id": f"ons-mid-year-population-{last}",
        "title": f"{title} (ONS mid-year population estimates, {name})",
        "publisher": "Office for National Statistics",
        "published": checked,
        "version": "",
        "url": origin or name,
        "kind": "official",
    }
    for record in records:
        record["source_id"] = source["source_id"]
    result.tables = [
        text_table(name, [source], [1], SOURCE_COLUMNS),
        text_table(name, records, rows, OBSERVATION_COLUMNS),
    ]
    result.source_ids = [source["source_id"]]


def _published_in(book, name: str, result: Published) -> str | None:
    """'Date published: 24th June 2020' in the notes sheet -> '2020-06-24' (None if absent)."""
    sheets = {_sheet_key(n): n for n in book.sheet_names()}
    notes = sheets.get(_sheet_key(NOTES))
    if notes is None:
        return None
    sheet = book.sheet_by_name(notes)
    try:
        for r in range(min(sheet.nrows, NOTES_ROWS)):
            for value in sheet.row_values(r, 0, min(sheet.ncols, 5)):
                match = _PUBLISHED.match(cell_text(value))
                if match:
                    day = parse_date(match["date"])
                    if isinstance(day, dt.date):
                        result.problems.append(
                            Problem(
                                name,
                                r + 1,
                                None,
                                cell_text(value),
                                f"publication date read from sheet {notes!r}: {day.isoformat()}",
                                "notice",
                            )
                        )
                        return day.isoformat()
    finally:
        book.unload_sheet(notes)
    return None
