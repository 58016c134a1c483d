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

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import DataError, Problem
from .schema import TABLES
from .validate import strip_helpers

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


def write_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> dict:
    """Write each validated table as ``<table>.parquet`` in ``folder``; the manifest entry."""
    files = {}
    for name, frame in tables.items():
        path = folder / parquet_name(name)
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(arrow, path, compression=COMPRESSION)
        files[path.name] = _digest(path)
    return {"format": FORMAT, "rules": RULES, "files": files}


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
        try:
            found = _digest(path)
        except OSError as exc:
            raise DataError(
                [
                    Problem.of_file(
                        str(path), f"a readable file of version {version} ({exc.strerror})"
                    )
                ]
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
        frame = pq.read_table(path, memory_map=True).to_pandas()
        tables[name] = strip_helpers(frame, spec)
    return tables
