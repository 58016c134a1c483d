"""The two stores compared, and one host against two behind nginx (issue 26).

    .venv/bin/python benchmarks/bench_stores.py [--seconds 20] [--users 8] [--million]
                                                [--repeat 3] [--million-repeat 1] [--no-pages]

(needs the test tools: it starts the cluster as tests/topology/conftest.py does)

Starts a throwaway PostgreSQL cluster (as tests/topology does), then prints:

1. import time: ``pcp-dashboard import`` of one real row (the June 2021 SERP restatement of
   2020's KSI figure, taken out of a copy of the bundled data first) into the file store and
   into PostgreSQL (the same dataset, copied in with ``store copy``); the command's wall time,
   Python's start-up included, each the median of ``--repeat`` (``--million-repeat`` at 10^6);
2. host start: ``PCP_PROXY=0 pcp-dashboard serve --workers 1`` until ``/healthz`` answers
   200: on the file store, on PostgreSQL with an empty host cache, and with a warm one;
3. pages through nginx (``pcp-dashboard balance``) with one host and with two (each 1 worker x
   4 threads): ``--users`` threads render random pages (the page callback, as a browser asks
   for it) for ``--seconds``; requests a second, p50 and p95.

``--million`` repeats 1 and 2 on a SYNTHETIC dataset of about 10^6 observations
(benchmarks/synthetic.py; every value made up, in a temporary folder; the file limits raised as
benchmarks/bench_store.py raises them). The 1-minute load average is printed beside each figure
(the machine may be shared). Measured, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

#: util-linux's runuser, in /usr/sbin (not on every PATH: CI runs with /usr/bin:/bin).
RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "runuser"

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from dashboard.shell import page_request  # noqa: E402
from tests.topology.conftest import (  # noqa: E402
    CLI,
    Cluster,
    free_port,
    healthz,
    postgres_bin,
)

PAGES = [
    ("/", ""),
    *((f"/priority/{n}", "") for n in range(1, 8)),
    ("/metric/ksi-casualties", ""),
    ("/metric/emergency-calls-999", "?area=south-lpa"),
    ("/compare", ""),
]
RESTATEMENT_SOURCE = "serp-2021-06-provisional-2020"


def start_cluster() -> Cluster:
    import pwd

    bindir = postgres_bin()
    if bindir is None:
        sys.exit("PostgreSQL's programs are missing: bash scripts/setup.sh --test")
    folder = Path(tempfile.mkdtemp(prefix="pcp-bench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = [RUNUSER, "-u", "postgres", "--"]
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(folder / "db"), "-A", "trust", "-U", "pcp"],
        check=True,
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    cluster = Cluster(bindir, folder, free_port(), as_user)
    cluster.start()
    return cluster


def split_dataset(source: Path, target: Path) -> Path:
    """``target``: the dataset without its restatement row (a SYNTHETIC dataset has none: its
    last row); returns a file holding that row."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*", "published", "national"))
    lines = (target / "observations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if RESTATEMENT_SOURCE not in line]
    taken = [line for line in lines[1:] if RESTATEMENT_SOURCE in line]
    if not taken:
        kept, taken = lines[:-1], lines[-1:]
    (target / "observations.csv").write_text("".join(kept), encoding="utf-8")
    row = target.parent / "restatement.csv"
    row.write_text(lines[0] + "".join(taken), encoding="utf-8")
    return row


def run(env: dict, *args: str) -> float:
    started = time.monotonic()
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=900)
    took = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return took


def reset(cluster: Cluster) -> None:
    cluster.sql("DROP TABLE IF EXISTS pcp_live, pcp_history, pcp_files, pcp_versions")


def load_average() -> str:
    """The 1-minute load average now, printed beside each figure (the machine is shared)."""
    return f"load average {os.getloadavg()[0]:.1f}"


def stores_of(cluster: Cluster, dataset: Path, data: Path, env: dict) -> dict:
    """``dataset`` copied to ``data`` as a file store with its first version, and the same
    versions copied into an emptied PostgreSQL store; returns the file store's environment."""
    if not data.exists():
        shutil.copytree(dataset, data, ignore=shutil.ignore_patterns(".*", "published", "national"))
    files_env = {**env, "PCP_DATA_DIR": str(data)}
    files_env.pop("PCP_STORE", None)
    run(files_env, "publish", "--data-dir", str(data))
    reset(cluster)
    run(env, "store", "copy", "--data-dir", str(data))
    return files_env


def import_times(
    cluster: Cluster, dataset: Path, work: Path, env: dict, repeat: int
) -> dict[str, tuple[float, str]]:
    times: dict[str, list[float]] = {"files": [], "postgresql": []}
    loads: dict[str, str] = {}
    for attempt in range(repeat):
        folder = work / f"import-{attempt}"
        data = folder / "data"
        row = split_dataset(dataset, data)
        files_env = stores_of(cluster, dataset, data, env)
        times["postgresql"].append(run(env, "import", str(row)))
        loads["postgresql"] = load_average()
        times["files"].append(run(files_env, "import", str(row), "--data-dir", str(data)))
        loads["files"] = load_average()
        shutil.rmtree(folder, ignore_errors=True)
    return {k: (statistics.median(v), loads[k]) for k, v in times.items()}


def start_host(env: dict, folder: Path, port: int) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [*CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env={**env, "PCP_PROXY": "0"},
        cwd=folder,
        stdout=(folder / "server.log").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_healthy(url: str, process: subprocess.Popen | None, log: Path | None) -> float:
    """Seconds until ``url``/healthz answers 200; exits if the process ends or 600 s pass."""
    started = time.monotonic()
    while healthz(url).get("http") != 200:
        ended = process is not None and process.poll() is not None
        if ended or time.monotonic() - started > 600:
            text = log.read_text()[-2000:] if log is not None and log.exists() else ""
            sys.exit(f"{url} did not start:\n{text}")
        time.sleep(0.05)
    return time.monotonic() - started


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def host_start(env: dict, folder: Path) -> tuple[float, str]:
    port = free_port()
    started = time.monotonic()
    process = start_host(env, folder, port)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, folder / "server.log")
        return time.monotonic() - started, load_average()
    finally:
        stop(process)


def start_times(
    cluster: Cluster, dataset: Path, work: Path, env: dict
) -> dict[str, tuple[float, str]]:
    files_env = stores_of(cluster, dataset, work / "start-data", env)
    cache = work / "start-cache"
    pg_env = {**env, "PCP_STORE_CACHE": str(cache)}
    result = {
        "files": host_start(files_env, work / "host-files"),
        "postgresql, empty host cache": host_start(pg_env, work / "host-pg"),
        "postgresql, warm host cache": host_start(pg_env, work / "host-pg"),
    }
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(work / "start-data", ignore_errors=True)
    return result


def render(url: str, rng: random.Random) -> float:
    pathname, search = rng.choice(PAGES)
    request = urllib.request.Request(
        f"{url}/_dash-update-component",
        data=json.dumps(page_request(pathname, search)).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise OSError(response.status)
    return time.monotonic() - started


def load(url: str, users: int, seconds: float) -> dict:
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < deadline:
            try:
                took = render(url, rng)
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                times.append(took)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    return {
        "requests": len(times),
        "per_second": len(times) / seconds,
        "p50_ms": 1000 * times[len(times) // 2] if times else None,
        "p95_ms": 1000 * times[int(len(times) * 0.95)] if times else None,
        "errors": errors[0],
        "load": load_average(),
    }


def proxy_pages(cluster: Cluster, dataset: Path, work: Path, env: dict, args) -> dict:
    base = work / f"pages-{dataset.name}"
    stores_of(cluster, dataset, base / "data", env)
    ports = [free_port(), free_port()]
    hosts = [
        start_host({**env, "PCP_STORE_CACHE": str(base / f"cache-{i}")}, base / f"h{i}", port)
        for i, port in enumerate(ports)
    ]
    results = {}
    try:
        for port, host, i in zip(ports, hosts, range(len(ports)), strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", host, base / f"h{i}" / "server.log")
        for count in (1, 2):
            proxy_port = free_port()
            upstreams = [a for p in ports[:count] for a in ("--upstream", f"127.0.0.1:{p}")]
            proxy = subprocess.Popen(
                [*CLI, "balance", "--bind", f"127.0.0.1:{proxy_port}", *upstreams],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            url = f"http://127.0.0.1:{proxy_port}"
            try:
                wait_healthy(url, proxy, None)
                load(url, args.users, 3)  # warm both hosts' caches
                results[f"{count} host(s)"] = load(url, args.users, args.seconds)
            finally:
                stop(proxy)
    finally:
        for host in hosts:
            stop(host)
        shutil.rmtree(base, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="imports timed per store")
    parser.add_argument(
        "--million-repeat", type=int, default=1, help="imports timed per store at 10^6"
    )
    parser.add_argument("--no-pages", action="store_true", help="skip the pages through nginx")
    parser.add_argument(
        "--pages-at",
        choices=("bundled", "million", "both"),
        default="bundled",
        help="the dataset(s) the pages are measured on (million and both need --million)",
    )
    parser.add_argument(
        "--no-stores", action="store_true", help="skip the import and host start times"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pcp-bench-stores-"))
    cluster = start_cluster()
    env = {
        **os.environ,
        "PCP_STORE": cluster.url,
        "TMPDIR": str(work),
        "PYTHONPATH": str(REPO_ROOT),
        # the 10^6 dataset's observations.csv is larger than the default limits (as in
        # benchmarks/bench_store.py); the bundled one is far below either
        "PCP_MAX_FILE_MB": "2000",
        "PCP_MAX_ROWS": "20000000",
    }
    env.pop("PCP_DEBUG", None)
    try:
        print(f"machine: {os.cpu_count()} cores, {load_average()}", flush=True)
        sizes = [("bundled", REPO_ROOT / "data", args.repeat)]
        if args.million:
            from benchmarks.synthetic import write_dataset

            synthetic = work / "synthetic"
            shape = write_dataset(synthetic, 1_000_000)
            sizes.append((shape.describe(), synthetic, args.million_repeat))
        for label, dataset, repeat in [] if args.no_stores else sizes:
            print(f"\n== {label} dataset", flush=True)
            timed = import_times(cluster, dataset, work, env, repeat)
            for store, (took, loadavg) in timed.items():
                print(
                    f"import of one row, {store}: {took:.2f} s (median of {repeat}; {loadavg})",
                    flush=True,
                )
            for store, (took, loadavg) in start_times(cluster, dataset, work, env).items():
                print(f"host start to /healthz 200, {store}: {took:.2f} s ({loadavg})", flush=True)
        wanted = {"bundled": sizes[:1], "million": sizes[1:], "both": sizes}[args.pages_at]
        for label, dataset, _ in [] if args.no_pages else wanted:
            pages = proxy_pages(cluster, dataset, work, env, args)
            print(
                f"\n== pages through nginx, {label} dataset ({args.users} users, "
                f"{args.seconds:.0f} s)",
                flush=True,
            )
            for hosts, figures in pages.items():
                print(
                    f"{hosts}: {figures['requests']} pages, {figures['per_second']:.1f}/s, "
                    f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
                    f"errors {figures['errors']} ({figures['load']})",
                    flush=True,
                )
        print(f"load average after: {os.getloadavg()}")
    finally:
        cluster.stop("immediate")
        shutil.rmtree(cluster.folder, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
