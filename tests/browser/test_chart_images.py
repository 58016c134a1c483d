"""Finding 6 of issue 14: chart images must not tie up the server.

Sixteen different chart images are asked for at once from a private gunicorn (2 workers) while
a page is rendered. Each image is drawn by a headless Chromium (kaleido); the test watches the
server's process tree to count how many of those run at once, and asks for every image again
to see that a drawn image is served from the cache instead of being drawn a second time.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboard.data.model import load_dataset
from dashboard.export.charts import chart_figure
from dashboard.shell import page_request
from dashboard.views import PackError

#: At most this many images are drawn at once on the machine, every worker together
#: (Settings.chart_browsers' default).
BROWSERS_AT_ONCE = 1
ROUNDS = 6  # bounded retries of images that were answered "busy"


def chartable_metrics(data: Path) -> list[str]:
    dataset = load_dataset(data)
    found = []
    for metric in dataset.metric_index:
        try:
            chart_figure(dataset, metric, None, None)
        except PackError:
            continue
        found.append(metric)
    return found


def children_of(pid: str) -> list[str]:
    """Child processes of every thread of ``pid`` (/proc lists children per thread)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += (task / "children").read_text().split()
        except OSError:
            continue
    return found


def chromium_renders(master: int) -> int:
    """Headless Chromium browsers started by the server's workers (one per image drawn)."""
    count = 0
    for worker in children_of(str(master)):
        for child in children_of(worker):
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"chrom" in command:
                count += 1
    return count


class Sampler(threading.Thread):
    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master, self.peak, self.total_seen, self.stop = master, 0, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            now = chromium_renders(self.master)
            self.peak = max(self.peak, now)
            self.total_seen += now
            time.sleep(0.05)


def fetch(url: str) -> tuple[int, dict, bytes, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return (
                response.status,
                dict(response.headers),
                response.read(),
                time.monotonic() - started,
            )
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read(), time.monotonic() - started


def render_page(url: str) -> tuple[int, float]:
    body = page_request("/priority/7", "")
    request = urllib.request.Request(
        f"{url}/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        return response.status, time.monotonic() - started


def test_images_are_drawn_a_bounded_number_at_a_time_and_only_once(live_server_tmp_data):
    server = live_server_tmp_data
    metrics = chartable_metrics(server.data_dir)
    assert len(metrics) >= 8
    urls = {m: f"{server.url}/download/chart/{m}.png" for m in metrics[:16]}
    sampler = Sampler(server.process.pid)
    sampler.start()
    images: dict[str, bytes] = {}
    statuses: list[int] = []
    page_times: list[float] = []
    try:
        pending = list(urls)
        for _ in range(ROUNDS):
            with ThreadPoolExecutor(max_workers=len(pending) + 1) as pool:
                futures = {m: pool.submit(fetch, urls[m]) for m in pending}
                time.sleep(0.5)
                status, seconds = render_page(server.url)
                assert status == 200
                page_times.append(seconds)
                results = {m: f.result() for m, f in futures.items()}
            busy = []
            for metric, (status, headers, content, _) in results.items():
                statuses.append(status)
                if status == 200:
                    assert headers["Content-Type"] == "image/png"
                    assert content.startswith(b"\x89PNG")
                    images[metric] = content
                else:
                    assert status == 503, (metric, status, content[:200])
                    assert "Retry-After" in headers
                    busy.append(metric)
            if not busy:
                break
            pending = busy
            time.sleep(int(results[busy[0]][1]["Retry-After"]))
    finally:
        sampler.stop.set()
        sampler.join()
    print(
        f"{len(statuses)} image requests: {statuses.count(200)} drawn, {statuses.count(503)} busy; "
        f"at most {sampler.peak} Chromium at once; page render during the storm: "
        + ", ".join(f"{t * 1000:.0f} ms" for t in page_times)
    )
    assert set(images) == set(urls), "some images were never served"
    assert 500 not in statuses
    assert sampler.peak <= BROWSERS_AT_ONCE, f"{sampler.peak} images drawn at once"

    # Asked again: the same bytes, and no Chromium started at all (served from the cache).
    again = Sampler(server.process.pid)
    again.start()
    try:
        with ThreadPoolExecutor(max_workers=len(urls)) as pool:
            repeat = dict(zip(urls, pool.map(fetch, urls.values()), strict=True))
    finally:
        again.stop.set()
        again.join()
    for metric, (status, _, content, _) in repeat.items():
        assert status == 200, metric
        assert content == images[metric], metric
    assert again.total_seen == 0, "an image was drawn again instead of served from the cache"
    assert "Traceback" not in server.log_text()
