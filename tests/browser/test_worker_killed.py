"""A gunicorn worker killed under load costs no visitor's page (issue 25, the load test rerun).

`pcp-dashboard serve` (nginx in front of 2 gunicorn workers) on a copy of the bundled data.
USERS threads ask for pages (HTML, layout, /healthz, About) and BUILDERS ask for PDF meeting
packs (built on request inside the worker: seconds of its CPU), each over a fresh connection,
for SECONDS seconds. The busier worker (by CPU) is killed with SIGKILL, again after gunicorn
has started a new one, until nginx's error log shows that a GET was cut off by the death
(``upstream prematurely closed`` or a reset): that request was held by the dead worker. nginx
passes such a GET once more to a live worker (``proxy_next_upstream``; dashboard/proxy.py), so
no GET fails; with the socket named once (before), the cut-off request was answered 502. A
pack refused for being busy (503 with Retry-After) is an answer, not a failure. The figures are
printed (requests, failures, the requests cut off, when the new worker started).
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from serve_helpers import serving

USERS = 10
BUILDERS = 3
SECONDS = 18.0
KILLS_AT = (5.0, 9.0, 13.0)  # seconds from the start; the next only if nothing was cut off
PAGES = ["/", "/_dash-layout", "/healthz", "/about", "/priority/1", "/metric/ksi-casualties"]
AREAS = ["essex", "south-lpa", "north-lpa", "west-lpa", "southend", "thurrock"]


@dataclass
class Answer:
    path: str
    started: float
    ended: float
    status: int  # -1: the connection failed
    retry_after: bool


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
    """(port, gunicorn's master pid, nginx's error log) of `pcp-dashboard serve` on a copy of
    the bundled data."""
    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir, data, ignore=shutil.ignore_patterns(".*"))
    settings = {
        "PCP_DATA_DIR": str(data),
        "PCP_CACHE_DIR": str(tmp_path / "cache"),
        "PCP_WORKERS": "2",
    }
    with serving(settings) as (server, port):
        # serve's children: gunicorn's master, bound to unix:<serve's run folder>/gunicorn.sock
        # (nginx keeps its error log there), and nginx
        master = next(pid for pid in children(server.pid) if b"gunicorn" in _cmdline(pid))
        bind = next(w for w in _cmdline(master).split(b"\0") if w.startswith(b"unix:"))
        yield port, master, Path(bind[len(b"unix:") :].decode()).parent / "error.log"


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def kill_the_busier_worker(master: int) -> tuple[int, float | None]:
    """SIGKILL the worker that used more CPU over half a second; (its pid, seconds until
    gunicorn had started another, or None)."""
    workers = children(master)
    ticks = {pid: cpu_ticks(pid) for pid in workers}
    time.sleep(0.5)
    victim = max(workers, key=lambda pid: cpu_ticks(pid) - ticks[pid])
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    while time.monotonic() - killed_at < 15:
        if children(master) - workers:
            return victim, time.monotonic() - killed_at
        time.sleep(0.05)
    return victim, None


def cut_off(log: Path) -> list[str]:
    """nginx's lines for GETs whose worker died under them."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return [
        line
        for line in text.splitlines()
        if ("prematurely closed" in line or "reset by peer" in line) and 'request: "GET ' in line
    ]


def test_a_killed_worker_costs_no_get_request(served):
    port, master, log = served
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
            area = rng.choice(AREAS)
            quarter = rng.choice(["2019-20-Q4", "2018-19-Q4", "2019-20-Q3", "2018-19-Q3"])
            get(port, f"/download/pack.pdf?quarter={quarter}&area={area}", answers, lock)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    threads += [threading.Thread(target=builder, args=(100 + n,)) for n in range(BUILDERS)]
    for thread in threads:
        thread.start()
    kills: list[tuple[int, float | None]] = []
    for at in KILLS_AT:
        time.sleep(max(0.0, start + at - 0.5 - time.monotonic()))
        kills.append(kill_the_busier_worker(master))
        time.sleep(1.0)  # nginx has written what it saw
        if cut_off(log):
            break
    for thread in threads:
        thread.join(timeout=SECONDS + 90)

    failed = [a for a in answers if a.status < 0 or (a.status >= 500 and not a.retry_after)]
    busy = [a for a in answers if a.status == 503 and a.retry_after]
    packs = [a for a in answers if a.path.startswith("/download/")]
    lines = cut_off(log)
    print(
        f"{len(answers)} GET requests ({len(packs)} PDF packs) over {SECONDS:.0f} s; "
        f"{len(kills)} worker(s) killed, new ones started "
        + ", ".join("never" if r is None else f"{r:.2f} s" for _, r in kills)
        + f" later; {len(lines)} GET(s) cut off by a death and passed again; failed "
        f"{len(failed)}; 503 busy with Retry-After {len(busy)}"
    )
    assert all(respawned is not None for _, respawned in kills), "no new worker started"
    assert lines, f"no kill cut off a GET in {len(kills)} tries: the test proved nothing"
    assert not failed, [(a.path, a.status) for a in failed] + log.read_text().splitlines()[-30:]
