"""Issue 22's record benchmark: SYNTHETIC police.uk-format records kept as a version's records
(``dashboard.data.records.build``) and the record questions answered from them. Prints figures,
asserts nothing.

    .venv/bin/python benchmarks/bench_records.py [--records 100000 1000000] [--forces 1]
    .venv/bin/python benchmarks/bench_records.py --pages [--calls 50]

Every label is SYNTHETIC: force names, district and LSOA names, crime ids; the categories and
outcomes are police.uk's own labels (the vocabulary, not data). Files are written by code into a
temporary folder (one street-level CSV per force and month, 36 months), never under data/, and
removed at the end. Printed: build seconds and peak memory (a fresh process), disk, and the
p50/p95 of each record question over 50 asks, and of the pages' record question
(``views.records``: a district's month, categories and outcomes shaped for the page) computed
afresh each time.

``--pages``: the record callbacks on the bundled data (real police.uk records, data/records/):
a district profile's page callback (POST /_dash-update-component through Flask's test client,
the 14 districts in turn) with the crime mix and outcomes section, its first call on a fresh
app and again with the views kept, beside the same page from the same tables without records;
and ``views.records`` for every district and month, uncached.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

MARK = "SYNTHETIC"
MONTHS = [f"{2016 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
DISTRICTS = 14
CATEGORIES = [
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery",
    "Shoplifting", "Theft from the person", "Vehicle crime", "Violence and sexual offences",
]  # fmt: skip
OUTCOMES = [
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
    "Under investigation", "Awaiting court outcome", "Status update unavailable",
    "Offender given a caution", "Local resolution",
]  # fmt: skip
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def district_name(force: int, d: int) -> str:
    return f"{MARK} Force {force:02d} District {d:02d}"


def areas(forces: int) -> pd.DataFrame:
    rows = [
        {"area_id": f"synthetic-f{f:02d}-d{d:02d}", "name": district_name(f, d),
         "area_type": "district"}
        for f in range(forces) for d in range(DISTRICTS)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def write_files(folder: Path, n: int, forces: int, seed: int = 22) -> list[Path]:
    rng = np.random.default_rng(seed)
    per_file = max(1, n // (forces * len(MONTHS)))
    files = []
    for force in range(forces):
        falls = f"{MARK} Force {force:02d} Police"
        for month in MONTHS:
            k = per_file
            category = rng.integers(0, len(CATEGORIES), k)
            district = rng.integers(0, DISTRICTS, k)
            outcome = rng.integers(0, len(OUTCOMES), k)
            lsoa = rng.integers(1, 120, k)
            place = rng.random(k)  # 0.3 % outside, 0.4 % without an LSOA, as police.uk
            lines = [HEADER]
            for i in range(k):
                asb = category[i] == 0
                crime_id = "" if asb else f"{MARK.lower()}{force:02d}{month}{i:08d}"
                if place[i] < 0.004:
                    lsoa_name, code = "", ""
                elif place[i] < 0.007:
                    lsoa_name, code = f"{MARK} Elsewhere {lsoa[i]:03d}A", "E0SYNTH"
                else:
                    lsoa_name = f"{district_name(force, district[i])} {lsoa[i]:03d}A"
                    code = "E0SYNTH"
                lines.append(
                    f"{crime_id},{month},{falls},{falls},0.1,51.5,On or near {MARK} Street,"
                    f"{code},{lsoa_name},{CATEGORIES[category[i]]},"
                    f"{'' if asb else OUTCOMES[outcome[i]]},"
                )
            path = folder / f"{month}-synthetic-{force:02d}-street.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            files.append(path)
    return files


BUILD_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    import pandas as pd
    from dashboard.data.records import build, Limits
    files = [Path(p) for p in json.loads(Path(sys.argv[1]).read_text())]
    areas = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
    start = time.perf_counter()
    build(files, areas, Path(sys.argv[3]), Limits(records=10**8))
    print(json.dumps({"build_s": time.perf_counter() - start,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)


def ask(func, *args, times: int = 50) -> tuple[float, float]:
    took = []
    for _ in range(times):
        start = time.perf_counter()
        func(*args)
        took.append((time.perf_counter() - start) * 1000)
    took.sort()
    return statistics.median(took), took[int(0.95 * (len(took) - 1))]


def measure(n: int, forces: int = 1) -> dict:
    from dashboard.data.records import RecordStore

    with tempfile.TemporaryDirectory(prefix="pcp-bench-records-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        start = time.perf_counter()
        files = write_files(folder / "in", n, forces)
        generated = time.perf_counter() - start
        (folder / "files.json").write_text(json.dumps([str(f) for f in files]))
        areas(forces).to_csv(folder / "areas.csv", index=False)
        result = subprocess.run(
            [sys.executable, "-c", BUILD_SCRIPT, str(folder / "files.json"),
             str(folder / "areas.csv"), str(folder / "out")],
            capture_output=True, text=True, cwd=REPO_ROOT, timeout=3600,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        )  # fmt: skip
        if result.returncode != 0:
            sys.exit(f"building the records failed:\n{result.stderr[-3000:]}")
        found = json.loads(result.stdout.strip().splitlines()[-1])
        found.update(n=n, generated_s=generated, load=f"load {os.getloadavg()[0]:.1f}")
        found["csv_mib"] = sum(f.stat().st_size for f in files) / 2**20
        found["disk_mib"] = {p.name: p.stat().st_size / 2**20 for p in (folder / "out").iterdir()}
        start = time.perf_counter()
        store = RecordStore(folder / "out")
        found["open_ms"] = (time.perf_counter() - start) * 1000
        district, month = areas(forces)["area_id"].iloc[3], MONTHS[-1]
        found["rows"] = int(store.counts([])["n"].iloc[0])
        found["questions_ms"] = {
            "district categories": ask(store.district_categories, district, month),
            "district outcomes": ask(store.district_outcomes, district, month),
            "category across districts": ask(store.category_across_districts, "Robbery", month),
            "counts by month x category": ask(lambda: store.counts(["month", "crime_type"])),
        }
        found["questions_ms"]["page's district month (views.records, uncached)"] = ask(
            lambda: _view_answer(store, district, month)
        )
        return found


class _Uncached:
    """Just what views.records reads of a view model, with no cache: every call asks DuckDB."""

    def __init__(self, store, sources=None):
        import types

        tables = {"sources": sources} if sources is not None else {}
        self.dataset = types.SimpleNamespace(record_store=store, tables=tables)

    def cached(self, namespace, key, compute):
        return compute()


def _view_answer(store, district: str, month: str, vm=None):
    from dashboard.views.records import district_month

    return district_month(vm or _Uncached(store), district, district, month)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def pages(calls: int) -> None:
    """The record callbacks on the bundled data, with and without its records."""
    import shutil

    from dashboard.app import create_app
    from dashboard.data.model import load_dataset
    from dashboard.shell import page_request

    bundled = REPO_ROOT / "data"
    districts = [
        "basildon", "braintree", "brentwood", "castle-point", "chelmsford", "colchester",
        "epping-forest", "harlow", "maldon", "rochford", "southend", "tendring", "thurrock",
        "uttlesford",
    ]  # fmt: skip
    urls = [f"/area/{districts[i % 14]}" for i in range(calls)]
    print(f"record callbacks on the bundled data (load {os.getloadavg()[0]:.1f})")
    dataset = load_dataset(bundled).with_records(bundled / "records")
    store = dataset.record_store
    months = store.months()
    took = []
    for d in districts:
        for m in months:
            start = time.perf_counter()
            answer = _view_answer(store, d, m, _Uncached(store, dataset.tables["sources"]))
            took.append((time.perf_counter() - start) * 1000)
            assert answer is not None and answer.records > 0, (d, m)
    print(
        f"  views.records district month, uncached  n={len(took):3}  "
        f"p50 {percentile(took, 50):6.1f} ms  p95 {percentile(took, 95):6.1f} ms"
    )
    from dashboard.views.records import outcomes_across

    pairs = tuple((d, d) for d in districts)
    kinds = [k for k in store.counts(["crime_type"])["crime_type"] if k != "Anti-social behaviour"]
    took = []
    for kind in kinds:
        for m in months:
            vm = _Uncached(store, dataset.tables["sources"])
            start = time.perf_counter()
            assert outcomes_across(vm, kind, (m,), pairs) is not None, (kind, m)
            took.append((time.perf_counter() - start) * 1000)
    print(
        f"  views.records outcomes across districts, uncached  n={len(took):3}  "
        f"p50 {percentile(took, 50):6.1f} ms  p95 {percentile(took, 95):6.1f} ms"
    )
    with tempfile.TemporaryDirectory(prefix="pcp-bench-recpages-") as tmp:
        for label, ignore in (("with records", (".*", "published")),
                              ("without records", (".*", "published", "records"))):  # fmt: skip
            folder = Path(tmp) / label.replace(" ", "-")
            shutil.copytree(bundled, folder, ignore=shutil.ignore_patterns(*ignore))
            os.environ["PCP_DATA_DIR"] = str(folder)
            cold: list[float] = []
            client = None
            while len(cold) < calls:
                client = create_app().server.test_client()
                for url in list(dict.fromkeys(urls))[: calls - len(cold)]:
                    cold.append(_post(client, url, page_request))
            warm = [_post(client, url, page_request) for url in urls]
            for name, t in (("first call of each view", cold), ("views kept", warm)):
                print(
                    f"  district profile {label:16} {name:24} n={len(t):3}  "
                    f"p50 {percentile(t, 50):6.1f} ms  p95 {percentile(t, 95):6.1f} ms"
                )


def _post(client, url: str, page_request) -> float:
    body = json.dumps(page_request(url, "")).encode()
    start = time.perf_counter()
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    took = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return took


def show(found: dict) -> None:
    disk = ", ".join(f"{k} {v:.1f} MiB" for k, v in found["disk_mib"].items())
    print(f"SYNTHETIC police.uk records {found['rows']:,} (asked {found['n']:,})")
    print(
        f"  build (read CSV {found['csv_mib']:.0f} MiB, records + counts): "
        f"{found['build_s']:.2f} s, peak RSS {found['peak_rss_mib']:.0f} MiB ({found['load']})"
    )
    print(f"  disk: {disk}; open {found['open_ms']:.0f} ms")
    for name, (p50, p95) in found["questions_ms"].items():
        print(f"  {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--forces", type=int, default=1)
    parser.add_argument("--pages", action="store_true", help="the record callbacks instead")
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    if args.pages:
        pages(args.calls)
        return 0
    for n in args.records:
        show(measure(n, args.forces))
    return 0


if __name__ == "__main__":
    sys.exit(main())
