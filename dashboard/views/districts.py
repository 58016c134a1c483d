"""Essex's districts side by side, and one district's profile: every number and sentence, from
plain data (counts by district and month, populations by district and year).

police.uk counts are monthly, and the months held are not contiguous (2018-08 and 2018-09 are
missing): a period is one month or three calendar months ending with a month, and it is offered
only when every month in it is held; a missing month is named, never filled in.

A rate is per 1,000 people: the count over the population of the same district for the period's
year (the ONS mid-year estimate), with the population's source and year said. "Essex" on these
pages is **the 14 districts together**: the sum of their counts over the sum of their
populations, said in those words, so the comparator is on the same basis as each district (the
force-wide police.uk count also holds records outside the 14 districts and without a location).

Ranks are of the 14 districts, worded by place from the nearer end ("the 3rd highest rate of
the 14 districts"), with the measure's direction of good said after it (views/ranks.py's
words); a district whose count is under :data:`SMALL_COUNT` is flagged and not ranked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..formatting import format_number
from .ranks import GOOD_WORDS, ordinal
from .text import basis_label

#: Counts under this are "small numbers": shown, flagged, never ranked.
SMALL_COUNT = 10
#: The basis label every district chart, table and export carries.
POLICE_UK_BASIS = "police.uk counts (not Home Office recorded crime)"
TOGETHER = "the 14 districts together"
MEASURES = {
    "rate": "rate per 1,000 people",
    "count": "count",
    "change": "change on a year earlier",
}
NOT_IN_DATA = "not in the data"
POLICE_UK_CONTEXT = "police_uk"
NO_YEAR_EARLIER = "no figure for the same month a year earlier"


def is_police_uk(metric: Mapping[str, object]) -> bool:
    return metric.get("context") == POLICE_UK_CONTEXT


def series_basis(metric: Mapping[str, object], basis: str) -> str:
    """A series' basis in words for captions: police.uk's own label for its counts."""
    if is_police_uk(metric):
        return f"{POLICE_UK_BASIS}, by calendar month" if basis == "month" else POLICE_UK_BASIS
    return basis_label(basis)


# -- months and periods ---------------------------------------------------------------------
def month_date(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def month_label(date: dt.date) -> str:
    return f"{date.year:04d}-{date.month:02d}"


def add_months(month: str, n: int) -> str:
    d = month_date(month)
    index = d.year * 12 + d.month - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_words(month: str, *, short: bool = False) -> str:
    return f"{month_date(month):{'%b %Y' if short else '%B %Y'}}"


def all_months(held: Sequence[str]) -> list[str]:
    """Every calendar month from the first held to the last, held or not."""
    if not held:
        return []
    first, last = min(held), max(held)
    out = [first]
    while out[-1] < last:
        out.append(add_months(out[-1], 1))
    return out


def missing_months(held: Sequence[str]) -> list[str]:
    """The months between the first and last held that the data do not hold (the gaps)."""
    have = set(held)
    return [m for m in all_months(held) if m not in have]


@dataclass(frozen=True)
class Period:
    """One month ("2019-02") or three months ending with one ("3m-2019-02")."""

    key: str

    @property
    def months(self) -> tuple[str, ...]:
        if self.key.startswith("3m-"):
            end = self.key[3:]
            return (add_months(end, -2), add_months(end, -1), end)
        return (self.key,)

    @property
    def end(self) -> str:
        return self.months[-1]

    @property
    def words(self) -> str:
        """'March 2018', 'January to March 2018', 'December 2018 to February 2019'."""
        if len(self.months) == 1:
            return month_words(self.key)
        first, last = month_date(self.months[0]), month_date(self.end)
        if first.year == last.year:
            return f"{first:%B} to {last:%B %Y}"
        return f"{first:%B %Y} to {last:%B %Y}"

    @property
    def in_words(self) -> str:
        """'in March 2018', 'in the three months December 2018 to February 2019'."""
        return f"in {self.words}" if len(self.months) == 1 else f"in the three months {self.words}"

    @property
    def short(self) -> str:
        if len(self.months) == 1:
            return month_words(self.key, short=True)
        first, last = month_date(self.months[0]), month_date(self.end)
        if first.year == last.year:
            return f"{first:%b}–{last:%b %Y}"
        return f"{first:%b %Y}–{last:%b %Y}"

    @property
    def year(self) -> int:
        """The year whose mid-year population a rate uses: the year of the period's last month."""
        return int(self.end[:4])

    def year_earlier(self) -> Period:
        return Period(
            self.key[:3] + add_months(self.end, -12)
            if self.key.startswith("3m-")
            else add_months(self.key, -12)
        )

    def held(self, months: Sequence[str] | set[str]) -> bool:
        return all(m in months for m in self.months)


def parse_period(text: str | None) -> Period | None:
    """A period key from the URL ("2019-02", "3m-2019-02"), or None when it is not one."""
    if text and re.fullmatch(r"(3m-)?[0-9]{4}-(0[1-9]|1[0-2])", text, flags=re.ASCII):
        return Period(text)
    return None


def period_options(held: Sequence[str]) -> list[Period]:
    """Periods with every month held, newest first: the latest three months held first, then
    each month, then the other three-month spans."""
    have = set(held)
    months = sorted(have, reverse=True)
    threes = [Period(f"3m-{m}") for m in months if Period(f"3m-{m}").held(have)]
    singles = [Period(m) for m in months]
    return threes[:1] + singles + threes[1:]


def default_period(held: Sequence[str]) -> Period | None:
    options = period_options(held)
    return options[0] if options else None


def count_in(counts: Mapping[str, float], period: Period) -> float | None:
    """The count over the period's months, or None if any month is not held."""
    if not period.held(set(counts)):
        return None
    return float(sum(counts[m] for m in period.months))


# -- rates ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Population:
    value: float
    year: int  # the mid-year estimate's year
    source: str  # "ONS mid-year population estimates (mid-2019 edition)"

    @property
    def words(self) -> str:
        return f"mid-{self.year} population {format_number(self.value)} ({self.source})"


def per_thousand(count: float, population: float) -> float:
    return count / population * 1000


# -- one district's figures -----------------------------------------------------------------
@dataclass(frozen=True)
class District:
    """What the data hold for one district and one measure: monthly counts and populations."""

    area_id: str
    name: str
    code: str  # ONS code (the map's key)
    counts: Mapping[str, float]  # month -> count
    populations: Mapping[int, Population] = field(default_factory=dict)  # year -> population


@dataclass(frozen=True)
class Row:
    """One district (or the 14 together) for one period: the figures every surface shows."""

    area_id: str
    name: str
    code: str
    count: float | None
    earlier: float | None  # the same period a year earlier
    population: Population | None
    rate: float | None
    earlier_rate: float | None
    small: bool
    earlier_population: Population | None = None

    @property
    def change(self) -> float | None:
        if self.count is None or self.earlier is None:
            return None
        return self.count - self.earlier

    @property
    def change_percent(self) -> float | None:
        if self.change is None or not self.earlier:
            return None
        return self.change / self.earlier * 100

    def value(self, measure: str) -> float | None:
        if measure == "count":
            return self.count
        if measure == "change":
            return self.change_percent
        return self.rate


def row_for(district: District, period: Period) -> Row:
    count = count_in(district.counts, period)
    earlier = count_in(district.counts, period.year_earlier())
    population = district.populations.get(period.year)
    earlier_population = district.populations.get(period.year_earlier().year)
    rate = per_thousand(count, population.value) if count is not None and population else None
    earlier_rate = (
        per_thousand(earlier, earlier_population.value)
        if earlier is not None and earlier_population
        else None
    )
    return Row(
        district.area_id,
        district.name,
        district.code,
        count,
        earlier,
        population,
        rate,
        earlier_rate,
        small=count is not None and count < SMALL_COUNT,
        earlier_population=earlier_population,
    )


def together(rows: Sequence[Row], year: int) -> Row | None:
    """The 14 districts together: the sum of their counts over the sum of their populations
    (None unless every district has a count and a population for the period)."""
    if not rows or any(r.count is None or r.population is None for r in rows):
        return None
    count = sum(r.count for r in rows if r.count is not None)
    people = sum(r.population.value for r in rows if r.population is not None)
    sources = {r.population.source for r in rows if r.population is not None}
    earlier = (
        sum(r.earlier for r in rows if r.earlier is not None)
        if all(r.earlier is not None for r in rows)
        else None
    )
    earlier_people = (
        sum(r.earlier_population.value for r in rows if r.earlier_population is not None)
        if earlier is not None and all(r.earlier_population is not None for r in rows)
        else None
    )
    return Row(
        "together",
        TOGETHER[0].upper() + TOGETHER[1:],
        "",
        count,
        earlier,
        Population(people, year, "; ".join(sorted(sources))),
        per_thousand(count, people),
        per_thousand(earlier, earlier_people) if earlier is not None and earlier_people else None,
        small=False,
    )


# -- ranks ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ranked:
    """A row and its place among the districts ranked (None: not ranked)."""

    row: Row
    place: int | None  # 1 = highest value; ties share
    tied: bool = False


def ranked(rows: Sequence[Row], measure: str) -> list[Ranked]:
    """Highest value first; rows without a value or with small counts are listed after the
    ranked ones, unranked."""
    rankable = [r for r in rows if r.value(measure) is not None and not r.small]
    rankable.sort(key=lambda r: (-(r.value(measure) or 0.0), r.name))
    out: list[Ranked] = []
    for r in rankable:
        v = r.value(measure)
        higher = sum(1 for o in rankable if (o.value(measure) or 0.0) > (v or 0.0))
        tied = sum(1 for o in rankable if o.value(measure) == v) > 1
        out.append(Ranked(r, higher + 1, tied))
    rest = sorted((r for r in rows if r not in rankable), key=lambda r: r.name)
    return out + [Ranked(r, None) for r in rest]


def place_words(from_top: int, from_bottom: int, tied: bool, what: str) -> str:
    """'the highest rate', 'the 3rd highest rate', 'the 2nd lowest rate', 'joint 4th highest
    rate': counted from the nearer end."""
    n, end = (from_top, "highest") if from_top <= from_bottom else (from_bottom, "lowest")
    words = end if n == 1 else f"{ordinal(n)} {end}"
    return f"{'joint ' if tied else 'the '}{words} {what}"


def rank_sentence(entry: Ranked, entries: Sequence[Ranked], measure: str, direction: str) -> str:
    """'the 3rd highest rate of the 14 districts (lower is better)', or why it is not ranked."""
    what = {"rate": "rate", "count": "count", "change": "change"}[measure]
    if entry.place is None:
        if entry.row.small:
            return f"not ranked: fewer than {SMALL_COUNT} ({_count(entry.row.count)})"
        return "not ranked: no figure for this period"
    out_of = sum(1 for e in entries if e.place is not None)
    same = sum(1 for e in entries if e.place == entry.place)
    from_bottom = out_of - (entry.place + same - 1) + 1
    among = "the 14 districts" if out_of == 14 else f"the {out_of} districts ranked"
    good = GOOD_WORDS.get(direction, GOOD_WORDS["neutral"])
    return f"{place_words(entry.place, from_bottom, entry.tied, what)} of {among} ({good})"


def _count(value: float | None) -> str:
    return "no figure" if value is None else format_number(value)


def value_text(row: Row, measure: str) -> str:
    v = row.value(measure)
    if v is None:
        return "no figure" if measure != "change" else "no year-earlier figure"
    if measure == "count":
        return format_number(v)
    if measure == "change":
        sign = "+" if v > 0 else "−" if v < 0 else ""
        return f"{sign}{abs(v):,.1f}%"
    return f"{v:,.2f}" if v < 10 else f"{v:,.1f}"


def summary(
    entries: Sequence[Ranked], measure: str, label: str, period: Period, direction: str
) -> str:
    """The one-line summary: 'Southend-on-Sea had the highest rate of anti-social behaviour
    incidents, 3.20 per 1,000 people in March 2018; Uttlesford the lowest, 1.10.'"""
    ranked_only = [e for e in entries if e.place is not None]
    if not ranked_only:
        return f"No district has a {MEASURES[measure]} of {label} {period.in_words}."
    top, bottom = ranked_only[0], ranked_only[-1]
    what = {
        "rate": f"rate of {label}, {value_text(top.row, 'rate')} per 1,000 people",
        "count": f"count of {label}, {value_text(top.row, 'count')}",
        "change": f"change in {label} on a year earlier, {value_text(top.row, 'change')}",
    }[measure]
    unranked = len(entries) - len(ranked_only)
    tail = (
        f" ({unranked} district{'s' if unranked != 1 else ''} not ranked: "
        f"fewer than {SMALL_COUNT} or no figure)"
        if unranked
        else ""
    )
    top_words = "joint highest" if top.tied else "the highest"
    bottom_words = "joint lowest" if bottom.tied else "the lowest"
    return (
        f"{top.row.name} had {top_words} {what} {period.in_words}; "
        f"{bottom.row.name} {bottom_words}, {value_text(bottom.row, measure)}{tail}."
    )
