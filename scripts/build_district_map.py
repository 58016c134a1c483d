"""Build the district map's boundaries: the 14 Essex districts and unitaries as a small GeoJSON.

    python scripts/build_district_map.py [TOPOJSON] [OUT]

Reads Martin Chorley's UK-GeoJSON ``topo_lad.json`` (TopoJSON: quantised, delta-encoded arcs
and a ``transform``; CC BY 4.0, with the Ordnance Survey notice that must travel with it: see
``../shared/sources/local/boundaries/licence.ons.md``), keeps the 14 geometries whose
``LAD13CD`` is an Essex district or unitary, and writes a GeoJSON FeatureCollection keyed by
ONS code (``id`` and ``properties.code``, with ``properties.name`` as the file gives it).

Simplification is done on the *arcs*, before rings are assembled, so two districts that share a
border share exactly the same simplified line (no slivers or gaps). Each arc keeps its two ends
and the points Douglas-Peucker keeps at ``TOLERANCE`` degrees (about 100 m east-west at Essex's
latitude); coordinates are rounded to 4 decimals (about 10 m). The result is for display only,
as the source's own generalised boundaries are. The default output is
``assets/geo/essex-districts.geojson``, beside its licence (``assets/geo/LICENCE.md``).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "sources" / "local" / "boundaries" / "topo_lad.json"
DEFAULT_OUT = ROOT / "assets" / "geo" / "essex-districts.geojson"

#: The 12 districts (E07000066-E07000077) and the two unitaries of the Essex police force area.
ESSEX_CODES = tuple(f"E070000{n}" for n in range(66, 78)) + ("E06000033", "E06000034")
TOLERANCE = 0.0015  # degrees
DECIMALS = 4
MAX_SOURCE_BYTES = 20_000_000


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc in longitude/latitude: the quantised deltas summed, then the transform."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(position[0]), float(position[1])))
        arcs.append(points)
    return arcs


def _distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from p to the segment a-b, with longitude scaled by cos(latitude)."""
    k = math.cos(math.radians(a[1]))
    px, ax, bx = p[0] * k, a[0] * k, b[0] * k
    dx, dy = bx - ax, b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, p[1] - a[1])
    t = max(0.0, min(1.0, ((px - ax) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), p[1] - (a[1] + t * dy))


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iteratively; both ends are always kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring(arc_ids: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """A closed ring from TopoJSON arc references (a negative id is arc ~id reversed)."""
    out: list[tuple[float, float]] = []
    for ref in arc_ids:
        points = arcs[ref] if ref >= 0 else list(reversed(arcs[~ref]))
        out.extend(points if not out else points[1:])
    coords = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in out]
    deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    if deduped[0] != deduped[-1]:
        deduped.append(deduped[0])
    return deduped


def build(topology: dict, tolerance: float = TOLERANCE) -> dict:
    arcs = [simplify(a, tolerance) for a in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["lad"]["geometries"]:
        code = geometry["properties"]["LAD13CD"]
        if code not in ESSEX_CODES:
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        shapes = []
        for polygon in polygons:
            rings = [ring(r, arcs) for r in polygon]
            if len(rings[0]) >= 4:  # an island simplified to a line is dropped
                shapes.append([r for r in rings if len(r) >= 4])
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": geometry["properties"]["LAD13NM"]},
                "geometry": {"type": "MultiPolygon", "coordinates": shapes},
            }
        )
    features.sort(key=lambda f: f["id"])
    found = {f["id"] for f in features}
    missing = sorted(set(ESSEX_CODES) - found)
    if missing:
        raise SystemExit(f"not in the TopoJSON: {', '.join(missing)}")
    return {
        "type": "FeatureCollection",
        "attribution": (
            "Boundaries: UK-GeoJSON by Martin Chorley (github.com/martinjc/UK-GeoJSON), CC BY 4.0, "
            "simplified. Contains Ordnance Survey data © Crown copyright and database right 2014."
        ),
        "features": features,
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    if source.stat().st_size > MAX_SOURCE_BYTES:
        raise SystemExit(f"{source}: larger than {MAX_SOURCE_BYTES:,} bytes; not read")
    topology = json.loads(source.read_text(encoding="utf-8"))
    collection = build(topology)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(
        len(r)
        for f in collection["features"]
        for polygon in f["geometry"]["coordinates"]
        for r in polygon
    )
    print(
        f"{out}: {len(collection['features'])} districts, {points} points, {out.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
