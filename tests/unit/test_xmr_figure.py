"""The XmR figure, its alt text and table rows. Series are made-up test inputs."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.analysis.spc import verdict, xmr
from dashboard.data.periods import parse_quarter
from dashboard.figures.xmr import (
    POINT_SYMBOL,
    SIGNAL_STYLE,
    xmr_alt_text,
    xmr_figure,
    xmr_table_rows,
)

START = parse_quarter("2015-16-Q1")
# 10,11 × 5 then 13, 13: the 13s are 2 of 3 near the upper limit (see test_spc)
NEAR = [10, 11] * 5 + [13, 13]
# 12 steady points: no signals; limits 8.05 to 15.79 (see test_spc)
STABLE = [10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 14, 12]


def pts(values):
    return [(START.shift(k).label, v) for k, v in enumerate(values)]


def annotations(fig):
    return [a["text"] for a in fig["layout"]["annotations"]]


def value_trace(fig):
    return next(t for t in fig["data"] if t["name"] == "Value")


def signal_traces(fig):
    return [t for t in fig["data"] if t["name"].startswith("special cause")]


def test_figure_is_valid_plotly():
    fig = xmr_figure(xmr(pts(NEAR), "up"), "Title", unit="count")
    go.Figure(fig)  # raises on an invalid property


def test_signal_points_have_a_different_shape():
    fig = xmr_figure(xmr(pts(NEAR), "up"), "t")
    (signals,) = signal_traces(fig)
    assert signals["marker"]["symbol"] != value_trace(fig)["marker"]["symbol"] == POINT_SYMBOL
    assert signals["marker"]["symbol"] == SIGNAL_STYLE["improvement"][0]
    assert signals["x"] == [START.shift(10).display, START.shift(11).display]
    assert "2 of 3 quarters near the upper limit" in signals["text"][0]


def test_concern_and_improvement_differ_in_shape():
    up = signal_traces(xmr_figure(xmr(pts(NEAR), "up"), "t"))[0]["marker"]["symbol"]
    down = signal_traces(xmr_figure(xmr(pts(NEAR), "down"), "t"))[0]["marker"]["symbol"]
    assert up != down


def test_no_signal_trace_when_common_cause():
    assert signal_traces(xmr_figure(xmr(pts(STABLE), "up"), "t")) == []


def test_limits_present_and_labelled_without_a_legend():
    fig = xmr_figure(xmr(pts(STABLE), "up"), "t")
    assert fig["layout"]["showlegend"] is False
    texts = annotations(fig)
    # 143/12 = 11.9; ± 2.66 × 16/11: 8.0 and 15.8
    assert texts == ["Upper limit 15.8", "Mean 11.9", "Lower limit 8.0"]
    upper = next(t for t in fig["data"] if t["name"].startswith("Upper limit"))
    assert upper["line"]["dash"] == "dash"
    assert set(upper["y"]) == {143 / 12 + 2.66 * 16 / 11}


def test_trial_limits_say_trial():
    texts = annotations(xmr_figure(xmr(pts(STABLE[:11]), "up"), "t"))
    assert "Upper limit (trial)" in texts[0] and "Lower limit (trial)" in texts[2]


def test_too_few_points_draw_values_only():
    fig = xmr_figure(xmr(pts([10, 12, 11]), "up"), "t")
    assert [t["name"] for t in fig["data"]] == ["Value"]
    assert annotations(fig) == []


def test_discontinuity_line_and_label():
    values = [10, 11] * 6 + [20, 21] * 3
    rebase = START.shift(12)
    result = xmr(pts(values), "up", discontinuities=[rebase.label])
    fig = xmr_figure(result, "t", discontinuity_labels={rebase.label: "Counting rules change"})
    (line,) = fig["layout"]["shapes"]
    assert line["x0"] == line["x1"] == 11.5  # between the 12th and 13th quarter
    assert f"Counting rules change ({rebase.display})" in annotations(fig)
    # each segment has its own mean line
    means = [t for t in fig["data"] if t["name"].startswith("Mean")]
    assert [m["y"][0] for m in means] == [10.5, 20.5]


def test_target_line():
    fig = xmr_figure(xmr(pts(STABLE), "up", target=14), "t")
    assert "Target 14" in annotations(fig)
    target = next(t for t in fig["data"] if t["name"] == "Target 14")
    assert set(target["y"]) == {14}


def test_missing_quarter_breaks_the_line():
    points = pts(STABLE)
    del points[5]
    fig = xmr_figure(xmr(points, "up"), "t")
    trace = value_trace(fig)
    assert len(trace["x"]) == 12 and trace["y"][5] is None
    assert trace["connectgaps"] is False


def test_percent_axis_and_labels():
    fig = xmr_figure(xmr(pts(STABLE), "up"), "t", unit="percent")
    assert fig["layout"]["yaxis"]["ticksuffix"] == "%"
    assert annotations(fig)[1] == "Mean 11.9%"


def test_alt_text():
    result = xmr(pts(STABLE), "up")
    text = xmr_alt_text(result, "Special Constables", verdict(result))
    assert text.startswith(
        f"Chart of Special Constables from {START.display} to {START.shift(11).display} "
        "(12 quarters). Latest 12; mean 11.9, process limits 8.0 to 15.8."
    )
    assert text.endswith("Common-cause variation: no evidence of change.")


def test_table_rows():
    points = pts(NEAR)
    del points[3]
    rows = xmr_table_rows(xmr(points, "up"))
    assert len(rows) == 12
    assert rows[3] == {
        "period": START.shift(3).display,
        "value": "–",
        "centre": "–",
        "lower": "–",
        "upper": "–",
        "signal": "missing: no value published",
    }
    assert rows[-1]["signal"].startswith("special cause (improvement): 2 of 3 quarters")
    assert rows[0]["signal"] == ""
    assert set(rows[0]) == {"period", "value", "centre", "lower", "upper", "signal"}


def test_table_rows_without_limits():
    rows = xmr_table_rows(xmr(pts([1, 2, 3]), "up"))
    assert [r["upper"] for r in rows] == ["–"] * 3
    assert [r["value"] for r in rows] == ["1", "2", "3"]
