"""Labels placed so they cannot overprint: line ends, bar values, mark notes, axis labels.

Each would show as text over text on a comparison page or a trend (measured in a browser by
tests/browser/test_label_overlap.py); here the rules themselves, on the figure dicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.figures.compare import (
    BAR_LABEL_PX,
    END_LABEL_GAP_PX,
    NARROWEST_PLOT_PX,
    PLOT_BOTTOM_PX,
    change_figure,
    group_trend_figure,
)
from dashboard.figures.metric import spaced_ticks
from dashboard.figures.theme import two_line_tick


@dataclass(frozen=True)
class Bar:
    """What the change figure reads of a comparison line (dashboard/views/compare.py)."""

    name: str
    role: str
    percent: float


ENDS = [dt.date(2010 + i, 3, 31) for i in range(9)]


def _label_px(figure: dict) -> list[float]:
    """Each line-end label's middle, in pixels above the plot's foot."""
    layout = figure["layout"]
    low, high = layout["yaxis"]["range"]
    plot = layout["height"] - layout["margin"]["t"] - PLOT_BOTTOM_PX
    return [
        (note["y"] - low) / (high - low) * plot + note.get("yshift", 0)
        for note in layout["annotations"]
        if note.get("yref", "y") == "y"
    ]


def test_line_end_labels_of_close_values_are_moved_apart():
    # "Group average 61.5" and "England and Wales 59.9" overprinted at 1366x768.
    series = {
        "focus": [100.0] * 8 + [90.0],
        "group": [100.0] * 8 + [61.5],
        "national": [100.0] * 8 + [59.9],
    }
    figure = group_trend_figure(ENDS, series, "t")
    middles = sorted(_label_px(figure))
    gaps = [b - a for a, b in zip(middles, middles[1:], strict=False)]
    assert min(gaps) >= END_LABEL_GAP_PX - 0.1, gaps
    # The highest label stays by its line.
    assert figure["layout"]["annotations"][0].get("yshift", 0) == 0


def test_a_mark_late_in_the_span_is_labelled_to_its_left_on_two_short_lines():
    series = {"focus": [100.0] * 9, "group": [100.0] * 9, "national": [100.0] * 9}
    mark = (dt.date(2016, 3, 31), "Caveat: 12 months to Mar 2014")
    figure = group_trend_figure(ENDS, series, "t", marks=[mark])
    note = figure["layout"]["annotations"][-1]
    assert note["xanchor"] == "right"  # away from the line ends' labels in the right margin
    assert all(len(line) <= 20 for line in note["text"].split("<br>"))


def test_a_short_bar_leaves_room_for_its_label_in_the_narrowest_plot():
    # "−3.0%" covered "Staffordshire" at 200% zoom.
    lines = [Bar("Essex", "focus", 35.0), Bar("Staffordshire", "peer", -3.0)]
    figure = change_figure(lines, "t")
    low, high = figure["layout"]["xaxis"]["range"]
    room_px = (-3.0 - low) / (high - low) * NARROWEST_PLOT_PX
    assert room_px >= BAR_LABEL_PX


def test_axis_labels_are_spaced_in_time_not_in_count():
    # Yearly points, then quarterly: labels by count crowded the quarterly end.
    ends = [dt.date(2003 + i, 3, 31) for i in range(8)]
    ends += [dt.date(2011, 3, 31) + dt.timedelta(days=91 * i) for i in range(1, 24)]
    shown = [ends[i] for i in spaced_ticks(ends, 6)]
    assert shown[-1] == ends[-1]
    least = (ends[-1] - ends[0]).days / 6
    assert all((b - a).days >= least for a, b in zip(shown, shown[1:], strict=False))


def test_period_labels_are_two_short_lines():
    assert two_line_tick("Sep 2007") == "Sep<br>2007"
    assert two_line_tick("31 Mar 2015") in ("31 Mar<br>2015", "31<br>Mar 2015")
    assert two_line_tick("2019") == "2019"
