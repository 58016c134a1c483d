"""The analyst's journey from a new quarter's document to the live dashboard.

A later quarter's update (a fixture: the reference report rewritten as 2020/21 Q2 by
tests/fixtures/ingest/helpers.variant_text, never shipped) is ingested and imported in one
step into the copy of the data a running server serves; without a restart the server shows
the new quarter, and the metric page shows the quarter's Special Constable headcount beside
the sentence it was read from.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import REFERENCE, variant_text  # noqa: E402

from dashboard.cli import main  # noqa: E402

SENTENCE = (
    "The Special Constable headcount fell to 498 at the end of September 2020, down from 509 "
    "at the end of September 2019 (7 less officers)."
)
#: The shipped reload interval is 2 s; every worker has looked again well within this.
WAIT_SECONDS = 20


def test_a_new_quarter_goes_live_without_a_restart(
    live_server_tmp_data, page, open_page, tmp_path, capsys
):
    server = live_server_tmp_data
    document = tmp_path / "2020-21-Q2-quarterly-update.txt"
    document.write_text(variant_text(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    assert SENTENCE in document.read_text(encoding="utf-8")

    open_page(f"{server.url}/metric/special-constable-headcount")
    expect(page.locator("#main")).not_to_contain_text(SENTENCE)

    code = main(
        ["ingest", str(document), "--out", str(tmp_path / "out"),
         "--dataset", str(server.data_dir), "--import", "--yes"]
    )  # fmt: skip
    output = capsys.readouterr()
    assert code == 0, output.out + output.err
    assert "imported into" in output.out

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        open_page(f"{server.url}/metric/special-constable-headcount")
        if SENTENCE in page.locator("#main").inner_text():
            break
        assert time.monotonic() < deadline, "the imported quarter never reached the page"
        page.wait_for_timeout(500)
    rows = page.locator("tr", has_text=SENTENCE)
    expect(rows).to_have_count(2)  # the quarter's value and the year-earlier comparator
    quarter_row = rows.filter(has_text="2020/21 Q2")
    expect(quarter_row).to_have_count(1)
    expect(quarter_row).to_contain_text("498")
    expect(rows.filter(has_text="2019/20 Q2")).to_contain_text("509")
    shots = os.environ.get("PCP_SCREENSHOT_DIR")
    if shots:
        for width, height in ((1366, 768), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=f"{shots}/ingest-journey-metric-{width}.png", full_page=True)

    # the overview offers the new quarter and shows it
    open_page(f"{server.url}/?quarter=2020-21-Q2")
    expect(page.locator("h1")).to_contain_text("2020/21 Q2")
