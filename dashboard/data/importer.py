"""Add analysts' files to a dataset: plan (what would change), then apply as a new version.

Nothing is lost and nothing is half done (see versions.py and docs/store.md): an import takes
the dataset's lock, writes a complete new version beside the live one, validates it as a whole,
and only then makes it live in one atomic switch; the versions before it stay for ``rollback``.
A second import waits for the lock (a bounded time), then plans again on top of the first.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, Outcome, Problem, errors_only
from .readers import RawTable, read_table
from .schema import TABLES, TableSpec
from .validate import combine, identify_table, strip_helpers, validate_folder, validate_incoming
from .versions import VersionStore, file_mode, fingerprint

OBSERVATION_KEY = ["metric_id", "area_id", "basis", "period"]
#: Seconds an import or rollback waits for another one to finish (Settings.lock_timeout).
DEFAULT_LOCK_TIMEOUT = 30.0


@dataclass
class ImportPlan(Outcome):
    problems: list[Problem] = field(default_factory=list)
    new_rows: dict[str, int] = field(default_factory=dict)
    unchanged_rows: dict[str, int] = field(default_factory=dict)
    #: Real revisions: values restated by another publication (and glossary definitions).
    revisions: list[str] = field(default_factory=list)
    #: Values a later publication gave again with the same value: not revisions, so the
    #: summary counts them in one line instead of listing each.
    republished: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    changed_tables: set[str] = field(default_factory=set)
    #: The version the plan was made on: applying it to any other means planning again.
    base_version: str | None = None
    #: For each row of each planned table, the (file, row) it came from, so that a problem
    #: found in the dataset the import would make is reported in the analyst's own file.
    origins: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def summary(self) -> list[str]:
        lines = []
        for table, count in sorted(self.new_rows.items()):
            lines.append(
                f"{table}: {count} new row(s), {self.unchanged_rows.get(table, 0)} already present"
            )
        if self.republished:
            lines.append(
                f"republished unchanged: {len(self.republished):,} value(s) published again "
                "with the same value by another publication (not revisions: the value shown "
                "stays as it was)"
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
        if value.is_integer():
            return str(int(value))
        # Never an exponent ("1e-05"): the dataset's own reader takes plain decimals only.
        return np.format_float_positional(value, unique=True, trim="-")
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
        os.chmod(temp_name, file_mode())  # mkstemp makes 0600; the folder's readers need more
        os.replace(temp_name, folder / spec.filename)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The dataset tables in a folder (an ingest output), and the other files it holds
    (review files, tags, notes), which import leaves alone."""
    known = {spec.filename for spec in TABLES.values()}
    files: list[Path] = []
    skipped: list[Path] = []
    for path in sorted(Path(folder).iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        (files if path.name in known else skipped).append(path)
    return files, skipped


def expand_inputs(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files as given, and each folder replaced by the dataset tables it holds."""
    files: list[Path] = []
    skipped: list[Path] = []
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


def plan_import(
    files: Sequence[Path | RawTable], data_dir: Path, seed: Path | None = None
) -> ImportPlan:
    """What importing ``files`` into the dataset at ``data_dir`` would change; writes nothing.

    Files may hold any table: an analyst who cites a new publication imports a sources file
    (the columns of sources.csv) together with the observations that cite it. An item may also
    be a table already read as text (a published national table turned into dataset tables by
    ``dashboard.publishers``), checked exactly like a file. A data folder without tables starts
    from ``seed`` (the bundled dataset).
    """
    plan = ImportPlan()
    store = VersionStore(data_dir, seed=seed)
    working = store.working_dir()
    plan.base_version = fingerprint(working)
    live = store.current_version()
    if live is not None and plan.base_version != live and not store.pending():
        # Files edited, deleted or added by hand since: never the base of an import.
        plan.problems = store.differences(live)
        return plan
    base, problems = validate_folder(working)
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
    for name, frame in plan.tables.items():
        if "_file" in frame.columns and "_row" in frame.columns:
            plan.origins[name] = list(zip(frame["_file"], frame["_row"].astype(int), strict=True))
    plan.tables = {name: strip_helpers(frame, TABLES[name]) for name, frame in plan.tables.items()}
    return plan


def _published(base: dict[str, pd.DataFrame], incoming: dict[str, pd.DataFrame]) -> dict:
    published: dict[str, str] = {}
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
                text = _describe_revision(earlier, record, published)
                same = _format_cell(earlier["value"]) == _format_cell(record["value"])
                (plan.republished if same else plan.revisions).append(text)
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
        change = f"{new_text} republishes {old_text} unchanged"
    elif new_date >= old_date:
        change = f"{old_text} restated as {new_text}; the newer value is shown, both kept"
    else:
        change = (
            f"{new_text} is an older publication than {old_text}; "
            "kept as history, the newer value stays current"
        )
    return f"{label}: {change}"


def _in_analysts_files(problems: list[Problem], plan: ImportPlan) -> list[Problem]:
    """Problems of the dataset an import would make, moved to the file and row each bad row
    came from (a row of the dataset itself keeps its own place, marked as such)."""
    moved = []
    by_file = {TABLES[name].filename: name for name in plan.origins}
    for problem in errors_only(problems):
        name = by_file.get(Path(problem.file).name)
        origin = None
        if name is not None and problem.row is not None:
            rows = plan.origins[name]
            if 0 <= problem.row - 2 < len(rows):
                origin = rows[problem.row - 2]
        if name is not None and origin is not None and origin[0] != TABLES[name].filename:
            moved.append(
                Problem(origin[0], origin[1], problem.column, problem.value, problem.expected)
            )
        else:
            moved.append(
                Problem(
                    problem.file,
                    problem.row,
                    problem.column,
                    problem.value,
                    f"(dataset after import) {problem.expected}",
                )
            )
    return moved


def _store(data_dir: Path, seed: Path | None, keep_versions: int) -> VersionStore:
    store = VersionStore(data_dir, seed=seed, keep=keep_versions)
    if not store.writable:
        raise DataError(
            [
                Problem.of_file(
                    str(data_dir),
                    "a data folder this command can write (this one is read-only, or is the "
                    "bundled data of an installed package); set PCP_DATA_DIR to a writable "
                    "folder: it starts from the bundled data",
                )
            ]
        )
    return store


def _ensure_base(store: VersionStore) -> str:
    """Under the lock: the live version to build on (the working copy's first version on a
    first import). Refuses when the folder's files differ from the live version (edited,
    missing, added): they are published or put back by ``pcp-dashboard publish [--restore]``,
    never silently (issue 25, finding 4: deleted files once made the bundled data live and the
    next import built on them)."""
    store.recover()
    result = store.sync(publish=False)
    if errors_only(result.problems) or result.current is None:
        raise DataError(
            [
                Problem(p.file, p.row, p.column, p.value, f"(current dataset) {p.expected}")
                for p in errors_only(result.problems)
            ]
            or [Problem.of_file(str(store.data_dir), "a dataset to import into")]
        )
    return result.current


def _item_name(item: Path | RawTable) -> str:
    return item.file if isinstance(item, RawTable) else Path(item).name


def apply_import(
    plan: ImportPlan,
    data_dir: Path,
    files: Sequence[Path | RawTable],
    *,
    seed: Path | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    keep_versions: int = 20,
    replan: Callable[[], ImportPlan | None] | None = None,
    action: str = "import",
) -> str | None:
    """Make the planned tables the live version; returns its id (None: nothing to change).

    Under the dataset's lock: if the dataset changed since ``plan`` was made (another import
    landed meanwhile) the files are planned again on top of it (``replan``: how, for a plan
    not made by ``plan_import(files, data_dir)``, such as a rebuild of the national rows). The new version is written
    whole in a staging folder, validated as a whole, renamed into place and switched to in one
    step. A failure raises DataError (every problem in the analyst's files) or LockTimeout,
    and leaves the dataset, its versions and its history as they were.
    """
    if not plan.ok:
        raise ValueError("refusing to apply an import plan with errors")
    if not plan.changed_tables:
        return None  # every row is already there: nothing to write, no version to make
    store = _store(data_dir, seed, keep_versions)
    names = ", ".join(_item_name(f) for f in files)
    with store.lock(lock_timeout, action=f"import of {names}"):
        base = _ensure_base(store)
        if plan.base_version != base:
            replanned = replan() if replan else plan_import(files, data_dir, seed=seed)
            if replanned is None:
                raise DataError([Problem.of_file(str(data_dir), "a dataset to plan on")])
            if not replanned.ok:
                raise DataError(replanned.errors)
            plan = replanned
        if not plan.changed_tables:
            return None
        staged = store.new_staging()
        for spec in TABLES.values():
            if spec.name in plan.changed_tables:
                if spec.name in plan.tables:  # else the plan empties the table: no file
                    write_table(plan.tables[spec.name], spec, staged)
            elif (store.version_dir(base) / spec.filename).exists():
                shutil.copyfile(store.version_dir(base) / spec.filename, staged / spec.filename)
        try:
            version, _ = store.publish(staged)
        except DataError as exc:
            raise DataError(_in_analysts_files(exc.problems, plan)) from None
        if version != base:
            store.switch(
                version,
                action,
                imported=[p.file if isinstance(p, RawTable) else str(p) for p in files],
                new_rows=plan.new_rows,
                revisions=len(plan.revisions),
            )
    return version


def history(data_dir: Path) -> list[dict]:
    """Every switch of the live version, oldest first (see VersionStore.history)."""
    return VersionStore(data_dir).history()


def _find_version(store: VersionStore, wanted: str) -> str:
    known = store.versions()
    matches = [v for v in known if v.startswith(wanted)] if wanted else []
    if len(matches) != 1:
        raise LookupError(
            f"no version {wanted!r}"
            + (" (more than one starts so)" if len(matches) > 1 else "")
            + "; see `pcp-dashboard history`"
        )
    return matches[0]


class Rollback(tuple):
    """(restored version, the version it replaced); ``kept``: the folder where edited files
    that were not valid were copied before the working copy was rewritten (or None)."""

    kept: Path | None

    def __new__(cls, restored: str, replaced: str | None, kept: Path | None) -> Rollback:
        result = super().__new__(cls, (restored, replaced))
        result.kept = kept
        return result


def rollback(
    data_dir: Path,
    version: str | None = None,
    *,
    seed: Path | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    keep_versions: int = 20,
) -> Rollback:
    """Make an earlier version live again (default: the one before the live one).

    Returns (restored version, the version it replaced), with ``.kept`` (see Rollback). Files edited in the folder are never lost: valid ones become a
    version first; invalid ones are copied aside before the working copy is rewritten."""
    store = _store(data_dir, seed, keep_versions)
    with store.lock(lock_timeout, action="rollback"):
        store.recover()
        synced = store.sync()
        current = store.current_version()
        kept = None
        if errors_only(synced.problems):
            kept = store.root / "kept" / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            kept.mkdir(parents=True)
            for spec in TABLES.values():
                if (store.data_dir / spec.filename).is_file():
                    shutil.copy2(store.data_dir / spec.filename, kept / spec.filename)
        if version is None:
            record = store.current()
            target = record.get("previous") if record else None
            if target is None:
                raise LookupError(f"no earlier version in {store.root}: nothing to roll back to")
        else:
            target = _find_version(store, version)
        if store.manifest(target) is None:
            raise LookupError(f"version {target} is no longer kept; see `pcp-dashboard history`")
        store.load(target)  # it must still validate (files intact, today's rules)
        store.switch(target, "rollback", replaced=current, **({"kept": str(kept)} if kept else {}))
    return Rollback(target, current, kept)
