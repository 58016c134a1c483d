"""A gunicorn worker killed under load costs no visitor's page (issue 25, the load test rerun).

`pcp-dashboard serve` (nginx in front of 2 gunicorn workers) on a copy of the bundled data.
USERS threads ask for pages (HTML, layout, /healthz, About) and BUILDERS ask for meeting packs
(built on request: seconds of work, so a worker is busy with one when the kill comes), each
over a fresh connection, for SECONDS seconds. After KILL_AT seconds the busier worker is killed
with SIGKILL. A GET the dead worker held is passed once more by nginx to a live worker
(``proxy_next_upstream``; dashboard/proxy.py), so no GET fails: before that, such a request was
answered 502. A pack refused for being busy (503 with Retry-After) is an answer, not a failure.
The figures are printed (requests, failures, the requests that spanned the kill, when the new
worker started).
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

USERS = 10
BUILDERS = 3
SECONDS = 16.0
KILL_AT = 6.0
PAGES = ["/", "/_dash-layout", "/healthz", "/about", "/priority/1", "/metric/ksi-casualties"]
AREAS = ["essex", "south-lpa", "north-lpa", "west-lpa", "southend", "thurrock"]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Answer:
    path: str
    started: float
    ended: float
    status: int  # -1: the connection failed
    retry_after: bool


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def get(port: int, path: str, answers: list[Answer], lock: threading.Lock) -> None:
    started = time.monotonic()
    status, retry_after = -1, False
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        response.read()
        status, retry_after = response.status, response.getheader("Retry-After") is not None
    except (OSError, http.client.HTTPException):
        pass
    finally:
        connection.close()
    with lock:
        answers.append(Answer(path, started, time.monotonic(), status, retry_after))


@pytest.fixture
def served(tmp_path, bundled_data_dir):
    """(port, gunicorn master pid) of `pcp-dashboard serve` on a copy of the bundled data."""
    if not os.path.exists(NGINX):
        pytest.skip("nginx-light is installed by scripts/setup.sh")
    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir, data, ignore=shutil.ignore_patterns(".*"))
    port = free_port()
    env = {
        **os.environ,
        "PCP_DATA_DIR": str(data),
        "PCP_CACHE_DIR": str(tmp_path / "cache"),
        "PCP_BIND": f"127.0.0.1:{port}",
        "PCP_WORKERS": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        master = next(
            pid for pid in children(server.pid) if b"gunicorn" in _cmdline(pid)
        )  # serve's children: gunicorn's master and nginx
        yield port, master
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_killed_worker_costs_no_get_request(served):
    port, master = served
    answers: list[Answer] = []
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + SECONDS

    def user(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            get(port, rng.choice(PAGES), answers, lock)
            time.sleep(rng.uniform(0.05, 0.3))

    def builder(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            fmt, area = rng.choice(["pdf", "pptx"]), rng.choice(AREAS)
            quarter = rng.choice(["2019-20-Q4", "2018-19-Q4", "2019-20-Q3", "2018-19-Q3"])
            get(port, f"/download/pack.{fmt}?quarter={quarter}&area={area}", answers, lock)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    threads += [threading.Thread(target=builder, args=(100 + n,)) for n in range(BUILDERS)]
    for thread in threads:
        thread.start()
    time.sleep(KILL_AT - 0.5)
    workers = children(master)
    ticks = {pid: cpu_ticks(pid) for pid in workers}
    time.sleep(0.5)
    victim = max(workers, key=lambda pid: cpu_ticks(pid) - ticks[pid])
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    respawned = None
    while time.monotonic() - killed_at < 15:
        if children(master) - workers:
            respawned = time.monotonic() - killed_at
            break
        time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=SECONDS + 90)

    failed = [a for a in answers if a.status < 0 or (a.status >= 500 and not a.retry_after)]
    spanning = [a for a in answers if a.started < killed_at < a.ended]
    busy = [a for a in answers if a.status == 503 and a.retry_after]
    packs = [a for a in answers if a.path.startswith("/download/")]
    print(
        f"{len(answers)} GET requests ({len(packs)} packs) over {SECONDS:.0f} s; worker {victim} "
        f"killed at {killed_at - start:.1f} s, a new one started "
        f"{'never' if respawned is None else f'{respawned:.2f} s later'}; "
        f"{len(spanning)} requests in progress at the kill "
        f"({sum(1 for a in spanning if a.path.startswith('/download/'))} packs); "
        f"failed {len(failed)}; 503 busy with Retry-After {len(busy)}"
    )
    assert respawned is not None, "gunicorn started no new worker"
    assert spanning, "no request was in progress at the kill: the test proved nothing"
    assert not failed, [(a.path, a.status, round(a.started - killed_at, 2)) for a in failed]
