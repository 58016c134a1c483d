"""How Essex compares: a force against its most similar group and England and Wales.

Pure functions on a frame of one metric's current values on one basis (columns ``area_id``,
``period``, ``value``), the way officers and the commissioner's office read national tables:

* :func:`compare_with_peers`: for a period, the force, each force of its most similar group,
  the group's average and England and Wales, each as the level, the level 12 months before and
  the change between (:class:`~dashboard.analysis.compare.Change`); and the force's rank among
  all police force areas (and within its group) by that percentage change.
* :func:`trend_against_group`: the force, the group's average and England and Wales over every
  period, each also as an index (first common period = 100) so forces of different sizes share
  an axis.

Choices, stated where the numbers are shown:

* Changes, not levels, are ranked: without a published population for every force and year
  (none is in the sources) a rank of levels would rank forces by size. 1 is the lowest change
  (the largest fall, or the smallest rise); ties share a rank.
* The group's average is the mean of the named forces' figures (the force itself excluded: the
  source names the group as the forces Essex is compared with). It exists only where every
  member has a figure, so the average never silently changes membership.
* England and Wales is the published row where the table has one (the Home Office "Total 43
  forces"); otherwise, for a count, the sum of every police force area's figure, marked
  ``computed`` (the ONS police force area table has no England and Wales row), and only when
  every force has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from dashboard.analysis.compare import Change, change_between
from dashboard.data.periods import QUARTER_BASES, parse_quarter

Role = Literal["focus", "peer", "group_average", "national"]


def year_earlier(basis: str, period: str) -> str:
    """The same period 12 months before, on the same basis."""
    if basis in QUARTER_BASES:
        return parse_quarter(period).year_earlier.label
    if basis == "rolling_12m":
        return f"12m-to-{int(period[7:11]) - 1}-{period[12:14]}"
    if basis == "as_at":
        day = dt.date.fromisoformat(period)
        try:
            return day.replace(year=day.year - 1).isoformat()
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28).isoformat()
    if basis == "calendar_year":
        return str(int(period) - 1)
    if basis == "financial_year":
        start = int(period[:4]) - 1
        return f"{start}-{(start + 1) % 100:02d}"
    if basis == "month":
        return f"{int(period[:4]) - 1}-{period[5:7]}"
    raise ValueError(f"unknown basis {basis!r}")


@dataclass(frozen=True)
class Figure:
    """One line of a comparison: an area (or the group's average) now and 12 months before."""

    area_id: str
    role: Role
    value: float | None
    year_earlier: float | None
    change: Change | None
    computed: bool = False  # an average or sum worked out here, not a published figure
    count: int = 1  # forces averaged or summed
    note: str = ""
    #: forces without a figure, when that is why there is no sum (England and Wales)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rank:
    """Position by percentage change over 12 months: 1 = the lowest change. ``higher`` and
    ``tied`` let the views word it by the direction of good (from the highest when higher is
    better)."""

    rank: int
    out_of: int
    unranked: tuple[str, ...] = ()  # areas without both figures (or with a zero baseline)
    higher: int = 0  # areas with a higher change
    tied: int = 0  # other areas with the same change (they share the rank)


@dataclass(frozen=True)
class PeerComparison:
    basis: str
    period: str
    year_earlier_period: str
    focus: Figure
    peers: tuple[Figure, ...]
    group_average: Figure
    national: Figure
    national_rank: Rank | None
    group_rank: Rank | None

    @property
    def rows(self) -> tuple[Figure, ...]:
        """Every line in reading order: the force, its group, the group's average, the country."""
        return (self.focus, *self.peers, self.group_average, self.national)


def _lookup(values: pd.DataFrame) -> dict[tuple[str, str], float]:
    frame = values.dropna(subset=["value"])
    keys = zip(frame["area_id"].astype(str), frame["period"].astype(str), strict=True)
    lookup: dict[tuple[str, str], float] = {}
    for key, value in zip(keys, frame["value"].astype(float), strict=True):
        if key in lookup:
            raise ValueError(
                f"two values for {key[0]} at {key[1]}: pass current values only (one per area "
                "and period)"
            )
        lookup[key] = value
    return lookup


def _figure(
    area_id: str, role: Role, now: float | None, before: float | None, improvement: str, **extra
) -> Figure:
    change = None
    if now is not None and before is not None:
        change = change_between(now, before, improvement)
    return Figure(area_id, role, now, before, change, **extra)


def _average(
    lookup: dict, peers: Sequence[str], period: str, before: str, improvement: str
) -> Figure:
    missing = [p for p in peers if (p, period) not in lookup or (p, before) not in lookup]
    if missing or not peers:
        return Figure(
            "group_average",
            "group_average",
            None,
            None,
            None,
            computed=True,
            count=len(peers) - len(missing),
            note="no average: no figure for " + ", ".join(missing) if missing else "no group",
        )
    now = sum(lookup[(p, period)] for p in peers) / len(peers)
    then = sum(lookup[(p, before)] for p in peers) / len(peers)
    return _figure(
        "group_average",
        "group_average",
        now,
        then,
        improvement,
        computed=True,
        count=len(peers),
        note=f"average of the {len(peers)} forces' figures",
    )


def _national_value(
    lookup: dict, national: str | None, forces: Sequence[str], period: str, additive: bool
) -> tuple[float | None, bool, str]:
    if national is not None and (national, period) in lookup:
        return lookup[(national, period)], False, "published"
    if not additive:
        return None, False, "not published, and this measure cannot be added up across forces"
    missing = [f for f in forces if (f, period) not in lookup]
    if missing:
        return None, False, f"not published; no sum: no figure for {len(missing)} force(s)"
    total = sum(lookup[(f, period)] for f in forces)
    return total, True, f"sum of the {len(forces)} police force areas' figures (not published)"


def _rank(lookup: dict, focus: str, areas: Iterable[str], period: str, before: str) -> Rank | None:
    changes: dict[str, float] = {}
    unranked = []
    for area in areas:
        now, then = lookup.get((area, period)), lookup.get((area, before))
        if now is None or then is None or then == 0:
            unranked.append(area)
            continue
        changes[area] = (now - then) / abs(then) * 100
    if focus not in changes:
        return None
    mine = changes[focus]
    # float noise must not split a tie (both forces 10% up)
    lower = sum(1 for v in changes.values() if v < mine and abs(v - mine) > 1e-9)
    higher = sum(1 for v in changes.values() if v > mine and abs(v - mine) > 1e-9)
    tied = len(changes) - lower - higher - 1
    return Rank(lower + 1, len(changes), tuple(unranked), higher, tied)


def compare_with_peers(
    values: pd.DataFrame,
    *,
    basis: str,
    period: str,
    focus: str,
    peers: Sequence[str],
    forces: Sequence[str],
    national: str | None,
    improvement: str,
    additive: bool = True,
) -> PeerComparison:
    """The force against its group and England and Wales at ``period`` (see the module doc).

    ``values``: current values of one metric on ``basis`` (area_id, period, value), one per
    area and period. ``forces``: every police force area (the focus included) for the rank and
    the computed national sum. ``additive``: whether figures can be summed (counts, full-time
    equivalents) for England and Wales when no national row is published.
    """
    lookup = _lookup(values)
    before = year_earlier(basis, period)
    focus_figure = _figure(
        focus, "focus", lookup.get((focus, period)), lookup.get((focus, before)), improvement
    )
    peer_figures = tuple(
        _figure(p, "peer", lookup.get((p, period)), lookup.get((p, before)), improvement)
        for p in peers
    )
    now, now_computed, now_note = _national_value(lookup, national, forces, period, additive)
    then, then_computed, _ = _national_value(lookup, national, forces, before, additive)
    national_figure = _figure(
        national or "england-and-wales",
        "national",
        now,
        then,
        improvement,
        computed=now_computed or then_computed,
        count=len(forces) if now_computed or then_computed else 1,
        note=now_note,
    )
    if now is None and additive and not (national is not None and (national, period) in lookup):
        # no sum this period (a force sent no figure): say which, never a partial total
        missing = tuple(f for f in forces if (f, period) not in lookup)
        national_figure = replace(national_figure, missing=missing)
    return PeerComparison(
        basis=basis,
        period=period,
        year_earlier_period=before,
        focus=focus_figure,
        peers=peer_figures,
        group_average=_average(lookup, peers, period, before, improvement),
        national=national_figure,
        national_rank=_rank(lookup, focus, forces, period, before),
        group_rank=_rank(lookup, focus, [focus, *peers], period, before),
    )


@dataclass(frozen=True)
class TrendPoint:
    period: str
    focus: float | None
    group_average: float | None
    national: float | None
    national_computed: bool
    focus_index: float | None  # first common period = 100
    group_index: float | None
    national_index: float | None


def trend_against_group(
    values: pd.DataFrame,
    *,
    focus: str,
    peers: Sequence[str],
    forces: Sequence[str],
    national: str | None,
    periods: Sequence[str] | None = None,
    additive: bool = True,
) -> list[TrendPoint]:
    """The force, the group's average and England and Wales at every period (oldest first).

    ``periods`` default to the focus's own periods, in the order given by ``values`` sorted by
    period label (canonical labels of one basis sort in time order). The index base is the
    first period where the force and the group's average both have a figure.
    """
    lookup = _lookup(values)
    if periods is None:
        periods = sorted({p for (a, p) in lookup if a == focus})
    rows = []
    for period in periods:
        average = None
        if peers and all((p, period) in lookup for p in peers):
            average = sum(lookup[(p, period)] for p in peers) / len(peers)
        country, computed, _ = _national_value(lookup, national, forces, period, additive)
        rows.append((period, lookup.get((focus, period)), average, country, computed))
    base = next((r for r in rows if r[1] is not None and r[2] is not None), None)

    def index(value: float | None, start: float | None) -> float | None:
        if value is None or start in (None, 0):
            return None
        return value / start * 100

    out = []
    for period, mine, average, country, computed in rows:
        out.append(
            TrendPoint(
                period,
                mine,
                average,
                country,
                computed,
                index(mine, base[1] if base else None),
                index(average, base[2] if base else None),
                index(country, base[3] if base else None),
            )
        )
    return out
