"""police.uk records carried by the shared store (issue 26 on issue 22's records): a version's
records (its counts file, which answers every record question, and the records themselves) are
stored with their digests, reach every host that loads the version, are carried to the version
an import through PostgreSQL makes, and a changed byte of them is refused where a host loads
the version. On a database of their own in the throwaway cluster."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from dashboard.data.errors import DataError
from dashboard.data.pgstore import PgStore
from dashboard.data.versions import VersionStore

from .conftest import CLI, FIXTURE, OBSERVATIONS, REPO_ROOT, SOURCES, Cluster

POLICE_UK = REPO_ROOT / "data" / "published" / "police-uk"
#: data/published/README.md, the police.uk table: 2018-01-essex-street.csv has 14,786 rows.
JANUARY_2018_ROWS = 14_786
COUNTS = "records/police_uk_counts.parquet"


@pytest.fixture
def url(cluster: Cluster) -> str:
    name = f"records_{os.getpid()}_{time.monotonic_ns()}"
    cluster.sql(f"CREATE DATABASE {name}")
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


def file_store_with_records(folder: Path) -> tuple[VersionStore, str]:
    """The test dataset as a file store whose live version keeps January 2018's records."""
    shutil.copytree(FIXTURE, folder, ignore=shutil.ignore_patterns(".*"))
    store = VersionStore(folder)
    with store.lock(30):
        result = store.sync(publish=True)
        assert result.current, result.problems
        store.add_records(result.current, [POLICE_UK / "2018-01-essex-street.csv"])
    return store, result.current


def cli(env: dict, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180
    )


def test_records_travel_with_their_version_to_every_host(url, tmp_path):
    files, version = file_store_with_records(tmp_path / "filestore")
    kept = files.version_dir(version) / "records"
    env = {
        **os.environ,
        "PCP_STORE": url,
        "PCP_DATA_DIR": str(tmp_path / "filestore"),
        "TMPDIR": str(tmp_path),
        "PYTHONPATH": str(REPO_ROOT),
    }
    done = cli(env, "store", "copy", "--data-dir", str(tmp_path / "filestore"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr

    store = PgStore(url)
    with store.session() as conn:
        stored = dict(
            conn.execute(
                "SELECT name, digest FROM pcp_files WHERE version = %s AND name LIKE 'records/%%'",
                (version,),
            ).fetchall()
        )
    # every records file the file store keeps, with the sha256 of its bytes there
    assert stored == {
        f"records/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in kept.iterdir()
    }
    assert COUNTS in stored

    # two hosts, each its own cache, answer the same record question from it
    for host in ("a", "b"):
        with store.session() as conn:
            dataset = store.load(conn, version, tmp_path / f"host-{host}")
        assert dataset.records == tmp_path / f"host-{host}" / ".versions" / version / "records"
        assert dataset.record_store.force_counts()["rows"].tolist() == [JANUARY_2018_ROWS]

    # an import through the shared store makes a version that keeps them
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "observations.csv").write_text(OBSERVATIONS, encoding="utf-8")
    done = cli(
        env,
        "import",
        str(tmp_path / "sources.csv"),
        str(tmp_path / "observations.csv"),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    imported = store.current_version()
    assert imported not in (None, version)
    with store.session() as conn:
        dataset = store.load(conn, imported, tmp_path / "host-a")
    assert dataset.record_store.force_counts()["rows"].tolist() == [JANUARY_2018_ROWS]


def test_a_changed_byte_of_the_records_is_refused_where_a_host_loads_them(url, tmp_path):
    files, version = file_store_with_records(tmp_path / "filestore")
    store = PgStore(url)
    with store.lock(5) as conn, conn.transaction():
        store.add_version(conn, files.version_dir(version))
        store.switch(conn, version, "test")
    with store.session() as conn:  # as someone with the rights to get round the trigger
        conn.execute("ALTER TABLE pcp_files DISABLE TRIGGER pcp_files_immutable")
        conn.execute(
            "UPDATE pcp_files SET content = content || '\\x00'::bytea WHERE name = %s", (COUNTS,)
        )
        with pytest.raises(DataError) as refused:
            store.load(conn, version, tmp_path / "host")
    assert f"version {version} {COUNTS}" in str(refused.value.problems[0])
    assert "the bytes its manifest's sha256 names" in str(refused.value.problems[0])
    assert not (tmp_path / "host" / ".versions" / version).exists()


def test_the_same_tables_with_other_records_are_refused_not_served_as_the_old(url, tmp_path):
    """A version's id is its tables' digest: the same tables kept with other records cannot be
    stored over the version already there (immutable), and are refused, nothing changed."""
    files, version = file_store_with_records(tmp_path / "january")
    store = PgStore(url)
    with store.lock(5) as conn, conn.transaction():
        store.add_version(conn, files.version_dir(version))
        store.switch(conn, version, "test")
    other = VersionStore(tmp_path / "february")
    shutil.copytree(FIXTURE, tmp_path / "february", ignore=shutil.ignore_patterns(".*"))
    with other.lock(30):
        assert other.sync(publish=True).current == version  # the same tables, the same id
        other.add_records(version, [POLICE_UK / "2018-02-essex-street.csv"])
    with store.lock(5) as conn:
        with pytest.raises(DataError) as refused, conn.transaction():
            store.add_version(conn, other.version_dir(version))
        stored = conn.execute(
            "SELECT digest FROM pcp_files WHERE version = %s AND name = %s", (version, COUNTS)
        ).fetchone()
    assert "the police.uk records stored with version" in str(refused.value.problems[0])
    january = files.version_dir(version) / COUNTS
    assert stored == (hashlib.sha256(january.read_bytes()).hexdigest(),)
