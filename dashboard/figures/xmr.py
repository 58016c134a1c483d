"""XmR chart as a plain Plotly figure dict, its alt text and table rows.

Reading the chart does not rely on colour: limits are labelled in words at their right end (no
legend), trial limits say "trial", and points that trigger a rule have a different marker shape
as well as colour, with the rule named in the hover text and in the table alternative.

A series whose points overlap in time (rolling 12-month totals at each quarter end) is judged on
the points that do not (:mod:`dashboard.analysis.overlap`): given ``context`` (every point), the
chart draws every point as a small hollow circle on a thin dotted line, and the judged ones as
filled circles on a solid line with the limits; the hover text, the table ("Judged" column) and
the text alternative say which are judged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dashboard.analysis.spc import (
    RULE_NAMES,
    Segment,
    XmrResult,
    describe_signal,
    signal_meaning,
)
from dashboard.data.periods import PeriodError, display_label
from dashboard.figures.metric import tick_positions, tick_room
from dashboard.figures.theme import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    LIGHT_PURPLE,
    ORANGE,
    TURQUOISE,
    base_layout,
    pin_category_positions,
    two_line_tick,
    vertical_rule,
)
from dashboard.formatting import format_value

POINT_SYMBOL = "circle"
#: Marker shape and colour of signal points, by meaning ("mixed": both improvement and concern).
SIGNAL_STYLE: dict[str, tuple[str, str]] = {
    "improvement": ("square", TURQUOISE),
    "concern": ("diamond", ORANGE),
    "neutral": ("hexagon", DARK_PINK),
    "mixed": ("star", DARK_PINK),
}
SIGNAL_LEGEND_WORDS = {
    "improvement": "special cause (improvement)",
    "concern": "special cause (concern)",
    "neutral": "special cause (neither good nor bad)",
    "mixed": "special cause (improvement and concern)",
}

#: Room added above the plot for a break's label (clear of a wrapped title by half of it).
BREAK_ROW_PX = 40


def _display(label: str) -> str:
    try:
        return display_label(label)
    except PeriodError:
        return label


#: Hover and table words for a point of an overlapping series that is drawn but not judged.
NOT_JUDGED = "not judged: it overlaps the judged points"
NOT_JUDGED_SYMBOL = "circle-open"

Context = Sequence[tuple[str, float]]


def _context_axis(result: XmrResult, context: Context) -> tuple[list[str], list[int]]:
    """Every point's label, with missing judged points in place (canonical labels of one basis
    sort in time order, as in :func:`dashboard.analysis.spc.xmr`)."""
    missing = {absent for gap in result.gaps for absent in gap.missing}
    canonical = sorted({p for p, _ in context} | set(result.periods) | missing, key=str)
    where = {p: k for k, p in enumerate(canonical)}
    return [_display(p) for p in canonical], [where[p] for p in result.periods]


def _axis(result: XmrResult, context: Context | None = None) -> tuple[list[str], list[int]]:
    """Category labels including missing quarters, and each point's position on that axis."""
    if context:
        return _context_axis(result, context)
    missing_before = {gap.before: gap.missing for gap in result.gaps}
    labels: list[str] = []
    positions: list[int] = []
    for period in result.periods:
        for absent in missing_before.get(period, ()):
            labels.append(_display(absent))
        positions.append(len(labels))
        labels.append(_display(period))
    return labels, positions


def _point_meaning(result: XmrResult, index: int, improvement: str) -> str | None:
    signals = result.signals_at(index)
    if not signals:
        return None
    meanings = {signal_meaning(s.side, improvement) for s in signals}
    return meanings.pop() if len(meanings) == 1 else "mixed"


def _signal_text(result: XmrResult, index: int) -> str:
    return "; ".join(
        f"{describe_signal(s, result)} ({RULE_NAMES[s.rule]})" for s in result.signals_at(index)
    )


def _limit_label(kind: str, value: float, unit: str, trial: bool) -> str:
    trial_word = " (trial)" if trial else ""
    return f"{kind}{trial_word} {format_value(value, unit)}"


def _segment_lines(
    seg: Segment, labels: list[str], positions: list[int], unit: str, latest: bool
) -> tuple[list[dict], list[dict]]:
    traces: list[dict] = []
    annotations: list[dict] = []
    if not seg.judged:
        return traces, annotations
    assert seg.centre is not None and seg.upper is not None and seg.lower is not None
    first, last = positions[seg.start], positions[seg.stop - 1]
    xs = labels[first : last + 1]
    for kind, value, dash, width in (
        ("Upper limit", seg.upper, "dash", 1.5),
        ("Mean", seg.centre, "solid", 1.5),
        ("Lower limit", seg.lower, "dash", 1.5),
    ):
        name = _limit_label(kind, value, unit, seg.trial and kind != "Mean")
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": [value] * len(xs),
                "name": name,
                "line": {"color": DARK_GREY, "dash": dash, "width": width},
                "hoverinfo": "name",
                "showlegend": False,
            }
        )
        if latest:
            annotations.append(
                {
                    "x": xs[-1],
                    "y": value,
                    "xref": "x",
                    "yref": "y",
                    "text": name,
                    "showarrow": False,
                    "xanchor": "left",
                    # above the upper line, below the lower: close limits never overprint
                    "yanchor": {"Upper limit": "bottom", "Lower limit": "top"}.get(kind, "middle"),
                    "xshift": 8,
                    "font": {"color": DARK_GREY},
                }
            )
    return traces, annotations


def xmr_figure(
    result: XmrResult,
    title: str,
    *,
    unit: str = "count",
    improvement: str | None = None,
    discontinuity_labels: Mapping[str, str] | None = None,
    context: Context | None = None,
) -> dict:
    """The XmR chart as a plain figure dict (cheap: no graph_objects validation).

    ``discontinuity_labels`` maps a period to the reason for the rebase ("Counting rules change");
    otherwise the line is labelled "Limits recalculated". ``context``: every point of a series
    judged on some of them (see the module docstring).
    """
    improvement = improvement or result.improvement
    labels, positions = _axis(result, context)
    layout = base_layout(title)
    layout["xaxis"] = {**layout["xaxis"], "type": "category", "categoryarray": labels}
    if unit == "percent":
        layout["yaxis"] = {**layout["yaxis"], "ticksuffix": "%"}
    elif unit == "gbp":
        layout["yaxis"] = {**layout["yaxis"], "tickprefix": "£"}
    annotations: list[dict] = []
    shapes: list[dict] = []
    traces: list[dict] = []

    for k, seg in enumerate(result.segments):
        seg_traces, seg_notes = _segment_lines(
            seg, labels, positions, unit, latest=k == len(result.segments) - 1
        )
        traces.extend(seg_traces)
        annotations.extend(seg_notes)
        if seg.starts_at_discontinuity:
            period = result.periods[seg.start]
            reason = (discontinuity_labels or {}).get(period, "Limits recalculated")
            x = positions[seg.start] - 0.5
            shapes.append(vertical_rule(x, DARK_GREY, 1.5))
            annotations.append(
                {
                    "x": x,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "text": f"{reason} ({_display(period)})",
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "font": {"color": DARK_GREY},
                }
            )

    if shapes:  # a break's label has a row above the plot, below the title (in the middle of
        # the top margin: half the added room goes between them)
        layout["margin"]["t"] += BREAK_ROW_PX

    if result.target is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": labels,
                "y": [result.target] * len(labels),
                "name": f"Target {format_value(result.target, unit)}",
                "line": {"color": LIGHT_PURPLE, "dash": "dashdot", "width": 2},
                "hoverinfo": "name",
                "showlegend": False,
            }
        )
        annotations.append(
            {
                "x": labels[-1],
                "y": result.target,
                "text": f"Target {format_value(result.target, unit)}",
                "showarrow": False,
                "xanchor": "left",
                "xshift": 8,
                "yshift": 10,
                "font": {"color": DARK_GREY},
            }
        )

    if context:
        judged = set(result.periods)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [_display(p) for p, _ in context],
                "y": [v for _, v in context],
                "name": "Every published value",
                "line": {"color": DARK_GREY, "width": 1, "dash": "dot"},
                "marker": {"symbol": NOT_JUDGED_SYMBOL, "size": 6, "color": DARK_GREY},
                "text": [
                    f"{_display(p)}: {format_value(v, unit)}"
                    + ("" if p in judged else f"<br>{NOT_JUDGED.capitalize()}")
                    for p, v in context
                ],
                "hoverinfo": "text",
                "showlegend": False,
            }
        )
    # the series: None at missing quarters so the line is not drawn across a gap
    ys: list[float | None] = [None] * len(labels)
    hover: list[str] = [f"{label}: no value" for label in labels]
    drawn = list(range(len(labels)))
    if context:  # only the judged points and their missing ones, joined in order
        missing_at = {_display(a) for gap in result.gaps for a in gap.missing}
        drawn = sorted({*positions, *(k for k, label in enumerate(labels) if label in missing_at)})
    for i, (pos, value) in enumerate(zip(positions, result.values, strict=True)):
        ys[pos] = value
        text = f"{labels[pos]}: {format_value(value, unit)}"
        if context:
            text += "<br>Judged against the limits"
        if result.signals_at(i):
            text += f"<br>{_signal_text(result, i)}"
        hover[pos] = text
    traces.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": [labels[k] for k in drawn],
            "y": [ys[k] for k in drawn],
            "name": "Judged value" if context else "Value",
            "connectgaps": False,
            "line": {"color": DARK_BLUE, "width": 2},
            "marker": {"symbol": POINT_SYMBOL, "size": 8, "color": DARK_BLUE},
            "text": [hover[k] for k in drawn],
            "hoverinfo": "text",
            "showlegend": False,
        }
    )

    # signal points drawn on top, one trace per meaning so each has its own shape and colour
    by_meaning: dict[str, list[int]] = {}
    for i in range(len(result.values)):
        meaning = _point_meaning(result, i, improvement)
        if meaning is not None:
            by_meaning.setdefault(meaning, []).append(i)
    for meaning, indices in by_meaning.items():
        symbol, colour = SIGNAL_STYLE[meaning]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [labels[positions[i]] for i in indices],
                "y": [result.values[i] for i in indices],
                "name": SIGNAL_LEGEND_WORDS[meaning],
                "marker": {
                    "symbol": symbol,
                    "size": 13,
                    "color": colour,
                    "line": {"color": DARK_GREY, "width": 1},
                },
                "text": [
                    f"{labels[positions[i]]}: {format_value(result.values[i], unit)}<br>"
                    f"{SIGNAL_LEGEND_WORDS[meaning].capitalize()}: {_signal_text(result, i)}"
                    for i in indices
                ],
                "hoverinfo": "text",
                "showlegend": False,
            }
        )

    layout["annotations"] = annotations
    layout["shapes"] = shapes
    _few_ticks(layout, labels)
    return pin_category_positions({"data": traces, "layout": layout})


def _few_ticks(layout: dict, labels: list[str]) -> None:
    """A long series labels at most MAX_TICKS periods (WIDE_TICKS of one wide word: tick_room),
    counted back from the latest, level,
    with "12 months to" said once in the axis title: dozens of upright labels leave no room
    for the chart (every point keeps its hover label and its row in the table)."""
    prefix = "12 months to "
    rolling = all(label.startswith(prefix) for label in labels)
    most = tick_room([label.removeprefix(prefix) if rolling else label for label in labels])
    if len(labels) <= most:
        return
    shown = tick_positions(len(labels), most)
    layout["xaxis"].update(
        {
            "tickmode": "array",
            "tickvals": shown,
            "ticktext": [
                two_line_tick(labels[i].removeprefix(prefix) if rolling else labels[i])
                for i in shown
            ],
            "tickangle": 0,
            "title": {"text": "Twelve months ending" if rolling else ""},
        }
    )


def xmr_alt_text(
    result: XmrResult,
    metric: str,
    verdict: str,
    unit: str = "count",
    context: Context | None = None,
) -> str:
    """A text alternative: what is plotted, the latest value and limits, and the series' verdict
    (the view model's :attr:`~dashboard.views.metric.MetricView.verdict`, not worked out here).
    With ``context`` (every point of a series judged on some), it says how many are judged."""
    if not result.values:
        return f"Chart of {metric}: no data. {verdict}."
    word = result.point_word
    first, last = _display(result.periods[0]), _display(result.periods[-1])
    if context:
        text = (
            f"Chart of {metric} from {_display(context[0][0])} to {_display(context[-1][0])} "
            f"({len(context)} values, of which {len(result.values)} are judged: one a "
            f"{word}, from {first} to {last}, shown as filled circles; the others as hollow "
            f"circles). Latest {format_value(result.values[-1], unit)}"
        )
    else:
        text = (
            f"Chart of {metric} from {first} to {last} ({len(result.values)} {word}s). "
            f"Latest {format_value(result.values[-1], unit)}"
        )
    seg = result.latest
    if seg is not None and seg.judged:
        assert seg.centre is not None and seg.lower is not None and seg.upper is not None
        trial = "trial " if seg.trial else ""
        text += (
            f"; mean {format_value(seg.centre, unit)}, {trial}process limits "
            f"{format_value(seg.lower, unit)} to {format_value(seg.upper, unit)}"
        )
    return f"{text}. {verdict}."


def xmr_table_rows(
    result: XmrResult, unit: str = "count", context: Context | None = None
) -> list[dict[str, str]]:
    """Rows for a real <table> alternative: period, value, centre, lower, upper, signal (and,
    with ``context``, every point in time order with "judged": "yes" or "no").

    Missing quarters appear as rows saying so; segments with too few points have no limits ("–").
    """
    if context:
        return _context_rows(result, unit, context)
    rows: list[dict[str, str]] = []
    missing_before = {gap.before: gap.missing for gap in result.gaps}
    dash = "–"
    for i, (period, value) in enumerate(zip(result.periods, result.values, strict=True)):
        for absent in missing_before.get(period, ()):
            rows.append(
                {
                    "period": _display(absent),
                    "value": dash,
                    "centre": dash,
                    "lower": dash,
                    "upper": dash,
                    "signal": "missing: no value published",
                }
            )
        seg = result.segment_of(i)
        judged = seg.judged and seg.centre is not None
        signal = "; ".join(
            f"{SIGNAL_LEGEND_WORDS[s.meaning]}: {describe_signal(s, result)}"
            for s in result.signals_at(i)
        )
        rows.append(
            {
                "period": _display(period),
                "value": format_value(value, unit),
                "centre": format_value(seg.centre, unit) if judged else dash,  # type: ignore[arg-type]
                "lower": format_value(seg.lower, unit) if judged else dash,  # type: ignore[arg-type]
                "upper": format_value(seg.upper, unit) if judged else dash,  # type: ignore[arg-type]
                "signal": signal,
            }
        )
    return rows


def _context_rows(result: XmrResult, unit: str, context: Context) -> list[dict[str, str]]:
    """Every point in time order (and each missing judged one in its place); the judged ones
    with their limits and signals."""
    judged = {row["period"]: row for row in xmr_table_rows(result, unit)}
    values = dict(context)
    missing = {absent for gap in result.gaps for absent in gap.missing}
    dash = "–"
    rows: list[dict[str, str]] = []
    for period in sorted(set(values) | missing, key=str):
        label = _display(period)
        if label in judged:
            row = judged[label]
            rows.append({**row, "judged": "yes" if period in values else "yes (no value)"})
            continue
        rows.append(
            {
                "period": label,
                "value": format_value(values[period], unit),
                "judged": "no",
                "centre": dash,
                "lower": dash,
                "upper": dash,
                "signal": NOT_JUDGED,
            }
        )
    return rows
