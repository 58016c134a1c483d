"""The overview's national panel for each quarter from 2018/19 Q4 to 2019/20 Q4: each ONS series
shows its latest value on or before the end of the chosen quarter, worded with its own period,
never a value after the quarter (the PFA tables now reach December 2019). The overview offers
the quarters the updates hold (2018/19 Q4 and 2019/20 Q4 here): those through the page, every
quarter of the span through the panel's own builder (pages/national_signals.national_block).

Values are cells of the ONS police force area tables (data/published/ons-pfa-tables/), sheet
'Table P1' (in March 2019's edition 'Table P1 ', a trailing space), row 38 (E23000028 Essex),
column G "Violence with injury" and column L "Robbery", read with openpyxl:
- year ending March 2019 (policeforceareatablesyeendingmarch2019.xlsx): G38 14,713, L38 1,801
- year ending June 2019 (policeforceareatablesyearendingjune2019.xlsx): G38 14,939, L38 1,820
- year ending December 2019 (pfatablesdec19.xlsx): G38 15,413, L38 1,736
(no edition for the year ending September 2019 is held).
"""

from __future__ import annotations

import datetime as dt

import pytest
from shell_helpers import SharedStore, text_of

from dashboard.pages.national_signals import national_block
from dashboard.routing import Route
from dashboard.shell import render_page
from dashboard.views import views_of
from dashboard.views.national import national_signals

VWI = "Violence with injury: police recorded crime (12 months)"
ROBBERY = "Robbery: police recorded crime (12 months)"
PERIODS = ("year ending March 2019", "year ending June 2019", "year ending December 2019")

# quarter, its last day, the period shown, whether it ends before the quarter, VWI, robbery
QUARTERS = [
    ("2018-19-Q4", dt.date(2019, 3, 31), "year ending March 2019", False, "14,713", "1,801"),
    ("2019-20-Q1", dt.date(2019, 6, 30), "year ending June 2019", False, "14,939", "1,820"),
    ("2019-20-Q2", dt.date(2019, 9, 30), "year ending June 2019", True, "14,939", "1,820"),
    ("2019-20-Q3", dt.date(2019, 12, 31), "year ending December 2019", False, "15,413", "1,736"),
    ("2019-20-Q4", dt.date(2020, 3, 31), "year ending December 2019", True, "15,413", "1,736"),
]


@pytest.fixture(scope="module")
def store(bundled_dataset):
    return SharedStore(bundled_dataset)


def _panel(store, quarter: str) -> str:
    """The panel as the overview shows it for ``quarter`` (a quarter the updates hold)."""
    text = text_of(render_page(store, "/", f"?quarter={quarter}").body)
    assert f"latest on or before the end of {quarter[:4]}/{quarter[5:7]} {quarter[-2:]}" in text
    start = text.index("National statistics for the force")
    return text[start:]


@pytest.mark.parametrize("quarter", ["2018-19-Q4", "2019-20-Q4"])
def test_the_overview_shows_the_panel_the_builder_gives(store, bundled_dataset, quarter):
    built = text_of(national_block(views_of(bundled_dataset), Route("overview"), quarter))
    assert built and built in _panel(store, quarter)


@pytest.mark.parametrize(("quarter", "last_day", "period", "earlier", "vwi", "robbery"), QUARTERS)
def test_the_panel_shows_each_series_at_or_before_the_quarter_with_its_own_period(
    bundled_dataset, quarter, last_day, period, earlier, vwi, robbery
):
    vm = views_of(bundled_dataset)
    panel = text_of(national_block(vm, Route("overview"), quarter))
    words = f"{period}, the latest available" if earlier else period
    assert f"{VWI} ({words}: {vwi}): Special cause (concern)" in panel
    assert f"{ROBBERY} ({words}: {robbery}): Special cause (concern)" in panel
    # never a period after the quarter's end, anywhere in the panel
    later = PERIODS[PERIODS.index(period) + 1 :]
    assert not [p for p in later if p in panel]
    for view, _ in national_signals(vm, quarter).rows:
        assert view.points[-1].end is not None and view.points[-1].end <= last_day
