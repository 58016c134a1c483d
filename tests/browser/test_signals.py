"""Signal or noise in the browser (issue: comparisons, direction of improvement and SPC).

A metric page shows process limits and the verdict for a real series; a dataset made by this
test (in a temporary copy of data/, never shipped) with a known outlier shows the signal marker
and its wording.
"""

from __future__ import annotations

import csv
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import expect

from dashboard.cli import main
from dashboard.data.periods import Quarter

TEST_SOURCE = "test-outlier-series"


def test_metric_page_shows_limits_and_verdict(open_page, live_server):
    page = open_page(f"{live_server}/metric/ksi-casualties")
    # Only the calendar-year series has enough points for an XmR chart; charts are drawn when
    # they come near the screen (assets/lazy.js), so it is scrolled to, as a reader would.
    section = page.locator(".signal-section").filter(has=page.locator(".lazy-chart"))
    assert section.count() == 1
    section.scroll_into_view_if_needed()
    expect(section.locator("svg text").filter(has_text="Upper limit (trial)")).to_have_count(1)
    # The calendar-year series (2016 to 2020, five points) is judged with trial limits.
    verdict = page.locator(".signal-section .verdict")
    texts = verdict.all_inner_texts()
    assert any("Common-cause variation" in t and "trial limits" in t for t in texts), texts
    svg_text = " ".join(section.locator("svg text").all_text_contents())
    assert "Upper limit (trial)" in svg_text and "Lower limit (trial)" in svg_text
    # The quarterly series has two points: too few to judge, and it says so.
    assert any(t.startswith("Too few points to judge (2 quarters)") for t in texts), texts


def _append_rows(path, rows):
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _wait_for_observations(url: str, minimum: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            if (
                b'"observations":' in (body := response.read())
                and int(body.split(b'"observations":')[1].split(b",")[0]) >= minimum
            ):
                return
        time.sleep(0.3)
    raise AssertionError("the server did not pick up the test dataset")


def _observations(url: str) -> int:
    with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
        body = response.read()
    return (
        int(body.split(b'"observations":')[1].split(b",")[0]) if b'"observations":' in body else 0
    )


def _wait_for_every_worker(url: str, minimum: int, timeout: float = 30.0) -> None:
    """Eight /healthz answers at once, four at a time (one at a time may all reach one worker),
    every one with at least ``minimum`` observations."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with ThreadPoolExecutor(max_workers=4) as pool:
            counts = list(pool.map(lambda _: _observations(url), range(8)))
        if all(count >= minimum for count in counts):
            return
        time.sleep(0.3)
    raise AssertionError(f"not every worker serves the published data: {counts}")


def test_known_outlier_shows_signal_marker_and_wording(open_page, live_server_tmp_data):
    data = live_server_tmp_data.data_dir
    # Twelve made-up quarters for a made-up metric; the last is far above the others.
    values = [50, 52, 49, 51, 50, 53, 48, 51, 50, 52, 49, 90]
    quarters = [Quarter(2017, 1).shift(i).label for i in range(len(values))]
    _append_rows(
        data / "sources.csv",
        [[TEST_SOURCE, "Test series made by a test", "Test", "2020-06", "", "", "official"]],
    )
    _append_rows(
        data / "metrics.csv",
        [
            [
                "test-outlier",
                "Test outlier metric",
                7,
                "p7-o1",
                "count",
                "quarter_count",
                "down",
                "A series made by a browser test",
                "",
                "",
                "false",
                "",
            ]
        ],
    )
    _append_rows(
        data / "observations.csv",
        [
            [
                "test-outlier",
                "essex",
                "quarter_count",
                q,
                v,
                "final",
                TEST_SOURCE,
                f"Test value {v}",
                "",
            ]
            for q, v in zip(quarters, values, strict=True)
        ],
    )
    with (data / "observations.csv").open(encoding="utf-8") as handle:
        expected = sum(1 for _ in csv.reader(handle)) - 1
    # Edited files go live only when published (issue 25), as an analyst would do it.
    assert main(["publish", "--data-dir", str(data)]) == 0
    _wait_for_observations(live_server_tmp_data.url, expected)
    # One worker has the new data; the other notices it after its reload interval (2 s by
    # default) and loads it in the background while serving the old version: wait (bounded)
    # until every answer, eight at a time over both workers, has it.
    _wait_for_every_worker(live_server_tmp_data.url, expected)

    page = open_page(f"{live_server_tmp_data.url}/metric/test-outlier?quarter={quarters[-1]}")
    verdict = page.locator(".signal-section .verdict").first.inner_text()
    # Lower is better, so a point above the upper limit is a concern, named by its rule.
    assert verdict.startswith("Special cause (concern)"), verdict
    assert "limit" in verdict
    # The signal point is drawn with a different shape (a diamond), not only another colour.
    page.locator("#xmr-quarter_count").scroll_into_view_if_needed()
    page.locator("#xmr-quarter_count .main-svg").first.wait_for()
    symbols = page.evaluate(
        """() => {
            const plot = document.querySelector('#xmr-quarter_count .js-plotly-plot');
            return plot.data.filter(t => t.marker && t.marker.symbol)
                .map(t => ({symbol: t.marker.symbol, x: t.x}));
        }"""
    )
    diamonds = [
        s
        for s in symbols
        if s["symbol"] == "diamond" or (isinstance(s["symbol"], list) and "diamond" in s["symbol"])
    ]
    assert diamonds, symbols
    assert any(
        Quarter(2019, 4).display in [str(x) for x in d["x"]] or quarters[-1] in d["x"]
        for d in diamonds
    ), diamonds
    # The table alternative names the rule for that quarter.
    page.get_by_text("Show the figures as a table").last.click()
    row = (
        page.locator("#xmr-quarter_count")
        .locator("xpath=ancestor::figure")
        .locator("tr")
        .filter(has_text=Quarter(2019, 4).display)
    )
    assert "limit" in row.inner_text().lower()
