"""The record questions the pages ask, answered from the version's police.uk records (issue 22).

The one query layer the pages use for records: every answer comes from
:class:`~dashboard.data.records.RecordStore` (DuckDB over the version's counts file, never a
scan of the records per request) and is computed once per dataset version and key in a declared
namespace of :mod:`.cache`. Nothing here reads a file or the environment.

What is said, and why so (data/published/README.md, police.uk caveats):

* the basis is :data:`RECORDS_BASIS`: police.uk records, not Home Office recorded crime;
* a district's records are those whose LSOA lies in it (records outside the 14 districts and
  without an LSOA count force-wide only: docs/store.md's record-to-aggregate rule);
* anti-social behaviour records are incidents, not crimes, and carry no outcome; so a month's
  "crimes" are its other records, and outcome shares are of those crimes;
* the last outcome is the one the month's police.uk file gives: police.uk re-issues a month
  with later outcomes and states no date for a file, so the outcome is said "as the file held
  for MONTH gives it" with the file's name and the date of the copy where the sources say it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..formatting import format_number
from .districts import month_words

if TYPE_CHECKING:
    import pandas as pd

    from ..data.records import RecordStore
    from .model import ViewModel

RECORDS_BASIS = "police.uk records (not Home Office recorded crime)"
#: police.uk's own category label for anti-social behaviour incidents (not crimes: no outcome).
ASB = "Anti-social behaviour"


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float  # of the whole the answer names (records, or crimes)

    @property
    def words(self) -> str:
        """'1,234 (37.0%)'"""
        return f"{format_number(self.count)} ({self.percent:.1f}%)"


@dataclass(frozen=True)
class DistrictMonth:
    """One district's police.uk records of one month: its mix of categories and how its crimes
    stood at the file's last outcome."""

    area_id: str
    name: str
    month: str  # "2019-02"
    records: int  # every record whose LSOA lies in the district (crimes and ASB)
    categories: tuple[Share, ...]  # of ``records``, most first
    crimes: int  # records other than ASB
    outcomes: tuple[Share, ...]  # of ``crimes``, most first
    without_outcome: int  # crimes the file gives no outcome (none in the bundled months)
    file_words: str  # "2019-02-essex-street.csv, a copy dated 22 Dec 2021"

    @property
    def month_words(self) -> str:
        return month_words(self.month)

    @property
    def outcome_basis(self) -> str:
        """What an outcome share is a share of, exactly."""
        return (
            f"of the {format_number(self.crimes)} crimes recorded in {self.name} in "
            f"{self.month_words}, by the last outcome the police.uk file for the month gives "
            f"({self.file_words}; police.uk states no date for its files, and a later issue "
            "of the same month can give later outcomes)"
        )

    @property
    def mix_summary(self) -> str:
        if not self.categories:
            return f"{self.name} has no police.uk records for {self.month_words}."
        top = self.categories[:3]
        rest = "; then ".join(f"{s.label.lower()}, {s.words}" for s in top[1:])
        return (
            f"{format_number(self.records)} police.uk records in {self.name} in "
            f"{self.month_words}: the most were {top[0].label.lower()}, {top[0].words}"
            + (f"; then {rest}" if rest else "")
            + "."
        )

    @property
    def outcome_summary(self) -> str:
        if not self.outcomes:
            return f"No crime recorded in {self.name} in {self.month_words} has an outcome."
        top = self.outcomes[:3]
        rest = "; then ".join(f"“{s.label}”, {s.words}" for s in top[1:])
        return (
            f"Of the {format_number(self.crimes)} crimes recorded in {self.name} in "
            f"{self.month_words}, the most common last outcome was “{top[0].label}”, "
            f"{top[0].words}" + (f"; then {rest}" if rest else "") + "."
        )


def store(vm: ViewModel) -> RecordStore | None:
    """The version's record store, or None when the version keeps no records."""
    return vm.dataset.record_store


def months(vm: ViewModel) -> tuple[str, ...]:
    """The months the version's records hold, oldest first."""

    def build() -> tuple[str, ...]:
        found = store(vm)
        return tuple(found.months()) if found is not None else ()

    return vm.cached("records-months", (), build)


def _file_words(vm: ViewModel, month: str) -> str:
    """The file(s) a month's records came from, with the copy's date where exactly one source
    of the dataset names the file (police.uk files carry no release date of their own)."""
    files = vm.cached("records-files", month, lambda: _month_files(vm, month))
    if not files:
        return "the file is not named in the records"
    parts = []
    sources = vm.dataset.tables.get("sources")
    for name in files:
        dated = []
        if sources is not None and len(sources):
            titles = sources["title"].astype(str)
            dated = list(sources.loc[titles.str.contains(f"({name}:", regex=False), "published"])
        parts.append(f"{name}, a copy dated {_date_words(dated[0])}" if len(dated) == 1 else name)
    return "; ".join(parts)


def _date_words(text: object) -> str:
    """'2021-12-22' as '22 December 2021' (other forms as given)."""
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return f"{day.day} {day:%B %Y}"


def _month_files(vm: ViewModel, month: str) -> tuple[str, ...]:
    found = store(vm)
    return found.month_files(month) if found is not None else ()


def _shares(frame: pd.DataFrame, label: str, whole: int) -> tuple[Share, ...]:
    out = [
        Share(str(name), int(n), 100.0 * int(n) / whole if whole else 0.0)
        for name, n in zip(frame[label], frame["n"], strict=True)
    ]
    return tuple(sorted(out, key=lambda s: (-s.count, s.label)))


def district_month(vm: ViewModel, area_id: str, name: str, month: str) -> DistrictMonth | None:
    """A district's records of ``month``: categories and outcomes (None: no records kept, or
    the month is not among them)."""
    if month not in months(vm):
        return None
    return vm.cached(
        "records-district", (area_id, month), lambda: _district_month(vm, area_id, name, month)
    )


def _district_month(vm: ViewModel, area_id: str, name: str, month: str) -> DistrictMonth | None:
    found = store(vm)
    if found is None:
        return None
    frame = found.counts(
        ["crime_type", "last_outcome_category"], district=area_id, month=month, place="district"
    )
    records = int(frame["n"].sum())
    by_type = frame.groupby("crime_type", as_index=False)["n"].sum()
    crimes_frame = frame[frame["crime_type"] != ASB]
    crimes = int(crimes_frame["n"].sum())
    with_outcome = crimes_frame[crimes_frame["last_outcome_category"] != ""]
    by_outcome = with_outcome.groupby("last_outcome_category", as_index=False)["n"].sum()
    return DistrictMonth(
        area_id,
        name,
        month,
        records,
        _shares(by_type, "crime_type", records),
        crimes,
        _shares(by_outcome, "last_outcome_category", crimes),
        crimes - int(with_outcome["n"].sum()),
        _file_words(vm, month),
    )


#: The outcomes given a column of their own across the districts (the rest are one column): two,
#: so that the table fits a 683-pixel screen (200% zoom) without scrolling sideways.
OUTCOME_COLUMNS = 2
#: Fewer crimes than this in a district: its shares are not given (a share of 4 says little).
SMALL_CRIMES = 10


@dataclass(frozen=True)
class OutcomeRow:
    area_id: str
    name: str
    crimes: int
    shares: tuple[Share, ...]  # one per column of :class:`OutcomesAcross`, then the rest

    @property
    def small(self) -> bool:
        return self.crimes < SMALL_CRIMES


@dataclass(frozen=True)
class OutcomesAcross:
    """One police.uk crime category's crimes of some months in each district, by last outcome:
    the outcomes most common in the districts together a column each, the rest one column."""

    crime_type: str
    months: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[OutcomeRow, ...]  # by district name
    together: OutcomeRow
    file_words: str

    @property
    def period_words(self) -> str:
        if len(self.months) == 1:
            return month_words(self.months[0])
        return f"{month_words(self.months[0])} to {month_words(self.months[-1])}"

    @property
    def in_words(self) -> str:
        """'in February 2019', 'in the three months December 2018 to February 2019'."""
        if len(self.months) == 1:
            return f"in {self.period_words}"
        return f"in the {len(self.months)} months {self.period_words}".replace(
            "the 3 months", "the three months"
        )

    @property
    def summary(self) -> str:
        if not self.together.crimes or not self.columns:
            return f"No {self.crime_type.lower()} crime recorded {self.in_words} has an outcome."
        first = self.columns[0]
        whole = self.together.shares[0]
        shown = [r for r in self.rows if not r.small]
        tail = ""
        if len(shown) >= 2:
            ordered = sorted(shown, key=lambda r: (-r.shares[0].percent, r.name))
            high, low = ordered[0], ordered[-1]
            tail = (
                f"; by district from {high.shares[0].percent:.1f}% in {high.name} to "
                f"{low.shares[0].percent:.1f}% in {low.name}"
            )
            small = len(self.rows) - len(shown)
            if small:
                tail += f" (districts with fewer than {SMALL_CRIMES} crimes left out: {small})"
        return (
            f"Of the {format_number(self.together.crimes)} {self.crime_type.lower()} crimes "
            f"recorded in the 14 districts {self.in_words}, {whole.percent:.1f}% had the "
            f"last outcome “{first}”{tail}."
        )


def outcomes_across(
    vm: ViewModel,
    crime_type: str,
    months_asked: tuple[str, ...],
    districts: tuple[tuple[str, str], ...],
) -> OutcomesAcross | None:
    """``crime_type``'s crimes of ``months_asked`` in each of ``districts`` ((area id, name)) by
    last outcome; None when the records hold no such month, or the category has no outcomes
    (anti-social behaviour)."""
    held = set(months(vm))
    if crime_type == ASB or not months_asked or not set(months_asked) <= held:
        return None
    return vm.cached(
        "records-outcomes-across",
        (crime_type, months_asked, districts),
        lambda: _outcomes_across(vm, crime_type, months_asked, districts),
    )


def _outcomes_across(
    vm: ViewModel,
    crime_type: str,
    months_asked: tuple[str, ...],
    districts: tuple[tuple[str, str], ...],
) -> OutcomesAcross | None:
    found = store(vm)
    if found is None:
        return None
    frames = [
        found.counts(
            ["district", "last_outcome_category"], crime_type=crime_type, month=m, place="district"
        )
        for m in months_asked
    ]
    import pandas as pd  # noqa: PLC0415 - only to add the months' counts up

    frame = pd.concat(frames, ignore_index=True)
    if frame.empty:
        return None
    counts = frame.groupby(["district", "last_outcome_category"])["n"].sum()
    by_outcome = counts.groupby(level="last_outcome_category").sum()
    by_outcome = by_outcome[by_outcome.index != ""]
    ordered = sorted(by_outcome.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    columns = tuple(str(k) for k, _ in ordered[:OUTCOME_COLUMNS])

    def row(area_id: str, name: str, cells: dict[str, int]) -> OutcomeRow:
        crimes = sum(cells.values())
        shares = [
            Share(c, cells.get(c, 0), 100.0 * cells.get(c, 0) / crimes if crimes else 0.0)
            for c in columns
        ]
        rest = crimes - sum(s.count for s in shares)
        shares.append(Share("Other outcomes", rest, 100.0 * rest / crimes if crimes else 0.0))
        return OutcomeRow(area_id, name, crimes, tuple(shares))

    rows = []
    whole: dict[str, int] = {}
    for area_id, name in districts:
        cells = {str(o): int(n) for (d, o), n in counts.items() if d == area_id}
        for o, n in cells.items():
            whole[o] = whole.get(o, 0) + n
        rows.append(row(area_id, name, cells))
    rows.sort(key=lambda r: r.name)
    files = "; ".join(_file_words(vm, m) for m in months_asked)
    return OutcomesAcross(
        crime_type,
        months_asked,
        columns,
        tuple(rows),
        row("", "The 14 districts together", whole),
        files,
    )
