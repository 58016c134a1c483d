"""Issue 25, finding 5: ``import`` and ``ingest`` read regular files only.

Before: a ``.csv`` link to /dev/urandom ran ``import`` to 7.5 GB and a MemoryError traceback; a
FIFO named ``.csv`` hung it forever while it held the dataset lock. Now both are refused at
once, the message names the file and what it is (a link is followed and its target named),
and the dataset is unchanged. Each run is a child with a 30 s timeout and a 2 GB address-space
limit, so the test itself stays bounded on the code as it was.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

TIMEOUT = 30


def _limit_memory() -> None:  # in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run_cli(*args: str, data: Path) -> tuple[subprocess.CompletedProcess | None, float]:
    env = {**os.environ, "PCP_DATA_DIR": str(data)}
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dashboard.cli", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - started
    return done, time.monotonic() - started


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def special(kind: str, folder: Path) -> Path:
    path = folder / "observations.csv"
    if kind == "device link":
        path.symlink_to("/dev/urandom")
    elif kind == "null link":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif kind == "link to a fifo":
        os.mkfifo(folder / "pipe")
        path.symlink_to(folder / "pipe")
    return path


KINDS = {
    "device link": "a character device",
    "null link": "a character device",
    "fifo": "a named pipe (FIFO)",
    "socket": "a socket",
    "link to a fifo": "a named pipe (FIFO)",
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_import_refuses_a_special_file_at_once_and_changes_nothing(kind, data, tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    path = special(kind, incoming)
    before = files_of(data)
    done, seconds = run_cli("import", str(path), "--data-dir", str(data), data=data)
    print(f"import of a {kind}: {seconds:.2f} s")
    assert done is not None, f"import of a {kind} still running after {TIMEOUT} s"
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{path}: " in done.stderr and KINDS[kind] in done.stderr, done.stderr
    if "link" in kind:
        assert "a link to " in done.stderr
    assert files_of(data) == before


@pytest.mark.parametrize("kind", ["device link", "fifo"])
def test_ingest_refuses_a_special_file_with_what_it_is(kind, data, tmp_path):
    path = tmp_path / "update.txt"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/urandom")
    done, _ = run_cli(
        "ingest", str(path), "--dataset", str(data), "--out", str(tmp_path / "out"), data=data
    )
    assert done is not None, f"ingest still running after {TIMEOUT} s"
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert KINDS[kind] in done.stderr, done.stderr


def test_a_fifo_among_the_dataset_files_is_reported_not_waited_for(data):
    (data / "observations.csv").unlink()
    os.mkfifo(data / "observations.csv")
    done, _ = run_cli("validate", str(data), data=data)
    assert done is not None, f"validate still running after {TIMEOUT} s"
    assert done.returncode != 0 and "a named pipe (FIFO)" in done.stdout + done.stderr
