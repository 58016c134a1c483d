"""Text tables -> typed, checked frames, with every problem located (file, row, column, value).

Three layers, all reported together: the shape of each file (columns, empty files); each value
(numbers, codes, periods) through the pandera schema; and the links between tables (a metric,
area, source or objective must exist; a key may not carry two different values).

Frames leave this module with helper columns ``_file`` and ``_row`` (where each row came from)
so that every later problem can still point at a line of a file; ``strip_helpers`` removes them.

The work is vectorised (pandas string methods, one parse per distinct period or alias): a
million-row table is checked in seconds. Only the cells that are not plain get the per-cell
parser, so the messages are those of ``parse_number`` whatever the size of the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from pandera.errors import SchemaErrors

from .errors import Problem
from .periods import (
    BASES,
    QUARTER_BASES,
    PeriodError,
    canonical_period,
    parse_quarter,
    period_display,
    period_start,
)
from .readers import RawTable, read_table
from .schema import REQUIRED_TABLES, TABLES, TableSpec, table_for_filename

INT_COLUMNS = {"priority", "order", "level"}
FLOAT_COLUMNS = {"value", "target"}
BOOL_COLUMNS = {"headline"}
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}

# ASCII digits only: other scripts' digits are turned into these first (``ascii_digits``), so
# that validate and import read a cell the same way and the dataset only ever holds 0-9.
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$", re.ASCII)
_MONEY = re.compile(r"^(-)?£\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(m|bn|k)?$", re.I | re.ASCII)
_PERCENT = re.compile(r"^(-?\d+(\.\d+)?)\s?%$", re.ASCII)
_SCALE = {"k": 1e3, "m": 1e6, "bn": 1e9}
#: The schema's bound on a value (schema.OBSERVATIONS): beyond it a figure is a typing slip.
MAX_ABS_VALUE = 1e12
_NUMBER_EXPECTED = "a number, such as 82344, 82,344, 11.2 or £5.4m (one value per cell)"
_FORMULA_START = ("=", "+", "@")


class NumberError(ValueError):
    pass


def ascii_digits(text: str) -> str:
    """Full-width forms (NFKC) and digits of any script (Arabic-Indic, Devanagari...) as ASCII.

    The one normalisation of numbers that validate and import share: "１５０" and "١٥٠" are read
    as 150 everywhere, and what is written to the dataset is "150"."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.decimal(c)) if not c.isascii() and c.isdecimal() else c for c in text
    )


def parse_number(text: str) -> tuple[float, str | None]:
    """A number as analysts type it. Returns (value, form) where form says what was accepted
    beyond plain digits: 'thousands', 'money' or 'percent'. Ambiguous text is refused."""
    cleaned = ascii_digits(str(text).strip().replace("\u00a0", ""))
    if _PLAIN.match(cleaned):
        return float(cleaned), None
    if _GROUPED.match(cleaned):
        return float(cleaned.replace(",", "")), "thousands"
    money = _MONEY.match(cleaned)
    if money:
        sign, whole, fraction, scale = money.groups()
        value = float(whole.replace(",", "") + (fraction or "")) * _SCALE.get(
            (scale or "").lower(), 1
        )
        return (-value if sign else value), "money"
    percent = _PERCENT.match(cleaned)
    if percent:
        return float(percent.group(1)), "percent"
    raise NumberError(cleaned)


def _show(value: object) -> str:
    """A value as a person would write it in a message: 168, not 168.0."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "(empty)"
    if isinstance(value, float | np.floating):
        number = float(value)
        return f"{number:,.10g}" if abs(number) >= 1e4 else f"{number:.10g}"
    return str(value)


def identify_table(raw: RawTable) -> TableSpec | None:
    """Which table a file holds: by its name, else by its columns (analysts' own file names)."""
    spec = table_for_filename(raw.file)
    if spec:
        return spec
    columns = set(raw.frame.columns)
    if {"metric_id", "value"} <= columns or {"metric_id", "period"} <= columns:
        return TABLES["observations"]
    best = max(TABLES.values(), key=lambda s: len(columns & set(s.columns)))
    return best if len(columns & set(best.columns)) >= 2 else None


def _check_columns(raw: RawTable, spec: TableSpec, problems: list[Problem]) -> bool:
    expected = spec.columns
    required = [c for c, col in spec.schema.columns.items() if col.required]
    if spec.name == "observations":
        required.remove("basis")  # taken from the metric catalogue when absent
    present = list(raw.frame.columns)
    ok = True
    for column in present:
        if column not in expected:
            close = difflib.get_close_matches(column, expected, n=1, cutoff=0.6)
            if not close:
                close = [c for c in expected if c.lower() == column.lower().replace(" ", "_")]
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                Problem(
                    raw.file,
                    1,
                    column,
                    column,
                    f"unknown column; {hint}expected columns: {', '.join(expected)}",
                )
            )
            ok = False
    for column in required:
        if column not in present:
            problems.append(
                Problem(
                    raw.file,
                    1,
                    column,
                    None,
                    f"this column is missing; expected columns: {', '.join(expected)}",
                )
            )
            ok = False
    return ok


# --- values ---------------------------------------------------------------------------------


def _text_series(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("str").fillna("").str.strip()


def _flagged(
    mask, file: str, rows, column: str, text, expected: str, severity: str = "error"
) -> list[Problem]:
    """One located problem for each row the boolean ``mask`` marks (``text``: the cells, or
    None when there is no value to show)."""
    return [
        Problem(
            file,
            int(rows[position]),
            column,
            None if text is None else text.iat[position],
            expected,
            severity,
        )
        for position in np.flatnonzero(mask)
    ]


def _clean_values(raw: RawTable, spec: TableSpec, problems: list[Problem]) -> pd.DataFrame:
    """Turn text cells into typed values; a cell that cannot be read is reported and left null."""
    source = raw.frame.reset_index(drop=True)
    rows = np.asarray(raw.rows[: len(source)], dtype=np.int64)
    frame = pd.DataFrame(index=source.index)
    forms = pd.Series(None, index=source.index, dtype=object)
    for column in spec.columns:
        if column not in source.columns:
            continue
        text = _text_series(source, column)
        empty = (text == "").to_numpy()
        required = not spec.schema.columns[column].nullable
        if column in INT_COLUMNS | FLOAT_COLUMNS | BOOL_COLUMNS and required and empty.any():
            problems += _flagged(
                empty, raw.file, rows, column, None, "a value (this column may not be empty)"
            )
        if column in INT_COLUMNS:
            frame[column] = _parse_ints(text, empty, rows, raw.file, column, problems)
        elif column in FLOAT_COLUMNS:
            frame[column] = _parse_floats(text, empty, rows, raw.file, column, problems, forms)
        elif column in BOOL_COLUMNS:
            lowered = text.str.lower()
            values = pd.Series(pd.NA, index=source.index, dtype="boolean")
            values[lowered.isin(_TRUE).to_numpy()] = True
            values[lowered.isin(_FALSE).to_numpy()] = False
            bad = ~empty & values.isna().to_numpy()
            problems += _flagged(bad, raw.file, rows, column, text, "true or false")
            frame[column] = values
        else:
            formula = text.str.startswith(_FORMULA_START).to_numpy()
            problems += _flagged(
                formula,
                raw.file,
                rows,
                column,
                text,
                "starts like a spreadsheet formula: kept as text, neutralised in exports",
                "notice",
            )
            frame[column] = text.where(~empty)
    frame["_file"] = raw.file
    frame["_row"] = rows
    frame["_form"] = forms
    return frame


def _unusual(text: pd.Series, empty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(plain, other): cells of plain digits, and non-empty cells that need the full parser."""
    plain = text.str.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?").fillna(False).to_numpy(dtype=bool)
    return plain, ~empty & ~plain


def _parse_ints(text, empty, rows, file, column, problems) -> pd.Series:
    plain, other = _unusual(text, empty)
    numbers = np.array(pd.to_numeric(text.where(plain), errors="coerce"), dtype=float)
    for position in np.flatnonzero(other):
        converted = ascii_digits(text.iat[position])
        if _PLAIN.match(converted):
            numbers[position] = float(converted)
            other[position] = False
            plain[position] = True
    bad = other | (plain & (numbers != np.floor(numbers)))
    problems += _flagged(bad, file, rows, column, text, "a whole number")
    numbers[bad] = np.nan
    return pd.Series(numbers, index=text.index).astype("Int64")


def _parse_floats(text, empty, rows, file, column, problems, forms) -> pd.Series:
    plain, other = _unusual(text, empty)
    numbers = np.array(pd.to_numeric(text.where(plain), errors="coerce"), dtype=float)
    for position in np.flatnonzero(other):
        cell = text.iat[position]
        row = int(rows[position])
        try:
            number, form = parse_number(cell)
        except NumberError:
            problems.append(Problem(file, row, column, cell, _NUMBER_EXPECTED))
            continue
        numbers[position] = number
        if form:
            forms.iat[position] = form
            problems.append(
                Problem(file, row, column, cell, f"read as {number:,.10g} ({form} form)", "notice")
            )
        elif ascii_digits(cell) != cell:
            problems.append(
                Problem(file, row, column, cell, f"read as {number:,.10g} (digits 0-9)", "notice")
            )
    huge = np.abs(np.nan_to_num(numbers)) >= MAX_ABS_VALUE
    problems += _flagged(
        huge,
        file,
        rows,
        column,
        text,
        "a number smaller than a million million (this looks like a typing slip)",
    )
    numbers[huge] = np.nan
    return pd.Series(numbers, index=text.index, dtype=float)


# --- areas by any of their names ------------------------------------------------------------


def alias_key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def area_aliases(areas: pd.DataFrame | None) -> dict[str, set[str]]:
    """Every way of writing an area (id, name, each alias in areas.csv) -> the area ids it names."""
    names: dict[str, set[str]] = {}
    if areas is None or areas.empty:
        return names
    for record in areas.to_dict("records"):
        area_id = record.get("area_id")
        if not isinstance(area_id, str):
            continue
        spellings = [area_id, record.get("name")]
        aliases = record.get("aliases")
        if isinstance(aliases, str):
            spellings += aliases.split("|")
        for spelling in spellings:
            if isinstance(spelling, str) and spelling.strip():
                names.setdefault(alias_key(spelling), set()).add(area_id)
    return names


def _resolve_areas(frame: pd.DataFrame, column: str, areas: pd.DataFrame | None) -> list[Problem]:
    """Replace an area written by name or alias with its id, saying so; ambiguous ones are errors."""
    if column not in frame.columns or areas is None:
        return []
    known = set(areas["area_id"].dropna())
    names = area_aliases(areas)
    values = frame[column]
    unknown = values.notna() & ~values.isin(known)
    if not unknown.any():
        return []
    problems: list[Problem] = []
    mapping: dict[str, str] = {}
    ambiguous: dict[str, list[str]] = {}
    for value in values[unknown].unique():
        ids = names.get(alias_key(value), set())
        if len(ids) == 1:
            mapping[value] = next(iter(ids))
        elif len(ids) > 1:
            ambiguous[value] = sorted(ids)
    hits = unknown & values.isin(list(mapping) + list(ambiguous))
    for index in np.flatnonzero(hits.to_numpy()):
        value = values.iat[index]
        file, row = frame["_file"].iat[index], int(frame["_row"].iat[index])
        said, severity = (
            (f"read as area '{mapping[value]}' (a name listed for it in areas.csv)", "notice")
            if value in mapping
            else (
                f"an area id: this name fits more than one area ({', '.join(ambiguous[value])})",
                "error",
            )
        )
        problems.append(Problem(file, row, column, value, said, severity))
    if mapping:
        frame[column] = values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
    return problems


# --- periods --------------------------------------------------------------------------------


def _fill_basis(frame: pd.DataFrame, metrics: pd.DataFrame | None, wide: bool) -> list[Problem]:
    """Observations without a basis (wide layout, or no basis column) take their metric's."""
    problems: list[Problem] = []
    if "basis" not in frame.columns:
        frame["basis"] = pd.Series(np.nan, index=frame.index, dtype="str")
    missing = frame["basis"].isna()
    if not missing.any() or metrics is None or "metric_id" not in frame.columns:
        return problems
    basis_of = dict(zip(metrics["metric_id"], metrics["basis"], strict=False))
    filled = frame["metric_id"].map(basis_of)
    frame.loc[missing, "basis"] = filled[missing]
    if wide:
        wrong = missing & filled.notna() & ~filled.isin(QUARTER_BASES)
        for index in np.flatnonzero(wrong.to_numpy()):
            metric = frame["metric_id"].iat[index]
            problems.append(
                Problem(
                    frame["_file"].iat[index],
                    int(frame["_row"].iat[index]),
                    "period",
                    frame["period"].iat[index],
                    f"metric {metric} is on a {filled.iat[index]} basis: give it a 'basis' and "
                    "'period' column, not quarter columns",
                )
            )
        frame["_skip_period"] = wrong
    return problems


def _canonicalise_periods(frame: pd.DataFrame) -> list[Problem]:
    """Each (basis, period) spelling parsed once; every row holds the canonical label after."""
    problems: list[Problem] = []
    if "period" not in frame.columns or "basis" not in frame.columns:
        return problems
    pairs = frame[["basis", "period"]]
    usable = pairs["basis"].isin(BASES) & pairs["period"].notna()
    if "_skip_period" in frame.columns:
        usable &= ~frame["_skip_period"].astype(bool)
    if not usable.any():
        return problems
    labels: dict[str, str] = {}
    errors: dict[str, str] = {}
    for basis, period in pairs[usable].drop_duplicates().itertuples(index=False):
        try:
            labels[f"{basis}\x1f{period}"] = canonical_period(basis, period)
        except PeriodError as exc:
            errors[f"{basis}\x1f{period}"] = str(exc)
    keys = pairs["basis"].fillna("") + "\x1f" + pairs["period"].fillna("")
    mapped = keys.map(labels).astype(object)
    canonical = mapped.where(mapped.notna(), pairs["period"].astype(object)).astype("str")
    canonical = canonical.where(pairs["period"].notna())
    if errors:
        failing = (keys.isin(list(errors)) & usable).to_numpy()
        for index in np.flatnonzero(failing):
            problems.append(
                Problem(
                    frame["_file"].iat[index],
                    int(frame["_row"].iat[index]),
                    "period",
                    pairs["period"].iat[index],
                    errors[keys.iat[index]],
                )
            )
    frame["period"] = canonical
    return problems


def _canonicalise_quarters(frame: pd.DataFrame, column: str) -> list[Problem]:
    problems: list[Problem] = []
    labels: dict[str, str] = {}
    for text in frame[column].dropna().unique():
        try:
            labels[text] = parse_quarter(text).label
        except PeriodError as exc:
            for index in np.flatnonzero((frame[column] == text).to_numpy()):
                problems.append(
                    Problem(
                        frame["_file"].iat[index],
                        int(frame["_row"].iat[index]),
                        column,
                        text,
                        str(exc),
                    )
                )
    frame[column] = frame[column].map(lambda v: labels.get(v, v) if isinstance(v, str) else v)
    return problems


# --- dates ----------------------------------------------------------------------------------

_DATE_SHAPE = re.compile(r"^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?$")
#: A day of slack on "not in the future", for a document published today in another time zone.
_TOMORROW = dt.timedelta(days=1)


def publication_end(text: object) -> dt.date | None:
    """The last day a ``published`` value can mean (the day itself, or the last day of the
    month for YYYY-MM), or None when it is not a real date."""
    match = _DATE_SHAPE.match(str(text)) if isinstance(text, str) else None
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), match[3]
    if not 1 <= month <= 12:
        return None
    try:
        if day is not None:
            return dt.date(year, month, int(day))
        after = dt.date(year + (month == 12), month % 12 + 1, 1)
        return after - dt.timedelta(days=1)
    except ValueError:
        return None


def _check_published(frame: pd.DataFrame, column: str = "published") -> list[Problem]:
    """Publication dates are real calendar dates, not after today; written with ASCII digits.

    A value that is not even shaped like a date is left to the schema's own message."""
    if column not in frame.columns:
        return []
    problems: list[Problem] = []
    values = frame[column]
    converted = values.map(lambda v: ascii_digits(v) if isinstance(v, str) else v)
    frame[column] = converted
    latest = dt.datetime.now(dt.UTC).date() + _TOMORROW
    for index in np.flatnonzero(converted.notna().to_numpy()):
        text = converted.iat[index]
        if not _DATE_SHAPE.match(text):
            continue
        end = publication_end(text)
        file, row = str(frame["_file"].iat[index]), int(frame["_row"].iat[index])
        if end is None:
            problems.append(
                Problem(
                    file,
                    row,
                    column,
                    values.iat[index],
                    "a real date written YYYY-MM-DD or YYYY-MM (that day or month does not exist)",
                )
            )
        elif (end.replace(day=1) if len(text) == 7 else end) > latest:
            problems.append(
                Problem(
                    file,
                    row,
                    column,
                    values.iat[index],
                    "a date that has come: a source cannot have been published after today",
                )
            )
    return problems


def _periods_after_publication(
    frame: pd.DataFrame, sources: pd.DataFrame | None, column: str
) -> list[Problem]:
    """A figure cannot be published for a period that had not yet begun: the period's first day
    must be on or before its source's publication date. (This is what keeps one 2099/00 Q1 row
    citing a 2020 report out of the data, and so out of the default quarter.)"""
    if sources is None or frame.empty or column not in frame.columns:
        return []
    if "source_id" not in frame.columns or "published" not in sources.columns:
        return []
    published = dict(zip(sources["source_id"], sources["published"], strict=False))
    bases = frame["basis"] if "basis" in frame.columns else pd.Series("quarter_count", frame.index)
    keys = pd.DataFrame({"basis": bases, "period": frame[column], "source": frame["source_id"]})
    usable = keys.notna().all(axis=1) & keys["basis"].isin(BASES)
    late: dict[tuple, str] = {}
    for basis, period, source in keys[usable].drop_duplicates().itertuples(index=False):
        end = publication_end(published.get(source))
        try:
            start = period_start(basis, period)
        except (PeriodError, ValueError):
            continue  # an unreadable period is reported where it is read
        if end is not None and start > end:
            late[(basis, period, source)] = (
                f"a period that had begun when its source was published: "
                f"{period_display(basis, period)} begins on {start:%d %B %Y}, after {source} "
                f"was published ({published.get(source)}); check the period and the source"
            )
    if not late:
        return []
    problems = []
    for index in np.flatnonzero(usable.to_numpy()):
        key = (keys["basis"].iat[index], keys["period"].iat[index], keys["source"].iat[index])
        if key in late:
            problems.append(
                Problem(
                    str(frame["_file"].iat[index]),
                    int(frame["_row"].iat[index]),
                    column,
                    keys["period"].iat[index],
                    late[key],
                )
            )
    return problems


# --- schema ---------------------------------------------------------------------------------


def _schema_problems(frame: pd.DataFrame, spec: TableSpec) -> list[Problem]:
    """Run the pandera schema on the value columns; cells that failed cleaning are null there
    (already reported), so numeric columns are checked as nullable."""
    columns = [c for c in spec.columns if c in frame.columns]
    subset = frame[columns]
    schema = spec.schema
    for column in columns:
        if column in INT_COLUMNS:
            schema = schema.update_column(column, dtype="Int64", nullable=True)
        elif column in FLOAT_COLUMNS:
            schema = schema.update_column(column, nullable=True)
        elif column in BOOL_COLUMNS:
            schema = schema.update_column(column, dtype="boolean", nullable=True)
    try:
        schema.validate(subset, lazy=True)
    except SchemaErrors as exc:
        return _failure_problems(exc.failure_cases, frame)
    return []


def _describe_check(check: str) -> str:
    """What the analyst should have written. The schema's checks carry that message themselves
    (``Check(..., error=...)``, shown as the failed check); pandera's own checks do not."""
    if check == "not_nullable":
        return "a value (this column may not be empty)"
    if check.startswith("coerce_dtype("):
        return f"a value of type {check.removeprefix('coerce_dtype(').rstrip(')').strip(chr(39))}"
    return check


def _failure_problems(cases: pd.DataFrame, frame: pd.DataFrame) -> list[Problem]:
    problems = []
    files, rows = frame["_file"], frame["_row"]
    skip = frame["_skip_basis"] if "_skip_basis" in frame.columns else None
    for case in cases.itertuples(index=False):
        check = str(case.check)
        index = case.index
        file, row = str(files.iat[0]) if len(files) else "?", None
        if index is not None and not (isinstance(index, float) and pd.isna(index)):
            try:
                file, row = str(files.loc[index]), int(rows.loc[index])
                if case.column == "basis" and skip is not None and bool(skip.loc[index]):
                    continue  # an unknown metric: reported by the link check
            except (KeyError, ValueError, TypeError):
                row = None
        value = None if check == "not_nullable" or pd.isna(case.failure_case) else case.failure_case
        problems.append(
            Problem(
                file,
                row,
                case.column,
                None if value is None else _show(value),
                _describe_check(check),
            )
        )
    return problems


# --- keys -----------------------------------------------------------------------------------


def _key_problems(frame: pd.DataFrame, spec: TableSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """Two rows for one key: identical ones are merged with a note; different ones are errors."""
    problems: list[Problem] = []
    key = [c for c in spec.key if c in frame.columns]
    if not key or frame.empty:
        return frame, problems
    value_columns = [c for c in spec.columns if c in frame.columns and c not in key]
    duplicated = frame.duplicated(key, keep=False)
    if not duplicated.any():
        return frame, problems
    drop = []
    for _, group in frame[duplicated].groupby(key, dropna=False, sort=False):
        first = group.iloc[0]
        label = ", ".join(f"{c}={_show(first[c])}" for c in key)
        where = f"row {int(first['_row'])}"
        for _, other in group.iloc[1:].iterrows():
            if other["_file"] != first["_file"]:
                where = f"{first['_file']} row {int(first['_row'])}"
            differing = [c for c in value_columns if not _same(first[c], other[c])]
            if not differing:
                problems.append(
                    Problem(
                        other["_file"],
                        int(other["_row"]),
                        None,
                        None,
                        f"repeats {where} ({label}); kept once",
                        "notice",
                    )
                )
                drop.append(other.name)
                continue
            column = differing[0]
            problems.append(
                Problem(
                    other["_file"],
                    int(other["_row"]),
                    column,
                    _show(other[column]),
                    f"one {column} per {', '.join(key)}: {where} gives {_show(first[column])} "
                    f"for the same key ({label}); a duplicate key with different values",
                )
            )
    return frame.drop(index=drop), problems


def _same(a: object, b: object) -> bool:
    a_missing = a is None or a is pd.NA or (isinstance(a, float) and np.isnan(a))
    b_missing = b is None or b is pd.NA or (isinstance(b, float) and np.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    return bool(a == b)


# --- one file -------------------------------------------------------------------------------


def check_file(
    raw: RawTable, spec: TableSpec, reference: dict[str, pd.DataFrame] | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One file against its own table's rules. ``reference`` (other tables, already checked)
    lets observations name areas by alias and take their basis from the metric catalogue."""
    reference = reference or {}
    problems = list(raw.problems)
    header_broken = any(p.severity == "error" and p.row == 1 for p in problems)
    if len(raw.frame.columns) == 0 or (header_broken and raw.frame.empty):
        return None, problems
    if raw.frame.empty:
        problems.append(
            Problem.of_file(
                raw.file,
                "the file has a header but no data rows; expected at least one row of values",
            )
        )
        return None, problems
    if not _check_columns(raw, spec, problems) or header_broken:
        return None, problems
    frame = _clean_values(raw, spec, problems)
    if spec.name in ("observations", "narrative"):
        problems += _resolve_areas(frame, "area_id", reference.get("areas"))
    if spec.name == "observations":
        basis_given = frame["basis"].notna() if "basis" in frame.columns else None
        problems += _fill_basis(frame, reference.get("metrics"), raw.wide)
        frame["_skip_basis"] = (
            frame["basis"].isna() if basis_given is None else ~basis_given & frame["basis"].isna()
        )
        # Without a catalogue an absent basis cannot be known: say so once, not per row.
        if "metrics" not in reference and frame["_skip_basis"].any():
            problems.append(
                Problem(
                    raw.file,
                    None,
                    "basis",
                    None,
                    "a basis for each row (no metric catalogue to take it from)",
                )
            )
    if spec.name in ("observations", "discontinuities"):
        problems += _canonicalise_periods(frame)
    if spec.name == "narrative":
        problems += _canonicalise_quarters(frame, "quarter")
    if spec.name == "sources":
        problems += _check_published(frame)
    problems += _schema_problems(frame, spec)
    frame, key_problems = _key_problems(frame, spec)
    problems += key_problems
    return frame, problems


# --- links between tables ------------------------------------------------------------------


def _ids(frames: dict[str, pd.DataFrame], table: str, column: str) -> set:
    frame = frames.get(table)
    return set() if frame is None or column not in frame.columns else set(frame[column].dropna())


def _missing(
    frame: pd.DataFrame, column: str, known: set, what: str, table_hint: str
) -> list[Problem]:
    if frame is None or column not in frame.columns:
        return []
    values = frame[column]
    absent = values.notna() & ~values.isin(list(known))
    if not absent.any():
        return []
    candidates = [str(k) for k in known]
    hints: dict[object, str] = {}
    for value in values[absent].unique():
        close = difflib.get_close_matches(str(value), candidates, n=1)
        hints[value] = f" (did you mean '{close[0]}'?)" if close else ""
    problems = []
    for index in np.flatnonzero(absent.to_numpy()):
        value = values.iat[index]
        problems.append(
            Problem(
                str(frame["_file"].iat[index]),
                int(frame["_row"].iat[index]),
                column,
                _show(value),
                f"{'an' if what[0] in 'aeiou' else 'a'} {what} listed in {table_hint}{hints[value]}",
            )
        )
    return problems


def _one_force(incoming: pd.DataFrame | None, areas: pd.DataFrame | None) -> list[Problem]:
    """The plan is one force's: areas.csv names exactly one area of type 'force' (its id is
    the force every page, pack and import means), checked when areas are read or imported."""
    if incoming is None or areas is None or "area_type" not in areas.columns:
        return []
    forces = areas.loc[areas["area_type"] == "force"]
    ids = list(dict.fromkeys(map(str, forces["area_id"])))  # an import restates the same row
    if len(ids) == 1:
        return []
    rows = forces if len(forces) else incoming
    file = str(rows["_file"].iat[0]) if "_file" in rows.columns and len(rows) else "areas.csv"
    row = int(rows["_row"].iat[-1]) if "_row" in rows.columns and len(rows) else None
    found = ", ".join(ids) or "none"
    return [
        Problem(
            file,
            row,
            "area_type",
            f"force areas: {found}",
            "exactly one area of type 'force': the force whose plan this is",
        )
    ]


def check_links(
    frames: dict[str, pd.DataFrame], reference: dict[str, pd.DataFrame] | None = None
) -> list[Problem]:
    """Cross-table rules for ``frames``; ids are looked up in ``reference`` (default: ``frames``),
    which for an import holds the dataset's tables together with the incoming ones."""
    reference = frames if reference is None else reference
    problems: list[Problem] = []
    priorities = _ids(reference, "priorities", "priority")
    objectives = _ids(reference, "objectives", "objective_id")
    areas = _ids(reference, "areas", "area_id")
    sources = _ids(reference, "sources", "source_id")
    metrics = _ids(reference, "metrics", "metric_id")

    problems += _one_force(frames.get("areas"), reference.get("areas"))
    objectives_frame = frames.get("objectives")
    problems += _missing(objectives_frame, "priority", priorities, "priority", "priorities.csv")
    problems += _missing(frames.get("areas"), "parent_id", areas, "parent area", "areas.csv")
    metrics_frame = frames.get("metrics")
    problems += _missing(metrics_frame, "priority", priorities, "priority", "priorities.csv")
    problems += _missing(metrics_frame, "objective_id", objectives, "objective", "objectives.csv")

    problems += _missing(frames.get("metric_terms"), "metric_id", metrics, "metric", "metrics.csv")

    observations = frames.get("observations")
    if observations is not None:
        problems += _missing(observations, "metric_id", metrics, "metric", "metrics.csv")
        problems += _missing(observations, "area_id", areas, "area", "areas.csv")
        problems += _missing(observations, "source_id", sources, "source", "sources.csv")
        problems += _check_observation_values(observations, reference.get("metrics"))
        problems += _periods_after_publication(observations, reference.get("sources"), "period")

    narrative = frames.get("narrative")
    if narrative is not None:
        problems += _missing(narrative, "priority", priorities, "priority", "priorities.csv")
        problems += _missing(narrative, "objective_id", objectives, "objective", "objectives.csv")
        problems += _missing(narrative, "area_id", areas, "area", "areas.csv")
        problems += _missing(narrative, "source_id", sources, "source", "sources.csv")
        items = _ids(reference, "narrative", "item_id") | set(narrative["item_id"].dropna())
        problems += _missing(narrative, "parent_id", items, "item", "narrative.csv")
        problems += _periods_after_publication(narrative, reference.get("sources"), "quarter")

    discontinuities = frames.get("discontinuities")
    if discontinuities is not None:
        problems += _missing(discontinuities, "metric_id", metrics, "metric", "metrics.csv")
        problems += _missing(discontinuities, "source_id", sources, "source", "sources.csv")
    return problems


def _check_observation_values(frame: pd.DataFrame, metrics: pd.DataFrame | None) -> list[Problem]:
    if metrics is None or frame.empty or "value" not in frame.columns:
        return []
    unit = frame["metric_id"].map(dict(zip(metrics["metric_id"], metrics["unit"], strict=False)))
    value = frame["value"].astype(float)
    form = frame["_form"] if "_form" in frame.columns else pd.Series(None, index=frame.index)
    known = value.notna() & unit.notna()
    rules = [
        (
            known & (form == "money") & (unit != "gbp"),
            "a plain number: metric {metric} is in {unit}, not money",
        ),
        (
            known & (form == "percent") & ~unit.isin(["percent", "percent_change"]),
            "a plain number: metric {metric} is a {unit}, not a percentage",
        ),
        (
            known & unit.isin(["count", "hours", "gbp", "rate"]) & (value < 0),
            "zero or more: metric {metric} is a {unit} and cannot be negative",
        ),
        (
            known & (unit == "count") & (value != np.floor(value)),
            "a whole number: metric {metric} is a count",
        ),
        (
            known & (unit == "percent") & ((value < 0) | (value > 100)),
            "a percentage between 0 and 100 for metric {metric}",
        ),
    ]
    problems = []
    for mask, message in rules:
        for index in np.flatnonzero(mask.to_numpy()):
            metric = frame["metric_id"].iat[index]
            problems.append(
                Problem(
                    str(frame["_file"].iat[index]),
                    int(frame["_row"].iat[index]),
                    "value",
                    _show(value.iat[index]),
                    message.format(metric=metric, unit=unit.iat[index]),
                )
            )
    return problems


# --- a dataset folder, or files checked against one ----------------------------------------


def read_folder(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    raws: dict[str, RawTable] = {}
    problems: list[Problem] = []
    if not path.is_dir():
        return raws, [Problem.of_file(str(path), "a dataset folder; there is none here")]
    for spec in TABLES.values():
        file = path / spec.filename
        if file.exists():
            raws[spec.name] = read_table(file)
        elif spec.name in REQUIRED_TABLES:
            problems.append(
                Problem.of_file(
                    spec.filename,
                    f"missing: a dataset needs {spec.filename} ({spec.description})",
                )
            )
    return raws, problems


def combine(frames: Iterable[pd.DataFrame | None]) -> pd.DataFrame | None:
    present = [f for f in frames if f is not None and len(f.columns)]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return pd.concat(present, ignore_index=True)


def validate_incoming(
    groups: dict[str, list[RawTable]], base: dict[str, pd.DataFrame] | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check files (grouped by table) against ``base``, tables already valid. Returns the
    incoming tables (helpers kept, several files of a table joined) and every problem."""
    base = base or {}
    problems: list[Problem] = []
    incoming: dict[str, pd.DataFrame] = {}
    reference: dict[str, pd.DataFrame] = dict(base)
    for name in TABLES:  # catalogue tables first: observations look up metrics and areas
        if name not in groups:
            continue
        spec = TABLES[name]
        frames = []
        for raw in groups[name]:
            try:
                frame, found = check_file(raw, spec, reference)
            except Exception as exc:  # noqa: BLE001 - a located message, never a traceback
                frame, found = (
                    None,
                    [
                        Problem.of_file(
                            raw.file,
                            f"the file could not be checked ({exc.__class__.__name__}: {exc})",
                        )
                    ],
                )
            problems += found
            if frame is not None:
                frames.append(frame)
        joined = combine(frames)
        if joined is None:
            continue
        if len(frames) > 1:
            joined, found = _key_problems(joined.reset_index(drop=True), spec)
            problems += found
        incoming[name] = joined
        reference[name] = combine([base.get(name), joined])
    problems += check_links(incoming, reference)
    return incoming, problems


def validate_raw(
    raws: dict[str, RawTable], base: dict[str, pd.DataFrame] | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check files; ``base`` holds tables (already valid) that the files are checked against.
    Returns the tables with each file's table in place of the base one."""
    incoming, problems = validate_incoming({k: [v] for k, v in raws.items()}, base)
    return {**(base or {}), **incoming}, problems


def validate_folder(path: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    raws, problems = read_folder(Path(path))
    frames, found = validate_raw(raws)
    return frames, problems + found


def strip_helpers(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The frame with only the table's own columns, in schema order, typed for use. An optional
    column the file left out is there, empty, so every reader finds every column."""
    columns = spec.columns
    out = frame.reindex(columns=columns)
    for column in columns:
        if column in INT_COLUMNS:
            out[column] = out[column].astype("Int64")
        elif column in FLOAT_COLUMNS:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
        elif column in BOOL_COLUMNS:
            out[column] = out[column].astype(bool)
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out.reset_index(drop=True)
