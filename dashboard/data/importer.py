"""Add analysts' files to a dataset: plan (what would change), then apply atomically.

Nothing is lost: before any write, the current tables are copied to ``<data>/.history/<id>/``;
``rollback`` puts a snapshot back (after snapshotting what it replaces). Each table is written
to a temporary file in the same folder and renamed over the old one, so a reader never sees a
half-written file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, Problem, errors_only
from .readers import RawTable, read_table
from .schema import TABLES, TableSpec
from .validate import combine, identify_table, strip_helpers, validate_folder, validate_incoming

HISTORY = ".history"
OBSERVATION_KEY = ["metric_id", "area_id", "basis", "period"]


@dataclass
class ImportPlan:
    problems: list[Problem] = field(default_factory=list)
    new_rows: dict[str, int] = field(default_factory=dict)
    unchanged_rows: dict[str, int] = field(default_factory=dict)
    revisions: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    changed_tables: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[str]:
        lines = []
        for table, count in sorted(self.new_rows.items()):
            lines.append(
                f"{table}: {count} new row(s), {self.unchanged_rows.get(table, 0)} already present"
            )
        for text in self.revisions:
            lines.append(f"revision: {text}")
        if not self.changed_tables and self.ok:
            lines.append("nothing to change: every row is already in the dataset")
        return lines


def _format_cell(value: object) -> str:
    """A value as it is written to the dataset's CSV (and compared on import)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        value = float(value)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_table(frame: pd.DataFrame, spec: TableSpec, folder: Path) -> None:
    """Write one table atomically (temporary file in the same folder, then rename).

    Text is written exactly as it was given, a leading '=' included: the dataset is the
    record, not a spreadsheet export (exports neutralise such cells)."""
    columns = [c for c in spec.columns if c in frame.columns]
    text_frame = frame[columns].astype(object).map(_format_cell)
    handle, temp_name = tempfile.mkstemp(prefix=f".{spec.filename}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            text_frame.to_csv(out, index=False, lineterminator="\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, folder / spec.filename)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The dataset tables in a folder (an ingest output), and the other files it holds
    (review files, tags, notes), which import leaves alone."""
    known = {spec.filename for spec in TABLES.values()}
    files, skipped = [], []
    for path in sorted(Path(folder).iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        (files if path.name in known else skipped).append(path)
    return files, skipped


def expand_inputs(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files as given, and each folder replaced by the dataset tables it holds."""
    files, skipped = [], []
    for path in paths:
        if Path(path).is_dir():
            found, other = folder_files(Path(path))
            files += found
            skipped += other
        else:
            files.append(Path(path))
    return files, skipped


def _refuse_invalid_dataset(plan: ImportPlan, problems: list[Problem]) -> ImportPlan:
    plan.problems = [
        Problem(p.file, p.row, p.column, p.value, f"(current dataset) {p.expected}")
        for p in errors_only(problems)
    ]
    return plan


def plan_import(files: Sequence[Path | RawTable], data_dir: Path) -> ImportPlan:
    """What importing ``files`` into the dataset at ``data_dir`` would change; writes nothing.

    Files may hold any table: an analyst who cites a new publication imports a sources file
    (the columns of sources.csv) together with the observations that cite it. An item may also
    be a table already read as text (a published national table turned into dataset tables by
    ``dashboard.publishers``), checked exactly like a file.
    """
    plan = ImportPlan()
    base, problems = validate_folder(data_dir)
    if errors_only(problems):
        return _refuse_invalid_dataset(plan, problems)
    groups: dict[str, list] = {}
    for path in files:
        raw = path if isinstance(path, RawTable) else read_table(Path(path))
        if errors_only(raw.problems) and len(raw.frame.columns) == 0:
            plan.problems += raw.problems
            continue
        spec = identify_table(raw)
        if spec is None:
            plan.problems += raw.problems
            plan.problems.append(
                Problem(
                    raw.file,
                    1,
                    None,
                    ", ".join(map(str, raw.frame.columns)),
                    "the columns of a table of the dataset (observations: metric_id, area_id, "
                    "basis, period, value, status, source_id, source_sentence, note)",
                )
            )
            continue
        groups.setdefault(spec.name, []).append(raw)
    incoming, found = validate_incoming(groups, base)
    plan.problems += found
    if plan.errors:
        return plan
    published = _published(base, incoming)
    for name in TABLES:  # sources before observations: revisions name the newer source
        if name not in incoming:
            continue
        spec = TABLES[name]
        current = base.get(name)
        plan.tables[name] = _merge(name, spec, current, incoming[name], plan, published)
    for name, frame in base.items():
        plan.tables.setdefault(name, frame)
    plan.tables = {name: strip_helpers(frame, TABLES[name]) for name, frame in plan.tables.items()}
    return plan


def _published(base: dict[str, pd.DataFrame], incoming: dict[str, pd.DataFrame]) -> dict:
    published = {}
    for frame in (base.get("sources"), incoming.get("sources")):
        if frame is not None:
            published.update(zip(frame["source_id"], frame["published"], strict=False))
    return published


def _key_of(record: dict, key: list[str]) -> tuple[str, ...]:
    return tuple(_format_cell(record.get(c)) for c in key)


def _merge(
    name: str,
    spec: TableSpec,
    current: pd.DataFrame | None,
    new: pd.DataFrame,
    plan: ImportPlan,
    published: dict,
) -> pd.DataFrame:
    key = list(spec.key)
    columns = spec.columns
    current_records = [] if current is None else current.to_dict("records")
    existing = {_key_of(r, key): r for r in current_records}
    by_period: dict[tuple[str, ...], list[dict]] = {}
    if name == "observations":
        for record in current_records:
            by_period.setdefault(_key_of(record, OBSERVATION_KEY), []).append(record)
    added, unchanged = [], 0
    replaced: set[tuple[str, ...]] = set()  # glossary terms given a later definition
    for record in new.to_dict("records"):
        record_key = _key_of(record, key)
        old = existing.get(record_key)
        if old is not None:
            differing = [
                c
                for c in columns
                if c in record and _format_cell(old.get(c)) != _format_cell(record.get(c))
            ]
            if not differing:
                unchanged += 1
                continue
            if name == "glossary" and same_definition(old, record):
                unchanged += 1  # the curated entry already says this (with more explanation)
                continue
            if name == "glossary":
                keep_new, message = glossary_revision(old, record, published)
                plan.revisions.append(message)
                if keep_new:
                    replaced.add(record_key)
                    added.append(record)
                    existing[record_key] = record
                else:
                    unchanged += 1
                continue
            column = differing[0]
            label = ", ".join(f"{c}={v}" for c, v in zip(key, record_key, strict=True))
            advice = (
                "a restatement needs the newer publication's source_id (import a sources file "
                "with it)"
                if name == "observations"
                else "change catalogue rows by editing the file, not by import"
            )
            plan.problems.append(
                Problem(
                    record["_file"],
                    int(record["_row"]),
                    column,
                    _format_cell(record[column]),
                    f"conflict: the dataset already holds {_format_cell(old.get(column))} "
                    f"for {label}, and this file gives {_format_cell(record[column])}; "
                    f"refused, nothing changed. {advice}",
                )
            )
            continue
        added.append(record)
        existing[record_key] = record
        if name == "observations":
            period_key = _key_of(record, OBSERVATION_KEY)
            for earlier in by_period.get(period_key, []):
                plan.revisions.append(_describe_revision(earlier, record, published))
            by_period.setdefault(period_key, []).append(record)
    plan.new_rows[name] = len(added)
    plan.unchanged_rows[name] = unchanged
    if not added:
        return current
    plan.changed_tables.add(name)
    if replaced and current is not None:
        keys = current.apply(lambda row: _key_of(row.to_dict(), key), axis=1)
        current = current[~keys.isin(replaced)]
    return combine([current, pd.DataFrame(added)])


def _definition_words(text: object) -> list[str]:
    name = re.split(r"[,(;]", _format_cell(text))[0]
    return [w.rstrip("s") for w in re.findall(r"[a-z]+", name.lower())]


def same_definition(old: dict, new: dict) -> bool:
    """ "Community Policing Teams" says what "Community Policing Team (the force-wide ...)"
    says: the names before any comma or bracket match, plurals aside."""
    return _definition_words(old.get("expansion")) == _definition_words(new.get("expansion"))


def glossary_revision(old: dict, new: dict, published: dict) -> tuple[bool, str]:
    """A term defined differently by another document: the later publication's definition
    is current (a revision, not a conflict). Returns (use the new row, what to report)."""
    old_source, new_source = _format_cell(old.get("source_id")), _format_cell(new.get("source_id"))
    old_date, new_date = published.get(old_source, ""), published.get(new_source, "")
    old_text = f"{old['expansion']!r} ({old_source or 'no source'})"
    new_text = f"{new['expansion']!r} ({new_source or 'no source'})"
    if new_source and new_date >= old_date:
        return True, f"glossary {new['term']}: {old_text} revised to {new_text}"
    return False, (
        f"glossary {new['term']}: {new_text} is older than {old_text}; the current definition "
        "is kept"
    )


def _describe_revision(old: dict, new: dict, published: dict) -> str:
    old_date, new_date = published.get(old["source_id"], ""), published.get(new["source_id"], "")
    label = f"{new['metric_id']} / {new['area_id']} / {new['period']}"
    old_text = f"{_format_cell(old['value'])} ({old['source_id']}, published {old_date})"
    new_text = f"{_format_cell(new['value'])} ({new['source_id']}, published {new_date})"
    if _format_cell(old["value"]) == _format_cell(new["value"]):
        change = f"{new_text} confirms {old_text}"
    elif new_date >= old_date:
        change = f"{old_text} restated as {new_text}; the newer value is shown, both kept"
    else:
        change = (
            f"{new_text} is an older publication than {old_text}; "
            "kept as history, the newer value stays current"
        )
    return f"{label}: {change}"


def snapshot(data_dir: Path, action: str, detail: dict | None = None) -> str:
    """Copy the current tables to the history folder; returns the snapshot id."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = data_dir / HISTORY / stamp
    folder.mkdir(parents=True, exist_ok=False)
    copied = []
    for spec in TABLES.values():
        source = data_dir / spec.filename
        if source.exists():
            shutil.copy2(source, folder / spec.filename)
            copied.append(spec.filename)
    meta = {"id": stamp, "action": action, "files": copied, **(detail or {})}
    (folder / "snapshot.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return stamp


def apply_import(plan: ImportPlan, data_dir: Path, files: list[Path]) -> str | None:
    """Write the planned tables; returns the id of the snapshot taken first (None: no change).

    The new tables are first written beside the old ones in a staging folder and the whole
    dataset is validated there: only a dataset that loads is moved into place (one rename per
    file). A failure raises DataError and leaves the dataset and its history untouched.
    """
    if not plan.ok:
        raise ValueError("refusing to apply an import plan with errors")
    if not plan.changed_tables:
        return None
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=data_dir))
    try:
        for spec in TABLES.values():
            if spec.name in plan.changed_tables:
                write_table(plan.tables[spec.name], spec, staging)
            elif (data_dir / spec.filename).exists():
                shutil.copy2(data_dir / spec.filename, staging / spec.filename)
        _, problems = validate_folder(staging)
        if errors_only(problems):
            raise DataError(
                [
                    Problem(
                        p.file, p.row, p.column, p.value, f"(dataset after import) {p.expected}"
                    )
                    for p in errors_only(problems)
                ]
            )
        snapshot_id = snapshot(
            data_dir,
            "before import",
            {
                "imported": [str(p) for p in files],
                "new_rows": plan.new_rows,
                "revisions": len(plan.revisions),
            },
        )
        for spec in TABLES.values():  # catalogue tables first, observations after
            if spec.name in plan.changed_tables:
                os.replace(staging / spec.filename, data_dir / spec.filename)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return snapshot_id


def history(data_dir: Path) -> list[dict]:
    folder = data_dir / HISTORY
    if not folder.exists():
        return []
    entries = []
    for child in sorted(folder.iterdir()):
        meta_file = child / "snapshot.json"
        if meta_file.exists():
            entries.append(json.loads(meta_file.read_text(encoding="utf-8")))
    return entries


def rollback(data_dir: Path, snapshot_id: str | None = None) -> tuple[str, str]:
    """Restore a snapshot (the latest by default). Returns (restored id, id of the safety copy)."""
    entries = history(data_dir)
    if not entries:
        raise LookupError(f"no history in {data_dir / HISTORY}: nothing to roll back to")
    chosen = (
        entries[-1]
        if snapshot_id is None
        else next((e for e in entries if e["id"] == snapshot_id), None)
    )
    if chosen is None:
        raise LookupError(f"no snapshot {snapshot_id!r}; see `pcp-dashboard history`")
    source = data_dir / HISTORY / chosen["id"]
    safety = snapshot(data_dir, "before rollback", {"restoring": chosen["id"]})
    for spec in TABLES.values():
        saved = source / spec.filename
        target = data_dir / spec.filename
        if saved.exists():
            handle, temp_name = tempfile.mkstemp(
                prefix=f".{spec.filename}.", suffix=".tmp", dir=data_dir
            )
            os.close(handle)
            shutil.copy2(saved, temp_name)
            os.replace(temp_name, target)
        elif target.exists():
            target.unlink()
    return chosen["id"], safety
