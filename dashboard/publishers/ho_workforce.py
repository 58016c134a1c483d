"""Home Office police workforce tables (an .ods edition) -> dataset tables.

An edition has an index sheet and one sheet per table. Each force table gives, for every police
force area (with region subtotals between them), the full-time equivalents or headcount at
three dates (the edition's 30 September, the 31 March before and the 30 September a year
earlier), then changes. Layouts differ between editions (title rows, footnote markers on names
and titles, column order, which tables exist), so nothing is read by position:

* a sheet is a force table when one of its columns names police force areas of the catalogue
  (found by name or alias, footnote markers ignored); the rows above the first force are its
  header;
* the table is the catalogue's series whose subject its title starts with ("Special constables
  by police force area ...") and whose measure ("Headcount", "Full-time equivalents") its header
  states; tables the catalogue does not map are left out with a note;
* value columns are the header's as-at dates (date cells, or text such as "30 September 2018"
  or "Sep-18"); change columns are not read;
* a label that appears twice (the West Midlands region and the West Midlands force) is the
  force in the row with the smaller figures (a region's subtotal includes its force), said in a
  note; "Total 43 forces" is England and Wales.

Every police force area of the catalogue must be found in every table read, or the edition is
refused: a renamed force must not drop out of a comparison unnoticed. The edition's date and
publication date come from its index ("Police Workforce, England and Wales, 30 September 2018";
"Last updated").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..data.errors import Problem
from .catalogue import Catalogue, SeriesKey, measure_key, name_key
from .common import (
    NOT_AVAILABLE,
    OBSERVATION_COLUMNS,
    SOURCE_COLUMNS,
    Published,
    cell_text,
    column_letter,
    not_in_catalogue,
    number_text,
    parse_date,
    publication_date,
    text_table,
)
from .ods import HEAD_ROWS, looks_like_ods, mentions, read_workbook

PUBLISHER = "home-office-workforce"
#: Fewer force rows than this in a sheet: not a force table.
MIN_FORCE_ROWS = 10
_TABLE_PREFIX = re.compile(r"^\s*table\s*\d+[a-z]?\s*[:.\-–]\s*", re.I)
_WORD_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d{1,2}(?:,\d{1,2})*(?=[\s,:;]|$)")
_EDITION = re.compile(r"^police workforce,?\s+england and wales,?\s+(?P<date>.+)$", re.I)
_PUBLISHED_HEADER = re.compile(
    r"^(last updated|date published|published|publication date|release date)\s*:?$", re.I
)
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


def recognise(path: Path) -> bool:
    """True for an .ods whose sheets hold a table 'by police force area'."""
    return looks_like_ods(path) and mentions(path, b"by police force area")


def _wanted(sheet: str, head: list[list]) -> bool:
    """A sheet worth reading whole: its first rows name a table by police force area (a force
    table, or the index listing them), the edition or its publication date."""
    for row in head:
        for value in row:
            if isinstance(value, str):
                text = " ".join(value.split())
                if (
                    "police force area" in text.lower()
                    or _EDITION.match(text)
                    or _PUBLISHED_HEADER.match(text)
                ):
                    return True
    return False


@dataclass
class _Table:
    sheet: str
    title: str
    metric: dict
    records: list[dict]
    rows: list[int]


def read(path: Path, catalogue: Catalogue, *, published: str | None = None) -> Published:
    path = Path(path)
    name = path.name
    workbook = read_workbook(path, keep=_wanted)
    result = Published(name, PUBLISHER, problems=list(workbook.problems))
    if result.errors:
        return result
    wanted = catalogue.series(PUBLISHER)
    if not wanted:
        return not_in_catalogue(
            result,
            "metrics for the Home Office workforce tables in the catalogue (metrics."
            "published_as 'home-office-workforce:<table subject> (<measure>)')",
        )
    tables: list[_Table] = []
    for sheet, frame in workbook.sheets.items():
        table = _read_sheet(name, sheet, frame, catalogue, wanted, result)
        if table is not None:
            tables.append(table)
    for sheet in workbook.skipped:
        result.problems.append(
            Problem.of_file(
                f"{name}, sheet {sheet}",
                f"no table by police force area in its first {HEAD_ROWS} rows: not a force "
                "table; skipped",
                "notice",
            )
        )
    if result.errors:
        return result
    if not tables:
        result.problems.append(
            Problem.of_file(
                name,
                "a table the catalogue maps (a sheet titled '<subject> by police force area' "
                "with a Headcount or Full-time equivalents header, for a subject in metrics."
                "published_as); none of this edition's sheets is one",
            )
        )
        return result
    source = _source(name, workbook.sheets, tables, published, result)
    if source is None:
        return result
    result.tables.append(text_table(name, [source], [1], SOURCE_COLUMNS))
    for table in tables:
        for record in table.records:
            record["source_id"] = source["source_id"]
        result.tables.append(
            text_table(
                f"{name}, sheet {table.sheet}", table.records, table.rows, OBSERVATION_COLUMNS
            )
        )
    result.source_ids = [source["source_id"]]
    return result


# --------------------------------------------------------------------------- one sheet


def _title_key(title: str) -> str:
    return name_key(_WORD_FOOTNOTE.sub("", _TABLE_PREFIX.sub("", title)))


def _series_for(
    title: str, measure: str | None, wanted: dict[SeriesKey, dict]
) -> tuple[SeriesKey | None, bool]:
    """(catalogued series of this table, whether its subject is catalogued under another measure)."""
    key = _title_key(title)
    subject_known = False
    for series in wanted:
        if key.startswith(f"{series.label} by police force area"):
            if series.measure == measure:
                return series, True
            subject_known = True
    return None, subject_known


def _read_sheet(
    name: str,
    sheet: str,
    frame: pd.DataFrame,
    catalogue: Catalogue,
    wanted: dict[SeriesKey, dict],
    result: Published,
) -> _Table | None:
    where = f"{name}, sheet {sheet}"
    cells = frame.to_numpy(dtype=object).tolist()
    if not cells:
        return None
    width = max(len(r) for r in cells)
    areas = [[catalogue.area(v) for v in row] for row in cells]
    counts = [sum(1 for row in areas if j < len(row) and row[j] is not None) for j in range(width)]
    label_col = max(range(width), key=lambda j: counts[j]) if width else 0
    if not width or counts[label_col] < MIN_FORCE_ROWS:
        result.problems.append(
            Problem.of_file(
                where,
                "no police force area rows: not a force table; skipped",
                "notice",
            )
        )
        return None
    data_rows = [
        i
        for i, row in enumerate(areas)
        if row[label_col] is not None and _has_figures(cells[i], label_col)
    ]
    if not data_rows:
        return None
    first = data_rows[0]
    header = cells[:first]
    title = _title(header)
    measures = {
        measure_key(v)
        for row in header
        for v in row
        if isinstance(v, str) and measure_key(v) in ("fte", "headcount")
    }
    measure = next(iter(measures)) if len(measures) == 1 else None
    series, subject_known = _series_for(title, measure, wanted)
    if series is None:
        if subject_known and measure is None:
            result.problems.append(
                Problem(
                    where,
                    None,
                    None,
                    title,
                    "the table's measure in its header: 'Headcount' or 'Full-time equivalents' "
                    + ("(both are stated)" if measures else "(neither is stated)"),
                )
            )
        else:
            result.problems.append(
                Problem(
                    where, 1, None, title, "a table the catalogue does not map; skipped", "notice"
                )
            )
        return None
    metric = wanted[series]
    dates: dict[int, dt.date] = {}
    for j in range(width):
        if j == label_col:
            continue
        found = [d for d in (parse_date(row[j]) for row in header if j < len(row)) if d]
        if found:
            dates[j] = found[-1]
    if not dates:
        result.problems.append(
            Problem(
                where,
                first,
                None,
                None,
                "as-at dates above the value columns (date cells, or text such as "
                "'30 September 2018' or 'Sep-18'); none found in the header rows",
            )
        )
        return None
    repeated = sorted({d for d in dates.values() if list(dates.values()).count(d) > 1})
    if repeated:
        result.problems.append(
            Problem(
                where,
                first,
                None,
                ", ".join(d.isoformat() for d in repeated),
                "one column per as-at date; these dates head more than one column",
            )
        )
        return None
    chosen = _choose_rows(where, cells, areas, label_col, data_rows, dates, result)
    missing = sorted(catalogue.forces - set(chosen))
    unread = _unread_labels(cells, areas, label_col, data_rows)
    column = column_letter(label_col)
    if missing:
        result.problems.append(
            Problem(
                where,
                None,
                column,
                None,
                "a row for every police force area in areas.csv; none found for "
                + ", ".join(catalogue.area_names.get(a, a) for a in missing)
                + (f" (labels not recognised: {', '.join(unread)})" if unread else "")
                + "; a renamed area needs its new name as an alias",
            )
        )
        return None
    if unread:
        said = "rows that are not police force areas (regions, other totals) not read: "
        result.problems.append(
            Problem(where, None, column, None, said + ", ".join(unread), "notice")
        )
    records, rows = _values(
        where, sheet, title, cells, chosen, dates, metric, measure, catalogue, result
    )
    return _Table(sheet, title, metric, records, rows)


def _has_figures(row: list, label_col: int) -> bool:
    """A data row has a number (or a 'no figure' marker) beside its label; a header row that
    happens to say "England and Wales" has none."""
    for j, value in enumerate(row):
        if j == label_col:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and not pd.isna(value):
            return True
        if isinstance(value, str) and (
            value.strip().lower() in NOT_AVAILABLE or _NUMBER.match(value.strip())
        ):
            return True
    return False


def _title(header: list[list]) -> str:
    texts = [v.strip() for row in header for v in row if isinstance(v, str) and v.strip()]
    for text in texts:
        if _TABLE_PREFIX.match(text):
            return " ".join(text.split())
    for text in texts:
        if "police force area" in text.lower():
            return " ".join(text.split())
    return " ".join(texts[0].split()) if texts else ""


def _numbers(row: list, columns) -> list[float]:
    return [
        float(row[j])
        for j in columns
        if j < len(row) and isinstance(row[j], int | float) and not pd.isna(row[j])
    ]


def _choose_rows(
    where: str,
    cells: list[list],
    areas: list[list],
    label_col: int,
    data_rows: list[int],
    dates: dict[int, dt.date],
    result: Published,
) -> dict[str, int]:
    """area_id -> the row to read; a label on two rows is the force on the smaller one."""
    by_area: dict[str, list[int]] = {}
    for i in data_rows:
        by_area.setdefault(areas[i][label_col], []).append(i)
    chosen: dict[str, int] = {}
    for area_id, rows in by_area.items():
        if len(rows) == 1:
            chosen[area_id] = rows[0]
            continue
        totals = {i: sum(_numbers(cells[i], dates)) for i in rows}
        ordered = sorted(rows, key=lambda i: totals[i])
        if len(set(totals.values())) < len(rows):
            result.problems.append(
                Problem(
                    where,
                    ordered[0] + 1,
                    column_letter(label_col),
                    str(cells[ordered[0]][label_col]),
                    "one row per police force area: rows "
                    + ", ".join(str(i + 1) for i in rows)
                    + " carry this label with the same figures, so the force's row is ambiguous",
                )
            )
            continue
        chosen[area_id] = ordered[0]
        others = ", ".join(str(i + 1) for i in ordered[1:])
        result.problems.append(
            Problem(
                where,
                ordered[0] + 1,
                column_letter(label_col),
                str(cells[ordered[0]][label_col]).strip(),
                f"label on rows {', '.join(str(i + 1) for i in sorted(rows))}: row {ordered[0] + 1} "
                f"(the smaller figures) read as the force; row(s) {others} are a subtotal that "
                "includes it (a region)",
                "notice",
            )
        )
    return chosen


def _unread_labels(cells, areas, label_col, data_rows) -> list[str]:
    """Labels of rows with figures that name no area (region subtotals, other totals)."""
    labels = []
    for i, row in enumerate(cells):
        value = row[label_col] if label_col < len(row) else None
        if (
            areas[i][label_col] is None
            and isinstance(value, str)
            and value.strip()
            and _has_figures(row, label_col)
        ):
            labels.append(" ".join(value.split()))
    return labels


def _values(
    where: str,
    sheet: str,
    title: str,
    cells: list[list],
    chosen: dict[str, int],
    dates: dict[int, dt.date],
    metric: dict,
    measure: str | None,
    catalogue: Catalogue,
    result: Published,
) -> tuple[list[dict], list[int]]:
    records: list[dict] = []
    rows: list[int] = []
    not_available: list[str] = []
    what = "full-time equivalents" if measure == "fte" else "people (headcount)"
    for area_id, i in sorted(chosen.items(), key=lambda item: item[1]):
        row = cells[i]
        sentence = " | ".join(t for t in (cell_text(v) for v in row) if t)
        for j, date in sorted(dates.items()):
            value = row[j] if j < len(row) else None
            letter = column_letter(j)
            number: float | None = None
            if isinstance(value, bool):
                number = None
            elif isinstance(value, int | float) and not pd.isna(value):
                number = float(value)
            elif isinstance(value, str) and _NUMBER.match(value.strip()):
                number = float(value.strip().replace(",", ""))
            if number is None:
                text = (
                    ""
                    if value is None or (isinstance(value, float) and pd.isna(value))
                    else str(value).strip()
                )
                if text == "" or text.lower() in NOT_AVAILABLE:
                    not_available.append(
                        f"{letter}{i + 1} ({catalogue.area_names.get(area_id, area_id)}, {date:%d %b %Y}: {text or 'empty'})"
                    )
                    continue
                result.problems.append(
                    Problem(where, i + 1, letter, text, f"a number of {what} at {date:%d %B %Y}")
                )
                continue
            if number < 0:
                result.problems.append(
                    Problem(
                        where,
                        i + 1,
                        letter,
                        cell_text(value),
                        f"zero or more {what} (a level, not a change)",
                    )
                )
                continue
            records.append(
                {
                    "metric_id": metric["metric_id"],
                    "area_id": area_id,
                    "basis": "as_at",
                    "period": date.isoformat(),
                    "value": number_text(number),
                    "status": "final",
                    "source_sentence": sentence,
                    "note": "",
                    "source_file": where.split(", sheet ")[0],
                    "source_location": (
                        f"sheet {sheet} ({title}), row {i + 1}, column {letter} "
                        f"(as at {date.day} {date:%B %Y})"
                    ),
                }
            )
            rows.append(i + 1)
    if not_available:
        result.problems.append(
            Problem.of_file(
                where,
                "cells with no figure ('..' not available, '*' not applicable, or empty) left "
                "out: " + "; ".join(not_available),
                "notice",
            )
        )
    return records, rows


# --------------------------------------------------------------------------- the edition


def _edition_title(sheets: dict[str, pd.DataFrame]) -> tuple[str | None, dt.date | None]:
    for frame in sheets.values():
        for value in frame.head(10).to_numpy(dtype=object).ravel():
            if isinstance(value, str):
                match = _EDITION.match(" ".join(value.split()))
                if match:
                    return " ".join(value.split()), parse_date(match["date"])
    return None, None


def _stated_publication(sheets: dict[str, pd.DataFrame]) -> dt.date | None:
    found: list[dt.date] = []
    for frame in sheets.values():
        cells = frame.to_numpy(dtype=object)
        for i in range(min(len(cells), 60)):
            for j in range(cells.shape[1]):
                value = cells[i, j]
                if isinstance(value, str) and _PUBLISHED_HEADER.match(value.strip()):
                    for below in cells[i + 1 : i + 60, j]:
                        date = parse_date(below)
                        if date is not None:
                            found.append(date)
    return max(found) if found else None


def _source(
    name: str,
    sheets: dict[str, pd.DataFrame],
    tables: list[_Table],
    published: str | None,
    result: Published,
) -> dict | None:
    title, as_at = _edition_title(sheets)
    if as_at is None:
        as_at = max(dt.date.fromisoformat(r["period"]) for t in tables for r in t.records)
    if published is not None:
        checked = publication_date(published)
        if checked is None:
            result.problems.append(
                Problem(
                    name, None, "--published", published, "a date written YYYY-MM-DD or YYYY-MM"
                )
            )
            return None
    else:
        stated = _stated_publication(sheets)
        if stated is None:
            result.problems.append(
                Problem.of_file(
                    name,
                    "a publication date: no 'Last updated' (or 'Published') column in the "
                    "edition's index; give it with --published YYYY-MM-DD",
                )
            )
            return None
        checked = stated.isoformat()
    heading = title or f"Police workforce, England and Wales, {as_at.day} {as_at:%B %Y}"
    return {
        "source_id": f"ho-police-workforce-{as_at:%Y-%m}",
        "title": f"{heading}: statistical tables ({name})",
        "publisher": "Home Office (police workforce statistics, National Statistics)",
        "published": checked,
        "version": "",
        "url": name,
        "kind": "official",
    }
