"""The meeting builder, meeting mode's links and the pages' meeting parts, as functions: the
choice is the URL, every control is a link to the next choice, and bad choices are reported."""

from __future__ import annotations

import re

import pytest
from dash.development.base_component import Component
from shell_helpers import text_of

from dashboard import routing
from dashboard.pages.registry import PATHS
from dashboard.shell import render_page
from dashboard.views.since import restatements

Q = "?quarter=2019-20-Q4"


def hrefs(node) -> dict[str, str]:
    """id -> href of every link in a component tree."""
    found: dict[str, str] = {}
    if isinstance(node, list | tuple):
        for child in node:
            found.update(hrefs(child))
    elif isinstance(node, Component):
        href, name = getattr(node, "href", None), getattr(node, "id", None)
        if href and isinstance(name, str):
            found[name] = href
        found.update(hrefs(getattr(node, "children", None)))
    return found


def test_the_meetings_choice_is_read_from_the_url_and_carried_by_every_link(store):
    dataset = store.get()
    route = routing.resolve(
        "/present",
        f"{Q}&priorities=7,3&figures=ksi-casualties,road-deaths@calendar_year&since=2018-19-Q4",
        dataset,
        PATHS,
    )
    assert route.priorities == (7, 3)
    assert route.figures == ("ksi-casualties", "road-deaths@calendar_year")
    assert route.since == "2018-19-Q4" and route.problems == []
    assert route.query() == (
        "?quarter=2019-20-Q4&priorities=7,3&figures=ksi-casualties,road-deaths@calendar_year"
        "&since=2018-19-Q4"
    )


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("&priorities=9", "not a list of priorities"),
        ("&figures=nope", "Not figures in the data, left out: nope"),
        ("&since=2020-21-Q1", "must come before the quarter shown"),
        ("&since=never", "is not a quarter"),
    ],
)
def test_a_bad_choice_is_reported_not_a_crash(store, query, problem):
    update = render_page(store, "/present", Q + query)
    assert problem in text_of(update.head)
    assert "Police and Crime Plan: progress report" in text_of(update.body)


def test_the_builders_controls_are_links_to_the_next_choice(store):
    update = render_page(store, "/meeting", f"{Q}&priorities=7,3")
    links = hrefs(update.body)
    assert links["p3-up"] == "/meeting?quarter=2019-20-Q4&priorities=3,7#p3-up"
    assert links["p7-out"] == "/meeting?quarter=2019-20-Q4&priorities=3#p7-out"
    assert links["p1-in"] == "/meeting?quarter=2019-20-Q4&priorities=7,3,1#p1-in"
    # Leaving a figure out writes the whole list, the defaults made explicit (in plan order:
    # each priority shows its own figures, in this list's order).
    assert links["out-road-deaths"] == (
        "/meeting?quarter=2019-20-Q4&priorities=7,3&figures=special-constable-headcount,"
        "specials-hours-total,emergency-calls-999,stalking-protection-interim-orders,dvpo-granted,"
        "socu-ocg-disruptions,socu-warrants-executed,hirc-count,hirc-trained-volunteers,"
        "ksi-casualties,drink-drive-arrests#out-road-deaths"
    )
    # The link handed out names every choice, the default figures written out (issue 20).
    assert links["builder-present"] == (
        "/present?quarter=2019-20-Q4&area=essex&priorities=7,3&figures=stalking-protection-"
        "interim-orders,dvpo-granted,ksi-casualties,road-deaths,drink-drive-arrests"
    )
    text = text_of(update.body)
    assert "2 of 7 priorities, 5 figures." in text
    assert "(another period than the meeting's quarter)" in text


def test_the_builders_choice_drives_meeting_mode_and_the_papers(store):
    query = f"{Q}&priorities=7&figures=road-deaths,ksi-casualties&since=2018-19-Q4"
    update = render_page(store, "/present", query + "&slide=2")
    text = text_of(update.body)
    assert "Priority 7: Improve Safety on our Roads" in text
    assert re.search(r"12.*People killed in road traffic collisions in 2019/20 Q4.*168", text)
    assert "Since the last meeting (2018/19 Q4)" in text
    assert "Papers for this meeting: PDF, PowerPoint, Excel, CSV" in text_of(
        render_page(store, "/present", query).body
    )


def test_the_overview_says_what_changed_since_the_last_meeting(store):
    text = text_of(render_page(store, "/", f"{Q}&since=2018-19-Q4").body)
    assert "Since the last meeting (2018/19 Q4)" in text
    # + the ONS driving figures for the years ending June and December 2019 (PFA tables
    # editions) and its YE March 2018 revision (37 in the v2 edition, 38 in the open data table)
    assert "Priority 7: Improve Safety on our Roads: 16 new figures, 3 revised figures" in text
    assert "Revised: People seriously injured in road traffic collisions, 2016: was 970" in text
    assert "Since the last meeting" not in text_of(render_page(store, "/", Q).body)


def test_the_metric_page_counts_revisions_not_confirmations(store, bundled_dataset):
    """Road deaths: 2016, 2017 and 2018 were confirmed by a second source (64 and 64, ...); only
    2020 (49, then 47) was revised. The page once called all four restated."""
    kinds = restatements(bundled_dataset.revisions)
    assert kinds[("road-deaths", "essex", "calendar_year", "2016")] is False
    assert kinds[("road-deaths", "essex", "calendar_year", "2020")] is True
    text = text_of(render_page(store, "/metric/road-deaths", "").body)
    assert (
        "calendar year: 1 period was published again with a different value: 2020 was 49 "
        "(published February 2021), now 47 (published June 2021)" in text
    )
    assert "3 periods were republished unchanged (2016, 2017, 2018)" in text


def test_analysts_notes_are_on_the_metric_page_and_nowhere_a_member_reads(store, bundled_dataset):
    text = text_of(render_page(store, "/metric/special-constable-headcount", "").body)
    assert "Notes for analysts" in text and "not shipped" in text
    assert "In plain words: Too early to tell" in text and "For analysts: Too few points" in text
    for slide in range(0, 12):
        deck = text_of(render_page(store, "/present", f"{Q}&slide={slide}").body)
        assert "not shipped" not in deck and "ingest" not in deck.lower(), slide


def test_the_builders_summary_names_the_last_meeting_as_the_pages_do(store):
    """'since the last meeting (2018/19 q4)': the quarter was lower-cased with the sentence."""
    text = text_of(render_page(store, "/meeting", f"{Q}&priorities=7,1&since=2018-19-Q4").body)
    assert "2 of 7 priorities, 6 figures; since the last meeting (2018/19 Q4): " in text
