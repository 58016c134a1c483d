"""The district map (dashboard/figures/district_map.py) and the monthly line with gaps
(dashboard/figures/monthly.py): what a person sees on them."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.figures.district_map import ATTRIBUTION, MapArea, district_map, district_shapes
from dashboard.figures.monthly import monthly_figure, monthly_rows

ROOT = Path(__file__).resolve().parents[2]
GEOJSON = ROOT / "assets" / "geo" / "essex-districts.geojson"
#: The 12 districts and two unitaries of the Essex police force area (the source README's list;
#: ONS codes as in boundaries/topo_lad.json and the ONS lookup's 14 Essex rows).
CODES = {f"E070000{n}" for n in range(66, 78)} | {"E06000033", "E06000034"}


def test_bundled_boundaries_are_the_14_districts_small_and_attributed():
    collection = json.loads(GEOJSON.read_text(encoding="utf-8"))
    assert {f["id"] for f in collection["features"]} == CODES
    names = {f["properties"]["name"] for f in collection["features"]}
    assert {"Southend-on-Sea", "Thurrock", "Uttlesford", "Harlow"} <= names
    assert GEOJSON.stat().st_size < 80_000  # tens of KB, not the 1 MB source
    assert "Ordnance Survey" in collection["attribution"]
    licence = " ".join(
        (GEOJSON.parent / "LICENCE.md").read_text(encoding="utf-8").replace(">", "").split()
    )
    assert "CC BY 4.0" in licence or "Creative Commons Attribution 4.0" in licence
    assert "Contains Ordnance Survey data © Crown copyright and database right" in licence
    assert "Crown copyright" in ATTRIBUTION and "CC BY 4.0" in ATTRIBUTION
    # Recognisable: every district keeps a real outline (not a triangle).
    for code, rings in district_shapes().items():
        assert sum(len(r) for r in rings) >= 25, code
    # Essex lies between about 0.02 degrees west and 1.3 east, 51.4 and 52.1 north.
    lons = [p[0] for rings in district_shapes().values() for r in rings for p in r]
    lats = [p[1] for rings in district_shapes().values() for r in rings for p in r]
    assert -0.1 < min(lons) < 0.1 and 1.2 < max(lons) < 1.35
    assert min(lats) > 51.4 and max(lats) < 52.1


def test_map_names_and_values_every_district_as_text_with_a_titled_legend():
    areas = [
        MapArea(code, f"District {code[-2:]}", float(i), f"{i}.0")
        for i, code in enumerate(sorted(CODES))
    ]
    areas[0] = MapArea(areas[0].code, "Small one", 3.0, "3", small=True)
    areas[1] = MapArea(areas[1].code, "No data", None, "")
    figure = district_map(areas, "A title", "Per 1,000 people")
    # No geo subplot (the page's plotly bundle has none and it would fetch a base map).
    assert all(trace["type"] == "scatter" for trace in figure["data"])
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert len(texts) == 14
    assert "<b>District 71</b><br>" in "".join(texts)
    assert any("Small one" in t and "fewer than 10" in t for t in texts)
    assert any("No data" in t and "no figure" in t for t in texts)
    bar = next(t for t in figure["data"] if t.get("marker", {}).get("showscale"))
    assert bar["marker"]["colorbar"]["title"]["text"] == "Per 1,000 people"
    # The small district is grey, not on the scale; the others are shades of the scale.
    fills = {t["name"]: t["fillcolor"] for t in figure["data"] if t.get("fill") == "toself"}
    assert fills["Small one"] == "#D9D9D9" and fills["No data"] == "#FFFFFF"
    assert len({fills[n] for n in fills if n.startswith("District")}) == 12
    assert figure["layout"]["yaxis"]["scaleanchor"] == "x"


def test_monthly_line_has_gaps_for_missing_months_and_the_table_says_so():
    held = {"2018-06": 10.0, "2018-07": 12.0, "2018-10": 9.0}
    months = ["2018-06", "2018-07", "2018-08", "2018-09", "2018-10"]
    figure = monthly_figure(months, held, "Title", basis="police.uk counts")
    line = figure["data"][0]
    assert line["y"] == [10.0, 12.0, None, None, 9.0]
    assert line["connectgaps"] is False
    band = figure["layout"]["shapes"][0]
    assert (band["x0"], band["x1"]) == ("2018-08-01", "2018-10-01")
    assert "police.uk counts" in figure["layout"]["title"]["text"]
    assert monthly_rows(months, held, "count")[2:4] == [
        ["Aug 2018", "not in the data"],
        ["Sep 2018", "not in the data"],
    ]
