"""The schema's checks say what the analyst should have written, and optional columns are
optional: a file may leave them out."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from dashboard.data.model import load_dataset
from dashboard.data.schema import TABLES
from dashboard.data.validate import validate_folder

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"


def test_every_check_carries_its_message():
    """Messages come from Check(..., error=...), never from parsing pandera's check text."""
    missing = [
        f"{spec.name}.{name}: {check.name}"
        for spec in TABLES.values()
        for name, column in spec.schema.columns.items()
        for check in column.checks
        if not check.error
    ]
    assert missing == []


def drop_columns(path: Path, names: set[str]) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = [c for c in rows[0] if c not in names]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_optional_columns_may_be_left_out_of_a_file(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    optional = {
        name for name, column in TABLES["areas"].schema.columns.items() if not column.required
    }
    assert {"parent_id", "aliases", "parent_evidence"} <= optional  # ids too, not only text
    drop_columns(folder / "areas.csv", optional)
    drop_columns(folder / "metrics.csv", {"objective_id", "caveats", "target"})
    _, problems = validate_folder(folder)
    assert [p for p in problems if p.severity == "error"] == []
    dataset = load_dataset(folder)
    # Every reader still finds the column, empty.
    assert list(dataset.areas.columns) == TABLES["areas"].columns
    assert dataset.areas["parent_id"].isna().all()
    assert dataset.metrics["target"].isna().all()


def test_a_required_id_column_is_still_required(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    drop_columns(folder / "observations.csv", {"source_id"})
    _, problems = validate_folder(folder)
    assert any(
        p.column == "source_id" and "this column is missing" in p.expected for p in problems
    ), problems
