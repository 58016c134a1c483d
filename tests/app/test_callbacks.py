"""The app without a browser: the page callback as a plain function, and as Dash's own HTTP
endpoint.

``shell.render_page`` (what the page callback returns for a URL) and ``routing.resolve`` are
called directly with a store on the bundled data; then the page callback is POSTed to
/_dash-update-component through Flask's test client, as the browser does. The filters' own
callback runs in the browser (assets/shell.js): the browser journeys test it.
"""

from __future__ import annotations

import json
import re

import pytest
from dash.development.base_component import Component
from shell_helpers import text_of

from dashboard import ids, routing
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.data.store import DatasetStore
from dashboard.pages.registry import NAV, PAGES, PATHS
from dashboard.shell import page_request, render_page

SOUTH = "Southend: A two year Community Behaviour Order (CBO)"
WEST = "In Thurrock, an expedited licensing review"
BROKEN = ("Traceback", "Something went wrong", "Internal Server Error")


def shell_text(update) -> str:
    return text_of([update.head, update.filters, update.body])


@pytest.fixture(scope="module")
def render(store):
    return lambda path, search="": shell_text(render_page(store, path, search))


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
    shell = render_page(store, "/priority/9", "").body
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
    update = render_page(empty, "/", "")
    assert "No data to show" in shell_text(update)
    assert update.title == "No data to show – Police and Crime Plan"


# --- The page table, titles and navigation ----------------------------------------------------


def test_every_page_in_the_table_renders_with_its_own_title(store):
    dataset = store.get()
    subjects = {"priority": "7", "metric": "ksi-casualties", "area": "south-lpa"}
    titles = set()
    for page in PAGES:
        path = "/" + page.head + (f"/{subjects[page.subject]}" if page.subject else "")
        update = render_page(store, path, "")
        assert routing.resolve(path, "", dataset, PATHS).page == page.name
        for bad in BROKEN:
            assert bad not in shell_text(update), path
        assert update.title.endswith(" – Police and Crime Plan"), update.title
        titles.add(update.title)
    assert len(titles) == len(PAGES)  # no two pages share a title


@pytest.mark.parametrize(
    ("path", "search", "title"),
    [
        (
            "/priority/7",
            "",
            "Priority 7: Improve Safety on our Roads, 2019/20 Q4 – Police and Crime Plan",
        ),
        (
            "/priority/2",
            "?area=south-lpa&quarter=2018-19-Q4",
            "Priority 2: Crack Down on Anti-social Behaviour, 2018/19 Q4, South Local Policing Area"
            " – Police and Crime Plan",
        ),
        ("/", "", "Plan at a glance, 2019/20 Q4 – Police and Crime Plan"),
        (
            "/narrative",
            "?q=Operation+SCEPTRE",
            "Search the quarterly updates: “Operation SCEPTRE” – Police and Crime Plan",
        ),
        ("/about", "", "About the data – Police and Crime Plan"),
        ("/priority/9", "", "Page not found – Police and Crime Plan"),
        (
            "/present",
            "?slide=8",  # after the title, Priorities 1 to 6 (Priority 1 on two slides)
            "Meeting mode: Priority 7: Improve Safety on our Roads, 2019/20 Q4, Essex (force-wide)"
            " – Police and Crime Plan",
        ),
    ],
)
def test_the_tab_title_names_the_view(store, path, search, title):
    assert render_page(store, path, search).title == title


def nav_links(update) -> list[tuple[str, str, str | None]]:
    """(label, href, aria-current) of each navigation link."""
    found = []
    for item in update.nav:
        link = item.children
        current = getattr(link, "aria-current", None)
        found.append((text_of(link.children), link.href, current))
    return found


def test_the_navigation_marks_the_current_page_and_keeps_the_filters(store):
    links = nav_links(render_page(store, "/about", "?quarter=2018-19-Q4"))
    assert [label for label, _, _ in links] == [label for _, label in NAV]
    assert [current for *_, current in links] == [
        "page" if label == "About the data" else None for _, label in NAV
    ]
    assert all(href.endswith("?quarter=2018-19-Q4") for _, href, _ in links)
    # A priority page is not in the navigation: nothing is marked.
    assert all(c is None for *_, c in nav_links(render_page(store, "/priority/2", "")))


def test_each_page_gets_the_filters_the_table_gives_it(store):
    def names(path, search=""):
        state = render_page(store, path, search).filter_state or {"shown": {}}
        return list(state["shown"])

    assert names("/") == ["quarter", "area"]
    assert names("/area/south-lpa") == ["quarter"]
    assert names("/narrative") == ["q", "priority", "area", "quarter"]
    assert names("/about") == [] and names("/present") == []
    assert render_page(store, "/about", "").filters == []


def test_filter_state_says_what_the_filters_show_and_drops_bad_values(store):
    state = render_page(store, "/priority/2", "?quarter=2019-20-Q5&area=south-lpa").filter_state
    assert state["shown"] == {"quarter": "2019-20-Q4", "area": "south-lpa"}
    assert state["query"] == "?area=south-lpa"  # the bad quarter is not carried on
    assert state["blank"]["area"] == "essex" and state["defaults"]["quarter"] == "2019-20-Q4"
    narrative = render_page(store, "/narrative", "").filter_state
    assert narrative["shown"]["quarter"] == "all" and narrative["blank"]["priority"] == "all"


# --- Meeting mode -----------------------------------------------------------------------------


def test_meeting_mode_shows_the_packs_slide_with_its_figures(render):
    text = render("/present", "?quarter=2019-20-Q4&slide=8")
    assert "Priority 7: Improve Safety on our Roads" in text
    assert "168" in text and "down 2 (1.2%) on the same quarter last year" in text
    title = render("/present", "?slide=0")
    assert "Police and Crime Plan: progress report" in title
    assert "3 headline figures, 26 updates" in title  # Priority 1, as the overview counts


def test_meeting_mode_keys_lead_to_neighbouring_slides(store):
    update = render_page(store, "/present", "?quarter=2019-20-Q4&slide=7&area=south-lpa")
    deck = update.body[0]
    assert deck.id == ids.PRESENT_DECK
    number = re.search(r"Priority (\d):", update.title).group(1)
    attributes = deck.to_plotly_json()["props"]
    assert attributes["data-prev"] == "/present?quarter=2019-20-Q4&area=south-lpa&slide=6"
    assert attributes["data-next"] == "/present?quarter=2019-20-Q4&area=south-lpa&slide=8"
    assert attributes["data-exit"] == f"/priority/{number}?quarter=2019-20-Q4&area=south-lpa"


def test_a_bad_slide_or_area_in_meeting_mode_is_not_a_crash(render):
    text = render("/present", "?slide=99&area=atlantis")
    assert "Sources" in text and "“atlantis” is not an area in the data" in text
    for bad in BROKEN:
        assert bad not in text


# --- Routing as a function --------------------------------------------------------------------


def test_resolve_reads_filters_and_reports_bad_ones(store):
    dataset = store.get()
    route = routing.resolve("/priority/2", "?area=south-lpa&quarter=2018-19-Q4", dataset, PATHS)
    assert (route.page, route.subject, route.area, route.quarter) == (
        "priority",
        "2",
        "south-lpa",
        "2018-19-Q4",
    )
    assert route.problems == []
    assert route.query() == "?quarter=2018-19-Q4&area=south-lpa"
    bad = routing.resolve("/metric/nope", "?area=atlantis", dataset, PATHS)
    assert bad.page == "not-found" and len(bad.problems) == 2
    assert routing.resolve("/about/more", "", dataset, PATHS).page == "not-found"


# --- The same callbacks over HTTP, as the browser calls them ----------------------------------


def post_render(client, pathname, search="", **state):
    """The page callback as the browser calls it."""
    return client.post("/_dash-update-component", json=page_request(pathname, search, **state))


def page_text(response) -> str:
    answer = json.loads(response.get_data(as_text=True))["response"]
    return text_of([answer.get(ids.PAGE_HEAD), answer.get(ids.PAGE_BODY)])


def test_render_callback_over_http(client):
    response = post_render(client, "/priority/2", "?area=south-lpa")
    assert response.status_code == 200
    text = page_text(response)
    assert SOUTH in text and WEST not in text
    answer = response.get_json()["response"]
    assert answer[ids.DOCUMENT_TITLE]["data"].startswith("Priority 2: Crack Down")
    assert answer[ids.FILTERS]["children"]  # a page opened: its filter bar is drawn


def test_a_filter_change_leaves_the_filter_bar_mounted(client):
    """The browser wrote this query itself (a filter change): the bar is not drawn again, so
    focus stays where it is; the page, the navigation and the title follow the new URL."""
    search = "?area=south-lpa"
    kept = post_render(client, "/priority/2", search, written=search, changed="url.search")
    answer = kept.get_json()["response"]
    assert ids.FILTERS not in answer  # no update
    assert SOUTH in page_text(kept) and WEST not in page_text(kept)
    assert "South Local Policing Area" in answer[ids.DOCUMENT_TITLE]["data"]
    # Back or forward to another query: the bar is drawn again, to show what the URL says.
    redrawn = post_render(client, "/priority/2", "", written=search, changed="url.search")
    assert ids.FILTERS in redrawn.get_json()["response"]


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
        ("/present", "?slide=-1&contrast=maybe&quarter=nope", "progress report"),
        (None, None, "Plan at a glance"),
    ],
)
def test_bad_urls_over_http_answer_with_a_message(client, pathname, search, expected):
    response = post_render(client, pathname, search)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert expected in page_text(response)
    for bad in BROKEN:
        assert bad not in text


def test_text_from_a_url_is_shown_as_text_never_markup(client):
    """Dash's JSON encoding escapes "<", so look for the words: the URL's text comes back as a
    string child (shown as text by React), never as a component or an attribute."""
    response = post_render(client, "/narrative", "?q=%3Cb%3Ebold%3C%2Fb%3E")
    answer = response.get_json()["response"]
    status = [n for n in answer[ids.PAGE_BODY]["children"] if n["props"].get("role") == "status"]
    assert status[0]["props"]["children"] == "0 updates match “<b>bold</b>” in every quarter."


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
