"""Send only what changed: property updates, by component id, from the view the browser shows to
the new one.

A filter change on a page (another area, another quarter) usually gives a page of the same
shape with other numbers in it. Replacing the page's children makes dash-renderer mount every
component below again (a changed ``children`` gives each child a fresh React key), so every
element is rebuilt and every chart drawn from nothing. Setting only the properties that differ
on the components that hold them (``dash.set_props``) leaves the rest of the page mounted:
React updates a few attributes and texts, and assets/lazy.js redraws a changed chart with
``Plotly.react``. For that every component needs an id: :func:`as_json` gives one, from its
place in the tree, to each that has none.

:func:`diff` compares two component trees as the browser holds them (their JSON form);
:func:`updates` turns its operations into ``{id: {prop: value}}``, or None when the shapes
differ too much to be worth it, and the page is then sent whole.
"""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component

#: More changes than this and the whole page is sent instead: cheaper to apply at once.
MAX_OPERATIONS = 600


def as_json(node: Any, prefix: str | None = None) -> Any:
    """A component tree as the browser receives it (components as type/namespace/props).

    With ``prefix``, every component without an id is given one from its place in the tree
    ("<prefix>-2-0-1"): the same place in two pages of the same shape has the same id, so a
    change can be sent to exactly the component it is in."""
    if isinstance(node, Component):
        found = node.to_plotly_json()
        props = dict(found["props"])
        if prefix is not None and "id" not in props:
            props["id"] = prefix
        if "children" in props:
            children = props["children"]
            own = props["id"] if prefix is not None and isinstance(props["id"], str) else prefix
            if isinstance(children, list | tuple) or own is None:
                props["children"] = as_json(children, own)
            else:  # one child: its place is the first
                props["children"] = as_json(children, f"{own}-0")
        return {**found, "props": props}
    if isinstance(node, list | tuple):
        if prefix is None:
            return [as_json(n) for n in node]
        return [as_json(n, f"{prefix}-{i}") for i, n in enumerate(node)]
    return node


def _is_component(node: Any) -> bool:
    return isinstance(node, dict) and "props" in node and "type" in node


class _TooDifferent(Exception):
    pass


def diff(old: Any, new: Any, limit: int = MAX_OPERATIONS) -> list[tuple[list, Any]] | None:
    """(path, new value) assignments that turn ``old`` into ``new`` (both :func:`as_json`
    trees), or None when it is simpler to send ``new`` whole."""
    operations: list[tuple[list, Any]] = []

    def assign(path: list, value: Any) -> None:
        if not path:
            raise _TooDifferent
        operations.append((path, value))
        if len(operations) > limit:
            raise _TooDifferent

    def walk(a: Any, b: Any, path: list) -> None:
        if a is b:
            return
        if _is_component(a) and _is_component(b):
            pa, pb = a["props"], b["props"]
            if (
                a["type"] != b["type"]
                or a["namespace"] != b["namespace"]
                or pa.get("id") != pb.get("id")
            ):
                assign(path, b)
            else:
                for key in pa.keys() | pb.keys():
                    if key == "children":
                        walk(pa.get(key), pb.get(key), [*path, "props", key])
                    elif pa.get(key) != pb.get(key):
                        assign([*path, "props", key], pb.get(key))
            return
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for index, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, [*path, index])
            return
        if _is_component(a) or _is_component(b) or a != b:
            assign(path, b)

    try:
        walk(old, new, [])
    except _TooDifferent:
        return None
    return operations


def updates(new: Any, operations: list[tuple[list, Any]]) -> dict[str, dict] | None:
    """``{component id: {prop: value}}`` that make the browser's tree ``new``: each operation
    goes to the nearest component with an id on its path (its own property, or that
    component's children whole). None when an operation has no such component."""
    found: dict[str, dict] = {}
    replaced: list[list] = []  # paths of components whose children are sent whole
    for path, value in operations:
        node, owner, owner_at = new, None, -1
        for depth, step in enumerate(path):
            if _is_component(node) and isinstance(node["props"].get("id"), str):
                owner, owner_at = node, depth
            if depth < len(path) - 1:  # the last step may be a property the new tree lacks
                node = node[step]
        if owner is None:
            return None
        owner_id = owner["props"]["id"]
        rest = path[owner_at:]
        if len(rest) == 2 and rest[0] == "props" and rest[1] != "children":
            found.setdefault(owner_id, {})[rest[1]] = value
        else:
            found.setdefault(owner_id, {})["children"] = owner["props"].get("children")
            replaced.append(path[:owner_at])
    # An update inside children that are sent whole anyway is dropped.
    return _without_nested(new, found, replaced)


def _without_nested(new: Any, found: dict[str, dict], replaced: list[list]) -> dict[str, dict]:
    if not replaced:
        return found
    inside: set[str] = set()
    for path in replaced:
        node = new
        for step in path:
            node = node[step]
        _ids_below(node, inside)
    return {k: v for k, v in found.items() if k not in inside}


#: This many updated components with one parent, and the parent's children are sent whole.
COALESCE = 3

#: Props of components that keep state in the browser (a drawn chart, a built table that may
#: be open): a parent holding one is never sent whole, so they stay mounted.
_KEEPS_STATE = ("data-figure", "data-table")


def coalesce(new: Any, found: dict[str, dict]) -> dict[str, dict]:
    """Fewer, larger updates: where :data:`COALESCE` or more updated components share a parent
    (the nearest component with an id above them) that holds no chart or table, that parent's
    children are sent whole instead. dash-renderer applies each ``set_props`` on its own (a
    store update and a new path table each), so twelve changed paragraphs of one section cost
    more as twelve updates than as one; plain text and links hold no state to lose."""
    parent_of: dict[str, dict] = {}
    holds_state: set[str] = set()

    def walk(node: Any, parent: dict | None) -> bool:
        """Records each component's parent; True when ``node`` holds a chart or table."""
        if _is_component(node):
            props = node["props"]
            own = props.get("id") if isinstance(props.get("id"), str) else None
            if own is not None and parent is not None:
                parent_of[own] = parent
            inside = walk(props.get("children"), node if own is not None else parent)
            stateful = inside or any(key in props for key in _KEEPS_STATE)
            if own is not None and stateful:
                holds_state.add(own)
            return stateful
        if isinstance(node, list):
            return any([walk(child, parent) for child in node])
        return False

    walk(new, None)
    counts: dict[str, int] = {}
    parents: dict[str, dict] = {}
    for component_id in found:
        parent = parent_of.get(component_id)
        if parent is not None and parent["props"]["id"] not in holds_state:
            counts[parent["props"]["id"]] = counts.get(parent["props"]["id"], 0) + 1
            parents[parent["props"]["id"]] = parent
    whole = [i for i, n in counts.items() if n >= COALESCE]
    if not whole:
        return found
    merged = dict(found)
    for parent_id in whole:
        merged[parent_id] = {
            **merged.get(parent_id, {}),
            "children": parents[parent_id]["props"].get("children"),
        }
    inside: set[str] = set()
    for parent_id in whole:
        _ids_below(parents[parent_id], inside)
    return {k: v for k, v in merged.items() if k not in inside}


def _ids_below(node: Any, into: set[str], top: bool = True) -> None:
    if _is_component(node):
        if not top and isinstance(node["props"].get("id"), str):
            into.add(node["props"]["id"])
        _ids_below(node["props"].get("children"), into, False)
    elif isinstance(node, list):
        for child in node:
            _ids_below(child, into, False)
