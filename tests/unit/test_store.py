"""The server's store: picks up a changed dataset, keeps serving the last good one otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.data.store import DatasetStore

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    return target


def ksi_q4(store: DatasetStore) -> float:
    current = store.get().current
    row = current[(current["metric_id"] == "ksi-casualties") & (current["period"] == "2019-20-Q4")]
    return float(row["value"].iloc[0])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_valid_dataset_is_picked_up(data):
    store = DatasetStore(data, reload_interval=0)
    assert ksi_q4(store) == 168
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,167,")
    assert ksi_q4(store) == 167
    assert store.last_problems == []


def test_an_unchanged_dataset_is_not_reloaded(data):
    store = DatasetStore(data, reload_interval=0)
    first = store.get()
    assert store.get() is first


def test_invalid_files_keep_the_last_good_dataset_and_record_the_problems(data):
    store = DatasetStore(data, reload_interval=0)
    good = store.get()
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,n/a,")
    assert store.get() is good
    assert ksi_q4(store) == 168
    assert store.healthy
    shown = [str(p) for p in store.last_problems]
    assert any(
        s.startswith("observations.csv, row ") and "column 'value': found 'n/a'" in s for s in shown
    ), shown
    # Fixed again: the new data are served and the problems cleared.
    edit(data / "observations.csv", ",2019-20-Q4,n/a,", ",2019-20-Q4,166,")
    assert ksi_q4(store) == 166
    assert store.last_problems == []


def test_a_dataset_invalid_from_the_start_serves_nothing_until_fixed(data):
    edit(data / "sources.csv", ",2020-04,", ",April 2020,")
    store = DatasetStore(data, reload_interval=0)
    assert store.get() is None
    assert not store.healthy
    assert any("found 'April 2020'" in str(p) for p in store.last_problems)
    edit(data / "sources.csv", ",April 2020,", ",2020-04,")
    assert ksi_q4(store) == 168


def test_a_deleted_table_keeps_the_last_good_dataset(data):
    store = DatasetStore(data, reload_interval=0)
    good = store.get()
    (data / "metrics.csv").unlink()
    assert store.get() is good
    assert any("missing: a dataset needs metrics.csv" in str(p) for p in store.last_problems)


def test_the_reload_interval_limits_checks(data):
    store = DatasetStore(data, reload_interval=3600)
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,167,")
    assert ksi_q4(store) == 168  # not looked at again within the hour
