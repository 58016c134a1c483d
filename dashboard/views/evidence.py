"""Every published value of a metric in one area, with the sentence it came from: the metric
page's evidence, worked out once per (metric, area) and dataset version.

One area at a time: a metric published for every force over twelve years has thousands of
values, and what a person checks is the area in front of them (the page's area filter chooses
another)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.periods import period_display
from ..formatting import format_value
from .since import restatements


@dataclass(frozen=True)
class Evidence:
    area_id: str
    #: Period, value, current or superseded (and provisional), the source's sentence; by basis,
    #: then time, then publication.
    rows: list[list[str]]
    #: Document, publisher, published, kind: every source of the metric (any area).
    sources: list[list[str]]
    #: (area, basis, period) of the metric published again with a different value (any area).
    restated: int
    #: ... published again with the same value: confirmed, not revised (any area).
    confirmed: int
    #: Other areas with values of this metric.
    other_areas: int


def build_evidence(
    metric: dict,
    area_id: str,
    values: pd.DataFrame,
    all_values: pd.DataFrame,
    revisions: pd.DataFrame,
    source_index: dict[str, dict],
) -> Evidence:
    """``values``: the metric's observations in the area; ``all_values``: in every area."""
    unit = str(metric["unit"])
    ordered = values.sort_values(["basis", "period_end", "published"], kind="stable")
    rows = [
        [
            period_display(basis, period),
            format_value(value, unit),
            ("current" if current else "superseded")
            + (", provisional" if status == "provisional" else ""),
            str(sentence),
        ]
        for basis, period, value, current, status, sentence in zip(
            ordered["basis"],
            ordered["period"],
            ordered["value"],
            ordered["current"],
            ordered["status"],
            ordered["source_sentence"],
            strict=True,
        )
    ]
    sources = []
    for source_id in dict.fromkeys(all_values["source_id"]):
        source = source_index.get(source_id, {})
        sources.append(
            [
                str(source.get("title", source_id)),
                str(source.get("publisher", "")),
                str(source.get("published", "")),
                str(source.get("kind", "")),
            ]
        )
    kinds = restatements(revisions)
    restated = sum(kinds.values())
    others = all_values["area_id"].nunique() - (1 if len(values) else 0)
    return Evidence(
        area_id, rows, sources, int(restated), len(kinds) - restated, int(max(0, others))
    )
