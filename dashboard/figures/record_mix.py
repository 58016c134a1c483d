"""Counts and shares of a whole as ranked horizontal bars (a district's police.uk records by
category, its crimes by last outcome): each bar's count and share written at its end, labels
wrapped so that long police.uk outcome names fit a narrow screen. The longest lists are cut to
their largest parts and one bar for the rest, named with how many parts it holds; the table
beside the chart lists every part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .district_bars import Bar, ranked_bars

#: Characters per line of a bar's label (police.uk outcomes run to 51 characters).
LABEL_WIDTH = 26


@dataclass(frozen=True)
class Part:
    label: str
    count: int
    percent: float


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """Plain text broken into lines of at most ``width`` characters at spaces (joined with
    "\\n"; :func:`mix_bars` turns them into line breaks after escaping)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def shown_parts(parts: Sequence[Part], top: int | None, rest_label: str) -> list[Part]:
    """The ``top`` largest parts and, when more remain, one part summing them, labelled
    ``rest_label`` with their number ("Other outcomes (19 kinds)")."""
    if top is None or len(parts) <= top + 1:
        return list(parts)
    rest = parts[top:]
    return [
        *parts[:top],
        Part(
            f"{rest_label} ({len(rest)} kinds)",
            sum(p.count for p in rest),
            sum(p.percent for p in rest),
        ),
    ]


def mix_bars(parts: Sequence[Part], title: str, axis_title: str) -> dict:
    """Bars of counts, most first, each written '1,234 (37.0%)'."""
    figure = ranked_bars(
        [
            Bar(wrap_label(p.label), float(p.count), f"{p.count:,} ({p.percent:.1f}%)", True)
            for p in parts
        ],
        title,
        axis_title,
    )
    trace = figure["data"][0]
    trace["y"] = [label.replace("\n", "<br>") for label in trace["y"]]
    lines = sum(label.count("<br>") + 1 for label in trace["y"])
    layout = figure["layout"]
    layout["margin"]["t"] += 12  # a gap between a title of three lines and the first bar
    layout["height"] = max(300, 142 + 24 * lines + 14 * len(parts))
    return figure
