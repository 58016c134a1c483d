"""Issue 22: what every worker's view model worked out at start (the series index, which
metrics each quarter has, the overview's signals of every quarter) is worked out once, when a
version is made, and stored with it; a worker reads it (trusting its digest) and answers exactly
as a view model worked out from the version's CSV files. A new version is loaded, and its views
prepared, in the background while the version in hand goes on serving; the working copy's CSVs
are not hashed again while their stat is unchanged."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.data import columnar, digests
from dashboard.data.digests import file_digest
from dashboard.data.errors import DataError
from dashboard.data.model import load_dataset
from dashboard.data.periods import QUARTER_BASES
from dashboard.data.pgstore import carried_files
from dashboard.data.store import DatasetStore
from dashboard.data.versions import VersionStore
from dashboard.views import indexes as indexes_module
from dashboard.views import model as model_module
from dashboard.views.model import ViewModel, views_of

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synthetic  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data"
FRAMES = {"columns", "metrics_in_quarter", "signals", "signal_counts"}


def copy_of_bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns(".*", "published"))
    return folder


def first_version(folder: Path) -> tuple[VersionStore, str]:
    store = VersionStore(folder)
    with store.lock(30):
        result = store.sync(publish=True)
    assert result.problems == [] and result.current
    return store, result.current


def second_version(store: VersionStore) -> str:
    """A real edit: one glossary expansion reworded (glossary.csv row 2, ASB), then published."""
    glossary = store.data_dir / "glossary.csv"
    text = glossary.read_text(encoding="utf-8")
    assert ",Anti-social behaviour," in text
    glossary.write_text(
        text.replace(",Anti-social behaviour,", ",Anti-social behaviour (ASB),", 1),
        encoding="utf-8",
    )
    with store.lock(30):
        result = store.sync(publish=True)
    assert result.problems == []
    return result.current


@pytest.fixture(params=["bundled", "synthetic"])
def folder(request, tmp_path, monkeypatch) -> Path:
    if request.param == "bundled":
        return copy_of_bundled(tmp_path)
    folder = tmp_path / "data"
    synthetic.write_dataset(folder, 20_000, seed=11)  # SYNTHETIC: restatements, gaps, breaks
    monkeypatch.setenv("PCP_MAX_FILE_MB", "200")
    return folder


def assert_same_columns(a, b) -> None:
    assert a.keys == b.keys and a.position == b.position
    np.testing.assert_array_equal(a.starts, b.starts)
    for name in ("periods", "labels", "values", "ends", "source_ids", "metric_ids", "area_ids"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert a.bases.tolist() == b.bases.tolist()


def test_a_version_read_with_its_stored_views_answers_as_one_worked_out_from_its_csv(folder):
    store, version = first_version(folder)
    manifest = store.manifest(version)
    views = manifest["columnar"]["views"]
    assert views["rules"] == model_module.RULES and set(views["files"]) == FRAMES
    carried = carried_files(manifest)  # what the shared store (PostgreSQL) keeps of a version
    for filename in views["files"].values():
        path = store.version_dir(version) / filename
        assert manifest["columnar"]["prepared"][filename] == file_digest(path)
        assert carried[filename] == file_digest(path)

    stored = ViewModel(store.load(version)).prepare()
    assert set(stored.index.stored) == FRAMES
    worked_out = ViewModel(load_dataset(store.version_dir(version), version), stored=False)
    assert worked_out.index.stored == {}
    worked_out.prepare()
    # the dataset's facts stored with the version (the quarters, the latest period end)
    a, b = stored.dataset, worked_out.dataset
    assert (a.quarters, a.latest_figure_end, a.latest_quarter, a.data_as_at) == (
        b.quarters,
        b.latest_figure_end,
        b.latest_quarter,
        b.data_as_at,
    )

    assert_same_columns(stored.index.columns, worked_out.index.columns)
    assert stored.index.metrics_in_quarter == worked_out.index.metrics_in_quarter
    assert stored._signals_by_quarter == worked_out._signals_by_quarter
    for quarter in worked_out.quarters:
        assert stored.signals(quarter) == worked_out.signals(quarter)
    # Every page reads these: the same series, views and headline cards from either.
    latest = worked_out.latest_quarter
    for priority in worked_out.index.priorities:
        number = int(priority["priority"])
        assert repr(stored.headline_figures(number, latest, None)) == repr(
            worked_out.headline_figures(number, latest, None)
        )
    for key in worked_out.index.series_keys()[::25]:
        metric_id, area_id, basis = key
        assert stored.index.series(*key) == worked_out.index.series(*key)
        for quarter in (None, latest):
            assert repr(stored.metric_view(metric_id, area_id, quarter, basis)) == repr(
                worked_out.metric_view(metric_id, area_id, quarter, basis)
            )

    # Counted from observations.csv itself: one series a (metric, area, basis), one current
    # value a (metric, area, basis, period).
    observations = pd.read_csv(folder / "observations.csv", dtype=str, keep_default_na=False)
    series = observations.drop_duplicates(["metric_id", "area_id", "basis"])
    assert len(stored.index.series_keys()) == len(series)
    keys = observations.drop_duplicates(["metric_id", "area_id", "basis", "period"])
    assert len(stored.index.columns.values) == len(keys)
    quarterly = int(series["basis"].isin(QUARTER_BASES).sum())
    assert {s.series for s in stored._signals_by_quarter.values()} == {quarterly}


def test_a_worker_reading_the_stored_views_works_none_of_them_out(tmp_path, monkeypatch):
    store, version = first_version(copy_of_bundled(tmp_path))
    expected = ViewModel(load_dataset(store.version_dir(version), version), stored=False)
    expected.prepare()

    def not_at_start(*_args, **_kwargs):
        raise AssertionError("worked out at start although stored with the version")

    monkeypatch.setattr(indexes_module, "build_columns", not_at_start)
    monkeypatch.setattr(model_module, "scan", not_at_start)
    decoded: list[str] = []
    real_read = columnar._read
    monkeypatch.setattr(
        columnar, "_read", lambda path: decoded.append(path.name) or real_read(path)
    )
    vm = ViewModel(store.load(version)).prepare()
    # The observations table is taken from the prepared observations (which hold its every
    # column), not decoded a second time; it equals the table validated from the CSV file.
    assert "observations.parquet" not in decoded and "observations.prepared.parquet" in decoded
    assert columnar.ROWS in carried_files(store.manifest(version))
    pd.testing.assert_frame_equal(
        vm.dataset.tables["observations"], expected.dataset.tables["observations"], check_exact=True
    )
    latest = vm.latest_quarter
    assert vm.signals(latest) == expected.signals(latest)
    assert vm.signals(latest).series > 0
    # nor the frame of current values (every row of observations.csv filtered: 10^6 rows)
    assert "current" not in vm.dataset.__dict__


def test_a_changed_view_file_is_refused_with_its_path(tmp_path):
    store, version = first_version(copy_of_bundled(tmp_path))
    filename = store.manifest(version)["columnar"]["views"]["files"]["signals"]
    target = store.version_dir(version) / filename
    target.write_bytes(target.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(DataError) as caught:
        store.load(version)
    problem = caught.value.problems[0]
    assert problem.file == str(target) and "changed afterwards" in problem.expected


def test_views_stored_under_other_rules_are_worked_out_until_publish_stores_todays(
    tmp_path, monkeypatch
):
    """An upgrade that changes the view model's rules: the stored frames are not read (the
    worker works them out, as before); `pcp-dashboard publish` stores today's beside them."""
    store, version = first_version(copy_of_bundled(tmp_path))
    before = store.manifest(version)["columnar"]["views"]
    monkeypatch.setattr(model_module, "RULES", "other-view-rules")
    columnar.install_views("other-view-rules", model_module.stored_frames)
    try:
        dataset = store.load(version)
        assert columnar.stored_views(dataset) == {}
        assert ViewModel(dataset).prepare().signals(dataset.latest_quarter).series > 0
        with store.lock(30):
            assert store.sync(publish=True).problems == []
        after = store.manifest(version)["columnar"]["views"]
        assert after["rules"] == "other-view-rules"
        assert set(after["files"].values()).isdisjoint(before["files"].values())
        for filename in before["files"].values():  # a worker may still be reading them
            assert (store.version_dir(version) / filename).is_file()
        assert set(columnar.stored_views(store.load(version))) == FRAMES
    finally:
        columnar.install_views(model_module.RULES, model_module.stored_frames)


def test_a_new_version_loads_in_the_background_while_the_old_one_answers(tmp_path):
    """A request during a slow load (the new version's views still being prepared) is answered
    at once from the version in hand; once loaded and prepared, the new one is served."""
    store, first_id = first_version(copy_of_bundled(tmp_path))
    server = DatasetStore(store.data_dir, reload_interval=0, background=True)
    prepared: list[str] = []
    release = threading.Event()

    def prepare(dataset):
        views_of(dataset)
        prepared.append(dataset.version)
        if dataset.version != first_id:
            release.wait(20)  # the load of the new version is slow

    server.on_load = prepare
    first = server.get()
    assert first.version == first_id and prepared == [first_id]
    second_id = second_version(store)
    waits = []
    for _ in range(20):
        start = time.monotonic()
        answered = server.get()
        waits.append(time.monotonic() - start)
        assert answered is first
        time.sleep(0.02)
    deadline = time.monotonic() + 10
    while second_id not in prepared and time.monotonic() < deadline:
        time.sleep(0.02)
    assert prepared == [first_id, second_id]  # prepared, not yet served
    assert server.get() is first
    assert max(waits) < 0.5, waits  # no request waited on the load
    release.set()
    while server.get().version != second_id and time.monotonic() < deadline:
        time.sleep(0.02)
    served = server.get()
    assert served.version == second_id
    assert served.glossary.loc[0, "expansion"] == "Anti-social behaviour (ASB)"
    # its views were prepared before it was served: the page's first request finds them
    ready = views_of(served)
    assert "columns" in ready.index.__dict__
    assert served.latest_quarter in ready._quarter_signals


def test_the_working_copy_is_not_hashed_again_while_its_files_are_unchanged(tmp_path, monkeypatch):
    store, version = first_version(copy_of_bundled(tmp_path))
    monkeypatch.setattr(digests, "SETTLED_NS", 0)  # files written a moment ago count as settled
    with store.lock(30):
        store.sync(publish=False)  # hashes the working copy once, records its stat
    hashed: list[str] = []
    real = digests.file_digest
    monkeypatch.setattr(digests, "file_digest", lambda p: hashed.append(Path(p).name) or real(p))
    with store.lock(30):
        assert store.sync(publish=False).problems == []
    assert hashed == []
    # An edit changes the file's stat: that file (and only it) is hashed, and reported.
    glossary = store.data_dir / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with store.lock(30):
        result = store.sync(publish=False)
    assert hashed == ["glossary.csv"]
    assert [p.file for p in result.problems] == ["glossary.csv"] and result.unpublished
    assert store.current_version() == version
