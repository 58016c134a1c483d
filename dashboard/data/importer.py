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
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import Problem, errors_only
from .readers import read_table
from .schema import TABLES, TableSpec
from .validate import identify_table, strip_helpers, validate_folder, validate_raw

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
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_table(frame: pd.DataFrame, spec: TableSpec, folder: Path) -> None:
    """Write one table atomically (temporary file in the same folder, then rename)."""
    columns = [c for c in spec.columns if c in frame.columns]
    text_frame = frame[columns].map(_format_cell)
    handle, temp_name = tempfile.mkstemp(prefix=f".{spec.filename}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            text_frame.to_csv(out, index=False, lineterminator="\n")
        os.replace(temp_name, folder / spec.filename)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def plan_import(files: list[Path], data_dir: Path) -> ImportPlan:
    plan = ImportPlan()
    base, problems = validate_folder(data_dir)
    if errors_only(problems):
        plan.problems = [
            Problem(p.file, p.row, p.column, p.value, f"(current dataset) {p.expected}")
            for p in errors_only(problems)
        ]
        return plan
    raws = {}
    for path in files:
        raw = read_table(path)
        spec = identify_table(raw)
        if spec is None and not errors_only(raw.problems):
            plan.problems.append(
                Problem(
                    raw.file,
                    1,
                    None,
                    ", ".join(raw.frame.columns),
                    "columns of a known table (observations: metric_id, area_id, basis, period, value, ...)",
                )
            )
            continue
        if spec is None:
            plan.problems += raw.problems
            continue
        if spec.name in raws:
            raws[spec.name].frame = pd.concat([raws[spec.name].frame, raw.frame], ignore_index=True)
            raws[spec.name].rows += raw.rows
            raws[spec.name].problems += raw.problems
        else:
            raws[spec.name] = raw
    incoming, found = validate_raw(raws, base={k: v for k, v in base.items() if k not in raws})
    plan.problems += found
    if plan.errors:
        return plan
    for name in raws:
        spec = TABLES[name]
        current = (
            strip_helpers(base[name], spec) if name in base else pd.DataFrame(columns=spec.columns)
        )
        new = strip_helpers(incoming[name], spec)
        merged = _merge(name, spec, current, new, raws[name].file, plan)
        plan.tables[name] = merged
    if plan.errors:
        return plan
    # The merged dataset must hold together as a whole (links between tables).
    for name, frame in base.items():
        plan.tables.setdefault(name, strip_helpers(frame, TABLES[name]))
    return plan


def _merge(
    name: str,
    spec: TableSpec,
    current: pd.DataFrame,
    new: pd.DataFrame,
    file: str,
    plan: ImportPlan,
) -> pd.DataFrame:
    key = list(spec.key)
    current_rows = {tuple(_format_cell(r[c]) for c in key): r for r in current.to_dict("records")}
    existing = current_rows
    added, unchanged = [], 0
    for position, record in enumerate(new.to_dict("records")):
        record_key = tuple(_format_cell(record[c]) for c in key)
        if record_key in existing:
            old = current_rows[record_key]
            differing = [
                c
                for c in spec.columns
                if c in record and _format_cell(old.get(c)) != _format_cell(record.get(c))
            ]
            if differing:
                column = differing[0]
                plan.problems.append(
                    Problem(
                        file,
                        position + 2,
                        column,
                        _format_cell(record[column]),
                        f"the dataset already holds {_format_cell(old.get(column))!r} for "
                        + ", ".join(f"{c}={_format_cell(record[c])}" for c in key)
                        + "; a different value from the same source is a conflict (refused). "
                        "A restatement needs its own source row in sources.csv",
                    )
                )
            else:
                unchanged += 1
            continue
        added.append(record)
        if name == "observations":
            same_period = current[
                (current["metric_id"] == record["metric_id"])
                & (current["area_id"] == record["area_id"])
                & (current["basis"] == record["basis"])
                & (current["period"] == record["period"])
            ]
            for old in same_period.to_dict("records"):
                plan.revisions.append(
                    f"{record['metric_id']} / {record['area_id']} / {record['period']}: "
                    f"{_format_cell(old['value'])} ({old['source_id']}) restated as "
                    f"{_format_cell(record['value'])} ({record['source_id']}); both kept, the later "
                    "publication is shown as current"
                )
    plan.new_rows[name] = len(added)
    plan.unchanged_rows[name] = unchanged
    if added:
        plan.changed_tables.add(name)
        return pd.concat([current, pd.DataFrame(added)], ignore_index=True)
    return current


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
    """Write the planned tables; returns the id of the snapshot taken first (None: no change)."""
    if not plan.ok:
        raise ValueError("refusing to apply an import plan with errors")
    if not plan.changed_tables:
        return None
    snapshot_id = snapshot(
        data_dir,
        "before import",
        {
            "imported": [str(p) for p in files],
            "new_rows": plan.new_rows,
            "revisions": len(plan.revisions),
        },
    )
    for name in sorted(plan.changed_tables):
        write_table(plan.tables[name], TABLES[name], data_dir)
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
