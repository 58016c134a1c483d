"""The view model of one dataset version: every number, sentence, verdict and count that the
pages, meeting mode, the PDF, the deck and the spreadsheets show.

``views_of(dataset)`` gives the one :class:`ViewModel` of a loaded dataset, built on first use
and shared read-only by every thread of the worker. Its indexes are built once (lazily), and each
view (a metric for an area and quarter, a priority's pack section, the signals of a quarter) is
computed at most once per key and kept in the model's one :class:`~.cache.VersionCache`. A page
asks only for what it shows. A reload gives a new dataset, hence a new view model: nothing is
invalidated by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from ..data import columnar
from ..data.model import Dataset
from ..data.periods import QUARTER_BASES
from .cache import VersionCache
from .choices import check_quarter, find_area, not_own_area
from .evidence import Evidence, build_evidence
from .facade import Views
from .indexes import Indexes, columns_frame, metrics_in_quarter_frame
from .meeting import Meeting
from .metric import MetricView, build_metric_view
from .narrative import bullets, filter_items, own_items
from .pack import Pack, PackError, build_pack
from .scan import SeriesInput, by_quarter, quarter_number, scan
from .signals import SignalRow, Signals, sort_rows
from .titles import quarter_label

T = TypeVar("T")


class ViewModel:
    """Read-only views of one dataset version (see the module docstring)."""

    def __init__(self, dataset: Dataset, *, stored: bool = True):
        self.dataset = dataset
        #: ``stored``: take what was worked out at import and read with the version
        #: (``stored_frames``) where there is any; False: work everything out from the tables.
        self.index = Indexes(dataset, stored=stored)
        self.cache = VersionCache()
        self._quarter_signals: dict[str, Signals] = {}

    @cached_property
    def version(self) -> str:
        """The dataset version: ``Dataset.version`` when the store gives one, else a digest of
        the tables' contents (the same in every worker that loaded the same files)."""
        given = getattr(self.dataset, "version", "")
        if given:
            return str(given)
        digest = hashlib.sha256()
        for name in sorted(self.dataset.tables):
            frame = self.dataset.tables[name]
            digest.update(name.encode())
            digest.update(",".join(map(str, frame.columns)).encode())
            digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        return digest.hexdigest()[:20]

    def prepare(self) -> ViewModel:
        """What a worker works out once per dataset version, before its first page: the
        indexes, the signals of every quarter (one pass over every quarterly series), and the
        latest quarter's overview for the whole force. Everything else is computed when first
        asked for and kept (:meth:`cached`)."""
        self.index.prepare()
        self.version  # noqa: B018 - built here, once
        latest = self.latest_quarter
        if self._stored_signals is None:
            self._signals_by_quarter  # noqa: B018 - built here, once
        elif latest:
            self.signals(latest)  # the overview's; other quarters' when first asked for
        if latest:
            for priority in self.index.priorities:
                self.headline_figures(int(priority["priority"]), latest, None)
        return self

    def cached(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """A value computed once per dataset version (for example a built pack file)."""
        return self.cache.get(namespace, key, compute)

    # -- the dataset's facts ---------------------------------------------------------------
    @property
    def force_id(self) -> str:
        return self.dataset.force_id

    @property
    def quarters(self) -> list[str]:
        return self.dataset.quarters

    @property
    def latest_quarter(self) -> str | None:
        return self.dataset.latest_quarter

    def metric(self, metric_id: str) -> dict:
        return self.dataset.metric_index[metric_id]

    def area_name(self, area_id: str | None) -> str:
        area_id = area_id or self.force_id
        return self.index.area_names.get(area_id, area_id)

    def priority(self, number: int) -> dict:
        return next(p for p in self.index.priorities if int(p["priority"]) == number)

    def as_at(self) -> str:
        as_at = self.dataset.data_as_at
        return f"{as_at:%d %B %Y}" if isinstance(as_at, dt.date) else "unknown"

    def last_published(self) -> str:
        return self.dataset.last_published or "unknown"

    # -- metric views ----------------------------------------------------------------------
    def metric_view(
        self,
        metric_id: str,
        area_id: str | None = None,
        quarter: str | None = None,
        basis: str | None = None,
    ) -> MetricView:
        """The series up to the chosen quarter for the chosen area (force-wide when the metric
        has no figures for that area), on its headline basis unless another is asked for."""
        return self.cached(
            "metric", (metric_id, area_id, quarter, basis), lambda: self._metric_view(
                metric_id, area_id, quarter, basis
            )
        )  # fmt: skip

    def _metric_view(
        self, metric_id: str, area_id: str | None, quarter: str | None, basis: str | None
    ) -> MetricView:
        metric = self.metric(metric_id)
        basis = basis or metric["basis"]
        area = area_id or self.force_id
        fallback = False
        if area not in self.index.areas_by_metric.get(metric_id, ()):
            area, fallback = self.force_id, area != self.force_id
        return build_metric_view(
            metric,
            area,
            self.area_name(area),
            fallback,
            basis,
            self.index.series(metric_id, area, basis),
            quarter,
            list(self.index.discontinuities.get((metric_id, basis), {})),
            self.index.caveats.get((metric_id, basis), ()),
            self.index.caveat_notes.get((metric_id, basis), ()),
        )

    def evidence(self, metric_id: str, area_id: str) -> Evidence:
        """Every published value of the metric in the area, and the metric's sources."""
        return self.cached(
            "evidence",
            (metric_id, area_id),
            lambda: build_evidence(
                self.metric(metric_id),
                area_id,
                self.index.observations_in(metric_id, area_id),
                self.index.observations_of(metric_id),
                self.dataset.source_index,
            ),
        )

    def metric_areas(self, metric_id: str) -> list[str]:
        return self.index.areas_by_metric.get(metric_id, [])

    def metric_bases(self, metric_id: str) -> list[str]:
        return self.index.bases_by_metric.get(metric_id, [])

    def priority_metrics(self, number: int, *, headline_only: bool = False) -> list[dict]:
        metrics = self.index.metrics_by_priority.get(number, [])
        return [m for m in metrics if m["headline"]] if headline_only else list(metrics)

    def headline_figures(
        self, number: int, quarter: str | None, area_id: str | None
    ) -> list[MetricView]:
        """The priority's headline figures for the quarter and area (the overview's cards and
        the pack's headline figures): headline metrics with a value for the quarter itself."""
        if not quarter:
            return []
        have = self.index.metrics_in_quarter.get(quarter, set())
        views = [
            self.metric_view(m["metric_id"], area_id, quarter)
            for m in self.priority_metrics(number, headline_only=True)
            if m["metric_id"] in have
        ]
        return [v for v in views if v.current is not None and v.basis in QUARTER_BASES]

    def export_views(self, quarter: str, area_id: str) -> list[MetricView]:
        """Every series the dashboard shows for the quarter and area, on every basis: the rows
        behind the CSV/XLSX export."""
        views = []
        for metric_id in self.dataset.metric_index:
            for basis in self.metric_bases(metric_id):
                view = self.metric_view(metric_id, area_id, quarter, basis)
                if view.points:
                    views.append(view)
        return views

    # -- narrative -------------------------------------------------------------------------
    def visible_areas(self, area_id: str | None) -> frozenset[str] | None:
        """Areas whose updates show for a chosen area: it and everything inside it (None: no
        area filter)."""
        if not area_id or area_id == self.force_id:
            return None
        return self.index.descendants(area_id)

    def narrative_items(
        self,
        *,
        quarter: str | None = None,
        priority: int | None = None,
        area_id: str | None = None,
        words: str = "",
    ) -> list[dict]:
        """The updates for a quarter, priority and area (and words), in document order."""
        namespace = "search" if words else "narrative"
        return self.cached(
            namespace,
            (quarter, priority, area_id, words),
            lambda: filter_items(
                self.index.items(quarter, priority),
                self.visible_areas(area_id),
                words,
                self.index.named_areas,
            ),
        )

    def area_items(self, quarter: str | None, priority: int, area_id: str) -> list[dict]:
        """What an area's own page lists: updates filed under it or an area inside it, or whose
        text names one of them anywhere."""
        items = self.narrative_items(quarter=quarter, priority=priority, area_id=area_id)
        if area_id == self.force_id:
            return items
        return own_items(items, self.index.descendants(area_id), self.index.named_areas)

    def update_count(self, quarter: str | None, priority: int, area_id: str | None) -> int:
        """How many updates the quarter's report has for the priority and area (bullets, not
        headings): the one count the overview, the slides, the PDF and the deck show."""
        if not quarter:
            return 0
        return len(
            bullets(self.narrative_items(quarter=quarter, priority=priority, area_id=area_id))
        )

    # -- the overview's signals --------------------------------------------------------------
    def signals(self, quarter: str) -> Signals:
        """Quarterly series showing special cause at the quarter (concerns first): worked out
        for every quarter at once, when the version loads (:mod:`.scan`)."""
        stored = self._stored_signals
        if stored is not None and quarter in stored.counts:
            # Bounded by the version's quarters; two threads may both build one (the same).
            built = self._quarter_signals.get(quarter)
            if built is None:
                built = self._quarter_signals.setdefault(quarter, stored.of(quarter))
            return built
        found = None if stored is not None else self._signals_by_quarter.get(quarter)
        if found is None:
            return Signals(quarter, [], 0, self._quarterly_series)
        return found

    @cached_property
    def _stored_signals(self) -> StoredSignals | None:
        """The signals of every quarter as stored with the version (None: not stored)."""
        rows, counts = self.index.stored.get("signals"), self.index.stored.get("signal_counts")
        return (
            StoredSignals.of_frames(rows, counts)
            if rows is not None and counts is not None
            else None
        )

    @cached_property
    def _quarterly_series(self) -> int:
        return sum(1 for key in self.index.series_keys() if key[2] in QUARTER_BASES)

    @cached_property
    def _signals_by_quarter(self) -> dict[str, Signals]:
        stored = self._stored_signals
        if stored is not None:
            return {quarter: stored.of(quarter) for quarter in stored.counts}
        columns = self.index.columns
        keys, inputs = [], []
        metrics = self.dataset.metric_index
        # Each distinct period label is read once.
        codes, uniques = pd.factorize(columns.periods)
        numbers = np.array(
            [quarter_number(p) if b in QUARTER_BASES else -1 for p, b in zip(
                uniques, pd.Series(columns.bases).groupby(codes).first(), strict=True)],
            dtype=np.int64,
        )[codes] if len(columns.periods) else np.zeros(0, dtype=np.int64)  # fmt: skip
        for i, key in enumerate(columns.keys):
            metric_id, _, basis = key
            if basis not in QUARTER_BASES:
                continue
            a, b = int(columns.starts[i]), int(columns.starts[i + 1])
            keys.append(key)
            inputs.append(
                SeriesInput(
                    quarters=numbers[a:b],
                    values=columns.values[a:b],
                    improvement=str(metrics[metric_id]["direction"]),
                    discontinuities=tuple(self.index.discontinuities.get((metric_id, basis), {})),
                )
            )
        quarters = {q: quarter_number(q) for q in self.quarters}
        found = by_quarter(keys, inputs, scan(inputs), quarters)
        total = len(keys)
        return {
            quarter: Signals(
                quarter,
                sort_rows([SignalRow(*key, meaning) for key, meaning in rows]),
                judged,
                total,
            )
            for quarter, (rows, judged) in found.items()
        }

    # -- packs -------------------------------------------------------------------------------
    def resolve_quarter(self, quarter: str | None) -> str:
        """A quarter in any spelling the tables accept -> its canonical label, or PackError."""
        if not quarter:
            if self.latest_quarter is None:
                raise PackError("The data have no quarters.")
            return self.latest_quarter
        found = check_quarter(quarter, self.quarters)
        if found.label is None:
            if found.readable:
                have = ", ".join(quarter_label(q) for q in self.quarters)
                raise PackError(f"{found.problem}; the data have {have}.")
            raise PackError(f"{found.problem}; use for example 2019-20-Q4 or 'Q4 2019/20'.")
        return found.label

    def resolve_area(self, area: str | None) -> str:
        """An area id (or its name or alias, any case) -> area id, or PackError."""
        if not area:
            return self.force_id
        found = [area] if area in self.dataset.area_index else []
        found = found or find_area(area, self.index.area_spellings)
        if len(found) == 1:
            if outside := not_own_area(
                self.dataset, found[0], "packs and downloads are not made for it"
            ):
                raise PackError(outside)
            return found[0]
        if found:
            raise PackError(f"“{area}” could be {' or '.join(found)}; use one of those ids.")
        own = [a for a in self.dataset.area_index if a in self.dataset.own_area_ids]
        raise PackError(f"“{area}” is not an area in the data; use one of: {', '.join(own)}.")

    def pack(
        self,
        quarter: str | None = None,
        area: str | None = None,
        meeting: Meeting | None = None,
    ) -> Pack:
        """Everything a meeting's slides, PDF, PowerPoint and Excel summary say, for a quarter and
        area, or for a meeting's choice (see :mod:`dashboard.views.pack` for the rules)."""
        asked = meeting or Meeting(quarter, area)
        chosen = asked.resolved(self)
        return self.cached("pack", chosen.key, lambda: build_pack(self, chosen))

    def source_lines(self, source_ids: Iterable[str], *, published_word: bool = False) -> list[str]:
        """'Title (Publisher, 2020-05)' for each source, once, in first-mention order."""
        lines = []
        for source_id in dict.fromkeys(source_ids):
            source = self.dataset.source_index.get(source_id)
            if source:
                when = f"published {source['published']}" if published_word else source["published"]
                lines.append(f"{source['title']} ({source['publisher']}, {when})")
        return lines


# --- what is worked out once, at import, and stored with the version ----------------------------

#: The modules whose rules decide the stored frames: frames stored under other rules are not
#: read (the view model works them out itself, as before) until `pcp-dashboard publish`.
_RULE_MODULES = (
    "views/indexes.py",
    "views/model.py",
    "views/scan.py",
    "views/signals.py",
    "analysis/spc.py",
    "data/periods.py",
    "data/model.py",
)


def _rules_digest() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for name in _RULE_MODULES:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
    return digest.hexdigest()[:16]


RULES = _rules_digest()


def stored_frames(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """What every worker's view model would work out at start, as frames written with the
    version at import (``data/columnar.py``): the series index in its sorted order, which
    metrics each quarter has, and the overview's signals of every quarter."""
    vm = ViewModel(dataset, stored=False)
    found = vm._signals_by_quarter
    rows = [
        (quarter, row.metric_id, row.area_id, row.basis, row.meaning)
        for quarter, signals in found.items()
        for row in signals.rows
    ]
    counts = [(quarter, s.judged, s.series) for quarter, s in found.items()]
    return {
        "columns": columns_frame(vm.index.columns),
        "metrics_in_quarter": metrics_in_quarter_frame(vm.index.metrics_in_quarter),
        "signals": pd.DataFrame(
            rows, columns=["quarter", "metric_id", "area_id", "basis", "meaning"], dtype=object
        ),
        "signal_counts": pd.DataFrame(
            {
                "quarter": pd.Series([c[0] for c in counts], dtype=object),
                "judged": np.array([c[1] for c in counts], dtype=np.int64),
                "series": np.array([c[2] for c in counts], dtype=np.int64),
            }
        ),
    }


@dataclass(frozen=True)
class StoredSignals:
    """The frames ``stored_frames`` wrote, each quarter's rows (contiguous, in panel order)
    turned into a :class:`Signals` only when that quarter is asked for (10^6 observations:
    75,000 rows over 40 quarters; a page asks for one)."""

    rows: pd.DataFrame
    spans: dict[str, tuple[int, int]]
    counts: dict[str, tuple[int, int]]  # quarter -> (judged, series)

    @classmethod
    def of_frames(cls, rows: pd.DataFrame, counts: pd.DataFrame) -> StoredSignals:
        quarters = rows["quarter"].to_numpy(dtype=object)
        spans: dict[str, tuple[int, int]] = {}
        if len(quarters):
            change = np.flatnonzero(quarters[1:] != quarters[:-1]) + 1
            starts = np.concatenate(([0], change)).tolist()
            ends = [*starts[1:], len(quarters)]
            spans = {quarters[a]: (a, b) for a, b in zip(starts, ends, strict=True)}
        return cls(
            rows,
            spans,
            {
                str(q): (int(j), int(t))
                for q, j, t in zip(
                    counts["quarter"], counts["judged"], counts["series"], strict=True
                )
            },
        )

    def of(self, quarter: str) -> Signals:
        judged, total = self.counts[quarter]
        a, b = self.spans.get(quarter, (0, 0))
        part = self.rows.iloc[a:b]
        return Signals(
            quarter,
            [
                SignalRow(*row)
                for row in zip(
                    part["metric_id"],
                    part["area_id"],
                    part["basis"],
                    part["meaning"],
                    strict=True,
                )
            ],  # fmt: skip
            judged,
            total,
        )


# Every process that imports the view model (the app, the commands) writes these frames with
# each version it makes.
columnar.install_views(RULES, stored_frames)


_MODELS: OrderedDict[int, ViewModel] = OrderedDict()
_MODELS_LOCK = threading.Lock()
#: A worker serves one dataset at a time; the one before it may still be finishing a request.
KEEP = 2


def views_of(dataset: Dataset) -> ViewModel:
    """The one view model of this loaded dataset (version), shared by every thread, prepared
    (:meth:`ViewModel.prepare`) by the thread that first asks for it."""
    key = id(dataset)
    with _MODELS_LOCK:
        found = _MODELS.get(key)
        if found is not None and found.dataset is dataset:
            _MODELS.move_to_end(key)
            return found
        model = ViewModel(dataset)
        _MODELS[key] = model
        while len(_MODELS) > KEEP:
            _MODELS.popitem(last=False)
    # Outside the lock: another dataset's pages go on being served meanwhile. A second thread
    # asking for this one meanwhile waits on the same cached properties, never repeats them.
    return model.prepare()


def _is_views(vm: ViewModel) -> Views:
    """mypy's check that the view model is the facade its helpers are typed against."""
    return vm
