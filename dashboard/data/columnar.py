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

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import DataError, Problem
from .schema import TABLES, TableSpec
from .validate import BOOL_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, strip_helpers

FORMAT = "parquet"
SUFFIX = ".parquet"
#: zstd: smaller than snappy at about the same read speed on these tables (docs/store.md).
COMPRESSION = "zstd"
#: The modules whose rules decide what a valid table is: a version validated under other
#: rules is validated again (from its CSV files) rather than trusted.
_RULE_MODULES = ("schema.py", "validate.py", "periods.py", "readers.py", "columnar.py")


def _rules_digest() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _RULE_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()[:16]


RULES = _rules_digest()


def parquet_name(table: str) -> str:
    return f"{table}{SUFFIX}"


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: Derived frames stored with the version so that workers need not derive them again.
PREPARED = {
    "observations": "observations.prepared.parquet",
    "revisions": "revisions.prepared.parquet",
}
_PREPARED_TEXT = ("published", "period_label")


def write_tables(
    folder: Path, tables: dict[str, pd.DataFrame], prepared: dict[str, pd.DataFrame] | None = None
) -> dict:
    """Write each validated table as ``<table>.parquet`` in ``folder`` (and the ``prepared``
    frames, see PREPARED); the manifest entry."""
    files = {}
    for name, frame in tables.items():
        files[parquet_name(name)] = _write(frame, folder / parquet_name(name))
    derived = {}
    for name, frame in (prepared or {}).items():
        derived[PREPARED[name]] = _write(frame, folder / PREPARED[name])
    return {"format": FORMAT, "rules": RULES, "files": files, "prepared": derived}


def _write(frame: pd.DataFrame, path: Path) -> str:
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(arrow, path, compression=COMPRESSION)
    return _digest(path)


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
    """A Parquet file as a frame: text columns as shared Python strings (``_objects``, read as
    the dictionaries Parquet stores them in), the others through pandas' own metadata
    (nullable integers, booleans, dates as dates)."""
    schema = pq.read_schema(path, memory_map=True)
    text = [f.name for f in schema if _is_text(f.type)]
    table = pq.read_table(path, memory_map=True, read_dictionary=text)
    frame = table.drop_columns(text).to_pandas()
    if len(frame) != table.num_rows:  # text only: no column gave the rows
        frame = pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    for name in text:
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


def read_tables(folder: Path, entry: dict, version: str) -> dict[str, pd.DataFrame]:
    """The tables of a version from its Parquet files, each checked against its digest first.

    Raises DataError naming the file when one is missing or differs from the manifest."""
    tables: dict[str, pd.DataFrame] = {}
    for filename, wanted in sorted(entry["files"].items()):
        name = filename.removesuffix(SUFFIX)
        path = folder / filename
        spec = TABLES.get(name)
        if spec is None or not filename.endswith(SUFFIX):
            raise DataError([Problem.of_file(str(path), "a table of the dataset schema")])
        _check(path, wanted, version)
        tables[name] = _typed(_read(path), spec)
    return tables


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
        _check(path, stored[filename], version)
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


def _check(path: Path, wanted: str, version: str) -> None:
    try:
        found = _digest(path)
    except OSError as exc:
        raise DataError(
            [Problem.of_file(str(path), f"a readable file of version {version} ({exc.strerror})")]
        ) from exc
    if found != wanted:
        raise DataError(
            [
                Problem.of_file(
                    str(path),
                    f"the Parquet file written when version {version} was validated "
                    f"(sha256 {wanted[:12]}…); it was changed afterwards (sha256 {found[:12]}…)",
                )
            ]
        )
