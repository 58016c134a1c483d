"""A chart's own download as PNG or SVG, drawn by Plotly (kaleido, the system Chromium).

The figure is the dashboard's own (figures/metric.py), so the file looks like the chart on
screen. kaleido takes about 1.7 s an image (a whole Chromium each time), so this is for one chart
on request, never for a whole pack (the packs draw their charts natively: see pdf.py and
deck.py), and ``ChartImages`` (a filecache.FileCache) makes sure it cannot tie up the server:
each image is drawn once per dataset version and figure, and a worker draws a bounded number
at a time (see filecache.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..data.model import Dataset
from ..figures.screen import screen_figure
from ..views import PackError, views_of
from ..views.chart_kinds import kind_named
from .filecache import Busy, FileCache, Gate, machine_slot

__all__ = ["IMAGE_TYPES", "Busy", "ChartImages", "PackError", "chart_figure", "chart_image"]

IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}

log = logging.getLogger(__name__)


def chart_figure(dataset: Dataset, metric_id: str, quarter: str | None, area: str | None) -> dict:
    if metric_id not in dataset.metric_index:
        raise PackError(f"There is no metric “{metric_id}” in the data.")
    vm = views_of(dataset)
    view = vm.metric_view(metric_id, vm.resolve_area(area), vm.resolve_quarter(quarter))
    kind = kind_named(view.kind)
    if not kind.drawn:
        raise PackError(
            "This metric has fewer than two values here, so there is no chart to download."
        )
    return screen_figure(vm, view)


def chart_image(
    figure: dict, fmt: str, *, browser: str | None = None, width: int = 1200, height: int = 675
) -> bytes:
    """The image, drawn by kaleido in ``browser`` (Settings.browser_path; None: kaleido's own
    choice), kaleido's own call as plotly.io.to_image makes it, so the browser is passed in
    rather than set in os.environ."""
    import kaleido

    layout = {**figure["layout"], "height": height, "width": width}
    return kaleido.calc_fig_sync(
        {"data": figure["data"], "layout": layout},
        opts={"format": fmt, "width": width, "height": height, "scale": 2 if fmt == "png" else 1},
        kopts={"path": browser} if browser else {},
    )


class ChartImages:
    """Chart images, drawn once per (dataset version, figure, format): a FileCache whose files
    are named by a digest of the figure."""

    def __init__(
        self,
        folder: Path,
        renders: int = 1,
        queue: int = 1,
        wait: float = 30.0,
        draw: Callable[[dict, str], bytes] | None = None,
        gate: Gate | None = None,
        browsers: int = 1,
        browser: str | None = None,
        max_bytes: int = 256 << 20,
        max_files: int = 2000,
    ):
        self.files = FileCache(
            folder, gate or Gate(renders, queue, wait), max_bytes=max_bytes, max_files=max_files
        )
        self._draw = draw or partial(chart_image, browser=browser)
        #: Headless Chromiums drawing at once on the whole machine (every worker together):
        #: two starting at once on two cores took a page render to 6.8 s.
        self.browsers = browsers
        self._slots = Path(folder) / ".browsers"

    def key(self, figure: dict, fmt: str) -> str:
        text = json.dumps(figure, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(f"{fmt}\n{text}".encode()).hexdigest()[:32]

    def get(self, version: str, figure: dict, fmt: str) -> bytes:
        """The image's bytes: from the cache, or drawn now (raises Busy when full)."""
        name = f"chart-{self.key(figure, fmt)}.{fmt}"

        def draw() -> bytes:
            with machine_slot(self._slots, self.browsers, self.files.gate.wait):
                return self._draw_twice(figure, fmt)

        return self.files.get(version, name, draw)

    def _draw_twice(self, figure: dict, fmt: str) -> bytes:
        """kaleido's headless page sometimes is not ready when it is first asked (seen under
        load: "kaleido_scopes is not defined"); one more try, then the error stands."""
        try:
            return self._draw(figure, fmt)
        except Exception as error:  # noqa: BLE001 - retried once; a second failure is raised
            # A known, recovered hiccup: one line naming it, no traceback (a second failure
            # is raised and logged in full).
            log.warning(
                "chart image failed once (%s: %s); drawing it again",
                type(error).__name__,
                str(error)[:200],
                extra={"event": "chart_retry"},
            )
            return self._draw(figure, fmt)
