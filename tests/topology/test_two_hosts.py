"""Two app hosts behind nginx, one PostgreSQL store: an import or a rollback through the CLI is
served by both within 5 s; the database stopped under load costs no request and says
"degraded" (a host restarted meanwhile serves the version it last loaded); a host's master
killed under load costs no request through the proxy."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

from dashboard.shell import page_request

from .conftest import Topology, get, healthz, wait_for

#: Issue 26's figure: the database stopped for 30 s (PCP_TOPOLOGY_DOWN_SECONDS to change it).
DOWN_SECONDS = float(os.environ.get("PCP_TOPOLOGY_DOWN_SECONDS", "30"))
USERS = 20
#: What a user's browser asks for, in turn: a page and the app's JSON (GET), then the page
#: callback as a first visit sends it, and as a change of the filter bar sends it (POST
#: /_dash-update-component: the bar writes the query and the page is drawn for it). The areas
#: and the metric are rows of tests/fixtures/dataset (areas.csv, metrics.csv).
REQUESTS: tuple[tuple[str, str | None, str], ...] = (
    ("GET", "/", ""),
    ("POST", "/", ""),
    ("POST", "/", "?area=south-lpa"),
    ("GET", "/_dash-layout", ""),
    ("POST", "/priority/1", "?area=north-lpa"),
    ("GET", "/_dash-dependencies", ""),
    ("POST", "/metric/ksi-casualties", ""),
    ("POST", "/metric/ksi-casualties", "?area=west-lpa"),
    ("GET", "/healthz", ""),
)


def callback(url: str, pathname: str, query: str) -> tuple[int | None, bytes]:
    """The page callback over HTTP: a first visit (no query) or a filter change (``query``
    written by the bar, ``url.search`` the input that changed), as the browser posts them."""
    body = (
        page_request(pathname, query, written=query, changed="url.search")
        if query
        else page_request(pathname, "")
    )
    request = urllib.request.Request(
        f"{url}/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return None, b""


def serving(topo: Topology, version: str, observations: int):
    def check() -> bool:
        for host in topo.hosts:
            health = healthz(host.url)
            if health.get("version") != version or health.get("observations") != observations:
                return False
        return True

    return check


class Users:
    """``USERS`` simulated users asking the proxy for pages, the app's JSON and its callbacks
    (``REQUESTS``), one request after another each; every answer that is not a 200 (or no
    answer, or a callback's answer without the page's content) is a failure."""

    def __init__(self, url: str, users: int = USERS):
        self.url, self.users = url, users
        self.stop = threading.Event()
        self.results: Counter[str] = Counter()
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(users)]

    def _run(self, index: int) -> None:
        n = index
        while not self.stop.is_set():
            method, path, query = REQUESTS[n % len(REQUESTS)]
            n += 1
            if method == "GET":
                status, body = get(self.url + path, timeout=15)
                drawn = True
            else:
                status, body = callback(self.url, path, query)
                drawn = b'"response"' in body  # Dash's answer: the outputs drawn
            with self.lock:
                self.results[f"{method} {status}"] += 1
                if status != 200 or not drawn:
                    self.failures.append(f"{method} {path}{query}: {status} {body[:200]!r}")
            time.sleep(0.05)

    def __enter__(self) -> Users:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_an_import_and_a_rollback_are_served_by_both_hosts_within_5_seconds(topology):
    before = topology.live()
    assert before is not None
    assert wait_for(serving(topology, before, topology.observations), 10), [
        healthz(h.url) for h in topology.hosts
    ]

    # validate against the live version in the store: the new observation cites a source the
    # store does not hold yet, and says so at its cell
    done = topology.cli("validate", str(topology.files["observations"]))
    assert done.returncode == 1
    assert "observations-2021-06.csv, row 2, column 'source_id'" in done.stderr
    done = topology.cli("validate")
    assert done.returncode == 0 and f"version {before} in postgresql://" in done.stdout
    done = topology.cli(
        "import", str(topology.files["sources"]), str(topology.files["observations"])
    )
    assert done.returncode == 0, done.stderr
    imported = topology.live()
    assert imported != before and f"version {imported} is live" in done.stdout
    # one new observation: the restated 722 beside the February release's 752
    took = wait_for(serving(topology, imported, topology.observations + 1), 5)
    assert took is not None, [healthz(h.url) for h in topology.hosts]
    print(f"import served by both hosts {took:.2f} s after the command ended")

    history = topology.cli("history")
    assert f"{imported}" in history.stdout and "import of sources-2021-06.csv" in history.stdout

    done = topology.cli("rollback")
    assert done.returncode == 0, done.stderr
    assert topology.live() == before
    took = wait_for(serving(topology, before, topology.observations), 5)
    assert took is not None, [healthz(h.url) for h in topology.hosts]
    print(f"rollback served by both hosts {took:.2f} s after the command ended")


def test_the_database_stopped_under_load_costs_no_request_and_is_reported(topology):
    live = topology.live()
    with Users(topology.proxy_url) as users:
        time.sleep(1)
        topology.cluster.stop("fast")
        try:
            degraded = wait_for(
                lambda: all(healthz(h.url).get("status") == "degraded" for h in topology.hosts),
                5,
            )
            assert degraded is not None, [healthz(h.url) for h in topology.hosts]
            reasons = [healthz(h.url) for h in topology.hosts]
            for health in reasons:
                assert "unreachable" in health["degraded"], health
                assert health["version"] == live and health["observations"] > 0
            # a host (re)started while the database is down serves what it last loaded
            restarted = time.monotonic()
            topology.hosts[1].stop()
            topology.hosts[1].start()
            health = healthz(topology.hosts[1].url)
            assert health["status"] == "degraded" and health["version"] == live, health
            time.sleep(max(0.0, DOWN_SECONDS - degraded - (time.monotonic() - restarted)))
        finally:
            topology.cluster.start()
        back = wait_for(
            lambda: all(healthz(h.url).get("status") == "ok" for h in topology.hosts), 10
        )
        assert back is not None, [healthz(h.url) for h in topology.hosts]
        time.sleep(1)
    print(f"answers while the database was down {DOWN_SECONDS:.0f} s: {dict(users.results)}")
    assert users.failures == [], topology.proxy_log()
    assert sum(users.results.values()) > USERS * 10
    assert users.results["POST 200"] > USERS * 3, users.results  # callbacks answered throughout

    # caught up: a change made once the database is back reaches both hosts
    done = topology.cli(
        "import", str(topology.files["sources"]), str(topology.files["observations"])
    )
    assert done.returncode == 0, done.stderr
    imported = topology.live()
    assert wait_for(serving(topology, imported, topology.observations + 1), 5) is not None
    assert topology.cli("rollback").returncode == 0
    assert wait_for(serving(topology, live, topology.observations), 5) is not None


def test_a_host_killed_under_load_costs_no_request_through_the_proxy(topology):
    victim = topology.hosts[0]
    assert victim.process is not None
    with Users(topology.proxy_url) as users:
        time.sleep(2)
        os.kill(victim.process.pid, signal.SIGKILL)  # the gunicorn master, no goodbye
        down = wait_for(lambda: healthz(victim.url).get("http") is None, 15, step=0.2)
        time.sleep(3)
    print(f"answers with host {victim.name} killed: {dict(users.results)}; down after {down} s")
    assert users.failures == [], topology.proxy_log()
    assert sum(users.results.values()) > USERS * 5
    assert users.results["POST 200"] > USERS, users.results
    victim.stop()
    victim.start()  # for whatever runs after
