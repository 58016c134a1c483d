"""A chart's own download as PNG or SVG, drawn by Plotly (kaleido, the system Chromium).

The figure is the dashboard's own (figures/metric.py), so the file looks like the chart on
screen. kaleido takes about 1.7 s an image (a whole Chromium each time), so this is for one chart
on request, never for a whole pack (the packs draw their charts natively: see pdf.py and
deck.py), and ``ChartImages`` makes sure it cannot tie up the server: each image is drawn once
per dataset version and figure and kept on disk (every worker reads the same files), and each
worker draws at most ``renders`` at a time with at most ``queue`` more waiting; beyond that the
answer is "busy, try again in a few seconds" and the worker's other threads stay free for pages.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from ..config import Settings
from ..data.model import Dataset
from ..figures.metric import chart_kind, comparison_figure, trend_figure
from ..figures.text import chart_title
from ..selection import metric_view
from .content import PackError, resolve_area, resolve_quarter

IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}

log = logging.getLogger(__name__)


def chart_figure(dataset: Dataset, metric_id: str, quarter: str | None, area: str | None) -> dict:
    if metric_id not in dataset.metric_index:
        raise PackError(f"There is no metric “{metric_id}” in the data.")
    view = metric_view(
        dataset, metric_id, resolve_area(dataset, area), resolve_quarter(dataset, quarter)
    )
    kind = chart_kind(view.points)
    if kind not in ("comparison", "trend"):
        raise PackError(
            "This metric has fewer than two values here, so there is no chart to download."
        )
    builder = comparison_figure if kind == "comparison" else trend_figure
    return builder(
        view.points, view.metric["unit"], chart_title(view.metric, view.points, view.comparisons)
    )


def chart_image(figure: dict, fmt: str, *, width: int = 1200, height: int = 675) -> bytes:
    """The image, drawn by kaleido in the Chromium that Settings names (kaleido's own call, as
    plotly.io.to_image makes it, so the browser is passed in rather than set in os.environ)."""
    import kaleido

    browser = Settings.from_env().browser_path
    layout = {**figure["layout"], "height": height, "width": width}
    return kaleido.calc_fig_sync(
        {"data": figure["data"], "layout": layout},
        opts={"format": fmt, "width": width, "height": height, "scale": 2 if fmt == "png" else 1},
        kopts={"path": browser} if browser else {},
    )


class Busy(Exception):
    """Every drawing slot and every waiting place is taken: try again shortly."""

    retry_after = 5


class ChartImages:
    """Chart images, drawn once per (dataset version, figure, format) and kept in ``folder``."""

    #: Versions whose images are kept (the live one and a few before it, for rollbacks).
    KEEP_VERSIONS = 3

    def __init__(
        self, folder: Path, renders: int = 1, queue: int = 1, wait: float = 30.0, draw=None
    ):
        self.folder = Path(folder)
        self.renders, self.queue, self.wait = max(1, renders), max(0, queue), wait
        self._draw = draw or chart_image
        self._state = threading.Condition()
        self._running = 0
        self._waiting = 0

    def key(self, figure: dict, fmt: str) -> str:
        text = json.dumps(figure, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(f"{fmt}\n{text}".encode()).hexdigest()[:32]

    def path(self, version: str, figure: dict, fmt: str) -> Path:
        return self.folder / (version or "unversioned") / f"{self.key(figure, fmt)}.{fmt}"

    def get(self, version: str, figure: dict, fmt: str) -> bytes:
        """The image's bytes: from the cache, or drawn now (raises Busy when full)."""
        target = self.path(version, figure, fmt)
        with contextlib.suppress(OSError):
            return target.read_bytes()
        with self._slot():
            target.parent.mkdir(parents=True, exist_ok=True)
            # One drawing of one image across every worker: the others wait, then read it.
            with _file_lock(target.with_suffix(target.suffix + ".lock")):
                with contextlib.suppress(OSError):
                    return target.read_bytes()
                content = self._draw_twice(figure, fmt)
                _write_atomic(target, content)
        self._prune(version)
        return content

    def _draw_twice(self, figure: dict, fmt: str) -> bytes:
        """kaleido's headless page sometimes is not ready when it is first asked (seen under
        load: "kaleido_scopes is not defined"); one more try, then the error stands."""
        try:
            return self._draw(figure, fmt)
        except Exception:  # noqa: BLE001 - retried once; a second failure is raised
            log.warning("chart image failed once; drawing it again", exc_info=True)
            return self._draw(figure, fmt)

    @contextlib.contextmanager
    def _slot(self):
        with self._state:
            if self._running >= self.renders:
                if self._waiting >= self.queue:
                    raise Busy
                self._waiting += 1
                try:
                    deadline = time.monotonic() + self.wait
                    while self._running >= self.renders:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise Busy
                        self._state.wait(left)
                finally:
                    self._waiting -= 1
            self._running += 1
        try:
            yield
        finally:
            with self._state:
                self._running -= 1
                self._state.notify()

    def _prune(self, version: str) -> None:
        try:
            folders = sorted(
                (p for p in self.folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime
            )
        except OSError:
            return
        for old in folders[: -self.KEEP_VERSIONS]:
            if old.name != version:
                shutil.rmtree(old, ignore_errors=True)


def default_cache_folder() -> Path:
    """The system's temporary folder, one per user: images are keyed by dataset version (a
    digest of the tables), so servers of different data never share a file by mistake."""
    return Path(tempfile.gettempdir()) / f"pcp-dashboard-charts-{os.getuid()}"


@contextlib.contextmanager
def _file_lock(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(target: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
