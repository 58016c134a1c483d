"""WCAG 2.2 AA checks in a real browser: axe-core on every page, 200% zoom, target sizes.

axe runs every rule tagged for WCAG 2.0/2.1/2.2 A and AA plus axe's best practices, which
includes ``target-size`` (WCAG 2.5.8, off by default in axe). No rule is excluded.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

PAGES = [
    "/",
    "/?quarter=2018-19-Q4&area=south-lpa",
    *[f"/priority/{n}" for n in range(1, 8)],
    "/priority/1?area=west-lpa",
    "/priority/2?area=south-lpa",
    "/priority/7?area=south-lpa",
    "/metric/ksi-casualties",  # quarterly and calendar-year bases on one page
    "/metric/road-serious-injuries",  # a calendar-year series
    "/metric/special-constable-headcount",  # a restated value
    "/metric/all-crime-change-pct",  # rolling 12 months
    "/metric/pfa-violence-with-injury",  # overlapping rolling totals: judged once a year
    "/metric/pfa-asb-incidents",  # financial years with a break marked on both charts
    "/metric/emergency-calls-999?area=south-lpa",  # force-wide only: the fallback note
    "/area/south-lpa",
    "/area/southend",  # a district profile (issue 21)
    "/districts",  # the 14 districts ranked and on the map
    "/districts?by=change",
    "/narrative",
    "/narrative?q=Operation+SCEPTRE",
    "/narrative?q=zzzz",  # nothing found
    "/about",
    "/compare/ho-special-constables-headcount",  # the comparison with similar forces
    "/compare/ksi-casualties",  # a metric no other force publishes
    "/meeting",  # the meeting builder
    "/meeting?priorities=7,3&figures=ksi-casualties,ksi-casualties@calendar_year&since=2018-19-Q4",
    "/?since=2018-19-Q4",  # the overview's "since the last meeting"
    "/no-such-page",
    "/priority/9",
    "/?area=atlantis",
]

#: 1366x768 at 200% zoom is 683x384 CSS pixels.
ZOOM_200 = {"width": 683, "height": 384}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(page, live_server, open_page, axe, path):
    open_page(f"{live_server}{path}")
    charts = page.locator(".js-plotly-plot")
    if charts.count():  # scan charts as drawn, not empty placeholders
        expect(charts.first.locator(".main-svg").first).to_be_attached()
    results = axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert violations == [], f"axe on {path}:\n{describe(violations)}"


def test_axe_with_tables_open_and_the_chart_toolbar_showing(page, live_server, open_page, axe):
    """The states a user reaches: every 'Show the figures as a table' opened, the mouse over a
    chart so Plotly's toolbar (modebar) is on screen, and a filter focused."""
    open_page(f"{live_server}/priority/7")
    for summary in page.locator("details.chart-table > summary").all():
        summary.click()
    expect(page.locator("details.chart-table[open]").first).to_be_visible()
    page.locator(".js-plotly-plot").first.hover()
    expect(page.locator(".modebar").first).to_be_attached()
    page.get_by_role("combobox", name="Area", exact=True).focus()
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], describe(violations)


TITLES = [
    ("/", "Plan at a glance, 2019/20 Q4 – Police and Crime Plan"),
    ("/priority/7", "Priority 7: Improve Safety on our Roads, 2019/20 Q4 – Police and Crime Plan"),
    (
        "/priority/2?area=south-lpa",
        "Priority 2: Crack Down on Anti-social Behaviour, 2019/20 Q4, South Local Policing Area"
        " – Police and Crime Plan",
    ),
    ("/about", "About the data – Police and Crime Plan"),
    ("/no-such-page", "Page not found – Police and Crime Plan"),
]


def test_every_page_is_in_british_english_and_titled_for_its_view(page, live_server, open_page):
    """WCAG 2.4.2: each page's title says what it shows; the nav marks the page (aria-current)."""
    for path, title in TITLES:
        open_page(f"{live_server}{path}")
        assert page.evaluate("document.documentElement.lang") == "en-GB"
        expect(page).to_have_title(title)
        assert page.locator("h1").count() == 1
        assert page.locator("main#main").count() == 1
    current = page.get_by_role("navigation", name="Main").locator("[aria-current=page]")
    expect(current).to_have_count(0)  # the not-found page is not in the navigation
    open_page(f"{live_server}/about")
    expect(current).to_have_text("About the data")
    # The title follows a filter change too (the page is not reloaded).
    open_page(f"{live_server}/priority/7")
    page.get_by_role("combobox", name="Quarter", exact=True).select_option("2018-19-Q4")
    expect(page).to_have_title(re.compile(r"^Priority 7: Improve Safety on our Roads, 2018/19 Q4"))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/priority/2?area=south-lpa",
        "/priority/7",
        "/metric/ksi-casualties",
        # sources titled with ONS file names (45 characters, no break); a break on the charts
        "/metric/pfa-asb-incidents",
        "/metric/pfa-violence-with-injury",
        "/area/south-lpa",
        "/narrative?q=Operation+SCEPTRE",
        "/about",
        "/no-such-page",
    ],
)
def test_nothing_is_lost_at_200_percent_zoom(page, live_server, open_page, path):
    """WCAG 1.4.4/1.4.10 at 200%: no sideways scrolling and every control still on screen."""
    page.set_viewport_size(ZOOM_200)
    open_page(f"{live_server}{path}")
    for details in page.locator("details.chart-table").all():
        details.evaluate("d => d.open = true")
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1] + 1, f"{path} scrolls sideways at 200% zoom: {width}"
    # Nothing interactive or textual sticks out past the right edge (clipped or hidden).
    overflowing = page.evaluate(
        """() => {
            const limit = document.documentElement.clientWidth + 1;
            return [...document.querySelectorAll(
                'main a, main select, main input, main summary, main p, main li, main h1, main h2,'
                + ' main h3, main th, main td, main figure, header a, footer a')]
              .filter(e => { const r = e.getBoundingClientRect();
                             return r.width > 0 && (r.right > limit || r.left < -1); })
              .map(e => `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().left)}..${Math.round(e.getBoundingClientRect().right)}`)
              .slice(0, 10);
        }"""
    )
    assert overflowing == [], f"{path}: content outside the viewport at 200%: {overflowing}"
    # The navigation and the filters are all still reachable.
    for link in page.get_by_role("navigation", name="Main").get_by_role("link").all():
        expect(link).to_be_visible()
    for control in page.locator("main select, main input").all():
        control.scroll_into_view_if_needed()
        expect(control).to_be_in_viewport()


TARGET_SELECTOR = (
    "select, input, button, summary, .site-header a, .skip-link, .modebar-btn, [role=button]"
)


@pytest.mark.parametrize(
    "path", ["/", "/priority/7", "/metric/ksi-casualties", "/narrative", "/no-such-page"]
)
def test_controls_are_at_least_24_by_24_pixels(page, live_server, open_page, path):
    """WCAG 2.5.8: controls, navigation, the skip link and chart buttons are 24x24 px or more.

    Links in sentences are exempt (the "inline" exception); other links, such as headings, pass
    on the spacing exception, which axe's target-size rule (in the scans above) checks."""
    open_page(f"{live_server}{path}")
    if page.locator(".js-plotly-plot").count():
        page.locator(".js-plotly-plot").first.hover()  # show the toolbar
    page.keyboard.press("Tab")  # the skip link shows only when focused
    small = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                           return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
                                  && (r.width < 24 || r.height < 24); })
            .map(e => `${e.tagName}.${e.className.baseVal ?? e.className} "${(e.textContent
                       || e.getAttribute('data-title') || '').trim().slice(0, 30)}"`
                       + ` ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)""",
        TARGET_SELECTOR,
    )
    assert small == [], f"{path}: targets smaller than 24x24 px: {small}"
