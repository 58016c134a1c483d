"""Meeting mode and the meeting builder in a real Chromium against a real gunicorn server.

Every slide of every priority is measured at 1920x1080, 1366x768 and 1366x768 at 200% zoom
(683x384 CSS pixels at a device pixel ratio of 2): nothing outside the screen or under the
controls, no two pieces of text overlapping (from the boxes of the text itself), type at least
24 px at 1920x1080 and larger at 200% zoom than without it. Keys and visible controls move the
slides; the keyboard reaches every control; the builder's link opens the same deck in a new
browser; axe finds nothing. Screenshots of every slide at both sizes are written for people to
look at (``$PCP_SCREENSHOT_DIR``, default a temp folder).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

QUARTER = "quarter=2019-20-Q4"
SINCE = "since=2018-19-Q4"
TIMEOUT = 15_000

SIZES = {
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1},
    "1366x768": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
    "1366x768-zoom200": {"viewport": {"width": 683, "height": 384}, "device_scale_factor": 2},
}

#: Every box and text run on the slide, and the controls' box (in CSS pixels).
MEASURE = """() => {
  const slide = document.querySelector('.present-slide');
  const nav = document.querySelector('.present-nav').getBoundingClientRect();
  const texts = [];
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  let node, owner = 0;
  const owners = new Map();
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    if (!owners.has(element)) owners.set(element, owner++);
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0.5 && r.height > 0.5) {
        texts.push({owner: owners.get(element), text: node.textContent.trim().slice(0, 40),
                    left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                    size: parseFloat(getComputedStyle(element).fontSize)});
      }
    }
  }
  const boxes = Array.from(slide.querySelectorAll('*')).map(e => {
    const r = e.getBoundingClientRect();
    return {tag: e.tagName + '.' + e.className, left: r.left, top: r.top, right: r.right,
            bottom: r.bottom, width: r.width, height: r.height};
  }).filter(b => b.width > 0 && b.height > 0);
  return {texts, boxes, nav: {top: nav.top, bottom: nav.bottom, left: nav.left, right: nav.right},
          width: window.innerWidth, height: window.innerHeight,
          scroll: slide.scrollHeight - slide.clientHeight,
          large: !!document.querySelector('.present.text-large'),
          title: document.querySelector('.present-slide h1').textContent,
          count: document.querySelector('.present-count').textContent};
}"""


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


def _wait_url(page, pattern: str) -> None:
    """The URL (pushed by Dash's Location, not a page load) matches ``pattern``."""
    page.wait_for_function("p => new RegExp(p).test(location.href)", arg=pattern, timeout=TIMEOUT)


def _slides(page) -> int:
    return int(re.search(r"of (\d+)", page.locator(".present-count").inner_text()).group(1))


def _settled(page) -> None:
    """The slide and its picture are drawn (an <img> of SVG; fonts loaded)."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.present-slide img')).every(i => i.complete)"
        " && document.fonts.status === 'loaded'",
        timeout=TIMEOUT,
    )


def _problems(found: dict) -> list[str]:
    """What a presenter would see wrong on the slide just measured."""
    problems = []
    width, height, nav = found["width"], found["height"], found["nav"]
    if found["scroll"] > 1:
        problems.append(f"the slide scrolls by {found['scroll']} px")
    for box in found["boxes"]:
        if box["left"] < -0.5 or box["right"] > width + 0.5 or box["top"] < -0.5:
            problems.append(f"outside the screen: {box['tag']} {box}")
        if box["bottom"] > nav["top"] + 0.5:
            problems.append(
                f"under the controls: {box['tag']} bottom {box['bottom']} > {nav['top']}"
            )
    if nav["bottom"] > height + 0.5:
        problems.append("the controls are cut off")
    texts = found["texts"]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a["owner"] == b["owner"]:
                continue
            if (
                min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
                and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
            ):
                problems.append(f"text overlaps: {a['text']!r} and {b['text']!r}")
    return problems


def _walk(page, base: str) -> list[dict]:
    """Every slide of the deck at ``base``, measured; the first slide decides the type size."""
    _open(page, base)
    if page.viewport_size["width"] < 1100:  # assets/present.js switches to the larger type
        page.wait_for_selector(".present.text-large", timeout=TIMEOUT)
    _settled(page)
    found = []
    total = _slides(page)
    for index in range(total):
        url = page.url.split("#")[0]
        url = re.sub(r"([?&])slide=\d+&?", r"\1", url).rstrip("?&")
        url += ("&" if "?" in url else "?") + f"slide={index}"
        if index:
            _open(page, url)
        page.wait_for_function(
            "n => document.querySelector('.present-count').textContent.startsWith('Slide ' + n + ' ')",
            arg=index + 1,
            timeout=TIMEOUT,
        )
        _settled(page)
        found.append({"index": index, "url": page.url, **page.evaluate(MEASURE)})
    return found


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def screen(request, browser):
    context = browser.new_context(**SIZES[request.param])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield request.param, page
    context.close()


@pytest.mark.parametrize("extra", ["", f"&{SINCE}"], ids=["deck", "since-last-meeting"])
def test_every_slide_of_every_priority_fits_the_screen(screen, live_server, extra):
    size, page = screen
    slides = _walk(page, f"{live_server}/present?{QUARTER}{extra}")
    titles = [s["title"] for s in slides]
    for number in range(1, 8):
        assert any(t.startswith(f"Priority {number}:") for t in titles), (size, number)
    problems = {f"{s['index']} {s['title']}": _problems(s) for s in slides}
    assert not any(problems.values()), {k: v[:4] for k, v in problems.items() if v}
    sizes = [t["size"] for s in slides for t in s["texts"]]
    if size == "1920x1080":
        assert min(sizes) >= 24, min(sizes)
        assert not any(s["large"] for s in slides)
    if size == "1366x768-zoom200":
        # The type grows at 200% zoom: larger type, at least 1.5 times the 1366x768 body text
        # (26 * 1366/1920 = 18.4 device pixels), while the slide still fits.
        assert all(s["large"] for s in slides)
        body = [t["size"] * 2 for s in slides for t in s["texts"]]
        assert min(body) >= 1.5 * 1.3 * 13.66, min(body)
    # The controls are one slim bar: at most 4.4% of the slide's width high.
    for s in slides:
        nav_height = s["nav"]["bottom"] - s["nav"]["top"]
        assert nav_height <= 0.045 * min(s["width"], s["height"] * 16 / 9) + 3, (size, nav_height)


def test_arrow_keys_and_clicker_keys_move_slides_and_the_url_follows(page, live_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}")
    assert "Police and Crime Plan" in _title(page)
    page.keyboard.press("ArrowRight")
    _wait_title(page, "^Priority 1:")
    assert re.search(r"slide=1\b", page.url) and QUARTER in page.url
    page.keyboard.press("PageDown")
    _wait_url(page, r"slide=2\b")
    page.keyboard.press("ArrowLeft")
    _wait_url(page, r"slide=1\b")
    page.keyboard.press("PageUp")
    _wait_title(page, "progress report")
    assert "slide=" not in page.url
    page.keyboard.press("End")
    _wait_title(page, "^Sources")
    page.keyboard.press("Home")
    _wait_title(page, "progress report")


def test_keys_pressed_before_the_slide_arrives_are_taken_in_order(page, live_server):
    """Next, next, previous pressed at once from slide 1 ends on slide 2, as it would one at a
    time (each key read the slide still on screen: the second did nothing and the third went
    back to the title)."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}&slide=1")
    for key in ("PageDown", "ArrowRight", "ArrowLeft"):
        page.keyboard.press(key)
    page.wait_for_function(
        "() => /slide=2\\b/.test(location.href)"
        " && document.querySelector('.present-count').textContent.startsWith('Slide 3 ')",
        timeout=TIMEOUT,
    )
    page.wait_for_timeout(1500)  # nothing further arrives
    assert page.locator(".present-count").inner_text().startswith("Slide 3 of")
    assert re.search(r"slide=2\b", page.evaluate("location.href"))


def test_back_button_walks_back_through_slides(page, live_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}")
    page.keyboard.press("ArrowRight")
    _wait_title(page, "^Priority 1:")
    page.keyboard.press("ArrowRight")
    _wait_url(page, r"slide=2\b")
    page.go_back()
    _wait_url(page, r"slide=1\b")


def test_a_link_opens_that_slide_with_the_published_figures(page, live_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}&priorities=7&slide=1")
    assert _title(page) == "Priority 7: Improve Safety on our Roads"
    slide = page.locator(".present-slide").inner_text()
    assert "168" in slide
    assert "down 2 (1.2%) on the same quarter last year" in slide
    assert "too early to tell if this is a real change" in slide.lower()  # plain words
    assert "Signal or noise" not in slide and "special cause" not in slide.lower()
    assert page.locator(".site-header").is_hidden()
    alt = page.locator(".present-graph").get_attribute("alt")
    assert alt.startswith("Killed or seriously injured (KSI) road casualties in Essex")


def test_escape_leaves_for_the_same_quarter_and_area(page, live_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}&area=south-lpa&priorities=7&slide=1")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/priority/7\?"), timeout=TIMEOUT)
    assert QUARTER in page.url and "area=south-lpa" in page.url
    page.wait_for_selector(".site-header", state="visible", timeout=TIMEOUT)


def test_visible_buttons_work_too(page, live_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{live_server}/present?{QUARTER}")
    page.get_by_role("link", name="Next ▶").click()
    _wait_title(page, "^Priority 1:")
    page.get_by_role("link", name=re.compile("High contrast")).click()
    page.wait_for_selector(".present-contrast", timeout=TIMEOUT)
    assert "contrast=1" in page.url and "slide=1" in page.url
    page.get_by_role("link", name="Larger text: off").click()
    page.wait_for_selector(".present.text-large", timeout=TIMEOUT)
    assert "text=large" in page.url
    _wait_title(page, "^Priority 1:")  # the same place, in the larger type's deck


def test_the_keyboard_reaches_every_control_on_screen(page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, f"{live_server}/present?{QUARTER}")
    _settled(page)
    wanted = page.evaluate("() => Array.from(document.querySelectorAll('.present a')).length")
    reached, inside = set(), True
    for _ in range(wanted + 6):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
                return {text: e.textContent.trim(), inDeck: !!e.closest('.present'),
                        visible: r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth,
                        outline: getComputedStyle(e).outlineStyle}; }"""
        )
        if info["inDeck"]:
            reached.add(info["text"])
            inside = inside and info["visible"] and info["outline"] != "none"
    for control in (
        "Next ▶",
        "High contrast: off",
        "Larger text: off",
        "Leave (Esc)",
        "PDF",
        "plan the meeting",
    ):
        assert control in reached, (control, reached)
    assert inside, "a focused control was off screen or had no visible focus"


def test_the_builders_link_opens_the_same_deck_in_a_new_browser(page, live_server, browser):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/meeting?{QUARTER}&priorities=7,3,1&{SINCE}")
    page.wait_for_selector(".builder-open", timeout=TIMEOUT)
    # Keyboard: move Priority 3 up, with Enter on its "Move up"; the focus comes back to it.
    page.focus("#p3-up")
    page.keyboard.press("Enter")
    _wait_url(page, r"priorities=3,7,1")
    page.wait_for_function(
        "() => document.querySelector('.builder-priority').textContent.startsWith('Priority 3:')",
        timeout=TIMEOUT,
    )
    # The page was drawn again (the block at the top is now Priority 3's): the focus is back on
    # the control that was used, not on whatever took its place.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'p3-up'", timeout=TIMEOUT
    )
    # Leave a figure out and add one from another period.
    page.click("#out-road-deaths")
    page.wait_for_selector("#add-road-deaths", timeout=TIMEOUT)
    page.click("#add-ksi-casualties-calendar_year")
    page.wait_for_selector("#out-ksi-casualties-calendar_year", timeout=TIMEOUT)
    # The address is shown in full (issue 20): this browser's origin, then the path.
    address = page.locator("#builder-link").inner_text()
    assert address.startswith(f"{live_server}/present?") and "since=2018-19-Q4" in address
    link = address.removeprefix(live_server)

    def deck_of(target) -> list[str]:
        _open(target, f"{live_server}{link}")
        total = _slides(target)
        seen = []
        for index in range(total):
            _open(target, f"{live_server}{link}&slide={index}")
            seen.append(target.locator(".present-slide").inner_text())
        return seen

    page.click("#builder-present")
    page.wait_for_selector(".present-slide h1", timeout=TIMEOUT)
    here = deck_of(page)
    other = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        there = deck_of(other.new_page())
    finally:
        other.close()
    assert here == there
    headings = [text.splitlines()[0] for text in here]
    priorities = [h for h in headings if h.startswith("Priority")]
    assert priorities[0].startswith("Priority 3:") and priorities[-1].startswith("Priority 1:")
    roads = " ".join(t for t in here if t.startswith("Priority 7:"))
    assert "873" in roads and "in 2019" in roads  # the picked figure, with its own period
    assert "People killed in road traffic collisions in 2019/20 Q4" not in roads  # left out
    assert "Since the last meeting (2018/19 Q4)" in roads


def test_download_links_in_meeting_mode_send_the_meetings_pack(page, live_server):
    _open(page, f"{live_server}/present?{QUARTER}&priorities=7&{SINCE}")
    href = page.get_by_role("link", name="PDF").get_attribute("href")
    assert href.startswith("/download/pack.pdf?") and QUARTER in href and "priorities=7" in href
    response = page.request.get(live_server + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "meeting-" in response.headers["content-disposition"]


@pytest.mark.parametrize(
    "query",
    [
        f"{QUARTER}",
        f"{QUARTER}&priorities=7&slide=1",
        f"{QUARTER}&priorities=7&slide=1&contrast=1",
        f"{QUARTER}&priorities=3&figures=domestic-abuse-change-pct&slide=1&text=large",
        f"{QUARTER}&{SINCE}&slide=1",
        f"{QUARTER}&slide=99",
    ],
)
def test_axe_finds_no_violations(page, live_server, query):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, f"{live_server}/present?{query}")
    _settled(page)
    results = Axe().run(page)
    violations = results.response["violations"]
    assert not violations, results.generate_report()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=["1920x1080", "1366x768"])
def test_screenshots_for_people_to_look_at(page, live_server, tmp_path, size):
    folder = Path(os.environ.get("PCP_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    for name, extra in (("deck", ""), ("since", f"&{SINCE}")):
        _open(page, f"{live_server}/present?{QUARTER}{extra}")
        for index in range(_slides(page)):
            _open(page, f"{live_server}/present?{QUARTER}{extra}&slide={index}")
            _settled(page)
            page.screenshot(
                path=str(folder / f"present-{size[0]}x{size[1]}-{name}-{index:02d}.png")
            )
            assert page.locator(".present-nav").is_visible()
