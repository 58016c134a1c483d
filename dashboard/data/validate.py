"""Text tables -> typed, checked frames, with every problem located (file, row, column, value).

Three layers, all reported together: the shape of each file (columns, empty files); each value
(numbers, codes, periods) through the pandera schema; and the links between tables (a metric,
area, source or objective must exist; a key may not carry two different values).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .errors import Problem
from .periods import QUARTER_BASES, PeriodError, canonical_period, parse_quarter
from .readers import RawTable, read_table
from .schema import REQUIRED_TABLES, TABLES, TableSpec, table_for_filename

INT_COLUMNS = {"priority", "order", "level"}
FLOAT_COLUMNS = {"value", "target"}
BOOL_COLUMNS = {"headline"}
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}

_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_MONEY = re.compile(r"^(-)?£\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(m|bn|k)?$", re.I)
_PERCENT = re.compile(r"^(-?\d+(\.\d+)?)\s?%$")
_SCALE = {"k": 1e3, "m": 1e6, "bn": 1e9}


class NumberError(ValueError):
    pass


def parse_number(text: str) -> tuple[float, str | None]:
    """A number as analysts type it. Returns (value, form) where form says what was accepted
    beyond plain digits: 'thousands', 'money' or 'percent'. Ambiguous text is refused."""
    cleaned = str(text).strip().replace("\u00a0", "")
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
    present = list(raw.frame.columns)
    ok = True
    for column in present:
        if column not in expected:
            close = difflib.get_close_matches(column, expected, n=1)
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
            problems.append(Problem(raw.file, 1, column, None, "this column is missing"))
            ok = False
    return ok


def _clean_values(raw: RawTable, spec: TableSpec, problems: list[Problem]) -> pd.DataFrame:
    """Turn text cells into typed values; a cell that cannot be read is reported and left null."""
    frame = raw.frame.copy()
    forms: list[str | None] = [None] * len(frame)
    for column in frame.columns:
        if column not in spec.schema.columns:
            continue
        values = []
        for position, text in enumerate(frame[column].tolist()):
            row = raw.rows[position] if position < len(raw.rows) else None
            text = "" if text is None else str(text).strip()
            if text == "":
                values.append(None)
                continue
            if column in INT_COLUMNS:
                try:
                    number, form = parse_number(text)
                    if not float(number).is_integer() or form:
                        raise NumberError(text)
                    values.append(int(number))
                except NumberError:
                    problems.append(Problem(raw.file, row, column, text, "a whole number"))
                    values.append(None)
            elif column in FLOAT_COLUMNS:
                try:
                    number, form = parse_number(text)
                    if form:
                        forms[position] = form
                        problems.append(
                            Problem(
                                raw.file,
                                row,
                                column,
                                text,
                                f"read as {number:,.10g} ({form} form)",
                                "notice",
                            )
                        )
                    values.append(number)
                except NumberError:
                    problems.append(
                        Problem(
                            raw.file,
                            row,
                            column,
                            text,
                            "a number, such as 82344, 82,344, 11.2 or £5.4m (one value per cell)",
                        )
                    )
                    values.append(None)
            elif column in BOOL_COLUMNS:
                lowered = text.lower()
                if lowered in _TRUE | _FALSE:
                    values.append(lowered in _TRUE)
                else:
                    problems.append(Problem(raw.file, row, column, text, "true or false"))
                    values.append(None)
            else:
                if text.startswith(("=", "+", "@")) and column not in ("period",):
                    problems.append(
                        Problem(
                            raw.file,
                            row,
                            column,
                            text,
                            "starts like a spreadsheet formula: kept as text, neutralised in exports",
                            "notice",
                        )
                    )
                values.append(text)
        frame[column] = pd.Series(values, index=frame.index, dtype=object)
    frame["_row"] = raw.rows[: len(frame)]
    frame["_form"] = forms
    return frame


def _schema_problems(frame: pd.DataFrame, spec: TableSpec, file: str) -> list[Problem]:
    """Run the pandera schema on the value columns; rows that failed cleaning are skipped there."""
    columns = [c for c in spec.columns if c in frame.columns]
    subset = frame[columns].copy()
    # Columns cleaned to None because they were unreadable are already reported.
    schema = spec.schema
    for column in columns:
        if column in INT_COLUMNS | FLOAT_COLUMNS | BOOL_COLUMNS:
            schema = schema.update_column(column, nullable=True)
    try:
        schema.validate(subset, lazy=True)
    except SchemaErrors as exc:
        return _failure_problems(exc.failure_cases, frame, file)
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True collects all
        return [Problem(file, None, None, None, str(exc))]
    return []


_CHECK_WORDS = {
    "str_length": "text of 1 to 5,000 characters",
    "str_matches": "an id of lower-case letters, digits, '-' or '_'",
    "in_range": "a value in the allowed range",
    "greater_than_or_equal_to": "zero or more",
    "not_nullable": "a value (this column may not be empty)",
}


def _failure_problems(cases: pd.DataFrame, frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        index = case.index
        row = None
        if index is not None and not (isinstance(index, float) and pd.isna(index)):
            try:
                row = int(frame["_row"].iloc[int(index)])
            except (ValueError, IndexError):
                row = None
        expected = check
        for key, words in _CHECK_WORDS.items():
            if check.startswith(key):
                expected = words
        if check.startswith("isin"):
            expected = "one of " + check[len("isin(") : -1]
        value = None if case.failure_case is None else str(case.failure_case)
        if check == "not_nullable":
            value = None
        problems.append(Problem(file, row, case.column, value, expected))
    return problems


def _key_problems(
    frame: pd.DataFrame, spec: TableSpec, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Two rows for one key: identical ones are merged with a note; different ones are errors."""
    problems: list[Problem] = []
    key = [c for c in spec.key if c in frame.columns]
    if not key or frame.empty:
        return frame, problems
    value_columns = [c for c in spec.columns if c in frame.columns and c not in key]
    duplicated = frame[frame.duplicated(key, keep=False)]
    drop = []
    for _, group in duplicated.groupby(key, dropna=False, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            same = all(_same(first[c], other[c]) for c in value_columns)
            label = ", ".join(f"{c}={first[c]}" for c in key)
            if same:
                problems.append(
                    Problem(
                        file,
                        int(other["_row"]),
                        None,
                        None,
                        f"repeats row {int(first['_row'])} ({label}); kept once",
                        "notice",
                    )
                )
                drop.append(other.name)
            else:
                differing = [c for c in value_columns if not _same(first[c], other[c])]
                column = differing[0]
                problems.append(
                    Problem(
                        file,
                        int(other["_row"]),
                        column,
                        str(other[column]),
                        f"one value per {', '.join(key)}: row {int(first['_row'])} gives {first[column]!r} "
                        f"for the same key ({label})",
                    )
                )
    return frame.drop(index=drop), problems


def _same(a: object, b: object) -> bool:
    if a is None or (isinstance(a, float) and pd.isna(a)):
        return b is None or (isinstance(b, float) and pd.isna(b))
    return a == b


def check_file(raw: RawTable, spec: TableSpec) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One file against its own table's rules (not yet against other tables)."""
    problems = list(raw.problems)
    if any(p.severity == "error" for p in problems) and raw.frame.empty:
        return None, problems
    if raw.frame.empty:
        problems.append(
            Problem(raw.file, None, None, None, "the file has a header but no data rows")
        )
        return None, problems
    if not _check_columns(raw, spec, problems):
        return None, problems
    frame = _clean_values(raw, spec, problems)
    problems += _schema_problems(frame, spec, raw.file)
    frame, key_problems = _key_problems(frame, spec, raw.file)
    problems += key_problems
    return frame, problems


# --- links between tables ------------------------------------------------------------------


def _ids(frames: dict[str, pd.DataFrame], table: str, column: str) -> set:
    frame = frames.get(table)
    return set() if frame is None or column not in frame.columns else set(frame[column].dropna())


def _missing(frame, column, known, file, what, problems, table_hint):
    if column not in frame.columns:
        return
    for row, value in zip(frame["_row"], frame[column], strict=False):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        if value not in known:
            close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                Problem(
                    file, int(row), column, str(value), f"a {what} listed in {table_hint}{hint}"
                )
            )


def check_links(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Cross-table rules. ``frames`` holds every table (existing dataset plus incoming files)."""
    problems: list[Problem] = []
    priorities = _ids(frames, "priorities", "priority")
    objectives = _ids(frames, "objectives", "objective_id")
    areas = _ids(frames, "areas", "area_id")
    sources = _ids(frames, "sources", "source_id")
    metrics_frame = frames.get("metrics")
    metrics = _ids(frames, "metrics", "metric_id")

    def f(table):
        return files.get(table, TABLES[table].filename)

    if "objectives" in frames:
        _missing(
            frames["objectives"],
            "priority",
            priorities,
            f("objectives"),
            "priority",
            problems,
            "priorities.csv",
        )
    if "areas" in frames:
        _missing(
            frames["areas"], "parent_id", areas, f("areas"), "parent area", problems, "areas.csv"
        )
    if metrics_frame is not None:
        _missing(
            metrics_frame,
            "priority",
            priorities,
            f("metrics"),
            "priority",
            problems,
            "priorities.csv",
        )
        _missing(
            metrics_frame,
            "objective_id",
            objectives,
            f("metrics"),
            "objective",
            problems,
            "objectives.csv",
        )
    unit_of = (
        {}
        if metrics_frame is None
        else dict(zip(metrics_frame["metric_id"], metrics_frame["unit"], strict=False))
    )
    basis_of = (
        {}
        if metrics_frame is None
        else dict(zip(metrics_frame["metric_id"], metrics_frame["basis"], strict=False))
    )

    observations = frames.get("observations")
    if observations is not None:
        file = f("observations")
        _missing(observations, "metric_id", metrics, file, "metric", problems, "metrics.csv")
        _missing(observations, "area_id", areas, file, "area", problems, "areas.csv")
        _missing(observations, "source_id", sources, file, "source", problems, "sources.csv")
        problems += _check_observation_values(observations, unit_of, basis_of, file)

    narrative = frames.get("narrative")
    if narrative is not None:
        file = f("narrative")
        _missing(narrative, "priority", priorities, file, "priority", problems, "priorities.csv")
        _missing(
            narrative, "objective_id", objectives, file, "objective", problems, "objectives.csv"
        )
        _missing(narrative, "area_id", areas, file, "area", problems, "areas.csv")
        _missing(narrative, "source_id", sources, file, "source", problems, "sources.csv")
        _missing(
            narrative,
            "parent_id",
            set(narrative["item_id"].dropna()),
            file,
            "item",
            problems,
            "narrative.csv",
        )
        canonical = []
        for row, text in zip(narrative["_row"], narrative["quarter"], strict=False):
            try:
                canonical.append(parse_quarter(text).label if text else text)
            except PeriodError as exc:
                problems.append(Problem(file, int(row), "quarter", str(text), str(exc)))
                canonical.append(text)
        narrative["quarter"] = canonical

    discontinuities = frames.get("discontinuities")
    if discontinuities is not None:
        file = f("discontinuities")
        _missing(discontinuities, "metric_id", metrics, file, "metric", problems, "metrics.csv")
        _missing(discontinuities, "source_id", sources, file, "source", problems, "sources.csv")
        problems += _canonicalise_periods(discontinuities, file)
    return problems


def _canonicalise_periods(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    periods = []
    for row, basis, period in zip(frame["_row"], frame["basis"], frame["period"], strict=False):
        if basis is None or period is None:
            periods.append(period)
            continue
        try:
            periods.append(canonical_period(basis, period))
        except PeriodError as exc:
            problems.append(Problem(file, int(row), "period", str(period), str(exc)))
            periods.append(period)
    frame["period"] = periods
    return problems


def _check_observation_values(frame, unit_of, basis_of, file) -> list[Problem]:
    problems: list[Problem] = []
    # Wide-layout rows carry no basis: take the metric's own, which must be a quarterly one.
    bases = []
    for row, metric, basis in zip(frame["_row"], frame["metric_id"], frame["basis"], strict=False):
        if basis in (None, "") and metric in basis_of:
            basis = basis_of[metric]
            if basis not in QUARTER_BASES:
                problems.append(
                    Problem(
                        file,
                        int(row),
                        "period",
                        None,
                        f"metric {metric} is on a {basis} basis: give it a 'basis' and 'period' column, "
                        "not quarter columns",
                    )
                )
        bases.append(basis)
    frame["basis"] = bases
    problems += _canonicalise_periods(frame, file)
    for row, metric, value, form in zip(
        frame["_row"], frame["metric_id"], frame["value"], frame["_form"], strict=False
    ):
        unit = unit_of.get(metric)
        if unit is None or value is None or pd.isna(value):
            continue
        row = int(row)
        if form == "money" and unit != "gbp":
            problems.append(
                Problem(
                    file,
                    row,
                    "value",
                    f"{value:,.10g}",
                    f"a plain number: metric {metric} is in {unit}, not money",
                )
            )
        if form == "percent" and unit not in ("percent", "percent_change"):
            problems.append(
                Problem(
                    file,
                    row,
                    "value",
                    f"{value:,.10g}",
                    f"a plain number: metric {metric} is a {unit}, not a percentage",
                )
            )
        if unit in ("count", "hours", "gbp", "rate") and value < 0:
            problems.append(
                Problem(
                    file,
                    row,
                    "value",
                    f"{value:,.10g}",
                    f"zero or more: metric {metric} is a {unit} and cannot be negative",
                )
            )
        if unit == "count" and not float(value).is_integer():
            problems.append(
                Problem(
                    file,
                    row,
                    "value",
                    f"{value:,.10g}",
                    f"a whole number: metric {metric} is a count",
                )
            )
        if unit == "percent" and not 0 <= value <= 100:
            problems.append(
                Problem(
                    file,
                    row,
                    "value",
                    f"{value:,.10g}",
                    f"a percentage between 0 and 100 for metric {metric}",
                )
            )
    return problems


# --- a dataset folder -----------------------------------------------------------------------


def read_folder(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    raws: dict[str, RawTable] = {}
    problems: list[Problem] = []
    for spec in TABLES.values():
        file = path / spec.filename
        if file.exists():
            raws[spec.name] = read_table(file)
        elif spec.name in REQUIRED_TABLES:
            problems.append(
                Problem(
                    spec.filename,
                    None,
                    None,
                    None,
                    f"missing: a dataset needs {spec.filename} ({spec.description})",
                )
            )
    return raws, problems


def validate_raw(
    raws: dict[str, RawTable], base: dict[str, pd.DataFrame] | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check files; ``base`` holds tables (already valid) that the files are checked against."""
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = dict(base or {})
    files: dict[str, str] = {}
    for name, raw in raws.items():
        spec = TABLES[name]
        frame, found = check_file(raw, spec)
        problems += found
        if frame is not None:
            frames[name] = frame
            files[name] = raw.file
    problems += check_links(frames, files)
    return frames, problems


def validate_folder(path: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    raws, problems = read_folder(path)
    frames, found = validate_raw(raws)
    return frames, problems + found


def strip_helpers(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The frame with only the table's own columns, in schema order, typed for use."""
    columns = [c for c in spec.columns if c in frame.columns]
    out = frame[columns].copy()
    for column in columns:
        if column in INT_COLUMNS:
            out[column] = out[column].astype("Int64")
        elif column in FLOAT_COLUMNS:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
        elif column in BOOL_COLUMNS:
            out[column] = out[column].astype(bool)
    return out.reset_index(drop=True)
