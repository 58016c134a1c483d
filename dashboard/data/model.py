"""The validated dataset in memory: tables plus the few derived views every page needs.

Built once per load and shared read-only. Restatements are kept: for each metric, area, basis
and period, the value from the most recently published source is *current*; the others are its
history (revisions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .digests import fingerprint
from .errors import DataError, Problem, errors_only
from .partial import partial_quarters
from .periods import QUARTER_BASES, parse_quarter, period_display, period_end
from .schema import NATIONAL_AREA_TYPES, TABLES
from .validate import publication_end, strip_helpers, validate_folder

if TYPE_CHECKING:
    from .records import RecordStore

OBSERVATION_KEY = ["metric_id", "area_id", "basis", "period"]


@dataclass(frozen=True)
class Dataset:
    path: Path
    tables: dict[str, pd.DataFrame]
    #: Identifies the dataset version: a digest of its table files (see versions.py), the same
    #: in every process, so caches of anything computed from a version can key on it.
    version: str = ""
    loaded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: The version's police.uk records folder (records.py), checked against the manifest at
    #: load; None when the version keeps no records.
    records: Path | None = None

    def relocated(self, path: Path) -> Dataset:
        """The same dataset, its files now at ``path`` (a staged version renamed into place),
        keeping the views already computed."""
        moved = replace(self, path=path)
        own = {f.name for f in fields(self)}
        moved.__dict__.update({k: v for k, v in self.__dict__.items() if k not in own})
        return moved

    def with_records(self, records: Path | None) -> Dataset:
        """The same dataset (its views kept) with the version's records folder."""
        moved = replace(self, records=records)
        own = {f.name for f in fields(self)}
        moved.__dict__.update({k: v for k, v in self.__dict__.items() if k not in own})
        moved.__dict__.pop("record_store", None)
        return moved

    @cached_property
    def record_store(self) -> RecordStore | None:
        """The record questions of this version (records.RecordStore), opened on first use."""
        from .records import RecordStore  # noqa: PLC0415 - DuckDB only when records are asked

        return RecordStore(self.records) if self.records is not None else None

    # -- tables --------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        frame = self.tables.get(name)
        if frame is None:
            return pd.DataFrame(columns=TABLES[name].columns)
        return frame

    @property
    def priorities(self) -> pd.DataFrame:
        return self.table("priorities")

    @property
    def objectives(self) -> pd.DataFrame:
        return self.table("objectives")

    @property
    def areas(self) -> pd.DataFrame:
        return self.table("areas")

    @property
    def metrics(self) -> pd.DataFrame:
        return self.table("metrics")

    @property
    def sources(self) -> pd.DataFrame:
        return self.table("sources")

    @property
    def narrative(self) -> pd.DataFrame:
        return self.table("narrative")

    @property
    def glossary(self) -> pd.DataFrame:
        return self.table("glossary")

    @property
    def discontinuities(self) -> pd.DataFrame:
        return self.table("discontinuities")

    # -- derived -------------------------------------------------------------------------
    @cached_property
    def observations(self) -> pd.DataFrame:
        """Every observation, with its source's publication date, period end and `current`."""
        obs = self.table("observations").copy()
        published = dict(zip(self.sources["source_id"], self.sources["published"], strict=False))
        obs["published"] = obs["source_id"].map(published).fillna("")
        # Each distinct (basis, period) is read once; rows take theirs by position.
        basis_codes, _ = pd.factorize(obs["basis"])
        period_codes, periods = pd.factorize(obs["period"])
        _, first_rows, pair_codes = np.unique(
            basis_codes.astype(np.int64) * max(1, len(periods)) + period_codes,
            return_index=True,
            return_inverse=True,
        )
        ends = np.empty(len(first_rows), dtype=object)
        labels = np.empty(len(first_rows), dtype=object)
        pair_bases = obs["basis"].to_numpy()[first_rows]
        pair_periods = obs["period"].to_numpy()[first_rows]
        for i, (basis, period) in enumerate(zip(pair_bases, pair_periods, strict=True)):
            ends[i], labels[i] = period_end(basis, period), period_display(basis, period)
        obs["period_end"] = ends[pair_codes]
        obs["period_label"] = labels[pair_codes]
        # Ties on the publication date are broken by source id, so `current` never depends on
        # the order of rows in the file. Sorted on integer codes (each column's values in
        # order), which gives the order of sorting the text itself, in a fraction of the time.
        columns = [*OBSERVATION_KEY, "published", "source_id"]
        codes = [pd.factorize(obs[c], sort=True)[0] for c in columns]
        order = np.lexsort(codes[::-1])
        obs = obs.iloc[order].reset_index(drop=True)
        key = np.stack([c[order] for c in codes[: len(OBSERVATION_KEY)]], axis=1)
        same_as_next = np.zeros(len(obs), dtype=bool)
        if len(obs) > 1:
            same_as_next[:-1] = (key[1:] == key[:-1]).all(axis=1)
        obs["current"] = ~same_as_next
        return obs

    @cached_property
    def current(self) -> pd.DataFrame:
        return self.observations[self.observations["current"]].reset_index(drop=True)

    @cached_property
    def revisions(self) -> pd.DataFrame:
        """Keys published with more than one value or by more than one source, oldest first."""
        obs = self.observations  # sorted by key, then publication: repeats are neighbours
        key = (
            np.stack([pd.factorize(obs[c], sort=False)[0] for c in OBSERVATION_KEY], axis=1)
            if len(obs)
            else np.zeros((0, len(OBSERVATION_KEY)), dtype=np.int64)
        )
        same = (key[1:] == key[:-1]).all(axis=1) if len(obs) > 1 else np.zeros(0, dtype=bool)
        repeated = np.zeros(len(obs), dtype=bool)
        repeated[:-1] |= same
        repeated[1:] |= same
        return obs[repeated].reset_index(drop=True)

    @cached_property
    def quarters(self) -> list[str]:
        """Quarters with any quarterly figure or narrative, oldest first."""
        labels = set(self.current.loc[self.current["basis"].isin(QUARTER_BASES), "period"])
        labels |= set(self.narrative["quarter"].dropna())
        return sorted(labels, key=lambda q: parse_quarter(q))

    @cached_property
    def partial_quarters(self) -> dict[str, tuple[int, ...]]:
        """Quarters whose updates come only from partial copies (``ingest --partial``), each
        with the priorities it holds (:mod:`.partial`)."""
        narrative = self.narrative
        titles = dict(zip(self.sources["source_id"], self.sources["title"], strict=False))
        return partial_quarters(
            zip(narrative["quarter"], narrative["source_id"], strict=False),
            titles,
            (int(p) for p in self.priorities["priority"]),
        )

    @cached_property
    def newest_quarter(self) -> str | None:
        """The latest quarter with figures or updates that had begun by the latest publication
        in the data (and by today), not merely the largest label, partial or not. Validation
        already refuses a period that begins after its own source was published; this keeps
        the rule for any dataset, however it was made."""
        limit = dt.datetime.now(dt.UTC).date()
        published = self.last_published_date
        if published is not None:
            limit = min(limit, published)
        sensible = [q for q in self.quarters if parse_quarter(q).start_date <= limit]
        return sensible[-1] if sensible else None

    @cached_property
    def latest_quarter(self) -> str | None:
        """The quarter pages open on: the newest (:attr:`newest_quarter`) that is not held
        only by a partial copy of its update, while such a quarter exists; else the newest."""
        newest = self.newest_quarter
        if newest is None or newest not in self.partial_quarters:
            return newest
        limit = parse_quarter(newest)
        whole = [
            q for q in self.quarters if parse_quarter(q) <= limit and q not in self.partial_quarters
        ]
        return whole[-1] if whole else newest

    @cached_property
    def last_published_date(self) -> dt.date | None:
        """The last day the latest ``published`` value can mean (YYYY-MM: the month's end)."""
        ends = [e for e in map(publication_end, self.sources["published"]) if e is not None]
        return max(ends) if ends else None

    @cached_property
    def data_as_at(self) -> dt.date | None:
        """End of the latest quarter the quarterly figures cover (the reports' "Data to"), or
        of the latest period of any figure when there are no quarterly ones."""
        if self.newest_quarter:
            return parse_quarter(self.newest_quarter).end_date
        return self.latest_figure_end

    @cached_property
    def latest_figure_end(self) -> dt.date | None:
        """End of the latest period any current figure covers, on any basis."""
        ends = self.current["period_end"]
        return max(ends) if len(ends) else None

    @cached_property
    def last_published(self) -> str | None:
        return max(self.sources["published"]) if len(self.sources) else None

    @cached_property
    def metric_index(self) -> dict[str, dict]:
        return {row["metric_id"]: row for row in self.metrics.to_dict("records")}

    @cached_property
    def area_index(self) -> dict[str, dict]:
        return {row["area_id"]: row for row in self.areas.to_dict("records")}

    @cached_property
    def source_index(self) -> dict[str, dict]:
        return {row["source_id"]: row for row in self.sources.to_dict("records")}

    @cached_property
    def own_area_ids(self) -> frozenset[str]:
        """The force and its own areas (LPAs, districts, towns, partners): every area but the
        other police force areas and England and Wales, which the national tables bring only
        to compare the force with."""
        national = set(NATIONAL_AREA_TYPES)
        return frozenset(
            area_id
            for area_id, row in self.area_index.items()
            if row.get("area_type") not in national
        )

    @cached_property
    def force_id(self) -> str:
        """The plan's force: the one area of type ``force`` (validate.check_links requires it)."""
        forces = self.areas.loc[self.areas["area_type"] == "force", "area_id"]
        if not len(forces):
            raise LookupError("areas.csv has no area of type 'force' (the plan's force)")
        return str(forces.iloc[0])

    @cached_property
    def priority_numbers(self) -> tuple[int, ...]:
        """The plan's priorities, as priorities.csv numbers them, in order."""
        return tuple(sorted(int(p) for p in self.priorities["priority"]))


def load_dataset(path: Path, version: str | None = None) -> Dataset:
    """Read and validate a dataset folder; raises DataError with every problem found.

    The views every page needs (period ends, quarters, the default quarter, "data as at") are
    built here, once: a dataset that cannot be shown is refused at load, where the store keeps
    the last good one, instead of failing in every page afterwards."""
    if version is None:
        version = fingerprint(Path(path))
    frames, problems = validate_folder(path)
    errors = errors_only(problems)
    if errors:
        raise DataError(problems)
    tables = {name: strip_helpers(frame, TABLES[name]) for name, frame in frames.items()}
    return prepared_dataset(path, tables, version)


def prepared_dataset(
    path: Path,
    tables: dict[str, pd.DataFrame],
    version: str,
    prepared: dict[str, pd.DataFrame] | None = None,
) -> Dataset:
    """A dataset of validated, typed tables (validated now, or at import and read back from the
    version's columnar files), with the views every page needs built once. ``prepared``:
    derived frames computed at import (``observations``), taken instead of derived again."""
    dataset = Dataset(path=path, tables=tables, version=version)
    for name, frame in (prepared or {}).items():
        dataset.__dict__[name] = frame
    try:
        _ = (dataset.observations, dataset.latest_quarter, dataset.data_as_at)
        _ = (dataset.latest_figure_end, dataset.last_published, dataset.revisions)
    except Exception as exc:  # noqa: BLE001 - whatever it is, this dataset cannot be shown
        raise DataError(
            [
                Problem.of_file(
                    str(path),
                    f"a dataset the pages can show; preparing it failed "
                    f"({exc.__class__.__name__}: {exc})",
                )
            ]
        ) from exc
    return dataset
