"""Issue 22's national record benchmark: SYNTHETIC police.uk street-level files for 43 forces x
36 months imported through the product's own ``pcp-dashboard import``. Prints figures, asserts
nothing.

    .venv/bin/python benchmarks/bench_national_records.py [--records 1e5 1e6 1e7] [--calls 40]
        [--forces 43] [--no-server] [--keep]

For each size (records in all, split evenly over the forces' months):

1. Files: ``synthetic.write_police_uk`` writes one street-level CSV per force and month in
   ``YYYY-MM/`` folders, as police.uk's archive releases them, into a temporary folder (never
   under data/; removed at the end unless ``--keep``). Every force, crime id, location, LSOA
   code and context says SYNTHETIC. Force 00 is the dataset's own force: the temporary copy of
   data/ (``shutil.ignore_patterns(".*")``) gives Essex the alias 'SYNTHETIC Force 00 Police',
   and its LSOA names are Essex districts' ('Basildon 001A'), so district counts exist; the
   other 42 forces' files are records only (kept with the version, counted into no series).
2. A server (the shipped ``gunicorn --config python:dashboard.gunicorn_conf -w 2``) serves the
   copy while ``pcp-dashboard import --published ... FILES`` runs (the product's own command,
   PCP_DATA_DIR at the copy): the import's seconds and peak memory (the largest resident set of
   its process tree, ``RUSAGE_CHILDREN`` of a wrapper process), then the seconds from the
   import's exit until every worker answers /healthz with the new version (workers named by
   the access log's pid), and the slowest /healthz answer meanwhile (a request waiting on a
   load would show here).
3. Disk: the new version's folder (its records separately) and the files imported.
4. A fresh server on the imported version: seconds from start to the first /healthz answer,
   RSS and PSS of each worker (``/proc/PID/smaps_rollup``) after start and after the callbacks.
5. Page callbacks (sequential, as a tab's filter changes send them, each answer naming what
   the tab shows): a force page, a district page and the comparison page: client and server
   (gunicorn's %(D)s) p50/p95.
Not measured here: Chromium filter-to-paint (bench_engine's harness against the bundled pages
did not finish within 15 minutes; see benchmarks/results/bench_national_records.txt).

The machine is shared: the 1-minute load average is printed beside every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_engine as engine  # noqa: E402
import synthetic  # noqa: E402

from dashboard.resources import GUNICORN_CONFIG, WSGI_APP  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
OWN_ALIAS = synthetic.police_uk_force(0)
#: The date given as the files' vintage (police.uk files carry none).
PUBLISHED = "2024-02-01"
LAST_MONTH = synthetic.POLICE_UK_MONTHS[-1]

#: (path, query) variants of each page, cycled by the callbacks.
PAGES = {
    "force": [
        ("/metric/policeuk-burglary", ""),
        ("/metric/policeuk-anti-social-behaviour", ""),
        ("/metric/policeuk-violence-and-sexual-offences", ""),
        ("/area/essex", ""),
    ],
    "district": [
        ("/area/basildon", ""),
        ("/area/southend", ""),
        ("/districts", f"?measure=policeuk-burglary&period={LAST_MONTH}&by=change"),
        ("/metric/policeuk-burglary", "?area=basildon"),
    ],
    "comparison": [
        ("/compare/pfa-violence-with-injury", ""),
        ("/compare/ho-special-constables-headcount", ""),
        ("/compare/ksi-casualties", ""),
    ],
}

#: Runs the command given and prints its peak resident memory (its process tree's largest).
PEAK_WRAPPER = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    with open(sys.argv[1], "w") as out:
        code = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.STDOUT).returncode
    print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
    """
)


def load() -> str:
    return engine.load_average()


def number(text: str) -> int:
    return int(float(text))


# --- The server, the shipped way -----------------------------------------------------------


class Server(engine.Server):
    """``python -m gunicorn --config python:dashboard.gunicorn_conf --workers 2`` (what
    ``pcp-dashboard serve`` runs without nginx), with an access log naming the worker's pid."""

    def __init__(self, env: dict, log: Path, cwd: Path):  # noqa: PLR0912 - one start
        self.log = log
        self.port = engine.free_port()
        command = [
            sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG,
            "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
            "--access-logfile", "-",
            "--access-logformat", "ACCESS %(p)s %(U)s %(q)s %(s)s %(D)s",
            WSGI_APP,
        ]  # fmt: skip
        start = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        self.health = json.loads(response.read())
                        break
            except OSError:
                pass
            if self.process.poll() is not None:
                sys.exit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.05)
        else:
            self.stop()
            sys.exit("gunicorn did not answer /healthz within 900 s")
        self.started_s = time.perf_counter() - start

    def workers(self) -> list[int]:
        """The two workers' pids (a worker is forked a moment after the first answers)."""
        for _ in range(100):
            found = super().workers()
            if len(found) >= 2:
                return found
            time.sleep(0.05)
        return found

    def pid_of(self) -> dict[str, int]:
        """probe number -> the worker pid that answered it (from the access log)."""
        found = {}
        for line in self.log.read_text(errors="replace").splitlines():
            match = re.match(r"ACCESS <(\d+)> /healthz probe=(\d+) ", line.strip())
            if match:
                found[match.group(2)] = int(match.group(1))
        return found


def server_env(data: Path, tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PCP_DEBUG", "GUNICORN_CMD_ARGS")}
    env.update(
        {"PCP_DATA_DIR": str(data), "PCP_CACHE_DIR": str(tmp / "cache"),
         "PYTHONPATH": str(REPO_ROOT)}
    )  # fmt: skip
    return env


def probe(server: Server, n: int) -> tuple[str, float, int]:
    """(probe number, seconds, observations) of one /healthz answer on a fresh connection."""
    start = time.perf_counter()
    _, payload, _ = engine.request(server.port, "GET", f"/healthz?probe={n}")
    took = time.perf_counter() - start
    try:
        observations = int(json.loads(payload).get("observations", -1))
    except ValueError:
        observations = -1
    return str(n), took, observations


def until_every_worker(server: Server, old: int, started: float, limit: float = 120) -> dict:
    """Ask /healthz four at a time until every worker has answered with a count other than
    ``old`` (the new version) and then never the old one again; seconds since ``started``."""
    workers = set(server.workers())
    answers: list[tuple[str, float, float, int]] = []  # probe, at, seconds, observations
    n = 0
    with ThreadPoolExecutor(4) as pool:
        while time.perf_counter() - started < limit:
            batch = list(pool.map(lambda i: probe(server, i), range(n, n + 4)))
            at = time.perf_counter() - started
            answers += [(p, at, s, o) for p, s, o in batch]
            n += 4
            pids = server.pid_of()
            new_at: dict[int, float] = {}
            for p, when, _, observations in answers:
                pid = pids.get(p)
                if pid is None:
                    continue
                if observations == old:
                    new_at.pop(pid, None)
                else:
                    new_at.setdefault(pid, when)
            if workers <= set(new_at) and at - max(new_at.values()) > 2:
                return {
                    "every_worker_s": max(new_at[w] for w in workers),
                    "slowest_healthz_ms": max(s for _, _, s, _ in answers) * 1000,
                    "probes": len(answers),
                    "new_observations": next(o for *_, o in reversed(answers)),
                }
            time.sleep(0.1)
    return {"every_worker_s": float("nan"), "probes": len(answers)}


# --- Steps -----------------------------------------------------------------------------------


def prepare_data(tmp: Path) -> tuple[Path, list[str]]:
    """A copy of data/ whose own force has the SYNTHETIC alias; its district names."""
    data = tmp / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns(".*"))
    areas = data / "areas.csv"
    text = areas.read_text(encoding="utf-8")
    head = "essex,Essex (force-wide),force,,Essex Police|"
    assert text.count(head) == 1, "areas.csv: the Essex force row has changed"
    areas.write_text(text.replace(head, head + OWN_ALIAS + "|"), encoding="utf-8")
    import pandas as pd

    table = pd.read_csv(areas, dtype=str, keep_default_na=False)
    return data, list(table.loc[table["area_type"] == "district", "name"])


def run_import(data: Path, files: list[Path], log: Path) -> dict:
    env = {**os.environ, "PCP_DATA_DIR": str(data)}
    command = [
        str(Path(sys.executable).with_name("pcp-dashboard")), "import",
        "--published", PUBLISHED, *map(str, files),
    ]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, str(log), *command],
        capture_output=True, text=True, env=env, timeout=7200,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"the import wrapper failed:\n{result.stderr[-3000:]}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    found["load"] = load()
    output = log.read_text(errors="replace")
    found["refused"] = "import refused" in output
    found["version"] = (re.findall(r"version (\w+) is live", output) or [None])[-1]
    found["records_kept"] = "records kept with version" in output
    found["tail"] = [line[:240] for line in output.splitlines()[-4:]]
    return found


def disk(folder: Path) -> dict[str, float]:
    found = {"records": 0.0, "other": 0.0}
    for path in folder.rglob("*"):
        if path.is_file():
            kind = "records" if "records" in path.relative_to(folder).parts[0] else "other"
            found[kind] += path.stat().st_size / 2**20
    found["total"] = found["records"] + found["other"]
    return found


def percentile(values: list[float], q: float) -> float:
    return engine.percentile(values, q)


def callbacks(server: Server, calls: int) -> dict:
    results = {}
    for name, variants in PAGES.items():
        client, statuses = [], set()
        _, payload, headers = engine.request(
            server.port, "POST", "/_dash-update-component", engine.visit_body(*variants[-1])
        )
        rendered = engine.rendered_of(payload, headers)
        for i in range(calls):
            path, query = variants[i % len(variants)]
            start = time.perf_counter()
            status, payload, headers = engine.request(
                server.port,
                "POST",
                f"/_dash-update-component?bench={name}",
                engine.change_body(path, query, rendered),
            )
            client.append((time.perf_counter() - start) * 1000)
            statuses.add(status)
            rendered = engine.rendered_of(payload, headers) or rendered
        results[name] = {"client": client, "statuses": sorted(statuses), "load": load()}
    time.sleep(0.5)
    times: dict[str, list[float]] = {}
    for line in server.log.read_text(errors="replace").splitlines():
        match = re.match(r"ACCESS <\d+> \S+ bench=(\w+) \d+ (\d+)$", line.strip())
        if match:
            times.setdefault(match.group(1), []).append(int(match.group(2)) / 1000)
    for name, found in results.items():
        found["server"] = times.get(name, [])
    return results


def measure(n: int, forces: int, calls: int, serve: bool, keep: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="pcp-bench-national-records-"))
    found: dict = {"n": n, "forces": forces, "months": len(synthetic.POLICE_UK_MONTHS)}
    try:
        data, districts = prepare_data(tmp)
        start = time.perf_counter()
        files = synthetic.write_police_uk(tmp / "in", n, districts, forces=forces)
        found["generate_s"] = time.perf_counter() - start
        found["files"] = len(files)
        found["csv_mib"] = sum(f.stat().st_size for f in files) / 2**20
        env = server_env(data, tmp)
        before = Server(env, tmp / "before.log", tmp) if serve else None
        try:
            if before is not None:
                before.wait_for_workers()
                found["before"] = {"healthz_s": before.started_s, "load": load()}
                old = int(before.health["observations"])
            found["import"] = run_import(data, files, tmp / "import.log")
            ended = time.perf_counter()
            if found["import"]["refused"] or found["import"]["code"] != 0:
                return found
            if before is not None:
                found["switch"] = until_every_worker(before, old, ended)
                found["switch"]["load"] = load()
        finally:
            if before is not None:
                before.stop()
        version = found["import"]["version"]
        found["disk_mib"] = disk(data / ".versions" / version)
        if not serve:
            return found
        server = Server(env, tmp / "after.log", tmp)
        try:
            found["cold"] = {"healthz_s": server.started_s, "load": load()}
            server.wait_for_workers()
            found["cold"]["workers"] = [engine.memory(pid) for pid in server.workers()]
            found["callbacks"] = callbacks(server, calls)
            found["served_workers"] = [engine.memory(pid) for pid in server.workers()]
            found["served_load"] = load()
        finally:
            server.stop()
        return found
    finally:
        if keep:
            print(f"  (kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def show(found: dict) -> None:
    print(
        f"SYNTHETIC police.uk records {found['n']:,}: {found['forces']} forces x "
        f"{found['months']} months, {found['files']:,} files, {found['csv_mib']:,.0f} MiB of CSV "
        f"(generated in {found['generate_s']:.1f} s)"
    )
    if "before" in found:
        print(
            f"  server on the copy before the import: start to /healthz "
            f"{found['before']['healthz_s']:.2f} s ({found['before']['load']})"
        )
    imp = found["import"]
    state = "REFUSED" if imp["refused"] or imp["code"] else f"version {imp['version']}"
    print(
        f"  pcp-dashboard import: {imp['seconds']:.1f} s, peak RSS {imp['peak_rss_mib']:.0f} MiB"
        f" ({imp['load']}); {state}; records kept: {'yes' if imp['records_kept'] else 'NO'}"
    )
    if imp["refused"] or imp["code"] or not imp["records_kept"]:
        for line in imp["tail"]:
            print(f"    | {line}")
    if "switch" in found:
        switch = found["switch"]
        print(
            f"  new version served by every worker {switch['every_worker_s']:.2f} s after the "
            f"import ended; slowest /healthz meanwhile "
            f"{switch.get('slowest_healthz_ms', float('nan')):.0f} ms over {switch['probes']} "
            f"probes ({switch['load']})"
        )
    if "disk_mib" in found:
        size = found["disk_mib"]
        print(
            f"  disk per version: {size['total']:,.1f} MiB (records {size['records']:,.1f}, "
            f"tables {size['other']:,.1f})"
        )
    if "cold" in found:
        cold = found["cold"]
        workers = "; ".join(f"RSS {r:.0f} / PSS {p:.0f} MiB" for r, p in cold["workers"])
        print(
            f"  cold start to /healthz (gunicorn -w 2): {cold['healthz_s']:.2f} s ({cold['load']})"
        )
        print(f"  per worker after start: {workers}")
    for name, res in found.get("callbacks", {}).items():
        client, server = res["client"], res["server"]
        first = len(PAGES[name])  # the first round asks for views no worker has computed
        print(
            f"  {name} page callback ({len(client)} asks): client p50 "
            f"{percentile(client, 50):.1f} / p95 {percentile(client, 95):.1f} ms, server p50 "
            f"{percentile(server, 50):.1f} / p95 {percentile(server, 95):.1f} ms; first round "
            f"(uncached) median {statistics.median(client[:first]):.0f} ms, repeats p95 "
            f"{percentile(client[first:], 95):.1f} ms; HTTP {res['statuses']} ({res['load']})"
        )
    if "served_workers" in found:
        workers = "; ".join(f"RSS {r:.0f} / PSS {p:.0f} MiB" for r, p in found["served_workers"])
        print(f"  per worker after the callbacks: {workers} ({found['served_load']})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=number, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--forces", type=int, default=synthetic.POLICE_UK_FORCES)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    for n in args.records:
        found = measure(n, args.forces, args.calls, not args.no_server, args.keep)
        show(found)
        sys.stdout.flush()
        results.append(found)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    began = time.perf_counter()
    code = main()
    print(f"(bench_national_records took {time.perf_counter() - began:.0f} s; SYNTHETIC, removed)")
    sys.exit(code)
