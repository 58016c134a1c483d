"""Meeting mode in a real Chromium against a real gunicorn server.

Keys move slides and the URL follows; a link opens a slide; Escape leaves; type is large enough
for the back of a room; axe finds nothing in either contrast mode; screenshots at 1920x1080 and
1366x768 are written for people to look at (``$PCP_SCREENSHOT_DIR``, default a temp folder).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

QUARTER = "quarter=2019-20-Q4"
TIMEOUT = 15_000


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".present-slide h1", timeout=TIMEOUT)


def _title(page) -> str:
    return page.locator(".present-slide h1").inner_text()


def _wait_title(page, pattern: str) -> None:
    page.wait_for_function(
        "p => { const h = document.querySelector('.present-slide h1'); return h && new RegExp(p).test(h.textContent); }",
        arg=pattern,
        timeout=TIMEOUT,
    )


@pytest.fixture
def deck(page, live_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}")
    return page


def test_arrow_keys_and_clicker_keys_move_slides_and_the_url_follows(deck):
    page = deck
    assert "Police and Crime Plan" in _title(page)
    page.keyboard.press("ArrowRight")
    _wait_title(page, "^Priority 1:")
    assert re.search(r"slide=1\b", page.url) and QUARTER in page.url
    page.keyboard.press("PageDown")
    _wait_title(page, "^Priority 2:")
    assert "slide=2" in page.url
    page.keyboard.press("ArrowLeft")
    _wait_title(page, "^Priority 1:")
    page.keyboard.press("PageUp")
    _wait_title(page, "progress report")
    assert "slide=" not in page.url
    page.keyboard.press("End")
    _wait_title(page, "^Sources")
    assert "slide=8" in page.url
    page.keyboard.press("Home")
    _wait_title(page, "progress report")


def test_back_button_walks_back_through_slides(deck):
    page = deck
    page.keyboard.press("ArrowRight")
    _wait_title(page, "^Priority 1:")
    page.keyboard.press("ArrowRight")
    _wait_title(page, "^Priority 2:")
    page.go_back()
    _wait_title(page, "^Priority 1:")


def test_a_link_opens_that_slide_with_the_published_figures(page, live_server):
    _open(page, f"{live_server}/present?{QUARTER}&slide=7")
    assert _title(page) == "Priority 7: Improve Safety on our Roads"
    slide = page.locator(".present-slide").inner_text()
    assert "168" in slide
    assert "down 2 (1.2%) on the same quarter last year" in slide
    assert page.locator(".site-header").is_hidden()


def test_escape_leaves_for_the_same_quarter_and_area(page, live_server):
    _open(page, f"{live_server}/present?{QUARTER}&area=south-lpa&slide=7")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/priority/7\?"), timeout=TIMEOUT)
    assert QUARTER in page.url and "area=south-lpa" in page.url
    page.wait_for_selector(".site-header", state="visible", timeout=TIMEOUT)


def test_visible_buttons_work_too(deck):
    page = deck
    page.get_by_role("link", name="Next ▶").click()
    _wait_title(page, "^Priority 1:")
    page.get_by_role("link", name=re.compile("High contrast")).click()
    page.wait_for_selector(".present-contrast", timeout=TIMEOUT)
    assert "contrast=1" in page.url and "slide=1" in page.url


def test_text_is_at_least_24px_at_1920x1080(page, live_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}&slide=7")
    page.wait_for_selector(".present-graph .main-svg", timeout=TIMEOUT)
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.present *'))
            .filter(e => e.childNodes.length && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
            .filter(e => !e.closest('svg'))
            .map(e => [e.tagName + '.' + e.className, parseFloat(getComputedStyle(e).fontSize)])"""
    )
    small = [s for s in sizes if s[1] < 24]
    assert sizes and not small, small


def test_download_links_in_meeting_mode_send_the_pack(page, live_server):
    _open(page, f"{live_server}/present?{QUARTER}&slide=7")
    href = page.get_by_role("link", name="PDF").get_attribute("href")
    assert href.startswith("/download/pack.pdf?") and QUARTER in href
    response = page.request.get(live_server + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("contrast", ["", "&contrast=1"])
@pytest.mark.parametrize("slide", [0, 7, 8])
def test_axe_finds_no_violations(page, live_server, slide, contrast):
    _open(page, f"{live_server}/present?{QUARTER}&slide={slide}{contrast}")
    if slide == 7:
        page.wait_for_selector(".present-graph .main-svg", timeout=TIMEOUT)
    results = Axe().run(page)
    violations = results.response["violations"]
    assert not violations, results.generate_report()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
@pytest.mark.parametrize("contrast", ["", "&contrast=1"])
def test_screenshots_for_people_to_look_at(page, live_server, tmp_path, size, contrast):
    folder = Path(os.environ.get("PCP_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    for slide in (0, 1, 7, 8):
        _open(page, f"{live_server}/present?{QUARTER}&slide={slide}{contrast}")
        if slide in (1, 7):
            page.wait_for_selector(".present-graph .main-svg", timeout=TIMEOUT)
        name = f"present-{size[0]}x{size[1]}-slide{slide}{'-contrast' if contrast else ''}.png"
        page.screenshot(path=str(folder / name))
        # The slide controls stay on screen at every size.
        assert page.locator(".present-nav").is_visible()
        box = page.locator(".present-nav").bounding_box()
        assert box["y"] + box["height"] <= size[1] + 1
