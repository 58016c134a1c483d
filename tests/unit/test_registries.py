"""Each extension point is one registry line: a made-up entry added to the registry alone
appears everywhere it should (the CLI, recognition and dispatch, the docs' list)."""

from __future__ import annotations

import contextlib
import io
import sys
import types
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.publishers import Catalogue, Published, read_published, recognise, registry

REPO = Path(__file__).resolve().parents[2]
PUBLISHED_README = REPO / "data" / "published" / "README.md"

FAKE_MARK = "FAKE PUBLISHER TABLE v1"


def _fake_module() -> types.ModuleType:
    """A publisher module as a new file would be: recognise(path), read(path, catalogue, ...)."""
    module = types.ModuleType("fake_publisher_for_tests")

    def recognise(path: Path) -> bool:
        return path.read_text(encoding="utf-8", errors="replace").startswith(FAKE_MARK)

    def read(path: Path, catalogue: Catalogue, *, published: str | None = None) -> Published:
        return Published(path.name, "fake-publisher", source_ids=[f"fake {published or '-'}"])

    module.recognise = recognise  # type: ignore[attr-defined]
    module.read = read  # type: ignore[attr-defined]
    return module


@pytest.fixture
def fake_publisher(monkeypatch):
    monkeypatch.setitem(sys.modules, "fake_publisher_for_tests", _fake_module())
    fake = registry.Publisher(
        "fake-publisher",
        "a made-up test table",
        "text (.txt)",
        "A publisher that exists only in this test",
        "fake_publisher_for_tests",
    )
    monkeypatch.setattr(registry, "REGISTRY", (*registry.REGISTRY, fake))
    return fake


def _import_help() -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.build_parser().parse_args(["import", "--help"])
    return " ".join(out.getvalue().split())


def test_a_publisher_added_to_the_registry_alone_is_offered_recognised_and_read(
    fake_publisher, tmp_path
):
    # the CLI: `import --as fake-publisher` is accepted and listed in the help
    args = cli.build_parser().parse_args(["import", "--as", "fake-publisher", "x.txt"])
    assert args.kind == "fake-publisher"
    assert "fake-publisher" in _import_help()
    assert "a made-up test table" in _import_help()
    # recognition from content, and dispatch by name or by recognition
    table = tmp_path / "anything.txt"
    table.write_text(FAKE_MARK + "\nrow,1\n", encoding="utf-8")
    assert recognise(table) == "fake-publisher"
    assert recognise(REPO / "data" / "observations.csv") is None
    read = read_published(table, Catalogue(), published="2026-01")
    assert (read.kind, read.source_ids) == ("fake-publisher", ["fake 2026-01"])
    named = read_published(REPO / "data" / "areas.csv", Catalogue(), kind="fake-publisher")
    assert named.kind == "fake-publisher"
    # the docs' list
    assert "| `fake-publisher` | text (.txt) | A publisher that exists only in this test |" in (
        registry.docs_list()
    )


def test_without_the_line_the_cli_refuses_the_name():
    with contextlib.redirect_stderr(io.StringIO()), pytest.raises(SystemExit):
        cli.build_parser().parse_args(["import", "--as", "fake-publisher", "x.txt"])
    unknown = read_published(REPO / "data" / "areas.csv", Catalogue(), kind="fake-publisher")
    assert not unknown.ok
    assert "ons-pfa, home-office-workforce" in str(unknown.errors[0])


def test_the_real_publishers_are_in_the_cli_and_the_docs():
    help_text = _import_help()
    for name in ("ons-pfa", "home-office-workforce"):
        assert name in help_text
    text = PUBLISHED_README.read_text(encoding="utf-8")
    assert registry.with_docs_list(text) == text, (
        "data/published/README.md's publishers list is stale: run "
        ".venv/bin/python -m dashboard.publishers.registry data/published/README.md"
    )


# ------------------------------------------------------------------------------- chart kinds


def _fake_chart_module() -> types.ModuleType:
    """A chart kind's module as a new file would be: its screen figure, SVG marks and
    PowerPoint marks."""
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION

    from dashboard.export.deck import PptxMarks
    from dashboard.figures.svg import Label

    module = types.ModuleType("fake_chart_for_tests")

    def figure(points, unit, title, *, basis="", breaks=()):
        return {"data": [{"type": "scatter", "mode": "markers", "name": "fake dots"}]}

    def marks(frame):
        step = (frame.right - frame.left) / (len(frame.values) - 1)
        xs = [frame.left + step * i for i in range(len(frame.values))]
        dots = [
            f'<circle class="fake-dot" cx="{x}" cy="{frame.y(v):.1f}" r="3"/>'
            for x, v in zip(xs, frame.values, strict=True)
        ]
        return xs, dots, [Label(xs[-1], 10, frame.texts[-1], frame.font)]

    module.figure = figure  # type: ignore[attr-defined]
    module.svg = marks  # type: ignore[attr-defined]
    module.pptx = PptxMarks(  # type: ignore[attr-defined]
        XL_CHART_TYPE.BAR_CLUSTERED, XL_LABEL_POSITION.INSIDE_END, lambda plot, series, chart: None
    )
    return module


@pytest.fixture
def fake_chart_kind(monkeypatch):
    from dashboard.views import chart_kinds

    monkeypatch.setitem(sys.modules, "fake_chart_for_tests", _fake_chart_module())
    fake = chart_kinds.ChartKind(
        "fake-dots",
        6,
        screen="fake_chart_for_tests:figure",
        svg="fake_chart_for_tests:svg",
        pptx="fake_chart_for_tests:pptx",
    )
    monkeypatch.setattr(chart_kinds, "REGISTRY", (*chart_kinds.REGISTRY, fake))
    return fake


def test_a_chart_kind_added_to_the_registry_alone_is_chosen_and_drawn_everywhere(
    fake_chart_kind, bundled_dataset
):
    import copy

    from pptx import Presentation

    from dashboard.export.deck import add_chart
    from dashboard.figures.svg import chart_svg
    from dashboard.pages.common import metric_chart
    from dashboard.views import Chart, Point, chart_kind, views_of

    points = [Point(f"Q{i}", float(i)) for i in range(1, 8)]
    assert chart_kind(points[:2]) == "comparison"  # the registered kinds keep their counts
    assert chart_kind(points[:5]) == "trend"
    assert chart_kind(points) == "fake-dots"  # six or more: the new kind
    # SVG (meeting mode, the PDF): the kind's marks inside the common frame and period labels
    svg = chart_svg(points, "count", "fake-dots", width=40, height=16)
    assert svg.count('class="fake-dot"') == 7 and ">Q1<" in svg
    # PowerPoint: the kind's chart type and label position
    chart = Chart("m", "fake-dots", "t", "summary", "v", "count", points, "Quarterly", "Essex")
    slide = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    frame = add_chart(slide, chart, 0, 0, 4000000, 3000000, "t")
    assert "BAR_CLUSTERED" in str(frame.chart.chart_type)
    # the screen: a metric with six or more values is drawn with the kind's figure
    vm = views_of(copy.copy(bundled_dataset))  # a view model whose chart cache is its own
    views = [vm.metric_view(m, None, None) for m in bundled_dataset.metrics["metric_id"]]
    view = next(v for v in views if len(v.points) >= 6)
    assert view.kind == "fake-dots"
    drawn = metric_chart(vm, view, "chart-x")
    assert "fake dots" in str(drawn.to_plotly_json())
