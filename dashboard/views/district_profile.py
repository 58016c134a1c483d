"""One district's police.uk profile: each measure for the latest month and the latest three months
held, its rate per 1,000 people against the 14 districts together, its rank among the 14 (by
rate, worded by place and direction of good), the change on the same period a year earlier
where the data hold it, and the signal-or-noise verdict of its monthly counts
(:func:`~.metric.judge` through ``vm.metric_view``: the 12 months held, the gap named).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..formatting import format_number
from .district_inputs import Measure, comparison, district_areas, measures, months_held
from .districts import (
    NO_YEAR_EARLIER,
    POLICE_UK_BASIS,
    TOGETHER,
    Period,
    Ranked,
    Row,
    missing_months,
    period_options,
    rank_sentence,
    value_text,
)

if TYPE_CHECKING:
    from .model import ViewModel


@dataclass(frozen=True)
class MeasureLine:
    """One measure of the district for one period."""

    measure: Measure
    priority: int
    row: Row
    entry: Ranked | None
    rank: str  # "the 2nd highest rate of the 14 districts (lower is better)"
    together: Row | None
    change: str  # "up 12.3% on February 2018 (487)" or NO_YEAR_EARLIER
    verdict: str  # the monthly counts' signal-or-noise verdict

    @property
    def sentence(self) -> str:
        """'Anti-social behaviour: 512 in February 2019, 2.80 per 1,000 people (the 14 districts
        together: 1.79), the 2nd highest rate of the 14 districts (lower is better); up 5.2% on
        February 2018 (487).'"""
        if self.row.count is None:
            return f"{self.measure.label}: not in the data."
        rate = (
            f", {value_text(self.row, 'rate')} per 1,000 people"
            + (
                f" ({TOGETHER}: {value_text(self.together, 'rate')})"
                if self.together is not None
                else ""
            )
            + f", {self.rank}"
            if self.row.rate is not None
            else " (no population for the year, so no rate)"
        )
        return f"{self.measure.label}: {format_number(self.row.count)}{rate}; {self.change}."


@dataclass(frozen=True)
class DistrictProfile:
    area_id: str
    name: str
    code: str
    periods: tuple[Period, ...]  # the latest month, the latest three months
    lines: dict[str, tuple[MeasureLine, ...]]  # period key -> one line per measure
    missing: tuple[str, ...]
    months: tuple[str, ...]  # months held
    population_words: str

    @property
    def basis(self) -> str:
        return POLICE_UK_BASIS


def change_words(row: Row, period: Period) -> str:
    """'up 5.2% on February 2018 (487)', 'no change on ...', or the reason there is none."""
    earlier = period.year_earlier()
    if row.earlier is None or row.count is None:
        if len(period.months) == 1:
            return NO_YEAR_EARLIER
        return "no figure for the same three months a year earlier"
    if row.change == 0:
        return f"no change on {earlier.words} ({format_number(row.earlier)})"
    word = "up" if (row.change or 0) > 0 else "down"
    percent = f" {abs(row.change_percent or 0):,.1f}%" if row.change_percent is not None else ""
    return f"{word}{percent} on {earlier.words} ({format_number(row.earlier)})"


def is_district(vm: ViewModel, area_id: str | None) -> bool:
    return any(a["area_id"] == area_id for a in district_areas(vm))


def district_profile(vm: ViewModel, area_id: str) -> DistrictProfile | None:
    """The district's profile, or None when it is not one of the districts with police.uk
    figures."""
    return vm.cached("district-profile", area_id, lambda: _profile(vm, area_id))


def _profile(vm: ViewModel, area_id: str) -> DistrictProfile | None:
    area = next((a for a in district_areas(vm) if a["area_id"] == area_id), None)
    found = measures(vm)
    if area is None or not found:
        return None
    held = months_held(vm, found[0].metric_id)
    options = period_options(held)
    singles = [p for p in options if len(p.months) == 1]
    threes = [p for p in options if len(p.months) == 3]
    periods = tuple(p for p in (singles[:1] + threes[:1]))
    lines: dict[str, tuple[MeasureLine, ...]] = {}
    population_words = ""
    for period in periods:
        out = []
        for m in found:
            c = comparison(vm, m.metric_id, period.key, "rate")
            population_words = population_words or c.population_words
            entry = next((e for e in c.entries if e.row.area_id == area_id), None)
            if entry is None:
                continue
            view = vm.metric_view(m.metric_id, area_id, None, "month")
            out.append(
                MeasureLine(
                    m,
                    int(vm.metric(m.metric_id)["priority"]),
                    entry.row,
                    entry,
                    rank_sentence(entry, c.entries, "rate", m.direction),
                    c.together,
                    change_words(entry.row, period),
                    view.verdict,
                )
            )
        out.sort(key=lambda line: (line.priority, line.measure.label))
        lines[period.key] = tuple(out)
    return DistrictProfile(
        area_id,
        str(area["name"]),
        str(area["ons_code"]),
        periods,
        lines,
        tuple(missing_months(held)),
        tuple(held),
        population_words,
    )
