"""Engine benchmark at growing sizes of SYNTHETIC data: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_engine.py [--sizes 1e3,1e4,1e5,2e5,1e6] [--calls 60]
        [--browser-size 2e5] [--changes 12] [--visits 4] [--profile] [--wrk-seconds 10]
        [--clients 20] [--json results.json]

For each size a dataset of made-up values (benchmarks/synthetic.py: every title and sentence
says SYNTHETIC) is written to a temporary folder, never under data/, and then:

1. Load: in a fresh Python process, ``load_dataset`` (read, validate, build the model) and the
   engine's preparation (``views_of(dataset).prepare()`` when it exists: what a worker computes
   once per dataset version), and the process's peak resident memory. Then the shipped command
   (``gunicorn -w 2 ... app:server``) is started on the folder: time from start to /healthz.
2. Page callbacks, sequential, ``--calls`` each, as a filter change sends them (the filter bar
   kept): the overview, a priority page (priority 1, the most metrics), a metric page with SPC
   (a quarterly metric with every area), an area page, and the comparison page (issue 10) when
   the page table has one, else a metric page with every police force area (the comparison-like
   view). Each cycles through quarters and areas, so the first round asks for views no worker
   has seen. Server time is gunicorn's own (%(D)s). The answer's size as gzip sends it
   (``Accept-Encoding: gzip``), for a filter change and for a first visit (with the filter bar).
3. Throughput of the page callback (the mix of the five pages) under ``wrk`` (``--clients``
   connections, 2 threads, ``--wrk-seconds``) when wrk is installed (Debian: ``apt-get install
   wrk``), else a bounded threaded client.
4. Memory of each gunicorn worker (RSS and PSS from /proc/PID/smaps_rollup) after 2 and 3.
5. At ``--browser-size`` only (Debian's Chromium through Playwright, 1366x768): cold first visit
   to the first painted chart (a new browser context each time: nothing cached), the DOM
   element count then, JavaScript bytes on the wire; filter-to-paint (from the change event to
   the frame that paints the new chart: two animation frames after a chart of the new view is
   drawn) on the metric, priority and overview pages; with ``--profile``, where one filter change
   spends its time: a Chromium CPU profile (self time by script and by function) and a
   performance trace (main-thread time by kind of work: script, style, layout, paint).

The machine is shared: the 1-minute load average is printed beside every run.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synthetic  # noqa: E402

from dashboard.shell import page_request  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
CHROMIUM = "/usr/bin/chromium"
METRIC = "special-constable-headcount"  # quarterly, headline, first of priority 1: every area
NATIONAL = "synthetic-national-01"
LATEST = synthetic.QUARTERS[-1].label


def load_average() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# --- 1. Load -------------------------------------------------------------------------------

LOAD_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    start = time.perf_counter()
    from dashboard.data.model import load_dataset
    from dashboard.views import views_of
    imported = time.perf_counter()
    dataset = load_dataset(Path(sys.argv[1]))
    loaded = time.perf_counter()
    vm = views_of(dataset)
    prepare = getattr(vm, "prepare", None)
    if prepare is not None:
        prepare()
    prepared = time.perf_counter()
    print(json.dumps({
        "import_s": imported - start,
        "load_s": loaded - imported,
        "prepare_s": prepared - loaded,
        "prepared": prepare is not None,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
    """
)


def measure_load(folder: Path, env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(folder)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=900,
    )
    if result.returncode != 0:
        sys.exit(f"loading the synthetic dataset failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn -w 2`` (the shipped command) on a free port, its access log in ``log``."""

    def __init__(self, env: dict, log: Path):
        self.log = log
        self.port = free_port()
        command = [
            str(GUNICORN),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{self.port}",
            "--no-control-socket",
            "--timeout",
            "300",
            "--access-logfile",
            "-",
            "--access-logformat",
            "ACCESS %(U)s %(q)s %(s)s %(D)s",
            "app:server",
        ]
        start = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 600
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
            time.sleep(0.1)
        else:
            self.stop()
            sys.exit("gunicorn did not answer /healthz within 600 s")
        self.started_s = time.perf_counter() - start

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def wait_for_workers(self) -> None:
        """Both workers have loaded the data (each answers /healthz only when it has)."""
        for _ in range(20):
            request(self.port, "GET", "/healthz")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            found[key] = int(rest.split()[0]) / 1024
    return found.get("Rss", float("nan")), found.get("Pss", float("nan"))


def request(
    port: int, method: str, path: str, body: bytes | None = None, *, gzip_ok: bool = False
) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if gzip_ok:
        headers["Accept-Encoding"] = "gzip"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def server_times(log: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for line in log.read_text(errors="replace").splitlines():
        match = re.match(r"ACCESS (\S+) (\S*) (\d+) (\d+)$", line.strip())
        if match and match.group(2).startswith("bench="):
            times.setdefault(match.group(2)[6:], []).append(int(match.group(4)) / 1000)
    return times


# --- 2. Page callbacks -------------------------------------------------------------------------


def comparison_page() -> str | None:
    """The path of issue 10's comparison page when the page table has one."""
    from dashboard.pages import registry

    for page in registry.PAGES:
        if "compar" in page.name:
            return page.path.split("<")[0].rstrip("/") + f"/{NATIONAL}"
    return None


def pages(shape: synthetic.Shape) -> dict[str, list[tuple[str, str]]]:
    """Page name -> (path, query) variants it cycles through."""
    quarters = [q.label for q in synthetic.QUARTERS[-6:]][::-1]
    towns = [f"synthetic-town-{i:03d}" for i in range(1, 3) if shape.local_areas > 12 + i]
    areas = ["", "south-lpa", "north-lpa", "basildon", *towns][: max(2, shape.local_areas)]
    found = {
        "overview": [("/", f"?quarter={q}" if q != LATEST else "") for q in quarters]
        + [("/", "?area=south-lpa")],
        "priority": [("/priority/1", f"?area={a}" if a else "") for a in areas]
        + [("/priority/1", f"?quarter={q}") for q in quarters[1:3]],
        "metric+SPC": [(f"/metric/{METRIC}", f"?area={a}" if a else "") for a in areas]
        + [(f"/metric/{METRIC}", f"?quarter={q}") for q in quarters[1:4]],
        "area": [("/area/south-lpa", ""), ("/area/north-lpa", ""), ("/area/basildon", "")]
        + [("/area/south-lpa", f"?quarter={q}") for q in quarters[1:3]],
    }
    if shape.national_metrics:
        path = comparison_page() or f"/metric/{NATIONAL}"
        found["comparison" if comparison_page() else "metric, 45 areas"] = [
            (path, ""),
            (path, f"?quarter={quarters[1]}"),
            (path, f"?quarter={quarters[2]}"),
        ]
    return found


def change_body(path: str, query: str, rendered: dict | None = None) -> bytes:
    """The page callback as a filter change sends it: the bar wrote the query (it is kept),
    and the browser says which view it shows (``rendered``, from the answer before, when the
    shell sends one: the answer can then be a patch of it)."""
    return json.dumps(
        page_request(path, query, written=query, changed="url.search", **rendered_state(rendered))
    ).encode()


def rendered_state(rendered: dict | None) -> dict:
    """page_request's ``rendered`` argument, when this version of the shell has one."""
    import inspect

    if "rendered" in inspect.signature(page_request).parameters:
        return {"rendered": rendered}
    return {}


def rendered_of(payload: bytes, headers: dict) -> dict | None:
    """The view an answer leaves the browser showing (the shell's store of it), if any."""
    if headers.get("Content-Encoding") == "gzip":
        payload = gzip.decompress(payload)
    try:
        answer = json.loads(payload).get("response", {})
    except ValueError:
        return None
    for key, value in answer.items():
        if key.startswith("rendered") and isinstance(value, dict):
            return value.get("data")
    return None


def visit_body(path: str, query: str) -> bytes:
    """The page callback of a first visit or a link (the filter bar is drawn too)."""
    return json.dumps(page_request(path, query)).encode()


def callbacks(server: Server, shape: synthetic.Shape, calls: int) -> dict:
    results = {}
    for name, variants in pages(shape).items():
        client = []
        # As one browser tab does: a first visit, then filter changes, each answer saying what
        # the tab then shows.
        _, payload, headers = request(
            server.port, "POST", "/_dash-update-component", visit_body(*variants[-1])
        )
        rendered = rendered_of(payload, headers)
        for i in range(calls):
            path, query = variants[i % len(variants)]
            start = time.perf_counter()
            status, payload, headers = request(
                server.port,
                "POST",
                f"/_dash-update-component?bench={name.replace(' ', '_')}",
                change_body(path, query, rendered),
            )
            client.append((time.perf_counter() - start) * 1000)
            rendered = rendered_of(payload, headers) or rendered
            if status not in (200, 204):
                print(f"   ! {name} {path}{query}: HTTP {status}")
        sizes = {}
        # A change from the page's last variant to its first; a first visit of the first.
        for kind, body in (
            ("change", lambda p, q, shown=rendered: change_body(p, q, shown)),
            ("visit", visit_body),
        ):
            status, payload, headers = request(
                server.port, "POST", "/_dash-update-component", body(*variants[0]), gzip_ok=True
            )
            raw = gzip.decompress(payload) if headers.get("Content-Encoding") == "gzip" else payload
            sizes[kind] = (len(payload), len(raw))
        results[name] = {"client": client, "sizes": sizes, "load": load_average()}
    time.sleep(0.5)
    server_ms = server_times(server.log)
    for name, found in results.items():
        found["server"] = server_ms.get(name.replace(" ", "_"), [])
    return results


# --- 3. Throughput ---------------------------------------------------------------------------

WRK_SCRIPT = """
local bodies = {%s}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "/_dash-update-component",
    {["Content-Type"] = "application/json", ["Accept-Encoding"] = "gzip"}, bodies[i])
end
"""


def throughput(server: Server, shape: synthetic.Shape, seconds: float, clients: int) -> dict:
    # Filter changes as browsers send them: each names the view before it on the same page.
    bodies = []
    for variants in pages(shape).values():
        shown = []
        for p, q in variants:
            _, payload, headers = request(
                server.port, "POST", "/_dash-update-component", visit_body(p, q)
            )
            shown.append(rendered_of(payload, headers))
        for i, (p, q) in enumerate(variants):
            bodies.append(change_body(p, q, shown[i - 1]))
    wrk = shutil.which("wrk")
    if wrk:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % ",".join(f"[==[{b.decode()}]==]" for b in bodies))
        try:
            result = subprocess.run(
                [
                    wrk,
                    "-t2",
                    f"-c{clients}",
                    f"-d{seconds:.0f}s",
                    "--timeout",
                    "60s",
                    "--latency",
                    "-s",
                    script.name,
                    server.base,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 120,
            )
        finally:
            os.unlink(script.name)
        out = result.stdout
        rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
        p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
        p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors = re.search(r"Socket errors: (.*)", out)

        def ms(match: re.Match | None) -> float:
            if not match:
                return float("nan")
            return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]

        return {
            "tool": "wrk",
            "rate": float(rate.group(1)) if rate else float("nan"),
            "p50": ms(p50),
            "p99": ms(p99),
            "failed": int(bad.group(1)) if bad else 0,
            "errors": errors.group(1) if errors else "",
            "load": load_average(),
        }
    # A bounded threaded client: new connection per request (gthread workers keep-alive too).
    lock = threading.Lock()
    latencies: list[float] = []
    failed = [0]
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))

    def work() -> None:
        while time.monotonic() < deadline:
            with lock:
                i = next(counter)
            start = time.perf_counter()
            try:
                status, _, _ = request(
                    server.port, "POST", "/_dash-update-component", bodies[i % len(bodies)]
                )
            except OSError:
                status = 0
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                failed[0] += status != 200

    threads = [threading.Thread(target=work) for _ in range(clients)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - begin
    return {
        "tool": "threads",
        "rate": len(latencies) / wall,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "failed": failed[0],
        "errors": "",
        "load": load_average(),
    }


# --- 5. The browser ----------------------------------------------------------------------------

#: Resolves, after navigation, with (ms from navigation start to the frame after the first
#: chart's SVG exists, DOM element count then).
FIRST_CHART = """async () => {
    await new Promise(resolve => {
        const look = () => document.querySelector('#page-body .js-plotly-plot .main-svg')
            ? requestAnimationFrame(() => requestAnimationFrame(resolve))
            : requestAnimationFrame(look);
        look();
    });
    return [performance.now(), document.getElementsByTagName('*').length];
}"""

#: Change a filter as a person does, and resolve with the milliseconds until the frame that
#: paints the new view's chart: the text ``expect`` shows in ``selector`` and (``chart``) a chart
#: has been drawn since the change (a new graph, or a graph that Plotly drew again), then two
#: frames. White space is ignored in the comparison (Plotly's titles break lines into tspans).
CHANGE_TO_PAINT = """async ([name, value, selector, expect, chart]) => {
    const select = document.getElementById(JSON.stringify({name: name, type: "filter"}));
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
    const before = new Set(document.querySelectorAll('.js-plotly-plot'));
    let redrawn = false;
    before.forEach(gd => gd.on && gd.on('plotly_afterplot', () => { redrawn = true; }));
    const squeeze = text => text.replace(/\\s+/g, "");
    const shown = () => [...document.querySelectorAll(selector)]
        .some(e => squeeze(e.textContent).includes(squeeze(expect)));
    const charted = () => {
        if (!chart) return true;
        const graphs = [...document.querySelectorAll('#page-body .js-plotly-plot')];
        return redrawn || graphs.some(gd => !before.has(gd) && gd.querySelector('.main-svg'));
    };
    const start = performance.now();
    setter.call(select, value);
    select.dispatchEvent(new Event("change", {bubbles: true}));
    await new Promise(resolve => {
        const look = () => shown() && charted()
            ? requestAnimationFrame(() => requestAnimationFrame(resolve))
            : requestAnimationFrame(look);
        look();
    });
    return [performance.now() - start, document.getElementsByTagName('*').length];
}"""


def filter_changes(shape: synthetic.Shape) -> list[tuple[str, str, str, str, bool, list]]:
    """(name, path, filter, selector naming the new choice, a chart to wait for, values)."""
    areas = [("south-lpa", "South Local Policing Area"), ("essex", "Essex (force-wide)")]
    if shape.local_areas > 3:
        areas.insert(1, ("north-lpa", "North Local Policing Area"))
    # The page opens on the latest quarter: the first change is to the one before it.
    quarters = [(q.label, q.display) for q in synthetic.QUARTERS[-3:]]
    return [
        ("Area on the metric page", f"/metric/{METRIC}", "area", "#main figcaption", True, areas),
        ("Area on priority 1", "/priority/1", "area", "#main .lead", True, areas),
        ("Quarter on the overview", "/", "quarter", "#main h1", False, quarters),
    ]


def summarise_profile(profile: dict, top: int = 12) -> list[str]:
    """Self time of a V8 CPU profile by script and by function."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    self_us: dict[int, float] = defaultdict(float)
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        self_us[sample] += delta
    by_script: dict[str, float] = defaultdict(float)
    by_function: dict[str, float] = defaultdict(float)
    for node_id, us in self_us.items():
        frame = nodes[node_id]["callFrame"]
        script = urlsplit(frame.get("url") or "").path.rsplit("/", 1)[-1] or frame["functionName"]
        script = re.sub(r"\.v[\d_]+m\d+", "", script)  # Dash's cache-busting suffix
        by_script[script] += us
        by_function[f"{frame['functionName'] or '(anonymous)'} ({script})"] += us
    total = sum(self_us.values())
    lines = [f"CPU profile: {total / 1000:,.0f} ms sampled"]
    lines.append("  by script: " + "; ".join(
        f"{name} {us / 1000:,.0f} ms" for name, us in sorted(by_script.items(), key=lambda x: -x[1])[:8]
    ))  # fmt: skip
    lines.append("  top functions (self time):")
    for name, us in sorted(by_function.items(), key=lambda x: -x[1])[:top]:
        lines.append(f"    {us / 1000:9,.1f} ms  {name}")
    return lines


#: Trace events on the renderer's main thread, grouped by the kind of work they are.
KINDS = {
    "script": {"FunctionCall", "EvaluateScript", "v8.compile", "TimerFire", "EventDispatch",
               "FireAnimationFrame", "RunMicrotasks", "v8.callFunction", "V8.Execute",
               "XHRReadyStateChange", "XHRLoad", "v8.run", "MajorGC", "MinorGC",
               "V8.GC_MARK_COMPACTOR", "ParseHTML"},
    "style": {"UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet"},
    "layout": {"Layout", "UpdateLayerTree", "PrePaint", "IntersectionObserverController::computeIntersections"},
    "paint": {"Paint", "PaintImage", "CompositeLayers", "Commit", "RasterTask", "Layerize"},
}  # fmt: skip


def summarise_trace(path: Path) -> str:
    """Main-thread time by kind of work: each event's own time (its children's taken out)."""
    events = json.loads(path.read_text())
    events = events.get("traceEvents", events)
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    kind_of = {name: kind for kind, names in KINDS.items() for name in names}
    spans = sorted(
        (e["ts"], e["ts"] + e.get("dur", 0), e["name"])
        for e in events
        if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X" and e.get("dur")
    )
    own: dict[str, float] = defaultdict(float)
    stack: list[list] = []  # [end, kind, child time]

    for start, end, name in spans:
        while stack and stack[-1][0] <= start:
            stack.pop()
        kind = kind_of.get(name)
        if kind is None:
            continue
        # The innermost enclosing classified span loses this span's time from its own.
        if stack:
            own[stack[-1][1]] -= end - start
        own[kind] += end - start
        stack.append([end, kind])
    busy = sum(own.values())
    parts = "; ".join(
        f"{k} {own[k] / 1000:,.0f} ms" for k in ("script", "style", "layout", "paint")
    )
    return f"main thread (trace): {busy / 1000:,.0f} ms classified: {parts}"


def browser(
    server: Server, shape: synthetic.Shape, changes: int, visits: int, profile: bool
) -> dict:
    from playwright.sync_api import sync_playwright

    results: dict = {"first_chart": {}, "changes": {}, "profile": []}
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        viewport = {"width": 1366, "height": 768}
        for path in (f"/metric/{METRIC}", "/priority/1"):
            times, doms, scripts = [], [], []
            for _ in range(visits):
                context = chromium.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(server.base + path, wait_until="commit", timeout=600_000)
                ms, dom = page.evaluate(FIRST_CHART)
                times.append(ms)
                doms.append(dom)
                page.wait_for_load_state("networkidle", timeout=600_000)
                scripts.append(
                    page.evaluate(
                        """() => performance.getEntriesByType('resource')
                        .filter(e => /\\.js(\\?|$)/.test(e.name))
                        .reduce((n, e) => n + e.encodedBodySize, 0)"""
                    )
                )
                context.close()
            results["first_chart"][path] = {
                "ms": times,
                "dom": doms,
                "js_bytes": statistics.median(scripts),
                "load": load_average(),
            }
        for name, path, filter_name, selector, chart, values in filter_changes(shape):
            context = chromium.new_context(viewport=viewport)
            page = context.new_page()
            page.goto(server.base + path, timeout=600_000)
            page.locator("#main h1").first.wait_for(timeout=600_000)
            page.wait_for_load_state("networkidle", timeout=600_000)
            page.wait_for_timeout(300)
            paint, doms = [], []
            for i in range(changes):
                value, expect = values[i % len(values)]
                ms, dom = page.evaluate(
                    CHANGE_TO_PAINT, [filter_name, value, selector, expect, chart]
                )
                paint.append(ms)
                doms.append(dom)
                page.wait_for_load_state("networkidle", timeout=600_000)
                page.wait_for_timeout(150)
            results["changes"][name] = {"ms": paint, "dom": doms, "load": load_average()}
            if profile and name.startswith("Area on the metric"):
                value, expect = values[changes % len(values)]
                cdp = context.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
                page.evaluate(CHANGE_TO_PAINT, [filter_name, value, selector, expect, chart])
                found = cdp.send("Profiler.stop")["profile"]
                results["profile"] = summarise_profile(found)
                page.wait_for_load_state("networkidle", timeout=600_000)
                value, expect = values[(changes + 1) % len(values)]
                with tempfile.TemporaryDirectory() as tmp:
                    trace = Path(tmp) / "trace.json"
                    chromium.start_tracing(page=page, path=str(trace), screenshots=False)
                    page.evaluate(CHANGE_TO_PAINT, [filter_name, value, selector, expect, chart])
                    chromium.stop_tracing()
                    results["profile"].append(summarise_trace(trace))
            context.close()
        chromium.close()
    return results


# --- Report ----------------------------------------------------------------------------------


def show_size(n: int, shape: synthetic.Shape, load: dict, server: Server, found: dict) -> None:
    print(f"\n== {n:,} requested: {shape.describe()}")
    print(
        f"   load (fresh process): import {load['import_s']:.2f} s, load_dataset "
        f"{load['load_s']:.2f} s, engine preparation {load['prepare_s']:.2f} s"
        f"{'' if load['prepared'] else ' (none)'}; peak RSS {load['peak_rss_mib']:,.0f} MiB"
    )
    print(f"   gunicorn -w 2 start to /healthz: {server.started_s:.2f} s ({found['start_load']})")
    print("   page callbacks (server ms, sequential; answer gzip KB for a change / a visit):")
    for name, r in found["callbacks"].items():
        s, c = r["server"], r["client"]
        (change_gz, change_raw), (visit_gz, visit_raw) = r["sizes"]["change"], r["sizes"]["visit"]
        print(
            f"     {name:<18} n={len(s):>3} p50 {percentile(s, 50):7.1f} p95 "
            f"{percentile(s, 95):7.1f} max {max(s, default=float('nan')):7.1f}  round trip p50 "
            f"{percentile(c, 50):7.1f}  answer {change_gz / 1024:6.1f} / {visit_gz / 1024:6.1f} KB "
            f"(raw {change_raw / 1024:,.0f} / {visit_raw / 1024:,.0f} KB)  [{r['load']}]"
        )
    t = found["throughput"]
    print(
        f"   throughput ({t['tool']}, page callback mix): {t['rate']:.1f} req/s, latency p50 "
        f"{t['p50']:.0f} ms p99 {t['p99']:.0f} ms, {t['failed']} non-2xx "
        f"{t['errors']} [{t['load']}]"
    )
    print(
        "   memory per worker after the runs: "
        + "; ".join(f"RSS {rss:,.0f} MiB PSS {pss:,.0f} MiB" for rss, pss in found["memory"])
    )
    b = found.get("browser")
    if b:
        print("   Chromium (1366x768):")
        for path, r in b["first_chart"].items():
            print(
                f"     cold visit {path:<34} first chart p50 {percentile(r['ms'], 50):8.0f} ms "
                f"(runs {', '.join(f'{x:.0f}' for x in r['ms'])}); DOM {r['dom'][0]:,} elements; "
                f"JavaScript {r['js_bytes'] / 1e6:.2f} MB on the wire [{r['load']}]"
            )
        for name, r in b["changes"].items():
            print(
                f"     filter-to-paint {name:<26} p50 {percentile(r['ms'], 50):8.0f} p95 "
                f"{percentile(r['ms'], 95):8.0f} ms (n={len(r['ms'])}); DOM {max(r['dom']):,} "
                f"elements [{r['load']}]"
            )
        for line in b["profile"]:
            print("     " + line)
        if "memory_after_browser" in found:
            print(
                "   memory per worker after the browser runs: "
                + "; ".join(
                    f"RSS {rss:,.0f} MiB PSS {pss:,.0f} MiB"
                    for rss, pss in found["memory_after_browser"]
                )
            )
    sys.stdout.flush()


def size(text: str) -> int:
    return int(float(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e3,1e4,1e5,2e5,1e6")
    parser.add_argument("--calls", type=int, default=60, help="page callbacks per page")
    parser.add_argument("--browser-size", type=size, default=200_000, help="0: no browser")
    parser.add_argument("--changes", type=int, default=12, help="filter changes per page")
    parser.add_argument("--visits", type=int, default=4, help="cold visits per page")
    parser.add_argument("--profile", action="store_true", help="CPU profile and trace")
    parser.add_argument("--wrk-seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sizes = [size(s) for s in args.sizes.split(",")]
    print(
        f"bench_engine: {os.cpu_count()} CPUs, {load_average()}, git "
        + subprocess.run(
            ["git", "log", "-1", "--format=%h %s"], capture_output=True, text=True, cwd=REPO_ROOT
        ).stdout.strip()[:80]
    )
    everything = {}
    with tempfile.TemporaryDirectory(prefix="pcp-synthetic-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"synthetic-{n}"
            shape = synthetic.write_dataset(folder, n)
            csv_mb = sum(f.stat().st_size for f in folder.glob("*.csv")) / 1e6
            env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
            env.update(PCP_DATA_DIR=str(folder), PCP_MAX_FILE_MB=str(int(csv_mb) + 50))
            load = measure_load(folder, env)
            found: dict = {"start_load": load_average()}
            server = Server(env, Path(tmp) / f"gunicorn-{n}.log")
            try:
                server.wait_for_workers()
                found["callbacks"] = callbacks(server, shape, args.calls)
                found["throughput"] = throughput(server, shape, args.wrk_seconds, args.clients)
                found["memory"] = [memory(pid) for pid in server.workers()]
                if n == args.browser_size and Path(CHROMIUM).exists():
                    found["browser"] = browser(
                        server, shape, args.changes, args.visits, args.profile
                    )
                    found["memory_after_browser"] = [memory(pid) for pid in server.workers()]
            finally:
                server.stop()
            show_size(n, shape, load, server, found)
            everything[n] = {
                "shape": shape.__dict__,
                "load": load,
                "start_s": server.started_s,
                **found,
            }
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
