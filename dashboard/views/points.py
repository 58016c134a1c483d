"""A point of a series as every view shows it, and which display fits a number of points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .chart_kinds import kind_for


@dataclass(frozen=True)
class Point:
    label: str  # period for people: "2019/20 Q4", "2019", "12 months to Dec 2019"
    value: float
    end: dt.date | None = None  # last day of the period: places the point in time on a trend


def chart_kind(points: Sequence[Point], basis: str = "") -> str:
    """The registered kind for this many points on ``basis`` (:mod:`.chart_kinds`): 'none' for
    zero, 'card' for one, 'comparison' for two, 'trend' for three or more; 'monthly' for two or
    more calendar months."""
    return kind_for(len(points), basis).name
