"""The dataset's district figures as the plain data :mod:`.districts` works on.

* The districts: areas of type ``district`` with an ONS district or unitary code (E06/E07) inside
  the force (the 14 of Essex); a grouping without a code (such as "Castle Point and Rochford",
  named in the quarterly update) is not one of them.
* The measures: metrics of context ``police_uk`` (police.uk counts by category), monthly.
* Populations: metric :data:`POPULATION_METRIC` on the ``as_at`` basis (mid-year estimates,
  periods ``YYYY-06-30``), by district; each carries its source's title.

Each answer is computed once per dataset version (``vm.cached``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .districts import (
    MEASURES,
    POLICE_UK_CONTEXT,
    District,
    Period,
    Population,
    Ranked,
    Row,
    default_period,
    missing_months,
    period_options,
    ranked,
    row_for,
    summary,
    together,
)

if TYPE_CHECKING:
    from .model import ViewModel

POPULATION_METRIC = "population-mid-year"
MONTH = "month"


@dataclass(frozen=True)
class Measure:
    metric_id: str
    label: str  # "Anti-social behaviour"
    direction: str


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def district_areas(vm: ViewModel) -> list[dict]:
    """The force's districts and unitaries with an ONS code, by name."""

    def build() -> list[dict]:
        inside = vm.index.descendants(vm.force_id)
        rows = [
            a
            for a in vm.dataset.area_index.values()
            if a.get("area_type") == "district"
            and _text(a.get("ons_code"))[:3] in ("E06", "E07")
            and a["area_id"] in inside
        ]
        return sorted(rows, key=lambda a: str(a["name"]))

    return vm.cached("district-areas", (), build)


def measures(vm: ViewModel) -> list[Measure]:
    """The police.uk categories held by district, in the catalogue's order."""

    def build() -> list[Measure]:
        found = []
        areas = {a["area_id"] for a in district_areas(vm)}
        for metric_id, metric in vm.dataset.metric_index.items():
            if _text(metric.get("context")) != POLICE_UK_CONTEXT:
                continue
            if not areas & set(vm.metric_areas(metric_id)):
                continue
            # "Anti-social behaviour incidents: police.uk records (month)" -> its name.
            name = str(metric["label"]).split(":")[0].strip()
            found.append(Measure(metric_id, name, str(metric["direction"])))
        return found

    return vm.cached("district-measures", (), build)


def measure(vm: ViewModel, metric_id: str | None) -> Measure | None:
    found = measures(vm)
    return next((m for m in found if m.metric_id == metric_id), found[0] if found else None)


def populations(vm: ViewModel, area_id: str) -> Mapping[int, Population]:
    """The area's mid-year populations by year (the latest-published value of each)."""
    if POPULATION_METRIC not in vm.dataset.metric_index:
        return {}
    rows = vm.index.series(POPULATION_METRIC, area_id, "as_at")
    out: dict[int, Population] = {}
    for period, value, source_id in zip(rows.periods, rows.values, rows.source_ids, strict=True):
        source = vm.dataset.source_index.get(source_id, {})
        publisher = _text(source.get("publisher")) or source_id
        published = str(source.get("published") or "")
        words = f"{publisher}, published {published}" if published else publisher
        out[int(period[:4])] = Population(float(value), int(period[:4]), words)
    return out


def districts(vm: ViewModel, metric_id: str) -> list[District]:
    """Every district's monthly counts of the measure, with its populations."""

    def build() -> list[District]:
        out = []
        for area in district_areas(vm):
            rows = vm.index.series(metric_id, area["area_id"], MONTH)
            out.append(
                District(
                    area["area_id"],
                    str(area["name"]),
                    str(area["ons_code"]),
                    dict(zip(rows.periods, rows.values, strict=True)),
                    populations(vm, area["area_id"]),
                )
            )
        return out

    return vm.cached("district-counts", metric_id, build)


def months_held(vm: ViewModel, metric_id: str) -> list[str]:
    """The months any district holds for the measure, oldest first."""
    held: set[str] = set()
    for district in districts(vm, metric_id):
        held |= set(district.counts)
    return sorted(held)


@dataclass(frozen=True)
class DistrictComparison:
    """The districts for one measure and period, ranked by one of :data:`.districts.MEASURES`."""

    measure: Measure | None
    period: Period | None
    by: str
    rows: tuple[Row, ...]
    entries: tuple[Ranked, ...]
    together: Row | None
    missing: tuple[str, ...]  # months between the first and last held that are not held
    summary: str
    problem: str | None = None  # why the period asked for is not shown

    @property
    def population_words(self) -> str:
        """'ONS mid-2018 population estimates (source title)' for the rates' denominators."""
        sources = sorted({r.population.source for r in self.rows if r.population is not None})
        years = sorted({r.population.year for r in self.rows if r.population is not None})
        if not years:
            return "no population for the period's year is in the data"
        year_words = " and ".join(f"mid-{y}" for y in years)
        return f"{year_words} population estimates ({'; '.join(sources)})"


def comparison(
    vm: ViewModel, metric_id: str | None, period_key: str | None, by: str | None
) -> DistrictComparison:
    """Every district's figures for the measure and period (the latest three months held when
    none is chosen), ranked; the 14 districts together; the one-line summary."""
    by = by if by in MEASURES else "rate"
    chosen = measure(vm, metric_id)
    key = (chosen.metric_id if chosen else None, period_key, by)
    return vm.cached("district-comparison", key, lambda: _comparison(vm, chosen, period_key, by))


def _comparison(
    vm: ViewModel, chosen: Measure | None, period_key: str | None, by: str
) -> DistrictComparison:
    if chosen is None:
        return DistrictComparison(
            None, None, by, (), (), None, (), "No police.uk figures by district are in the data."
        )
    held = months_held(vm, chosen.metric_id)
    options = {p.key: p for p in period_options(held)}
    problem = None
    period = options.get(period_key or "")
    if period is None:
        period = default_period(held)
        if period_key:
            problem = (
                f"“{period_key[:20]}” is not a period the data hold for every month; "
                f"showing {period.words if period else 'nothing'}."
            )
    if period is None:
        return DistrictComparison(
            chosen, None, by, (), (), None, (), "No months are held.", problem
        )
    rows = tuple(row_for(d, period) for d in districts(vm, chosen.metric_id))
    entries = tuple(ranked(rows, by))
    label = (
        chosen.label[:1].lower() + chosen.label[1:]
        if not chosen.label[:3].isupper()
        else chosen.label
    )
    return DistrictComparison(
        chosen,
        period,
        by,
        rows,
        entries,
        together(rows, period.year),
        tuple(missing_months(held)),
        summary(entries, by, label, period, chosen.direction),
        problem,
    )
