"""Finding 7 and 8 of issue 14 (server side), through Flask's test client: headers, limits, dev
routes, component suites, escaped chart titles and structured dataset logs.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.shell import page_request

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"


@pytest.fixture(scope="module")
def app(bundled_data_dir, tmp_path_factory):
    data = tmp_path_factory.mktemp("hardening") / "data"
    shutil.copytree(bundled_data_dir, data, ignore=shutil.ignore_patterns(".*"))
    return create_app(Settings(data_dir=data, debug=False, reload_interval=3600))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def csp_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def test_pages_carry_a_content_security_policy_without_inline_scripts(app, client):
    policy = csp_of(client.get("/priority/7"))
    assert policy, "no Content-Security-Policy header"
    scripts = policy.get("script-src", policy.get("default-src"))
    assert "'self'" in scripts
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    # Dash's one inline script (the renderer) is allowed by its hash, nothing else inline.
    for digest in app.csp_hashes():
        assert digest in scripts
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("frame-ancestors") in (["'self'"], ["'none'"])


def test_html_and_json_answers_say_how_to_cache(client):
    html = client.get("/")
    assert html.mimetype == "text/html"
    assert "no-cache" in html.headers.get("Cache-Control", "")
    for path in ("/_dash-layout", "/_dash-dependencies", "/healthz"):
        response = client.get(path)
        assert response.mimetype == "application/json", path
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_dev_tools_routes_are_off_in_production(client, bundled_data_dir):
    assert client.get("/_reload-hash").status_code == 404
    debug = create_app(Settings(data_dir=bundled_data_dir, debug=True, reload_interval=3600))
    assert debug.server.test_client().get("/_reload-hash").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/../../../etc/passwd",
        "/_dash-component-suites/plotly/package_data/nope.min.js",
    ],
)
def test_unknown_component_suite_paths_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Traceback" not in response.data


def test_a_known_component_suite_file_is_still_served(client):
    html = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    assert scripts
    for src in scripts:
        assert client.get(src).status_code == 200, src


def test_a_request_body_over_the_limit_is_refused_unread(client):
    response = client.post(
        "/_dash-update-component",
        data=b"{" + b" " * (3 * 1024 * 1024) + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413


def _page(pathname, search="", **changes) -> bytes:
    """The page callback's body (shell.page_request), with ``changes`` applied to it."""
    body = page_request(pathname, search)
    for key, value in changes.items():
        body[key] = value
    return json.dumps(body).encode()


def _with_first_input_id(ident) -> bytes:
    body = page_request("/", "")
    body["inputs"][0]["id"] = ident
    return json.dumps(body).encode()


#: The filters callback runs in the browser (assets/shell.js): the server never dispatches it.
FILTERS_IN_THE_BROWSER = json.dumps(
    {
        "output": "..url.search...filter-written.data..",
        "outputs": [
            {"id": "url", "property": "search"},
            {"id": "filter-written", "property": "data"},
        ],
        "inputs": [
            [{"id": {"type": "filter"}, "property": "value", "value": "x"}],
            {"id": "url", "property": "search", "value": ""},
        ],
        "changedPropIds": [],
        "state": [{"id": "filter-state", "property": "data", "value": None}],
    }
).encode()


@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b"[]",
        b"null",
        b"not json",
        json.dumps({"output": "nope.children", "inputs": [], "state": []}).encode(),
        _page(5, {}),  # a pathname that is not text, a search that is an object
        _page("/narrative", "?q=\ud800"),  # a lone surrogate
        _with_first_input_id({"type": "filter"}),  # an id the callback does not declare
        _page("/", "", outputs={"id": "page-head", "property": "children"}),
        _page("/", "", inputs=[]),
        _page("/", "", state=[{"id": "filter-written", "property": "data", "value": "x"}] * 2),
        FILTERS_IN_THE_BROWSER,
        _page("/", "").replace(b'"value": null', b'"value": ' + b"[" * 1000 + b"]" * 1000),
        _page("/", "").replace(b'"value": null', b'"value": ' + b"[" * 40 + b"]" * 40),
    ],
)
def test_malformed_callback_bodies_get_400(client, body):
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400, response.data[:200]
    assert b"Traceback" not in response.data


def test_a_well_formed_page_request_is_still_answered(client):
    response = client.post("/_dash-update-component", data=_page("/priority/7"),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    assert "Priority 7" in response.get_data(as_text=True)


def test_a_metric_label_with_plotly_markup_is_shown_as_text_in_chart_titles(tmp_path):
    from dashboard.data.model import load_dataset
    from dashboard.export.charts import chart_figure

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    metrics = data / "metrics.csv"
    text = metrics.read_text(encoding="utf-8")
    label = "Killed or seriously injured (KSI) road casualties"
    assert label in text
    hostile = 'KSI <a href="https://evil.example/">click</a> <b>bold</b>'
    metrics.write_text(text.replace(label, hostile, 1), encoding="utf-8")
    figure = chart_figure(load_dataset(data), "ksi-casualties", None, None)
    title = figure["layout"]["title"]["text"]
    assert "<a" not in title and "<b>" not in title
    assert "&lt;a href=" in title


def test_dataset_problems_are_logged_as_timestamped_structured_lines(tmp_path, capfd):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    sources = data / "sources.csv"
    sources.write_text(sources.read_text().replace(",2020-04,", ",April 2020,"), encoding="utf-8")
    create_app(Settings(data_dir=data, debug=False, reload_interval=3600))
    lines = [line for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    events = [json.loads(line) for line in lines]
    refused = [e for e in events if e.get("event") == "dataset_refused"]
    assert refused, lines
    event = refused[0]
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$", event["ts"])
    assert event["level"] == "ERROR"
    assert any("April 2020" in p for p in event["problems"])
