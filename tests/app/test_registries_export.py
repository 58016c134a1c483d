"""A pack format added to ``export/formats.py`` alone (a made-up one, registered by this test)
appears in ``pcp-dashboard export``, every "Download pack" line (the pages' menus, the meeting
builder's and meeting mode's papers) and the download route, which serves the renderer's bytes
with the registered name and type."""

from __future__ import annotations

import contextlib
import copy
import io
import sys
import types

import pytest
from shell_helpers import SharedStore
from test_claims_areas_pages import links

from dashboard import cli
from dashboard.export import formats
from dashboard.shell import render_page

QUARTER = "2019-20-Q4"


def _fake_renderer(pack) -> bytes:
    """What a new renderer module would hold: the pack's title and quarter as plain text."""
    return f"FAKE {pack.title} | {pack.quarter} | {pack.area_id}\n".encode()


@pytest.fixture
def fake_format(monkeypatch):
    module = types.ModuleType("fake_export_for_tests")
    module.render = _fake_renderer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_export_for_tests", module)
    fake = formats.ExportFormat(
        "fake",
        "text/x-fake; charset=utf-8",
        "Fake text",
        "a made-up format that exists only in this test",
        "fake_export_for_tests:render",
    )
    monkeypatch.setattr(formats, "REGISTRY", (*formats.REGISTRY, fake))
    return fake


@pytest.fixture(scope="module")
def fresh_store(bundled_dataset):
    """The bundled data under a view model of its own: its page cache holds no page drawn
    before the fake format was registered (nor keeps one drawn with it)."""
    return SharedStore(copy.copy(bundled_dataset))


@pytest.fixture(scope="module")
def store(bundled_dataset):
    return SharedStore(bundled_dataset)


def _hrefs(store, path: str) -> dict[str, str]:
    update = render_page(store, path, f"?quarter={QUARTER}")
    return {href: text for text, href in links([update.head, update.body])}


def test_the_cli_offers_the_new_format(fake_format):
    args = cli.build_parser().parse_args(["export", "--format", "fake", "--out", "x.fake"])
    assert args.format == "fake"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--help"])
    assert "PDF, PowerPoint, Excel, CSV or Fake text" in " ".join(out.getvalue().split())


@pytest.mark.parametrize("path", ["/", "/priority/1", "/meeting", "/present"])
def test_every_download_line_links_the_new_format(fake_format, fresh_store, path):
    hrefs = _hrefs(fresh_store, path)
    fake = {h: t for h, t in hrefs.items() if h.startswith("/download/pack.fake?")}
    pdf = {h for h in hrefs if h.startswith("/download/pack.pdf?")}
    assert pdf, f"{path}: no pack links at all"
    # one fake link beside each PDF link, with the same query, named by the registry's label
    assert {h.replace(".fake?", ".pdf?") for h in fake} == pdf
    assert set(fake.values()) == {"Fake text"}


def test_the_route_serves_the_new_format(fake_format, tmp_path, bundled_data_dir):
    from dashboard.app import create_app
    from dashboard.config import Settings

    settings = Settings(data_dir=bundled_data_dir, cache_dir=tmp_path, reload_interval=3600)
    client = create_app(settings).server.test_client()
    response = client.get(f"/download/pack.fake?quarter={QUARTER}&area=south-lpa")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/x-fake; charset=utf-8"
    assert (
        "police-and-crime-plan-2019-20-q4-south-lpa.fake"
        in (response.headers["Content-Disposition"])
    )
    body = response.get_data(as_text=True)
    assert body.startswith("FAKE ") and "| 2019-20-Q4 | south-lpa" in body
    # without the registry line there is no such route
    assert client.get("/download/pack.faker").status_code == 404


def test_without_the_line_nothing_links_it(store):
    hrefs = _hrefs(store, "/meeting")
    assert [h for h in hrefs if h.startswith("/download/pack.pdf?")]
    assert not [h for h in hrefs if ".fake" in h]
