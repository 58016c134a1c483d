"""Issue 25, finding 7: every number in a URL is ASCII digits only.

``str.isdigit()`` accepts "²", "¹", "³", "①": ``int()`` refused them, so ``?slide=²`` was a
500 on every pack download and "Something went wrong" on every page. Digits of other scripts
("٢٠٢٤", fullwidth "２０２４") were read as a quarter. Each is now a located, friendly problem."""

from __future__ import annotations

import json
import shutil

import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.pages.registry import PATHS
from dashboard.routing import resolve
from dashboard.shell import page_request

ODD_DIGITS = ["²", "¹", "³", "①", "٣", "３", "1²", "9" * 5000]


@pytest.fixture(scope="module")
def client(bundled_data_dir, tmp_path_factory):
    data = tmp_path_factory.mktemp("strict") / "data"
    shutil.copytree(bundled_data_dir, data, ignore=shutil.ignore_patterns(".*"))
    return create_app(
        Settings(data_dir=data, debug=False, reload_interval=3600)
    ).server.test_client()


@pytest.mark.parametrize("slide", ODD_DIGITS)
def test_a_slide_that_is_not_ascii_digits_is_a_problem_not_a_crash(bundled_dataset, slide):
    route = resolve("/present", f"?slide={slide}", bundled_dataset, PATHS)
    assert route.slide == 0
    assert any("is not a slide number" in p for p in route.problems), route.problems
    assert "slide" not in route.params


def test_an_ascii_slide_number_is_read(bundled_dataset):
    route = resolve("/present", "?slide=3", bundled_dataset, PATHS)
    assert route.slide == 3 and not route.problems and route.params == {"slide": "3"}


@pytest.mark.parametrize("quarter", ["２０２４/２５ Q1", "٢٠٢٤/٢٥ Q١"])
def test_a_quarter_in_other_digits_is_not_read_as_a_quarter(bundled_dataset, quarter):
    route = resolve("/", "?" + f"quarter={quarter}", bundled_dataset, PATHS)
    assert route.quarter is None
    assert any("is not a quarter we recognise" in p for p in route.problems), route.problems
    since = resolve("/present", f"?since={quarter}", bundled_dataset, PATHS)
    assert since.since is None
    assert any("is not a quarter" in p for p in since.problems), since.problems


def test_ascii_number_takes_only_0_to_9():
    from dashboard.routing import ascii_number

    assert ascii_number("0042", digits=4) == 42
    for text in ["²", "①", "٣", "３", "", "12345", "-1", "1 ", "+1"]:
        assert ascii_number(text, digits=4) is None, text


@pytest.mark.parametrize("slide", ["²", "①"])
def test_the_page_callback_answers_with_a_message_not_an_error(client, slide):
    body = page_request("/present", f"?slide={slide}")
    response = client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Something went wrong" not in text
    assert "is not a slide number" in text


@pytest.mark.parametrize("slide", ["²", "③"])
def test_a_pack_download_with_an_odd_slide_is_not_a_server_error(client, slide):
    # The xlsx summary is the cheapest pack format; the slide parameter is ignored by packs.
    response = client.get(f"/download/pack.xlsx?slide={slide}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
