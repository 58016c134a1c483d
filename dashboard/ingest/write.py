"""Tables -> CSV files in a folder, atomically: every file is written to a temporary name
first and only then moved into place, so an error leaves the folder as it was.

Rows already in the folder from other documents are kept; rows from the documents being
ingested (same source_id) are replaced, so re-running an ingest is idempotent.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.data.schema import TABLES

#: Analysts' tables: not part of the dataset (validate and import ignore them).
ANALYST_FILES = {
    "review": "review_unmatched_facts.csv",
    "revisions": "review_revisions.csv",
    "tags": "narrative_tags.csv",
}


def merge(
    existing: pd.DataFrame | None, new: pd.DataFrame, key: list[str], replace_sources: set[str]
):
    """Existing rows minus those from ``replace_sources``, then the new rows (new win on key)."""
    if existing is None or existing.empty:
        return new.reset_index(drop=True)
    if "source_id" in existing.columns and replace_sources:
        existing = existing[~existing["source_id"].isin(replace_sources)]
    combined = pd.concat([existing.astype(object), new.astype(object)], ignore_index=True)
    present = [k for k in key if k in combined.columns]
    if present:
        combined = combined.drop_duplicates(subset=present, keep="last")
    return combined.reset_index(drop=True)


def _cell(value: object) -> object:
    """Whole numbers without a trailing .0 (82344, not 82344.0)."""
    if isinstance(value, float) and value == value and value.is_integer():
        return str(int(value))
    return value


def read_existing(folder: Path, filename: str) -> pd.DataFrame | None:
    path = folder / filename
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_tables(folder: Path, frames: dict[str, pd.DataFrame], sources: set[str]) -> list[Path]:
    """Write dataset tables (by TABLES name) and analyst tables (by ANALYST_FILES name)."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    empties: list[Path] = []
    try:
        for name, frame in frames.items():
            if name in TABLES:
                spec = TABLES[name]
                filename, key, columns = spec.filename, list(spec.key), spec.columns
            else:
                filename, key, columns = ANALYST_FILES[name], [], list(frame.columns)
            merged = merge(read_existing(folder, filename), frame, key, sources)
            merged = merged.reindex(columns=columns).map(_cell)
            if merged.empty and name in TABLES:
                # no rows (a document that defines no acronym): no file, so the folder
                # validates; a header-only file would read as a mistake
                empties.append(folder / filename)
                continue
            handle, temp = tempfile.mkstemp(prefix=f".{filename}.", dir=folder)
            os.close(handle)
            merged.to_csv(temp, index=False, lineterminator="\n")
            staged.append((Path(temp), folder / filename))
    except BaseException:
        for written, _ in staged:
            written.unlink(missing_ok=True)
        raise
    for written, target in staged:
        os.replace(written, target)
    for target in empties:
        target.unlink(missing_ok=True)
    return [target for _, target in staged]
