"""A district's crime mix and outcomes (issue 22) in a real browser: the section renders from the
served version's police.uk records (a store seeded from the bundled data keeps them) with both
charts, their one-line summaries and their tables; the figures are counts this test reads itself
from data/published/police-uk/2019-02-essex-street.csv with the csv module; axe clean at
1366x768 and at 200% zoom; the tables are reached and opened by keyboard."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

FEB_2019 = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "published"
    / "police-uk"
    / "2019-02-essex-street.csv"
)
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

pytestmark = pytest.mark.skipif(not FEB_2019.is_file(), reason="police.uk files not here")


def _southend() -> list[dict[str, str]]:
    with FEB_2019.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if re.sub(r" \d{3}[A-Z]$", "", r["LSOA name"]) == "Southend-on-Sea"]


def _draw_charts(page) -> None:
    """The charts are drawn when they come near the screen (assets/lazy.js): scroll to each."""
    charts = page.locator("#district-records .lazy-chart")
    expect(charts).to_have_count(2)
    for i in range(2):
        charts.nth(i).scroll_into_view_if_needed()
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached()


def _axe_clean(page, where: str) -> None:
    expect(page.locator("#district-records .js-plotly-plot .main-svg").first).to_be_attached()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], f"axe on {where}: " + "; ".join(
        f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )


def test_southend_crime_mix_and_outcomes_render_with_tables_and_summaries(
    page, live_server, open_page
):
    rows = _southend()
    crimes = [r for r in rows if r["Crime type"] != "Anti-social behaviour"]
    by_type = Counter(r["Crime type"] for r in rows)
    outcomes = Counter(r["Last outcome category"] for r in crimes)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(f"{live_server}/area/southend")
    section = page.locator("#district-records")
    expect(section.locator("h3")).to_have_text("Crime mix and outcomes in February 2019")
    expect(section).to_contain_text("police.uk records (not Home Office recorded crime)")
    summaries = section.locator("figcaption.chart-summary")
    expect(summaries).to_have_count(2)
    top, n = by_type.most_common(1)[0]
    expect(summaries.nth(0)).to_contain_text(
        f"{len(rows):,} police.uk records in Southend-on-Sea in February 2019: the most were "
        f"{top.lower()}, {n:,} ({100 * n / len(rows):.1f}%)"
    )
    first, m = outcomes.most_common(1)[0]
    expect(summaries.nth(1)).to_contain_text(
        f"Of the {len(crimes):,} crimes recorded in Southend-on-Sea in February 2019, the most "
        f"common last outcome was “{first}”, {m:,} ({100 * m / len(crimes):.1f}%)"
    )
    _draw_charts(page)
    _axe_clean(page, "/area/southend")

    # Keyboard: Tab from the section's heading reaches the first table's disclosure; Enter
    # opens it, and the table gives every category's count.
    section.locator("h3").evaluate("h => { h.tabIndex = -1; h.focus(); }")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#district-records details')"):
            break
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused.startswith("Show the figures as a table"), focused
    page.keyboard.press("Enter")
    table = section.locator("table").first
    expect(table).to_be_visible()
    for kind, count in by_type.items():
        row = table.locator("tr", has=page.locator("th", has_text=re.compile(f"^{kind}$")))
        expect(row.locator("td").first).to_have_text(f"{count:,}")
    row = table.locator("tr", has=page.locator("th", has_text="All records"))
    expect(row.locator("td").first).to_have_text(f"{len(rows):,}")


def test_the_record_section_is_axe_clean_at_200_percent_zoom(page, live_server, open_page):
    page.set_viewport_size({"width": 683, "height": 384})
    open_page(f"{live_server}/area/southend")
    _draw_charts(page)
    _axe_clean(page, "/area/southend at 200%")
    # Nothing scrolls sideways at 200%: the section fits the narrow window.
    width = page.evaluate("() => document.querySelector('#district-records').scrollWidth")
    assert width <= 683, width


def test_districts_page_gives_burglary_outcomes_by_district(page, live_server, open_page):
    with FEB_2019.open(newline="", encoding="utf-8") as handle:
        burglary = [
            re.sub(r" \d{3}[A-Z]$", "", r["LSOA name"])
            for r in csv.DictReader(handle)
            if r["Crime type"] == "Burglary"
        ]
    colchester = burglary.count("Colchester")
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(f"{live_server}/districts?measure=policeuk-burglary&period=2019-02&by=rate")
    section = page.locator("#district-outcomes")
    expect(section.locator("h2")).to_have_text("Burglary crimes by last outcome, February 2019")
    expect(section.locator("#district-outcomes-summary")).to_contain_text(
        "burglary crimes recorded in the 14 districts in February 2019"
    )
    row = section.locator("tr", has=page.locator("th", has_text="Colchester"))
    expect(row.locator("td").first).to_have_text(f"{colchester:,}")
    _axe_clean_page(page, "/districts burglary outcomes")
    page.set_viewport_size({"width": 683, "height": 384})
    section.scroll_into_view_if_needed()
    _axe_clean_page(page, "/districts burglary outcomes at 200%")
    # The table fits the narrow window: the page does not scroll sideways.
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


def _axe_clean_page(page, where: str) -> None:
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], f"axe on {where}: " + "; ".join(
        f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )
