"""The plan's structure comes from the dataset (issue 23): which priorities there are
(priorities.csv) and whose plan it is (the one area of type 'force' in areas.csv), never from
numbers or ids written in the code."""

from __future__ import annotations

import copy

import pandas as pd

from dashboard.data.validate import check_links
from dashboard.ingest.reference import Reference
from dashboard.pages.registry import PATHS
from dashboard.routing import priority_words, resolve


def _with_priorities(dataset, numbers: tuple[int, ...]):
    """The bundled dataset as if priorities.csv numbered its priorities ``numbers``."""
    other = copy.copy(dataset)
    other.__dict__["priority_numbers"] = numbers  # the cached property, as the table would give
    return other


def test_the_bundled_plan_has_the_priorities_of_its_table(bundled_dataset, bundled_data_dir):
    table = pd.read_csv(bundled_data_dir / "priorities.csv")  # seven rows, numbered 1 to 7
    assert (
        bundled_dataset.priority_numbers == tuple(sorted(table["priority"])) == tuple(range(1, 8))
    )
    assert bundled_dataset.force_id == "essex"  # areas.csv row 2: essex, ..., force


def test_a_plan_of_eight_priorities_has_a_priority_8_and_says_so(bundled_dataset):
    eight = _with_priorities(bundled_dataset, tuple(range(1, 9)))
    assert resolve("/priority/8", "", eight, PATHS).page == "priority"
    missing = resolve("/priority/9", "", eight, PATHS)
    assert missing.page == "not-found"
    assert missing.problems == ["There is no priority “9”: the plan has priorities 1 to 8."]
    route = resolve("/present", "?priorities=8,2", eight, PATHS)
    assert route.priorities == (8, 2)


def test_a_plan_numbered_with_gaps_names_its_own_numbers(bundled_dataset):
    gaps = _with_priorities(bundled_dataset, (1, 2, 4))
    assert priority_words((1, 2, 4)) == "1, 2 and 4"
    route = resolve("/narrative", "?priority=3", gaps, PATHS)
    assert route.priority is None
    assert route.problems == ["“3” is not a priority (1, 2 and 4); showing all priorities."]
    assert (
        "(1, 2 and 4, for example 4,1)"
        in resolve("/present", "?priorities=3", gaps, PATHS).problems[0]
    )


def test_the_force_is_the_area_of_type_force():
    areas = pd.DataFrame(
        {"area_id": ["kent", "north"], "area_type": ["force", "lpa"], "name": ["Kent", "North"]}
    )
    assert Reference(areas, *(pd.DataFrame() for _ in range(4))).force_id == "kent"
    assert check_links({"areas": areas.assign(_file="areas.csv", _row=[2, 3])}) == []


def test_areas_without_exactly_one_force_are_refused_with_the_place():
    two = pd.DataFrame(
        {
            "area_id": ["kent", "essex", "north"],
            "area_type": ["force", "force", "lpa"],
            "_file": "areas.csv",
            "_row": [2, 3, 4],
        }
    )
    problems = [p for p in check_links({"areas": two}) if p.column == "area_type"]
    assert [(p.file, p.row, p.value) for p in problems] == [
        ("areas.csv", 3, "force areas: kent, essex")
    ]
    assert "exactly one area of type 'force'" in problems[0].expected
