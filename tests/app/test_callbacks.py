"""The app without a browser: callbacks as plain functions, and as Dash's own HTTP endpoint.

``render_page`` (the page callback), ``query_with_filters`` (the filters callback) and
``routing.resolve`` are called directly with a store on the bundled data; then the same callbacks
are POSTed to /_dash-update-component through Flask's test client, as the browser does.
"""

from __future__ import annotations

import json

import pytest
from dash.development.base_component import Component

from dashboard import routing
from dashboard.app import PAGE_BUILDERS, create_app, query_with_filters, render_page
from dashboard.config import Settings
from dashboard.data.store import DatasetStore

SOUTH = "Southend: A two year Community Behaviour Order (CBO)"
WEST = "In Thurrock, an expedited licensing review"
BROKEN = ("Traceback", "Something went wrong", "Internal Server Error")


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


@pytest.fixture(scope="module")
def store(bundled_data_dir) -> DatasetStore:
    return DatasetStore(bundled_data_dir, reload_interval=3600)


@pytest.fixture(scope="module")
def render(store):
    return lambda path, search="": text_of(render_page(store, dict(PAGE_BUILDERS), path, search))


@pytest.fixture(scope="module")
def client(bundled_data_dir):
    app = create_app(Settings(data_dir=bundled_data_dir, debug=False, reload_interval=3600))
    return app.server.test_client()


# --- The page callback as a function ----------------------------------------------------------


def test_overview_lists_the_seven_priorities_for_the_latest_quarter(render):
    text = render("/")
    assert "Plan at a glance: 2019/20 Q4" in text
    for number in range(1, 8):
        assert f"Priority {number}:" in text
    assert "Priority 8" not in text


def test_priority_7_states_168_ksi_casualties_and_the_year_before(render):
    text = render("/priority/7")
    assert "168 in 2019/20 Q4" in text
    assert "Down from 170 KSI casualties" in text


def test_south_lpa_on_priority_2_shows_its_updates_not_the_wests(render):
    everyone = render("/priority/2")
    assert SOUTH in everyone and WEST in everyone and "West LPA:" in everyone
    south = render("/priority/2", "?area=south-lpa")
    assert SOUTH in south
    assert "Rayleigh: A two year CBO" in south
    assert WEST not in south and "West LPA:" not in south
    west = render("/priority/2", "?area=west-lpa")
    assert WEST in west and SOUTH not in west


def test_a_district_shows_its_own_updates_under_its_lpa_heading(render):
    text = render("/priority/2", "?area=southend")
    assert SOUTH in text
    assert "South Local Policing Area (LPA):" in text  # the heading keeps the context
    assert "Rayleigh: A two year CBO" not in text


@pytest.mark.parametrize(
    ("path", "search", "message"),
    [
        ("/priority/9", "", "There is no priority “9”"),
        ("/priority/0", "", "There is no priority “0”"),
        ("/metric/nope", "", "There is no metric “nope” in the data."),
        ("/area/atlantis", "", "There is no area “atlantis” in the data."),
        ("/no/such/page", "", "There is no page at /no/such/page."),
        ("/priority", "", "/priority/ needs one priority after it"),
        ("/", "?quarter=2019-20-Q5", "is not a quarter we recognise"),
        ("/", "?quarter=banana", "“banana” is not a quarter we recognise"),
        ("/", "?quarter=2010-11-Q1", "There are no figures for 2010/11 Q1"),
        ("/", "?area=atlantis", "“atlantis” is not an area in the data"),
        ("/narrative", "?priority=12", "“12” is not a priority (1 to 7)"),
    ],
)
def test_unknown_values_give_a_message_not_a_crash(render, path, search, message):
    text = render(path, search)
    assert message in text
    for bad in BROKEN:
        assert bad not in text


def test_a_bad_filter_still_shows_the_page_with_the_default(render):
    text = render("/", "?quarter=2019-20-Q5&area=atlantis")
    assert "Plan at a glance: 2019/20 Q4" in text
    assert "About this link" in text


def test_an_unknown_page_links_back(store):
    shell = render_page(store, dict(PAGE_BUILDERS), "/priority/9", "")
    links = []

    def walk(node):
        if isinstance(node, list | tuple):
            for n in node:
                walk(n)
        elif isinstance(node, Component):
            if getattr(node, "href", None):
                links.append((node.href, text_of(node.children)))
            walk(getattr(node, "children", None))

    walk(shell)
    assert ("/", "Go to the plan at a glance") in links


def test_no_data_gives_a_message(tmp_path):
    empty = DatasetStore(tmp_path, reload_interval=3600)
    text = text_of(render_page(empty, dict(PAGE_BUILDERS), "/", ""))
    assert "No data to show" in text


# --- The filters callback and routing as functions --------------------------------------------


@pytest.mark.parametrize(
    ("search", "values", "expected"),
    [
        ("", {"quarter": "2018-19-Q4", "area": "essex"}, "?quarter=2018-19-Q4"),
        ("", {"quarter": "2019-20-Q4", "area": "south-lpa"}, "?quarter=2019-20-Q4&area=south-lpa"),
        ("?quarter=2018-19-Q4&area=south-lpa", {"area": "essex"}, "?quarter=2018-19-Q4"),
        ("?q=SCEPTRE", {"priority": "all", "quarter": "all"}, "?q=SCEPTRE"),
        ("?q=SCEPTRE", {"q": ""}, ""),
        ("?priority=2", {"priority": "3"}, "?priority=3"),
        ("", {"q": "  Operation SCEPTRE "}, "?q=Operation+SCEPTRE"),
    ],
)
def test_query_with_filters_writes_short_links(store, search, values, expected):
    assert query_with_filters(search, values, store) == expected


def test_resolve_reads_filters_and_reports_bad_ones(store):
    dataset = store.get()
    route = routing.resolve("/priority/2", "?area=south-lpa&quarter=2018-19-Q4", dataset)
    assert (route.page, route.subject, route.area, route.quarter) == (
        "priority",
        "2",
        "south-lpa",
        "2018-19-Q4",
    )
    assert route.problems == []
    assert route.query() == "?quarter=2018-19-Q4&area=south-lpa"
    bad = routing.resolve("/metric/nope", "?area=atlantis", dataset)
    assert bad.page == "not-found" and len(bad.problems) == 2
    assert routing.resolve("/about/more", "", dataset).page == "not-found"


# --- The same callbacks over HTTP, as the browser calls them ----------------------------------


def post_render(client, pathname: str, search: str = ""):
    body = {
        "output": "page-content.children",
        "outputs": {"id": "page-content", "property": "children"},
        "inputs": [
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [],
    }
    return client.post("/_dash-update-component", json=body)


def test_render_callback_over_http(client):
    response = post_render(client, "/priority/2", "?area=south-lpa")
    assert response.status_code == 200
    payload = json.loads(response.get_data(as_text=True))
    text = text_of(payload["response"]["page-content"]["children"])
    assert SOUTH in text and WEST not in text


NOT_FOUND = "We could not find that page"
NOTICE = "About this link"


@pytest.mark.parametrize(
    ("pathname", "search", "expected"),
    [
        ("/priority/9", "", NOT_FOUND),
        ("/metric/nope", "", NOT_FOUND),
        ("/", "?quarter=2019-20-Q5", NOTICE),
        ("/", "?area=atlantis", NOTICE),
        ("/area/%3Cscript%3E", "", NOT_FOUND),
        ("/narrative", "?q=" + "x" * 5000, "0 updates match"),
        ("/priority/1/2/3", "?slide=-1&contrast=maybe", NOT_FOUND),
        (None, None, "Plan at a glance"),
    ],
)
def test_bad_urls_over_http_answer_with_a_message(client, pathname, search, expected):
    response = post_render(client, pathname, search)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert expected in text_of(json.loads(text)["response"]["page-content"]["children"])
    for bad in BROKEN:
        assert bad not in text
    assert "<script>" not in text  # text from a URL is data, never markup


def test_filters_callback_over_http_writes_the_url(client):
    names = ("quarter", "area")
    values = ("2018-19-Q4", "south-lpa")
    body = {
        "output": "url.search",
        "outputs": {"id": "url", "property": "search"},
        "inputs": [
            [
                {"id": {"name": n, "type": "filter"}, "property": "value", "value": v}
                for n, v in zip(names, values, strict=True)
            ]
        ],
        "changedPropIds": ['{"name":"area","type":"filter"}.value'],
        "state": [
            {"id": "url", "property": "search", "value": "?quarter=2018-19-Q4"},
            {"id": "url", "property": "pathname", "value": "/"},
        ],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert response.get_json()["response"]["url"]["search"] == "?quarter=2018-19-Q4&area=south-lpa"


def test_filters_as_a_page_first_shows_them_leave_the_url_alone(client):
    """Filters appearing with a page hold what it shows: no second render, no pinned values."""
    body = {
        "output": "url.search",
        "outputs": {"id": "url", "property": "search"},
        "inputs": [
            [
                {
                    "id": {"name": "quarter", "type": "filter"},
                    "property": "value",
                    "value": "2019-20-Q4",
                },
                {"id": {"name": "area", "type": "filter"}, "property": "value", "value": "essex"},
            ]
        ],
        "changedPropIds": ['{"name":"quarter","type":"filter"}.value'],
        "state": [
            {"id": "url", "property": "search", "value": ""},
            {"id": "url", "property": "pathname", "value": "/priority/7"},
        ],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 204  # Dash's answer for "no update"


def test_healthz_answers_200_when_data_are_loaded(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["latest_quarter"] == "2019-20-Q4"
    assert body["observations"] > 0
    assert body["serving_last_good_data"] is False


def test_healthz_answers_503_without_data(tmp_path):
    # An empty folder would start from the bundled dataset (issue 14): this one has a table
    # that does not validate, and nothing that ever did.
    (tmp_path / "areas.csv").write_text("area_id\n", encoding="utf-8")
    app = create_app(Settings(data_dir=tmp_path, debug=False, reload_interval=3600))
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "no data"


def test_the_page_shell_is_british_english_with_a_skip_link(client):
    html = client.get("/priority/2?area=south-lpa").get_data(as_text=True)
    assert '<html lang="en-GB">' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert html.count("<footer") == 0  # the page's one footer is rendered by Dash
