"""An edition of ONS's "Crime in England and Wales: police force area tables" (.xlsx) -> tables.

Seven quarterly editions (years ending March 2018 to December 2019) are bundled; each restates
earlier periods, so each is its own source (named by its year ending, dated by its
publication) and a restated value becomes a revision. What is read, for every police force
area of the catalogue (never regions, England or Wales, whose totals include British Transport
Police and, in the December 2019 edition, exclude Greater Manchester):

* Table P1, recorded crime by offence group, rolling 12 months to the edition's end: extends
  the open data table's series (``published_as`` ``ons-pfa:<offence group>``), plus the total
  (excluding fraud);
* Table P3's population column (mid-year, rounded to 100): ``ons-pfa-tables:Population``,
  as at 30 June of the year;
* Table P5, knife or sharp instrument offences (selected offences), every year ending it
  prints: ``ons-pfa-tables:Knife or sharp instrument offences``;
* Table P7 (years ending March 2018 and 2019 editions), anti-social behaviour incidents, years
  ending March 2008 on: ``ons-pfa-tables:Anti-social behaviour incidents``.

Layout, found by content, never by position: sheet names are compared without their stray
spaces; a table's header row is the one whose first cell is ``Area Code(s)`` (P7 of the year
ending March 2019 has no code column: its header is the row of "Number of Incidents" and rows
are matched by name); a row's area is its ONS code (an alias of the area in areas.csv), else
its name without footnote digits ("Essex10"). Labels lose their footnote digits ("Stalking and
harassment 5", "Residential burglary6,7"). ``..``, ``-``, ``+``, ``NA``, ``*`` are no figure,
never 0. A footnote a row's name or a column's heading points to is kept as the value's note,
unless it names another area or another column (footnote 10 of P1, December 2019: the Essex
homicide figure includes the 39 migrants).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..config import installed
from ..data import sheets
from ..data.errors import Problem
from ..data.files import why_not_readable
from ..data.readers import ReadLimits
from .catalogue import Catalogue, SeriesKey, name_key
from .common import (
    NOT_AVAILABLE,
    OBSERVATION_COLUMNS,
    SOURCE_COLUMNS,
    Published,
    opened,
    parse_date,
    publication_date,
    text_table,
)

PUBLISHER = "ons-pfa-tables"
#: P1's offence groups are the open data table's series, extended.
P1_PUBLISHER = "ons-pfa"
POPULATION = name_key("Population")
KNIFE = name_key("Knife or sharp instrument offences")
ASB = name_key("Anti-social behaviour incidents")
#: P1 headings that name an offence group differently from the open data table.
SAME_GROUP = {
    name_key("Death or serious injury - unlawful driving"): name_key(
        "Death or serious injury caused by illegal driving"
    ),
}
TABLES = ("Notes", "Correction", "Table P1", "Table P3", "Table P5", "Table P7")
#: Cells that are no figure here, beyond the common ones ("+": rate suppressed; "*↑": P6).
NO_FIGURE = NOT_AVAILABLE | {"+", "*↑", "*↓", "n/a"}

_EDITION = re.compile(
    r"crime in england (?:&|and) wales,? year ending (?P<month>[a-z]+) (?P<year>\d{4})", re.I
)
_PUBLISHED = re.compile(r"^published on\s+(?P<date>.+)$", re.I)
_LABEL_FOOTNOTE = re.compile(r"(?<=[A-Za-z)'])\s?(\d{1,2}(?:\s*,\s*\d{1,2})*)(?=\)|\s*$)")
_SPAN = re.compile(r"^([A-Z][a-z]{2})\s*'(\d{2})\s+to\s+([A-Z][a-z]{2})\s*'(\d{2})(.*)$")
_FOOTNOTE_ROW = re.compile(r"^(\d{1,2})[.\s]\s*(.+)$", re.S)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_MIDYEAR = re.compile(r"mid-(\d{4})", re.I)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _title(text: str) -> str:
    return " ".join(text.split())


def split_footnotes(label: str) -> tuple[str, list[int]]:
    """'Essex10' -> ('Essex', [10]); 'Total recorded crime (excluding fraud3)' -> (..fraud), [3])."""
    text = " ".join(str(label).replace("\u00a0", " ").split())
    numbers: list[int] = []

    def take(match: re.Match) -> str:
        numbers.extend(int(n) for n in re.findall(r"\d+", match[1]))
        return ""

    return _LABEL_FOOTNOTE.sub(take, text).strip(), numbers


def _span_period(text: str) -> tuple[str, str, list[int]] | None:
    """ "Apr '10 to Mar '11" -> ('12m-to-2011-03', []); "Apr '11 to Mar '126,7,8" -> (.., [6,7,8])."""
    match = _SPAN.match(" ".join(str(text).split()))
    if not match or match[1] not in _MONTHS or match[3] not in _MONTHS:
        return None
    end_month, end_year = _MONTHS[match[3]], 2000 + int(match[4])
    start_month, start_year = _MONTHS[match[1]], 2000 + int(match[2])
    if (end_year * 12 + end_month) - (start_year * 12 + start_month) != 11:
        return None
    notes = [int(n) for n in re.findall(r"\d{1,2}", match[5])]
    shown = f"{match[1]} '{match[2]} to {match[3]} '{match[4]}"
    return f"12m-to-{end_year}-{end_month:02d}", shown, notes


def recognise(path: Path) -> bool:
    """True for an .xlsx whose Notes sheet names the ONS police force area tables."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx" or why_not_readable(path) or not zipfile.is_zipfile(path):
        return False
    try:
        found = sheets.read_xlsx_sheets(
            path, ReadLimits.from_settings(installed()).sheet, lambda t: t.strip() == "Notes"
        )
    except (sheets.LimitReached, sheets.Unreadable, OSError, zipfile.BadZipFile):
        return False
    return any(
        _EDITION.search(" ".join(str(c) for c in cells))
        and "pfa tables" in " ".join(str(c) for c in cells).lower()
        for sheet in found
        for _, cells in sheet.rows
    )


@dataclass
class _Reading:
    name: str
    catalogue: Catalogue
    result: Published
    records: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def error(self, sheet: str, row: int | None, column: str | None, value, expected: str):
        self.result.problems.append(
            Problem(f"{self.name}, sheet '{sheet}'", row, column, value, expected)
        )

    def notice(self, sheet: str, expected: str) -> None:
        self.result.problems.append(
            Problem.of_file(f"{self.name}, sheet '{sheet}'", expected, "notice")
        )


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
    result = opened(path, PUBLISHER, "an ONS PFA tables .xlsx", limits.file_bytes)
    if result.errors:
        return result
    try:
        found = sheets.read_xlsx_sheets(path, limits.sheet, lambda t: " ".join(t.split()) in TABLES)
    except sheets.LimitReached as exc:
        column = sheets.column_letter(exc.column) if exc.column else None
        result.problems.append(Problem(name, exc.row, column, None, str(exc)))
        return result
    except sheets.Unreadable as exc:
        result.problems.append(Problem.of_file(name, f"an Excel workbook (.xlsx): {exc}"))
        return result
    by_title = {" ".join(s.title.split()): s for s in found}
    reading = _Reading(name, catalogue, result)
    edition = _edition(by_title.get("Notes"))
    if edition is None:
        result.problems.append(
            Problem.of_file(
                f"{name}, sheet 'Notes'",
                "a Notes sheet naming the edition ('Crime in England and Wales, year ending "
                "<month> <year> - PFA tables')",
            )
        )
        return result
    if "Table P1" not in by_title:
        result.problems.append(Problem.of_file(name, "a sheet 'Table P1' (recorded crime)"))
        return result
    _read_p1(reading, by_title["Table P1"], edition)
    if "Table P3" in by_title:
        _read_p3(reading, by_title["Table P3"])
    if "Table P5" in by_title:
        _read_spans(reading, by_title["Table P5"], KNIFE, "rolling_12m")
    if "Table P7" in by_title:
        _read_spans(reading, by_title["Table P7"], ASB, "financial_year")
    if result.errors:
        return result
    if not reading.records:
        result.problems.append(
            Problem.of_file(name, "at least one value for a catalogued series of the tables")
        )
        return result
    source = _source(name, edition, by_title.get("Correction"), published, result)
    if source is None:
        return result
    for record in reading.records:
        record["source_id"] = source["source_id"]
    result.tables = [
        text_table(name, [source], [1], SOURCE_COLUMNS),
        text_table(name, reading.records, reading.rows, OBSERVATION_COLUMNS),
    ]
    result.source_ids = [source["source_id"]]
    return result


def _edition(notes: sheets.Sheet | None) -> dt.date | None:
    if notes is None:
        return None
    for _, cells in notes.rows:
        match = _EDITION.search(" ".join(str(c) for c in cells))
        if match:
            month = parse_date(f"{match['month']} {match['year']}")
            if month is not None:
                return month
    return None


def _stated_publication(correction: sheets.Sheet | None) -> str | None:
    for _, cells in correction.rows if correction else []:
        for cell in cells:
            match = _PUBLISHED.match(" ".join(str(cell).split()))
            if match:
                text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", match["date"])
                day = parse_date(text)
                if day is not None:
                    return day.isoformat()
    return None


def _source(
    name: str,
    edition: dt.date,
    correction: sheets.Sheet | None,
    published: str | None,
    result: Published,
) -> dict | None:
    stated = _stated_publication(correction)
    when = published or stated
    if when is None:
        result.problems.append(
            Problem.of_file(
                name,
                "a publication date: this edition states none; give the date of the ONS release "
                "it accompanies with --published YYYY-MM-DD (or YYYY-MM)",
            )
        )
        return None
    checked = publication_date(when)
    if checked is None:
        result.problems.append(
            Problem(name, None, "--published", when, "a date written YYYY-MM-DD or YYYY-MM")
        )
        return None
    year_ending = f"{edition:%B %Y}"
    version = f"corrected edition, published {stated}" if stated else ""
    return {
        "source_id": f"ons-pfa-tables-{edition:%Y-%m}",
        "title": (
            f"Crime in England and Wales, year ending {year_ending}: police force area tables "
            f"(ONS, {name})"
        ),
        "publisher": "Office for National Statistics (police recorded crime and incidents "
        "from Home Office returns)",
        "published": checked,
        "version": version,
        "url": name,
        "kind": "official",
    }


# --------------------------------------------------------------------------- table layout


@dataclass
class _Table:
    sheet: sheets.Sheet
    header: int  # index into sheet.rows
    code_col: int | None
    name_col: int
    footnotes: dict[int, str]
    areas: dict[int, tuple[str, str, list[int]]]  # row index -> (area_id, name, footnotes)

    @property
    def title(self) -> str:
        return " ".join(self.sheet.title.split())


def _cell(cells: list, j: int) -> str:
    return str(cells[j]).strip() if j < len(cells) else ""


def _layout(reading: _Reading, sheet: sheets.Sheet, measure_heading: str | None) -> _Table | None:
    """The header row, code and name columns, the rows of catalogued forces, the footnotes."""
    title = " ".join(sheet.title.split())
    header = code_col = None
    name_col = 0
    for i, (_, cells) in enumerate(sheet.rows):
        first = [name_key(_cell(cells, j)) for j in range(min(len(cells), 3))]
        if "area code" in first or "area codes" in first:
            header, code_col = i, first.index("area code" if "area code" in first else "area codes")
            name_col = code_col + 1
            break
        if measure_heading and any(_cell(cells, j) == measure_heading for j in range(len(cells))):
            header, code_col, name_col = i, None, 0
            break
    if header is None:
        reading.error(
            title,
            None,
            None,
            None,
            "a header row whose first cell is 'Area Code' (the table's layout); none found, so "
            "nothing was read from this workbook",
        )
        return None
    footnotes: dict[int, str] = {}
    areas: dict[int, tuple[str, str, list[int]]] = {}
    seen: dict[str, int] = {}
    for i in range(header + 1, len(sheet.rows)):
        number, cells = sheet.rows[i]
        filled = [c for c in cells if str(c).strip()]
        note = _FOOTNOTE_ROW.match(_cell(cells, 0))
        if note and len(filled) == 1:
            footnotes[int(note[1])] = " ".join(note[2].split())
            continue
        code = _cell(cells, code_col) if code_col is not None else ""
        label, notes = split_footnotes(_cell(cells, name_col))
        area = reading.catalogue.area(code) if code else None
        if area is None and code_col is None:
            area = reading.catalogue.area(label)
        if area is None or area not in reading.catalogue.forces:
            continue  # England and Wales, regions, British Transport Police: not read
        if area in seen and code_col is None:
            # A region named like its force (West Midlands): the force is the row with the
            # smaller figures, as a region's count includes its forces'.
            earlier = seen[area]
            if _first_number(cells) < _first_number(sheet.rows[earlier][1]):
                del areas[earlier]
                seen[area] = i
                areas[i] = (area, label, notes)
            reading.notice(
                title,
                f"'{label}' names two rows ({sheet.rows[earlier][0]} and {number}): the one "
                "with the smaller figures is read as the police force area (a region's count "
                "includes its forces')",
            )
            continue
        if area in seen:
            reading.error(
                title,
                number,
                sheets.column_letter((code_col if code_col is not None else name_col) + 1),
                code or label,
                f"one row for each police force area; {area} is also on row "
                f"{sheet.rows[seen[area]][0]}",
            )
            continue
        seen[area] = i
        areas[i] = (area, label, notes)
    missing = sorted(reading.catalogue.forces - {a for a, _, _ in areas.values()})
    if missing:
        names = ", ".join(reading.catalogue.area_names.get(a, a) for a in missing)
        how = "by area code" if code_col is not None else "by name"
        reading.error(
            title,
            None,
            "Area Code" if code_col is not None else "Area Name",
            None,
            f"a row for every police force area in areas.csv, matched {how} (Essex: "
            f"E23000028); none found for {names}",
        )
        return None
    return _Table(sheet, header, code_col, name_col, footnotes, areas)


def _first_number(cells: list) -> float:
    for cell in cells[1:]:
        if _NUMBER.match(str(cell).strip()):
            return float(cell)
    return float("inf")


def _force_keys(catalogue: Catalogue) -> dict[str, str]:
    """name_key of each force's name (brackets dropped: 'Essex (force-wide)' -> 'essex')."""
    return {
        area: name_key(re.sub(r"\(.*?\)", "", catalogue.area_names.get(area, area)))
        for area in catalogue.forces
    }


def _notes_for(
    table: _Table,
    numbers: list[int],
    area: str,
    column_key: str,
    column_keys: set[str],
    force_keys: dict[str, str],
) -> list[str]:
    """Footnotes that apply to this value: those naming no other area and no other column."""
    out = []
    for number in numbers:
        text = table.footnotes.get(number)
        if not text:
            continue
        words = f" {name_key(text)} "
        named_areas = {a for a, key in force_keys.items() if key and f" {key} " in words}
        if named_areas and area not in named_areas:
            continue
        named_columns = {k for k in column_keys if k and f" {k} " in words}
        if named_columns and column_key not in named_columns:
            continue
        out.append(f"Footnote {number} of {table.title}: {text}")
    return out


def _value(reading: _Reading, table: _Table, number: int, j: int, text: str) -> float | None:
    """A cell as a number; None when it says "no figure" or is empty; an error otherwise."""
    if text == "" or text.lower() in NO_FIGURE or text in NO_FIGURE:
        return None
    if not _NUMBER.match(text):
        reading.error(
            table.title,
            number,
            sheets.column_letter(j + 1),
            text,
            "a number, or a symbol for no figure ('..', '-', '+', 'NA', '*')",
        )
        return None
    return float(text)


def _record(
    reading: _Reading,
    table: _Table,
    metric: dict,
    area: str,
    label: str,
    basis: str,
    period: str,
    value: float,
    number: int,
    j: int,
    column_label: str,
    notes: list[str],
) -> None:
    shown = int(value) if float(value).is_integer() else value
    reading.records.append(
        {
            "metric_id": metric["metric_id"],
            "area_id": area,
            "basis": basis,
            "period": period,
            "value": str(shown),
            "status": "final",
            "source_sentence": f"{table.title}: {label} | {column_label} | {shown}",
            "note": " ".join(notes),
            "source_file": reading.name,
            "source_location": f"sheet '{table.sheet.title}', row {number}, "
            f"column {sheets.column_letter(j + 1)}",
        }
    )
    reading.rows.append(number)


# --------------------------------------------------------------------------- the tables


def _read_p1(reading: _Reading, sheet: sheets.Sheet, edition: dt.date) -> None:
    table = _layout(reading, sheet, None)
    if table is None:
        return
    header = table.sheet.rows[table.header][1]
    above = table.sheet.rows[table.header - 1][1] if table.header else []
    period = f"12m-to-{edition:%Y-%m}"
    wanted = reading.catalogue.series(P1_PUBLISHER)
    columns: dict[int, tuple[dict, str, str, list[int]]] = {}
    unmapped = []
    for j in range(table.name_col + 1, max(len(header), len(above))):
        raw = _cell(header, j) or _cell(above, j)
        if not raw:
            continue
        label, notes = split_footnotes(raw)
        key = SAME_GROUP.get(name_key(label), name_key(label))
        metric = wanted.get(SeriesKey(P1_PUBLISHER, key))
        if metric is None:
            unmapped.append(label)
            continue
        columns[j] = (metric, key, label, notes)
    if not columns:
        reading.error(
            table.title,
            table.sheet.rows[table.header][0],
            None,
            None,
            "offence group headings the catalogue maps (metrics.published_as "
            "'ons-pfa:<offence group>'); none found",
        )
        return
    if unmapped:
        reading.notice(
            table.title, f"offence groups not in the catalogue, left out: {', '.join(unmapped)}"
        )
    keys = {key for _, key, _, _ in columns.values()}
    force_keys = _force_keys(reading.catalogue)
    absent: list[str] = []
    for i, (area, label, row_notes) in table.areas.items():
        number, cells = table.sheet.rows[i]
        for j, (metric, key, column_label, column_notes) in columns.items():
            value = _value(reading, table, number, j, _cell(cells, j))
            if value is None:
                absent.append(f"{label} {column_label}")
                continue
            said = _notes_for(table, row_notes + column_notes, area, key, keys, force_keys)
            _record(
                reading,
                table,
                metric,
                area,
                label,
                "rolling_12m",
                period,
                value,
                number,
                j,
                column_label,
                said,
            )
    if absent:
        reading.notice(
            table.title,
            f"{len(absent)} cell(s) hold no figure ('..' not available), left out, never read "
            f"as 0: {', '.join(absent[:5])}{' ...' if len(absent) > 5 else ''}",
        )


def _read_p3(reading: _Reading, sheet: sheets.Sheet) -> None:
    metric = reading.catalogue.metric(SeriesKey(PUBLISHER, POPULATION))
    if metric is None:
        return
    table = _layout(reading, sheet, None)
    if table is None:
        return
    number, header = table.sheet.rows[table.header]
    column = next(
        (j for j in range(len(header)) if _cell(header, j).lower().startswith("population")),
        None,
    )
    year = _MIDYEAR.search(_cell(header, column)) if column is not None else None
    if column is None or year is None:
        reading.error(
            table.title,
            number,
            None,
            None,
            "a 'Population figures (mid-YYYY)' heading (the rates' denominator)",
        )
        return
    heading = " ".join(_cell(header, column).split())
    for i, (area, label, _) in table.areas.items():
        row, cells = table.sheet.rows[i]
        value = _value(reading, table, row, column, _cell(cells, column))
        if value is None:
            continue
        _record(
            reading,
            table,
            metric,
            area,
            label,
            "as_at",
            f"{year[1]}-06-30",
            value,
            row,
            column,
            heading,
            [],
        )


def _read_spans(reading: _Reading, sheet: sheets.Sheet, series: str, basis: str) -> None:
    """P5 (knife, rolling years) or P7 (ASB, years ending March): one column per period."""
    metric = reading.catalogue.metric(SeriesKey(PUBLISHER, series))
    if metric is None:
        return
    table = _layout(reading, sheet, "Number of Incidents" if series == ASB else None)
    if table is None:
        return
    number, header = table.sheet.rows[table.header]
    spans = table.sheet.rows[table.header - 1][1] if table.header else []
    columns: dict[int, tuple[str, str, list[int]]] = {}
    for j in range(len(spans)):
        parsed = _span_period(_cell(spans, j))
        if parsed is None or not _cell(header, j).lower().startswith("number"):
            continue
        period, shown, notes = parsed
        if basis == "financial_year":
            if not period.endswith("-03"):
                continue
            end = int(period[7:11])
            period = f"{end - 1}-{end % 100:02d}"
        columns[j] = (period, shown, notes)
    if not columns:
        reading.error(
            table.title,
            number,
            None,
            None,
            "period headings such as \"Apr '10 to Mar '11\" above 'Number of ...' columns",
        )
        return
    force_keys = _force_keys(reading.catalogue)
    for i, (area, label, row_notes) in table.areas.items():
        row, cells = table.sheet.rows[i]
        for j, (period, heading, column_notes) in columns.items():
            value = _value(reading, table, row, j, _cell(cells, j))
            if value is None:
                continue
            said = _notes_for(table, row_notes + column_notes, area, "", set(), force_keys)
            _record(
                reading, table, metric, area, label, basis, period, value, row, j, heading, said
            )
