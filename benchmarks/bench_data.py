"""Data-layer benchmark: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_data.py [--rows 1000000] [--repeat 5]

1. Load time of the bundled dataset (validate + build the model + derived views), median of N.
2. A synthetic observations table of ``--rows`` rows, generated here in a temporary folder
   (never under data/, never shipped), checked three ways:
   - the whole pipeline from CSV (read, clean, canonicalise, schema, keys, links) as
     `pcp-dashboard validate` runs it;
   - the pandera schema alone on the already-typed frame;
   - peak memory: tracemalloc's peak during the pipeline (Python allocations, run separately
     because tracing slows it down) and the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.config import BUNDLED_DATA  # noqa: E402
from dashboard.data.errors import errors_only  # noqa: E402
from dashboard.data.model import load_dataset  # noqa: E402
from dashboard.data.periods import Quarter  # noqa: E402
from dashboard.data.schema import OBSERVATIONS, TABLES  # noqa: E402
from dashboard.data.validate import strip_helpers, validate_folder  # noqa: E402

CATALOGUE = ("priorities.csv", "objectives.csv", "areas.csv", "sources.csv", "metrics.csv")


def load_bundled(repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        dataset = load_dataset(BUNDLED_DATA)
        _ = dataset.current, dataset.revisions, dataset.quarters
        times.append(time.perf_counter() - start)
    return times


def synthetic_dataset(folder: Path, rows: int) -> int:
    """Bundled catalogue + synthetic towns + `rows` count observations (unique keys)."""
    for name in CATALOGUE:
        shutil.copy2(BUNDLED_DATA / name, folder / name)
    metrics = pd.read_csv(folder / "metrics.csv", dtype=str, keep_default_na=False)
    counts = metrics[
        (metrics["unit"] == "count") & metrics["basis"].isin(["quarter_count", "quarter_end"])
    ]
    metric_ids = counts["metric_id"].to_numpy()
    basis_of = dict(zip(counts["metric_id"], counts["basis"], strict=True))
    quarters = [Quarter(2000, 1).shift(i).label for i in range(40)]
    per_area = len(metric_ids) * len(quarters)
    n_areas = -(-rows // per_area)
    towns = pd.DataFrame(
        {
            "area_id": [f"synthetic-town-{i}" for i in range(n_areas)],
            "name": [f"Synthetic town {i}" for i in range(n_areas)],
            "area_type": "town",
            "parent_id": "essex",
            "aliases": "",
            "parent_evidence": "",
        }
    )
    towns.to_csv(folder / "areas.csv", mode="a", header=False, index=False)
    index = np.arange(rows)
    metric = metric_ids[index % len(metric_ids)]
    quarter = np.asarray(quarters)[(index // len(metric_ids)) % len(quarters)]
    area = towns["area_id"].to_numpy()[index // per_area]
    rng = np.random.default_rng(2020)
    source = pd.read_csv(folder / "sources.csv", dtype=str)["source_id"].iloc[0]
    frame = pd.DataFrame(
        {
            "metric_id": metric,
            "area_id": area,
            "basis": pd.Series(metric).map(basis_of).to_numpy(),
            "period": quarter,
            "value": rng.integers(0, 5000, rows),
            "status": "final",
            "source_id": source,
            "source_sentence": "A synthetic sentence, generated for the benchmark.",
            "note": "",
        }
    )
    frame.to_csv(folder / "observations.csv", index=False)
    return n_areas


def measure_pipeline(folder: Path) -> tuple[float, dict, int]:
    start = time.perf_counter()
    frames, problems = validate_folder(folder)
    elapsed = time.perf_counter() - start
    errors = errors_only(problems)
    if errors:
        print(f"  !! synthetic data reported {len(errors)} errors; first: {errors[0]}")
    return elapsed, frames, len(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    times = load_bundled(args.repeat)
    bundled = load_dataset(BUNDLED_DATA)
    print(f"Bundled data ({BUNDLED_DATA}): {len(bundled.table('observations'))} observations")
    print(
        f"  load + validate + model, median of {args.repeat}: {statistics.median(times) * 1000:,.0f} ms"
        f" (min {min(times) * 1000:,.0f} ms, max {max(times) * 1000:,.0f} ms)"
    )

    with tempfile.TemporaryDirectory(prefix="pcp-bench-") as temp:
        folder = Path(temp)
        start = time.perf_counter()
        n_areas = synthetic_dataset(folder, args.rows)
        size = (folder / "observations.csv").stat().st_size
        print(
            f"Synthetic table: {args.rows:,} observations ({n_areas:,} synthetic areas), "
            f"{size / 1e6:,.0f} MB of CSV, generated in {time.perf_counter() - start:,.1f} s"
        )

        os.environ["PCP_MAX_FILE_MB"] = str(size / 1024 / 1024 + 10)  # the limit is for real files

        elapsed, frames, n_problems = measure_pipeline(folder)
        print(f"  whole pipeline from CSV (validate_folder): {elapsed:,.2f} s")

        typed = strip_helpers(frames["observations"], TABLES["observations"])
        del frames
        start = time.perf_counter()
        OBSERVATIONS.validate(typed, lazy=True)
        print(f"  pandera schema alone on the typed frame:   {time.perf_counter() - start:,.2f} s")
        del typed

        tracemalloc.start()
        measure_pipeline(folder)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak traced Python memory during the pipeline: {peak / 1e6:,.0f} MB")
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  process maximum resident set size: {maxrss_kb / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
