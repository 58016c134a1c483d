"""The server's store: picks up a changed dataset, keeps serving the last good one otherwise."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from dashboard.cli import main
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


def publish(data: Path) -> int:
    """`pcp-dashboard publish`: files edited in the folder go live only by this command."""
    return main(["publish", "--data-dir", str(data)])


def test_a_changed_valid_dataset_is_picked_up_once_published(data):
    store = DatasetStore(data, reload_interval=0)
    assert ksi_q4(store) == 168
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,167,")
    assert ksi_q4(store) == 168  # reported, not published (issue 25, finding 4)
    assert store.unpublished
    assert publish(data) == 0
    assert ksi_q4(store) == 167
    assert store.last_problems == []


def test_an_unchanged_dataset_is_not_reloaded(data):
    store = DatasetStore(data, reload_interval=0)
    first = store.get()
    assert store.get() is first


def test_invalid_files_keep_the_last_good_dataset_and_record_the_problems(data, capsys):
    store = DatasetStore(data, reload_interval=0)
    good = store.get()
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,n/a,")
    assert store.get() is good
    assert ksi_q4(store) == 168
    assert store.get() is not None
    assert any("observations.csv" in str(p) for p in store.last_problems)
    capsys.readouterr()
    assert publish(data) == 1  # refused, with where and what
    shown = capsys.readouterr().err
    assert "observations.csv, row " in shown and "column 'value': found 'n/a'" in shown, shown
    assert store.get() is good
    # Fixed again and published: the new data are served and the problems cleared.
    edit(data / "observations.csv", ",2019-20-Q4,n/a,", ",2019-20-Q4,166,")
    assert publish(data) == 0
    assert ksi_q4(store) == 166
    assert store.last_problems == []


def test_a_dataset_invalid_from_the_start_serves_nothing_until_fixed(data):
    edit(data / "sources.csv", ",2020-04,", ",April 2020,")
    store = DatasetStore(data, reload_interval=0)
    assert store.get() is None
    assert store.get() is None
    assert any("found 'April 2020'" in str(p) for p in store.last_problems)
    edit(data / "sources.csv", ",April 2020,", ",2020-04,")
    assert ksi_q4(store) == 168


def test_a_deleted_table_keeps_the_last_good_dataset(data):
    store = DatasetStore(data, reload_interval=0)
    good = store.get()
    (data / "metrics.csv").unlink()
    assert store.get() is good
    assert any(
        str(p).startswith("metrics.csv") and "missing from the data folder" in str(p)
        for p in store.last_problems
    )


def test_the_reload_interval_limits_checks(data):
    store = DatasetStore(data, reload_interval=3600)
    assert ksi_q4(store) == 168  # the first get() reads the files
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,167,")
    assert ksi_q4(store) == 168  # not looked at again within the hour


# --- issue 14, finding 4: one version at a time, never a mix of two -----------------------------

OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
SOURCES_HEADER = "source_id,title,publisher,published,version,url,kind"
NEW_SOURCE = (
    "serp-2021-06-provisional-2020,SERP releases provisional 2020 collision figures,"
    "Safer Essex Roads Partnership,2021-06-11,,https://saferessexroads.org/,official"
)
NEW_ROW = (
    "ksi-casualties,essex,calendar_year,2020,722,provisional,serp-2021-06-provisional-2020,"
    "Seven hundred and twenty-two people were killed or seriously injured.,"
)
SWITCHES = 40
SWITCH_SECONDS = 20


def test_a_reader_never_sees_new_sources_beside_old_observations(data, tmp_path, capsys):
    """Import a source and an observation that cites it, then switch between the two versions
    again and again while another thread keeps loading: every dataset it gets is one version."""
    from dashboard.cli import main

    sources = tmp_path / "source.csv"
    sources.write_text(f"{SOURCES_HEADER}\n{NEW_SOURCE}\n", encoding="utf-8")
    figures = tmp_path / "figures.csv"
    figures.write_text(f"{OBS_HEADER}\n{NEW_ROW}\n", encoding="utf-8")
    assert main(["import", str(sources), str(figures), "--data-dir", str(data)]) == 0

    store = DatasetStore(data, reload_interval=0)
    seen: list[tuple[bool, bool]] = []
    stop = threading.Event()

    def read():
        last = None
        while not stop.is_set():
            dataset = store.get()
            if dataset is not None and dataset is not last:
                last = dataset
                has_source = "serp-2021-06-provisional-2020" in set(dataset.sources["source_id"])
                has_row = bool((dataset.observations["value"] == 722).any())
                seen.append((has_source, has_row))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + SWITCH_SECONDS
    switches = 0
    try:
        while switches < SWITCHES and time.monotonic() < deadline:
            assert main(["rollback", "--data-dir", str(data)]) == 0
            switches += 1
    finally:
        stop.set()
        reader.join(timeout=10)
    capsys.readouterr()
    mixed = [pair for pair in seen if pair[0] != pair[1]]
    assert len(seen) > 2
    assert not mixed, f"{len(mixed)} of {len(seen)} datasets mixed two versions: {mixed[:3]}"


# --- the bundled seed, and folders that cannot be written ---------------------------------------


def test_an_empty_data_folder_serves_the_seed_and_the_first_import_copies_it_in(tmp_path, capsys):

    empty = tmp_path / "volume"
    empty.mkdir()
    store = DatasetStore(empty, reload_interval=0, seed=FIXTURE)
    assert ksi_q4(store) == 168
    assert not (empty / "observations.csv").exists()  # serving the seed writes no table
    figures = tmp_path / "obs.csv"
    figures.write_text(
        f"{OBS_HEADER}\nksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,\n",
        encoding="utf-8",
    )
    from dashboard.data.importer import apply_import, plan_import

    plan = plan_import([figures], empty, seed=FIXTURE)
    assert plan.ok, plan.errors
    apply_import(plan, empty, [figures], seed=FIXTURE)
    assert ",2017-18-Q4,150," in (empty / "observations.csv").read_text(encoding="utf-8")
    assert (empty / "metrics.csv").read_bytes() == (FIXTURE / "metrics.csv").read_bytes()
    served = store.get().current
    assert 150 in served.loc[served["period"] == "2017-18-Q4", "value"].tolist()
    capsys.readouterr()


def test_a_missing_data_folder_is_not_mistaken_for_an_empty_one(tmp_path):
    store = DatasetStore(tmp_path / "typo", reload_interval=0, seed=FIXTURE)
    assert store.get() is None
    assert any("there is none here" in str(p) for p in store.last_problems)


def test_a_read_only_folder_is_served_without_versions(data, monkeypatch):
    import dashboard.data.versions as versions

    monkeypatch.setattr(versions.VersionStore, "writable", property(lambda self: False))
    store = DatasetStore(data, reload_interval=0)
    assert ksi_q4(store) == 168
    assert not (data / ".versions").exists()
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,n/a,")
    assert ksi_q4(store) == 168  # the last good data, kept in memory
    assert store.last_problems


def test_other_threads_serve_the_dataset_in_hand_while_one_loads_a_new_version(data, monkeypatch):
    """A new version can take seconds to load at national depth: only the thread that noticed
    it waits; a page asked for meanwhile is answered from the version being served."""
    store = DatasetStore(data, reload_interval=0)
    first = store.get()
    edit(data / "observations.csv", ",2019-20-Q4,168,", ",2019-20-Q4,167,")
    assert publish(data) == 0
    loading, release = threading.Event(), threading.Event()
    real_refresh = store._refresh

    def slow_refresh(first_look):
        loading.set()
        release.wait(10)
        real_refresh(first_look)

    monkeypatch.setattr(store, "_refresh", slow_refresh)
    looker = threading.Thread(target=store.get)
    looker.start()
    assert loading.wait(5)
    assert store.get() is first  # blocked behind the load, it would get the new version
    release.set()
    looker.join(10)
    monkeypatch.setattr(store, "_refresh", real_refresh)
    assert ksi_q4(store) == 167
