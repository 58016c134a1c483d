"""As fast by keyboard as by mouse: focus follows the person, charts cost few Tab stops.

In a real Chromium against the real gunicorn server, at 1366x768, by keyboard only (Tab, Enter,
Escape, arrow keys): after a link into another page, focus is on that page's main heading (a
screen reader announces it) and the page's own controls are the next Tab stops; after a filter
change focus stays on the filter; meeting mode opens with focus on the slide's heading, and
Escape goes back to the page and choices it was opened from, with focus on the control that
opened it. Each chart costs at most two Tab stops (its table and its downloads; Plotly's
toolbar is for the mouse).
"""

from __future__ import annotations

import re

import pytest

#: Where the focus is: tag, id, text (the test's messages say it as a person would see it).
ACTIVE = """() => { const e = document.activeElement;
  return {tag: e.tagName, id: e.id, text: (e.textContent || e.value || '').trim().slice(0, 60),
          label: e.labels && e.labels[0] ? e.labels[0].textContent.trim() : '',
          inChart: !!e.closest('.chart-block')}; }"""

MOST_TABS = 80


@pytest.fixture
def keyboard_page(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    return page


def _tabs_until(page, wanted, limit: int = MOST_TABS) -> tuple[int, list[dict]]:
    """Tab until ``wanted(active)``; how many presses it took and where focus went."""
    seen = []
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        seen.append(active)
        if wanted(active):
            return count, seen
    return limit + 1, seen


def _is_area_filter(active: dict) -> bool:
    return active["tag"] == "SELECT" and active["label"].startswith("Area")


def test_from_the_top_of_the_overview_priority_1_is_few_tabs_away(
    keyboard_page, live_server, open_page
):
    """The way passes the skip link, the header's seven links (issue 21 added "Districts"),
    the two filters, meeting mode, the pack's one menu and the seven figures that changed
    most: 20 stops (23 when the pack's four formats were four stops)."""
    page = keyboard_page
    open_page(f"{live_server}/")
    count, seen = _tabs_until(
        page, lambda a: a["tag"] == "A" and a["text"].startswith("Priority 1")
    )
    assert count <= 20, f"{count} Tabs to Priority 1: {[a['text'] for a in seen]}"


def test_after_a_link_focus_is_on_the_new_pages_heading_and_the_area_filter_is_close(
    keyboard_page, live_server, open_page, settle
):
    page = keyboard_page
    open_page(f"{live_server}/")
    _tabs_until(page, lambda a: a["tag"] == "A" and a["text"].startswith("Priority 1"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/priority/1"))
    page.wait_for_function(
        "() => /^Priority 1/.test(document.querySelector('#main h1').textContent)"
    )
    settle()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.tagName === 'H1'"
    )
    active = page.evaluate(ACTIVE)
    assert active["tag"] == "H1" and active["text"].startswith("Priority 1"), active
    count, seen = _tabs_until(page, _is_area_filter)
    assert count <= 5, f"{count} Tabs from the heading to the Area filter: {seen}"


def test_after_a_filter_change_focus_stays_on_the_filter(
    keyboard_page, live_server, open_page, settle
):
    page = keyboard_page
    open_page(f"{live_server}/priority/1")
    area = page.get_by_label("Area")
    area.focus()
    page.keyboard.press("ArrowDown")  # a closed <select> takes the next option
    page.wait_for_url(re.compile(r"area="))
    settle()
    active = page.evaluate(ACTIVE)
    assert _is_area_filter(active), active


def test_each_chart_costs_at_most_two_tab_stops(keyboard_page, live_server, open_page):
    page = keyboard_page
    open_page(f"{live_server}/metric/ksi-casualties")
    page.wait_for_selector(".js-plotly-plot .modebar-btn", state="attached")
    charts = page.locator(".chart-block").count()
    stops = page.evaluate(
        """() => [...document.querySelectorAll('.chart-block')].map(block =>
             [...block.querySelectorAll('a[href], button, summary, select, input, [tabindex]')]
               .filter(e => e.tabIndex >= 0 && !e.disabled && !e.closest('details:not([open]) > :not(summary)'))
               .length)"""
    )
    assert charts and max(stops) <= 2, f"Tab stops per chart: {stops}"


def test_meeting_mode_opens_on_its_heading_and_escape_returns_to_the_control_that_opened_it(
    keyboard_page, live_server, open_page, settle
):
    page = keyboard_page
    origin = "/priority/1?quarter=2018-19-Q4&area=north-lpa"
    open_page(f"{live_server}{origin}")
    count, _ = _tabs_until(page, lambda a: a["text"] == "Present in meeting mode")
    assert count <= MOST_TABS
    page.keyboard.press("Enter")
    page.wait_for_selector(".present-slide h1")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'present-title'"
    )
    page.keyboard.press("ArrowRight")  # a slide on: Escape still goes back to where it began
    page.wait_for_url(re.compile(r"slide=1"))
    page.wait_for_function(  # the next slide's heading takes the focus, not the page's <body>
        "() => document.activeElement.id === 'present-title'"
        " && /^Priority 1/.test(document.activeElement.textContent)"
    )
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(re.escape(origin) + "$"))
    page.wait_for_selector("#main h1")
    settle()
    page.wait_for_function(
        "() => (document.activeElement.textContent || '').trim() === 'Present in meeting mode'"
    )
    assert page.url == f"{live_server}{origin}"


def test_the_leave_link_goes_where_escape_goes(keyboard_page, live_server, open_page):
    page = keyboard_page
    origin = "/priority/7?quarter=2018-19-Q4&area=south-lpa"
    open_page(f"{live_server}{origin}")
    page.get_by_role("link", name="Present in meeting mode").click()
    page.wait_for_selector(".present-slide h1")
    page.get_by_role("link", name="Leave (Esc)").click()
    page.wait_for_url(re.compile(re.escape(origin) + "$"))
    page.wait_for_function(
        "() => (document.activeElement.textContent || '').trim() === 'Present in meeting mode'"
    )
