"""A chart's own download as PNG or SVG, drawn by Plotly (kaleido, the system Chromium).

The figure is the dashboard's own (figures/metric.py), so the file looks like the chart on
screen. kaleido takes about 1.7 s an image, so this is for one chart on request, never for a
whole pack (the packs draw their charts natively: see pdf.py and deck.py).
"""

from __future__ import annotations

from ..config import Settings
from ..data.model import Dataset
from ..figures.metric import comparison_figure, trend_figure
from ..views import PackError, views_of

IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def chart_figure(dataset: Dataset, metric_id: str, quarter: str | None, area: str | None) -> dict:
    if metric_id not in dataset.metric_index:
        raise PackError(f"There is no metric “{metric_id}” in the data.")
    vm = views_of(dataset)
    view = vm.metric_view(metric_id, vm.resolve_area(area), vm.resolve_quarter(quarter))
    kind = view.kind
    if kind not in ("comparison", "trend"):
        raise PackError(
            "This metric has fewer than two values here, so there is no chart to download."
        )
    builder = comparison_figure if kind == "comparison" else trend_figure
    return builder(view.points, view.unit, view.title)


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
