"""Lookups built once per dataset version: dicts keyed by metric, area, basis, priority, quarter.

Pages ask for one series, one priority's metrics or one quarter's updates at a time; filtering
the whole observations frame for each of those inside a loop is what made the overview slow.
Here each frame is grouped once (pandas does the grouping in C) and a lookup is a dict access;
rows are turned into Python values only for the keys someone asks for.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..data import columnar
from ..data.model import Dataset
from ..data.periods import QUARTER_BASES
from ..data.validate import area_aliases
from .choices import find_area
from .narrative import OPERATION, AreaMentions

SeriesKey = tuple[str, str, str]  # metric_id, area_id, basis


@dataclass(frozen=True)
class SeriesRows:
    """The current values of one metric in one area on one basis, oldest first."""

    periods: tuple[str, ...]
    labels: tuple[str, ...]  # periods for people: "2019/20 Q4"
    values: tuple[float, ...]
    ends: tuple[dt.date, ...]
    source_ids: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.periods)

    def upto(self, count: int) -> SeriesRows:
        return SeriesRows(
            self.periods[:count],
            self.labels[:count],
            self.values[:count],
            self.ends[:count],
            self.source_ids[:count],
        )


EMPTY_SERIES = SeriesRows((), (), (), (), ())


def quarter_key(label: str) -> tuple[int, int]:
    """Order of a canonical quarter label ("2019-20-Q4" -> (2019, 4)) without parsing it."""
    return int(label[:4]), int(label[-1])


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _by_priority(records: Iterable[dict]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for record in records:
        found.setdefault(int(record["priority"]), []).append(record)
    return found


def _groups(frame: pd.DataFrame, columns: list[str]) -> dict[Any, np.ndarray]:
    """Row positions of each group, in frame order (one pass, in C)."""
    if frame.empty:
        return {}
    return dict(frame.groupby(columns, sort=False).indices)


@dataclass(frozen=True)
class Columns:
    """The current values as NumPy arrays, sorted so that each series is one slice, oldest
    first: built once per dataset version, read by every lookup (no frame filtered per request).
    Labels are shared: each distinct period, label and source id is one Python string."""

    keys: list[SeriesKey]
    starts: np.ndarray  # int64: series i is rows starts[i]:starts[i + 1]
    periods: np.ndarray  # object (str)
    labels: np.ndarray  # object (str)
    values: np.ndarray  # float64
    ends: np.ndarray  # object (datetime.date)
    source_ids: np.ndarray  # object (str)
    metric_ids: np.ndarray  # object (str), per row
    area_ids: np.ndarray  # object (str), per row
    bases: np.ndarray  # object (str), per row
    position: dict[SeriesKey, int]

    def rows(self, index: int) -> SeriesRows:
        a, b = int(self.starts[index]), int(self.starts[index + 1])
        return SeriesRows(
            tuple(self.periods[a:b].tolist()),
            tuple(self.labels[a:b].tolist()),
            tuple(self.values[a:b].tolist()),
            tuple(self.ends[a:b].tolist()),
            tuple(self.source_ids[a:b].tolist()),
        )


def _shared(column: pd.Series) -> np.ndarray:
    """A column of repeated strings as an object array holding one string per distinct value."""
    codes, uniques = pd.factorize(column, sort=False)
    return np.asarray(uniques, dtype=object)[codes]


def build_columns(current: pd.DataFrame) -> Columns:
    """Sort the current values by series and time once, and find where each series starts."""
    if current.empty:
        empty = np.array([], dtype=object)
        return Columns(
            [], np.zeros(1, dtype=np.int64), empty, empty, np.array([]), empty, empty,
            empty, empty, empty, {},
        )  # fmt: skip
    order = np.lexsort(
        (
            pd.factorize(current["period_end"], sort=True)[0],
            pd.factorize(current["basis"], sort=True)[0],
            pd.factorize(current["area_id"], sort=True)[0],
            pd.factorize(current["metric_id"], sort=True)[0],
        )
    )
    frame = current.iloc[order]
    return _assemble(frame, {c: _shared(frame[c]) for c in _SHARED})


#: The text columns of a Columns, each one Python string per distinct value.
_SHARED = ("metric_id", "area_id", "basis", "period", "period_label", "source_id")
#: A Columns as a frame (``columns_frame``), the form stored with a version (views/model.py).
COLUMNS_FRAME = (*_SHARED[:5], "value", "period_end", "source_id")


def _assemble(frame: pd.DataFrame, text: dict[str, np.ndarray]) -> Columns:
    """A Columns of a frame whose rows are in series order, oldest first (``text``: its text
    columns as shared object arrays)."""
    metric, area, basis = text["metric_id"], text["area_id"], text["basis"]
    n = len(frame)
    change = np.ones(n, dtype=bool)
    change[1:] = (metric[1:] != metric[:-1]) | (area[1:] != area[:-1]) | (basis[1:] != basis[:-1])
    firsts = np.flatnonzero(change)
    # The arrays hold Python strings: tolist() gives them as they are (10^5 series at 10^6
    # observations: a third of a second with a tuple of str() per series).
    picked = (metric[firsts].tolist(), area[firsts].tolist(), basis[firsts].tolist())
    keys = list(zip(*picked, strict=True))
    return Columns(
        keys=keys,
        starts=np.append(firsts, n).astype(np.int64),
        periods=text["period"],
        labels=text["period_label"],
        values=frame["value"].to_numpy(dtype=float),
        ends=frame["period_end"].to_numpy(dtype=object),
        source_ids=text["source_id"],
        metric_ids=metric,
        area_ids=area,
        bases=basis,
        position=dict(zip(keys, range(len(keys)), strict=True)),
    )


def columns_frame(columns: Columns) -> pd.DataFrame:
    """The rows of ``columns`` in their order, as stored with a version (``columns_from``)."""
    return pd.DataFrame(
        {
            "metric_id": columns.metric_ids,
            "area_id": columns.area_ids,
            "basis": columns.bases,
            "period": columns.periods,
            "period_label": columns.labels,
            "value": columns.values,
            "period_end": columns.ends,
            "source_id": columns.source_ids,
        },
        columns=list(COLUMNS_FRAME),
    )


def columns_from(frame: pd.DataFrame) -> Columns:
    """``build_columns`` of a version's current values, from ``columns_frame``'s frame read
    back (rows already in series order, text and dates already one object per distinct value:
    nothing is sorted or factorized again)."""
    if frame.empty:
        return build_columns(frame)
    return _assemble(frame, {c: frame[c].to_numpy(dtype=object) for c in _SHARED})


def metrics_in_quarter_frame(found: dict[str, set[str]]) -> pd.DataFrame:
    """``Indexes.metrics_in_quarter`` as rows (period, metric_id), as stored with a version."""
    pairs = [(period, metric_id) for period in sorted(found) for metric_id in sorted(found[period])]
    return pd.DataFrame(pairs, columns=["period", "metric_id"], dtype=object)


class Indexes:
    """Read-only lookups over one :class:`~dashboard.data.model.Dataset`."""

    def __init__(self, dataset: Dataset, *, stored: bool = True):
        self.dataset = dataset
        #: The frames worked out at import and read with the version (views/model.py
        #: ``stored_frames``), or {}: each lookup is then built from the dataset itself.
        self.stored = columnar.stored_views(dataset) if stored else {}
        self._series: dict[SeriesKey, SeriesRows] = {}
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Build what every page reads (see ViewModel.prepare)."""
        for name in ("columns", "areas_by_metric", "bases_by_metric", "metrics_in_quarter",
                     "_metric_rows", "priorities", "metrics_by_priority",
                     "objectives_by_priority", "discontinuities", "area_names", "area_options",
                     "narrative_by", "glossary", "named_areas"):  # fmt: skip
            getattr(self, name)

    # -- observations ----------------------------------------------------------------------
    @cached_property
    def columns(self) -> Columns:
        frame = self.stored.get("columns")
        if frame is not None:
            return columns_from(frame)
        return build_columns(self.dataset.current)

    def series(self, metric_id: str, area_id: str, basis: str) -> SeriesRows:
        key = (metric_id, area_id, basis)
        found = self._series.get(key)
        if found is not None:
            return found
        columns = self.columns
        index = columns.position.get(key)
        if index is None:
            return EMPTY_SERIES
        found = columns.rows(index)
        with self._lock:
            self._series[key] = found
        return found

    def series_keys(self) -> Iterable[SeriesKey]:
        return self.columns.keys

    @cached_property
    def areas_by_metric(self) -> dict[str, list[str]]:
        found: dict[str, set[str]] = {}
        for metric_id, area_id, _ in self.columns.keys:
            found.setdefault(metric_id, set()).add(area_id)
        return {metric_id: sorted(areas) for metric_id, areas in found.items()}

    @cached_property
    def bases_by_metric(self) -> dict[str, list[str]]:
        """Each metric's bases with figures: its headline basis first, then the others A-Z."""
        found: dict[str, set[str]] = {}
        for metric_id, _, basis in self.columns.keys:
            found.setdefault(metric_id, set()).add(basis)
        headline = {m: str(row["basis"]) for m, row in self.dataset.metric_index.items()}

        def order(metric_id: str, bases: set[str]) -> list[str]:
            return sorted(bases, key=lambda b: (b != headline[metric_id], b))

        return {metric_id: order(metric_id, bases) for metric_id, bases in found.items()}

    @cached_property
    def _quarterly(self) -> np.ndarray:
        """Rows on a quarterly basis."""
        return np.isin(self.columns.bases, QUARTER_BASES)

    @cached_property
    def metrics_in_quarter(self) -> dict[str, set[str]]:
        """Quarter -> metrics with a quarterly value for it (any area)."""
        stored = self.stored.get("metrics_in_quarter")
        if stored is not None:
            found_stored: dict[str, set[str]] = {}
            for period, metric_id in zip(stored["period"], stored["metric_id"], strict=True):
                found_stored.setdefault(period, set()).add(metric_id)
            return found_stored
        c = self.columns
        rows = np.flatnonzero(self._quarterly)
        pairs = pd.DataFrame(
            {"period": c.periods[rows], "metric": c.metric_ids[rows]}
        ).drop_duplicates()
        found: dict[str, set[str]] = {}
        for period, metric_id in zip(pairs["period"], pairs["metric"], strict=True):
            found.setdefault(period, set()).add(metric_id)
        return found

    @cached_property
    def _metric_rows(self) -> dict[str, tuple[int, int]]:
        """Metric -> its rows (a metric's series are neighbours)."""
        c = self.columns
        found: dict[str, tuple[int, int]] = {}
        for i, (metric_id, _, _) in enumerate(c.keys):
            a, b = int(c.starts[i]), int(c.starts[i + 1])
            first = found.get(metric_id, (a, b))[0]
            found[metric_id] = (first, b)
        return found

    def area_values(self, metric_id: str, quarter: str) -> list[tuple[str, float]]:
        """(area, value) of every area with a quarterly value of the metric for the quarter, in
        area order."""
        span = self._metric_rows.get(metric_id)
        if span is None:
            return []
        c = self.columns
        a, b = span
        hit = np.flatnonzero((c.periods[a:b] == quarter) & self._quarterly[a:b]) + a
        return list(zip(c.area_ids[hit].tolist(), c.values[hit].tolist(), strict=True))

    @cached_property
    def _observation_positions(self) -> dict[str, np.ndarray]:
        return _groups(self.dataset.observations, ["metric_id"])

    def observations_of(self, metric_id: str) -> pd.DataFrame:
        """Every published value of a metric (current and superseded)."""
        positions = self._observation_positions.get(metric_id)
        frame = self.dataset.observations
        return frame.iloc[positions] if positions is not None else frame.iloc[:0]

    @cached_property
    def _observation_area_positions(self) -> dict[tuple[str, str], np.ndarray]:
        return _groups(self.dataset.observations, ["metric_id", "area_id"])

    def observations_in(self, metric_id: str, area_id: str) -> pd.DataFrame:
        """Every published value of a metric in one area (current and superseded)."""
        positions = self._observation_area_positions.get((metric_id, area_id))
        frame = self.dataset.observations
        return frame.iloc[positions] if positions is not None else frame.iloc[:0]

    @cached_property
    def values_per_source(self) -> dict[str, int]:
        counts = self.dataset.observations["source_id"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}

    # -- catalogue ---------------------------------------------------------------------------
    @cached_property
    def metrics_by_priority(self) -> dict[int, list[dict]]:
        """Priority -> its metrics in catalogue order."""
        return _by_priority(self.dataset.metric_index.values())

    @cached_property
    def objectives_by_priority(self) -> dict[int, list[dict]]:
        return _by_priority(self.dataset.objectives.to_dict("records"))

    @cached_property
    def priorities(self) -> list[dict]:
        """The plan's priorities in number order."""
        return self.dataset.priorities.sort_values("priority").to_dict("records")

    @cached_property
    def discontinuities(self) -> dict[tuple[str, str], dict[str, str]]:
        """(metric, basis) -> {first period on the new footing: reason}, in file order."""
        found: dict[tuple[str, str], dict[str, str]] = {}
        for row in self.dataset.discontinuities.itertuples():
            if getattr(row, "kind", None) == "caveat":
                continue  # a caveat marks a chart; limits rebase only at breaks (issue 10)
            found.setdefault((row.metric_id, row.basis), {})[row.period] = row.reason
        return found

    @cached_property
    def caveats(self) -> dict[tuple[str, str], list[str]]:
        """(metric, basis) -> periods from which a caveat of the register applies (kind
        "caveat": marked on charts and said with a verdict; limits are not rebased)."""
        found: dict[tuple[str, str], list[str]] = {}
        for row in self.dataset.discontinuities.itertuples():
            if getattr(row, "kind", None) == "caveat" and _is_recording(row.reason):
                found.setdefault((row.metric_id, row.basis), []).append(row.period)
        return found

    @cached_property
    def caveat_notes(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(metric, basis) -> (period, first sentence) of the register's other caveats (not
        the recording-practice one): a verdict at that period says it (the 39 migrants in
        Essex's homicides, year ending December 2019; STATS19's injury-based recording)."""
        found: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for row in self.dataset.discontinuities.itertuples():
            if getattr(row, "kind", None) == "caveat" and not _is_recording(row.reason):
                text = str(row.reason).removeprefix("Caveat, not a break: ")
                first = text.split(". ")[0].rstrip(".") + "."
                found.setdefault((row.metric_id, row.basis), []).append((row.period, first))
        return found

    # -- areas -------------------------------------------------------------------------------
    @cached_property
    def area_names(self) -> dict[str, str]:
        return {area_id: str(row["name"]) for area_id, row in self.dataset.area_index.items()}

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for area_id, row in self.dataset.area_index.items():
            parent = _text(row.get("parent_id"))
            if parent:
                found.setdefault(parent, []).append(area_id)
        return found

    def descendants(self, area_id: str) -> frozenset[str]:
        """The area and every area inside it, by the stated parent links."""
        found: set[str] = set()
        stack = [area_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self._children.get(current, []))
        return frozenset(found)

    def ancestors(self, area_id: str) -> list[str]:
        chain: list[str] = []
        current = _text(self.dataset.area_index.get(area_id, {}).get("parent_id"))
        while current and current not in chain:
            chain.append(current)
            current = _text(self.dataset.area_index.get(current, {}).get("parent_id"))
        return chain

    @cached_property
    def area_options(self) -> list[tuple[str, str]]:
        """The Area filter: the force first, then each LPA followed by its areas, then the
        force's areas whose LPA is not stated. Only the force's own areas: the other police
        force areas and England and Wales are compared on the comparison pages, never a filter
        value (their figures under the force's pages would read as the force's)."""
        force = self.dataset.force_id
        names = self.area_names
        options = [(force, names.get(force, force))]
        placed = {force}
        own = self.dataset.own_area_ids
        rows = {a: row for a, row in self.dataset.area_index.items() if a in own}
        for lpa_id, lpa in rows.items():
            if lpa["area_type"] != "lpa":
                continue
            options.append((lpa_id, str(lpa["name"])))
            placed.add(lpa_id)
            short = str(lpa["name"]).split(" ")[0]
            for child in self._children.get(lpa_id, []):
                options.append((child, f"– {names[child]} ({short})"))
                placed.add(child)
        for area_id, row in rows.items():
            if area_id not in placed and row["area_type"] not in ("partner", "county"):
                options.append((area_id, f"{row['name']} (Local Policing Area not stated)"))
        return options

    @cached_property
    def area_spellings(self) -> dict[str, set[str]]:
        """Every way of writing an area (id, name, alias) -> the area ids it names."""
        return area_aliases(self.dataset.areas)

    @cached_property
    def area_mentions(self) -> AreaMentions:
        """How an update's text names one of the force's own areas (not the force itself,
        which every update is about, nor another police force area)."""
        force = self.dataset.force_id
        spellings = []
        for area_id in sorted(self.dataset.own_area_ids - {force}):
            row = self.dataset.area_index[area_id]
            aliases = row.get("aliases")
            names = [row.get("name"), *(aliases.split("|") if isinstance(aliases, str) else [])]
            spellings += [(name, area_id) for name in names if isinstance(name, str)]
        return AreaMentions.of(spellings)

    def areas_in_words(self, words: str) -> list[str]:
        """The force's areas (not the force) a search names: its words are an area's spelling
        in any case ("southend"), or name one as a place ("murder in Southend")."""
        if not words.strip():
            return []
        own = self.dataset.own_area_ids - {self.dataset.force_id}
        found = {a for a in find_area(words, self.area_spellings) if a in own}
        found |= self.area_mentions.named(words)
        return sorted(found, key=lambda a: self.area_names.get(a, a))

    @cached_property
    def named_areas(self) -> dict[str, frozenset[str]]:
        """Item id -> the force's areas its text names anywhere (not only as a "Southend:"
        label): an update counts for each of them, as for the area it was filed under."""
        mentions = self.area_mentions
        return {
            str(item["item_id"]): frozenset(mentions.named(str(item["text"])))
            for item in self.narrative
        }

    # -- narrative ---------------------------------------------------------------------------
    @cached_property
    def narrative(self) -> list[dict]:
        """Every item, in document order (quarter, then order)."""
        frame = self.dataset.narrative
        if frame.empty:
            return []
        return frame.sort_values(["quarter", "order"], kind="stable").to_dict("records")

    @cached_property
    def narrative_by(self) -> dict[tuple[str | None, int | None], list[dict]]:
        """(quarter, priority) -> items in document order; None stands for "any"."""
        found: dict[tuple[str | None, int | None], list[dict]] = {(None, None): self.narrative}
        for item in self.narrative:
            quarter, priority = item["quarter"], int(item["priority"])
            for key in ((quarter, priority), (quarter, None), (None, priority)):
                found.setdefault(key, []).append(item)
        return found

    def items(self, quarter: str | None, priority: int | None) -> Sequence[dict]:
        return self.narrative_by.get((quarter, priority), ())

    @cached_property
    def glossary(self) -> dict[str, str]:
        glossary = self.dataset.glossary
        return dict(zip(glossary["term"], glossary["expansion"], strict=True))

    @cached_property
    def operations(self) -> dict[str, list[str]]:
        """Operation name -> quarters it is mentioned in."""
        found: dict[str, set[str]] = {}
        for item in self.narrative:
            for name in OPERATION.findall(str(item["text"])):
                found.setdefault(name, set()).add(item["quarter"])
        return {k: sorted(v) for k, v in sorted(found.items())}


def _is_recording(reason: object) -> bool:
    """A caveat of recording practice (the rise from 2014): said by RECORDING_CAVEAT."""
    return "recording practice" in str(reason)
