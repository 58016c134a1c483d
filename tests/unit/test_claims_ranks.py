"""Claims of issue 20, finding 3: "Good news read as bad".

Essex's change in Special Constables (30 September 2018 against a year earlier, +22.1%) is the
best of its most similar group, on a measure where higher is better; only Surrey (+37.8%) and
Cleveland (+26.6%) rose more of the 43 forces (tests/unit/test_peers.py works these by hand from
the Home Office table). The page said "ranks 41st of 43 forces from the lowest ... and 8th of 8
in its group": read aloud, Essex sounds last. Ranks are now said by the direction of good, the
same on the page, its summary, the slides' packs (PDF, PowerPoint) and meeting packs.
"""

from __future__ import annotations

import json

import pytest
from dash.development.base_component import Component

from dashboard.data.store import DatasetStore
from dashboard.shell import render_page
from dashboard.views.compare import comparison
from dashboard.views.model import views_of
from dashboard.views.ranks import Standing, ordinal, place_words

SPECIALS = "ho-special-constables-headcount"
VWI = "pfa-violence-with-injury"
WEAPONS = "pfa-possession-of-weapons"
SPECIALS_SAYS = (
    "Essex's change is the best of the 8 forces in its group and the 3rd best of 43 forces "
    "(higher is better)"
)


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


class _Store(DatasetStore):
    def __init__(self, dataset):
        self.path, self.reload_interval, self.last_problems = dataset.path, 3600.0, []
        self._dataset = dataset

    def get(self):
        return self._dataset


def text_of(node) -> str:
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(text_of(n) for n in node)
    if isinstance(node, Component):
        return text_of(getattr(node, "children", None))
    return ""


def tables_of(node) -> list[dict]:
    found = []
    if isinstance(node, list | tuple):
        for n in node:
            found += tables_of(n)
    elif isinstance(node, Component):
        raw = getattr(node, "data-table", None)
        if isinstance(raw, str):
            found.append(json.loads(raw))
        found += tables_of(getattr(node, "children", None))
    return found


def test_special_constables_summary_says_best_in_group_and_3rd_best_nationally(vm):
    c = comparison(vm, SPECIALS, "2018-09-30")
    assert SPECIALS_SAYS in c.summary
    assert "41st" not in c.summary and "8th of 8" not in c.summary


def test_lower_is_better_is_counted_from_the_lowest_change(vm):
    """Violence with injury (lower is better): Essex's place in its group is worked out here
    from the group's own lines, and said from the nearer end."""
    c = comparison(vm, VWI, "12m-to-2018-12")
    essex = next(x for x in c.lines if x.role == "focus")
    peers = [x for x in c.lines if x.role == "peer"]
    better = sum(1 for p in peers if p.percent < essex.percent)  # a lower change is better
    worse = sum(1 for p in peers if p.percent > essex.percent)
    assert worse < better  # nearer the bad end: said as "worst"
    assert f"Essex's change is the {ordinal(worse + 1)} worst of the 8 forces in its group" in (
        c.summary
    )
    assert c.summary.rstrip(".").endswith("(lower is better)")


def test_no_better_direction_gets_neutral_words(vm):
    """Possession of weapons offences has no better direction: no best, no worst."""
    c = comparison(vm, WEAPONS, "12m-to-2018-12")
    essex = next(x for x in c.lines if x.role == "focus")
    assert essex.change.movement == "up"
    peers = [x for x in c.lines if x.role == "peer"]
    higher = sum(1 for p in peers if p.percent > essex.percent)
    place = "the largest rise" if higher == 0 else f"the {ordinal(higher + 1)} largest rise"
    assert f"Essex's change is {place} of the 8 forces in its group" in c.summary
    assert "best" not in c.summary and "worst" not in c.summary
    assert "(neither higher nor lower is better)" in c.summary


@pytest.mark.parametrize(
    ("standing", "direction", "words"),
    [
        (Standing(lower=7, higher=0, tied=0, out_of=8, movement="up"), "up", "the best"),
        (Standing(lower=7, higher=0, tied=0, out_of=8, movement="up"), "down", "the worst"),
        (Standing(lower=40, higher=2, tied=0, out_of=43, movement="up"), "up", "the 3rd best"),
        (Standing(lower=1, higher=5, tied=1, out_of=8, movement="down"), "down", "joint 2nd best"),
        (Standing(lower=5, higher=1, tied=1, out_of=8, movement="up"), "down", "joint 2nd worst"),
        (Standing(lower=0, higher=7, tied=0, out_of=8, movement="down"), "neutral", "the largest fall"),
        (Standing(lower=5, higher=2, tied=0, out_of=8, movement="up"), "neutral", "the 3rd largest rise"),
    ],
)  # fmt: skip
def test_places_are_said_by_the_direction_of_good(standing, direction, words):
    assert place_words(standing, direction) == words


def test_the_page_says_it_and_lists_the_best_first(bundled_dataset):
    update = render_page(
        _Store(bundled_dataset), f"/compare/{SPECIALS}", "?period=2018-09-30&quarter=2019-20-Q4"
    )
    text = text_of(update.body)
    assert SPECIALS_SAYS in text
    assert "2 forces had a better change" in text
    assert "ranks 41st" not in text and "from the lowest change (1st: the largest fall)" not in text
    ranks = next(t for t in tables_of(update.body) if t["columns"][:2] == ["Rank", "Force"])
    assert "best (highest) first" in ranks["caption"]
    assert [row[:2] for row in ranks["rows"][:3]] == [
        ["1", "Surrey"],
        ["2", "Cleveland"],
        ["3", "Essex"],
    ]


def test_packs_say_the_same_as_the_page(vm, bundled_dataset):
    pack = vm.pack("2019-20-Q4")
    specials = next(c for s in pack.sections for c in s.comparisons if c.metric_id == SPECIALS)
    assert specials.summary == comparison(vm, SPECIALS, None, "2019-20-Q4").summary
    assert SPECIALS_SAYS in specials.summary
