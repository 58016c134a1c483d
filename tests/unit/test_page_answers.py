"""What the page callback sends: tables and charts as one component each, and, for a filter
change on the same page, only the properties that changed, to the components that hold them.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from dash import dcc, html

from dashboard.components.chart import block as chart_block
from dashboard.components.chart import chart_payload
from dashboard.components.patch import as_json, diff, updates
from dashboard.components.tables import Link, data_table
from dashboard.shell import RENDERED, page_request, render_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from shell_helpers import SharedStore  # noqa: E402


def table_of(component: object) -> dict | None:
    """The data of a table built by :func:`data_table`, as the browser's script reads it."""
    raw = getattr(component, "data-table", None)
    if raw is None and isinstance(component, dict):
        raw = component.get("props", {}).get("data-table")
    return json.loads(raw) if isinstance(raw, str) else None


def components(node) -> int:
    if isinstance(node, dict):
        own = 1 if "props" in node and "type" in node else 0
        return own + sum(components(v) for v in node.values())
    if isinstance(node, list):
        return sum(components(v) for v in node)
    return 0


def test_a_table_is_one_component_whatever_its_rows():
    rows = [[f"2019/20 Q{q % 4 + 1}", f"{q * 1000:,}"] for q in range(500)]
    table = data_table("Calls by quarter", ["Period", "Calls"], rows)
    assert components(as_json(table)) == 1
    data = table_of(table)
    assert data["caption"] == "Calls by quarter"
    assert data["columns"] == ["Period", "Calls"]
    assert data["rows"][499] == ["2019/20 Q4", "499,000"]
    assert data["rowHeaders"] is True and data["pageSize"] == 25


def test_a_link_in_a_table_keeps_its_text_and_address():
    table = data_table("Signals", ["Metric", "Area"], [[Link("Road deaths", "/metric/x"), "Essex"]])
    assert table_of(table)["rows"] == [[{"text": "Road deaths", "href": "/metric/x"}, "Essex"]]


def test_a_chart_block_is_a_few_components_and_its_figure_is_plain_json():
    figure = {"data": [{"type": "scatter", "y": list(range(40))}], "layout": {"height": 360}}
    block = as_json(
        chart_block(
            "chart-x", chart_payload(figure, "Caption", ["P", "V"], [["a", "1"]] * 40), "Summary."
        )
    )
    assert components(block) == 4  # figure, chart, summary, table
    chart = block["props"]["children"][1]
    assert json.loads(chart["props"]["data-figure"]) == figure
    assert chart["props"]["style"] == {"minHeight": "360px"}


def page(cards: list[str], href: str) -> list:
    return [
        html.Section(
            [
                html.H2(dcc.Link("Priority 1", href=href)),
                html.Div([html.P(text, className="card") for text in cards]),
            ]
        ),
        html.P("Unchanged"),
    ]


def apply(tree, changes: dict) -> None:
    """What dash-renderer does with set_props: each component's props, found by id."""

    def walk(node):
        if isinstance(node, dict) and "props" in node:
            props = node["props"]
            if props.get("id") in changes:
                props.update(copy.deepcopy(changes[props["id"]]))
            walk(props.get("children"))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(tree)


def test_a_same_shape_change_becomes_updates_that_rebuild_the_new_page():
    old = as_json(page(["507", "514"], "/priority/1"), "b")
    new = as_json(page(["498", "514"], "/priority/1?area=south-lpa"), "b")
    operations = diff(old, new)
    found = updates(new, operations)
    # The changed text and the changed address, each to its own component: nothing else.
    assert found == {
        "b-0-0-0": {"href": "/priority/1?area=south-lpa"},
        "b-0-1-0": {"children": "498"},
    }
    apply(old, found)
    assert old == new


def test_another_shape_is_sent_whole():
    old = as_json(page(["507", "514"], "/a"), "b")
    assert diff(old, as_json(page(["507"], "/a"), "b")) is not None  # a list shorter inside
    assert diff(old, as_json([html.P("x")], "b")) is None  # the page itself is another length
    longer = as_json(page(["507", "514", "1"], "/a"), "b")
    found = updates(longer, diff(old, longer))
    assert found == {"b-0-1": {"children": longer[0]["props"]["children"][1]["props"]["children"]}}
    apply(old, found)
    assert old == longer


@pytest.fixture(scope="module")
def client(bundled_dataset):
    from dashboard.app import create_app
    from dashboard.config import Settings

    app = create_app(Settings.from_env(data_dir=Path(bundled_dataset.path)))
    return app.server.test_client()


def post(client, pathname, search, **state):
    response = client.post("/_dash-update-component", json=page_request(pathname, search, **state))
    assert response.status_code == 200
    return response.get_json()


def test_a_filter_change_on_the_same_page_sends_only_what_changed(client, bundled_dataset):
    first = post(client, "/priority/7", "")["response"]
    shown = first[RENDERED]["data"]
    assert shown["pathname"] == "/priority/7" and shown["version"]
    search = "?quarter=2018-19-Q4"
    changed = post(
        client, "/priority/7", search, written=search, changed="url.search", rendered=shown
    )
    assert "page-body" not in changed["response"]  # the body stays mounted...
    side = changed["sideUpdate"]  # ...and its changed components get their new props
    assert side and all(isinstance(props, dict) for props in side.values())
    # What the browser then shows is exactly the page for the new URL.
    store = SharedStore(bundled_dataset)
    before = render_page(store, "/priority/7", "").as_json()[1]
    after = render_page(store, "/priority/7", search).as_json()[1]
    apply(before, side)
    assert before == after


def test_another_page_or_version_gets_the_page_whole(client):
    shown = post(client, "/priority/7", "")["response"][RENDERED]["data"]
    other = post(client, "/priority/3", "", rendered=shown)
    assert "page-body" in other["response"] and "sideUpdate" not in other
    stale = post(client, "/priority/7", "?quarter=2018-19-Q4", rendered={**shown, "version": "old"})
    assert "page-body" in stale["response"]


def ids_in(node, into: list) -> list:
    if isinstance(node, dict) and "props" in node:
        if "id" in node["props"]:
            into.append(str(node["props"]["id"]))
        ids_in(node["props"].get("children"), into)
    elif isinstance(node, list):
        for child in node:
            ids_in(child, into)
    return into


@pytest.mark.parametrize(
    ("pathname", "search"),
    [
        ("/", ""),
        ("/", "?area=south-lpa"),
        *[(f"/priority/{n}", "") for n in range(1, 8)],
        ("/metric/ksi-casualties", ""),
        ("/metric/special-constable-headcount", "?area=south-lpa"),
        ("/area/south-lpa", ""),
        ("/narrative", "?q=Operation"),
        ("/about", ""),
        ("/present", "?slide=3"),
    ],
)
def test_every_component_of_a_page_has_its_own_id(bundled_dataset, pathname, search):
    """The ids the answer gives are how a later change reaches one component: never twice."""
    head, body, _ = render_page(SharedStore(bundled_dataset), pathname, search).as_json()
    found = ids_in([head, body], [])
    assert len(found) == len(set(found))
    assert len(found) == components([head, body])
