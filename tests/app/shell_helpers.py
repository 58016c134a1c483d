"""Helpers for the app tests: the text a user reads in a component tree, and a store holding
the session's one validated copy of the bundled data."""

from __future__ import annotations

import json

from dash.development.base_component import Component

from dashboard.data.store import DatasetStore


def text_of(node) -> str:
    """Every string a user would read in a Dash component tree, in order: a component tree
    (the callback as a function) or its JSON (the callback over HTTP)."""
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text_of(n) for n in node)
    if isinstance(node, Component):
        return text_of(getattr(node, "children", None))
    if isinstance(node, dict):
        if "props" in node:
            return text_of(node["props"].get("children"))
        return "".join(text_of(v) for v in node.values())
    return ""


class SharedStore(DatasetStore):
    """A store holding the session's one validated copy of the bundled data."""

    def __init__(self, dataset):
        self.path, self.reload_interval, self.last_problems = dataset.path, 3600.0, []
        self._dataset = dataset

    def get(self):
        return self._dataset


def props_of(node, wanted: str) -> dict:
    """The props of the component with id ``wanted`` in a rendered tree (its JSON)."""
    tree = json.loads(json.dumps(node, default=lambda c: c.to_plotly_json()))
    found: list[dict] = []

    def walk(item) -> None:
        if isinstance(item, dict):
            props = item.get("props")
            if isinstance(props, dict) and props.get("id") == wanted:
                found.append(props)
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(tree)
    assert len(found) == 1, f"{len(found)} components with id {wanted!r}"
    return found[0]
