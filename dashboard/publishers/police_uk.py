"""A police.uk street-level month (``YYYY-MM-<force>-street.csv``) -> counts by district.

police.uk publishes one file a month per force: one row per crime or anti-social behaviour
(ASB) incident, with the month, an anonymised location, the LSOA code and name, the police.uk
category (``Crime type``) and the last outcome. Read as published:

* both header styles: police.uk's own (``Crime ID,Month,...,LSOA name,Crime type,...``) and the
  snake_case copy (``crime_id,month,...``): names are compared lower-case, spaces as ``_``;
* CRLF or LF line endings, with or without a UTF-8 byte-order mark;
* streamed and bounded: the file's size (``PCP_MAX_FILE_MB``), its rows (``PCP_MAX_ROWS``) and
  the length of a line (a cell's limit, 32,767 characters) are checked as it is read; only
  regular files (``data.files``).

A month becomes counts, each a **record-count rule** (the provenance of a count):

* by district x category: rows of the month with that ``Crime type`` whose ``LSOA name`` is in
  the district (the LSOA name without its trailing `` NNNX`` code: ``Basildon 001A`` ->
  Basildon), for every district of the catalogue (areas.csv ``district``), 0 included;
* force-wide x category: every row of the month with that ``Crime type`` (all fall within the
  force), whatever its LSOA;
* rows whose LSOA lies outside the districts, and rows without an LSOA: counted per month as two
  series of their own, named in the import's notes and the source's title, never dropped
  silently (they are in the force-wide counts and in no district's).

A category with no row at all in the month gets no values (not zeros): police.uk's categories
have changed over the years. Which categories are read is data: metrics whose ``published_as``
is ``police-uk:<Crime type>``. The month is a ``month`` basis period; each file is a source of
its own, identified by the month and the file's sha256, so a later vintage of the same month
(police.uk re-issues months with updated outcomes) is another source and its differing counts
are kept as revisions.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..config import installed
from ..data.errors import Problem
from ..data.files import why_not_readable
from ..data.periods import PeriodError, canonical_period, period_display
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

PUBLISHER = "police-uk"
#: The columns read (normalised names); the others (location, outcome, context) are kept in
#: the published file, not in the dataset.
REQUIRED = ("month", "falls_within", "lsoa_code", "lsoa_name", "crime_type")
#: A header is police.uk's when it has these (and REQUIRED).
SIGNATURE = ("crime_id", "reported_by", *REQUIRED)
#: ``published_as`` of the two record series that are not a police.uk category.
OUTSIDE = "[LSOA outside the districts]"
NO_LSOA = "[no LSOA]"
_LSOA_NAME = re.compile(r"^(?P<district>.*\S)\s+\d{3}[A-Z]$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
#: Errors listed before reading stops (a wrong file would otherwise give one per row).
MAX_ERRORS = 50


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    rows: int
    line_chars: int

    @classmethod
    def from_read_limits(cls, limits: ReadLimits) -> Limits:
        return cls(limits.file_bytes, limits.sheet.rows, limits.sheet.cell_chars)


def header_key(text: str) -> str:
    """'Crime ID' -> 'crime_id', 'LSOA name' -> 'lsoa_name', 'crime_type' -> 'crime_type'."""
    return "_".join(text.strip().lstrip("\ufeff").lower().split())


def recognise(path: Path) -> bool:
    """True when the file's first line is a police.uk street-level header (either style)."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt") or why_not_readable(path):
        return False
    try:
        with open(path, "rb") as handle:
            first = handle.readline(4096)
    except OSError:
        return False
    text = first.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    keys = {header_key(h) for h in next(csv.reader([text]), [])}
    return set(SIGNATURE) <= keys


class _Stop(Exception):
    """Reading stopped at a limit or a broken line (the problem is already recorded)."""


def _lines(handle, name: str, limits: Limits, problems: list[Problem]):
    """Decoded lines without their ending, each bounded in length; stops at a limit."""
    number = 0
    while True:
        raw = handle.readline(limits.line_chars * 4 + 3)  # UTF-8: at most 4 bytes a character
        if not raw:
            return
        number += 1
        if number > limits.rows + 1:
            problems.append(
                Problem(
                    name,
                    number,
                    None,
                    None,
                    f"at most {limits.rows:,} rows (PCP_MAX_ROWS); reading stopped here, "
                    "nothing was imported",
                )
            )
            raise _Stop
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(name, number, None, None, f"UTF-8 text (byte {exc.start + 1} is not)")
            )
            raise _Stop from None
        if not raw.endswith(b"\n") and len(raw) >= limits.line_chars * 4 + 3:
            problems.append(_long_line(name, number, limits))
            raise _Stop
        text = text.rstrip("\r\n")
        if len(text) > limits.line_chars:
            problems.append(_long_line(name, number, limits))
            raise _Stop
        if "\x00" in text:
            problems.append(Problem(name, number, None, None, "CSV text (the line holds binary)"))
            raise _Stop
        yield text


def _long_line(name: str, number: int, limits: Limits) -> Problem:
    return Problem(
        name,
        number,
        None,
        None,
        f"a line of at most {limits.line_chars:,} characters (a police.uk row is a few "
        "hundred); reading stopped here, nothing was imported",
    )


@dataclass
class _Month:
    """What one month's rows count up to."""

    month: str | None = None
    rows: int = 0
    first_row: int = 0
    last_row: int = 0
    by_district: Counter | None = None  # (crime type, district area) -> rows
    force_wide: Counter | None = None  # crime type -> rows
    outside: Counter | None = None  # district name as written -> rows
    no_lsoa: int = 0
    falls_within: str | None = None  # as the first row writes it
    other: bool = False  # another force's file: its rows checked, counted into no series


def read(
    path: Path,
    catalogue: Catalogue,
    *,
    published: str | None = None,
    origin: str | None = None,
    limits: ReadLimits | None = None,
) -> Published:
    """Count a police.uk street-level month by district and category (see the module)."""
    path = Path(path)
    name = path.name
    bounds = Limits.from_read_limits(limits or ReadLimits.from_settings(installed()))
    result = opened(path, PUBLISHER, "a police.uk .csv file", bounds.file_bytes)
    if result.errors:
        return result
    force = catalogue.force
    series = catalogue.series(PUBLISHER)
    if force is None or not catalogue.districts or not series:
        return not_in_catalogue(
            result,
            "a catalogue with the force, its districts (areas.csv, area_type district) and "
            "the police.uk categories (metrics.published_as 'police-uk:<Crime type>')",
        )
    digest = hashlib.sha256()
    counted = _Month(by_district=Counter(), force_wide=Counter(), outside=Counter())
    try:
        with open(path, "rb") as handle:
            _count(handle, name, bounds, catalogue, counted, result.problems)
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except _Stop:
        return result
    except OSError as exc:
        result.problems.append(Problem.of_file(name, f"a readable file ({exc.strerror})"))
        return result
    if result.errors:
        return result
    if counted.month is None:
        result.problems.append(Problem.of_file(name, "at least one row after the header"))
        return result
    if counted.other:
        result.problems.append(
            Problem.of_file(
                name,
                f"{counted.month}: {counted.rows:,} records of {counted.falls_within} ('Falls "
                f"within'), not of {catalogue.area_names.get(force, force)}: kept with the "
                "version's records, counted into none of the dataset's series",
                "notice",
            )
        )
        return result
    _records(result, counted, catalogue, series, published, origin, digest.hexdigest())
    return result


def _count(
    handle, name: str, limits: Limits, catalogue: Catalogue, out: _Month, problems: list[Problem]
) -> None:
    reader = csv.reader(_lines(handle, name, limits, problems), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem(name, 1, None, None, f"a CSV header ({exc})"))
        return
    if not header:
        problems.append(Problem.of_file(name, "a police.uk header row; the file is empty"))
        return
    keys = [header_key(h) for h in header]
    missing = [k for k in REQUIRED if k not in keys]
    if missing:
        problems.append(
            Problem(
                name,
                1,
                None,
                ",".join(header)[:300],
                "a police.uk street-level header (Crime ID, Month, Reported by, Falls within, "
                "Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome "
                f"category, Context); missing: {', '.join(missing)}",
            )
        )
        return
    at = {k: keys.index(k) for k in REQUIRED}
    width = len(header)
    forces: dict[str, str | None] = {}
    crimes: dict[str, str] = {}  # a category cell as written -> its words
    places: dict[str, tuple[str, str | None]] = {}  # LSOA name cell -> (district as written, id)
    errors = 0

    def error(problem: Problem) -> None:
        nonlocal errors
        problems.append(problem)
        errors += 1
        if errors >= MAX_ERRORS:
            problems.append(
                Problem(name, problem.row, None, None, f"reading stopped after {errors} problems")
            )
            raise _Stop

    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            error(Problem(name, reader.line_num, None, None, f"a CSV row ({exc})"))
            continue
        row = reader.line_num
        if not cells:
            continue  # a blank line (the last line ending)
        if len(cells) != width:
            error(
                Problem(
                    name,
                    row,
                    None,
                    ",".join(cells)[:200],
                    f"{width} cells as in the header; this row has {len(cells)} "
                    "(a truncated or broken row)",
                )
            )
            continue
        month = cells[at["month"]].strip()
        # The file's month is checked once (its first row's); any other is an error below.
        if month != out.month and (not _MONTH.match(month) or _month_error(month)):
            error(Problem(name, row, header[at["month"]], month, "a month written YYYY-MM"))
            continue
        if out.month is None:
            out.month, out.first_row = month, row
        elif month != out.month:
            error(
                Problem(
                    name,
                    row,
                    header[at["month"]],
                    month,
                    f"{out.month}, the month of the file's first row (police.uk publishes one "
                    "file a month)",
                )
            )
            continue
        falls = cells[at["falls_within"]].strip()
        if falls not in forces:
            forces[falls] = catalogue.area(falls)
        if out.falls_within is None:
            out.falls_within = falls
            # Another force's file (a national import): its records are kept with the version
            # (data/records.py), and it counts into none of the dataset's series.
            out.other = bool(falls) and forces[falls] != catalogue.force
        if out.other:
            if falls != out.falls_within:
                error(
                    Problem(
                        name,
                        row,
                        header[at["falls_within"]],
                        falls,
                        f"a row of {out.falls_within}, as the file's first row (police.uk "
                        "publishes one file a force and month)",
                    )
                )
                continue
        elif forces[falls] != catalogue.force:
            error(
                Problem(
                    name,
                    row,
                    header[at["falls_within"]],
                    falls,
                    f"a row of the force's own file ({catalogue.area_names.get(catalogue.force or '', catalogue.force)}: "
                    "'Falls within' names it)",
                )
            )
            continue
        cell = cells[at["crime_type"]]
        crime = crimes.get(cell)
        if crime is None:
            crime = crimes[cell] = " ".join(cell.split())
        if not crime:
            error(Problem(name, row, header[at["crime_type"]], "", "a police.uk category"))
            continue
        out.rows += 1
        out.last_row = row
        if out.other:
            continue  # counted into no series: only checked
        assert out.force_wide is not None and out.by_district is not None
        assert out.outside is not None
        out.force_wide[crime] += 1
        cell = cells[at["lsoa_name"]]
        if cell not in places:  # an LSOA name recurs month after month: matched once
            lsoa = " ".join(cell.split())
            match = _LSOA_NAME.match(lsoa)
            written = match["district"] if match else lsoa
            places[cell] = (written, catalogue.district(written) if lsoa else None)
        written, district = places[cell]
        if not written:
            out.no_lsoa += 1
        elif district is None:
            out.outside[written] += 1
        else:
            out.by_district[(crime, district)] += 1


def _month_error(month: str) -> bool:
    try:
        canonical_period("month", month)
    except PeriodError:
        return True
    return False


def _records(
    result: Published,
    counted: _Month,
    catalogue: Catalogue,
    series: dict[SeriesKey, dict],
    published: str | None,
    origin: str | None,
    sha256: str,
) -> None:
    name = result.file
    month = counted.month
    assert month is not None and counted.force_wide is not None
    assert counted.by_district is not None and counted.outside is not None
    force = catalogue.force
    assert force is not None
    districts = sorted(set(catalogue.districts.values()))
    outside = sum(counted.outside.values())
    shown = period_display("month", month)
    rows_span = f"rows {counted.first_row:,} to {counted.last_row:,}"
    note = (
        f"police.uk counts, not Home Office recorded crime. Of the month's {counted.rows:,} "
        f"rows, {outside:,} have an LSOA outside the {len(districts)} districts and "
        f"{counted.no_lsoa:,} have none: they are in the force-wide count, in no district's."
    )
    metric_of = {key.label: metric for key, metric in series.items()}
    left_out = sorted(c for c in counted.force_wide if name_key(c) not in metric_of)
    if left_out:
        result.problems.append(
            Problem(
                name,
                None,
                "Crime type",
                None,
                "police.uk categories not in the catalogue (metrics.published_as "
                "'police-uk:<Crime type>'), left out: "
                + ", ".join(f"{c} ({counted.force_wide[c]:,} rows)" for c in left_out),
                "notice",
            )
        )
    absent = sorted(
        m["published_as"].split(":", 1)[1]
        for k, m in series.items()
        if k.label not in (name_key(OUTSIDE), name_key(NO_LSOA))
        and k.label not in {name_key(c) for c in counted.force_wide}
    )
    if absent:
        result.problems.append(
            Problem.of_file(
                name,
                f"{month}: no row of categor{'y' if len(absent) == 1 else 'ies'} "
                f"{', '.join(absent)}: no values for {'it' if len(absent) == 1 else 'them'} "
                "this month (not zeros)",
                "notice",
            )
        )
    names = catalogue.area_names
    top = ", ".join(f"{d} {n:,}" for d, n in counted.outside.most_common(8))
    more = len(counted.outside) - 8
    result.problems.append(
        Problem.of_file(
            name,
            f"{month}: {counted.rows:,} records; {outside:,} with an LSOA outside the "
            f"{len(districts)} districts ({top or 'none'}{f', and {more} more' if more > 0 else ''})"
            f" and {counted.no_lsoa:,} without an LSOA: counted force-wide and as their own "
            "series, in no district",
            "notice",
        )
    )
    records: list[dict] = []

    def add(metric: dict, area: str, value: int, rule: str, row_note: str) -> None:
        records.append(
            {
                "metric_id": metric["metric_id"],
                "area_id": area,
                "basis": "month",
                "period": month,
                "value": str(value),
                "status": "final",
                "source_sentence": f"{value:,} {rule} in {name}",
                "note": row_note,
                "source_file": name,
                "source_location": f"{rows_span}: {value:,} {rule}",
            }
        )

    force_name = str(names.get(force, force)).split(" (")[0]
    for crime in sorted(counted.force_wide):
        metric = metric_of.get(name_key(crime))
        if metric is None:
            continue
        add(
            metric,
            force,
            counted.force_wide[crime],
            f"row(s) with Month {month} and Crime type '{crime}' (every row falls within "
            f"{force_name} Police; any LSOA or none)",
            f"police.uk counts, not Home Office recorded crime: every record of the month, "
            f"{outside:,} with an LSOA outside the districts and {counted.no_lsoa:,} without one "
            "included.",
        )
        for district in districts:
            label = names.get(district, district)
            add(
                metric,
                district,
                counted.by_district[(crime, district)],
                f"row(s) with Month {month}, Crime type '{crime}' and an LSOA name in {label} "
                f"('{label} NNNX')",
                note,
            )
    outside_metric = metric_of.get(name_key(OUTSIDE))
    if outside_metric is not None:
        add(
            outside_metric,
            force,
            outside,
            f"row(s) with Month {month} and an LSOA name outside the {len(districts)} districts"
            + (f" ({top}{f', and {more} more' if more > 0 else ''})" if top else ""),
            "In the force-wide counts, in no district's.",
        )
    no_lsoa_metric = metric_of.get(name_key(NO_LSOA))
    if no_lsoa_metric is not None:
        add(
            no_lsoa_metric,
            force,
            counted.no_lsoa,
            f"row(s) with Month {month} and no LSOA",
            "In the force-wide counts, in no district's.",
        )
    if published is None:
        result.problems.append(
            Problem.of_file(
                name,
                "a publication date: a police.uk file carries none; give the date of the "
                "vintage (the archive it was taken from) with --published YYYY-MM-DD "
                "(or YYYY-MM)",
            )
        )
        return
    checked = publication_date(published)
    if checked is None:
        result.problems.append(
            Problem(name, None, "--published", published, "a date written YYYY-MM-DD or YYYY-MM")
        )
        return
    source_id = f"police-uk-{force}-{month}-{sha256[:8]}"
    source = {
        "source_id": source_id,
        "title": (
            f"police.uk street-level crime and anti-social behaviour records, {force_name} "
            f"Police, {shown} ({name}: {counted.rows:,} records; {outside:,} with an LSOA "
            f"outside the {len(districts)} districts, {counted.no_lsoa:,} without an LSOA; "
            "police.uk files carry no release date: the date given is that of the copy imported)"
        ),
        "publisher": f"data.police.uk (street-level records reported by {force_name} Police)",
        "published": checked,
        "version": f"file sha256 {sha256}",
        "url": origin or f"https://data.police.uk/data/archive/ ({name})",
        "kind": "official",
    }
    for record in records:
        record["source_id"] = source_id
    result.tables = [
        text_table(name, [source], [1], SOURCE_COLUMNS),
        text_table(name, records, [counted.first_row] * len(records), OBSERVATION_COLUMNS),
    ]
    result.source_ids = [source_id]
