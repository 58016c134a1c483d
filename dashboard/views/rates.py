"""Rates per 1,000 people: a count meets a population only of the same area and the same year.

**The rule, stated here once**: a count over a period that lies within one calendar year Y
(a month, a calendar year, a policing quarter) meets the ONS mid-year estimate of mid-Y (30 June
of Y) for the *same area*. A period that spans two calendar years (a financial year, a rolling
12 months not ending in December) has no single year, so it gets no rate. Where there is no
population for that area and year there is no rate either, and the reason says why: never a
population of another area, another year or a sum we made (the force area's population is not
published in the workbook: county + Southend-on-Sea + Thurrock would be our sum).

Pure functions: the populations come in as rows (the dataset's current observations of the
population metric), the result carries the population's value, year and source so every
surface can say "per 1,000 people (ONS mid-2018 estimate, Basildon 185,862)".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..data.periods import QUARTER_BASES, PeriodError, period_end, period_start

#: The metric whose values are the populations (``population-mid-year``, basis ``as_at``).
POPULATION_METRIC = "population-mid-year"
PER = 1000


@dataclass(frozen=True)
class Population:
    """One published mid-year population: area, year, value and where it was read."""

    area_id: str
    year: int
    value: float
    source_id: str
    source_location: str = ""


@dataclass(frozen=True)
class Rate:
    """A count per 1,000 people, with the population it was divided by."""

    area_id: str
    basis: str
    period: str
    count: float
    value: float  # per 1,000 people
    population: Population

    @property
    def population_label(self) -> str:
        return f"ONS mid-{self.population.year} estimate"


@dataclass(frozen=True)
class NoRate:
    """Why a count has no rate (said to the reader, never a blank)."""

    area_id: str
    basis: str
    period: str
    reason: str


def population_year(basis: str, period: str) -> int | None:
    """The calendar year whose mid-year population a count over ``period`` meets, or None when
    the period spans two calendar years (see the module's rule)."""
    if basis in ("month", "calendar_year", "rolling_12m", *QUARTER_BASES):
        try:
            start, end = period_start(basis, period), period_end(basis, period)
        except (PeriodError, ValueError):
            return None
        return start.year if start.year == end.year else None
    return None  # financial years span two calendar years; snapshots are not counts


def populations_from(rows: Iterable[Mapping]) -> dict[tuple[str, int], Population]:
    """(area, year) -> the population, from observation rows of the population metric (basis
    ``as_at``, 30 June). Give the current rows only (one per area and date)."""
    found: dict[tuple[str, int], Population] = {}
    for row in rows:
        if row.get("metric_id") != POPULATION_METRIC or row.get("basis") != "as_at":
            continue
        period = str(row.get("period", ""))
        if not period.endswith("-06-30"):
            continue
        year = int(period[:4])
        found[(str(row["area_id"]), year)] = Population(
            str(row["area_id"]),
            year,
            float(row["value"]),
            str(row.get("source_id", "")),
            str(row.get("source_location") or ""),
        )
    return found


def rate_per_1000(
    count: float,
    area_id: str,
    basis: str,
    period: str,
    populations: Mapping[tuple[str, int], Population],
    area_name: str | None = None,
) -> Rate | NoRate:
    """``count`` per 1,000 people of ``area_id`` in the year of ``period``, or why not."""
    name = area_name or area_id
    year = population_year(basis, period)
    if year is None:
        return NoRate(
            area_id,
            basis,
            period,
            f"no rate: {period} spans two calendar years, so no single mid-year population "
            "meets it",
        )
    population = populations.get((area_id, year))
    if population is None:
        held = sorted(y for a, y in populations if a == area_id)
        if held:
            why = (
                f"no rate: no published mid-{year} population for {name} (the data hold "
                f"mid-{held[0]} to mid-{held[-1]}); a population of another year is not used"
            )
        else:
            why = (
                f"no rate: no published population for {name}; a population of another area "
                "(or a sum of areas) is not used"
            )
        return NoRate(area_id, basis, period, why)
    if population.value <= 0:
        return NoRate(area_id, basis, period, f"no rate: the population of {name} is 0")
    return Rate(area_id, basis, period, count, count / population.value * PER, population)


def populations_of(current: Iterable[Mapping]) -> dict[tuple[str, int], Population]:
    """The populations of a dataset's current observations (``dataset.current`` as records):
    a shorthand for :func:`populations_from` that pages cache with ``vm.cached``."""
    return populations_from(r for r in current if r.get("metric_id") == POPULATION_METRIC)
