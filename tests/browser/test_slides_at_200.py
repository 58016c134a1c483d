"""The since-last-meeting deck at 200% zoom (1366x768 at a device pixel ratio of 2: 683x384 CSS
pixels, meeting mode's larger type), measured slide by slide in the real Chromium.

Issue 24, "Slides that use their space at 200%": every slide's content fits inside the slide's
box (nothing scrolls, nothing below the padding), and a slide that holds a priority's heading
and its "since the last meeting" banner only does so because the next slide's first block does
not fit below the banner: the banner's slide as drawn (up to the banner's bottom margin) plus
that block as drawn is taller than the slide's content box.
"""

from __future__ import annotations

import re

import pytest

QUARTER = "quarter=2019-20-Q4&area=essex"
SINCE = "since=2018-19-Q4"
TIMEOUT = 15_000

#: The slide's content box and its blocks (children), in CSS pixels from the content box's top:
#: each block's top, bottom and bottom margin, and for a body of key points the heading and first
#: point (the least a body can start with).
MEASURE = """() => {
  const slide = document.querySelector('.present-slide');
  const box = slide.getBoundingClientRect();
  const style = getComputedStyle(slide);
  const top = box.top + parseFloat(style.paddingTop);
  const content = slide.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const blocks = Array.from(slide.children).map(e => {
    const r = e.getBoundingClientRect();
    let least = r.bottom - top;
    const chart = e.querySelector('.present-chart');
    const first = e.querySelector('.present-points li');
    if (chart) least = chart.getBoundingClientRect().bottom - top;
    else if (first) least = first.getBoundingClientRect().bottom - top;
    return {kind: e.className, top: r.top - top, bottom: r.bottom - top, least,
            margin: parseFloat(getComputedStyle(e).marginBottom)};
  });
  return {title: slide.querySelector('h1').textContent, content, blocks,
          scroll: slide.scrollHeight - slide.clientHeight,
          count: document.querySelector('.present-count').textContent};
}"""


@pytest.fixture
def zoomed(browser):
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def _show(page, url: str, number: int) -> dict:
    page.goto(url)
    page.wait_for_selector(".present-slide h1", timeout=TIMEOUT)
    page.wait_for_function(
        "n => { const c = document.querySelector('.present-count');"
        " return c && c.textContent.startsWith('Slide ' + n + ' '); }",
        arg=number,
        timeout=TIMEOUT,
    )
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.present-slide img')).every(i => i.complete)"
        " && document.fonts.status === 'loaded'",
        timeout=TIMEOUT,
    )
    return page.evaluate(MEASURE)


def _walk(page, base: str) -> list[dict]:
    page.goto(base)
    page.wait_for_selector(".present.text-large", timeout=TIMEOUT)
    total = int(re.search(r"of (\d+)", page.locator(".present-count").inner_text()).group(1))
    url = re.sub(r"([?&])slide=\d+&?", r"\1", page.url.split("#")[0]).rstrip("?&")
    return [_show(page, f"{url}&slide={i}", i + 1) for i in range(total)]


def _content(blocks: list[dict]) -> list[dict]:
    """The blocks after the heading and the context line."""
    return [b for b in blocks if not re.search(r"present-(h1|context)\b", b["kind"])]


def _banner_only(slide: dict) -> bool:
    body = _content(slide["blocks"])
    return len(body) == 1 and "present-changes" in body[0]["kind"]


def _first_block(slide: dict) -> float:
    """The height of the next slide's first block as drawn: a row of figures with the note
    under it, the chart, or the key points' heading and first point."""
    body = _content(slide["blocks"])
    first = body[0]
    end = first["least"]
    if "present-figures" in first["kind"] and len(body) > 1 and "present-shared" in body[1]["kind"]:
        end = body[1]["bottom"]
    return end - first["top"]


def test_every_slide_fits_and_a_banner_shares_its_slide_when_the_next_block_fits(
    zoomed, live_server
):
    slides = _walk(zoomed, f"{live_server}/present?{QUARTER}&{SINCE}")
    assert any("present-changes" in b["kind"] for s in slides for b in s["blocks"])
    overflow = []
    for s in slides:
        last = max(b["bottom"] for b in s["blocks"])
        if s["scroll"] > 1 or last > s["content"] + 0.5:
            overflow.append((s["count"], s["title"][:40], round(last, 1), s["content"]))
    assert not overflow, overflow
    wasted = []
    for s, after in zip(slides, slides[1:], strict=False):
        if not _banner_only(s) or after["title"] != s["title"]:
            continue
        banner = _content(s["blocks"])[0]
        used = banner["bottom"] + banner["margin"]  # the banner's slide, up to what follows
        need = _first_block(after)
        if used + need <= s["content"]:
            wasted.append((s["count"], s["title"][:40], round(used, 1), round(need, 1)))
    assert not wasted, wasted
