"""Pure selections from the dataset that pages, slides and exports share.

No Dash here: what a page shows for a (quarter, area, priority) is decided once and tested
without a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .analysis.compare import Change, headline_comparisons
from .analysis.spc import XmrResult, is_small_numbers, verdict, xmr
from .data.model import Dataset
from .data.periods import QUARTER_BASES, period_display
from .figures.metric import Point


@dataclass(frozen=True)
class MetricView:
    """One metric for one area and quarter: the numbers every card, chart and slide needs."""

    metric: dict
    area_id: str
    area_is_fallback: bool  # True when the metric is published force-wide only
    basis: str
    points: list[Point]
    periods: list[str]
    current: float | None
    comparisons: dict[str, Change | None]
    quarter: str | None
    spc: XmrResult
    verdict: str  # the one-line signal-or-noise verdict every card, chart, slide and pack uses


def metric_areas(dataset: Dataset, metric_id: str) -> list[str]:
    frame = dataset.current
    return sorted(set(frame.loc[frame["metric_id"] == metric_id, "area_id"]))


def metric_bases(dataset: Dataset, metric_id: str) -> list[str]:
    frame = dataset.current
    bases = list(dict.fromkeys(frame.loc[frame["metric_id"] == metric_id, "basis"]))
    headline = dataset.metric_index[metric_id]["basis"]
    return sorted(bases, key=lambda b: (b != headline, b))


def metric_view(
    dataset: Dataset,
    metric_id: str,
    area_id: str | None,
    quarter: str | None,
    basis: str | None = None,
) -> MetricView:
    """The series up to the chosen quarter for the chosen area (force-wide when the metric has
    no figures for that area), with the comparisons the data allow. Computed once per dataset
    and arguments: pages, slides and packs ask for the same views again and again."""
    key = ("metric_view", metric_id, area_id, quarter, basis)
    if key not in dataset.memo:
        dataset.memo[key] = _metric_view(dataset, metric_id, area_id, quarter, basis)
    return dataset.memo[key]


def _metric_view(
    dataset: Dataset,
    metric_id: str,
    area_id: str | None,
    quarter: str | None,
    basis: str | None,
) -> MetricView:
    metric = dataset.metric_index[metric_id]
    basis = basis or metric["basis"]
    area = area_id or dataset.force_id
    fallback = False
    if area not in metric_areas(dataset, metric_id):
        area, fallback = dataset.force_id, area != dataset.force_id
    frame = dataset.series(metric_id, area, basis)
    if quarter and basis in QUARTER_BASES:
        frame = frame[frame["period"].map(_quarter_key) <= _quarter_key(quarter)]
    points = [
        Point(period_display(basis, p), float(v), end)
        for p, v, end in zip(frame["period"], frame["value"], frame["period_end"], strict=False)
    ]
    comparisons: dict[str, Change | None] = {
        "previous_quarter": None,
        "same_quarter_last_year": None,
    }
    current = None
    if basis in QUARTER_BASES and quarter:
        series = pd.Series(frame["value"].to_numpy(), index=frame["period"].to_numpy(), dtype=float)
        comparisons = headline_comparisons(series, quarter, metric["direction"])
        current = float(series[quarter]) if quarter in series.index else None
    elif points:
        current = points[-1].value
    periods = list(frame["period"])
    result, line = spc_verdict(dataset, metric, basis, periods, [p.value for p in points])
    return MetricView(
        metric, area, fallback, basis, points, periods, current, comparisons, quarter, result, line
    )


def discontinuity_periods(dataset: Dataset, metric_id: str, basis: str) -> list[str]:
    frame = dataset.discontinuities
    if frame.empty:
        return []
    chosen = frame[(frame["metric_id"] == metric_id) & (frame["basis"] == basis)]
    return list(chosen["period"])


def spc_verdict(
    dataset: Dataset, metric: dict, basis: str, periods: list[str], values: list[float]
) -> tuple[XmrResult, str]:
    """XmR analysis of a series (rebased at recorded discontinuities) and its one-line verdict."""
    target = metric.get("target")
    target = None if target is None or pd.isna(target) else float(target)
    result = xmr(
        list(zip(periods, values, strict=False)),
        metric["direction"],
        discontinuities=discontinuity_periods(dataset, metric["metric_id"], basis),
        target=target,
    )
    small = metric["unit"] == "count" and is_small_numbers(values)
    return result, verdict(result, metric["direction"], small_numbers=small)


def _quarter_key(label: str) -> tuple[int, int]:
    return int(label[:4]), int(label[-1])


def priority_metrics(dataset: Dataset, priority: int, *, headline_only: bool = False) -> list[dict]:
    metrics = dataset.metrics
    chosen = metrics[metrics["priority"] == priority]
    if headline_only:
        chosen = chosen[chosen["headline"]]
    return chosen.to_dict("records")


def metrics_with_quarter(dataset: Dataset, metric_ids: list[str], quarter: str) -> list[str]:
    """Metrics that have a value in the quarter (any area)."""
    frame = dataset.current
    have = set(frame.loc[frame["period"] == quarter, "metric_id"])
    return [m for m in metric_ids if m in have]


def visible_areas(dataset: Dataset, area_id: str | None) -> set[str] | None:
    """Areas whose narrative shows for a chosen area: the area and everything inside it.
    None means no area filter (everything)."""
    if not area_id or area_id == dataset.force_id:
        return None
    return dataset.descendants(area_id)


def narrative_items(
    dataset: Dataset,
    *,
    quarter: str | None = None,
    priority: int | None = None,
    area_id: str | None = None,
    words: str = "",
) -> list[dict]:
    """Bullets for a quarter/priority/area, in document order.

    Choosing an area shows force-wide items, that area's and its sub-areas'; a heading is kept
    when any of its sub-bullets is shown, so the context is not lost.
    """
    frame = dataset.narrative
    if frame.empty:
        return []
    if quarter:
        frame = frame[frame["quarter"] == quarter]
    if priority:
        frame = frame[frame["priority"] == priority]
    items = frame.sort_values(["quarter", "order"]).to_dict("records")
    allowed = visible_areas(dataset, area_id)
    by_id = {i["item_id"]: i for i in items}

    def area_of(item: dict) -> str | None:
        area = item.get("area_id")
        return area if isinstance(area, str) else None

    def own_match(item: dict) -> bool:
        area = area_of(item)
        if allowed is not None and area is not None and area not in allowed:
            return False
        parent = item.get("parent_id")
        if allowed is not None and isinstance(parent, str) and parent in by_id:
            parent_area = area_of(by_id[parent])
            if area is None and parent_area is not None and parent_area not in allowed:
                return False
        return True

    shown = {i["item_id"] for i in items if own_match(i)}
    # A heading whose own area is outside the filter still shows if a child is inside it.
    for item in items:
        parent = item.get("parent_id")
        if item["item_id"] in shown and isinstance(parent, str) and parent in by_id:
            shown.add(parent)
    # A heading with no children shown, and whose own area is outside the filter, goes.
    for item in items:
        if item.get("kind") == "heading" and allowed is not None:
            kids = [
                i for i in items if i.get("parent_id") == item["item_id"] and i["item_id"] in shown
            ]
            if not kids and area_of(item) not in allowed:
                shown.discard(item["item_id"])
    if words:
        pattern = re.compile(re.escape(words.strip()), re.I)
        matched = {i["item_id"] for i in items if pattern.search(str(i["text"]))}
        keep = set()
        for item_id in matched & shown:
            keep.add(item_id)
            parent = by_id[item_id].get("parent_id")
            if isinstance(parent, str) and parent in shown:
                keep.add(parent)
        shown = keep
    return [i for i in items if i["item_id"] in shown]


def operations(dataset: Dataset) -> dict[str, list[str]]:
    """Operation name -> quarters it is mentioned in."""
    found: dict[str, set[str]] = {}
    pattern = re.compile(r"\bOperation\s+[A-Z][A-Z]{2,}\b")
    for quarter, text in zip(dataset.narrative["quarter"], dataset.narrative["text"], strict=False):
        for name in pattern.findall(str(text)):
            found.setdefault(name, set()).add(quarter)
    return {k: sorted(v) for k, v in sorted(found.items())}


def glossary_map(dataset: Dataset) -> dict[str, str]:
    return dict(zip(dataset.glossary["term"], dataset.glossary["expansion"], strict=False))


def update_counts(dataset: Dataset, quarter: str | None) -> dict[int, int]:
    """Bullets (not headings) per priority in the quarter."""
    frame = dataset.narrative
    if frame.empty or not quarter:
        return {}
    frame = frame[(frame["quarter"] == quarter) & (frame["kind"] == "bullet")]
    return frame.groupby("priority").size().astype(int).to_dict()
