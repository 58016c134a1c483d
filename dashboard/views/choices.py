"""What a person asked for (a quarter, an area, in any spelling) against what the data have.

One place for both checks: the pages (routing.resolve) and the packs (ViewModel.resolve_quarter,
resolve_area) add their own next step to the same finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..data.periods import parse_quarter
from ..data.validate import alias_key


@dataclass(frozen=True)
class QuarterCheck:
    label: str | None  # the canonical label, when the data have the quarter
    problem: str | None = None  # what is wrong, when they do not
    readable: bool = True  # False: the text is not a quarter at all


def check_quarter(text: str, quarters: Sequence[str]) -> QuarterCheck:
    """A quarter in any spelling the tables accept, against the quarters the data have."""
    try:
        label = parse_quarter(text).label
    except ValueError:  # PeriodError, and anything odd in the text
        return QuarterCheck(None, f"“{text}” is not a quarter we recognise", readable=False)
    if label not in quarters:
        return QuarterCheck(None, f"There are no figures for {parse_quarter(label).display}")
    return QuarterCheck(label)


def find_area(text: str, spellings: Mapping[str, set[str]]) -> list[str]:
    """The area ids a spelling (id, name or alias; see data.validate.area_aliases) can mean."""
    return sorted(spellings.get(alias_key(text), set()))
