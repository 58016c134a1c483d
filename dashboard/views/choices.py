"""What a person asked for (a quarter, an area, in any spelling) against what the data have.

One place for both checks: the pages (routing.resolve) and the packs (ViewModel.resolve_quarter,
resolve_area) add their own next step to the same finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..data.model import Dataset
from ..data.periods import parse_quarter
from ..data.validate import alias_key


@dataclass(frozen=True)
class QuarterCheck:
    label: str | None  # the canonical label, when the data have the quarter
    problem: str | None = None  # what is wrong, when they do not
    readable: bool = True  # False: the text is not a quarter at all


def check_quarter(text: str, quarters: Sequence[str]) -> QuarterCheck:
    """A quarter in any spelling the tables accept, against the quarters the data have.
    Its digits are ASCII 0-9 only ("２０２４/２５ Q1" is not read as 2024/25 Q1)."""
    if not ascii_digits_only(text):
        return QuarterCheck(None, f"“{text}” is not a quarter we recognise", readable=False)
    try:
        label = parse_quarter(text).label
    except ValueError:  # PeriodError, and anything odd in the text
        return QuarterCheck(None, f"“{text}” is not a quarter we recognise", readable=False)
    if label not in quarters:
        return QuarterCheck(None, f"There are no figures for {parse_quarter(label).display}")
    return QuarterCheck(label)


def ascii_digits_only(text: str) -> bool:
    """False when ``text`` has a digit other than 0-9 (², ①, ٢, fullwidth ２)."""
    return not any(c.isdigit() and not c.isascii() for c in text)


def find_area(text: str, spellings: Mapping[str, set[str]]) -> list[str]:
    """The area ids a spelling (id, name or alias; see data.validate.area_aliases) can mean."""
    return sorted(spellings.get(alias_key(text), set()))


def not_own_area(dataset: Dataset, area_id: str, so: str) -> str | None:
    """Why an area in the data is not one a page, a pack or a download may be about: another
    police force area or England and Wales, which the national tables bring only to compare the
    force with. ``so``: what follows for the reader ("this page shows Essex (force-wide), not
    Kent"). None for the force and its own areas. Said so that nobody reads the force's figures
    under another force's name."""
    if area_id in dataset.own_area_ids or area_id not in dataset.area_index:
        return None
    row = dataset.area_index[area_id]
    name = str(row["name"])
    force = short_force_name(dataset)
    what = (
        "the national total of the police force areas"
        if row.get("area_type") == "country"
        else "another police force area"
    )
    return (
        f"{name} is {what}, not one of {force}'s areas, so {so}. Its figures are beside "
        f"{force}'s on the comparison pages (“How {force} compares” on each national figure's "
        f"page)."
    )


def short_force_name(dataset: Dataset) -> str:
    """'Essex', not 'Essex (force-wide)'."""
    force = dataset.area_index.get(dataset.force_id, {}).get("name", dataset.force_id)
    return str(force).split(" (")[0]
