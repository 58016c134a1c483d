"""Filter-to-paint, engine against engine: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_paint.py [--sizes bundled,2e5] [--rounds 4]
        [--changes 4] [--before DIR] [--out benchmarks/results/bench_paint.txt]

Two contenders serve the same metric page from the same view models, each under the shipped
server command (``gunicorn -w 2``):

(a) ours: the dashboard as shipped (``app:server``): the page callback renders the URL, sends
    only what changed (``set_props``, dashboard/shell.py ``patch_from``), and assets/lazy.js
    draws the charts, which travel as JSON in HTML attributes;
(b) Dash's own: a comparison app built here, never shipped (:func:`comparison_server`): the
    same metric's charts as ``dcc.Graph`` components with targeted outputs (one callback, the
    area and quarter selects as inputs, each graph's ``figure`` and each summary's
    ``children`` as outputs), the figures computed from the same view models and chart
    payloads as the metric page (``vm.metric_view``, pages/common.py and pages/metric.py),
    kept per (area, quarter) as ours keeps them.

With ``--before DIR`` (a tree of an earlier commit: ``git archive COMMIT | tar -x -C DIR``),
ours as it was then is a third contender, served from DIR in the same rounds: before and after
are measured side by side, under the same load.

For each size (the bundled data/ copied to a temporary folder, and SYNTHETIC observations from
benchmarks/synthetic.py, never under data/), both servers start, each is visited once to warm
it, then ``--rounds`` rounds alternate the contenders (ab, ba, ab, ...); in each a contender gets
one cold visit (a new browser context: nothing cached) to the first painted chart, and then, in
one tab, ``--changes`` area changes and ``--changes`` quarter changes. Filter-to-paint runs from
the change event to two animation frames after the first chart's summary shows the new view
and (for changes that change the chart) a chart has been drawn again. Chromium is Debian's
(/usr/bin/chromium) through Playwright, 1366x768. The machine is shared: the 1-minute load
average is printed with every figure.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synthetic  # noqa: E402
from bench_engine import CHROMIUM, GUNICORN, free_port, load_average, percentile  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


# --- (b) Dash's own: the comparison app (never shipped) -----------------------------------------


def comparison_server() -> Any:
    """The comparison app's WSGI server: one metric page drawn by ``dcc.Graph``."""
    import dash_bootstrap_components as dbc
    from dash import Dash, Input, Output, dcc, html

    from dashboard.components.chart import graph_config
    from dashboard.data.model import load_dataset
    from dashboard.pages.common import _metric_payload
    from dashboard.pages.metric import _areas_chart, _xmr_payload
    from dashboard.views import views_of
    from dashboard.views.chart_kinds import kind_named

    vm = views_of(load_dataset(Path(os.environ["PCP_DATA_DIR"])))
    metric = vm.metric(os.environ["PAINT_METRIC"])
    metric_id = metric["metric_id"]
    bases = list(vm.metric_bases(metric_id))
    areas = json.loads(os.environ["PAINT_AREAS"])
    quarters = json.loads(os.environ["PAINT_QUARTERS"])

    @functools.lru_cache(maxsize=512)
    def figures(area: str, quarter: str) -> tuple:
        out: list[Any] = []
        for basis in bases:
            view = vm.metric_view(
                metric_id, area, quarter if basis == metric["basis"] else None, basis
            )
            drawn = bool(view.points) and kind_named(view.kind).drawn
            out.append(json.loads(_metric_payload(vm, view).figure) if drawn else {})
            out.append(view.summary)
            out.append(json.loads(_xmr_payload(vm, view).figure) if view.spc.judged else {})
        found = _areas_chart(vm, metric, quarter)
        out.append(json.loads(found[0].figure) if found else {})
        out.append(found[1] if found else "")
        return tuple(out)

    config = graph_config(metric_id)
    sections: list[Any] = []
    outputs = []
    for basis in bases:
        sections.append(
            html.Section(
                [
                    html.H2(f"On a {basis} basis"),
                    html.Figure(
                        [
                            dcc.Graph(id=f"chart-{basis}", config=config),
                            html.Figcaption(id=f"chart-{basis}-summary"),
                        ]
                    ),
                    dcc.Graph(id=f"xmr-{basis}", config=config),
                ]
            )
        )
        outputs += [
            Output(f"chart-{basis}", "figure"),
            Output(f"chart-{basis}-summary", "children"),
            Output(f"xmr-{basis}", "figure"),
        ]
    sections.append(
        html.Figure([dcc.Graph(id="chart-areas", config=config), html.Figcaption(id="areas-s")])
    )
    outputs += [Output("chart-areas", "figure"), Output("areas-s", "children")]

    def select(name: str, values: list[str], value: str) -> Any:
        return html.Label(
            [
                name.title(),
                dbc.Select(
                    id={"type": "filter", "name": name},
                    options=[{"label": v, "value": v} for v in values],
                    value=value,
                ),
            ]
        )

    # An assets folder that does not exist: none of the dashboard's own scripts or styles.
    assets = str(HERE / "no-such-assets-folder")
    app = Dash(__name__, assets_folder=assets, external_stylesheets=[dbc.themes.BOOTSTRAP])
    app.layout = html.Main(
        [
            html.H1(metric["label"]),
            select("quarter", quarters, quarters[-1]),
            select("area", areas, areas[-1]),
            html.Div(sections, id="page-body"),
        ],
        id="main",
    )

    @app.callback(
        *outputs,
        Input({"type": "filter", "name": "area"}, "value"),
        Input({"type": "filter", "name": "quarter"}, "value"),
    )
    def render(area: str, quarter: str) -> tuple:
        return figures(area, quarter)

    # Dash finishes its setup (which scripts it serves) on a process's first request: without
    # one here, a worker asked for a script before any page answers 500 (as the app does).
    app.server.test_client().get("/")
    return app.server


# --- The server's part: render and patch, in-process -----------------------------------------

#: The page callback's own work for a filter change (``render_page`` and ``patch_from``, the
#: answer's set_props dropped), in a fresh process on one tree: ms, median of the first round
#: (each view new to the worker) and of four more (views and patches seen before).
SERVER_SCRIPT = """
import json, statistics, sys, time
from pathlib import Path
from dashboard.data.model import load_dataset
from dashboard.data.store import DatasetStore
import dashboard.shell as sh

class Store(DatasetStore):
    def __init__(self, dataset):
        self._dataset, self.last_problems, self.unpublished = dataset, [], False
    def get(self):
        return self._dataset

data, path, values = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
store = Store(load_dataset(Path(data)))
sh.set_props = lambda i, p: None
shown = sh.render_page(store, path, "").view
first, later = [], []
for r in range(5):
    for v in values:
        t = time.perf_counter()
        update = sh.render_page(store, path, v)
        sh.patch_from(store, shown, update)
        (first if r == 0 else later).append((time.perf_counter() - t) * 1000)
        shown = update.view
later.sort()
print(json.dumps([statistics.median(first), statistics.median(later), later[int(0.95 * (len(later) - 1))]]))
"""


def server_part(tree: Path, data: Path, path: str, values: list[str]) -> list[float]:
    env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
    env.update(PYTHONPATH=str(tree), PCP_MAX_FILE_MB="500")
    found = subprocess.run(
        [sys.executable, "-c", SERVER_SCRIPT, str(data), path, json.dumps(values)],
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
        timeout=900,
    )
    if found.returncode != 0:
        sys.exit(f"the server part failed in {tree}:\n{found.stderr[-3000:]}")
    return json.loads(found.stdout.strip().splitlines()[-1])


# --- The servers -------------------------------------------------------------------------------


class Contender:
    """``gunicorn -w 2`` on a free port serving ``app`` (a WSGI app path) for one dataset."""

    def __init__(self, name: str, app: str, env: dict, log: Path, root: Path = REPO_ROOT):
        self.name = name
        self.port = free_port()
        command = [str(GUNICORN), "-w", "2", "-b", f"127.0.0.1:{self.port}"]
        command += ["--no-control-socket", "--timeout", "300", "--pythonpath", str(HERE), app]
        env = {**env, "PYTHONPATH": str(root)}
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.log = log
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if self.process.poll() is not None:
                sys.exit(f"{name} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        else:
            self.stop()
            sys.exit(f"{name} did not answer within 600 s")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- The browser -------------------------------------------------------------------------------

#: Selector of a drawn chart (a Plotly trace: an empty dcc.Graph has axes but no trace).
DRAWN = "#page-body .js-plotly-plot .main-svg g.trace"

#: Resolves after navigation with ms from navigation start to two frames after the first
#: chart with a trace exists (-1: none within 60 s).
FIRST_CHART = """async (drawn) => {
    const found = await new Promise(resolve => {
        const look = () => document.querySelector(drawn)
            ? requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))
            : performance.now() > 60000 ? resolve(false) : requestAnimationFrame(look);
        look();
    });
    return found ? performance.now() : -1;
}"""

#: Change a filter as a person does; resolve with the ms until two frames after the first
#: chart summary's text changed and (``chart``) a chart has been drawn again since the change.
#: -1 when that has not happened within 10 s.
CHANGE_TO_PAINT = """async ([name, value, chart]) => {
    const select = document.getElementById(JSON.stringify({name: name, type: "filter"}));
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
    const summary = () => (document.querySelector('#page-body figcaption') || {}).textContent;
    const before = summary();
    const graphs = new Set(document.querySelectorAll('.js-plotly-plot'));
    let redrawn = false;
    graphs.forEach(gd => gd.on && gd.on('plotly_afterplot', () => { redrawn = true; }));
    const charted = () => !chart || redrawn || [...document.querySelectorAll('.js-plotly-plot')]
        .some(gd => !graphs.has(gd) && gd.querySelector('g.trace'));
    const start = performance.now();
    setter.call(select, value);
    select.dispatchEvent(new Event("change", {bubbles: true}));
    const done = await new Promise(resolve => {
        const look = () => {
            if (summary() !== before && charted()) {
                requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
            } else if (performance.now() - start > 10000) {
                resolve(false);
            } else {
                requestAnimationFrame(look);
            }
        };
        look();
    });
    return done ? performance.now() - start : -1;
}"""


def workload(size: str, data: Path) -> dict:
    """The metric page and the filter values each contender is asked for at this size."""
    if size == "bundled":
        # A police.uk series: 15 areas (14 districts and the force), months, an XmR chart.
        return {
            "metric": "policeuk-burglary",
            "areas": ["basildon", "chelmsford", "essex"],  # the page opens on the force
            "quarters": ["2018-19-Q4", "2017-18-Q3", "2019-20-Q4"],  # opens on the latest
            # A monthly series: another quarter changes the summary, not the chart.
            "quarter_redraws": False,
        }
    return {
        "metric": "special-constable-headcount",  # quarterly, every local area, SPC
        "areas": ["south-lpa", "north-lpa", "essex"],
        "quarters": [q.label for q in synthetic.QUARTERS[-3:]],
        "quarter_redraws": True,
    }


def run_size(
    size: str,
    data: Path,
    rounds: int,
    changes: int,
    tmp: Path,
    out: list[str],
    before: Path | None = None,
) -> None:
    from playwright.sync_api import sync_playwright

    work = workload(size, data)
    csv_mb = sum(f.stat().st_size for f in data.glob("*.csv")) / 1e6
    env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
    env.update(
        PCP_DATA_DIR=str(data),
        PCP_MAX_FILE_MB=str(int(csv_mb) + 50),
        PAINT_METRIC=work["metric"],
        PAINT_AREAS=json.dumps(work["areas"]),
        PAINT_QUARTERS=json.dumps(work["quarters"]),
    )
    path = f"/metric/{work['metric']}"
    contenders = {
        "ours": (Contender("ours", "app:server", env, tmp / f"ours-{size}.log"), path),
        **(
            {
                "before": (
                    Contender("before", "app:server", env, tmp / f"before-{size}.log", before),
                    path,
                )
            }
            if before
            else {}
        ),
        "dash": (
            Contender("dash", "bench_paint:comparison_server()", env, tmp / f"dash-{size}.log"),
            "/",
        ),
    }
    figures: dict[str, dict[str, list[float]]] = {
        name: {"first": [], "area": [], "quarter": [], "missed": [], "dom": []}
        for name in contenders
    }
    loads: dict[str, dict[str, list[str]]] = {
        name: {"first": [], "area": [], "quarter": []} for name in contenders
    }
    viewport = {"width": 1366, "height": 768}
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )

            def visit(server: Contender, page_path: str) -> tuple[Any, Any, float]:
                context = chromium.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(server.base + page_path, wait_until="commit", timeout=600_000)
                ms = page.evaluate(FIRST_CHART, DRAWN)
                return context, page, ms

            for server, page_path in contenders.values():  # warm each server once
                context, page, _ = visit(server, page_path)
                page.wait_for_load_state("networkidle", timeout=600_000)
                context.close()
            for r in range(rounds):
                names = list(contenders)  # each goes first in turn
                order = names[r % len(names) :] + names[: r % len(names)]
                for name in order:
                    server, page_path = contenders[name]
                    context, page, ms = visit(server, page_path)
                    if ms < 0:
                        figures[name]["missed"].append(1)
                        context.close()
                        continue
                    figures[name]["first"].append(ms)
                    figures[name]["dom"].append(
                        page.evaluate("() => document.getElementsByTagName('*').length")
                    )
                    loads[name]["first"].append(load_average())
                    page.wait_for_load_state("networkidle", timeout=600_000)
                    page.wait_for_timeout(300)
                    for kind, values, chart in (
                        ("area", work["areas"], True),
                        ("quarter", work["quarters"], work["quarter_redraws"]),
                    ):
                        for i in range(changes):
                            value = values[i % len(values)]
                            ms = page.evaluate(CHANGE_TO_PAINT, [kind, value, chart])
                            if ms < 0:
                                figures[name]["missed"].append(1)
                            else:
                                figures[name][kind].append(ms)
                            page.wait_for_load_state("networkidle", timeout=600_000)
                            page.wait_for_timeout(150)
                        loads[name][kind].append(load_average())
                        # back where the page opened, so the next round starts the same way
                        if len(values) and changes % len(values):
                            page.evaluate(CHANGE_TO_PAINT, [kind, values[-1], False])
                            page.wait_for_load_state("networkidle", timeout=600_000)
                    context.close()
            chromium.close()
    finally:
        for server, _ in contenders.values():
            server.stop()
    for name in contenders:
        f, ld = figures[name], loads[name]
        label = {
            "ours": "(a) ours: patch + set_props + lazy.js",
            "before": f"(a0) ours before, from {before}",
            "dash": "(b) Dash's own: dcc.Graph, targeted outputs",
        }
        out.append(f"   {label[name]}  [{path if name != 'dash' else '/'}]")
        for kind, words in (
            ("first", "cold visit to first chart"),
            ("area", "filter-to-paint, area"),
            ("quarter", "filter-to-paint, quarter"),
        ):
            values = f[kind]
            dom = f" DOM {percentile(f['dom'], 50):,.0f} elements" if kind == "first" else ""
            out.append(
                f"     {words:<28} p50 {percentile(values, 50):7.0f} p95 "
                f"{percentile(values, 95):7.0f} ms (n={len(values)}){dom}  [{', '.join(ld[kind])}]"
            )
        if f["missed"]:
            out.append(f"     {len(f['missed'])} visits or changes not painted in time (left out)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="bundled,2e5")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--changes", type=int, default=4, help="per kind, round and contender")
    parser.add_argument("--before", type=Path, help="a tree of an earlier commit to compare")
    parser.add_argument("--out", type=Path, help="also write the output here")
    parser.add_argument(
        "--server-only", action="store_true", help="only the server's part (no browser)"
    )
    args = parser.parse_args()
    head = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], capture_output=True, text=True, cwd=REPO_ROOT
    ).stdout.strip()[:80]
    out = [f"bench_paint: {os.cpu_count()} CPUs, {load_average()}, git {head}"]
    print(out[0], flush=True)
    with tempfile.TemporaryDirectory(prefix="pcp-paint-") as name:
        tmp = Path(name)
        for size in args.sizes.split(","):
            folder = tmp / f"data-{size}"
            if size == "bundled":
                shutil.copytree(REPO_ROOT / "data", folder, ignore=shutil.ignore_patterns(".*"))
                found = sum(1 for _ in (folder / "observations.csv").open()) - 1
                title = f"bundled data/: {found:,} observations"
            else:
                shape = synthetic.write_dataset(folder, int(float(size)))
                title = f"{int(float(size)):,} requested: {shape.describe()}"
            start = len(out)
            out.append(f"\n== {title}")
            work = workload(size, folder)
            queries = [f"?area={a}" for a in work["areas"]]
            for name, tree in (("ours", REPO_ROOT), ("before", args.before)):
                if tree is None:
                    continue
                first, later, p95 = server_part(tree, folder, f"/metric/{work['metric']}", queries)
                out.append(
                    f"   server, {name:<6} area change on the metric page (render + patch): "
                    f"first {first:5.1f} ms, again p50 {later:5.2f} p95 {p95:5.2f} ms  "
                    f"[{load_average()}]"
                )
            if not args.server_only:
                run_size(size, folder, args.rounds, args.changes, tmp, out, args.before)
            print("\n".join(out[start:]), flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    if args.out:
        args.out.write_text("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
