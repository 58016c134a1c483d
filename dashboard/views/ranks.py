"""A force's rank among forces, worded by the direction of good: the one wording the comparison
page, its summary, the slides and the packs use.

Ranks are of the change over 12 months (:mod:`dashboard.analysis.peers`). Read aloud, "41st of
43 from the lowest" sounds last even when the change is the third best, so a rank is said from
the good end where the measure has one:

* higher is better: "the best", "the 3rd best", "joint 2nd best" (counted from the highest
  change), or from the other end when that is nearer: "the 2nd worst";
* lower is better: the same, counted from the lowest change;
* neither: no best or worst. A rise is placed among the rises ("the largest rise", "the 3rd
  largest rise", counted from the highest change), a fall among the falls (from the lowest),
  no change by its place from the highest ("the 5th highest").

Ties share a place and are said as such ("joint 3rd best").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.peers import Rank


@dataclass(frozen=True)
class Standing:
    """Where one force's change stands among the forces ranked."""

    lower: int  # forces with a lower change
    higher: int  # forces with a higher change
    tied: int  # other forces with the same change
    out_of: int  # forces ranked, the force included
    movement: str  # the force's own change: "up", "down" or "same"

    @classmethod
    def of(cls, rank: Rank, movement: str) -> Standing:
        return cls(rank.rank - 1, rank.higher, rank.tied, rank.out_of, movement)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _place(position: int, tied: int, word: str) -> str:
    """'the best', 'the 3rd best', 'joint best', 'joint 3rd best'."""
    if tied:
        return f"joint {word}" if position == 1 else f"joint {ordinal(position)} {word}"
    return f"the {word}" if position == 1 else f"the {ordinal(position)} {word}"


def place_words(standing: Standing, direction: str) -> str:
    """The force's place, by the direction of good ("the 3rd best", "the largest rise")."""
    if direction == "neutral":
        if standing.movement == "up":
            return _place(standing.higher + 1, standing.tied, "largest rise")
        if standing.movement == "down":
            return _place(standing.lower + 1, standing.tied, "largest fall")
        return _place(standing.higher + 1, standing.tied, "highest")
    better, worse = (
        (standing.higher, standing.lower)
        if direction == "up"
        else (standing.lower, standing.higher)
    )
    if better <= worse:
        return _place(better + 1, standing.tied, "best")
    return _place(worse + 1, standing.tied, "worst")


GOOD_WORDS = {
    "up": "higher is better",
    "down": "lower is better",
    "neutral": "neither higher nor lower is better",
}


def standing_sentence(
    force: str, national: Standing | None, group: Standing | None, direction: str
) -> str:
    """ "Essex's change is the best of the 8 forces in its group and the 3rd best of 43 forces
    (higher is better)" ("" without a national rank)."""
    if national is None:
        return ""
    parts = []
    if group is not None:
        parts.append(f"{place_words(group, direction)} of the {group.out_of} forces in its group")
    parts.append(f"{place_words(national, direction)} of {national.out_of} forces")
    return f"{force}'s change is {' and '.join(parts)} ({GOOD_WORDS[direction]})"


def better_count(standing: Standing, direction: str) -> str:
    """'2 forces had a better change' (or, with no better direction, 'a higher change')."""
    if direction == "neutral":
        n, what = standing.higher, "a higher change"
    else:
        n = standing.higher if direction == "up" else standing.lower
        what = "a better change"
    return f"{n} force{'s' if n != 1 else ''} had {what}"


def table_order(direction: str) -> str:
    """How the table of every force is ordered, in words, for its caption."""
    if direction == "up":
        return "best (highest) first"
    if direction == "down":
        return "best (lowest) first"
    return "highest first (neither higher nor lower is better)"


def table_position(higher: int, lower: int, direction: str) -> int:
    """A force's place in the table (1 = the first row's place; ties share it)."""
    return lower + 1 if direction == "down" else higher + 1


def rank_reading(direction: str) -> str:
    """How to read the ranks, for the page's "Reading these figures"."""
    if direction == "neutral":
        return (
            "Neither higher nor lower is better for this measure, so no change is ranked best "
            "or worst: a rise is placed among the rises (1st: the largest rise), a fall among "
            "the falls, and the table runs from the highest change to the lowest. Forces with "
            "the same change share a place."
        )
    end = "highest" if direction == "up" else "lowest"
    return (
        f"{GOOD_WORDS[direction].capitalize()} for this measure, so ranks run from the best "
        f"change (1st: the {end}) to the worst; forces with the same change share a rank."
    )
