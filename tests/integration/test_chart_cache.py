"""Chart images (finding 6 of issue 14): drawn once per dataset version and figure, kept on
disk, and never more than a set number at once with a set number waiting."""

from __future__ import annotations

import threading
import time

import pytest

from dashboard.export.charts import Busy, ChartImages
from dashboard.export.filecache import FileCache

FIGURE = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {"title": "T"}}


class Drawer:
    def __init__(self):
        self.calls = 0
        self.running = 0
        self.peak = 0
        self.release = threading.Event()
        self.release.set()
        self.lock = threading.Lock()

    def __call__(self, figure, fmt):
        with self.lock:
            self.calls += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        self.release.wait(10)
        with self.lock:
            self.running -= 1
        return f"{fmt}:{figure['layout']['title']}".encode()


def test_an_image_is_drawn_once_per_version_and_figure(tmp_path):
    drawer = Drawer()
    images = ChartImages(tmp_path, draw=drawer)
    first = images.get("v1", FIGURE, "png")
    assert images.get("v1", FIGURE, "png") == first
    assert drawer.calls == 1
    # A second process (another worker) reading the same folder draws nothing either.
    assert ChartImages(tmp_path, draw=drawer).get("v1", FIGURE, "png") == first
    assert drawer.calls == 1
    images.get("v1", FIGURE, "svg")
    images.get("v2", FIGURE, "png")
    other = {**FIGURE, "layout": {"title": "U"}}
    images.get("v1", other, "png")
    assert drawer.calls == 4
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["v1", "v2"]


def test_only_a_few_are_drawn_at_once_and_the_rest_are_told_to_come_back(tmp_path):
    drawer = Drawer()
    drawer.release.clear()
    images = ChartImages(tmp_path, renders=1, queue=1, draw=drawer)
    results: dict[int, object] = {}

    def ask(number):
        figure = {**FIGURE, "layout": {"title": str(number)}}
        try:
            results[number] = images.get("v1", figure, "png")
        except Busy:
            results[number] = "busy"

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    # One drawing, one waiting; the other two were answered "busy" at once.
    assert sorted(v for v in results.values()) == ["busy", "busy"]
    drawer.release.set()
    for thread in threads:
        thread.join(10)
    assert drawer.peak == 1
    assert sum(1 for v in results.values() if v != "busy") == 2


def test_old_versions_images_are_dropped(tmp_path):
    images = ChartImages(tmp_path, draw=Drawer())
    for number in range(6):
        images.get(f"v{number}", FIGURE, "png")
        time.sleep(0.01)
    kept = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert len(kept) == FileCache.KEEP_VERSIONS and "v5" in kept


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_key_depends_on_the_figure_and_format(tmp_path, fmt):
    images = ChartImages(tmp_path, draw=Drawer())
    assert images.key(FIGURE, fmt) == images.key(dict(FIGURE), fmt)
    assert images.key(FIGURE, fmt) != images.key({**FIGURE, "layout": {"title": "U"}}, fmt)


def test_a_pack_is_built_once_per_version_and_keeps_its_name(
    tmp_path, monkeypatch, bundled_data_dir
):
    import dashboard.export.routes as routes
    from dashboard.app import create_app
    from dashboard.config import Settings

    built = []
    real = routes.build_file

    def counting(*args, **kwargs):
        built.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "build_file", counting)
    settings = Settings(data_dir=bundled_data_dir, cache_dir=tmp_path, reload_interval=3600)
    client = create_app(settings).server.test_client()
    first = client.get("/download/pack.csv?area=south-lpa")
    again = client.get("/download/pack.csv?area=south-lpa")
    assert first.status_code == again.status_code == 200
    assert first.data == again.data
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert len(built) == 1
    assert client.get("/download/pack.csv?area=essex").status_code == 200
    assert len(built) == 2


def test_one_chromium_at_a_time_on_the_machine_whatever_the_number_of_workers(tmp_path):
    """Two workers (two ChartImages on one folder; the slot is a file lock, as between
    processes) each allowed one drawing: still one drawing at a time in all."""
    drawer = Drawer()
    workers = [ChartImages(tmp_path, renders=1, queue=1, draw=drawer) for _ in range(2)]
    threads = [
        threading.Thread(
            target=workers[n % 2].get, args=("v1", {**FIGURE, "layout": {"title": str(n)}}, "png")
        )
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert drawer.calls == 2
    assert drawer.peak == 1
