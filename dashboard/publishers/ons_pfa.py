"""ONS police recorded crime by police force area (``rec-crime-pfa.csv``) -> dataset tables.

The table has one row per area, offence group and period: ``12 months ending`` (dd-mm-yyyy),
``PFA``, ``Region``, ``Offence``, ``Rolling year total number of offences``. Columns are found by
their header text in any order; a period is the 12 months ending with the named month (the
table writes one quarter end as 30-12-2017: still the year ending December 2017).

Read as published, with these rules (each reported as a note, never silently):

* only offence groups the catalogue maps (``published_as`` ``ons-pfa:<group>``) are read;
* rows for bodies that are not police force areas (British Transport Police, Action Fraud,
  CIFAS, UK Finance) are left out, as are labels that name no area of the catalogue;
* a period in which *every* police force area has 0 for a group is one in which the group was
  not in use (the burglary definitions before and after April 2017): left out, not zeros; once
  a group has been retired that way, a later 0 in a single force is the definition no longer
  in use and is left out too (a few later non-zero values, in Humberside, are kept);
* a negative rolling total (an adjustment as fraud moved to Action Fraud) is not a count: left out.

A group that does not reach every police force area of the catalogue is an error: a renamed
force must not vanish from a comparison without a word.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from ..data.errors import Problem
from ..data.readers import read_table
from .catalogue import Catalogue, SeriesKey, name_key
from .common import (
    OBSERVATION_COLUMNS,
    SOURCE_COLUMNS,
    Published,
    month_end,
    not_in_catalogue,
    publication_date,
    text_table,
)

PUBLISHER = "ons-pfa"
#: The table's columns (compared by name_key): role -> header text.
COLUMNS = {
    "period": "12 months ending",
    "area": "PFA",
    "offence": "Offence",
    "value": "Rolling year total number of offences",
}
#: Rows of the table that are not police force areas.
NOT_FORCE_AREAS = ("British Transport Police", "Action Fraud", "CIFAS", "UK Finance")
_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")
_COUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})+$|^-?\d+$")


def _header_roles(header: list[str]) -> dict[str, str]:
    wanted = {name_key(text): role for role, text in COLUMNS.items()}
    return {wanted[name_key(h)]: h for h in header if name_key(h) in wanted}


def recognise(path: Path) -> bool:
    """True when the file's first line has the ONS table's four key columns."""
    if Path(path).suffix.lower() not in (".csv", ".txt"):
        return False
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader([handle.readline()]), [])
    except OSError:
        return False
    return len(_header_roles([h.strip() for h in header])) == len(COLUMNS)


def _period(text: str) -> tuple[str | None, str | None]:
    """(rolling_12m label, note) for a '12 months ending' cell; (None, expected) if unreadable."""
    match = _DATE.match(text.strip())
    if not match:
        return None, "a date the 12 months end on, written dd-mm-yyyy (for example 31-12-2018)"
    if match[1]:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    else:
        year, month, day = int(match[4]), int(match[5]), int(match[6])
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, "a real date the 12 months end on (dd-mm-yyyy)"
    note = None
    if date != month_end(year, month):
        note = (
            f"the table writes this period's end as {text.strip()}; read as the 12 months "
            f"to {date:%B %Y}"
        )
    return f"12m-to-{year}-{month:02d}", note


def _row_text(cells: list[str]) -> str:
    """The CSV row as the file has it (standard quoting, no line ending)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def read(path: Path, catalogue: Catalogue, *, published: str | None = None) -> Published:
    path = Path(path)
    name = path.name
    raw = read_table(path)
    result = Published(name, PUBLISHER, problems=list(raw.problems))
    if result.errors:
        return result
    header = list(raw.frame.columns)
    roles = _header_roles(header)
    missing = [COLUMNS[r] for r in COLUMNS if r not in roles]
    if missing:
        result.problems.append(
            Problem(
                name,
                1,
                None,
                ", ".join(header),
                f"the ONS police force area table's columns; missing: {', '.join(missing)}",
            )
        )
        return result
    frame = raw.frame
    rows = raw.rows
    wanted = catalogue.series(PUBLISHER)
    if not wanted:
        return not_in_catalogue(
            result,
            "metrics for the ONS offence groups in the catalogue (metrics.published_as "
            "'ons-pfa:<offence group>')",
        )
    offences = frame[roles["offence"]].astype(str).str.strip()
    areas = frame[roles["area"]].astype(str).str.strip()
    periods = frame[roles["period"]].astype(str).str.strip()
    values = frame[roles["value"]].astype(str).str.strip()

    metric_of = {o: wanted.get(SeriesKey(PUBLISHER, name_key(o))) for o in offences.unique()}
    skipped = sorted(o for o, m in metric_of.items() if m is None)
    if skipped:
        result.problems.append(
            Problem(
                name,
                None,
                roles["offence"],
                None,
                f"offence groups not in the catalogue, left out: {', '.join(skipped)}",
                "notice",
            )
        )
    not_force = {name_key(n) for n in NOT_FORCE_AREAS}
    area_of: dict[str, str | None] = {}
    unknown: list[str] = []
    left_out: list[str] = []
    for label in areas.unique():
        area_of[label] = catalogue.area(label)
        if area_of[label] is None:
            (left_out if name_key(label) in not_force else unknown).append(label)
    if left_out:
        result.problems.append(
            Problem(
                name,
                None,
                roles["area"],
                None,
                f"not police force areas, left out: {', '.join(sorted(left_out))}",
                "notice",
            )
        )
    if unknown:
        result.problems.append(
            Problem(
                name,
                None,
                roles["area"],
                None,
                f"labels that name no area in areas.csv, left out: {', '.join(sorted(unknown))}",
                "notice",
            )
        )

    period_of: dict[str, tuple[str | None, str | None]] = {p: _period(p) for p in periods.unique()}
    for text, (label, note) in period_of.items():
        if label is not None and note:
            result.problems.append(Problem(name, None, roles["period"], text, note, "notice"))

    cells = frame.to_numpy(dtype=object)
    keep = offences.map(lambda o: metric_of[o] is not None) & areas.map(
        lambda a: area_of[a] is not None
    )
    records: list[dict] = []
    record_rows: list[int] = []
    negatives: list[str] = []
    for position in keep[keep].index:
        row = int(rows[position])
        label, expected = period_of[periods.iat[position]]
        if label is None:
            result.problems.append(
                Problem(name, row, roles["period"], periods.iat[position], str(expected))
            )
            continue
        value = values.iat[position]
        if not _COUNT.match(value):
            result.problems.append(
                Problem(
                    name,
                    row,
                    roles["value"],
                    value,
                    "a whole number of offences (the rolling 12-month total)",
                )
            )
            continue
        number = int(value.replace(",", ""))
        if number < 0:
            negatives.append(
                f"row {row} ({areas.iat[position]}, {offences.iat[position]}, {number})"
            )
            continue
        metric = metric_of[offences.iat[position]]
        assert metric is not None  # rows of groups the catalogue does not map were not kept
        records.append(
            {
                "metric_id": metric["metric_id"],
                "area_id": area_of[areas.iat[position]],
                "basis": "rolling_12m",
                "period": label,
                "value": str(number),
                "status": "final",
                "source_sentence": _row_text([str(c) for c in cells[position]]),
                "note": period_of[periods.iat[position]][1] or "",
                "source_file": name,
                "source_location": f"row {row}",
            }
        )
        record_rows.append(row)
    if negatives:
        result.problems.append(
            Problem(
                name,
                None,
                roles["value"],
                None,
                "negative rolling totals are adjustments, not counts; left out: "
                + "; ".join(negatives),
                "notice",
            )
        )
    if result.errors:
        return result
    records, record_rows = _drop_groups_not_in_use(records, record_rows, catalogue, result)
    _check_every_force(records, catalogue, result, name)
    if result.errors:
        return result
    if not records:
        result.problems.append(
            Problem.of_file(name, "at least one value for a catalogued offence group")
        )
        return result
    source = _source(name, records, published, result)
    if source is None:
        return result
    for record in records:
        record["source_id"] = source["source_id"]
    result.tables = [
        text_table(name, [source], [1], SOURCE_COLUMNS),
        text_table(name, records, record_rows, OBSERVATION_COLUMNS),
    ]
    result.source_ids = [source["source_id"]]
    return result


def _drop_groups_not_in_use(
    records: list[dict], rows: list[int], catalogue: Catalogue, result: Published
) -> tuple[list[dict], list[int]]:
    """Leave out the periods a group was not in use: where every police force area has 0, and,
    once a group has been retired that way (the old burglary definitions), any later 0."""
    frame = pd.DataFrame(
        {
            "metric_id": [r["metric_id"] for r in records],
            "period": [r["period"] for r in records],
            "area_id": [r["area_id"] for r in records],
            "value": [int(r["value"]) for r in records],
        }
    )
    forces = frame[frame["area_id"].isin(catalogue.forces)]
    totals = forces.groupby(["metric_id", "period"])["value"].agg(["max", "count"])
    unused = totals[(totals["max"] == 0) & (totals["count"] >= len(catalogue.forces))]
    if unused.empty:
        return records, rows
    drop = pd.Series(False, index=frame.index)
    for metric_id, periods in unused.reset_index().groupby("metric_id")["period"]:
        first, last = periods.min(), periods.max()
        ours = frame["metric_id"] == metric_id
        used_before = (ours & (frame["period"] < first) & (frame["value"] > 0)).any()
        dropped = ours & frame["period"].isin(set(periods))
        retired = ""
        if used_before:  # retired at `first`: a later 0 is the definition not in use
            later = ours & (frame["period"] > last) & (frame["value"] == 0)
            if later.any():
                retired = (
                    f"; after that, {int(later.sum())} later 0(s) in single forces are left out "
                    "too (the definition was no longer in use), other values kept"
                )
            dropped |= later
        drop |= dropped
        result.problems.append(
            Problem.of_file(
                result.file,
                f"{metric_id}: every police force area has 0 in {len(periods)} period(s) "
                f"({first} to {last}): the offence group was not in use then, so these are left "
                f"out rather than read as counts of zero{retired}",
                "notice",
            )
        )
    keep = ~drop.to_numpy()
    return (
        [r for r, k in zip(records, keep, strict=True) if k],
        [n for n, k in zip(rows, keep, strict=True) if k],
    )


def _check_every_force(
    records: list[dict], catalogue: Catalogue, result: Published, name: str
) -> None:
    found: dict[str, set[str]] = {}
    for record in records:
        found.setdefault(record["metric_id"], set()).add(record["area_id"])
    for metric_id, areas in sorted(found.items()):
        missing = sorted(catalogue.forces - areas)
        if missing:
            names = ", ".join(catalogue.area_names.get(a, a) for a in missing)
            result.problems.append(
                Problem(
                    name,
                    None,
                    COLUMNS["area"],
                    None,
                    f"values for every police force area in areas.csv for {metric_id}; none "
                    f"found for {names} (a renamed area needs its new name as an alias)",
                )
            )


def _source(
    name: str, records: list[dict], published: str | None, result: Published
) -> dict | None:
    periods = sorted({r["period"] for r in records})
    first, last = periods[0], periods[-1]
    if published is None:
        result.problems.append(
            Problem.of_file(
                name,
                "a publication date: the ONS table carries none; give the date of the ONS release "
                "it comes from with --published YYYY-MM-DD (or YYYY-MM)",
            )
        )
        return None
    checked = publication_date(published)
    if checked is None:
        result.problems.append(
            Problem(name, None, "--published", published, "a date written YYYY-MM-DD or YYYY-MM")
        )
        return None

    def month(label: str) -> str:
        return dt.date(int(label[7:11]), int(label[12:14]), 1).strftime("%B %Y")

    return {
        "source_id": f"ons-prc-pfa-{last[7:]}",
        "title": (
            "Police recorded crime by police force area, England and Wales: rolling 12-month "
            f"totals, years ending {month(first)} to {month(last)} (ONS open data table, {name})"
        ),
        "publisher": "Office for National Statistics (police recorded crime from Home Office returns)",
        "published": checked,
        "version": "",
        "url": name,
        "kind": "official",
    }
