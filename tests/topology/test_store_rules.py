"""The shared store's rules, on a database of their own in the throwaway cluster: an empty store
starts from its seed, one writer at a time (the file store's bounded wait and message), stored
versions cannot be changed, a changed byte is refused where a host loads it, and a database
that cannot be reached is a message, not a traceback."""

from __future__ import annotations

import csv
import os
import subprocess
import threading
import time
from pathlib import Path

import psycopg
import pytest

from dashboard.data.digests import fingerprint
from dashboard.data.errors import DataError
from dashboard.data.pgstore import PgStore
from dashboard.data.versions import LockTimeout

from .conftest import CLI, FIXTURE, Cluster, free_port


@pytest.fixture
def url(cluster: Cluster) -> str:
    name = f"rules_{os.getpid()}_{time.monotonic_ns()}"
    cluster.sql(f"CREATE DATABASE {name}")
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


def test_an_empty_store_starts_from_its_seed(url, tmp_path):
    store = PgStore(url, seed=FIXTURE)
    with store.lock(5) as conn:
        version = store.ensure_seeded(conn)
    # the same tables have the same id in either store
    assert version == fingerprint(FIXTURE)
    with store.session() as conn:
        dataset = store.load(conn, version, tmp_path)
    with (FIXTURE / "observations.csv").open(encoding="utf-8", newline="") as handle:
        assert len(dataset.observations) == sum(1 for _ in csv.DictReader(handle))
    assert [e["action"] for e in store.history()] == ["first version"]


def test_a_second_writer_waits_a_bounded_time_then_is_told_who_holds_the_lock(url):
    store = PgStore(url, seed=FIXTURE)
    held, release = threading.Event(), threading.Event()

    def first() -> None:
        with store.lock(5, action="import of q2.csv"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        with pytest.raises(LockTimeout) as refused, store.lock(1, action="rollback"):
            pass
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join()
    assert 1 <= waited < 3
    message = str(refused.value)
    assert message.startswith("another import or rollback is changing the dataset in postgresql://")
    assert f"(import of q2.csv by process {os.getpid()} since " in message
    assert message.endswith("waited 1 s. Nothing was changed: try again when it has finished")
    with store.lock(1):  # free again once the first writer is done
        pass


def test_a_stored_version_cannot_be_changed_and_the_live_one_cannot_be_removed(url):
    store = PgStore(url, seed=FIXTURE)
    with store.lock(5) as conn:
        version = store.ensure_seeded(conn)
    with store.session() as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="immutable"):
            conn.execute("UPDATE pcp_files SET content = 'x' WHERE name = 'metrics.csv'")
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("DELETE FROM pcp_versions WHERE version = %s", (version,))


def test_a_changed_byte_is_refused_where_a_host_loads_the_version(url, tmp_path):
    store = PgStore(url, seed=FIXTURE)
    with store.lock(5) as conn:
        version = store.ensure_seeded(conn)
    with store.session() as conn:  # as someone with the rights to get round the trigger
        conn.execute("ALTER TABLE pcp_files DISABLE TRIGGER pcp_files_immutable")
        conn.execute(
            "UPDATE pcp_files SET content = content || '\\x0a'::bytea WHERE name = 'metrics.csv'"
        )
        with pytest.raises(DataError) as refused:
            store.load(conn, version, tmp_path)
    assert f"version {version} metrics.csv" in str(refused.value.problems[0])
    assert "the bytes its manifest's sha256 names" in str(refused.value.problems[0])
    assert not (tmp_path / ".versions" / version).exists()


def test_a_database_that_cannot_be_reached_is_a_message_within_the_bound(tmp_path):
    closed = f"postgresql://pcp:secret@127.0.0.1:{free_port()}/pcp"
    env = {**os.environ, "PCP_STORE": closed, "PCP_STORE_CONNECT_SECONDS": "2"}
    started = time.monotonic()
    done = subprocess.run(
        [*CLI, "history"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 1
    assert "the dataset database at postgresql://pcp:***@127.0.0.1:" in done.stderr
    assert "cannot be reached" in done.stderr and "secret" not in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 30
    assert not list(Path(tmp_path).iterdir())


def test_publish_is_refused_with_the_shared_store(url, tmp_path):
    """The shared store changes only by import, rollback and store copy: a folder's hand
    edits (``publish``) would otherwise go live on one machine only."""
    env = {**os.environ, "PCP_STORE": url, "PCP_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [*CLI, "publish"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2
    assert "only by import, rollback and store copy" in done.stderr
    assert not list(Path(tmp_path).iterdir())
