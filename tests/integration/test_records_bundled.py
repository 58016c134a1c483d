"""The bundled dataset carries its police.uk records (data/records/, written by `pcp-dashboard
build-data` from data/published/police-uk/): a store seeded from it answers record questions
from its first version, an import of a month keeps the other months, a second build rewrites
nothing, and changed bundled records are not taken. Counts checked against the source README's
table (shared/sources/local/README.md, police-uk, "rows" per month (count): 2018-01 14,786,
2019-02 16,377)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard.data.records import COUNTS, RECORDS
from dashboard.data.versions import FOLDER_RECORDS, VersionStore, folder_records
from dashboard.publishers.build import bundle_records, police_uk_files

DATA = Path(__file__).resolve().parents[2] / "data"
POLICE_UK = DATA / "published" / "police-uk"
#: The README's rows per month (count), in month order (2018-08 and 2018-09 not held).
ROWS = {
    "2018-01": 14786, "2018-02": 13752, "2018-03": 16014, "2018-04": 16709, "2018-05": 17618,
    "2018-06": 17473, "2018-07": 18713, "2018-10": 17791, "2018-11": 17050, "2018-12": 16587,
    "2019-01": 16428, "2019-02": 16377,
}  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns(".*", "published"))
    return folder


def test_the_bundled_records_are_listed_with_their_digests():
    entry = folder_records(DATA)
    assert entry is not None, "data/records/ is missing, or changed since build-data wrote it"
    assert set(entry["files"]) == {f"records/{RECORDS}", f"records/{COUNTS}"}
    assert (
        entry["sources"]
        == [p.name for p in police_uk_files(DATA)]
        == [f"{m}-essex-street.csv" for m in ROWS]
    )


def test_a_store_seeded_from_the_bundled_data_answers_from_its_first_version(tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(DATA, seed, ignore=shutil.ignore_patterns(".*", "published"))
    empty = tmp_path / "volume"
    empty.mkdir()
    store = VersionStore(empty, seed=seed)
    with store.lock(30):
        result = store.sync(publish=False)
    assert result.problems == [] and result.current
    dataset = store.load(result.current)
    assert dataset.records == store.version_dir(result.current) / "records"
    rows = dataset.record_store.force_counts()
    assert dict(zip(rows["month"], rows["rows"], strict=True)) == ROWS


def test_an_imported_month_keeps_the_bundled_months(data, tmp_path):
    from dashboard.cli import main

    lines = (POLICE_UK / "2018-01-essex-street.csv").read_text(encoding="utf-8").splitlines()
    vintage = tmp_path / "2018-01-essex-street.csv"
    vintage.write_text("\n".join(lines[:1001]) + "\n", encoding="utf-8")  # 1,000 records
    assert main(["import", "--data-dir", str(data), "--published", "2019-06", str(vintage)]) == 0
    store = VersionStore(data)
    rows = store.load(store.current_version()).record_store.force_counts()
    assert dict(zip(rows["month"], rows["rows"], strict=True)) == {**ROWS, "2018-01": 1000}


def test_a_second_build_rewrites_nothing_and_a_changed_file_is_not_taken(data):
    before = {p.name: p.read_bytes() for p in (data / "records").iterdir()}
    built = bundle_records(data, DATA)
    assert built is not None and not built.changed
    assert {p.name: p.read_bytes() for p in (data / "records").iterdir()} == before
    manifest = json.loads((data / FOLDER_RECORDS).read_text(encoding="utf-8"))
    manifest["files"][f"records/{COUNTS}"] = "0" * 64
    (data / FOLDER_RECORDS).write_text(json.dumps(manifest), encoding="utf-8")
    assert folder_records(data) is None
    store = VersionStore(data)
    with store.lock(30):
        result = store.sync(publish=True)
    assert store.load(result.current).records is None
    built = bundle_records(data, DATA)  # the build mends it
    assert built is not None and built.changed and folder_records(data) is not None


def test_a_read_only_folder_serves_its_checked_records(data, monkeypatch):
    """The wheel's bundled data keeps no versions (inside site-packages): the store reads the
    folder as it is, and its records when their digests hold."""
    from dashboard.data import versions
    from dashboard.data.store import DatasetStore

    monkeypatch.setattr(versions, "_installed_package_path", lambda path: True)
    store = DatasetStore(data)
    assert not store.versions.writable
    dataset = store.get()
    assert dataset is not None and dataset.records == data / "records"
    rows = dataset.record_store.force_counts()
    assert dict(zip(rows["month"], rows["rows"], strict=True)) == ROWS
    assert not (data / ".versions").exists()
