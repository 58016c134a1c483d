"""Every published value of a metric in one area, with the sentence it came from: the metric
page's evidence, worked out once per (metric, area) and dataset version.

One area at a time: a metric published for every force over twelve years has thousands of
values, and what a person checks is the area in front of them (the page's area filter chooses
another). The revisions are counted the same way: for the area shown, basis by basis, never
for every area in the table. A period published again with a different value is *restated*
(the earlier value is "superseded"); one published again with the same value is *republished
unchanged*, never called superseded or revised."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from ..data.periods import period_display
from ..formatting import format_value
from .text import revision_words

#: The status of a value that a later publication gave again, unchanged.
REPUBLISHED = "republished unchanged"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Restatement:
    period: str  # "30 Sep 2015"
    before: str  # "361"
    before_published: str  # "January 2016"
    after: str
    after_published: str

    @property
    def text(self) -> str:
        words = revision_words(self.before, self.before_published, self.after, self.after_published)
        return f"{self.period} {words}"


@dataclass(frozen=True)
class SeriesRevisions:
    """The periods of one series (the area shown, one basis) published more than once."""

    basis: str
    restated: tuple[Restatement, ...]
    #: Periods published again with the same value ("30 Sep 2016"), oldest first.
    unchanged: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    area_id: str
    #: Period, value, status (current, superseded or republished unchanged; provisional), the
    #: source's sentence; by basis, then time, then publication.
    rows: list[list[str]]
    #: Document, publisher, published, kind: every source of the metric (any area).
    sources: list[list[str]]
    #: Per basis, for the area shown only: restated and republished-unchanged periods.
    revisions: tuple[SeriesRevisions, ...]
    #: Other areas with values of this metric.
    other_areas: int

    @property
    def statuses(self) -> set[str]:
        return {row[2].split(",")[0] for row in self.rows}


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _month(published: object) -> str:
    """'2017-01-26' or '2017-01' -> 'January 2017' (anything else as it is written)."""
    try:
        year, month = (int(p) for p in str(published).split("-")[:2])
        return f"{dt.date(year, month, 1):%B %Y}"
    except ValueError:
        return str(published)


def revision_status(current: bool, value: float, latest: float | None) -> str:
    """'current'; 'republished unchanged' when the current publication gives the same value;
    else 'superseded' (``latest``: the current value of the same period, None if unknown)."""
    if current:
        return "current"
    return REPUBLISHED if latest is not None and _same(value, latest) else SUPERSEDED


def _status(current: bool, value: float, latest: float, provisional: bool) -> str:
    return revision_status(current, value, latest) + (", provisional" if provisional else "")


def _series_revisions(ordered: pd.DataFrame, unit: str) -> tuple[SeriesRevisions, ...]:
    """``ordered``: the area's values by basis, then time, then publication."""
    found: list[SeriesRevisions] = []
    for basis, rows in ordered.groupby("basis", sort=False):
        restated: list[Restatement] = []
        unchanged: list[str] = []
        for period, group in rows.groupby("period", sort=False):
            if len(group) < 2:
                continue
            label = period_display(str(basis), str(period))
            last = group[group["current"]].iloc[-1] if group["current"].any() else group.iloc[-1]
            differing = group[[not _same(float(v), float(last["value"])) for v in group["value"]]]
            if differing.empty:
                unchanged.append(label)
                continue
            before = differing.iloc[-1]  # the latest earlier publication that said otherwise
            restated.append(
                Restatement(
                    label,
                    format_value(before["value"], unit),
                    _month(before["published"]),
                    format_value(last["value"], unit),
                    _month(last["published"]),
                )
            )
        if restated or unchanged:
            found.append(SeriesRevisions(str(basis), tuple(restated), tuple(unchanged)))
    return tuple(found)


def build_evidence(
    metric: dict,
    area_id: str,
    values: pd.DataFrame,
    all_values: pd.DataFrame,
    source_index: dict[str, dict],
) -> Evidence:
    """``values``: the metric's observations in the area; ``all_values``: in every area."""
    unit = str(metric["unit"])
    ordered = values.sort_values(["basis", "period_end", "published"], kind="stable")
    current = ordered[ordered["current"].astype(bool)]
    now = dict(
        zip(zip(current["basis"], current["period"], strict=True), current["value"], strict=True)
    )
    latest = [
        now.get(key, value)
        for key, value in zip(
            zip(ordered["basis"], ordered["period"], strict=True), ordered["value"], strict=True
        )
    ]
    rows = [
        [
            period_display(basis, period),
            format_value(value, unit),
            _status(bool(current), float(value), float(last), status == "provisional"),
            str(sentence),
        ]
        for basis, period, value, current, status, sentence, last in zip(
            ordered["basis"],
            ordered["period"],
            ordered["value"],
            ordered["current"],
            ordered["status"],
            ordered["source_sentence"],
            latest,
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
    others = all_values["area_id"].nunique() - (1 if len(values) else 0)
    return Evidence(area_id, rows, sources, _series_revisions(ordered, unit), int(max(0, others)))


def _periods(count: int) -> str:
    return f"{count} period was" if count == 1 else f"{count} periods were"


def revision_sentences(evidence: Evidence, area: str, basis_labels: dict[str, str]) -> list[str]:
    """What the metric page says about revisions: for the area shown, per basis (named when
    the metric has more than one), restatements with both values, then the periods
    republished unchanged. ``basis_labels``: the bases the page shows, with their names."""
    if not evidence.revisions:
        return [f"{area}: no value of this metric has been published more than once."]
    out: list[str] = []
    for series in evidence.revisions:
        head = area + (
            f", {basis_labels.get(series.basis, series.basis)}" if len(basis_labels) > 1 else ""
        )
        if series.restated:
            details = "; ".join(r.text for r in series.restated)
            out.append(
                f"{head}: {_periods(len(series.restated))} published again with a different "
                f"value: {details}. The latest publication is shown as current."
            )
        else:
            out.append(f"{head}: no value has been revised.")
        if series.unchanged:
            out.append(
                f"{_periods(len(series.unchanged))} republished unchanged "
                f"({', '.join(series.unchanged)}): the same value again, not a revision."
            )
    return out


def status_hint(area: str, statuses: set[str]) -> str:
    """The line above the table of values: what its statuses mean, only those it shows."""
    text = f"Values for {area}."
    if SUPERSEDED in statuses:
        text += " Superseded: a later publication gave a different value."
    if REPUBLISHED in statuses:
        text += " Republished unchanged: a later publication gave the same value again."
    return text
