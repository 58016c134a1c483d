"""Issue 25, finding 4: the live data change only by a command.

Before: deleting the table files under a running server switched the live data to the bundled
dataset (recorded as "files edited in the folder"), and the next import built on that, so an
earlier import's rows dropped out; an edited file went live by itself. Now the server reports
such files (/healthz, the log, the About page) and keeps serving the live version, ``import``
refuses to build on them, and ``pcp-dashboard publish [--restore]`` is the explicit step.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.cli import main
from dashboard.config import Settings
from dashboard.data.store import DatasetStore
from dashboard.data.versions import VersionStore
from dashboard.shell import page_request

OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
IMPORTED = "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,"
SECOND = IMPORTED.replace("2017-18-Q4", "2017-18-Q3").replace(",150,", ",140,")


@pytest.fixture
def data(bundled_copy, monkeypatch) -> Path:
    monkeypatch.setenv("PCP_DATA_DIR", str(bundled_copy))
    return bundled_copy


def import_row(row: str, folder: Path, data: Path, capsys) -> tuple[int, str]:
    path = folder / f"row-{abs(hash(row))}.csv"
    path.write_text(f"{OBS_HEADER}\n{row}\n", encoding="utf-8")
    code = main(["import", str(path), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    return code, out + err


def has_row(store: DatasetStore, period: str, value: float) -> bool:
    obs = store.get().observations
    rows = obs[
        (obs["metric_id"] == "ksi-casualties")
        & (obs["period"] == period)
        & (obs["basis"] == "quarter_count")
    ]
    return bool((rows["value"] == value).any())


def tables(data: Path) -> list[Path]:
    return sorted(p for p in data.glob("*.csv"))


def test_deleted_files_are_reported_never_replaced_by_the_bundled_data(data, tmp_path, capsys):
    assert import_row(IMPORTED, tmp_path, data, capsys)[0] == 0
    live = VersionStore(data).current_version()
    store = DatasetStore(data, reload_interval=0, seed=Settings().seed_dir)
    assert has_row(store, "2017-18-Q4", 150)
    for path in tables(data):
        path.unlink()
    assert has_row(store, "2017-18-Q4", 150), "the imported row dropped out of the live data"
    assert VersionStore(data).current_version() == live
    assert store.unpublished
    shown = [str(p) for p in store.last_problems]
    assert any(
        s.startswith("observations.csv") and "missing from the data folder" in s for s in shown
    )
    assert all("pcp-dashboard publish" in s for s in shown)
    # The next import does not build on the bundled data: refused, the earlier row kept.
    code, said = import_row(SECOND, tmp_path, data, capsys)
    assert code == 1 and "missing from the data folder" in said, said
    assert VersionStore(data).current_version() == live
    # Put back by the explicit command; then the import goes ahead on the live version.
    assert main(["publish", "--restore", "--data-dir", str(data)]) == 0
    assert (data / "observations.csv").is_file()
    code, said = import_row(SECOND, tmp_path, data, capsys)
    assert code == 0, said
    assert has_row(store, "2017-18-Q4", 150) and has_row(store, "2017-18-Q3", 140)
    assert not store.last_problems


def test_an_edited_file_goes_live_only_by_publish(data, tmp_path, capsys):
    store = DatasetStore(data, reload_interval=0, seed=Settings().seed_dir)
    first = store.get()
    observations = data / "observations.csv"
    observations.write_text(
        observations.read_text(encoding="utf-8") + IMPORTED + "\n", encoding="utf-8"
    )
    assert store.get() is first, "an edited file went live without a command"
    assert store.unpublished and any(
        "edited in the data folder but not published" in str(p) for p in store.last_problems
    )
    capsys.readouterr()
    assert main(["publish", "--data-dir", str(data)]) == 0
    assert "is live" in capsys.readouterr().out
    assert has_row(store, "2017-18-Q4", 150)
    assert not store.unpublished and not store.last_problems


def test_healthz_and_the_about_page_say_which_files_are_not_live(data):
    app = create_app(Settings(data_dir=data, debug=False, reload_interval=0.01))
    client = app.server.test_client()
    assert client.get("/healthz").get_json()["unpublished_files"] == []
    (data / "metrics.csv").unlink()
    time.sleep(0.05)  # past the reload interval
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["unpublished_files"] == ["metrics.csv"]
    about = client.post(
        "/_dash-update-component",
        data=json.dumps(page_request("/about", "")),
        content_type="application/json",
    ).get_data(as_text=True)
    assert "Files in the data folder are not live" in about
    assert "metrics.csv \\u2014 error: missing from the data folder" in about
