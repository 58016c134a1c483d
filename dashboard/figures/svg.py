"""A chart as a small SVG picture, for meeting slides and the PDF pack.

Plotly draws its labels in pixels, so on a projector at 200 % zoom (or in a smaller box) they
printed over each other. Here the picture is drawn to a known box, in the slide's own units,
and scales as a whole: its text grows and shrinks with it and keeps its place. Every label is
placed with the font's measured widths (:mod:`dashboard.views.measure`), and one that would
touch another is left out (the value labels of a long trend keep the first and the last; the
period labels are thinned evenly), so no two labels ever overlap.

Comparisons (two to four values) are bars from zero with their values written on them; trends
(more values) are a line with markers. Values are written on the chart, so nothing depends on
colour or hover. The words for people who cannot see it (the alt text) are the chart's summary,
given by the page or the PDF beside the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..formatting import format_value
from ..views.chart_kinds import kind_named
from ..views.measure import text_width
from ..views.points import Point
from .theme import DARK_BLUE, MID_GREY, TEXT

#: Pixels per slide unit at 1920 px wide: the picture's own coordinates.
K = 19.2
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Palette:
    paper: str
    ink: str
    line: str
    bar: str
    earlier: str
    grid: str


PLAIN = Palette("#FFFFFF", TEXT, DARK_BLUE, DARK_BLUE, MID_GREY, "#BFBFBF")
CONTRAST = Palette("#000000", "#FFFFFF", "#FFDD00", "#FFDD00", "#BFBFBF", "#777777")


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float
    bold: bool = False
    anchor: str = "middle"

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the label's ink, roughly (ascent 0.8, descent 0.2)."""
        width = text_width(self.text, self.bold) * self.size
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return (left, self.y - 0.8 * self.size, left + width, self.y + 0.2 * self.size)


def overlaps(a: Label, b: Label, pad: float = 0.0) -> bool:
    al, at, ar, ab = a.box
    bl, bt, br, bb = b.box
    return al < br + pad and bl < ar + pad and at < bb + pad and bt < ab + pad


def _short(label: str) -> str:
    return label.removeprefix("12 months to ")


def _axis_note(points: Sequence[Point]) -> str:
    return "Twelve months ending" if all(p.label.startswith("12 months to") for p in points) else ""


def _thin(labels: list[Label], pad: float) -> list[Label]:
    """Every k-th label (first and last kept) for the smallest k at which none touch."""
    n = len(labels)
    for step in range(1, n + 1):
        keep = sorted({*range(0, n, step), n - 1})
        chosen = [labels[i] for i in keep]
        if all(not overlaps(a, b, pad) for a, b in zip(chosen, chosen[1:], strict=False)):
            return chosen
    return [labels[-1]]


def chart_svg(
    points: Sequence[Point],
    unit: str,
    kind: str,
    *,
    width: float,
    height: float,
    font: float = 1.3,
    contrast: bool = False,
) -> str:
    """The chart as an SVG document, ``width`` x ``height`` slide units, type ``font`` units."""
    colours = CONTRAST if contrast else PLAIN
    w, h, f = width * K, height * K, font * K
    values = [p.value for p in points]
    texts = [format_value(v, unit) for v in values]
    note = _axis_note(points)
    top = f * 1.5
    bottom = f * (1.6 + (1.3 if note else 0))
    widest = max(
        max(text_width(_short(p.label)) for p in points), max(text_width(t, True) for t in texts)
    )
    edge = widest * f / 2 + f * 0.3
    left, right = max(edge, f), w - max(edge, f)
    low = min(0.0, min(values))
    high = max(values) if max(values) > low else low + 1
    span = high - low

    def y(v: float) -> float:
        return top + (high - v) / span * (h - top - bottom)

    frame = Frame(points, values, texts, left, right, f, colours, y)
    xs, marks, value_labels = kind_named(kind).renderer("svg")(frame)
    base = y(0.0)
    shapes = [
        f'<line x1="{left - f * 0.3:.1f}" y1="{base:.1f}" x2="{right + f * 0.3:.1f}" '
        f'y2="{base:.1f}" stroke="{colours.ink}" stroke-width="2"/>',
        *marks,
    ]
    labels = list(value_labels)
    period_labels = [
        Label(x, base + f * 1.25, _short(p.label), f) for x, p in zip(xs, points, strict=True)
    ]
    labels += _thin(period_labels, f * 0.6)
    if note:
        labels.append(Label((left + right) / 2, h - f * 0.35, note, f))
    body = "".join(shapes) + "".join(_text(lab, colours.ink) for lab in labels)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" '
        f'width="{w:.0f}" height="{h:.0f}" font-family="{FONT}" role="img">'
        f'<rect width="100%" height="100%" fill="{colours.paper}"/>{body}</svg>'
    )


@dataclass(frozen=True)
class Frame:
    """What a kind's SVG marks are drawn in: the values, the plot's edges and vertical scale."""

    points: Sequence[Point]
    values: list[float]
    texts: list[str]  # each value as the dashboard writes it
    left: float
    right: float
    font: float  # type size, pixels
    colours: Palette
    y: Callable[[float], float]  # value -> pixels from the top


Marks = tuple[list[float], list[str], list[Label]]


def bars(frame: Frame) -> Marks:
    """Comparison marks: a bar from zero per value (the latest in the strong colour), each with
    its value written above it."""
    n, f, colours = len(frame.values), frame.font, frame.colours
    slot = (frame.right - frame.left) / n
    xs = [frame.left + slot * (i + 0.5) for i in range(n)]
    base, bar = frame.y(0.0), min(slot * 0.6, f * 6)
    shapes: list[str] = []
    labels: list[Label] = []
    for i, (x, v) in enumerate(zip(xs, frame.values, strict=True)):
        fill = colours.bar if i == n - 1 else colours.earlier
        top_y = min(frame.y(v), base)
        shapes.append(
            f'<rect x="{x - bar / 2:.1f}" y="{top_y:.1f}" width="{bar:.1f}" '
            f'height="{abs(base - frame.y(v)):.1f}" fill="{fill}" stroke="{colours.ink}" '
            'stroke-width="1.5"/>'
        )
        labels.append(Label(x, top_y - f * 0.35, frame.texts[i], f, bold=True))
    return xs, shapes, labels


def line(frame: Frame) -> Marks:
    """Trend marks: a line with a marker at each value; the value labels that fit (the first
    and the last always)."""
    n, f, colours, y = len(frame.values), frame.font, frame.colours, frame.y
    slot = (frame.right - frame.left) / max(n - 1, 1)
    xs = [frame.left + slot * i for i in range(n)] if n > 1 else [(frame.left + frame.right) / 2]
    path = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(xs, frame.values, strict=True))
    shapes = [
        f'<polyline points="{path}" fill="none" stroke="{colours.line}" stroke-width="{f * 0.18:.1f}"/>'
    ]
    for x, v in zip(xs, frame.values, strict=True):
        shapes.append(
            f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="{f * 0.28:.1f}" fill="{colours.line}"/>'
        )
    candidates = [
        Label(x, y(v) - f * 0.5, t, f, True)
        for x, v, t in zip(xs, frame.values, frame.texts, strict=True)
    ]
    return xs, shapes, _values_that_fit(candidates, f)


def _text(label: Label, ink: str) -> str:
    weight = ' font-weight="bold"' if label.bold else ""
    return (
        f'<text x="{label.x:.1f}" y="{label.y:.1f}" font-size="{label.size:.1f}" '
        f'text-anchor="{label.anchor}"{weight} fill="{ink}">{escape(label.text)}</text>'
    )


def _values_that_fit(candidates: list[Label], f: float) -> list[Label]:
    """Every value label if none touch; else the first and last, then any others that fit."""
    if all(not overlaps(a, b, f * 0.3) for a, b in zip(candidates, candidates[1:], strict=False)):
        return candidates
    chosen = [candidates[0], candidates[-1]] if len(candidates) > 1 else candidates[:1]
    for label in candidates[1:-1]:
        if all(not overlaps(label, other, f * 0.3) for other in chosen):
            chosen.append(label)
    return chosen
