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
