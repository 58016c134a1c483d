"""No label over another label: every text element of every chart, measured in a real browser.

Each page kind with charts (a priority page's trend lines and bars, a metric page's XmR charts,
the comparison page's bars and index lines) and meeting mode's slides, at 1366x768,
1920x1080 and 1366x768 at 200% zoom (683x384 CSS pixels at a device pixel ratio of 2). Every
chart on the page is drawn (the page's own "before printing" hook draws them all); every
``<text>`` of its SVG is taken as the box the browser gives it (``getBBox``), turned by the
element's transform into the quadrilateral it covers on screen, so tilted tick labels are
measured as tilted. Two quadrilaterals that overlap by more than one pixel (along every axis
that could separate them) are text over text, which a person at a projector cannot read.

Slides draw their charts as SVG pictures (``<img>``): the picture's SVG is put in the page at
the size it is shown and measured the same way. The slide's own text (titles, banners,
bullets) is measured by tests/browser/test_present.py.
"""

from __future__ import annotations

import re

import pytest

SIZES = {
    "1366x768": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1},
    "1366x768-zoom200": {"viewport": {"width": 683, "height": 384}, "device_scale_factor": 2},
}

PAGES = {
    "priority-trends": "/priority/1",
    "priority-changes": "/priority/3",
    "metric-xmr": "/metric/pfa-violence-with-injury",
    "metric-xmr-two-bases": "/metric/ksi-casualties",
    "comparison-headcount": "/compare/ho-special-constables-headcount",
    "comparison-rolling": "/compare/pfa-violence-with-injury",
    "priority-area": "/priority/7?area=south-lpa",
    # Issue 21: the districts ranked and on the map, a district's profile, a monthly series
    # with its gap.
    "districts-rate": "/districts",
    "districts-change": "/districts?measure=policeuk-violence-and-sexual-offences&period=2019-02&by=change",
    "district-profile": "/area/southend",
    "metric-month-area": "/metric/policeuk-anti-social-behaviour?area=southend",
    # a break of the register on the trend and the XmR chart (ASB incidents, 2011/12)
    "metric-break": "/metric/pfa-asb-incidents",
}

DECK = "/present?quarter=2019-20-Q4"
TIMEOUT = 20_000

#: Text elements of every SVG under ``roots`` as screen quadrilaterals; pairs that overlap.
OVERLAPS = """(roots) => {
  function quad(t) {
    const b = t.getBBox(), m = t.getScreenCTM();
    if (!m || b.width <= 0 || b.height <= 0) return null;
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  }
  function depth(p, q) {  /* the least overlap along any edge normal (0 or less: apart) */
    let least = Infinity;
    for (const poly of [p, q]) for (let i = 0; i < 4; i++) {
      const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
      const len = Math.hypot(x2 - x1, y2 - y1);
      if (!len) continue;
      const nx = (y1 - y2) / len, ny = (x2 - x1) / len;
      const pa = p.map(([x, y]) => x * nx + y * ny), qa = q.map(([x, y]) => x * nx + y * ny);
      least = Math.min(least, Math.min(Math.max(...pa), Math.max(...qa))
                              - Math.max(Math.min(...pa), Math.min(...qa)));
    }
    return least;
  }
  function shown(t) {
    for (let e = t; e && e.tagName !== 'svg'; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    }
    return !!t.textContent.trim();
  }
  const found = [];
  for (const [name, root] of roots) {
    const texts = [...root.querySelectorAll('text')].filter(shown)
      .map(t => ({text: t.textContent.trim().slice(0, 40), q: quad(t)})).filter(x => x.q);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const d = depth(texts[i].q, texts[j].q);
      if (d > 1) found.push(`${name}: "${texts[i].text}" over "${texts[j].text}" by ${d.toFixed(1)} px`);
    }
  }
  return found;
}"""

PAGE_CHARTS = (
    "() => [...document.querySelectorAll('.js-plotly-plot')].map(p => [p.closest('[id]').id, p])"
)

#: Every slide picture as inline SVG of the size it is shown, in a layer over the page.
SLIDE_CHARTS = """() => {
  const layer = document.createElement('div');
  layer.id = 'overlap-layer';
  layer.style.cssText = 'position:absolute;left:0;top:0';
  document.body.appendChild(layer);
  return [...document.querySelectorAll('.present-slide img[src^="data:image/svg+xml"]')]
    .map((img, n) => {
      const box = img.getBoundingClientRect();
      const holder = document.createElement('div');
      holder.innerHTML = atob(img.src.split(',')[1]);
      const svg = holder.querySelector('svg');
      svg.setAttribute('width', box.width);
      svg.setAttribute('height', box.height);
      layer.appendChild(holder);
      return ['slide picture ' + (n + 1) + ' (' + img.alt.slice(0, 40) + ')', svg];
    });
}"""


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def screen(request, browser):
    context = browser.new_context(**SIZES[request.param])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def _draw_every_chart(page) -> int:
    """Draw every chart on the page (assets/lazy.js draws them all before printing)."""
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every(h => h.querySelector('.main-svg text'))"
    )
    page.evaluate("() => document.fonts.ready")
    return page.locator("[data-figure]").count()


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_no_chart_label_overlaps_another(screen, live_server, path):
    page = screen
    page.goto(f"{live_server}{path}")
    page.wait_for_selector("#main h1")
    page.wait_for_load_state("networkidle")
    charts = _draw_every_chart(page)
    assert charts, f"{path}: no chart to measure"
    found = page.evaluate_handle(PAGE_CHARTS)
    overlaps = page.evaluate(OVERLAPS, found)
    assert overlaps == [], f"{path} at {page.viewport_size}: {len(overlaps)} overlaps:\n" + (
        "\n".join(overlaps)
    )


def test_no_label_overlaps_another_on_any_slide_picture(screen, live_server):
    page = screen
    page.goto(f"{live_server}{DECK}")
    page.wait_for_selector(".present-slide h1")
    if page.viewport_size["width"] < 1100:  # assets/present.js switches to the larger type
        page.wait_for_selector(".present.text-large")
    page.wait_for_selector(".present-count")
    total = int(re.search(r"of (\d+)", page.locator(".present-count").inner_text()).group(1))
    base = re.sub(r"([?&])slide=\d+&?", r"\1", page.url).rstrip("?&")
    overlaps, pictures = [], 0
    for index in range(total):
        if index:
            page.goto(f"{base}&slide={index}")
        page.wait_for_function(
            "n => (document.querySelector('.present-count') || {textContent: ''})"
            ".textContent.startsWith('Slide ' + n + ' ')",
            arg=index + 1,
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('.present-slide img')].every(i => i.complete)"
        )
        found = page.evaluate_handle(SLIDE_CHARTS)
        pictures += page.evaluate("(f) => f.length", found)
        overlaps += [f"slide {index + 1}: {o}" for o in page.evaluate(OVERLAPS, found)]
    assert pictures, "no slide had a chart to measure"
    assert overlaps == [], "\n".join(overlaps)
