"""An import killed (SIGKILL) at random moments never leaves a partial version: after each kill
the live version is the one before or the one the import makes, every stored version has
every file its manifest names, the history's last line names the live version, the lock is
free, and the hosts serve one of the two. (Issue 26: 20 times.)"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import tempfile
import time

from dashboard.data.pgstore import PgStore, carried_files

from .conftest import Topology, healthz, wait_for

KILLS = int(os.environ.get("PCP_TOPOLOGY_KILLS", "20"))


def incomplete_versions(topo: Topology) -> list[tuple]:
    """Versions whose stored files are not exactly those their manifest names (the tables and,
    where the version has them, their Parquet copies: ``carried_files``)."""
    rows = topo.cluster.sql(
        "SELECT v.version, v.manifest, "
        "array(SELECT f.name FROM pcp_files f WHERE f.version = v.version ORDER BY 1) "
        "FROM pcp_versions v"
    )
    return [
        (version, sorted(carried_files(manifest)), list(stored))
        for version, manifest, stored in rows
        if sorted(carried_files(manifest)) != list(stored)
    ]


def last_history(topo: Topology) -> tuple[int, str]:
    rows = topo.cluster.sql(
        "SELECT count(*) OVER (), record->>'version' FROM pcp_history ORDER BY id DESC LIMIT 1"
    )
    return int(rows[0][0]), rows[0][1]


def _import(files: list[str], env: dict[str, str]) -> None:  # pragma: no cover - in the child
    """``pcp-dashboard import`` in a child forked from this process (already started, so the
    kill falls in the import's own work, not in Python's start-up)."""
    from dashboard.cli import main

    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = env["TMPDIR"]
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    os._exit(main(["import", *files]))


def start_import(topo: Topology, files: list[str]) -> multiprocessing.Process:
    process = multiprocessing.get_context("fork").Process(target=_import, args=(files, topo.env))
    process.start()
    return process


def roll_back_to(topo: Topology, version: str) -> None:
    store = PgStore(topo.cluster.url)
    with store.lock(30, action="test rollback") as conn:
        store.rollback(conn, version)


def test_an_import_killed_at_random_moments_never_leaves_a_partial_version(topology):
    files = [str(topology.files["sources"]), str(topology.files["observations"])]
    before = topology.live()
    assert before is not None
    # One import to the end: when it commits, and the version it makes (an id is a digest of
    # the tables, so every attempt that lands makes this same one).
    started = time.monotonic()
    process = start_import(topology, files)
    committed = wait_for(lambda: topology.live() != before, 60, step=0.01)
    process.join(timeout=60)
    whole = time.monotonic() - started
    assert process.exitcode == 0 and committed is not None
    imported = topology.live()
    assert imported not in (None, before)
    roll_back_to(topology, before)

    rng = random.Random(26)  # the moments differ from kill to kill, the same in every run
    landed = 0
    for attempt in range(KILLS):
        count_before, _ = last_history(topology)
        process = start_import(topology, files)
        # anywhere from the start (planning, validating) to just after the commit
        time.sleep(rng.uniform(0.0, committed + 0.1))
        os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=30)

        live = topology.live()
        assert live in (before, imported), f"kill {attempt}: live {live}"
        assert incomplete_versions(topology) == [], f"kill {attempt}"
        count, named = last_history(topology)
        assert named == live, f"kill {attempt}: history names {named}, live is {live}"
        assert count == count_before + (live == imported), f"kill {attempt}: history lines"
        seen = wait_for(
            lambda live=live: all(healthz(h.url).get("version") == live for h in topology.hosts),
            5,
        )
        assert seen is not None, f"kill {attempt}: {[healthz(h.url) for h in topology.hosts]}"
        if live == imported:
            landed += 1
            roll_back_to(topology, before)  # the lock is free: a kill leaves none held
    print(
        f"{KILLS} imports killed at random within {committed + 0.1:.2f} s of their start (one "
        f"commits after {committed:.2f} s, ends after {whole:.2f} s): {landed} had committed, "
        f"{KILLS - landed} had not; none partial"
    )
    # Nothing the killed writers left behind trips the next one, and the next one clears it.
    done = topology.cli("import", *files)
    assert done.returncode == 0, done.stderr
    assert topology.live() == imported
    assert not [p for p in topology.work.glob("pcp-work-*")], "a killed import's folder was left"
    roll_back_to(topology, before)
