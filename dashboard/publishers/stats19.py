"""DfT road safety data (STATS19), a year's casualty or accident file, zipped or not -> tables.

What is read, for Essex Police (characters 5-6 of ``Accident_Index`` are ``42``; in the accident
files this selects exactly the accidents whose ``Police_Force`` is 42):

* a **casualty file** (``Casualty_Severity``: 1 fatal, 2 serious, 3 slight): killed or seriously
  injured casualties in the calendar year, a count of records (fatal + serious), as released:
  ``dft-stats19:Killed or seriously injured casualties`` on the ``calendar_year`` basis;
* an **accident file** (with ``Date``, dd/mm/yyyy): the same casualties by calendar quarter,
  joined on ``Accident_Index`` with the casualty file of the same year, which must lie beside it
  (``*Casualties_<year>*``): ``quarter_count`` basis. Districts are not read: the accident
  file's local authority is a DfT code whose key is not in the sources, and no published
  LSOA-to-district table is bundled here.

The counts are unadjusted (see the metric's caveats: injury-based severity recording). Reading
is streamed row by row (only Essex rows are kept) and bounded: a zip holds one CSV of at most
``PCP_MAX_UNZIPPED_MB`` megabytes, compressed at most ``MAX_RATIO`` to 1, with at most
``MAX_RECORDS`` rows; anything else is refused with a located message before it is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import installed
from ..data.errors import Problem
from ..data.files import why_not_readable
from ..data.periods import quarter_of_date
from ..data.readers import ReadLimits
from .catalogue import Catalogue, SeriesKey, name_key
from .common import (
    OBSERVATION_COLUMNS,
    SOURCE_COLUMNS,
    Published,
    not_in_catalogue,
    opened,
    publication_date,
    text_table,
)

PUBLISHER = "dft-stats19"
KSI = name_key("Killed or seriously injured casualties")
FORCE_CODE = "42"  # Essex Police in STATS19's police force codes
FATAL, SERIOUS = "1", "2"
#: DfT's files for Great Britain hold under 200,000 rows a year.
MAX_RECORDS = 1_000_000
#: CSV deflates about 5-8 to 1; far more is not a table (a zip bomb).
MAX_RATIO = 100
MAX_ENTRIES = 10
CASUALTY_COLUMNS = ("Accident_Index", "Casualty_Severity")
ACCIDENT_COLUMNS = ("Accident_Index", "Police_Force", "Date")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class Refused(Exception):
    """The file may not be read: ``where`` (row) and the message say why."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row, self.column = row, column


def _check_zip(path: Path, limit: int, *, sizes: bool = True) -> str:
    """The name of the one CSV inside, after the zip's directory passes the bounds (``sizes``
    False: the entry count only, for reading the first line, which is bounded anyway)."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Refused(f"a zip of one CSV file; this one has {len(infos):,} entries")
        csvs = [i for i in infos if i.filename.lower().endswith((".csv", ".txt"))]
        if len(csvs) != 1:
            raise Refused(f"a zip holding exactly one CSV file; found {len(csvs)}")
        info = csvs[0]
        if not sizes:
            return info.filename
        if info.file_size > limit:
            raise Refused(
                f"a CSV of at most {limit / 1048576:,.0f} MB unpacked (PCP_MAX_UNZIPPED_MB); "
                f"{info.filename} unpacks to {info.file_size / 1048576:,.1f} MB, so nothing "
                "was read"
            )
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise Refused(
                f"a CSV compressed at most {MAX_RATIO} to 1 (a real file is 5-8 to 1); "
                f"{info.filename} is {info.file_size / info.compress_size:,.0f} to 1 (a zip "
                "bomb?), so nothing was read"
            )
        return info.filename


@contextmanager
def _lines(
    path: Path, limits: ReadLimits, *, whole: bool = True
) -> Iterator[tuple[str, io.TextIOBase]]:
    """(name of the CSV read, its text) from a zip or a plain CSV; BOM and CRLF handled.
    ``whole`` False: only the first line will be read (a zip's sizes are not checked)."""
    if zipfile.is_zipfile(path):
        inner = _check_zip(path, limits.sheet.unzipped_bytes, sizes=whole)
        with zipfile.ZipFile(path) as archive, archive.open(inner) as raw:
            # the zip format stops a member longer than its directory says
            yield inner, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield path.name, handle


def _header(path: Path) -> list[str]:
    limits = ReadLimits.from_settings(installed())
    with _lines(path, limits, whole=False) as (_, text):
        return next(csv.reader([text.readline(4096)]), [])


def recognise(path: Path) -> bool:
    """True for a STATS19 casualty or accident CSV (or a zip of one), by its header."""
    path = Path(path)
    if path.suffix.lower() not in (".zip", ".csv") or why_not_readable(path):
        return False
    try:
        header = [h.strip() for h in _header(path)]
    except (Refused, OSError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error):
        return False
    return "Accident_Index" in header and (
        "Casualty_Severity" in header or "Accident_Severity" in header
    )


def _rows(
    path: Path, limits: ReadLimits, wanted: tuple[str, ...]
) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(inner file, line number, the wanted cells) of every Essex row, streamed and bounded."""
    with _lines(path, limits) as (inner, text):
        reader = csv.reader(text)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in wanted if c not in header]
        if missing:
            raise Refused(
                f"{inner}: the STATS19 columns {', '.join(wanted)}; missing "
                f"{', '.join(missing)} (header: {', '.join(header[:6])} ...)",
                1,
            )
        positions = {c: header.index(c) for c in wanted}
        index_at = positions["Accident_Index"]
        for line, cells in enumerate(reader, start=2):
            if line > MAX_RECORDS + 1:
                raise Refused(
                    f"{inner}: at most {MAX_RECORDS:,} rows (DfT's yearly files hold under "
                    "200,000); reading stopped here",
                    line,
                )
            if len(cells) <= index_at or cells[index_at][4:6] != FORCE_CODE:
                continue
            if len(cells) < len(header):
                raise Refused(f"{inner}: a row of {len(header)} cells; found {len(cells)}", line)
            yield inner, line, {c: cells[p].strip() for c, p in positions.items()}


def _year_of(index: str, inner: str, line: int) -> int:
    if not index[:4].isdigit():
        raise Refused(
            f"{inner}: an Accident_Index starting with its year (such as 2015420000001)",
            line,
            "Accident_Index",
        )
    return int(index[:4])


def read(
    path: Path,
    catalogue: Catalogue,
    *,
    published: str | None = None,
    limits: ReadLimits | None = None,
) -> Published:
    path = Path(path)
    name = path.name
    limits = limits or ReadLimits.from_settings(installed())
    result = opened(path, PUBLISHER, "a STATS19 CSV or zip", limits.file_bytes)
    if result.errors:
        return result
    metric = catalogue.metric(SeriesKey(PUBLISHER, KSI))
    if metric is None:
        return not_in_catalogue(
            result,
            "a metric for STATS19 killed or seriously injured casualties in the catalogue "
            "(metrics.published_as 'dft-stats19:Killed or seriously injured casualties')",
        )
    try:
        header = [h.strip() for h in _header(path)]
        if "Casualty_Severity" in header:
            records, source = _casualties(path, name, metric, limits)
        else:
            records, source = _accidents(path, name, metric, limits)
    except Refused as exc:
        result.problems.append(Problem(name, exc.row, exc.column, None, str(exc)))
        return result
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, csv.Error) as exc:
        result.problems.append(
            Problem.of_file(name, f"a STATS19 CSV or zip ({exc.__class__.__name__}: {exc})")
        )
        return result
    checked = publication_date(published) if published else None
    if checked is None:
        result.problems.append(
            Problem(
                name,
                None,
                "--published",
                published,
                "a publication date (YYYY-MM or YYYY-MM-DD): the DfT file states none; give "
                "the month of the DfT release it comes from",
            )
        )
        return result
    source["published"] = checked
    for record in records:
        record["source_id"] = source["source_id"]
    result.tables = [
        text_table(name, [source], [1], SOURCE_COLUMNS),
        text_table(name, records, [1] * len(records), OBSERVATION_COLUMNS),
    ]
    result.source_ids = [source["source_id"]]
    return result


def _record(
    metric: dict, basis: str, period: str, value: int, sentence: str, name: str, location: str
) -> dict:
    return {
        "metric_id": metric["metric_id"],
        "area_id": "essex",
        "basis": basis,
        "period": period,
        "value": str(value),
        "status": "final",
        "source_sentence": sentence,
        "note": "Unadjusted count of STATS19 casualty records (injury-based severity "
        "recording not adjusted for).",
        "source_file": name,
        "source_location": location,
    }


def count_casualties(path: Path, limits: ReadLimits | None = None) -> tuple[str, dict]:
    """(inner file, {(year, severity): casualties}) for Essex, and every Accident_Index seen."""
    limits = limits or ReadLimits.from_settings(installed())
    counts: Counter = Counter()
    with_index: dict[str, Counter] = {}
    inner = ""
    for inner, line, cells in _rows(path, limits, CASUALTY_COLUMNS):
        severity = cells["Casualty_Severity"]
        if severity not in ("1", "2", "3"):
            raise Refused(
                f"{inner}: a Casualty_Severity of 1 (fatal), 2 (serious) or 3 (slight)",
                line,
                "Casualty_Severity",
            )
        year = _year_of(cells["Accident_Index"], inner, line)
        counts[(year, severity)] += 1
        with_index.setdefault(cells["Accident_Index"], Counter())[severity] += 1
    return inner, {"counts": counts, "by_accident": with_index}


def _casualties(path: Path, name: str, metric: dict, limits: ReadLimits) -> tuple[list, dict]:
    inner, found = count_casualties(path, limits)
    counts: Counter = found["counts"]
    years = sorted({y for y, _ in counts})
    if len(years) != 1:
        raise Refused(
            f"{inner or name}: Essex casualties of one calendar year (the file's); found "
            f"{', '.join(map(str, years)) or 'none'}"
        )
    year = years[0]
    fatal, serious, slight = (counts[(year, s)] for s in ("1", "2", "3"))
    sentence = (
        f"Count of the {inner} rows whose Accident_Index has '{FORCE_CODE}' as characters 5-6 "
        f"(Essex Police) and Casualty_Severity 1 (fatal: {fatal:,}) or 2 (serious: "
        f"{serious:,}): {fatal + serious:,} killed or seriously injured of "
        f"{fatal + serious + slight:,} casualties in {year}"
    )
    record = _record(
        metric,
        "calendar_year",
        str(year),
        fatal + serious,
        sentence,
        name,
        f"{inner}: record count",
    )
    return [record], _source(name, "casualties", year, inner)


def _accidents(path: Path, name: str, metric: dict, limits: ReadLimits) -> tuple[list, dict]:
    quarter_of: dict[str, str] = {}
    inner = ""
    mismatched = 0
    years: set[int] = set()
    for inner, line, cells in _rows(path, limits, ACCIDENT_COLUMNS):
        if cells["Police_Force"] != FORCE_CODE:
            mismatched += 1
        try:
            day = dt.datetime.strptime(cells["Date"], "%d/%m/%Y").date()
        except ValueError as exc:
            raise Refused(f"{inner}: a date written dd/mm/yyyy", line, "Date") from exc
        years.add(day.year)
        quarter_of[cells["Accident_Index"]] = quarter_of_date(day).label
    if mismatched:
        raise Refused(
            f"{inner}: Essex accidents (Accident_Index characters 5-6 = 42) with Police_Force "
            f"42; {mismatched:,} have another Police_Force"
        )
    if len(years) != 1:
        raise Refused(f"{inner or name}: Essex accidents of one calendar year; found {years}")
    year = years.pop()
    casualty_file = next(iter(sorted(path.parent.glob(f"*Casualties_{year}*"))), None)
    if casualty_file is None:
        raise Refused(
            f"the STATS19 casualty file of {year} beside the accident file (a name with "
            f"'Casualties_{year}'): casualties by quarter join the two on Accident_Index"
        )
    cas_inner, found = count_casualties(casualty_file, limits)
    by_quarter: Counter = Counter()
    unmatched = 0
    for index, severities in found["by_accident"].items():
        ksi = severities["1"] + severities["2"]
        if index not in quarter_of:
            unmatched += ksi
            continue
        by_quarter[quarter_of[index]] += ksi
    if unmatched:
        raise Refused(
            f"every Essex casualty of {casualty_file.name} in an accident of {inner}; "
            f"{unmatched:,} killed or seriously injured casualties have no accident row"
        )
    records = [
        _record(
            metric,
            "quarter_count",
            quarter,
            count,
            f"Count of the {cas_inner} ({casualty_file.name}) rows with Casualty_Severity 1 or "
            f"2 whose Accident_Index is an Essex accident (characters 5-6 = '{FORCE_CODE}') of "
            f"{inner} dated in the quarter: {count:,}",
            name,
            f"{inner} Date joined with {cas_inner} on Accident_Index: record count",
        )
        for quarter, count in sorted(by_quarter.items())
    ]
    return records, _source(name, "accidents", year, inner)


def _source(name: str, kind: str, year: int, inner: str) -> dict:
    return {
        "source_id": f"dft-stats19-{kind}-{year}",
        "title": f"Road Safety Data (STATS19): {kind} {year}, Great Britain (Department for "
        f"Transport, {name}: {inner})",
        "publisher": "Department for Transport (STATS19 road collision reports from police forces)",
        "published": "",
        "version": "",
        "url": name,
        "kind": "official",
    }
