"""Load benchmark: simulated users against the shipped server, one worker killed mid-run.

    .venv/bin/python benchmarks/bench_load.py [--users 50] [--seconds 120] [--workers 2]
                                              [--think 1.0 3.0] [--seed 14] [--json FILE]
                                              [--proxy]

Starts gunicorn alone (``gunicorn -w 2 ... --no-control-socket app:server``) or, with
``--proxy``, the shipped run command (``pcp-dashboard serve``: nginx in front of gunicorn) on a
free loopback port, serving a copy of the bundled data in a temporary folder (so nothing under
data/ is written) with a fresh chart-image cache. ``--users`` threads each act like a person for
``--seconds`` seconds, pausing ``--think`` seconds (uniform) between actions:

- open a page (60 %): the HTML, the layout, then the page callback, as a browser does;
- change a filter (28 %): the page callback for the new query (the browser writes the URL
  itself: the filters callback is clientside);
- download a pack (10 %): PDF, PowerPoint, Excel or CSV, for a random area (built on request);
- download a chart image (2 %): PNG or SVG (drawn once per version and figure, then cached).

Halfway through, the busier worker (by CPU over half a second) is killed with SIGKILL (gunicorn
starts another); requests it had accepted, running or queued in it, fail with it (gunicorn
alone: the connection drops; through nginx: a GET is passed once more to a live worker, a POST
is answered 502). Every request uses a new loopback connection. A request that fails while the
killed worker held it is counted apart ("in flight on the killed worker"); every other failure
(HTTP 5xx, or a connection error at any other time) is an error. Printed: requests, errors,
failures by method, p50/p95/p99 per kind and overall, pages while packs were being built, when
the new worker started, the last failure after the kill (the time to recover), and what else
was running on the machine. Bounded: by time, and each user stops at its deadline; loopback
only. Measured, not asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from dashboard.shell import page_request  # noqa: E402

GUNICORN = Path(sys.executable).with_name("gunicorn")
PAGES = [
    ("/", ""),
    *((f"/priority/{n}", "") for n in range(1, 8)),
    ("/priority/2", "?area=south-lpa"),
    ("/metric/ksi-casualties", ""),
    ("/metric/emergency-calls-999", "?area=south-lpa"),
    ("/area/south-lpa", ""),
    ("/area/essex", ""),
    ("/narrative", "?q=road"),
    ("/about", ""),
    ("/present", "?quarter=2019-20-Q4"),
]
FILTERS = [("quarter", "2018-19-Q4"), ("quarter", "2019-20-Q4"), ("area", "south-lpa"),
           ("area", "north-lpa"), ("area", "west-lpa"), ("area", "essex")]  # fmt: skip
AREAS = ["essex", "south-lpa", "north-lpa", "west-lpa", "southend", "thurrock"]
PACKS = ["pdf", "pptx", "xlsx", "csv"]
CHARTS = ["ksi-casualties", "emergency-calls-999", "special-constable-headcount", "esp-hours"]


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(log: Path, data: Path, cache: Path, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [
        str(GUNICORN),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--access-logfile",
        "-",
        "--access-logformat",
        "ACCESS %(p)s %(s)s %(D)s",
        "app:server",
    ]
    env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
    env.update({"PCP_DATA_DIR": str(data), "PCP_CACHE_DIR": str(cache)})
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process, port
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    sys.exit(f"gunicorn did not start:\n{log.read_text()}")


def start_proxied(log: Path, data: Path, cache: Path, workers: int) -> tuple[subprocess.Popen, int]:
    """``pcp-dashboard serve`` (nginx in front of gunicorn), in a session of its own."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
    env.update(
        {
            "PCP_DATA_DIR": str(data),
            "PCP_CACHE_DIR": str(cache),
            "PCP_BIND": f"127.0.0.1:{port}",
            "PCP_WORKERS": str(workers),
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if not _answers(port, process, 60):
        os.killpg(process.pid, signal.SIGKILL)
        sys.exit(f"pcp-dashboard serve did not start:\n{log.read_text()}")
    return process, port


def _answers(port: int, process: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        if process.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def gunicorn_master(process: subprocess.Popen, proxied: bool) -> int:
    """gunicorn's master: the server itself, or (through nginx) serve's gunicorn child."""
    if not proxied:
        return process.pid
    for pid in worker_pids(process.pid):
        try:
            if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    sys.exit("no gunicorn under pcp-dashboard serve")


def worker_pids(master: int) -> set[int]:
    pids: set[int] = set()
    for task in Path(f"/proc/{master}/task").glob("*"):
        try:
            pids |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return pids


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def busiest_worker(master: int, seconds: float = 0.5) -> int:
    """The worker that used the most CPU over the last ``seconds``: the one a kill hurts most."""
    first = {pid: cpu_ticks(pid) for pid in worker_pids(master)}
    time.sleep(seconds)
    used = {
        pid: cpu_ticks(pid) - ticks for pid, ticks in first.items() if Path(f"/proc/{pid}").exists()
    }
    return max(used, key=used.get)


def stop_server(process: subprocess.Popen, proxied: bool = False) -> None:
    if proxied:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


# --- requests ---------------------------------------------------------------------------------


def page_body(pathname: str, search: str, written: str | None = None) -> bytes:
    """The page callback as the browser POSTs it; ``written``: the query string the filter bar
    itself wrote (a filter change), which the shell answers without redrawing the bar."""
    changed = "url.search" if written is not None else "url.pathname"
    return json.dumps(page_request(pathname, search, written=written, changed=changed)).encode()


def with_filter(search: str, name: str, value: str) -> str:
    """The query string after a filter change (the browser's clientside filtersToUrl)."""
    query = dict(parse_qsl(search.lstrip("?")))
    query[name] = value
    if name == "area" and value == "essex":
        query.pop(name)
    return "?" + urlencode(query) if query else ""


@dataclass
class Result:
    kind: str
    started: float
    seconds: float
    status: int  # -1: the connection failed
    error: str = ""
    method: str = "GET"


@dataclass
class Run:
    port: int
    deadline: float
    think: tuple[float, float]
    results: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, kind: str, method: str, path: str, body: bytes | None = None) -> bytes:
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        status, error, content = -1, "", b""
        try:
            headers = {"Connection": "close"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            error = exc.__class__.__name__
        finally:
            connection.close()
        with self.lock:
            self.results.append(
                Result(kind, started, time.monotonic() - started, status, error, method)
            )
        return content if status == 200 else b""


def user(run: Run, seed: int) -> None:
    rng = random.Random(seed)
    pathname, search = rng.choice(PAGES)
    while time.monotonic() < run.deadline:
        roll = rng.random()
        if roll < 0.60:
            pathname, search = rng.choice(PAGES)
            run.request("html", "GET", pathname + search)
            run.request("layout", "GET", "/_dash-layout")
            run.request("page", "POST", "/_dash-update-component", page_body(pathname, search))
        elif roll < 0.88:
            # The filter bar writes the URL in the browser (a clientside callback); the server
            # renders the page for the new query, keeping the bar as it is.
            search = with_filter(search, *rng.choice(FILTERS))
            run.request(
                "filter", "POST", "/_dash-update-component", page_body(pathname, search, search)
            )
        elif roll < 0.98:
            fmt, area = rng.choice(PACKS), rng.choice(AREAS)
            run.request("pack", "GET", f"/download/pack.{fmt}?quarter=2019-20-Q4&area={area}")
        else:
            metric, fmt = rng.choice(CHARTS), rng.choice(["png", "svg"])
            run.request("chart", "GET", f"/download/chart/{metric}.{fmt}")
        pause = rng.uniform(*run.think)
        time.sleep(max(0.0, min(pause, run.deadline - time.monotonic())))


# --- figures ----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def line(name: str, results: list[Result]) -> str:
    times = [r.seconds * 1000 for r in results if r.status > 0]
    failed = sum(1 for r in results if r.status < 0 or (r.status >= 500 and r.status != 503))
    busy = sum(1 for r in results if r.status == 503)
    return (
        f"  {name:<24} {len(results):>7,} {failed:>7,} {busy:>5,} "
        f"{percentile(times, 50):>9.0f} {percentile(times, 95):>9.0f} {percentile(times, 99):>9.0f}"
    )


def machine() -> str:
    load = Path("/proc/loadavg").read_text().split()[:3]
    top = subprocess.run(
        ["ps", "-eo", "pcpu,etime,comm", "--sort=-pcpu"], capture_output=True, text=True
    ).stdout.splitlines()[1:8]
    return f"load average {' '.join(load)}; busiest processes: " + "; ".join(
        " ".join(t.split()) for t in top
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0))
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--no-kill", action="store_true", help="do not kill a worker")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--proxy", action="store_true", help="the shipped run command: nginx in front of gunicorn"
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="pcp-bench-load-"))
    data = folder / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns(".*", "published"))
    log = folder / "gunicorn.log"
    print(f"Before: {machine()}")
    start_with = start_proxied if args.proxy else start_server
    process, port = start_with(log, data, folder / "charts", args.workers)
    try:
        master = gunicorn_master(process, args.proxy)
        start = time.monotonic()
        run = Run(port, start + args.seconds, tuple(args.think))
        users = [
            threading.Thread(target=user, args=(run, args.seed * 1000 + n), daemon=True)
            for n in range(args.users)
        ]
        for thread in users:
            thread.start()
            time.sleep(0.02)  # people arrive over a second, not in one instant
        killed_at = victim = None
        respawned = None
        if not args.no_kill:
            time.sleep(max(0.0, args.seconds / 2 - (time.monotonic() - start)))
            victim = busiest_worker(master)
            before = worker_pids(master)
            killed_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            while time.monotonic() - killed_at < 30:
                if worker_pids(master) - before:
                    respawned = time.monotonic() - killed_at
                    break
                time.sleep(0.05)
        for thread in users:
            thread.join(timeout=args.seconds + 150)
        during = f"During: {machine()}"
        elapsed = time.monotonic() - start
    finally:
        stop_server(process, args.proxy)

    results = run.results
    in_flight = []
    errors = []
    busy = [r for r in results if r.status == 503]  # "drawing images; retry" (Retry-After)
    for r in results:
        if (r.status >= 0 and r.status < 500) or r.status == 503:
            continue
        # A request the killed worker held: its connection dropped (no status; through
        # nginx, 502) and it was sent before the kill and had not finished when it came.
        if (
            (r.status < 0 or (args.proxy and r.status == 502))
            and killed_at is not None
            and r.started <= killed_at + 0.05
            and r.started + r.seconds >= killed_at - 0.05
        ):
            in_flight.append(r)
        else:
            errors.append(r)
    packs = [r for r in results if r.kind == "pack"]
    pages = [r for r in results if r.kind in ("page", "filter")]
    busy_windows = [(p.started, p.started + p.seconds) for p in packs]
    pages_during_packs = [
        p for p in pages if any(a <= p.started + p.seconds / 2 <= b for a, b in busy_windows)
    ]
    print(
        f"\n{args.users} users for {elapsed:.0f} s against {args.workers} workers "
        f"(think {args.think[0]:g}-{args.think[1]:g} s); "
        + (
            f"worker {victim} killed at {killed_at - start:.0f} s, "
            f"a new one started {respawned:.1f} s later"
            if killed_at and respawned is not None
            else ("no worker killed" if not killed_at else "worker killed, none restarted")
        )
    )
    at_kill = [
        r
        for r in results
        if killed_at is not None and r.started <= killed_at <= r.started + r.seconds
    ]
    print(
        f"requests {len(results):,} ({len(results) / elapsed:.1f}/s); errors {len(errors)}; "
        f"failed in flight on the killed worker {len(in_flight)} (of {len(at_kill)} in progress "
        f"on either worker at the kill); 503 busy with Retry-After {len(busy)}"
    )
    failed = in_flight + errors
    for method in ("GET", "POST"):
        mine = [r for r in results if r.method == method]
        lost = [r for r in failed if r.method == method]
        print(f"{method}: {len(mine):,} requests, {len(lost)} failed")
    if killed_at is not None:
        after = [
            r.started + r.seconds - killed_at for r in failed if r.started + r.seconds >= killed_at
        ]
        print(
            "time to recover (the last failed request's end, after the kill): "
            + (f"{max(after):.2f} s" if after else "none failed")
        )
    print(
        f"  {'kind':<24} {'requests':>7} {'errors':>7} {'503':>5} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}"
    )
    for kind in ("html", "layout", "page", "filter", "pack", "chart"):
        chosen = [r for r in results if r.kind == kind]
        if chosen:
            print(line(kind, chosen))
    print(line("page, while packs built", pages_during_packs))
    print(line("all", results))
    if errors:
        kinds: dict[str, int] = {}
        for r in errors:
            key = f"{r.kind} {r.status if r.status > 0 else r.error}"
            kinds[key] = kinds.get(key, 0) + 1
        print("errors by kind: " + ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())))
    for r in (in_flight + errors)[:10]:
        when = (
            f"{r.started - killed_at:+.2f} s from the kill"
            if killed_at
            else f"at {r.started - start:.1f} s"
        )
        print(
            f"  failed: {r.method} {r.kind} {r.status if r.status > 0 else r.error}, sent {when}, took {r.seconds:.2f} s"
        )
    server_ms = [
        int(line.split()[3]) / 1000
        for line in log.read_text(errors="replace").splitlines()
        if line.startswith("ACCESS ")
    ]
    if server_ms:
        print(
            f"server time (gunicorn access log) p50 {statistics.median(server_ms):.0f} ms, "
            f"p95 {percentile(server_ms, 95):.0f} ms over {len(server_ms):,} requests"
        )
    print(during)
    logged = log.read_text(errors="replace").splitlines()
    tracebacks = [line for line in logged if "Traceback" in line]
    print(f"log lines with a traceback: {len(tracebacks)}")
    for entry in tracebacks[:3]:
        try:
            record = json.loads(entry)
            print(f"  {record.get('level')} {record.get('message')}: {record.get('error')}"[:300])
        except ValueError:
            print("  " + entry[:300])
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=0), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
