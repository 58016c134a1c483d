"""Rebuild the national part of a dataset from the repository alone.

The repository keeps, beside the dataset (``data/``):

* ``data/published/``: copies of the published national tables exactly as released, listed in
  ``manifest.csv`` (file, publisher, publication date where the file states none);
* ``data/national/``: the curated rows that give them meaning: the catalogue's national metrics
  (mapped to plan priorities, with ``published_as``), the police force areas and England and
  Wales, Essex's most similar group with its source, and the discontinuities and caveats.

:func:`plan_build` takes the dataset at ``data_dir``, sets aside every row that came from these
(rows whose keys the national tables hold, and the observations and sources of the published
editions), and plans the import of the national tables and published files on top, with the
importer's own checks; :func:`apply_build` writes the result through the importer (a snapshot
first, so ``pcp-dashboard rollback`` undoes it). Running it twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import filecmp
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..data.errors import Problem, errors_only
from ..data.importer import ImportPlan, apply_import, plan_import, write_table
from ..data.readers import RawTable, read_table
from ..data.schema import TABLES, table_for_filename
from ..data.validate import validate_folder
from ..data.versions import fingerprint
from ..resources import repository_data_dir
from . import read_published
from .catalogue import Catalogue
from .common import Published

#: The checkout's data/ (published tables and curated national rows), found by resources.py.
REPO_DATA = repository_data_dir()
MANIFEST = "manifest.csv"
#: Folders of curated rows beside published/: the national tables' catalogue, and the local
#: detail's (police.uk categories, ONS populations: data/local).
CURATED = ("national", "local")


@dataclass
class Build:
    plan: ImportPlan | None = None
    problems: list[Problem] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    set_aside: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems) + (self.plan.errors if self.plan else [])

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.plan and self.plan.changed_tables)


def read_manifest(published_dir: Path) -> tuple[list[dict], list[Problem]]:
    path = published_dir / MANIFEST
    if not path.is_file():
        return [], [Problem.of_file(str(path), "a manifest of the published files")]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    problems = []
    for number, row in enumerate(rows, start=2):
        if not (published_dir / row.get("file", "")).is_file():
            problems.append(
                Problem(MANIFEST, number, "file", row.get("file"), "a file in data/published/")
            )
    return rows, problems


def _national_tables(national_dir: Path) -> tuple[list[RawTable], list[Problem]]:
    raws, problems = [], []
    for path in sorted(national_dir.glob("*.csv")):
        if table_for_filename(path.name) is None:
            problems.append(Problem.of_file(path.name, "a table of the dataset (by its file name)"))
            continue
        raw = read_table(path)  # named as the table's file: the importer identifies it by name
        raws.append(raw)
        problems += raw.problems
    return raws, problems


def _keys(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    parts = [frame[c].astype(object).where(frame[c].notna(), "").astype(str) for c in key]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + "\x1f" + part
    return joined


def _set_aside(
    base: dict[str, pd.DataFrame], national: list[RawTable], source_ids: set[str]
) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """The dataset without the rows the build will import again."""
    national_keys: dict[str, set[str]] = {}
    for raw in national:
        spec = table_for_filename(raw.file)
        if spec is not None and set(spec.key) <= set(raw.frame.columns):
            national_keys.setdefault(spec.name, set()).update(_keys(raw.frame, spec.key))
    reduced: dict[str, pd.DataFrame] = {}
    counts: dict[str, int] = {}
    for name, frame in base.items():
        spec = TABLES[name]
        drop = pd.Series(False, index=frame.index)
        if name in national_keys:
            drop |= _keys(frame, spec.key).isin(national_keys[name])
        if name in ("observations", "sources") and "source_id" in frame.columns:
            drop |= frame["source_id"].isin(source_ids)
        counts[name] = int(drop.sum())
        reduced[name] = frame[~drop].reset_index(drop=True)
    return reduced, {k: v for k, v in counts.items() if v}


def plan_build(data_dir: Path, repo_data: Path = REPO_DATA) -> Build:
    """What rebuilding the national rows of ``data_dir`` would change; writes nothing there."""
    build = Build()
    published_dir = repo_data / "published"
    manifest, problems = read_manifest(published_dir)
    build.problems += problems
    national: list[RawTable] = []
    curated_files: list[Path] = []
    for folder in CURATED:
        raws, problems = _national_tables(repo_data / folder)
        national += raws
        curated_files += [repo_data / folder / raw.file for raw in raws]
        build.problems += problems
    base, problems = validate_folder(data_dir)
    if errors_only(problems):
        build.problems += [
            Problem(p.file, p.row, p.column, p.value, f"(current dataset) {p.expected}")
            for p in errors_only(problems)
        ]
    if build.errors:
        return build
    catalogue = _catalogue(base, national)
    for row in manifest:
        path = published_dir / row["file"]
        build.files.append(path)
        result = read_published(
            path,
            catalogue,
            kind=row.get("publisher") or None,
            published=row.get("published") or None,
            origin=row.get("origin") or None,
        )
        build.published.append(result)
        build.problems += result.problems
    if errors_only(build.problems):
        return build
    source_ids = {s for r in build.published for s in r.source_ids}
    reduced, build.set_aside = _set_aside(base, national, source_ids)
    build.files += curated_files
    with tempfile.TemporaryDirectory(prefix="pcp-build-") as staging:
        staging_dir = Path(staging)
        for name, frame in reduced.items():
            if len(frame):  # a table the build empties is absent, not a header without rows
                write_table(frame, TABLES[name], staging_dir)
        items: list[Path | RawTable] = [*national]
        for result in build.published:
            items += result.tables
        build.plan = plan_import(items, staging_dir)
        # Planned on a scratch copy: the version it builds on is the data folder's own.
        build.plan.base_version = fingerprint(data_dir)
        if build.plan.ok:
            build.plan.changed_tables = _differing(build.plan, base, staging_dir)
    return build


def _catalogue(base: dict[str, pd.DataFrame], national: list[RawTable]) -> Catalogue:
    tables = {name: [base.get(name)] for name in ("metrics", "areas")}
    for raw in national:
        spec = table_for_filename(raw.file)
        if spec is not None and spec.name in tables:
            tables[spec.name].append(raw.frame.replace("", None))
    frames = {
        name: pd.concat([f for f in parts if f is not None], ignore_index=True)
        for name, parts in tables.items()
        if any(f is not None for f in parts)
    }
    return Catalogue.from_tables(frames.get("metrics"), frames.get("areas"))


def _differing(plan: ImportPlan, base: dict[str, pd.DataFrame], scratch: Path) -> set[str]:
    """Tables whose planned content differs from the dataset's (both written the same way, so
    a hand-formatted file that holds the same rows is not rewritten)."""
    changed = set()
    for label, tables in (("planned", plan.tables), ("current", base)):
        (scratch / label).mkdir()
        for name, frame in tables.items():
            write_table(frame, TABLES[name], scratch / label)
    for name in set(plan.tables) | set(base):
        filename = TABLES[name].filename
        planned, current = scratch / "planned" / filename, scratch / "current" / filename
        if planned.exists() != current.exists() or (
            planned.exists() and not filecmp.cmp(planned, current, shallow=False)
        ):
            changed.add(name)
    return changed


def apply_build(build: Build, data_dir: Path) -> str | None:
    """Write a planned build (snapshot first); returns the snapshot id, or None if no change."""
    if not build.ok or build.plan is None:
        raise ValueError("refusing to apply a build with errors")
    return apply_import(
        build.plan,
        data_dir,
        build.files,
        replan=lambda: plan_build(data_dir).plan,  # if another import landed meanwhile
        action="build-data",
    )


#: The police.uk records the bundled data carries (issue 22): data/records/, beside the tables.
RECORDS_DIR = "records"
POLICE_UK = "police-uk"


@dataclass
class RecordsBuild:
    """What `build-data` did with the records: the folder, its files' sizes, whether they were
    rewritten (False: the files there already hold exactly these records)."""

    folder: Path
    sizes: dict[str, int]
    changed: bool
    sources: list[str]


def police_uk_files(repo_data: Path = REPO_DATA) -> list[Path]:
    """The police.uk months listed in data/published/manifest.csv, in name order."""
    rows, _ = read_manifest(repo_data / "published")
    return sorted(
        repo_data / "published" / row["file"]
        for row in rows
        if row.get("publisher") == POLICE_UK and (repo_data / "published" / row["file"]).is_file()
    )


def _same_records(new: Path, old: Path) -> bool:
    """True when two records folders hold the same rows (as multisets) in the same columns:
    the records file's row order within a month is DuckDB's, so bytes may differ run to run."""
    import duckdb  # noqa: PLC0415 - only build-data needs it

    from ..data import records  # noqa: PLC0415

    con = duckdb.connect()
    try:
        for name in (records.RECORDS, records.COUNTS):
            if not (old / name).is_file():
                return False
            a, b = str(new / name), str(old / name)
            if con.execute(
                "SELECT (SELECT list(name ORDER BY name) FROM parquet_schema($a)) = "
                "(SELECT list(name ORDER BY name) FROM parquet_schema($b))",
                {"a": a, "b": b},
            ).fetchone() != (True,):
                return False
            differing = con.execute(
                "SELECT count(*) FROM ((SELECT * FROM read_parquet($a) EXCEPT ALL "
                "SELECT * FROM read_parquet($b)) UNION ALL (SELECT * FROM read_parquet($b) "
                "EXCEPT ALL SELECT * FROM read_parquet($a)))",
                {"a": a, "b": b},
            ).fetchone()
            if differing != (0,):
                return False
    finally:
        con.close()
    return True


def bundle_records(data_dir: Path, repo_data: Path = REPO_DATA) -> RecordsBuild | None:
    """Build the police.uk records of data/published/ into ``data_dir``/records/ (the records
    file, its counts and ``manifest.json`` with their sha256), the district rule read from
    ``data_dir``'s areas.csv. Files already holding the same records are left as they are, so
    a second build changes nothing. None when the manifest lists no police.uk month.
    Raises DataError (nothing written) on a file that is not a police.uk month."""
    from ..data import records  # noqa: PLC0415 - DuckDB only when building records
    from ..data.versions import FOLDER_RECORDS, folder_records, write_json_atomic  # noqa: PLC0415

    files = police_uk_files(repo_data)
    if not files:
        return None
    areas = pd.read_csv(data_dir / TABLES["areas"].filename, dtype=str, keep_default_na=False)
    target = data_dir / RECORDS_DIR
    with tempfile.TemporaryDirectory(prefix=".records-", dir=data_dir) as work:
        built = Path(work) / RECORDS_DIR
        digests = records.build(files, areas, built)
        sources = [f.name for f in files]
        changed = not (
            folder_records(data_dir) is not None
            and sorted(folder_records(data_dir)["sources"]) == sources  # type: ignore[index]
            and _same_records(built, target)
        )
        if changed:
            target.mkdir(exist_ok=True)
            for name in (records.RECORDS, records.COUNTS):
                (built / name).replace(target / name)
            write_json_atomic(
                data_dir / FOLDER_RECORDS,
                {
                    "files": digests,
                    "sources": sources,
                    "rule": "docs/store.md, 'Records and the record-to-aggregate rule'",
                },
            )
    entry = folder_records(data_dir) or {"files": {}}
    sizes = {name: (data_dir / name).stat().st_size for name in entry["files"]}
    return RecordsBuild(target, sizes, changed, sources)
