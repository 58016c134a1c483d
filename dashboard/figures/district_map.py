"""The map of Essex's 14 districts, shaded by one measure, as a plain Plotly figure dict.

Why not ``go.Choropleth``: the page ships plotly.js's "basic" bundle (scatter, bar, pie; see
assets/README.md), which has no geo traces, and a geo subplot would fetch its base map from a CDN
that the strict Content-Security-Policy (and an offline meeting room) refuses. A district is
therefore drawn as filled scatter polygons on plain axes, in an equirectangular projection at
Essex's latitude (longitude scaled by cos 51.8°), x and y locked to the same scale: no tiles, no
network, the bundle the pages already load, and the same figure prints and exports as an image.

Colour is never the only signal: every district carries its name and its value as text on the
map, the legend (a colour bar) has a title and numbered ticks, and the same figures are the
chart's table. The sequential scale runs from a light to the Government Analysis Function's dark
blue (one hue, light to dark: readable with any colour vision deficiency). Districts whose count
is too small to rank are drawn grey with "fewer than 10" instead of a shade; districts without a
figure are white with "no figure".

The boundaries are ``assets/geo/essex-districts.geojson`` (built by
scripts/build_district_map.py; licence and attribution in ``assets/geo/LICENCE.md``), read once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..resources import assets_dir
from .theme import BASE_FONT_SIZE, DARK_GREY, TEXT, base_layout, plotly_text

GEOJSON_NAME = "geo/essex-districts.geojson"
MAX_GEOJSON_BYTES = 1_000_000
#: Shown under every map (CC BY 4.0 and the Ordnance Survey notice the licence requires).
ATTRIBUTION = (
    "Boundaries: UK-GeoJSON by Martin Chorley (CC BY 4.0), simplified. Contains Ordnance Survey "
    "data © Crown copyright and database right 2014."
)
LATITUDE = 51.8  # Essex: the projection's standard parallel
#: Light to dark, one hue (ends at the palette's dark blue #12436D).
SCALE = ("#E8F1FA", "#B7D2EC", "#7AA8D6", "#3F76B0", "#12436D")
SMALL_FILL = "#D9D9D9"
NO_FIGURE_FILL = "#FFFFFF"
#: Label nudges (longitude, latitude in degrees): a label moved to the roomier part of its district.
LABEL_NUDGES: dict[str, tuple[float, float]] = {}
#: Districts too small for their label: it sits outside, this many pixels away, with a pointer.
LABEL_OFFSETS: dict[str, tuple[int, int]] = {
    "E07000073": (-70, -46),  # Harlow: north-west, outside the county
    "E06000033": (96, 40),  # Southend-on-Sea: south-east, over the estuary
    "E07000069": (-2, 96),  # Castle Point: south, over the Thames, below Southend's label
    "E07000075": (92, 6),  # Rochford: east, over the sea
    "E07000066": (-34, 92),  # Basildon: south, below Thurrock's label
    "E06000034": (-70, 34),  # Thurrock: south-west, over the Thames
}


class MapDataError(RuntimeError):
    """The bundled boundaries are missing or not what the map expects."""


@lru_cache(maxsize=1)
def district_shapes() -> dict[str, list[list[list[float]]]]:
    """Each district's outer rings (lon, lat), by ONS code, from the bundled GeoJSON."""
    path = assets_dir() / GEOJSON_NAME
    if not path.is_file() or path.stat().st_size > MAX_GEOJSON_BYTES:
        raise MapDataError(f"{path}: missing or larger than {MAX_GEOJSON_BYTES:,} bytes")
    collection = json.loads(path.read_text(encoding="utf-8"))
    shapes: dict[str, list[list[list[float]]]] = {}
    for feature in collection.get("features", []):
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        shapes[str(feature["id"])] = [polygon[0] for polygon in polygons]
    return shapes


@dataclass(frozen=True)
class MapArea:
    """One district as the map shows it."""

    code: str  # ONS code: the boundary's key
    name: str
    value: float | None  # the measure (None: no figure)
    text: str  # the value as people write it ("3.2"), shown on the map
    small: bool = False  # too few to rank: grey, "fewer than 10"


def _x(lon: float) -> float:
    return lon * math.cos(math.radians(LATITUDE))


def _ring_area_centre(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Area and centroid of a ring (shoelace, in projected units)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        a, b = _x(x0), _x(x1)
        cross = a * y1 - b * y0
        area += cross
        cx += (a + b) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, _x(ring[0][0]), ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def label_point(code: str) -> tuple[float, float]:
    """Where a district's name and value are written: its largest piece's centre."""
    rings = district_shapes()[code]
    _, x, y = max((_ring_area_centre(r) for r in rings), key=lambda t: t[0])
    dx, dy = LABEL_NUDGES.get(code, (0.0, 0.0))
    return x + _x(dx), y + dy


def shade(value: float, low: float, high: float) -> str:
    """The scale's colour for a value (linear between the scale's steps)."""
    t = 0.0 if high <= low else (value - low) / (high - low)
    t = min(1.0, max(0.0, t)) * (len(SCALE) - 1)
    i = min(int(t), len(SCALE) - 2)
    f = t - i
    a, b = SCALE[i], SCALE[i + 1]
    rgb = [round(int(a[k : k + 2], 16) * (1 - f) + int(b[k : k + 2], 16) * f) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in rgb)


def district_map(
    areas: Sequence[MapArea],
    title: str,
    legend_title: str,
    *,
    height: int = 640,
    value_format: str = ",.1f",
) -> dict:
    """The map: one filled shape per district, its name and value written on it, a titled
    colour bar. ``areas`` are the districts to draw (by ONS code); unknown codes are skipped."""
    shapes = district_shapes()
    shown = [a for a in areas if a.code in shapes]
    ranked = [a.value for a in shown if a.value is not None and not a.small]
    low, high = (min(ranked), max(ranked)) if ranked else (0.0, 1.0)
    if high == low:
        high = low + 1
    data: list[dict] = []
    label_x, label_y, label_text, label_codes = [], [], [], []
    for area in shown:
        if area.value is None:
            fill, words = NO_FIGURE_FILL, "no figure"
        elif area.small:
            fill, words = SMALL_FILL, f"{area.text} (fewer than 10)"
        else:
            fill, words = shade(area.value, low, high), area.text
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in shapes[area.code]:
            if xs:
                xs.append(None)
                ys.append(None)
            xs += [_x(lon) for lon, _ in ring]
            ys += [lat for _, lat in ring]
        name = plotly_text(area.name)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": fill,
                "line": {"color": DARK_GREY, "width": 1},
                "hoveron": "fills",
                "text": f"{name}: {plotly_text(words)}",
                "hoverinfo": "text",
                "name": name,
                "showlegend": False,
            }
        )
        x, y = label_point(area.code)
        label_x.append(x)
        label_y.append(y)
        label_text.append(f"<b>{name}</b><br>{plotly_text(words)}")
        label_codes.append(area.code)
    # Names and values as annotations on a pale box: readable on any shade, and the small
    # districts' labels sit outside them with a pointer (LABEL_OFFSETS).
    annotations = [
        {
            "x": x,
            "y": y,
            "xref": "x",
            "yref": "y",
            "text": text,
            "showarrow": code in LABEL_OFFSETS,
            "ax": LABEL_OFFSETS.get(code, (0, 0))[0],
            "ay": LABEL_OFFSETS.get(code, (0, 0))[1],
            "arrowcolor": TEXT,
            "arrowwidth": 1.5,
            "arrowhead": 0,
            "font": {"size": BASE_FONT_SIZE - 4, "color": TEXT},
            "bgcolor": "rgba(255,255,255,0.88)",
            "borderpad": 1,
        }
        for code, x, y, text in zip(label_codes, label_x, label_y, label_text, strict=True)
    ]
    # The legend: a colour bar carried by one invisible marker (scatter markers have one).
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": [label_x[0] if label_x else 0],
            "y": [label_y[0] if label_y else 0],
            "marker": {
                "size": 0.1,
                "opacity": 0,
                "color": [low],
                "cmin": low,
                "cmax": high,
                "colorscale": [[i / (len(SCALE) - 1), colour] for i, colour in enumerate(SCALE)],
                "showscale": True,
                "colorbar": {
                    "title": {"text": plotly_text(legend_title), "side": "right"},
                    "tickformat": value_format,
                    "outlinecolor": DARK_GREY,
                    "outlinewidth": 1,
                    "thickness": 18,
                    "len": 0.8,
                },
            },
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "",
        }
    )
    layout = base_layout(title, height=height)
    axis = {
        "visible": False,
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "automargin": False,
    }
    layout["xaxis"] = {**axis, "constrain": "domain"}
    layout["yaxis"] = {**axis, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"}
    layout["margin"].update({"l": 8, "r": 8, "b": 8})
    layout["hovermode"] = "closest"
    layout["dragmode"] = False
    layout["annotations"] = annotations
    return {"data": data, "layout": layout}
