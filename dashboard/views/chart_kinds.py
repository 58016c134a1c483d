"""The kinds of metric chart: one line each, in ``REGISTRY``.

A series is shown by the registered kind with the largest ``min_points`` it reaches (none for no
value, a value card for one, bars for two, a trend line for three or more:
:func:`~dashboard.views.points.chart_kind`); a kind registered for a basis (``monthly``: police.uk
calendar months, their gaps kept) is chosen before those for any basis once the series reaches its
``min_points``. A kind names its renderers, which every surface takes from here: the screen's
Plotly figure and the table under it (``pages/common.py`` and the chart image download,
``export/charts.py``), the SVG picture of meeting mode and the PDF (``figures/svg.py``) and the
PowerPoint chart (``export/deck.py``). A kind without renderers (none, card) is shown without a
chart: the page writes its summary or a value card.

A new kind is one module with its three renderers plus one line here. Renderers are named
(``"module:attribute"``), not imported: they live in the layers above the view model, which
resolve them (:meth:`ChartKind.renderer`) when they draw.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Literal

Surface = Literal["screen", "table", "svg", "pptx"]


@dataclass(frozen=True)
class ChartKind:
    name: str  # "trend": MetricView.kind, Chart.kind
    min_points: int  # the fewest values the kind is for
    #: (points, unit, title, *, basis, breaks) -> Plotly figure dict; ``basis`` is the series'
    #: basis in words, for a kind that writes it on the chart (the others leave it to the
    #: caption); ``breaks`` the register's breaks, (first day on the new footing, label)
    screen: str = ""
    #: (points, unit) -> (first column's heading, rows): the table under the screen's chart
    table: str = "dashboard.figures.metric:period_table"
    #: (frame: figures.svg.Frame) -> (x positions, SVG shapes, value labels)
    svg: str = ""
    #: an export.deck.PptxMarks: the chart type, where values go, how the series is drawn
    pptx: str = ""
    #: The basis (observations.basis) a kind is for alone; "" for a series on any basis
    basis: str = ""

    @property
    def drawn(self) -> bool:
        """True when the kind is a chart (not a summary or a value card)."""
        return bool(self.screen)

    def renderer(self, surface: Surface) -> Any:
        """The renderer this kind names for ``surface`` (imported on first use)."""
        name = getattr(self, surface)
        if not name:
            raise LookupError(f"the {self.name} chart kind draws nothing on {surface}")
        module, _, attribute = name.partition(":")
        return getattr(importlib.import_module(module), attribute)


REGISTRY: tuple[ChartKind, ...] = (
    ChartKind("none", 0),
    ChartKind("card", 1),
    ChartKind(
        "comparison",
        2,
        screen="dashboard.figures.metric:comparison_figure",
        svg="dashboard.figures.svg:bars",
        pptx="dashboard.export.deck:COLUMNS",
    ),
    ChartKind(
        "trend",
        3,
        screen="dashboard.figures.metric:trend_figure",
        svg="dashboard.figures.svg:line",
        pptx="dashboard.export.deck:LINE",
    ),
    ChartKind(
        "monthly",
        2,
        screen="dashboard.figures.monthly:monthly_chart",
        table="dashboard.figures.monthly:monthly_table",
        svg="dashboard.figures.svg:line",
        pptx="dashboard.export.deck:LINE",
        basis="month",
    ),
)


def kinds() -> tuple[ChartKind, ...]:
    """The registered kinds (read at call time, so a test can add one)."""
    return REGISTRY


def kind_named(name: str) -> ChartKind:
    found = next((k for k in kinds() if k.name == name), None)
    if found is None:
        raise LookupError(f"no chart kind {name!r}; registered: {[k.name for k in kinds()]}")
    return found


def kind_for(count: int, basis: str = "") -> ChartKind:
    """The kind for a series of ``count`` values on ``basis``: one registered for that basis
    first, then the one for the most values it reaches."""
    fitting = [k for k in kinds() if k.min_points <= count and k.basis in ("", basis)]
    return max(fitting, key=lambda k: (bool(k.basis), k.min_points))
