"""Two-point comparisons stated plainly: "down 2 (1.2%) on the same quarter last year".

A two-point comparison is what the quarterly reports use. It is never called a trend or
"significant": whether a change is signal or noise is the job of :mod:`dashboard.analysis.spc`.

Every card, export and slide takes its wording from here (one function per concept):

* :func:`change_between` - the numbers (absolute, percent, movement, assessment).
* :func:`describe_change` - the sentence fragment.
* :func:`direction_marker` - a glyph and word so direction never relies on colour alone.
* :func:`headline_comparisons` - previous quarter and same quarter last year for one series.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from dashboard.data.periods import PeriodError, parse_quarter
from dashboard.formatting import format_number, format_percent_change, format_value

Movement = Literal["up", "down", "same"]
Assessment = Literal["better", "worse", "same", "neutral"]

IMPROVEMENTS = ("up", "down", "neutral")

#: Phrases for the comparison keys returned by :func:`headline_comparisons`.
AGAINST_PHRASES = {
    "previous_quarter": "the previous quarter",
    "same_quarter_last_year": "the same quarter last year",
}

# Differences smaller than this (relative to the larger magnitude) are float noise, not change:
# 0.3 - 0.1 - 0.2 is not "down 0".
_REL_TOL = 1e-9


def check_improvement(improvement: str) -> str:
    """Validate a direction of improvement ("up", "down" or "neutral")."""
    if improvement not in IMPROVEMENTS:
        raise ValueError(
            f"direction of improvement {improvement!r} is not one of {', '.join(IMPROVEMENTS)}"
        )
    return improvement


@dataclass(frozen=True)
class Change:
    """The change from ``baseline`` to ``current``.

    ``percent`` is None when the baseline is 0 (no percentage of nothing). ``assessment`` says
    whether the movement is in the metric's better direction; a neutral metric is always
    "neutral", never better or worse.
    """

    current: float
    baseline: float
    absolute: float
    percent: float | None
    movement: Movement
    assessment: Assessment


def change_between(current: float, baseline: float, improvement: str) -> Change:
    """The change from ``baseline`` to ``current`` for a metric whose good direction is given."""
    check_improvement(improvement)
    current, baseline = float(current), float(baseline)
    if math.isnan(current) or math.isnan(baseline):
        raise ValueError("cannot compare a missing value; pass only values that exist")
    absolute = current - baseline
    if abs(absolute) <= _REL_TOL * max(abs(current), abs(baseline), 1.0):
        absolute = 0.0
    percent = None if baseline == 0 else absolute / abs(baseline) * 100
    movement: Movement = "up" if absolute > 0 else "down" if absolute < 0 else "same"
    assessment: Assessment
    if improvement == "neutral":
        assessment = "neutral"
    elif movement == "same":
        assessment = "same"
    else:
        assessment = "better" if movement == improvement else "worse"
    return Change(current, baseline, absolute, percent, movement, assessment)


def _against_phrase(against: str) -> str:
    return AGAINST_PHRASES.get(against, against)


def format_absolute_change(change: Change, unit: str) -> str:
    """The size of the change, without sign: "2", "£1.2m", "2.1 percentage points"."""
    size = abs(change.absolute)
    if unit in ("percent", "percent_change"):
        text = format_number(size)
        return f"{text} percentage point" + ("" if text == "1" else "s")
    return format_value(size, unit, with_unit=True)


def describe_change(change: Change, unit: str, against: str) -> str:
    """A plain fragment: "down 2 (1.2%) on the same quarter last year".

    ``against`` is a phrase ("the same quarter last year") or a key of :data:`AGAINST_PHRASES`.
    For a percentage metric the change is in percentage points only (a percentage change of a
    percentage confuses). With a baseline of 0 there is no percentage: "up 5 from 0 on ...".
    """
    phrase = _against_phrase(against)
    if change.movement == "same":
        return f"no change on {phrase}"
    size = format_absolute_change(change, unit)
    if unit in ("percent", "percent_change"):
        return f"{change.movement} {size} on {phrase}"
    if change.percent is None:
        return f"{change.movement} {size} from {format_value(0, unit)} on {phrase}"
    return f"{change.movement} {size} ({format_percent_change(change.percent)}) on {phrase}"


@dataclass(frozen=True)
class DirectionMarker:
    """Direction shown by shape and words, never by colour alone.

    ``glyph`` ("▲", "▼", "▬"), ``text`` ("▲ up"), ``icon`` (a Bootstrap Icons name a card can
    use), ``tone`` ("better", "worse", "same", "neutral": for a CSS class; neutral gets no
    red/green).
    """

    glyph: str
    text: str
    icon: str
    tone: Assessment


_GLYPHS = {"up": ("▲", "arrow-up"), "down": ("▼", "arrow-down"), "same": ("▬", "dash-lg")}


def direction_marker(change: Change) -> DirectionMarker:
    """▲ up / ▼ down / ▬ no change, plus the tone for styling."""
    glyph, icon = _GLYPHS[change.movement]
    word = "no change" if change.movement == "same" else change.movement
    return DirectionMarker(glyph, f"{glyph} {word}", icon, change.assessment)


def _normalised_index(series: pd.Series | Mapping[str, float]) -> dict[str, float]:
    values: dict[str, float] = {}
    for label, value in series.items():
        try:
            key = parse_quarter(str(label)).label
        except PeriodError:
            continue
        if value is None or pd.isna(value):
            continue
        values[key] = float(value)
    return values


def headline_comparisons(
    series: pd.Series | Mapping[str, float], quarter: str, improvement: str
) -> dict[str, Change | None]:
    """Changes on the previous quarter and the same quarter last year.

    ``series`` (a Series, or a mapping: the view model passes a dict) is indexed by quarter label (any spelling :func:`parse_quarter` reads). A comparison
    is None where the data have no value for the current quarter or for its baseline.
    """
    check_improvement(improvement)
    values = _normalised_index(series)
    target = parse_quarter(quarter)
    current = values.get(target.label)
    baselines = {
        "previous_quarter": target.previous.label,
        "same_quarter_last_year": target.year_earlier.label,
    }
    result: dict[str, Change | None] = {}
    for key, label in baselines.items():
        baseline = values.get(label)
        if current is None or baseline is None:
            result[key] = None
        else:
            result[key] = change_between(current, baseline, improvement)
    return result
