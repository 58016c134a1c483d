"""The engine's contract in a real browser (issue 22, docs/architecture.md "The engine"): a
filter change redraws, in place, only the charts whose figure changed.

On the bundled /metric/policeuk-burglary (a monthly police.uk series): another quarter changes
the chart's summary but not the monthly chart, which Plotly does not draw again; another area
changes the chart, which is drawn again on the same element and shows that area's latest count
from data/observations.csv (policeuk-burglary, basildon, 2019-02: 92, row 25827).
"""

from __future__ import annotations

import csv
from pathlib import Path

from playwright.sync_api import expect

METRIC = "/metric/policeuk-burglary"
DATA = Path(__file__).resolve().parents[2] / "data"

#: Counts Plotly's draws of the monthly chart from now on, and marks its element.
WATCH = """() => {
    const holder = document.getElementById('chart-month');
    holder.dataset.kept = 'yes';
    window.draws = 0;
    holder.querySelector('.js-plotly-plot').on('plotly_afterplot', () => { window.draws += 1; });
}"""


def latest(area: str) -> float:
    with (DATA / "observations.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["metric_id"] == "policeuk-burglary" and r["area_id"] == area
        ]
    return float(max(rows, key=lambda r: r["period"])["value"])


def test_only_a_chart_whose_figure_changed_is_drawn_again(page, live_server, open_page, settle):
    open_page(f"{live_server}{METRIC}")
    holder = page.locator("#chart-month")
    expect(holder.locator(".main-svg").first).to_be_attached()
    page.wait_for_timeout(300)  # the first draw's own events are over
    page.evaluate(WATCH)
    summary = page.locator("#chart-month-summary")

    page.get_by_role("combobox", name="Quarter", exact=True).select_option("2018-19-Q4")
    expect(summary).to_contain_text("2018/19 Q4")
    settle()
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.draws") == 0  # same figure: not drawn again

    page.get_by_role("combobox", name="Area", exact=True).select_option("basildon")
    expect(summary).to_contain_text("Basildon")
    page.wait_for_function(
        """(value) => {
            const plot = document.querySelector('#chart-month .js-plotly-plot');
            const y = plot.data[0].y.filter(v => v !== null);
            return y[y.length - 1] === value;
        }""",
        arg=latest("basildon"),
    )
    assert holder.get_attribute("data-kept") == "yes"  # the same element, drawn again
    assert page.evaluate("() => window.draws") >= 1


#: Choose ``area`` and resolve with the monthly chart's last drawn value at the first frame
#: after the chart's summary changed (what is painted together with the new words).
FIRST_FRAME = """(area) => new Promise(resolve => {
    const summary = document.getElementById('chart-month-summary');
    const lastY = () => {
        const y = document.querySelector('#chart-month .js-plotly-plot').data[0].y;
        return y.filter(v => v !== null).pop();
    };
    new MutationObserver((_, observer) => {
        observer.disconnect();
        requestAnimationFrame(() => resolve(lastY()));
    }).observe(summary, {childList: true, characterData: true, subtree: true});
    const select = document.getElementById(JSON.stringify({name: "area", type: "filter"}));
    Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set.call(select, area);
    select.dispatchEvent(new Event("change", {bubbles: true}));
})"""


def test_a_changed_chart_is_painted_with_the_words_of_the_answer(page, live_server, open_page):
    """The chart on screen is drawn again in the answer's own task, not frames later."""
    open_page(f"{live_server}{METRIC}")
    expect(page.locator("#chart-month .main-svg").first).to_be_attached()
    page.wait_for_timeout(300)
    assert page.evaluate(FIRST_FRAME, "chelmsford") == latest("chelmsford")
    assert page.evaluate(FIRST_FRAME, "basildon") == latest("basildon")
