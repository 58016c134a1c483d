"""Numbers as people write them: 82,344; £5.4m; 11.2%; 48,144 hours.

One place for formatting, so a card, a chart label, a slide and a PDF say the same thing.
"""

from __future__ import annotations

import math


def format_number(value: float, decimals: int | None = None) -> str:
    """Thousands separators; whole numbers without decimals; others to one decimal place."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return f"{value:,.{decimals}f}"


def format_money(value: float) -> str:
    """£5.4m, £100,000, £2bn: how the reports write money."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e9:
        return f"{sign}£{value / 1e9:,.1f}bn".replace(".0bn", "bn")
    if value >= 1e6:
        return f"{sign}£{value / 1e6:,.1f}m".replace(".0m", "m")
    return f"{sign}£{format_number(value)}"


def format_value(value: float, unit: str, *, with_unit: bool = False) -> str:
    """A value in its unit: count 82,344; percent 11.2%; gbp £5.4m; hours 48,144 (hours)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit in ("percent", "percent_change"):
        return f"{format_number(value)}%"
    if unit == "gbp":
        return format_money(value)
    text = format_number(value)
    if with_unit and unit == "hours":
        return f"{text} hours"
    return text


def format_percent_change(percent: float) -> str:
    """A percentage change without its sign, to one decimal place: 13.7%, 1.2%, 20%."""
    return f"{abs(percent):,.1f}%".replace(".0%", "%")
