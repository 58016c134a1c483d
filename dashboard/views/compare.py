"""How Essex compares: one metric at one period, against its most similar group of forces and
England and Wales, and the trend against the group over the whole span.

Every number comes from :mod:`dashboard.analysis.peers` (worked by hand in its tests); this
module chooses the period, names the areas and says it in words, once, for the page and the
packs. :func:`comparison` is the one entry point (cached per dataset version).

Choices stated on the page:

* A metric can be compared when the force and at least one force of its group have figures on
  the metric's own basis (the national tables: rolling 12 months, or snapshots on a date).
* The period is the one asked for (``?period=``), else the latest the force has on or before
  the chosen quarter's end (a series that ends earlier says "latest available: ..."), else
  its latest.
* The group is the most recent definition for the force dated on or before the period (the
  earliest if none is); the page names it and its source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ..analysis.compare import Change
from ..analysis.peers import (
    Figure,
    PeerComparison,
    Rank,
    TrendPoint,
    compare_with_peers,
    trend_against_group,
    year_earlier,
)
from ..data.periods import QUARTER_BASES, parse_quarter, period_display, period_end
from ..formatting import format_percent_change, format_value
from .facade import Views
from .ranks import Standing, standing_sentence, table_position
from .text import latest_available, period_words, short_label

#: What the page calls the group on first use, and after.
GROUP_WORDS = "most similar group of forces"
GROUP_SHORT = "the group"
#: Additive units: England and Wales may be the sum of the forces when no row is published.
ADDITIVE_UNITS = ("count", "fte", "hours", "gbp")


@dataclass(frozen=True)
class Group:
    group_id: str
    name: str
    as_of: str
    members: tuple[str, ...]
    source_title: str
    source_sentence: str


@dataclass(frozen=True)
class Line:
    """One row of the comparison, in words and numbers (the table, the chart, the packs)."""

    area_id: str
    name: str
    role: str  # "focus", "peer", "group_average", "national"
    before: float | None
    now: float | None
    change: Change | None
    note: str

    @property
    def percent(self) -> float | None:
        return self.change.percent if self.change is not None else None


@dataclass(frozen=True)
class RankedForce:
    rank: int
    area_id: str
    name: str
    before: float
    now: float
    percent: float


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison page and the packs show for one metric and period."""

    metric: dict
    basis: str
    period: str | None
    period_label: str  # "12 months to Dec 2018", "30 Sep 2018"
    period_words: str  # "year ending December 2018", "30 September 2018"
    earlier_label: str
    periods: tuple[tuple[str, str], ...]  # (period, label) the force has, newest first
    group: Group | None
    lines: tuple[Line, ...]
    national_rank: tuple[int, int] | None  # (rank from the lowest change, forces ranked)
    group_rank: tuple[int, int] | None
    higher: int  # forces with a higher change than the force's
    ranked: tuple[RankedForce, ...]  # every force with both figures, lowest change first
    trend: tuple[TrendPoint, ...]
    trend_ends: tuple[dt.date, ...]
    summary: str
    trend_summary: str
    problem: str | None = None  # a period asked for that the metric does not have
    latest_note: str | None = None  # "latest available: year ending December 2018"
    #: The force's place among all forces and in its group, for wording by the direction of good.
    national_standing: Standing | None = None
    group_standing: Standing | None = None

    @property
    def label(self) -> str:
        return short_label(str(self.metric["label"]))

    @property
    def name(self) -> str:
        """The metric in a few words: 'Special Constables', 'Violence with injury'."""
        return self.label.split(":")[0]

    @property
    def unit(self) -> str:
        return str(self.metric["unit"])

    @property
    def focus(self) -> Line | None:
        return next((line for line in self.lines if line.role == "focus"), None)


def force_name(vm: Views, area_id: str) -> str:
    """'Essex', not 'Essex (force-wide)': on this page every figure is force-wide."""
    return vm.area_name(area_id).split(" (")[0]


def groups_of(vm: Views, area_id: str) -> list[Group]:
    """The force's most similar groups, oldest definition first."""
    dataset = vm.dataset
    groups = dataset.table("groups")
    members = dataset.table("group_members")
    found = []
    for row in groups.itertuples():
        if row.area_id != area_id or row.kind != "most_similar":
            continue
        names = members[members["group_id"] == row.group_id]["area_id"].astype(str)
        source = dataset.source_index.get(row.source_id, {})
        found.append(
            Group(
                str(row.group_id),
                str(row.name),
                str(row.as_of),
                tuple(names),
                str(source.get("title", row.source_id)),
                str(row.source_sentence),
            )
        )
    return sorted(found, key=lambda g: g.as_of)


def group_for(groups: Sequence[Group], end: dt.date | None) -> Group | None:
    if not groups:
        return None
    if end is None:
        return groups[-1]
    dated = [g for g in groups if g.as_of <= f"{end:%Y-%m}"]
    return dated[-1] if dated else groups[0]


def forces(vm: Views) -> list[str]:
    """Every police force area: the force itself and the areas of type 'pfa'."""
    others = [a for a, row in vm.dataset.area_index.items() if row.get("area_type") == "pfa"]
    return [vm.force_id, *others]


def national_area(vm: Views) -> str | None:
    return next(
        (a for a, row in vm.dataset.area_index.items() if row.get("area_type") == "country"),
        None,
    )


def comparable(vm: Views, metric_id: str) -> bool:
    """Whether the force and a force of its group have figures of the metric on its basis."""
    return vm.cached("comparable", metric_id, lambda: _comparable(vm, metric_id))


def _comparable(vm: Views, metric_id: str) -> bool:
    metric = vm.dataset.metric_index.get(metric_id)
    if metric is None or metric["basis"] in QUARTER_BASES:
        return False
    areas = set(vm.metric_areas(metric_id))
    members = {m for g in groups_of(vm, vm.force_id) for m in g.members}
    return vm.force_id in areas and bool(areas & members)


def comparable_metrics(vm: Views) -> list[dict]:
    return [m for m in vm.dataset.metric_index.values() if comparable(vm, m["metric_id"])]


def _values(vm: Views, metric_id: str, basis: str, areas: Sequence[str]) -> pd.DataFrame:
    rows: dict[str, list[Any]] = {"area_id": [], "period": [], "value": []}
    for area in areas:
        series = vm.index.series(metric_id, area, basis)
        rows["area_id"] += [area] * len(series)
        rows["period"] += list(series.periods)
        rows["value"] += list(series.values)
    return pd.DataFrame(rows)


def choose_period(
    periods: Sequence[str], ends: Sequence[dt.date], asked: str | None, quarter: str | None
) -> tuple[str | None, bool]:
    """(period, whether it was asked for): see the module docstring. ``periods`` oldest first."""
    if not periods:
        return None, False
    if asked in periods:
        return asked, True
    if quarter and not asked:
        cut = parse_quarter(quarter).end_date
        before = [p for p, e in zip(periods, ends, strict=True) if e <= cut]
        if before:
            return before[-1], False
    return periods[-1], False


def comparison(
    vm: Views, metric_id: str, period: str | None = None, quarter: str | None = None
) -> Comparison:
    """The comparison of the metric at the period (see the module docstring), cached by the
    period it shows: a period the metric does not have (made up in a URL) is the period shown
    instead, and adds no entry of its own."""
    chosen, was_asked = _chosen(vm, metric_id, period, quarter)
    key = (metric_id, chosen, was_asked, None if was_asked else quarter)
    found = vm.cached("compare", key, lambda: _build(vm, metric_id, chosen, was_asked, quarter))
    return _asked(found, vm, period, was_asked)


def _chosen(
    vm: Views, metric_id: str, asked: str | None, quarter: str | None
) -> tuple[str | None, bool]:
    own = vm.index.series(metric_id, vm.force_id, str(vm.metric(metric_id)["basis"]))
    return choose_period(own.periods, own.ends, asked, quarter)


def _asked(c: Comparison, vm: Views, asked: str | None, was_asked: bool) -> Comparison:
    """The comparison with the problem of a period asked for that it does not have."""
    if not asked or was_asked:
        return c
    shown = period_words(c.basis, c.period) if c.period else "nothing"
    return replace(
        c,
        problem=f"“{asked[:40]}” is not a period with a figure for "
        f"{force_name(vm, vm.force_id)}; showing {shown} instead.",
    )


def _line(vm: Views, figure: Figure) -> Line:
    if figure.role == "group_average":
        name = f"Average of {GROUP_SHORT} ({figure.count} forces)"
    elif figure.role == "national":
        name = "England and Wales"
    else:
        name = force_name(vm, figure.area_id)
    note = figure.note
    if figure.role == "national" and figure.computed:
        note = (
            f"the sum of the {figure.count} forces' figures (no England and Wales row is published)"
        )
    elif figure.role == "national":
        note = "published"
    elif figure.role in ("focus", "peer"):
        note = "" if figure.change is not None else "no figure for one of the two dates"
    return Line(
        figure.area_id, name, figure.role, figure.year_earlier, figure.value, figure.change, note
    )


def _value(value: float | None, unit: str, *, with_unit: bool = False) -> str:
    return "–" if value is None else format_value(value, unit, with_unit=with_unit)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def change_words(change: Change | None, unit: str, *, average: bool = False) -> str:
    """'up 86 (22.1%)', 'down 9.5% on average', 'no change'; 'no comparison' without one."""
    if change is None:
        return "no comparison"
    if change.movement == "same":
        return "no change"
    pct = f"{format_percent_change(change.percent)}" if change.percent is not None else None
    if average:
        return f"{change.movement} {pct} on average" if pct else f"{change.movement} on average"
    size = format_value(abs(change.absolute), unit)
    return f"{change.movement} {size} ({pct})" if pct else f"{change.movement} {size} from 0"


def signed_percent(percent: float | None) -> str:
    if percent is None:
        return "–"
    sign = "+" if percent > 0 else "−" if percent < 0 else ""
    return f"{sign}{abs(percent):,.1f}%"


def signed_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{format_value(abs(value), unit)}"


def comparison_summary(c: Comparison, force: str) -> str:
    """THE one-line summary of a comparison: the page, its chart and the packs say this."""
    focus = c.focus
    if c.period is None or focus is None:
        return f"No figures for {c.name.lower()} in {force} to compare."
    if focus.change is None:
        return (
            f"{c.name}, {c.period_words}: {force} "
            f"{_value(focus.now, c.unit, with_unit=True)}; no figure 12 months earlier "
            f"({c.earlier_label}) to compare with."
        )
    text = f"{c.name}, {c.period_words} against a year earlier: {force} {change_words(focus.change, c.unit)}"
    average = next((x for x in c.lines if x.role == "group_average"), None)
    national = next((x for x in c.lines if x.role == "national"), None)
    others = []
    if average is not None and average.change is not None:
        others.append(f"its {GROUP_WORDS} {change_words(average.change, c.unit, average=True)}")
    if national is not None and national.change is not None:
        others.append(f"England and Wales {change_words(national.change, c.unit)}")
    if others:
        text += ", " + " and ".join(others)
    standing = standing_sentence(
        force, c.national_standing, c.group_standing, str(c.metric["direction"])
    )
    if standing:
        text += f"; {standing}"
    return text + "."


def trend_summary(c: Comparison, force: str) -> str:
    """One line for the trend chart: where each line ends, indexed to the first common period."""
    points = [p for p in c.trend if p.focus_index is not None]
    if len(points) < 2:
        return f"Too few periods to show {force}'s trend against its group."
    first, last = points[0], points[-1]
    start = period_display(c.basis, first.period)
    end = period_display(c.basis, last.period)
    parts = [f"{force} {_value(last.focus_index, 'count')}"]
    if last.group_index is not None:
        parts.append(f"the group's average {format_value(last.group_index, 'count')}")
    if last.national_index is not None:
        parts.append(f"England and Wales {format_value(last.national_index, 'count')}")
    return (
        f"{c.name}, {start} to {end}, as an index ({start} = 100): by {end} "
        + ", ".join(parts)
        + f" ({force} {_value(first.focus, c.unit)} to {_value(last.focus, c.unit)})."
    )


def _build(
    vm: Views, metric_id: str, period: str | None, was_asked: bool, quarter: str | None
) -> Comparison:
    metric = vm.metric(metric_id)
    basis = str(metric["basis"])
    focus = vm.force_id
    own = vm.index.series(metric_id, focus, basis)
    end = period_end(basis, period) if period else None
    group = group_for(groups_of(vm, focus), end)
    peers = [m for m in (group.members if group else ()) if m != focus]
    all_forces = forces(vm)
    national = national_area(vm)
    areas = [*all_forces, *([national] if national else [])]
    values = _values(vm, metric_id, basis, areas)
    additive = str(metric["unit"]) in ADDITIVE_UNITS
    periods = tuple(
        (p, label) for p, label in zip(reversed(own.periods), reversed(own.labels), strict=True)
    )
    latest_note = None
    if (
        period
        and quarter
        and not was_asked
        and end is not None
        and end < parse_quarter(quarter).end_date
    ):
        latest_note = latest_available(basis, period)
    common: dict[str, Any] = dict(
        metric=metric,
        basis=basis,
        period=period,
        period_label=period_display(basis, period) if period else "",
        period_words=period_words(basis, period) if period else "",
        periods=periods,
        group=group,
        latest_note=latest_note,
    )
    if period is None:
        empty = Comparison(
            **common, earlier_label="", lines=(), national_rank=None, group_rank=None,
            higher=0, ranked=(), trend=(), trend_ends=(), summary="", trend_summary="",
        )  # fmt: skip
        return _with_text(empty, vm)
    result: PeerComparison = compare_with_peers(
        values,
        basis=basis,
        period=period,
        focus=focus,
        peers=peers,
        forces=all_forces,
        national=national,
        improvement=str(metric["direction"]),
        additive=additive,
    )
    lines = tuple(_line(vm, f) for f in result.rows)
    ranked = _ranked(vm, values, all_forces, period, result.year_earlier_period)
    focus_pct = result.focus.change.percent if result.focus.change else None
    higher = (
        sum(1 for r in ranked if r.percent > focus_pct and abs(r.percent - focus_pct) > 1e-9)
        if focus_pct is not None
        else 0
    )
    trend = trend_against_group(
        values,
        focus=focus,
        peers=peers,
        forces=all_forces,
        national=national,
        periods=list(own.periods),
        additive=additive,
    )
    c = Comparison(
        **common,
        earlier_label=period_display(basis, result.year_earlier_period),
        lines=lines,
        national_rank=(result.national_rank.rank, result.national_rank.out_of)
        if result.national_rank
        else None,
        group_rank=(result.group_rank.rank, result.group_rank.out_of)
        if result.group_rank
        else None,
        higher=higher,
        ranked=ranked,
        national_standing=_standing(result.national_rank, result.focus.change),
        group_standing=_standing(result.group_rank, result.focus.change),
        trend=tuple(trend),
        trend_ends=tuple(own.ends),
        summary="",
        trend_summary="",
    )
    return _with_text(c, vm)


def ranked_by_good(c: Comparison) -> list[tuple[int, RankedForce]]:
    """Every ranked force with its place, in the order the table shows them: best first where
    the measure has a better direction (highest first when higher is better, lowest first when
    lower is), else highest first; ties share a place."""
    direction = str(c.metric["direction"])
    rows = []
    for r in c.ranked:
        higher = sum(
            1 for o in c.ranked if o.percent > r.percent and abs(o.percent - r.percent) > 1e-9
        )
        rows.append((table_position(higher, r.rank - 1, direction), r))
    return sorted(rows, key=lambda row: (row[0], row[1].name))


def _standing(rank: Rank | None, change: Change | None) -> Standing | None:
    if rank is None or change is None:
        return None
    return Standing.of(rank, change.movement)


def _with_text(c: Comparison, vm: Views) -> Comparison:
    force = force_name(vm, vm.force_id)
    return replace(c, summary=comparison_summary(c, force), trend_summary=trend_summary(c, force))


def _ranked(
    vm: Views, values: pd.DataFrame, areas: Sequence[str], period: str, before: str
) -> tuple[RankedForce, ...]:
    """Every force with both figures (and a baseline above 0), lowest change first; ties
    share a rank, as :func:`~dashboard.analysis.peers.compare_with_peers` ranks them."""
    now = values[values["period"] == period].set_index("area_id")["value"]
    then = values[values["period"] == before].set_index("area_id")["value"]
    rows = []
    for area in areas:
        if area in now.index and area in then.index and then[area] != 0:
            pct = (now[area] - then[area]) / abs(then[area]) * 100
            rows.append((area, float(then[area]), float(now[area]), float(pct)))
    rows.sort(key=lambda r: (r[3], force_name(vm, r[0])))
    out = []
    for area, b, n, pct in rows:
        rank = 1 + sum(1 for r in rows if r[3] < pct and abs(r[3] - pct) > 1e-9)
        out.append(RankedForce(rank, area, force_name(vm, area), b, n, pct))
    return tuple(out)


__all__ = [
    "GROUP_WORDS",
    "Comparison",
    "Group",
    "Line",
    "RankedForce",
    "comparable",
    "comparable_metrics",
    "comparison",
    "latest_available",
    "period_words",
    "year_earlier",
]


# -- in the packs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackComparison:
    """A comparison as a pack shows it: its one-line summary and its table (no chart)."""

    metric_id: str
    title: str  # "Special Constables: how Essex compares, 30 September 2018"
    summary: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str  # which group and where it is named, and the period
    national_note: str = ""  # how England and Wales was found, when it is not a published row


PACK_COLUMNS = ("Area", "A year earlier", "Latest", "Change", "Change (%)")


def pack_comparisons(vm: Views, priority: int, quarter: str | None) -> list[PackComparison]:
    """The priority's comparable metrics current to their table's end (a series that stopped
    earlier, such as fraud before Action Fraud, is left out), each at its latest period by the
    quarter, in catalogue order: what the packs add under "How Essex compares"."""
    return vm.cached("pack-compare", (priority, quarter), lambda: _pack(vm, priority, quarter))


def _pack(vm: Views, priority: int, quarter: str | None) -> list[PackComparison]:
    found = []
    force = force_name(vm, vm.force_id)
    for metric in vm.priority_metrics(priority):
        metric_id = metric["metric_id"]
        if not comparable(vm, metric_id):
            continue
        c = comparison(vm, metric_id, None, quarter)
        if c.period is None or c.focus is None or c.focus.change is None:
            continue
        basis = c.basis
        table_end = max(
            (s.ends[-1] for a in forces(vm) if (s := vm.index.series(metric_id, a, basis)).ends),
            default=None,
        )
        if table_end is not None and period_end(basis, c.period) < table_end:
            continue  # stopped before its table's end
        rows = tuple(
            (
                line.name,
                _value(line.before, c.unit),
                _value(line.now, c.unit),
                signed_value(line.change.absolute if line.change else None, c.unit),
                signed_percent(line.percent),
            )
            for line in c.lines
        )
        group = c.group
        note = (
            f"{force}'s {GROUP_WORDS} as named in {group.source_title}; "
            + (c.latest_note + "." if c.latest_note else f"{c.period_words}.")
            if group
            else ""
        )
        national = next((x for x in c.lines if x.role == "national"), None)
        national_note = (
            f"England and Wales: {national.note}."
            if national is not None and national.note and national.note != "published"
            else ""
        )
        found.append(
            PackComparison(
                metric_id,
                f"{c.name}: how {force} compares, {c.period_words}",
                c.summary,
                (PACK_COLUMNS[0], c.earlier_label, c.period_label, *PACK_COLUMNS[3:]),
                rows,
                note,
                national_note,
            )
        )
    return found
