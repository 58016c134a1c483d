"""Pages at scale in a real browser: tables and charts sent as one component each and drawn by
assets/lazy.js, long tables a page at a time, charts drawn when they come near the screen, and
a filter change that leaves the page mounted and redraws its charts in place.

The server reads a SYNTHETIC dataset (benchmarks/synthetic.py: every value made up, every title
says so), written into the private server's temporary data folder: never under data/.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synthetic  # noqa: E402

from dashboard.data.schema import TABLES  # noqa: E402

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
METRIC = "/metric/special-constable-headcount"


@pytest.fixture(scope="module")
def scaled(start_server, bundled_data_dir, tmp_path_factory):
    """One private server for the module's read-only tests, started on a copy of data/ whose
    tables are 60,000 synthetic observations (built once: 184 s for 8 tests when each test
    built its own)."""
    root = tmp_path_factory.mktemp("scaled")
    shape = synthetic.write_dataset(root / "synthetic", 60_000, seed=3)
    data = root / "data"
    shutil.copytree(bundled_data_dir, data, ignore=shutil.ignore_patterns(".*"))
    for spec in TABLES.values():
        (data / spec.filename).unlink(missing_ok=True)
    for file in (root / "synthetic").glob("*.csv"):
        shutil.copy2(file, data / file.name)
    with start_server(root / "gunicorn.log", data) as server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:  # each worker loads the data before it answers
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as r:
                    if json.loads(r.read()).get("observations") == shape.observations:
                        break
            except TimeoutError:
                continue
            time.sleep(0.3)
        else:
            pytest.fail("the server did not take the synthetic dataset")
        yield server.url


def test_a_long_table_shows_a_page_of_rows_at_a_time(page, scaled, open_page):
    open_page(f"{scaled}{METRIC}")
    table = page.locator("table").filter(has=page.locator("caption", has_text="values and sources"))
    expect(table.locator("tbody tr")).to_have_count(25)
    assert table.locator("thead th[scope=col]").count() == 4
    assert table.locator("tbody th[scope=row]").count() == 25
    pager = page.get_by_role("group", name=table.locator("caption").inner_text(), exact=False)
    status = pager.locator(".table-status")
    expect(status).to_have_attribute("aria-live", "polite")
    text = status.inner_text()
    assert text.startswith("Rows 1 to 25 of ")
    total = int(text.rsplit(" ", 1)[1].replace(",", ""))
    assert total > 25
    previous, following = pager.get_by_role("button").all()
    expect(previous).to_be_disabled()
    first_row = table.locator("tbody tr").first.inner_text()
    following.click()
    expect(status).to_have_text(f"Rows 26 to {min(50, total)} of {total}")
    assert table.locator("tbody tr").first.inner_text() != first_row
    previous.click()
    expect(status).to_have_text(f"Rows 1 to 25 of {total}")
    assert table.locator("tbody tr").first.inner_text() == first_row


def test_charts_are_drawn_when_they_come_near_the_screen(page, scaled, open_page):
    open_page(f"{scaled}/priority/1")
    charts = page.locator("#main .lazy-chart")
    expect(charts).to_have_count(12)  # the rest of the priority's figures are in a table
    expect(charts.first.locator(".main-svg").first).to_be_attached()
    page.wait_for_timeout(1500)
    drawn = page.locator("#main .lazy-chart .js-plotly-plot").count()
    assert 1 <= drawn < 12, drawn
    charts.last.scroll_into_view_if_needed()
    expect(charts.last.locator(".main-svg").first).to_be_attached()
    more = page.locator("table").filter(has=page.locator("caption", has_text="More figures"))
    assert more.locator("tbody tr").count() >= 1


def test_a_filter_change_keeps_the_page_mounted_and_redraws_its_chart(page, scaled, open_page):
    open_page(f"{scaled}{METRIC}")
    holder = page.locator("#chart-quarter_end")
    expect(holder.locator(".main-svg").first).to_be_attached()
    page.evaluate("() => { document.getElementById('chart-quarter_end').dataset.kept = 'yes'; }")
    before = page.evaluate(
        "() => document.querySelector('#chart-quarter_end .js-plotly-plot').data[0].y"
    )
    page.get_by_role("combobox", name="Area", exact=True).select_option("south-lpa")
    expect(page.locator("#chart-quarter_end-summary")).to_contain_text("South Local Policing Area")
    # The same element, not a new one; its plot now shows the figure the server sent.
    assert holder.get_attribute("data-kept") == "yes"
    page.wait_for_function(
        """() => {
            const holder = document.getElementById('chart-quarter_end');
            const sent = JSON.parse(holder.getAttribute('data-figure')).data[0].y;
            const shown = holder.querySelector('.js-plotly-plot').data[0].y;
            return JSON.stringify(sent) === JSON.stringify(shown);
        }"""
    )
    after = page.evaluate(
        "() => document.querySelector('#chart-quarter_end .js-plotly-plot').data[0].y"
    )
    assert after != before


def test_a_link_in_a_built_table_opens_its_page_without_reloading(page, scaled, open_page):
    open_page(f"{scaled}/priority/1")
    page.evaluate("() => { window.notReloaded = true; }")
    more = page.locator("table").filter(has=page.locator("caption", has_text="More figures"))
    link = more.locator("tbody a").first
    name = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(name)
    assert page.evaluate("() => window.notReloaded === true")


@pytest.mark.parametrize("path", ["/priority/1", METRIC, "/", "/area/south-lpa"])
def test_axe_finds_nothing_on_pages_at_scale_with_their_tables_open(page, scaled, open_page, path):
    open_page(f"{scaled}{path}")
    for summary in page.locator("details.chart-table > summary").all()[:6]:
        summary.scroll_into_view_if_needed()
        summary.click()
    charts = page.locator(".lazy-chart")
    if charts.count():
        expect(charts.first.locator(".main-svg").first).to_be_attached()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
