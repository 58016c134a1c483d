"""Claims of issue 20, finding 2: "Signals that are nearly automatic".

The national crime series are rolling 12-month totals at each quarter end: consecutive points
share nine months of the same crimes, so XmR limits from all of them are far too narrow and "a
real rise" is close to guaranteed. What a senior officer reads must rest on points that do not
overlap (one a year at the latest point's month), say so, and be the same on the metric page,
the overview's signals panel, the slides and the packs. Point-in-time counts (the Home Office
headcounts at 31 March and 30 September) and single-quarter counts keep every point.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.views.meeting import Meeting
from dashboard.views.metric import judge
from dashboard.views.model import views_of
from dashboard.views.national import national_signals

QUARTER = "2019-20-Q4"
ROLLING = ("pfa-violence-with-injury", "pfa-robbery", "pfa-possession-of-weapons")


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


def yearly(view) -> list[tuple[str, float]]:
    """The series' rolling totals for the years ending December (the latest point's month)."""
    return [
        (period, point.value)
        for period, point in zip(view.periods, view.points, strict=True)
        if period.endswith("-12")
    ]


@pytest.mark.parametrize("metric_id", ROLLING)
def test_rolling_series_is_judged_on_one_point_a_year_and_says_so(vm, metric_id):
    view = vm.metric_view(metric_id, None, QUARTER)
    # every quarter end is still shown: 52 from the ONS open data table (to December 2018)
    # and 3 from the ONS PFA tables editions (years ending March, June and December 2019;
    # there is no September 2019 edition)
    assert len(view.points) == 55
    judged = yearly(view)
    # the years ending December 2007 to 2019: quarterly figures start in 2007
    assert [p for p, _ in judged][0] == "12m-to-2007-12" and len(judged) == 13
    assert list(view.spc.periods) == [p for p, _ in judged]
    assert "judged on 13 yearly points, years ending December" in view.verdict


@pytest.mark.parametrize("metric_id", ROLLING)
def test_limits_are_those_of_the_yearly_points(vm, metric_id):
    """The limits a reader sees are the XmR limits of the 12 yearly values, worked out here by
    hand: mean ± 2.66 × mean moving range, a moving range above 3.267 × the first mean left out
    (one pass, as docs and spc.py say: robbery's and weapons' 2018 jumps are left out)."""
    view = vm.metric_view(metric_id, None, QUARTER)
    values = [v for _, v in yearly(view)]
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    first = sum(ranges) / len(ranges)
    kept = [r for r in ranges if r <= 3.267 * first]
    mrbar = sum(kept) / len(kept)
    seg = view.spc.latest
    assert seg.centre == pytest.approx(mean, rel=1e-12)
    assert seg.lower == pytest.approx(mean - 2.66 * mrbar, rel=1e-12)
    assert seg.upper == pytest.approx(mean + 2.66 * mrbar, rel=1e-12)


def test_limits_agree_with_pyqicharts_and_abspc(vm):
    """Cross-check against the two SPC references tests/unit/test_spc_crosscheck.py uses, on
    the yearly points: the same centre; pyqicharts' screened mean moving range equals ours;
    where nothing is screened (violence with injury) both packages' limits equal ours up to
    the constant (3 / 1.128 against 2.66); where a moving range is screened (robbery, weapons)
    abspc, which never screens, is wider, as test_spc_crosscheck.py explains."""
    abspc = pytest.importorskip("abspc")
    qic_tables = pytest.importorskip("pyqicharts.tables")
    for metric_id in ROLLING:
        view = vm.metric_view(metric_id, None, QUARTER)
        values = [v for _, v in yearly(view)]
        seg = view.spc.latest
        frame = pd.DataFrame({"x": range(len(values)), "y": values})
        plain = qic_tables.qic_table(frame, "x", "y", chart="i")
        screened = qic_tables.qic_table(frame, "x", "y", chart="i", exclude_mr_outliers=True)
        nhs = abspc.calculate_control_limits(pd.DataFrame({"value": values}), "XmR")
        assert seg.centre == pytest.approx(plain["centre"].iloc[0], rel=1e-12)
        assert seg.centre == pytest.approx(nhs["mean"].iloc[0], rel=1e-12)
        mrbar = screened["mrbar_for_process_limits"].iloc[0]
        assert seg.mean_moving_range == pytest.approx(mrbar, rel=1e-12)
        half = seg.upper - seg.centre
        for ucl, centre in ((plain["ucl"].iloc[0], plain["centre"].iloc[0]),
                            (nhs["ucl"].iloc[0], nhs["mean"].iloc[0])):  # fmt: skip
            if seg.excluded_moving_ranges:
                assert ucl - centre > half
            else:
                assert half / (ucl - centre) == pytest.approx(2.66 / (3 / 1.128), rel=1e-9)
    violence = vm.metric_view("pfa-violence-with-injury", None, QUARTER).spc.latest
    assert violence.excluded_moving_ranges == ()


def test_violence_with_injury_limits_are_no_longer_the_narrow_ones(vm):
    """Before: 10,290.6 to 11,421.6 from 52 overlapping totals, with most points outside."""
    seg = vm.metric_view("pfa-violence-with-injury", None, QUARTER).spc.latest
    assert (round(seg.lower, 1), round(seg.upper, 1)) != (10290.6, 11421.6)
    assert seg.upper - seg.lower > 3 * (11421.6 - 10290.6)


def test_the_rule_comes_from_the_periods_not_a_list_of_metrics():
    """Any made-up metric on a basis whose points overlap is judged on non-overlapping points;
    the same values a year apart (calendar years) are judged on every point."""
    metric = {"metric_id": "made-up", "direction": "down", "unit": "count", "target": None}
    years = range(2008, 2019)
    rolling = [f"12m-to-{y}-{m:02d}" for y in years for m in (3, 6, 9, 12)]
    values = [1000.0 + (k % 5) * 7 + k for k in range(len(rolling))]
    result, text = judge(metric, "rolling_12m", rolling, values, ())
    assert result.periods == tuple(f"12m-to-{y}-12" for y in years)
    assert text.endswith("judged on 11 yearly points, years ending December")
    calendar = [str(y) for y in years]
    result, text = judge(metric, "calendar_year", calendar, values[: len(calendar)], ())
    assert result.periods == tuple(calendar) and "judged on" not in text


@pytest.mark.parametrize(
    ("metric_id", "basis"),
    [("ho-special-constables-headcount", "as_at"), ("ho-pcso-fte", "as_at")],
)
def test_point_in_time_counts_keep_every_point(vm, metric_id, basis):
    view = vm.metric_view(metric_id, None, QUARTER)
    assert view.basis == basis
    assert view.spc.periods == view.periods and "judged on" not in view.verdict


def test_quarterly_counts_keep_every_point():
    metric = {"metric_id": "made-up", "direction": "up", "unit": "count", "target": None}
    quarters = [f"{y}-{(y + 1) % 100:02d}-Q{q}" for y in range(2015, 2019) for q in (1, 2, 3, 4)]
    values = [float(10 + k % 3) for k in range(len(quarters))]
    result, text = judge(metric, "quarter_count", quarters, values, ())
    assert len(result.periods) == len(quarters) and "judged on" not in text


def test_metric_page_chart_marks_the_judged_points_not_by_colour_alone(vm):
    from dashboard.pages.metric import _xmr_payload

    view = vm.metric_view("pfa-violence-with-injury", None, QUARTER)
    payload = _xmr_payload(vm, view)
    traces = json.loads(payload.figure)["data"]
    every = next(t for t in traces if t.get("name") == "Every published value")
    judged = next(t for t in traces if t.get("name") == "Judged value")
    # 52 quarter ends of the open data table + 3 of the PFA tables editions (2019)
    assert len(every["x"]) == 55 and every["marker"]["symbol"] == "circle-open"
    assert len(judged["x"]) == 13 and judged["marker"]["symbol"] == "circle"
    table = json.loads(payload.table)
    assert table["caption"].endswith("(judged on 13 yearly points, years ending December)")
    at = table["columns"].index("Judged")
    said = [row[at] for row in table["rows"]]
    assert said.count("yes") == 13 and said.count("no") == 42


def test_metric_page_summary_says_how_many_points_are_judged(vm):
    from dashboard.figures.xmr import xmr_alt_text
    from dashboard.pages.metric import _context

    view = vm.metric_view("pfa-violence-with-injury", None, QUARTER)
    text = xmr_alt_text(view.spc, view.label, view.verdict, view.unit, _context(view))
    assert "55 values, of which 13 are judged" in text
    assert "judged on 13 yearly points, years ending December" in text


def test_signals_panel_and_packs_say_the_same_verdict(vm):
    view = vm.metric_view("pfa-violence-with-injury", None, QUARTER)
    panel = {v.metric_id: v.verdict for v, _ in national_signals(vm, QUARTER).rows}
    assert panel["pfa-violence-with-injury"] == view.verdict
    meeting = Meeting(QUARTER, None, (4,), ("pfa-violence-with-injury@rolling_12m",))
    pack = vm.pack(meeting=meeting)
    headlines = [h for s in pack.sections for h in s.headlines]
    said = next(h for h in headlines if h.metric_id == "pfa-violence-with-injury")
    assert said.verdict == view.verdict
    assert "judged on 13 yearly points, years ending December" in said.verdict


def test_a_series_too_short_since_its_break_names_the_break_not_the_first_yearly_point(vm):
    """Stalking and harassment: counting rules changed (register: 12 months to June 2018);
    the first yearly point after it is December 2018, which is not when the change was (then
    December 2019, from the PFA tables' December 2019 edition: 2 years, still too few)."""
    view = vm.metric_view("pfa-stalking-harassment", None, QUARTER)
    assert "since the change at 12 months to Jun 2018 (2 years)" in view.verdict
    assert "judged on" not in view.verdict  # too few to judge: it does not claim to
    assert "one point a year counts (years ending December)" in view.verdict


def test_a_missing_year_is_a_gap_said_so_not_a_shift_of_month():
    """A year whose December total is not published is a missing point: the judged points stay
    at December (they do not slide to September), and the verdict counts the missing year."""
    metric = {"metric_id": "made-up", "direction": "down", "unit": "count", "target": None}
    periods = [f"12m-to-{y}-{m:02d}" for y in range(2008, 2019) for m in (3, 6, 9, 12)]
    periods.remove("12m-to-2012-12")
    values = [1000.0 + (k % 7) * 5 for k in range(len(periods))]
    result, text = judge(metric, "rolling_12m", periods, values, ())
    assert all(p.endswith("-12") for p in result.periods) and len(result.periods) == 10
    assert [g.missing for g in result.gaps] == [("12m-to-2012-12",)]
    assert "1 missing year" in text and "judged on 10 yearly points" in text
