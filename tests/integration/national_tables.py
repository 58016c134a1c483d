"""Helpers shared by the tests of the published national tables (test_national_dataset.py,
test_ons_pfa_tables.py): the repository's data/ and a copy of it without the national build."""

from __future__ import annotations

from pathlib import Path

from dashboard.data.importer import write_table
from dashboard.data.readers import read_table
from dashboard.data.schema import TABLES
from dashboard.data.validate import validate_folder
from dashboard.publishers.build import _set_aside

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
NATIONAL = DATA / "national"
PUBLISHED = DATA / "published"
#: Source ids of what the national build adds (the published files' importers).
PUBLISHED_PREFIXES = ("ons-prc-pfa-", "ho-police-workforce-", "ons-pfa-tables-", "dft-stats19-")


def without_national(target: Path) -> Path:
    """data/ as it is without anything the national build adds (whether or not it has run)."""
    target.mkdir(parents=True, exist_ok=True)
    base, problems = validate_folder(DATA)
    assert not [p for p in problems if p.severity == "error"]
    national = [read_table(p) for p in sorted(NATIONAL.glob("*.csv"))]
    source_ids = {s for s in base["sources"]["source_id"] if str(s).startswith(PUBLISHED_PREFIXES)}
    reduced, _ = _set_aside(base, national, source_ids)
    for name, frame in reduced.items():
        if len(frame):
            write_table(frame, TABLES[name], target)
    return target


def snapshot_files(folder: Path) -> dict[str, bytes]:
    """Every table of ``folder`` as bytes (to show that a refused import changed nothing)."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}
