"""The slides' and the PDF's charts: labels never touch, nothing leaves the picture, values are
written as the dashboard writes them. Boxes are measured with the font's own widths."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from dashboard.figures.svg import Label, chart_svg, overlaps
from dashboard.formatting import format_value
from dashboard.views import views_of
from dashboard.views.points import Point

NS = "{http://www.w3.org/2000/svg}"


def labels_of(svg: str) -> tuple[list[Label], tuple[float, float]]:
    root = ET.fromstring(svg)
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    found = [
        Label(
            float(t.get("x")),
            float(t.get("y")),
            t.text,
            float(t.get("font-size")),
            t.get("font-weight") == "bold",
            t.get("text-anchor"),
        )
        for t in root.iter(f"{NS}text")
    ]
    return found, (width, height)


def check(svg: str) -> list[str]:
    labels, (width, height) = labels_of(svg)
    for a, b in ((a, b) for i, a in enumerate(labels) for b in labels[i + 1 :]):
        assert not overlaps(a, b), (a.text, b.text)
    for label in labels:
        left, top, right, bottom = label.box
        assert left >= 0 and right <= width and top >= 0 and bottom <= height, label
    return [label.text for label in labels]


def rolling(n: int) -> list[Point]:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return [
        Point(f"12 months to {months[i % 12]} {2015 + i // 12}", 40 + (i % 5) * 1.7)
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [3, 5, 8, 13, 24])
@pytest.mark.parametrize(
    ("width", "height", "font"), [(40, 12, 1.3), (42, 13, 2.08), (40, 19, 1.3)]
)
def test_a_long_trend_in_a_small_box_keeps_its_labels_apart(n, width, height, font):
    texts = check(
        chart_svg(rolling(n), "percent_change", "trend", width=width, height=height, font=font)
    )
    assert texts[-1] == "Twelve months ending"
    # The first and last values are always written.
    points = rolling(n)
    first, last = (format_value(p.value, "percent_change") for p in (points[0], points[-1]))
    assert first in texts and last in texts


def test_every_series_in_the_data_draws_cleanly_at_slide_sizes(bundled_dataset):
    vm = views_of(bundled_dataset)
    drawn = 0
    for metric_id, area_id, basis in vm.index.series_keys():
        view = vm.metric_view(metric_id, area_id, None, basis)
        if len(view.points) < 2:
            continue
        for font, height in ((1.3, 12), (2.08, 13)):
            check(chart_svg(view.points, view.unit, view.kind, width=40, height=height, font=font))
            drawn += 1
    assert drawn > 10


def test_values_have_the_titles_decimals():
    points = [
        Point("12 months to Dec 2018", 46.4),
        Point("12 months to Feb 2019", 46.3),
        Point("12 months to Apr 2019", 43.8),
    ]
    texts = check(chart_svg(points, "percent_change", "trend", width=40, height=16))
    assert {"46.4%", "46.3%", "43.8%"} <= set(texts)
    bars = check(
        chart_svg(
            [Point("2018/19 Q4", 72401), Point("2019/20 Q4", 82344)],
            "count",
            "comparison",
            width=40,
            height=16,
        )
    )
    assert {"72,401", "82,344", "2018/19 Q4", "2019/20 Q4"} <= set(bars)


def test_text_from_the_data_cannot_become_markup():
    svg = chart_svg(
        [Point("<script>x</script>", 1), Point("b&c", 2)],
        "count",
        "comparison",
        width=40,
        height=16,
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert re.search(r"b&amp;c", svg)
