"""Finding 7 of issue 14: bad input to callbacks gets a 400, never a 500 or a traceback.

At least 1,000 request bodies, generated from the app's own /_dash-dependencies (see
callback_fuzz.py), are POSTed to a private gunicorn over loopback. Bodies a browser could send
must be answered 200 or 204; everything else 400; nothing 500; and the server's log must hold
no traceback (and stay small).
"""

from __future__ import annotations

import http.client
import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import callback_fuzz

COUNT = 1200
SEED = 14
CLIENTS = 4
MAX_SECONDS = 300


def post_all(url: str, items: list[tuple[str, bytes]]) -> list[tuple[str, int, bytes]]:
    host = urlparse(url)
    deadline = time.monotonic() + MAX_SECONDS

    def run(chunk):
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        results = []
        for kind, body in chunk:
            if time.monotonic() > deadline:
                break
            try:
                connection.request(
                    "POST",
                    "/_dash-update-component",
                    body=body,
                    headers={"Content-Type": "application/json"},
                )
                response = connection.getresponse()
                results.append((kind, response.status, response.read()[:300]))
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (http.client.HTTPException, OSError) as exc:
                connection.close()
                results.append((kind, -1, repr(exc).encode()))
        connection.close()
        return results

    chunks = [items[i::CLIENTS] for i in range(CLIENTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return [r for part in pool.map(run, chunks) for r in part]


def test_generated_callback_bodies_never_get_a_500(live_server_tmp_data):
    server = live_server_tmp_data
    host = urlparse(server.url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request("GET", "/_dash-dependencies")
    dependencies = json.loads(connection.getresponse().read())
    connection.close()
    items = list(callback_fuzz.bodies(dependencies, COUNT, SEED))
    log_before = len(server.log_text())
    started = time.monotonic()
    results = post_all(server.url, items)
    took = time.monotonic() - started
    statuses = Counter(status for _, status, _ in results)
    by_kind = Counter((kind, status) for kind, status, _ in results)
    print(f"{len(results)} bodies in {took:.0f} s: {dict(statuses)}")
    print(dict(sorted(by_kind.items())))
    assert len(results) >= 1000
    errors = [(kind, status, body) for kind, status, body in results if status >= 500 or status < 0]
    assert not errors, f"{len(errors)} answers were server errors, first: {errors[:3]}"
    wrong_valid = [(s, b) for kind, s, b in results if kind == "valid" and s not in (200, 204)]
    assert not wrong_valid, wrong_valid[:3]
    time.sleep(0.5)
    log = server.log_text()[log_before:]
    assert "Traceback" not in log
    print(f"server log: {len(log):,} characters for {len(results)} requests")
    assert len(log) < 300 * len(results)
