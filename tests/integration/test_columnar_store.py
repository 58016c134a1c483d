"""A version's tables as Parquet and its police.uk records (issue 22): the same Dataset whichever
form a version was read from, a changed file refused with its path while the previous version
keeps serving, versions from before the columnar files still served."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import columnar
from dashboard.data.errors import DataError
from dashboard.data.model import load_dataset
from dashboard.data.store import DatasetStore
from dashboard.data.versions import MANIFEST, VersionStore

DATA = Path(__file__).resolve().parents[2] / "data"
POLICE_UK = DATA / "published" / "police-uk"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The bundled tables without their records (data/records/: tested with the seeding in
    test_records_bundled.py), so the records here are those the tests import."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns(".*", "published", "records"))
    return folder


def first_version(folder: Path) -> tuple[VersionStore, str]:
    store = VersionStore(folder)
    with store.lock(30):
        result = store.sync(publish=True)
    assert result.problems == [] and result.current
    return store, result.current


def second_version(store: VersionStore) -> str:
    """A real edit a person could make: one glossary expansion reworded, then published."""
    glossary = store.data_dir / "glossary.csv"
    text = glossary.read_text(encoding="utf-8")
    assert ",Anti-social behaviour," in text  # glossary.csv row 2: ASB
    glossary.write_text(
        text.replace(",Anti-social behaviour,", ",Anti-social behaviour (ASB),", 1),
        encoding="utf-8",
    )
    with store.lock(30):
        result = store.sync(publish=True)
    assert result.problems == []
    return result.current


def assert_same_dataset(a, b) -> None:
    assert set(a.tables) == set(b.tables)
    for name in b.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    pd.testing.assert_frame_equal(a.observations, b.observations, check_exact=True)
    pd.testing.assert_frame_equal(a.revisions, b.revisions, check_exact=True)
    assert (a.latest_quarter, a.data_as_at, a.last_published) == (
        b.latest_quarter,
        b.data_as_at,
        b.last_published,
    )


def test_a_version_is_written_as_parquet_and_loads_the_same_dataset_as_its_csv(data):
    store, version = first_version(data)
    manifest = store.manifest(version)
    entry = manifest["columnar"]
    assert entry["format"] == "parquet" and entry["rules"] == columnar.RULES
    # one Parquet file per CSV table of the version (observations, sources, areas, ...)
    assert {n.removesuffix(".parquet") + ".csv" for n in entry["files"]} == set(manifest["files"])
    from_parquet = store.load(version)
    from_csv = load_dataset(store.version_dir(version), version=version)
    assert_same_dataset(from_parquet, from_csv)
    assert len(from_parquet.tables["observations"]) == len(
        pd.read_csv(data / "observations.csv", dtype=str)
    )


def test_a_version_from_before_the_columnar_files_still_loads_from_its_csv(data):
    store, version = first_version(data)
    folder = store.version_dir(version)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    expected = load_dataset(folder, version=version)
    for name in manifest.pop("columnar")["files"]:
        (folder / name).unlink()
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert_same_dataset(store.load(version), expected)
    # `pcp-dashboard publish` with nothing edited: the live version is validated once more
    # and given its columnar files, trusted from there on
    with store.lock(30):
        assert store.sync(publish=True).problems == []
    assert columnar.trusted(store.manifest(version)["columnar"])
    assert_same_dataset(store.load(version), expected)


def test_a_version_written_under_other_rules_is_validated_again_from_csv(data, monkeypatch):
    store, version = first_version(data)
    read = []
    monkeypatch.setattr(columnar, "read_tables", lambda *a: read.append(a) or {})
    monkeypatch.setattr(columnar, "RULES", "other-rules")
    dataset = store.load(version)
    assert read == [] and len(dataset.observations) > 20_000


def test_a_changed_parquet_file_is_refused_with_its_path(data):
    store, version = first_version(data)
    target = store.version_dir(version) / "observations.parquet"
    target.write_bytes(target.read_bytes()[:-100] + b"\0" * 100)
    with pytest.raises(DataError) as caught:
        store.load(version)
    problem = caught.value.problems[0]
    assert problem.file == str(target)
    assert f"version {version}" in problem.expected and "changed afterwards" in problem.expected


def test_a_server_keeps_serving_the_previous_version_when_the_new_ones_parquet_is_changed(data):
    store, first = first_version(data)
    server = DatasetStore(data, reload_interval=0)
    assert server.get().version == first
    second = second_version(store)
    broken = store.version_dir(second) / "glossary.parquet"
    broken.write_bytes(b"PAR1 not the file that was validated")
    assert server.get().version == first  # the running worker keeps its version
    assert any(p.file == str(broken) for p in server.last_problems)
    fresh = DatasetStore(data, reload_interval=0)  # a worker that starts now
    assert fresh.get().version == first
    assert any(p.file == str(broken) for p in fresh.last_problems)


def test_records_are_kept_with_a_version_and_carried_to_the_next(data):
    store, version = first_version(data)
    months = sorted(POLICE_UK.glob("2018-0[12]-essex-street.csv"))
    with store.lock(30):
        entry = store.add_records(version, months)
    assert entry["sources"] == [m.name for m in months]
    dataset = store.load(version)
    # README (shared/sources/local): 2018-02 has 3,238 ASB rows; Basildon's share is counted
    # by the same rule the publisher's observations use (bundled observations.csv).
    asb = dataset.record_store.counts(["month"], crime_type="Anti-social behaviour")
    assert dict(zip(asb["month"], asb["n"], strict=True)) == {"2018-01": 3420, "2018-02": 3238}
    second = second_version(store)
    carried = store.load(second)
    assert carried.records == store.version_dir(second) / "records"
    assert carried.record_store.force_counts()["rows"].tolist() == [14786, 13752]
    # a newer vintage of a month replaces that month's records, the others stay
    with store.lock(30):
        store.add_records(second, [POLICE_UK / "2018-03-essex-street.csv", months[1]])
    rows = store.load(second).record_store.force_counts()
    assert rows["month"].tolist() == ["2018-01", "2018-02", "2018-03"]
    assert rows["rows"].tolist() == [14786, 13752, 16014]


def test_changed_record_counts_are_refused_with_their_path(data):
    store, version = first_version(data)
    with store.lock(30):
        store.add_records(version, [POLICE_UK / "2018-01-essex-street.csv"])
    counts = store.version_dir(version) / "records" / "police_uk_counts.parquet"
    counts.write_bytes(counts.read_bytes() + b"\0")
    with pytest.raises(DataError) as caught:
        store.load(version)
    assert caught.value.problems[0].file == str(counts)


def test_with_background_looks_no_request_waits_for_a_new_version_to_load(data, monkeypatch):
    """``DatasetStore(background=True)``: the request that notices a new version is answered
    from the version in hand; the new one is served once loaded in its own thread."""
    store, first_id = first_version(data)
    server = DatasetStore(data, reload_interval=0, background=True)
    first = server.get()
    assert first.version == first_id
    second = second_version(store)
    loading, release = threading.Event(), threading.Event()
    real_refresh = server._refresh

    def slow_refresh(first_look):
        loading.set()
        release.wait(10)
        real_refresh(first_look)

    monkeypatch.setattr(server, "_refresh", slow_refresh)
    assert server.get() is first  # the noticing request itself does not wait
    assert loading.wait(5)
    assert server.get() is first  # nor does any other while the load runs
    release.set()
    deadline = time.monotonic() + 10
    while server.get().version != second and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.get().version == second
    assert server.get().glossary.loc[0, "expansion"] == "Anti-social behaviour (ASB)"


def test_an_imported_police_uk_month_keeps_its_records_with_the_new_version(data, tmp_path):
    """`pcp-dashboard import` of a later vintage of January 2018 (three Basildon ASB records
    re-categorised as public order, as police.uk re-issues months): the version it makes keeps
    the month's records, and their counts are the observations the import wrote (Basildon ASB:
    408 in the bundled file, 405 in this vintage)."""
    from dashboard.cli import main

    first_version(data)
    lines = (POLICE_UK / "2018-01-essex-street.csv").read_text(encoding="utf-8").splitlines()
    changed = 0
    for number, line in enumerate(lines):
        if "Basildon 0" in line and ",Anti-social behaviour," in line and changed < 3:
            lines[number] = line.replace(",Anti-social behaviour,", ",Public order,")
            changed += 1
    vintage = tmp_path / "2018-01-essex-street.csv"
    vintage.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", "--data-dir", str(data), "--published", "2019-06", str(vintage)]) == 0
    store = VersionStore(data)
    dataset = store.load(store.current_version())
    assert store.manifest(dataset.version)["records"]["sources"] == ["2018-01-essex-street.csv"]
    asb = dataset.record_store.category_across_districts("Anti-social behaviour", "2018-01")
    assert dict(zip(asb["district"], asb["n"], strict=True))["basildon"] == 405
    current = dataset.current
    shown = current[
        (current.metric_id == "policeuk-anti-social-behaviour")
        & (current.area_id == "basildon")
        & (current.period == "2018-01")
    ]
    assert shown["value"].tolist() == [405]
