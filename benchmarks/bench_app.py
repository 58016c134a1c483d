"""App benchmark: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_app.py [--calls 200] [--clients 20] [--seconds 10]
                                             [--lighthouse auto|off]

Starts the shipped command (``gunicorn -w 2 ... --no-control-socket app:server``) on a free
loopback port with the bundled data (or ``$PCP_DATA_DIR``), then measures:

1. Per callback, p50 and p95 over ``--calls`` calls, POSTing to /_dash-update-component as the
   browser does: the page callback (``render``, cycling through several URLs, also reported per
   URL), and the page callback as a filter change calls it (the Area filter on /priority/2: the
   query string is written in the browser, so this is the one request a change sends). Server
   time is gunicorn's own request time (access-log ``%(D)s``); the client round trip on loopback
   is printed beside it.
2. Requests per second under ``--clients`` concurrent clients (threads, a new connection per
   request: gunicorn's sync workers close each one), for the page callback and for
   /_dash-layout, bounded by ``--seconds`` and a request count.
3. Bytes of JavaScript on first load: the <script> tags of the index page, as served and as
   gzip would send them, and (when Playwright and /usr/bin/chromium are there) every script a
   real first visit to / and /priority/7 downloads, including Plotly's lazily loaded bundle.
4. Lighthouse performance and accessibility scores, if ``lighthouse`` is on PATH, in
   ``$LIGHTHOUSE_DIR/node_modules/.bin`` or runnable with ``npx --no-install``. It is never
   installed by this script.
5. A filter change in a real Chromium (``--changes`` of each: the Area filter on /priority/2 and
   the Quarter filter on /): how many Dash callback requests one change sends to the server,
   their summed server time (gunicorn's %(D)s for those requests), and the time from the change
   to the frame that shows the new view (the page's lead or heading naming the new choice).
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
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.shell import page_request

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
RENDER_URLS = [
    ("/", ""),
    ("/priority/2", "?area=south-lpa"),
    ("/priority/7", ""),
    ("/metric/ksi-casualties", ""),
    ("/area/south-lpa", ""),
    ("/narrative", "?q=Operation+SCEPTRE"),
    ("/about", ""),
    ("/present", "?slide=7"),
]


# --- Server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [
        str(GUNICORN),
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--access-logfile",
        "-",
        "--access-logformat",
        "ACCESS %(U)s %(q)s %(s)s %(D)s",
        "app:server",
    ]
    env = {k: v for k, v in os.environ.items() if k != "PCP_DEBUG"}
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
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


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# --- Requests ---------------------------------------------------------------------------------


def render_body(pathname: str, search: str) -> bytes:
    return json.dumps(page_request(pathname, search)).encode()


def filter_change_body(area: str) -> bytes:
    """The page callback after the filter bar wrote ``?area=...`` itself (the bar is kept)."""
    search = f"?area={area}"
    return json.dumps(
        page_request("/priority/2", search, written=search, changed="url.search")
    ).encode()


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, int]:
    """(status, bytes of body) over a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def server_times(log: Path) -> dict[str, list[float]]:
    """Milliseconds per tag, from gunicorn's access log (%(D)s is in microseconds)."""
    times: dict[str, list[float]] = {}
    for line in log.read_text(errors="replace").splitlines():
        match = re.match(r"ACCESS (\S+) (\S*) (\d+) (\d+)$", line.strip())
        if match and match.group(2).startswith("bench="):
            times.setdefault(match.group(2)[6:], []).append(int(match.group(4)) / 1000)
    return times


def untagged_callback_times(text: str) -> list[float]:
    """Server milliseconds of the browser's own callback requests (not tagged bench=) in ``text``."""
    found = []
    for line in text.splitlines():
        match = re.match(r"ACCESS (\S+) (\S*) (\d+) (\d+)$", line.strip())
        if match and match.group(1) == "/_dash-update-component" and "bench=" not in match.group(2):
            found.append(int(match.group(4)) / 1000)
    return found


# --- 1. Per-callback latency ------------------------------------------------------------------


def callback_latency(port: int, log: Path, calls: int) -> None:
    print(f"\n1. Callbacks, {calls} calls each (sequential; milliseconds)")
    client: dict[str, list[float]] = {}
    for i in range(calls):
        pathname, search = RENDER_URLS[i % len(RENDER_URLS)]
        for tag, body in (
            (f"render:{pathname}{search}", render_body(pathname, search)),
            ("filter_change", filter_change_body(("south-lpa", "north-lpa", "west-lpa")[i % 3])),
        ):
            start = time.perf_counter()
            status, _ = request(port, "POST", f"/_dash-update-component?bench={tag}", body)
            client.setdefault(tag, []).append((time.perf_counter() - start) * 1000)
            if status not in (200, 204):  # 204: "no update", an answer
                print(f"   ! {tag}: HTTP {status}")
    time.sleep(0.5)
    server = server_times(log)
    render_server = [t for k, v in server.items() if k.startswith("render:") for t in v]
    render_client = [t for k, v in client.items() if k.startswith("render:") for t in v]

    def line(name: str, s: list[float], c: list[float]) -> None:
        print(
            f"   {name:<46} n={len(s):>4}  server p50 {percentile(s, 50):7.1f}  "
            f"p95 {percentile(s, 95):7.1f}   round trip p50 {percentile(c, 50):7.1f}  "
            f"p95 {percentile(c, 95):7.1f}"
        )

    line("render (page callback, all URLs)", render_server, render_client)
    line(
        "filter change (page callback, bar kept)", server["filter_change"], client["filter_change"]
    )
    print("   page callback by URL:")
    for pathname, search in RENDER_URLS:
        tag = f"render:{pathname}{search}"
        line("  " + pathname + search, server.get(tag, []), client.get(tag, []))


# --- 2. Throughput ----------------------------------------------------------------------------


def throughput(port: int, clients: int, seconds: float, limit: int) -> None:
    print(
        f"\n2. Throughput: {clients} concurrent clients, up to {seconds:.0f} s or {limit} requests"
    )
    for name, make in (
        (
            "page callback (mix of URLs)",
            lambda i: (
                "POST",
                "/_dash-update-component",
                render_body(*RENDER_URLS[i % len(RENDER_URLS)]),
            ),
        ),
        ("/_dash-layout", lambda i: ("GET", "/_dash-layout", None)),
    ):
        counter = iter(range(limit))
        lock = threading.Lock()
        latencies: list[float] = []
        failures = [0]
        deadline = time.monotonic() + seconds

        def worker(
            counter=counter,
            lock=lock,
            latencies=latencies,
            failures=failures,
            make=make,
            deadline=deadline,
        ):
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                method, path, body = make(i)
                start = time.perf_counter()
                try:
                    status, _ = request(port, method, path, body)
                except OSError:
                    status = 0
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    failures[0] += status != 200

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - begin
        print(
            f"   {name:<30} {len(latencies) / wall:8.1f} requests/s  ({len(latencies)} in "
            f"{wall:.1f} s, {failures[0]} failed; latency p50 {percentile(latencies, 50):.0f} ms, "
            f"p95 {percentile(latencies, 95):.0f} ms)"
        )


# --- 3. JavaScript bytes ----------------------------------------------------------------------


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src")
        if tag == "script" and src:
            self.sources.append(src)


def javascript_bytes(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    print("\n3. JavaScript on first load")
    with urllib.request.urlopen(f"{base}/", timeout=10) as response:
        parser = Scripts()
        parser.feed(response.read().decode())
    raw = sent = gz = 0
    for src in parser.sources:
        request_ = urllib.request.Request(base + src, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request_, timeout=30) as response:
            body = response.read()
            sent += len(body)
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
        raw += len(body)
        gz += len(gzip.compress(body, 6))
    print(
        f"   <script> tags of the index page: {len(parser.sources)} files, "
        f"{raw:,} bytes uncompressed, {sent:,} bytes as served, {gz:,} bytes if gzipped"
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("   (Playwright not installed: lazily loaded scripts not measured)")
        return
    if not Path("/usr/bin/chromium").exists():
        print("   (/usr/bin/chromium not found: lazily loaded scripts not measured)")
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for path in ("/", "/priority/7"):
            page = browser.new_context().new_page()
            page.goto(base + path)
            page.locator("#main h1").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            # The browser's own account of every script it fetched (incl. lazily loaded ones).
            seen = page.evaluate(
                """() => performance.getEntriesByType('resource')
                    .filter(e => e.initiatorType === 'script' || /\\.js(\\?|$)/.test(e.name))
                    .map(e => [e.name, e.decodedBodySize, e.encodedBodySize])"""
            )
            total = sum(s for _, s, _ in seen)
            sent = sum(e for _, _, e in seen)
            biggest = max(seen, key=lambda s: s[1]) if seen else ("", 0, 0)
            print(
                f"   first visit to {path:<12} {len(seen)} scripts, {total:,} bytes uncompressed, "
                f"{sent:,} as sent; largest {urlsplit(biggest[0]).path.rsplit('/', 1)[-1]} "
                f"({biggest[1]:,})"
            )
            page.context.close()
        browser.close()


# --- 4. Lighthouse ----------------------------------------------------------------------------


def lighthouse_command() -> list[str] | None:
    local = Path(os.environ.get("LIGHTHOUSE_DIR", "/nonexistent")) / "node_modules/.bin/lighthouse"
    if local.exists():
        return [str(local)]
    if shutil.which("lighthouse"):
        return ["lighthouse"]
    if shutil.which("npx"):
        probe = subprocess.run(
            ["npx", "--no-install", "lighthouse", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.returncode == 0:
            return ["npx", "--no-install", "lighthouse"]
    return None


def lighthouse(port: int) -> None:
    print("\n4. Lighthouse")
    command = lighthouse_command()
    if command is None:
        print("   not available (set LIGHTHOUSE_DIR to a folder with `npm install lighthouse`)")
        return
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for path in ("/", "/priority/7"):
        for preset in ("mobile", "desktop"):
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "report.json"
                args = [
                    *command,
                    f"http://127.0.0.1:{port}{path}",
                    "--quiet",
                    "--only-categories=performance,accessibility",
                    "--chrome-flags=--headless --no-sandbox --disable-gpu",
                    "--output=json",
                    f"--output-path={out}",
                ]
                if preset == "desktop":
                    args.append("--preset=desktop")
                result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
                if result.returncode != 0 or not out.exists():
                    print(f"   {path} ({preset}): failed: {result.stderr.strip()[-300:]}")
                    continue
                report = json.loads(out.read_text())
                cats = report["categories"]
                audits = report["audits"]
                print(
                    f"   {path:<12} {preset:<8} performance {cats['performance']['score']:.2f}  "
                    f"accessibility {cats['accessibility']['score']:.2f}  "
                    f"(LCP {audits['largest-contentful-paint']['displayValue']}, "
                    f"TBT {audits['total-blocking-time']['displayValue']})"
                )


# --- 5. A filter change in the browser -------------------------------------------------------

#: Change a filter as a person does (the select's value, then a bubbling change event), and
#: resolve with the milliseconds until a frame shows an element of ``selector`` containing
#: ``expect`` (two animation frames after the text appears: the frame that paints it).
CHANGE_AND_WAIT = """async ([name, value, selector, expect]) => {
    const select = document.getElementById(JSON.stringify({name: name, type: "filter"}));
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
    const shown = () => [...document.querySelectorAll(selector)]
        .some(e => e.textContent.includes(expect));
    const start = performance.now();
    setter.call(select, value);
    select.dispatchEvent(new Event("change", {bubbles: true}));
    await new Promise(resolve => {
        const look = () => shown()
            ? requestAnimationFrame(() => requestAnimationFrame(resolve))
            : requestAnimationFrame(look);
        look();
    });
    return performance.now() - start;
}"""

FILTER_CHANGES = [
    (
        "Area on /priority/2",
        "/priority/2",
        "area",
        "#main .lead",
        [
            ("south-lpa", "South Local Policing Area"),
            ("west-lpa", "West Local Policing Area"),
            ("essex", "Essex (force-wide)"),
        ],
    ),
    (
        "Quarter on /",
        "/",
        "quarter",
        "#main h1",
        [("2018-19-Q4", "2018/19 Q4"), ("2019-20-Q4", "2019/20 Q4")],
    ),
]


def filter_changes(port: int, log: Path, changes: int) -> None:
    print(f"\n5. A filter change in Chromium, {changes} changes each (milliseconds)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("   (Playwright not installed: not measured)")
        return
    if not Path("/usr/bin/chromium").exists():
        print("   (/usr/bin/chromium not found: not measured)")
        return
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for name, path, filter_name, selector, values in FILTER_CHANGES:
            page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            sent = [0]
            page.on(
                "request",
                lambda r, sent=sent: (
                    sent.__setitem__(0, sent[0] + 1) if "/_dash-update-component" in r.url else None
                ),
            )
            page.goto(base + path)
            page.locator("#main h1").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            paint, requests, server = [], [], []
            for i in range(changes):
                value, expect = values[i % len(values)]
                before_sent = sent[0]
                before_log = len(log.read_text(errors="replace"))
                paint.append(page.evaluate(CHANGE_AND_WAIT, [filter_name, value, selector, expect]))
                page.wait_for_timeout(400)  # let any trailing callback finish and be logged
                requests.append(sent[0] - before_sent)
                server.append(
                    sum(untagged_callback_times(log.read_text(errors="replace")[before_log:]))
                )
            page.context.close()
            print(
                f"   {name:<22} server requests per change: {min(requests)}-{max(requests)} "
                f"(mean {sum(requests) / len(requests):.1f}); their server time p50 "
                f"{percentile(server, 50):6.1f} p95 {percentile(server, 95):6.1f}; "
                f"change to paint p50 {percentile(paint, 50):6.1f} p95 {percentile(paint, 95):6.1f}"
            )
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per callback (>= 200)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0, help="time bound per load test")
    parser.add_argument("--requests", type=int, default=5000, help="request bound per load test")
    parser.add_argument("--lighthouse", choices=("auto", "off"), default="auto")
    parser.add_argument("--changes", type=int, default=30, help="filter changes in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gunicorn.log"
        process, port = start_server(log)
        try:
            print(f"gunicorn -w 2 on 127.0.0.1:{port}, {os.cpu_count()} CPUs, data: ", end="")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                print(json.loads(response.read()))
            for pathname, search in RENDER_URLS:  # warm both workers
                for _ in range(2):
                    request(port, "POST", "/_dash-update-component", render_body(pathname, search))
            callback_latency(port, log, args.calls)
            throughput(port, args.clients, args.seconds, args.requests)
            javascript_bytes(port)
            filter_changes(port, log, args.changes)
            if args.lighthouse == "auto":
                lighthouse(port)
        finally:
            stop_server(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
