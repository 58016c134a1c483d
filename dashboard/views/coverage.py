"""What the data hold for a quarter, said wherever the quarter appears: a quarter held only by a
partial copy of its update ("from a partial copy of the update: Priority 1 only"), the
priorities that copy does not reach, and newer data than the quarter a page or link shows.

The record of a partial copy is its source's title (:mod:`dashboard.data.partial`); the default
quarter is never a partial one while a complete one exists (``Dataset.latest_quarter``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.partial import held_words
from ..data.periods import parse_quarter
from .facade import Views
from .titles import quarter_label


def held(vm: Views, quarter: str | None) -> tuple[int, ...] | None:
    """The priorities a partial quarter holds; None for a quarter that is not partial."""
    return vm.dataset.partial_quarters.get(quarter or "")


def partial_words(vm: Views, quarter: str | None) -> str:
    """'from a partial copy of the update: Priority 1 only' ('' for a whole quarter)."""
    found = held(vm, quarter)
    return "" if found is None else f"from a partial copy of the update: {held_words(found)}"


def partial_note(vm: Views, quarter: str | None) -> str:
    """The sentence a page with the quarter says: '2020/21 Q2 is from a partial copy of the
    update: Priority 1 only. The other priorities were not in it.'"""
    words = partial_words(vm, quarter)
    if not words:
        return ""
    return (
        f"{quarter_label(quarter)} is {words}. The other priorities' figures and updates were "
        "not in it, so this quarter shows nothing for them."
    )


def missing_note(vm: Views, quarter: str | None, number: int) -> str:
    """For a priority a partial quarter does not hold: 'Not in the partial copy of the 2020/21
    Q2 update: no figures or updates were read for this priority.' ('' otherwise)."""
    found = held(vm, quarter)
    if found is None or number in found:
        return ""
    return (
        f"Not in the partial copy of the {quarter_label(quarter)} update: no figures or updates "
        "were read for this priority."
    )


@dataclass(frozen=True)
class Newer:
    """Newer data than the quarter shown: which quarter, and the sentence that says so."""

    quarter: str
    text: str  # "Newer data: the data now go to 2020/21 Q2."
    link: str  # "Show 2020/21 Q2"


def newer_data(vm: Views, quarter: str | None) -> Newer | None:
    """Newer data than ``quarter``: the default quarter when it is later, else a later quarter
    held only by a partial copy (said as such); None when the quarter is the newest."""
    if not quarter:
        return None
    shown = parse_quarter(quarter)
    latest, newest = vm.latest_quarter, vm.dataset.newest_quarter
    if latest and parse_quarter(latest) > shown:
        text = f"Newer data: the data now go to {quarter_label(latest)}"
        if newest and parse_quarter(newest) > parse_quarter(latest):  # a partial copy
            text += f" ({quarter_label(newest)} {partial_words(vm, newest)})"
        return Newer(latest, text + ".", f"Show {quarter_label(latest)}")
    if newest and parse_quarter(newest) > shown:
        return Newer(
            newest,
            f"Newer data: {quarter_label(newest)} is in the data, {partial_words(vm, newest)}.",
            f"Show {quarter_label(newest)}",
        )
    return None
