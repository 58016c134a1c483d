"""Every sentence said about a metric's figures, from one function per concept.

The card, the chart title, the chart summary, the meeting slide and the exported pack all call
these, so the screen, the slide and the PDF say the same thing.
"""

from __future__ import annotations

from ..analysis.compare import Change, describe_change
from ..data.periods import BASIS_LABELS
from ..formatting import format_value
from .metric import Point

AGAINST = {
    "same_quarter_last_year": "the same quarter last year",
    "previous_quarter": "the previous quarter",
}


def short_label(label: str) -> str:
    """The metric label without a trailing '(ACRONYM)' so titles stay short."""
    return label.split(" (")[0] if label.endswith(")") else label


DIRECTION_OF_GOOD = {
    "up": "Higher is better",
    "down": "Lower is better",
    "neutral": "Neither higher nor lower is better: this measures demand or activity",
}


def comparison_phrase(change: Change, unit: str, against: str) -> str:
    """'down 2 (1.2%) on the same quarter last year'. A two-point change is stated plainly and
    never called an improvement on its own (the SPC verdict says whether it is signal or noise)."""
    return describe_change(change, unit, AGAINST.get(against, against))


def direction_of_good(metric: dict) -> str:
    return DIRECTION_OF_GOOD[metric["direction"]]


def chart_title(metric: dict, points: list[Point], comparisons: dict[str, Change | None]) -> str:
    """A title that says what the chart shows: 'Killed or seriously injured: down 2 on ...'."""
    name = short_label(metric["label"])
    if not points:
        return f"{name}: no figures published"
    latest = points[-1]
    yearly = comparisons.get("same_quarter_last_year")
    if yearly is not None:
        return f"{name}: {describe_change(yearly, metric['unit'], 'the same quarter last year')}"
    if len(points) >= 2:
        first = points[0]
        return (
            f"{name}: {format_value(latest.value, metric['unit'])} in {latest.label}, "
            f"from {format_value(first.value, metric['unit'])} in {first.label}"
        )
    return f"{name}: {format_value(latest.value, metric['unit'], with_unit=True)} in {latest.label}"


def chart_summary(
    metric: dict,
    points: list[Point],
    comparisons: dict[str, Change | None],
    area_name: str,
    basis: str,
) -> str:
    """One plain-English line for screen readers and for people who skip the chart."""
    unit = metric["unit"]
    name = short_label(metric["label"])
    if not points:
        return f"No figures for {name.lower()} in {area_name} on this basis."
    latest = points[-1]
    parts = [
        f"{name} in {area_name}: {format_value(latest.value, unit, with_unit=True)} in {latest.label}"
        f" ({BASIS_LABELS.get(basis, basis)})"
    ]
    said = False
    for key in ("same_quarter_last_year", "previous_quarter"):
        change = comparisons.get(key)
        if change is not None:
            parts.append(comparison_phrase(change, unit, key))
            said = True
    if not said and len(points) >= 2:
        low = min(points, key=lambda p: p.value)
        high = max(points, key=lambda p: p.value)
        parts.append(
            f"{len(points)} values from {points[0].label} to {latest.label}, lowest "
            f"{format_value(low.value, unit)} ({low.label}), highest {format_value(high.value, unit)} ({high.label})"
        )
    if len(points) == 2 and not said:
        parts.append("two values are a comparison, not a trend")
    return "; ".join(parts) + "."
