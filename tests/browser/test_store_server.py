"""Finding 4 of issue 14: a worker that starts while the files on disk are bad still serves the
last version that validated, exactly like the workers that were already running.

A private gunicorn (2 workers) serves a copy of data/. The test breaks a file, waits until the
running workers have refused it, kills one worker (gunicorn starts a new one) and then asks,
over fresh connections, until the new worker has answered: every answer must carry data.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

LABEL = "Killed or seriously injured (KSI) road casualties"
ROW_START = f"ksi-casualties,{LABEL},7,p7-o1,count,quarter_count,"
REQUESTS = 30
WAIT_SECONDS = 20


def healthz(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {WAIT_SECONDS} s: {what}")
        time.sleep(0.2)


def test_a_respawned_worker_serves_the_last_good_version(live_server_tmp_data):
    server = live_server_tmp_data
    url = server.url
    metrics = server.data_dir / "metrics.csv"
    original = metrics.read_text(encoding="utf-8")
    assert original.count(ROW_START + "down,") == 1
    bad = original.replace(ROW_START + "down,", ROW_START + "sideways,")
    temporary = metrics.with_name("metrics.csv.new")
    temporary.write_text(bad, encoding="utf-8")
    os.replace(temporary, metrics)

    def every_worker_refused() -> bool:
        return all(healthz(url)[1].get("serving_last_good_data") for _ in range(REQUESTS))

    wait_until(every_worker_refused, "the running workers did not notice the bad file")

    master = server.process.pid
    before = worker_pids(master)
    assert len(before) == 2
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: len(worker_pids(master) - before) == 1, "gunicorn did not respawn")
    newcomer = (worker_pids(master) - before).pop()

    start = len(server.log_text())
    answers = []
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        answers += [healthz(url) for _ in range(10)]
        time.sleep(0.2)  # the access log is written after the response
        if str(newcomer) in server.worker_pids(start, "/healthz"):
            break
    assert str(newcomer) in server.worker_pids(start, "/healthz"), "the new worker never answered"
    failures = [(status, body) for status, body in answers if status != 200]
    assert not failures, f"{len(failures)} of {len(answers)} answers had no data: {failures[:2]}"
    assert all(body["status"] == "ok" and body["serving_last_good_data"] for _, body in answers)
    assert "Traceback" not in server.log_text()
