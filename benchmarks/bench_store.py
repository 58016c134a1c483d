"""Issue 22's store benchmark: what a version costs to make, to keep and to start from. Prints
figures, asserts nothing.

    .venv/bin/python benchmarks/bench_store.py [--sizes 100000 1000000] [--records 100000 ...]
                                               [--no-server] [--profile] [--json FILE]

SYNTHETIC data only: each size's dataset is written by ``synthetic.write_dataset`` (every label
says SYNTHETIC) into a temporary folder, never under data/, removed at the end. For each size:

1. Import: the first version of the folder made by the product's own store (``VersionStore.sync``
   under its lock, as ``pcp-dashboard publish`` does: validate once, write the version folder
   and its manifest), in a fresh process: seconds and peak resident memory.
2. Disk: the version folder's bytes, by kind of file (CSV, Parquet, records).
3. Worker cold load: a fresh process that imports the package and asks a ``DatasetStore`` for
   the live version (what a gunicorn worker does at start): seconds to import, seconds to a
   loaded ``Dataset``, peak resident memory.
4. The server (unless ``--no-server``): the shipped command (``gunicorn -w 2``) started on the
   folder, seconds to the first ``/healthz`` answer, then RSS and PSS of each worker
   (``--preload``: with gunicorn's ``--preload``, the app and its dataset loaded once in the
   master and shared by the forked workers).

``--records N``: police.uk-format SYNTHETIC records (``synthetic_records``) for each N, turned
into a version's records and aggregates (``dashboard.data.records``): seconds, peak memory,
disk, and query times of the record questions (issue 22, step 3).

The machine is shared: the load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_engine as engine  # noqa: E402
import synthetic  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent

IMPORT_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from dashboard.config import Settings, install
    from dashboard.data.versions import VersionStore
    import dashboard.views.model  # as the commands do: versions made here store the view frames
    install(Settings.from_env())  # an entry point: the limits of LIMITS below
    store = VersionStore(Path(sys.argv[1]))
    start = time.perf_counter()
    with store.lock(60, action="benchmark"):
        result = store.sync(publish=True)
    took = time.perf_counter() - start
    if result.problems:
        sys.exit("\\n".join(str(p) for p in result.problems[:10]))
    print(json.dumps({"version": result.current, "import_s": took,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)

COLD_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    start = time.perf_counter()
    from dashboard.config import Settings, install
    from dashboard.data.store import DatasetStore
    install(Settings.from_env())
    imported = time.perf_counter()
    store = DatasetStore(Path(sys.argv[1]))
    dataset = store.get()
    loaded = time.perf_counter()
    assert dataset is not None, store.last_problems[:5]
    print(json.dumps({"import_s": imported - start, "load_s": loaded - imported,
        "observations": int(len(dataset.observations)),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)

#: What a preloaded gunicorn master does before it forks (``--profile``): import the package,
#: then ``create_app`` under cProfile; the dashboard's own functions by cumulative time.
PROFILE_SCRIPT = textwrap.dedent(
    """
    import cProfile, io, json, pstats, sys, time
    start = time.perf_counter()
    from dashboard.config import Settings
    from dashboard.app import create_app
    imported = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    create_app(Settings.from_env())
    profile.disable()
    done = time.perf_counter()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(r"dashboard/(?!app\\.py)", 18)
    lines = [l for l in out.getvalue().splitlines() if "dashboard/" in l]
    print(json.dumps({"import_s": imported - start, "create_app_s": done - imported,
        "top": lines}))
    """
)


#: The file-size limit is for real files; the synthetic tables of 10^6 rows are larger.
LIMITS = {"PCP_MAX_FILE_MB": "2000", "PCP_MAX_ROWS": "20000000"}


def run_json(script: str, *args: str, env: dict | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **LIMITS, **(env or {})},
        timeout=3600,
    )
    if result.returncode != 0:
        sys.exit(f"benchmark step failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def disk(folder: Path) -> dict[str, float]:
    """MiB of a version folder by kind: csv, parquet, other (manifest, records index)."""
    kinds: dict[str, float] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            kind = path.suffix.lstrip(".") or "other"
            kinds[kind] = kinds.get(kind, 0.0) + path.stat().st_size / 2**20
    kinds["total"] = sum(kinds.values())
    return kinds


def observations(n: int, server: bool, preload: bool = False, profile: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="pcp-bench-store-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        shape = synthetic.write_dataset(data, n)
        found: dict = {"n": n, "observations": shape.observations}
        found["import"] = run_json(IMPORT_SCRIPT, str(data))
        found["import"]["load"] = engine.load_average()
        version = found["import"]["version"]
        found["disk_mib"] = disk(data / ".versions" / version)
        found["cold"] = run_json(COLD_SCRIPT, str(data))
        found["cold"]["load"] = engine.load_average()
        if profile:
            found["profile"] = run_json(
                PROFILE_SCRIPT, env={"PCP_DATA_DIR": str(data), "PCP_CACHE_DIR": str(tmp)}
            )
            found["profile"]["load"] = engine.load_average()
        if server:
            env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
            env.update(
                {
                    "PCP_DATA_DIR": str(data),
                    "PCP_CACHE_DIR": str(Path(tmp) / "cache"),
                    "PYTHONPATH": str(REPO_ROOT),
                    **LIMITS,
                }
            )
            if preload:  # gunicorn reads extra flags from this variable
                env["GUNICORN_CMD_ARGS"] = "--preload"
            running = engine.Server(env, Path(tmp) / "gunicorn.log")
            try:
                found["healthz_s"] = running.started_s
                running.wait_for_workers()
                found["workers"] = [engine.memory(pid) for pid in running.workers()]
                found["server_load"] = engine.load_average()
                found["served"] = serve_pages(running, shape)
                found["workers_served"] = [engine.memory(pid) for pid in running.workers()]
            finally:
                running.stop()
        return found


def serve_pages(running: engine.Server, shape: synthetic.Shape) -> dict:
    """Every page variant of bench_engine visited twice (both workers serve some): the first
    answer's milliseconds (a worker's first page after start), then memory after serving."""
    times = []
    for _ in range(2):
        for variants in engine.pages(shape).values():
            for path, query in variants:
                start = time.perf_counter()
                status, _, _ = engine.request(
                    running.port, "POST", "/_dash-update-component", engine.visit_body(path, query)
                )
                times.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    sys.exit(f"{path}{query}: HTTP {status}")
    return {"first_ms": times[0], "p50_ms": sorted(times)[len(times) // 2], "n": len(times)}


def show(found: dict) -> None:
    imp, cold, size = found["import"], found["cold"], found["disk_mib"]
    print(f"SYNTHETIC observations {found['observations']:,} (asked {found['n']:,})")
    print(
        f"  import (validate + write version): {imp['import_s']:.2f} s, "
        f"peak RSS {imp['peak_rss_mib']:.0f} MiB ({imp['load']})"
    )
    kinds = ", ".join(f"{k} {v:.1f}" for k, v in sorted(size.items()) if k != "total")
    print(f"  disk per version: {size['total']:.1f} MiB ({kinds})")
    print(
        f"  worker cold load: import {cold['import_s']:.2f} s + dataset {cold['load_s']:.2f} s, "
        f"peak RSS {cold['peak_rss_mib']:.0f} MiB ({cold['load']})"
    )
    if "profile" in found:
        prof = found["profile"]
        print(
            f"  profile: import {prof['import_s']:.2f} s, create_app {prof['create_app_s']:.2f} s"
            f" ({prof['load']}); cumulative, the dashboard's own functions:"
        )
        for line in prof["top"]:
            fields = line.split()
            if len(fields) == 6 and fields[3].replace(".", "").isdigit():
                where = fields[5].replace(str(REPO_ROOT) + "/", "")
                print(f"    {float(fields[3]):6.3f} s  {where}")
    if "healthz_s" in found:
        workers = "; ".join(f"RSS {r:.0f} / PSS {p:.0f} MiB" for r, p in found["workers"])
        print(
            f"  gunicorn -w 2 start to /healthz: {found['healthz_s']:.2f} s ({found['server_load']})"
        )
        print(f"  per worker after start: {workers}")
    if "served" in found:
        served = found["served"]
        workers = "; ".join(f"RSS {r:.0f} / PSS {p:.0f} MiB" for r, p in found["workers_served"])
        print(
            f"  {served['n']} page visits: first {served['first_ms']:.0f} ms, "
            f"p50 {served['p50_ms']:.0f} ms; per worker after serving: {workers}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--records", type=int, nargs="*", default=[])
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument(
        "--preload", action="store_true", help="gunicorn --preload: the app loaded once, forked"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile of create_app (what the master does)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict = {"observations": [], "records": []}
    for n in args.sizes:
        found = observations(n, not args.no_server, args.preload, args.profile)
        show(found)
        results["observations"].append(found)
    for n in args.records:
        import bench_records  # noqa: PLC0415 - only when asked (step 3)

        found = bench_records.measure(n, max(1, n // 1_000_000))
        bench_records.show(found)
        results["records"].append(found)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    print(f"(bench_store took {time.perf_counter() - start:.0f} s; SYNTHETIC data, removed)")
    sys.exit(code)
