"""The view model: what every page, slide, pack and spreadsheet shows, computed once per dataset
version (see :mod:`dashboard.views.model`). Pure: no Dash, no Plotly, no files.

Layers below it (``data``, ``analysis``, ``formatting``) know nothing of it; ``figures``,
``components``, ``pages`` and ``export`` read it (docs/architecture.md).
"""

from .metric import MetricView, judge
from .model import ViewModel, views_of
from .pack import Chart, Headline, NarrativeLine, Pack, PackError, Section
from .points import Point, chart_kind

__all__ = [
    "Chart",
    "Headline",
    "MetricView",
    "NarrativeLine",
    "Pack",
    "PackError",
    "Point",
    "Section",
    "ViewModel",
    "chart_kind",
    "judge",
    "views_of",
]
