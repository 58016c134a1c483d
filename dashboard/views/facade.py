"""What the views below the view model read of it: the typed facade they are handed.

:class:`~dashboard.views.model.ViewModel` is the one facade of a loaded dataset: it owns the
metric views, the packs, meetings, comparisons and changes since a meeting, and the cache. The
modules that build those (``pack``, ``meeting``, ``since``, ``compare``, ``coverage``,
``pack_sources``, ``national``) are handed it as a :class:`Views`: this protocol, which names
exactly what they read and imports nothing of theirs. So none of them imports ``ViewModel``
and the view model imports them without a circle (``tests/unit/test_import_cycles.py``);
mypy checks that ``ViewModel`` is a ``Views`` (``views/model.py``, ``_is_views``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Protocol, TypeVar

from ..data.model import Dataset
from .indexes import Indexes
from .metric import MetricView
from .signals import Signals

T = TypeVar("T")


class Views(Protocol):
    """The view model as its helpers see it (every member is ViewModel's own)."""

    dataset: Dataset
    index: Indexes

    @property
    def force_id(self) -> str: ...

    @property
    def quarters(self) -> list[str]: ...

    @property
    def latest_quarter(self) -> str | None: ...

    def cached(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T: ...

    def metric(self, metric_id: str) -> dict: ...

    def area_name(self, area_id: str | None) -> str: ...

    def as_at(self) -> str: ...

    def last_published(self) -> str: ...

    def metric_view(
        self,
        metric_id: str,
        area_id: str | None = None,
        quarter: str | None = None,
        basis: str | None = None,
    ) -> MetricView: ...

    def metric_areas(self, metric_id: str) -> list[str]: ...

    def metric_bases(self, metric_id: str) -> list[str]: ...

    def priority_metrics(self, number: int, *, headline_only: bool = False) -> list[dict]: ...

    def headline_figures(
        self, number: int, quarter: str | None, area_id: str | None
    ) -> list[MetricView]: ...

    def narrative_items(
        self,
        *,
        quarter: str | None = None,
        priority: int | None = None,
        area_id: str | None = None,
        words: str = "",
    ) -> list[dict]: ...

    def signals(self, quarter: str) -> Signals: ...

    def resolve_quarter(self, quarter: str | None) -> str: ...

    def resolve_area(self, area: str | None) -> str: ...

    def source_lines(
        self, source_ids: Iterable[str], *, published_word: bool = False
    ) -> list[str]: ...
