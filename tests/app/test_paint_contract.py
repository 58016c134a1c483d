"""The engine's contract for a filter change (issue 22, docs/architecture.md "The engine"):

- the answer sends ``set_props`` only to the components whose content changed, and applying
  them to the page the browser shows gives exactly the page for the new URL;
- a chart whose figure did not change is not in the answer at all (so assets/lazy.js, which
  draws a chart again only when its ``data-digest`` changes, leaves it alone);
- the same change again costs neither a render of the previous URL nor a diff of two pages:
  both are kept in the version's cache (namespaces "shown" and "patch").

Figures are checked against data/observations.csv: policeuk-burglary, Feb 2019 (the latest
month held), is 847 for Essex (row 25826) and 92 for Basildon (row 25827).
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest
from shell_helpers import SharedStore

from dashboard import shell
from dashboard.shell import RENDERED, page_request, render_page
from dashboard.views import views_of

METRIC = "/metric/policeuk-burglary"


def latest_value(data_dir: Path, area: str) -> float:
    """The source file's value of policeuk-burglary in its latest month for ``area``."""
    with (data_dir / "observations.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["metric_id"] == "policeuk-burglary" and r["area_id"] == area
        ]
    return float(max(rows, key=lambda r: r["period"])["value"])


def components_by_id(tree, into: dict | None = None) -> dict:
    into = {} if into is None else into
    if isinstance(tree, dict) and "props" in tree:
        into[tree["props"]["id"]] = tree["props"]
        components_by_id(tree["props"].get("children"), into)
    elif isinstance(tree, list):
        for child in tree:
            components_by_id(child, into)
    return into


def last_y(figure_json: str) -> float:
    y = [v for v in json.loads(figure_json)["data"][0]["y"] if v is not None]
    return y[-1]


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


def change(client, search: str, shown: dict) -> dict:
    return post(client, METRIC, search, written=search, changed="url.search", rendered=shown)


def test_an_area_change_sends_only_the_components_that_changed(client, bundled_dataset):
    data_dir = Path(bundled_dataset.path)
    shown = post(client, METRIC, "")["response"][RENDERED]["data"]
    answer = change(client, "?area=basildon", shown)
    assert "page-body" not in answer["response"]  # the page stays mounted
    side = answer["sideUpdate"]
    store = SharedStore(bundled_dataset)
    before = components_by_id(list(render_page(store, METRIC, "").as_json()[:2]))
    after = components_by_id(list(render_page(store, METRIC, "?area=basildon").as_json()[:2]))
    # Every component sent has new content; every component whose content changed is sent
    # (or sits inside children sent whole).
    for component_id, props in side.items():
        assert any(before[component_id].get(k) != v for k, v in props.items()), component_id
    changed = {i for i in after if i in before and before[i] != after[i]}
    assert set(side) <= changed
    assert len(after) - len(changed) >= 20  # most of the page is the same: none of it is sent
    # The chart of the month shows Basildon's latest count instead of the force's.
    chart = side["chart-month"]
    assert last_y(before["chart-month"]["data-figure"]) == latest_value(data_dir, "essex")
    assert last_y(chart["data-figure"]) == latest_value(data_dir, "basildon")
    assert chart["data-digest"] != before["chart-month"]["data-digest"]


def test_a_chart_whose_figure_did_not_change_is_not_sent(client):
    """Another quarter on a monthly series changes the summary (which quarter it is read
    before), not the monthly chart: the chart is not in the answer, so it is not drawn again."""
    shown = post(client, METRIC, "?area=basildon")["response"][RENDERED]["data"]
    answer = change(client, "?quarter=2018-19-Q4&area=basildon", shown)
    side = answer["sideUpdate"]
    assert "2018/19 Q4" in side["chart-month-summary"]["children"]
    assert "chart-month" not in side and "xmr-month" not in side


def test_the_same_change_again_is_neither_rendered_twice_nor_diffed(bundled_dataset, monkeypatch):
    dataset = copy.copy(bundled_dataset)  # a view model (and cache) of this test's own
    store = SharedStore(dataset)
    vm = views_of(dataset)
    sent: list[dict] = []
    monkeypatch.setattr(shell, "set_props", lambda i, props: sent.append({i: props}))
    diffs, renders = [], []
    real_diff, real_render = shell.diff, shell.render_page
    monkeypatch.setattr(shell, "diff", lambda *a, **k: diffs.append(1) or real_diff(*a, **k))
    monkeypatch.setattr(
        shell, "render_page", lambda *a, **k: renders.append(a[1:]) or real_render(*a, **k)
    )
    first = real_render(store, METRIC, "")
    new = real_render(store, METRIC, "?area=basildon")
    shell.patch_from(store, first.view, new)
    assert renders == [(METRIC, "")] and len(diffs) == 2  # head and body, once
    once = list(sent)
    sent.clear()
    again = real_render(store, METRIC, "?area=basildon")
    assert shell.patch_from(store, first.view, again)[:2] == (shell.no_update, shell.no_update)
    assert renders == [(METRIC, "")] and len(diffs) == 2  # nothing rendered or diffed again
    assert sent == once  # the same updates
    assert vm.cache.size("shown") == 1 and vm.cache.size("patch") == 1
