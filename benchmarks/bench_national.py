"""Issue 10's benchmark: the bundled data and a 10x SYNTHETIC version of it. Prints figures,
asserts nothing.

    .venv/bin/python benchmarks/bench_national.py [--calls 60] [--scale 10] [--json FILE]

For each dataset (the bundled data/, copied to a temporary folder; then the same folder grown
``--scale`` times by :func:`grow`: every observation of the national tables copied into
``--scale - 1`` made-up metrics whose labels, sources and sentences say SYNTHETIC, each value
multiplied by random noise, so there are ``--scale`` times as many observations, series and
revisions; nothing of it is under data/ or shown as real):

1. Load: ``load_dataset`` and the view model's preparation in a fresh process (seconds, peak
   resident memory), and the shipped command (``gunicorn -w 2 ... app:server``) start to
   /healthz.
2. Page callbacks as a filter change sends them, ``--calls`` each, p50/p95 of gunicorn's own
   request time: the overview, a priority page (priority 4: national series beside the
   quarterly ones), a metric page with a long national series (violence with injury: 52 points,
   XmR chart, every force's values), and the comparison page (Special Constables and violence
   with injury, cycling through periods). The first round asks for views no worker has seen.
3. Memory of each gunicorn worker (RSS and PSS from /proc/PID/smaps_rollup) after the renders.

It reuses benchmarks/bench_engine.py's server, request and memory helpers. The machine is
shared: the load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_engine as engine  # noqa: E402

from dashboard.resources import bundled_data_dir  # noqa: E402

MARK = "SYNTHETIC"
TABLES = ("metrics.csv", "observations.csv", "discontinuities.csv", "sources.csv")


def grow(folder: Path, scale: int, seed: int = 2026) -> dict:
    """Make the dataset in ``folder`` about ``scale`` times larger (see the module docstring).
    Returns counts before and after."""
    rng = np.random.default_rng(seed)
    read = {name: pd.read_csv(folder / name, dtype=str, keep_default_na=False) for name in TABLES}
    metrics, obs = read["metrics.csv"], read["observations.csv"]
    national = metrics[metrics["context"] == "national_statistics"]
    ids = set(national["metric_id"])
    rows = obs[obs["metric_id"].isin(ids)]
    before = len(obs)
    extra_metrics, extra_obs, extra_breaks, extra_sources = [], [], [], []
    breaks = read["discontinuities.csv"]
    for k in range(1, scale):
        suffix = f"-synthetic-{k:02d}"
        # One made-up source per source of the national rows, published on the same day, so a
        # value published by two editions stays a revision in the copy.
        sources = read["sources.csv"]
        used = sources[sources["source_id"].isin(set(rows["source_id"]))]
        for src in used.itertuples():
            extra_sources.append(
                {
                    "source_id": f"{src.source_id}{suffix}",
                    "title": f"{MARK} copy {k} of {src.title} (made up for a benchmark)",
                    "publisher": MARK,
                    "published": src.published,
                    "version": "",
                    "url": "",
                    "kind": src.kind,
                }
            )
        m = national.copy()
        m["metric_id"] = m["metric_id"] + suffix
        m["label"] = f"{MARK} {k}: " + m["label"]
        m["headline"] = "false"
        extra_metrics.append(m)
        # The national tables are 23,361 of the 23,462 bundled observations: copying them
        # scale - 1 times makes the whole about scale times larger.
        o = rows.copy()
        o["metric_id"] = o["metric_id"] + suffix
        noise = rng.normal(1.0, 0.05, len(o))
        o["value"] = np.round(o["value"].astype(float).to_numpy() * noise).astype(str)
        o["source_id"] = o["source_id"] + suffix
        o["source_sentence"] = f"{MARK}: a made-up value for the scale benchmark."
        o["source_file"] = ""
        o["source_location"] = ""
        extra_obs.append(o)
        b = breaks[breaks["metric_id"].isin(ids)].copy()
        b["metric_id"] = b["metric_id"] + suffix
        extra_breaks.append(b)
    # The other tables' rows (the quarterly updates) are a few hundred: the growth is national.
    pd.concat([metrics, *extra_metrics]).to_csv(folder / "metrics.csv", index=False)
    grown = pd.concat([obs, *extra_obs])
    grown.to_csv(folder / "observations.csv", index=False)
    pd.concat([breaks, *extra_breaks]).to_csv(folder / "discontinuities.csv", index=False)
    pd.concat([read["sources.csv"], pd.DataFrame(extra_sources)]).to_csv(
        folder / "sources.csv", index=False
    )
    return {"observations_before": before, "observations_after": len(grown)}


def pages() -> dict[str, list[tuple[str, str]]]:
    return {
        "overview": [("/", ""), ("/", "?quarter=2018-19-Q4"), ("/", "?area=south-lpa")],
        "priority 4": [
            ("/priority/4", ""),
            ("/priority/4", "?quarter=2018-19-Q4"),
            ("/priority/4", "?area=south-lpa"),
        ],
        "metric (VWI, 52 points)": [
            ("/metric/pfa-violence-with-injury", ""),
            ("/metric/pfa-violence-with-injury", "?quarter=2018-19-Q4"),
        ],
        "comparison": [
            ("/compare/ho-special-constables-headcount", "?period=2018-09-30"),
            ("/compare/ho-special-constables-headcount", "?period=2017-09-30"),
            ("/compare/pfa-violence-with-injury", "?period=12m-to-2018-12"),
            ("/compare/pfa-violence-with-injury", "?period=12m-to-2016-12"),
            ("/compare/pfa-violence-with-injury", "?period=12m-to-2014-12"),
        ],
    }


def render(server: engine.Server, calls: int) -> dict:
    results = {}
    for name, variants in pages().items():
        client = []
        key = name.replace(" ", "_").replace(",", "").replace("(", "").replace(")", "")
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
                f"/_dash-update-component?bench={key}",
                engine.change_body(path, query, rendered),
            )
            client.append((time.perf_counter() - start) * 1000)
            rendered = engine.rendered_of(payload, headers) or rendered
            if status not in (200, 204):
                print(f"   ! {name} {path}{query}: HTTP {status}")
        results[name] = {"client": client, "key": key, "load": engine.load_average()}
    time.sleep(0.5)
    times = engine.server_times(server.log)
    for found in results.values():
        found["server"] = times.get(found["key"], [])
    return results


def show(label: str, counts: dict, load: dict, server: engine.Server, found: dict) -> None:
    print(
        f"\n== {label}: {counts['observations_after']:,} observations "
        f"(the server says {server.health.get('observations', '?'):,})"
    )
    print(
        f"   load: {load['load_s']:.2f} s read+validate+model, {load['prepare_s']:.2f} s "
        f"view model prepared, peak {load['peak_rss_mib']:.0f} MiB (fresh process); "
        f"gunicorn -w 2 to /healthz {server.started_s:.2f} s ({found['start_load']})"
    )
    print("   page callback (server time, ms)      p50     p95     max   client p50")
    for name, r in found["callbacks"].items():
        s = r["server"] or [float("nan")]
        print(
            f"   {name:<34} {engine.percentile(s, 50):7.1f} {engine.percentile(s, 95):7.1f} "
            f"{max(s):7.1f}   {statistics.median(r['client']):7.1f}   ({r['load']})"
        )
    for i, (rss, pss) in enumerate(found["memory"], 1):
        print(f"   worker {i}: RSS {rss:.0f} MiB, PSS {pss:.0f} MiB (after the renders)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    git = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], capture_output=True, text=True, cwd=engine.REPO_ROOT
    ).stdout.strip()[:80]
    print(f"bench_national: {os.cpu_count()} CPUs, {engine.load_average()}, git {git}")
    everything = {}
    with tempfile.TemporaryDirectory(prefix="pcp-national-") as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(
            bundled_data_dir(),
            folder,
            # Not the store's versions: a server starts from the last version, not the flat files.
            ignore=shutil.ignore_patterns("published", "national", ".versions", ".history"),
        )
        for label, scale in (("bundled data", 1), (f"{args.scale}x SYNTHETIC", args.scale)):
            shutil.rmtree(folder / ".versions", ignore_errors=True)  # serve the files as grown
            if scale > 1:
                counts = grow(folder, scale)
            else:
                counts = {"observations_before": 0, "observations_after": 0}
                n = len(pd.read_csv(folder / "observations.csv", usecols=[0]))
                counts["observations_after"] = n
            csv_mb = sum(f.stat().st_size for f in folder.glob("*.csv")) / 1e6
            env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
            env.update(PCP_DATA_DIR=str(folder), PCP_MAX_FILE_MB=str(int(csv_mb) + 50))
            load = engine.measure_load(folder, env)
            found: dict = {"start_load": engine.load_average()}
            server = engine.Server(env, Path(tmp) / f"gunicorn-{scale}.log")
            try:
                server.wait_for_workers()
                found["callbacks"] = render(server, args.calls)
                found["memory"] = [engine.memory(pid) for pid in server.workers()]
            finally:
                server.stop()
            show(label, counts, load, server, found)
            everything[label] = {"counts": counts, "load": load, "start_s": server.started_s,
                                 **found}  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
