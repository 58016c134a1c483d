"""Fewer, larger updates (dashboard/components/patch.py ``coalesce``): many changed components
under one parent become one update of the parent's children, unless the parent holds a chart
or a table, which must stay mounted (a drawn plot, an opened table)."""

from __future__ import annotations

import copy

from dash import html

from dashboard.components.chart import chart, chart_payload
from dashboard.components.patch import COALESCE, as_json, coalesce, diff, updates


def notes(area: str, count: int, with_chart: bool = False) -> list:
    paragraphs: list = [html.P(f"Note {n} for {area}.") for n in range(count)]
    if with_chart:
        figure = {"data": [{"type": "bar", "y": [1, 2]}], "layout": {}}
        paragraphs.append(chart("chart-x", chart_payload(figure, "Caption", ["P"], [["a"]])))
    return [html.H1(area), html.Section(paragraphs, id="notes")]


def apply(tree, changes: dict) -> None:
    """What dash-renderer does with set_props: each component's props, found by id."""
    if isinstance(tree, dict) and "props" in tree:
        if tree["props"].get("id") in changes:
            tree["props"].update(copy.deepcopy(changes[tree["props"]["id"]]))
        apply(tree["props"].get("children"), changes)
    elif isinstance(tree, list):
        for child in tree:
            apply(child, changes)


def changes(old: list, new: list) -> tuple[dict, dict]:
    a, b = as_json(old, "b"), as_json(new, "b")
    found = updates(b, diff(a, b))
    return found, coalesce(b, found)


def test_twelve_changed_paragraphs_of_one_section_are_one_update():
    old, new = as_json(notes("Basildon", 12), "b"), as_json(notes("Chelmsford", 12), "b")
    found, fewer = changes(notes("Basildon", 12), notes("Chelmsford", 12))
    assert len(found) == 13  # the heading and each paragraph
    assert set(fewer) == {"b-0", "notes"}  # the heading and the section's children
    apply(old, fewer)
    assert old == new


def test_a_few_changes_stay_where_they_are():
    found, fewer = changes(notes("Basildon", COALESCE - 1), notes("Chelmsford", COALESCE - 1))
    assert fewer == found and len(found) == COALESCE


def test_a_section_holding_a_chart_keeps_its_components_mounted():
    found, fewer = changes(notes("Basildon", 12, True), notes("Chelmsford", 12, True))
    assert fewer == found  # the chart's plot is not mounted again
    assert "notes" not in fewer
