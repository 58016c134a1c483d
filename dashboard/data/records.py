"""police.uk records kept per version, their aggregates, and the record questions (issue 22).

police.uk publishes every crime and ASB incident of a force's month as a row of a street-level
file. ``build`` reads such files once (DuckDB's CSV reader: both header styles, CRLF or LF,
every cell as text, bounded in bytes and rows), and writes into a folder:

* ``police_uk.parquet``: one row per record: ``month``, ``crime_id``, ``falls_within``,
  ``lsoa_code``, ``lsoa_name``, ``district`` (an area id, or empty), ``place``
  (``district`` | ``outside`` | ``no_lsoa``), ``crime_type``, ``last_outcome_category``, ``file``;
* ``police_uk_counts.parquet``: the aggregate every question is answered from, one row per
  (month, place, district, crime type, outcome) with its count ``n``.

**The record-to-aggregate rule** (docs/store.md, the same as ``publishers.police_uk``'s counts):

* a record's district is its LSOA name without the trailing `` NNNX`` code (``Basildon 001A``
  -> Basildon), matched to a district of ``areas.csv`` (``area_type`` district) by name;
  ``place`` is ``district`` when it matches, ``outside`` when the LSOA name names another
  district, ``no_lsoa`` when the LSOA name is empty, ``other_force`` when the record's ``Falls
  within`` is not the dataset's own force (areas.csv's ``force`` row, by its name, id or an
  alias: a national import keeps every force's records, and another force's records count into
  none of the force's or its districts' figures, as ``publishers.police_uk`` counts them);
* a count is the number of records of the month with that category (and district, outcome)
  ``count(*)``; force-wide counts include every record of the own force whatever its place;
  the counts keep ``falls_within``, so every force's counts can be asked;
* a month imported again replaces that month's records of the forces the new files hold (one
  vintage a force and month, the newest given); other forces' records of the month stay.

``RecordStore`` answers from the counts file through DuckDB (a few milliseconds: the counts of a
force's three years are some 10^5 rows, whatever the number of records); no request scans the
records.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem
from .files import why_not_readable

RECORDS = "police_uk.parquet"
COUNTS = "police_uk_counts.parquet"
#: police.uk's street-level columns, in file order, normalised (lower case, spaces as ``_``).
COLUMNS = (
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "last_outcome_category",
    "context",
)


def header_key(text: str) -> str:
    return "_".join(text.strip().lstrip("\ufeff").lower().split())


def _name_key(text: object) -> str:
    return " ".join(str(text).lower().replace("-", " ").split())


@dataclass(frozen=True)
class Limits:
    """Per file: bytes on disk; in all: records (police.uk: about 6 million a year nationally)."""

    file_bytes: int = 500 * 1024 * 1024
    records: int = 50_000_000
    #: DuckDB's working memory while building; beyond it, it spills to a temporary folder.
    memory_mb: int = 1024


def _check_file(path: Path, limits: Limits) -> None:
    name = str(path)
    if why := why_not_readable(path):
        raise DataError([Problem.of_file(name, f"{why}; expected a police.uk street-level .csv")])
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise DataError(
            [
                Problem.of_file(
                    name,
                    f"a police.uk month of at most {limits.file_bytes / 2**20:,.0f} MB; this one "
                    f"is {size / 2**20:,.1f} MB, nothing was read",
                )
            ]
        )
    with path.open("rb") as handle:
        first = handle.readline(4096).decode("utf-8-sig", errors="replace").rstrip("\r\n")
    keys = tuple(header_key(h) for h in first.split(","))
    if keys != COLUMNS:
        raise DataError(
            [
                Problem(
                    name,
                    1,
                    None,
                    first[:300],
                    "police.uk's street-level header (Crime ID, Month, Reported by, Falls "
                    "within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, "
                    "Last outcome category, Context), in either spelling",
                )
            ]
        )


def district_table(areas: pd.DataFrame) -> pd.DataFrame:
    """(name key, area id) of every district of ``areas.csv`` (its name and its id's words)."""
    rows = areas[areas["area_type"] == "district"]
    keys = {}
    for area_id, name in zip(rows["area_id"], rows["name"], strict=True):
        keys[_name_key(name)] = area_id
        keys.setdefault(_name_key(area_id), area_id)
    return pd.DataFrame({"key": list(keys), "district": list(keys.values())})


def own_force_table(areas: pd.DataFrame) -> pd.DataFrame:
    """The name keys (``key``) of the dataset's own force: the first ``force`` row of
    ``areas.csv``, by id, name and aliases. Empty when there is none (every record is then the
    force's own, as before national imports)."""
    rows = areas[areas["area_type"] == "force"].head(1).to_dict("records")
    keys: set[str] = set()
    for row in rows:
        aliases = str(row.get("aliases") or "").split("|")
        for spelling in (row.get("area_id"), row.get("name"), *aliases):
            if isinstance(spelling, str) and spelling.strip():
                keys.add(_name_key(spelling))
    return pd.DataFrame({"key": sorted(keys)}, dtype=object)


def build(
    files: Iterable[Path],
    areas: pd.DataFrame,
    out: Path,
    limits: Limits | None = None,
    *,
    keep: Path | None = None,
) -> dict[str, str]:
    """Read police.uk street-level files into ``out``'s records and counts files; their sha256.

    ``keep``: an earlier records file whose months stay, except those the files hold (one
    vintage a month: the newest given). Raises DataError (file, row where known, expected) and
    writes nothing on bad input."""
    import duckdb  # noqa: PLC0415 - a worker that asks no record question never loads it

    limits = limits or Limits()
    paths = sorted(Path(f) for f in files)
    if not paths:
        raise DataError([Problem.of_file(str(out), "at least one police.uk street-level file")])
    for path in paths:
        _check_file(path, limits)
    records, counts = out / RECORDS, out / COUNTS
    spill = tempfile.TemporaryDirectory(prefix=".duckdb-", dir=out.parent)
    con = duckdb.connect()
    try:
        # Bounded memory: DuckDB spills to disk past it (10^7 records are some GB as text).
        con.execute(f"SET memory_limit = '{limits.memory_mb}MB'")
        con.execute("SET temp_directory = $dir", {"dir": spill.name})
        con.execute("SET threads TO 2")
        con.execute("SET preserve_insertion_order = false")
        con.register("district_keys", district_table(areas))
        own = own_force_table(areas)
        con.register("own_force", own)
        own_clause = (
            "lower(regexp_replace(replace(trim(r.falls_within), '-', ' '), '\\s+', ' ', 'g')) "
            "IN (SELECT key FROM own_force)"
            if len(own)
            else "TRUE"
        )
        try:
            con.execute(
                r"""
                CREATE TEMP TABLE rec AS
                SELECT r.month, coalesce(r.crime_id, '') AS crime_id,
                       trim(r.falls_within) AS falls_within,
                       coalesce(r.lsoa_code, '') AS lsoa_code,
                       coalesce(trim(r.lsoa_name), '') AS lsoa_name,
                       CASE WHEN {own} THEN coalesce(k.district, '') ELSE '' END AS district,
                       CASE WHEN NOT ({own}) THEN 'other_force'
                            WHEN coalesce(trim(r.lsoa_name), '') = '' THEN 'no_lsoa'
                            WHEN k.district IS NULL THEN 'outside' ELSE 'district' END AS place,
                       coalesce(trim(regexp_replace(r.crime_type, '\s+', ' ', 'g')), '')
                           AS crime_type,
                       coalesce(r.last_outcome_category, '') AS last_outcome_category,
                       r.filename AS file
                FROM read_csv($files, header = true, names = $names, all_varchar = true,
                              strict_mode = true, filename = true, null_padding = false) r
                LEFT JOIN district_keys k
                  ON k.key = lower(regexp_replace(regexp_replace(
                         regexp_replace(trim(r.lsoa_name), '\s+\d{3}[A-Z]$', ''), '-', ' ', 'g'),
                         '\s+', ' ', 'g'))
                """.replace("{own}", own_clause),
                {"files": [str(p) for p in paths], "names": list(COLUMNS)},
            )
        except duckdb.Error as exc:
            raise DataError(
                [Problem.of_file(str(paths[0].parent), f"police.uk CSV rows ({exc})")]
            ) from exc
        total = con.execute("SELECT count(*) FROM rec").fetchone()
        if total is not None and total[0] > limits.records:
            raise DataError(
                [Problem.of_file(str(paths[0].parent), f"at most {limits.records:,} records")]
            )
        bad = con.execute(
            "SELECT file, month FROM rec WHERE NOT regexp_matches(coalesce(month, ''), "
            r"'^\d{4}-(0[1-9]|1[0-2])$') OR crime_type = '' LIMIT 1"
        ).fetchone()
        if bad is not None:
            raise DataError(
                [
                    Problem(
                        Path(bad[0]).name,
                        None,
                        "Month",
                        bad[1],
                        "a month written YYYY-MM and a category",
                    )
                ]
            )
        if keep is not None:
            con.execute(
                "INSERT INTO rec SELECT * FROM read_parquet($keep) k WHERE NOT EXISTS "
                "(SELECT 1 FROM rec n WHERE n.month = k.month AND n.falls_within = k.falls_within)",
                {"keep": str(keep)},
            )
        out.mkdir(parents=True, exist_ok=True)
        con.sql(
            "SELECT * REPLACE (parse_filename(file) AS file) FROM rec "
            "ORDER BY month, district, crime_type"
        ).write_parquet(str(records), compression="zstd")
        con.sql(
            "SELECT month, falls_within, place, district, crime_type, last_outcome_category, "
            "count(*) AS n "
            "FROM rec GROUP BY ALL ORDER BY ALL"
        ).write_parquet(str(counts), compression="zstd")
    finally:
        con.close()
        spill.cleanup()
    return {f"records/{p.name}": _digest(p) for p in (records, counts)}


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RecordStore:
    """The record questions of one version, answered from its counts file by DuckDB.

    One in-memory DuckDB connection holds the counts (a few MB); each call uses its own cursor,
    so threads of a worker may ask at once."""

    def __init__(self, folder: Path):
        import duckdb  # noqa: PLC0415 - loaded on the first record question only

        self.folder = Path(folder)
        self._con = duckdb.connect()
        self._con.execute("SET threads TO 1")
        self._con.execute(
            "CREATE TABLE counts AS SELECT * FROM read_parquet($p)",
            {"p": str(self.folder / COUNTS)},
        )
        self._lock = threading.Lock()

    def _query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params or {}).df()
        finally:
            cursor.close()

    def months(self) -> list[str]:
        return list(self._query("SELECT DISTINCT month FROM counts ORDER BY month")["month"])

    def district_categories(self, district: str, month: str) -> pd.DataFrame:
        """A district's records of a month by category, most first: ``crime_type``, ``n``."""
        return self._query(
            "SELECT crime_type, sum(n)::BIGINT AS n FROM counts WHERE district = $d AND "
            "month = $m GROUP BY crime_type ORDER BY n DESC, crime_type",
            {"d": district, "m": month},
        )

    def district_outcomes(self, district: str, month: str) -> pd.DataFrame:
        """A district's crimes of a month by last outcome (ASB has none): ``outcome``, ``n``."""
        return self._query(
            "SELECT last_outcome_category AS outcome, sum(n)::BIGINT AS n FROM counts "
            "WHERE district = $d AND month = $m AND last_outcome_category <> '' "
            "GROUP BY 1 ORDER BY n DESC, outcome",
            {"d": district, "m": month},
        )

    def category_across_districts(self, crime_type: str, month: str) -> pd.DataFrame:
        """One category's records of a month in every district: ``district``, ``n``."""
        return self._query(
            "SELECT district, sum(n)::BIGINT AS n FROM counts WHERE crime_type = $c AND "
            "month = $m AND place = 'district' GROUP BY district ORDER BY district",
            {"c": crime_type, "m": month},
        )

    def force_counts(self) -> pd.DataFrame:
        """Per month, of the own force's records: ``rows``, ``no_lsoa``, ``outside`` (the
        source notes' counts)."""
        return self._query(
            "SELECT month, sum(n)::BIGINT AS rows, "
            "coalesce(sum(n) FILTER (WHERE place = 'no_lsoa'), 0)::BIGINT AS no_lsoa, "
            "coalesce(sum(n) FILTER (WHERE place = 'outside'), 0)::BIGINT AS outside "
            "FROM counts WHERE place <> 'other_force' GROUP BY month ORDER BY month"
        )

    def counts(self, by: Iterable[str], **where: str) -> pd.DataFrame:
        """Counts for any combination the pages offer: ``by`` some of month, falls_within, place,
        district, crime_type, last_outcome_category; ``where`` equalities on the same columns."""
        allowed = (
            "month",
            "falls_within",
            "place",
            "district",
            "crime_type",
            "last_outcome_category",
        )
        columns = list(by)
        for column in [*columns, *where]:
            if column not in allowed:
                raise ValueError(f"{column!r}: expected one of {', '.join(allowed)}")
        select = ", ".join(columns)
        clauses = " AND ".join(f"{c} = ${c}" for c in where) or "TRUE"
        group = f"GROUP BY {select} ORDER BY {select}" if columns else ""
        head = f"{select}, " if columns else ""
        return self._query(
            # Column names only from ``allowed``; values are parameters.
            f"SELECT {head}sum(n)::BIGINT AS n FROM counts WHERE {clauses} {group}",  # noqa: S608
            where,
        )

    def month_files(self, month: str) -> tuple[str, ...]:
        """The file(s) a month's records were read from (one vintage a month: one file); empty
        when the version keeps only the counts. The records file is sorted by month, so DuckDB
        reads only the row groups whose month statistics can hold it, not every record."""
        path = self.folder / RECORDS
        if not path.is_file():
            return ()
        rows = self._query(
            "SELECT DISTINCT file FROM read_parquet($p) WHERE month = $m ORDER BY file",
            {"p": str(path), "m": month},
        )
        return tuple(str(f) for f in rows["file"])


def valid_month(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text))
