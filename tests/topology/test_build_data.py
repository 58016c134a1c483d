"""``pcp-dashboard build-data`` with ``PCP_STORE`` set works on the shared store (issue 26: every
data command against either store): the build runs on the live version held in PostgreSQL, the
version it makes is published there (live, in the history, named by its messages), and the
data folder ``PCP_DATA_DIR`` names is not touched. On a database of its own."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from dashboard.data.pgstore import PgStore

from .conftest import CLI, REPO_ROOT, Cluster

#: A national release the build reads from data/published (manifest.csv): its rows are taken
#: out of the bundled observations.csv, and the build must put back the same number.
RELEASE = "ons-pfa-tables-2018-12"


@pytest.fixture
def url(cluster: Cluster) -> str:
    name = f"build_{os.getpid()}_{time.monotonic_ns()}"
    cluster.sql(f"CREATE DATABASE {name}")
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


def without_release(folder: Path) -> int:
    """The bundled dataset in ``folder`` without ``RELEASE``'s observations; returns how many
    rows were taken out (counted here, from the bundled file)."""
    shutil.copytree(
        REPO_ROOT / "data", folder, ignore=shutil.ignore_patterns(".*", "published", "national")
    )
    path = folder / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    kept = [r for r in rows if r["source_id"] != RELEASE]
    assert fields is not None
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return len(rows) - len(kept)


def test_build_data_rebuilds_the_live_version_in_postgresql(url, tmp_path):
    taken = without_release(tmp_path / "filestore")
    assert taken > 0
    untouched = tmp_path / "elsewhere"
    untouched.mkdir()
    env = {
        **os.environ,
        "PCP_STORE": url,
        "PCP_DATA_DIR": str(untouched),
        "TMPDIR": str(tmp_path),
        "PYTHONPATH": str(REPO_ROOT),
    }

    def cli(*args: str, shared: bool = True) -> subprocess.CompletedProcess:
        used = env if shared else {k: v for k, v in env.items() if k != "PCP_STORE"}
        return subprocess.run(
            [*CLI, *args], env=used, cwd=tmp_path, capture_output=True, text=True, timeout=600
        )

    # an operator's file store (its first version), copied into PostgreSQL
    done = cli("publish", "--data-dir", str(tmp_path / "filestore"), shared=False)
    assert done.returncode == 0, done.stderr
    done = cli("store", "copy", "--data-dir", str(tmp_path / "filestore"))
    assert done.returncode == 0, done.stderr
    store = PgStore(url)
    before = store.current_version()

    done = cli("build-data")
    assert done.returncode == 0, done.stdout + done.stderr
    after = store.current_version()
    assert after not in (None, before)
    assert f"rebuilt {store.where}" in done.stdout and f"version {after} is live" in done.stdout
    assert str(tmp_path / "pcp-work-") not in done.stdout  # the throwaway copy is not named
    assert store.history()[-1]["version"] == after
    assert store.history()[-1]["action"] == "build-data"
    with store.session() as conn:
        dataset = store.load(conn, after, tmp_path / "host")
    put_back = (dataset.observations["source_id"] == RELEASE).sum()
    assert put_back == taken
    assert list(untouched.iterdir()) == []

    # once more: nothing to change, nothing published
    done = cli("build-data")
    assert done.returncode == 0, done.stderr
    assert "already holds exactly these rows: nothing to change" in done.stdout
    assert store.current_version() == after
