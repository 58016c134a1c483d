"""A version's tables as Parquet: written once at publish, read by workers without validation.

A version folder keeps its CSV tables (what analysts read and ``publish --restore`` copies
back) and, beside them, ``<table>.parquet`` for each: typed, compressed columns of the tables
exactly as validation left them. The manifest records each Parquet file's sha256 and the
digest of the validation rules that accepted the tables (``RULES``). A worker that finds both
matching reads the Parquet files and skips parsing and validating every cell; a Parquet file
whose digest differs is refused with its path (the store then keeps or falls back to an earlier
version), and a version written by other rules, or before this module existed (CSV only), is
read and validated from its CSV files as before. Why Parquet rather than DuckDB's own file:
docs/store.md ("The columnar form of a version").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .digests import check_digest, file_digest
from .errors import DataError, Problem
from .schema import TABLES, TableSpec
from .validate import BOOL_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, strip_helpers

FORMAT = "parquet"
SUFFIX = ".parquet"
#: zstd: smaller than snappy at about the same read speed on these tables (docs/store.md).
COMPRESSION = "zstd"
#: The modules whose rules decide what a valid table is: a version validated under other
#: rules is validated again (from its CSV files) rather than trusted.
#: (model.py: it derives the prepared frames and the facts below.)
_RULE_MODULES = (
    "schema.py",
    "validate.py",
    "periods.py",
    "readers.py",
    "columnar.py",
    "model.py",
)


def _rules_digest() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _RULE_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()[:16]


RULES = _rules_digest()


def parquet_name(table: str) -> str:
    return f"{table}{SUFFIX}"


#: Derived frames stored with the version so that workers need not derive them again.
PREPARED = {
    "observations": "observations.prepared.parquet",
    "revisions": "revisions.prepared.parquet",
}
_PREPARED_TEXT = ("published", "period_label")
#: Where each row of the observations table is in the prepared observations (which hold every
#: column of the table, sorted): a worker takes the table from them instead of decoding 10^6
#: rows a second time (``read_tables``).
ROWS = "observations.rows.parquet"


def _table_rows(table: pd.DataFrame | None, prepared: pd.DataFrame | None) -> np.ndarray | None:
    """Positions in ``prepared`` of the rows of ``table``, in table order, such that the
    table's columns of ``prepared`` taken in that order equal ``table`` (checked here, column
    by column); None when there are none (other rows, other columns)."""
    if table is None or prepared is None or len(table) != len(prepared):
        return None
    columns = list(table.columns)
    if not set(columns) <= set(prepared.columns):
        return None
    n = len(table)
    both = pd.concat([table[columns], prepared[columns]], ignore_index=True)
    codes = [pd.factorize(both[c], sort=False)[0] for c in columns]
    in_table = np.lexsort([c[:n] for c in codes][::-1])
    in_prepared = np.lexsort([c[n:] for c in codes][::-1])
    rows = np.empty(n, dtype=np.int64)
    rows[in_table] = in_prepared
    taken = prepared[columns].iloc[rows].reset_index(drop=True)
    same = all(taken[c].equals(table[c].reset_index(drop=True)) for c in columns)
    return rows if same else None


def write_tables(
    folder: Path,
    tables: dict[str, pd.DataFrame],
    prepared: dict[str, pd.DataFrame] | None = None,
    dataset: Any = None,
) -> dict:
    """Write each validated table as ``<table>.parquet`` in ``folder`` (and the ``prepared``
    frames, see PREPARED, and the view model's frames of ``dataset``, see ``install_views``);
    the manifest entry."""
    files = {}
    for name, frame in tables.items():
        files[parquet_name(name)] = _write(frame, folder / parquet_name(name))
    derived = {}
    for name, frame in (prepared or {}).items():
        derived[PREPARED[name]] = _write(frame, folder / PREPARED[name])
    entry = {"format": FORMAT, "rules": RULES, "files": files, "prepared": derived}
    rows = _table_rows(tables.get("observations"), (prepared or {}).get("observations"))
    if rows is not None:
        derived[ROWS] = _write(pd.DataFrame({"row": rows}), folder / ROWS)
    if dataset is None:
        return entry
    return with_views({**entry, "facts": facts_of(dataset)}, folder, dataset)


def facts_of(dataset: Any) -> dict:
    """What ``Dataset`` works out from its current values at every load only to say which
    quarters it has and the latest period end (``quarters``, ``latest_figure_end``): stored
    with the version, so a worker never builds the current-values frame at start (10^6 rows:
    0.3 s and about 100 MiB). Depends on the data alone (not on today's date)."""
    end = dataset.latest_figure_end
    return {
        "quarters": list(dataset.quarters),
        "latest_figure_end": end.isoformat() if end is not None else None,
    }


def read_facts(entry: dict) -> dict[str, Any]:
    """``facts_of`` as ``Dataset`` keeps them ({} when the entry has none, or they are not
    what ``facts_of`` writes: the dataset then works them out)."""
    facts = entry.get("facts")
    if not isinstance(facts, dict):
        return {}
    quarters, end = facts.get("quarters"), facts.get("latest_figure_end")
    if not isinstance(quarters, list) or not all(isinstance(q, str) for q in quarters):
        return {}
    try:
        day = dt.date.fromisoformat(end) if isinstance(end, str) else None
    except ValueError:
        return {}
    if end is not None and day is None:
        return {}
    return {"quarters": list(quarters), "latest_figure_end": day}


# --- the view model's frames, worked out once per version at import ------------------------------
#
# What every worker's view model used to work out at start (the series index sorted once, the
# overview's signals of every quarter, which metrics each quarter has) depends on the view
# model's rules, which live above this layer: ``dashboard.views.model`` installs how to derive
# them (``install_views``) when it is imported, as the commands and the app do. They are written
# with the version, listed in the manifest's ``columnar.prepared`` with their sha256 (so the
# shared store carries them: pgstore.carried_files) and under ``columnar.views`` with the
# digest of the rules that derived them. A worker whose view model has other rules (an upgrade)
# ignores them and works the views out itself, as before; `pcp-dashboard publish` writes them
# again under the new rules (new file names: a file a worker may be reading is never rewritten).


@dataclass(frozen=True)
class ViewRules:
    rules: str  # digest of the modules that decide the frames
    derive: Callable[[Any], dict[str, pd.DataFrame]]  # a Dataset -> frames by name


_VIEWS: list[ViewRules] = []
#: Where a loaded Dataset keeps the frames read with it (its ``__dict__``, as the prepared frames).
STORED_VIEWS = "stored_views"


def install_views(rules: str, derive: Callable[[Any], dict[str, pd.DataFrame]]) -> None:
    """How the view model derives the frames it stores with a version (one rule set)."""
    _VIEWS[:] = [ViewRules(rules, derive)]


def views_rules() -> str | None:
    return _VIEWS[0].rules if _VIEWS else None


def view_file(rules: str, name: str) -> str:
    return f"view-{rules[:12]}.{name}{SUFFIX}"


def views_current(entry: object) -> bool:
    """True when a columnar entry holds the view frames of today's view rules (or when no view
    rules are installed in this process: nothing to write)."""
    rules = views_rules()
    if rules is None:
        return True
    views = entry.get("views") if isinstance(entry, dict) else None
    return isinstance(views, dict) and views.get("rules") == rules


def with_views(entry: dict, folder: Path, dataset: Any) -> dict:
    """``entry`` with the view frames of ``dataset`` written into ``folder`` (unchanged when no
    view rules are installed). The frames are attached to ``dataset`` too: the process that
    derived them does not derive them again."""
    if not _VIEWS:
        return entry
    chosen = _VIEWS[0]
    frames = chosen.derive(dataset)
    names: dict[str, str] = {}
    prepared = dict(entry.get("prepared") or {})
    for name, frame in frames.items():
        filename = view_file(chosen.rules, name)
        prepared[filename] = _write(frame, folder / filename)
        names[name] = filename
    attach_views(dataset, frames)
    return {**entry, "prepared": prepared, "views": {"rules": chosen.rules, "files": names}}


def read_views(folder: Path, entry: dict, version: str) -> dict[str, pd.DataFrame]:
    """The view frames stored with a version under today's view rules, each checked against its
    digest first ({} when there are none for these rules)."""
    views = entry.get("views")
    if not isinstance(views, dict) or views.get("rules") != views_rules():
        return {}
    stored = entry.get("prepared") or {}
    found = {}
    for name, filename in sorted((views.get("files") or {}).items()):
        path = folder / str(filename)
        if Path(str(filename)).name != filename:
            raise DataError([Problem.of_file(str(path), "a file name inside the version")])
        check_digest(path, stored.get(filename), version, "the Parquet file")
        found[str(name)] = _read(path)
    return found


def attach_views(dataset: Any, frames: dict[str, pd.DataFrame]) -> None:
    """Keep ``frames`` with a loaded dataset (kept by ``relocated`` and ``with_records``)."""
    if frames:
        dataset.__dict__[STORED_VIEWS] = dict(frames)


def stored_views(dataset: Any) -> dict[str, pd.DataFrame]:
    """The view frames read with ``dataset`` under today's rules ({}: work them out)."""
    found = getattr(dataset, "__dict__", {}).get(STORED_VIEWS)
    return found if isinstance(found, dict) else {}


def _write(frame: pd.DataFrame, path: Path) -> str:
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(arrow, path, compression=COMPRESSION)
    return file_digest(path)


def _objects(column: pa.ChunkedArray) -> np.ndarray:
    """Text as the tables hold it (Python strings, None for missing), each distinct value one
    object shared by every row that has it: a column of 10^6 rows and 500 ids holds 500
    strings, not 10^6 (less to build at start, less memory per worker)."""
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_dictionary(array.type):
        array = array.dictionary_encode()
    words = np.asarray(array.dictionary.to_pylist(), dtype=object)
    indices = array.indices
    out = words[indices.fill_null(0).to_numpy()] if len(words) else np.full(len(array), None)
    if indices.null_count:
        out[indices.is_null().to_numpy(zero_copy_only=False)] = None
    return out


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _read(path: Path) -> pd.DataFrame:
    """A Parquet file as a frame: text and date columns as shared Python objects (``_objects``;
    text read as the dictionaries Parquet stores it in), the others through pandas' own
    metadata (nullable integers, booleans)."""
    schema = pq.read_schema(path, memory_map=True)
    text = [f.name for f in schema if _is_text(f.type)]
    # Dates (period ends) are shared the same way: a few hundred distinct dates, 10^6 rows.
    shared = text + [f.name for f in schema if pa.types.is_date32(f.type)]
    table = pq.read_table(path, memory_map=True, read_dictionary=text)
    frame = table.drop_columns(shared).to_pandas()
    if len(frame) != table.num_rows:  # shared columns only: no column gave the rows
        frame = pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    for name in shared:
        frame[name] = pd.Series(_objects(table.column(name)), dtype=object, copy=False)
    return frame[table.column_names]


def trusted(entry: object) -> bool:
    """True when a manifest's columnar entry was written under today's rules."""
    return (
        isinstance(entry, dict)
        and entry.get("format") == FORMAT
        and entry.get("rules") == RULES
        and isinstance(entry.get("files"), dict)
    )


def read_tables(
    folder: Path, entry: dict, version: str, prepared: dict[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """The tables of a version from its Parquet files, each checked against its digest first;
    the observations table taken from the ``prepared`` observations (``read_prepared``) when
    the version stores where its rows are (``ROWS``).

    Raises DataError naming the file when one is missing or differs from the manifest."""
    tables: dict[str, pd.DataFrame] = {}
    from_prepared = _observations_from(folder, entry, version, prepared)
    for filename, wanted in sorted(entry["files"].items()):
        name = filename.removesuffix(SUFFIX)
        path = folder / filename
        spec = TABLES.get(name)
        if spec is None or not filename.endswith(SUFFIX):
            raise DataError([Problem.of_file(str(path), "a table of the dataset schema")])
        # Checked even when not decoded: a changed file is refused whichever is read.
        check_digest(path, wanted, version, "the Parquet file")
        if name == "observations" and from_prepared is not None:
            tables[name] = from_prepared
        else:
            tables[name] = _typed(_read(path), spec)
    return tables


def _observations_from(
    folder: Path, entry: dict, version: str, prepared: dict[str, pd.DataFrame] | None
) -> pd.DataFrame | None:
    stored = entry.get("prepared") or {}
    frame = (prepared or {}).get("observations")
    if frame is None or ROWS not in stored:
        return None
    path = folder / ROWS
    check_digest(path, stored[ROWS], version, "the Parquet file")
    rows = pq.read_table(path, memory_map=True).column("row").to_numpy()
    columns = list(TABLES["observations"].columns)
    if len(rows) != len(frame) or not set(columns) <= set(frame.columns):
        raise DataError([Problem.of_file(str(path), f"the rows of version {version}'s table")])
    return frame[columns].iloc[rows].reset_index(drop=True)


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """What ``validate.strip_helpers`` makes of a table, for a frame read by ``_read`` (text
    columns already Python strings and None: taken as they are, not converted again)."""
    columns: dict[str, object] = {}
    for column in spec.columns:
        if column not in frame.columns:
            continue  # filled below, as strip_helpers fills it
        values = frame[column]
        if column in INT_COLUMNS:
            values = values if str(values.dtype) == "Int64" else values.astype("Int64")
        elif column in FLOAT_COLUMNS:
            values = values if values.dtype == float else pd.to_numeric(values, errors="coerce")
            values = values.astype(float)
        elif column in BOOL_COLUMNS:
            values = values if values.dtype == bool else values.astype(bool)
        elif values.dtype != object:  # a column with no value at all: stored as nulls
            values = values.astype(object).where(values.notna(), None)
        columns[column] = values
    if any(c not in frame.columns for c in spec.columns):
        empty = strip_helpers(pd.DataFrame(index=frame.index), spec)
        for column in spec.columns:
            if column not in frame.columns:
                columns[column] = empty[column]
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for column in spec.columns:
        out[column] = columns[column]
    return out


def read_prepared(folder: Path, entry: dict, version: str) -> dict[str, pd.DataFrame]:
    """The derived frames stored with the version (``PREPARED``), digests checked first."""
    found: dict[str, pd.DataFrame] = {}
    stored = entry.get("prepared") or {}
    for name, filename in PREPARED.items():
        if filename not in stored:
            continue
        path = folder / filename
        check_digest(path, stored[filename], version, "the Parquet file")
        frame = _read(path)
        typed = _typed(frame, TABLES["observations"])
        for column in frame.columns:
            if column not in typed.columns:
                typed[column] = frame[column]
        # Derived text held as pandas' own text type, as ``Dataset.observations`` makes it.
        text = pq.read_table(path, columns=list(_PREPARED_TEXT), memory_map=True).to_pandas()
        for column in _PREPARED_TEXT:
            typed[column] = text[column]
        found[name] = typed
    return found
