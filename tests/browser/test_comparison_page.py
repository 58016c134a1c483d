"""How Essex compares (/compare/<metric>): Special Constables and violence with injury against
the most similar group of forces and England and Wales, in a real browser.

The figures asserted are those worked by hand from the published cells in tests/unit/
test_peers.py (and docs of issue 10): Special Constables, 30 Sep 2017 -> 30 Sep 2018 (Home
Office, September 2018 edition, Table_6): Essex 390 -> 476, +86 (+22.05%); the group's average
286.714 -> 259.429 (-9.52%); England and Wales ("Total 43 forces") 12,601 -> 11,029 (-1,572,
-12.48%); Essex 41st of 43 from the lowest change (only Cleveland and Surrey rose more), 8th of 8
in its group from the lowest: higher is better, so the page says the 3rd best of 43 and the
best in its group (issue 20). Violence with injury, 12 months to Dec 2017 -> Dec 2018 (ONS):
Essex 13,612 -> 14,316, +704 (+5.17%); the group's average +409 (+3.54%); Essex 6th of 8 in its
group from the lowest: lower is better, so the 3rd worst. The page writes percentages to one
decimal place.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from test_accessibility import AXE_OPTIONS, ZOOM_200, describe

SPECIALS = "/compare/ho-special-constables-headcount"
VWI = "/compare/pfa-violence-with-injury"


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def open_table(page, container: str):
    details = page.locator(f"{container} details.chart-table").first
    details.locator("summary").click()
    table = details.locator("table")
    expect(table).to_be_visible()
    return table


def row_cells(table, name: str) -> list[str]:
    row = table.locator("tbody tr").filter(has=table.page.get_by_text(name, exact=True)).first
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


def test_special_constables_against_the_group_and_england_and_wales(
    page, live_server, open_page, axe
):
    open_page(f"{live_server}{SPECIALS}?period=2018-09-30")
    expect(page.locator("h1")).to_have_text("How Essex compares: Special Constables")
    expect(page).to_have_title(re.compile(r"^How Essex compares: Special Constables, 30 Sep 2018"))
    summary = page.locator("#chart-compare-change-summary")
    expect(summary).to_contain_text("30 September 2018 against a year earlier: Essex up 86 (22.1%)")
    expect(summary).to_contain_text("its most similar group of forces down 9.5% on average")
    expect(summary).to_contain_text("England and Wales down 1,572 (12.5%)")
    expect(summary).to_contain_text(
        "Essex's change is the best of the 8 forces in its group and the 3rd best of 43 forces "
        "(higher is better)"
    )
    # The group is named, with its source, in plain words.
    group = page.locator(".compare-group")
    expect(group).to_contain_text("most similar group of forces")
    expect(group).to_contain_text("Avon and Somerset, Derbyshire, Hampshire, Hertfordshire")
    expect(group).to_contain_text("January 2014")

    table = open_table(page, "#chart-compare-change-block")
    assert row_cells(table, "Essex") == ["Essex", "390", "476", "+86", "+22.1%", ""]
    assert row_cells(table, "Sussex")[1:5] == ["258", "179", "−79", "−30.6%"]
    average = row_cells(table, "Average of the group (7 forces)")
    assert average[1:5] == ["286.7", "259.4", "−27.3", "−9.5%"]
    national = row_cells(table, "England and Wales")
    assert national[1:6] == ["12,601", "11,029", "−1,572", "−12.5%", "published"]

    # Every force's change, best (highest) first: Surrey, Cleveland, then Essex 3rd.
    ranks = open_table(page, "#compare-rank-section")
    expect(ranks.locator("tbody tr")).to_have_count(25)  # paged: 25 rows at a time
    rows = ranks.locator("tbody tr")
    first = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()][:2] for i in range(3)]
    assert first == [["1", "Surrey"], ["2", "Cleveland"], ["3", "Essex"]]

    # The trend over the whole span, drawn, with its summary.
    trend = page.locator("#chart-compare-trend")
    trend.scroll_into_view_if_needed()
    expect(trend.locator(".main-svg").first).to_be_attached()
    expect(page.locator("#chart-compare-trend-summary")).to_contain_text(
        "30 Sep 2014 to 30 Sep 2018, as an index (30 Sep 2014 = 100)"
    )
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], describe(violations)


def test_violence_with_injury_reached_from_its_metric_page(page, live_server, open_page, axe):
    open_page(f"{live_server}/metric/pfa-violence-with-injury")
    page.get_by_role(
        "link", name=re.compile("How Essex compares with its most similar group")
    ).click()
    expect(page.locator("h1")).to_have_text("How Essex compares: Violence with injury")
    # The chosen quarter (2019/20 Q4) is after the national table ends: said, not passed off.
    expect(page.locator(".latest-note")).to_contain_text(
        "Latest available: year ending December 2019"
    )
    # The year ending December 2018, from the ONS open data table (rec-crime-pfa.csv): Essex
    # 13,612 (Dec 2017) and 14,316 (Dec 2018), England and Wales the sum of the 43 forces.
    open_page(f"{live_server}{VWI}?period=12m-to-2018-12")
    summary = page.locator("#chart-compare-change-summary")
    expect(summary).to_contain_text(
        "year ending December 2018 against a year earlier: Essex up 704 (5.2%)"
    )
    expect(summary).to_contain_text("its most similar group of forces up 3.5% on average")
    expect(summary).to_contain_text("the 3rd worst of the 8 forces in its group")
    table = open_table(page, "#chart-compare-change-block")
    assert row_cells(table, "Essex")[:5] == ["Essex", "13,612", "14,316", "+704", "+5.2%"]
    assert row_cells(table, "Average of the group (7 forces)")[4] == "+3.5%"
    # England and Wales: no published row in the ONS table, so the sum of the 43, said so.
    assert "sum of the 43 forces" in row_cells(table, "England and Wales")[5]
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], describe(violations)


def test_the_period_is_chosen_with_the_keyboard_and_kept_in_the_url(
    page, live_server, open_page, settle
):
    open_page(f"{live_server}{VWI}?period=12m-to-2018-12")
    select = page.get_by_role("combobox", name="Period", exact=True)
    select.focus()
    page.keyboard.press("ArrowDown")  # the next option: the 12 months to September 2018
    settle()
    expect(page).to_have_url(re.compile(r"period=12m-to-2018-09"))
    expect(page.locator("#chart-compare-change-summary")).to_contain_text(
        "year ending September 2018 against a year earlier"
    )
    expect(select).to_be_focused()  # the filter bar was not drawn again
    # The link opens the same view.
    open_page(page.url)
    expect(page.locator("#chart-compare-change-summary")).to_contain_text(
        "year ending September 2018"
    )


def test_a_period_the_metric_does_not_have_is_said_and_the_latest_shown(
    page, live_server, open_page
):
    open_page(f"{live_server}{SPECIALS}?period=2031-01-01")
    expect(page.locator(".notice")).to_contain_text("“2031-01-01” is not a period")
    expect(page.locator("#chart-compare-change-summary")).to_contain_text(
        "30 September 2018 against"
    )


def test_a_metric_no_other_force_publishes_says_so_and_lists_those_that_can_be_compared(
    page, live_server, open_page
):
    open_page(f"{live_server}/compare/ksi-casualties")
    expect(page.locator("main")).to_contain_text("nothing to compare Essex with")
    expect(page.get_by_role("link", name=re.compile("^Special Constables"))).to_be_visible()


def test_priority_pages_link_to_the_comparison(page, live_server, open_page):
    open_page(f"{live_server}/priority/4")
    link = page.get_by_role("link", name=re.compile("How Essex compares")).first
    expect(link).to_have_attribute("href", re.compile(r"^/compare/pfa-"))


@pytest.mark.parametrize("path", [f"{SPECIALS}?period=2018-09-30", VWI])
def test_nothing_is_lost_at_200_percent_zoom(page, live_server, open_page, path):
    page.set_viewport_size(ZOOM_200)
    open_page(f"{live_server}{path}")
    for details in page.locator("details.chart-table").all():
        details.evaluate("d => d.open = true")
    page.wait_for_timeout(300)
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1] + 1, f"{path} scrolls sideways at 200% zoom: {width}"
