"""Partial copies of a quarterly update: how the data record them and what a quarter holds.

``pcp-dashboard ingest --partial`` takes a truncated copy (its contents list priorities its text
never reaches) and marks its source's title "[partial copy: Priority 4, 5, 6, 7 missing]"
(dashboard/ingest/document.py). That mark is the record: this module reads it back. A quarter is
*partial* when every source of its updates is a partial copy (a complete copy imported later
makes it whole again); the priorities it holds are the plan's less those missing from every
copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: The mark ingest writes at the end of a partial copy's title.
MARK = re.compile(r"\[partial copy: Priority ([0-9][0-9, ]*) missing\]")


def missing_priorities(title: str) -> frozenset[int] | None:
    """The priorities a source's title says are missing; None for a complete document."""
    found = MARK.search(str(title))
    if found is None:
        return None
    return frozenset(int(n) for n in re.findall(r"[0-9]+", found.group(1)))


def partial_quarters(
    items: Iterable[tuple[str, str]],
    titles: Mapping[str, str],
    plan: Iterable[int],
) -> dict[str, tuple[int, ...]]:
    """Quarter -> the priorities it holds, for each quarter whose every update source is a
    partial copy. ``items``: (quarter, source id) of each update."""
    sources: dict[str, set[str]] = {}
    for quarter, source_id in items:
        sources.setdefault(str(quarter), set()).add(str(source_id))
    every = sorted(set(plan))
    found = {}
    for quarter, ids in sources.items():
        missing = [missing_priorities(titles.get(s, "")) for s in ids]
        if not missing or any(m is None for m in missing):
            continue
        lacking = frozenset.intersection(*(m for m in missing if m is not None))
        found[quarter] = tuple(p for p in every if p not in lacking)
    return found


def held_words(held: Iterable[int]) -> str:
    """'Priority 1 only', 'Priorities 1 to 3 only', 'Priorities 1, 3 and 5 only'."""
    numbers = sorted(held)
    if not numbers:
        return "no priority"
    if len(numbers) == 1:
        return f"Priority {numbers[0]} only"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Priorities {numbers[0]} to {numbers[-1]} only"
    return f"Priorities {', '.join(map(str, numbers[:-1]))} and {numbers[-1]} only"
