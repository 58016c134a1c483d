"""What people do with the dashboard, in a real Chromium against a real gunicorn server.

Each test asserts what a user would see: words on the page, the choice shown in a filter, the
address in the location bar after a change, a reload or the back button.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

PRIORITY_TITLES = {
    1: "More Local, Visible and Accessible Policing",
    2: "Crack Down on Anti-social Behaviour",
    7: "Improve Safety on our Roads",
}
KSI = "Killed or seriously injured (KSI) road casualties"


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def filter_select(page, name: str):
    """The native <select> of a filter, found by its accessible name (its visible label)."""
    return page.get_by_role("combobox", name=name, exact=True)


def selected_text(locator) -> str:
    return locator.evaluate("s => s.options[s.selectedIndex].text")


# --- The plan at a glance ---------------------------------------------------------------------


def test_overview_shows_the_seven_priorities_for_2019_20_q4(page, live_server, open_page):
    open_page(f"{live_server}/")
    expect(page.locator("h1")).to_contain_text("Plan at a glance: 2019/20 Q4")
    headings = page.locator(".priority-section h2")
    expect(headings).to_have_count(7)
    texts = headings.all_inner_texts()
    assert [t.split(":")[0] for t in texts] == [f"Priority {n}" for n in range(1, 8)]
    for number, title in PRIORITY_TITLES.items():
        assert title in texts[number - 1]
    assert selected_text(filter_select(page, "Quarter")) == "2019/20 Q4"
    assert selected_text(filter_select(page, "Area")) == "Essex (force-wide)"
    # Each priority heading opens its page.
    page.get_by_role("link", name=re.compile(r"^Priority 7:")).click()
    expect(page.locator("h1")).to_have_text(f"Priority 7: {PRIORITY_TITLES[7]}")
    assert urlsplit(page.url).path == "/priority/7"


def test_choosing_another_quarter_rewrites_the_page_and_the_link(page, live_server, open_page):
    open_page(f"{live_server}/")
    filter_select(page, "Quarter").select_option("2018-19-Q4")
    expect(page.locator("h1")).to_contain_text("2018/19 Q4")
    expect(page).to_have_url(re.compile(r"quarter=2018-19-Q4"))


# --- Priority 7: killed or seriously injured --------------------------------------------------


def test_priority_7_shows_168_ksi_casualties_against_170_a_year_before(
    page, live_server, open_page
):
    open_page(f"{live_server}/priority/7")
    expect(page.locator("h1")).to_have_text(f"Priority 7: {PRIORITY_TITLES[7]}")
    section = page.locator("section.metric-section").filter(
        has=page.get_by_role("link", name=KSI, exact=True)
    )
    expect(section).to_have_count(1)
    summary = section.locator(".chart-summary")
    expect(summary).to_contain_text("168 in 2019/20 Q4")
    expect(summary).to_contain_text(re.compile(r"down 2 \(1\.2%\) on the same quarter last year"))
    # The chart is drawn (not an empty box) and its figures are one click away as a table.
    expect(section.locator(".main-svg").first).to_be_visible()
    section.get_by_text("Show the figures as a table").click()
    rows = section.locator("table tbody tr")
    expect(rows).to_have_count(2)
    assert rows.all_inner_texts() == ["2018/19 Q4\t170", "2019/20 Q4\t168"]
    # The quarter's report says the same in words.
    expect(page.locator("#updates")).to_contain_text("Down from 170 KSI casualties")


# --- Priority 2 by area -----------------------------------------------------------------------


def test_choosing_south_lpa_on_priority_2_shows_its_updates_and_hides_the_west(
    page, live_server, open_page
):
    open_page(f"{live_server}/priority/2")
    updates = page.locator("#updates")
    # Force-wide, both LPAs' updates are there: so "hidden" below means something.
    expect(updates).to_contain_text("West LPA")
    expect(updates).to_contain_text("Thurrock")
    expect(updates).to_contain_text("Community Behaviour Order")

    filter_select(page, "Area").select_option(label="South Local Policing Area")

    expect(page).to_have_url(re.compile(r"area=south-lpa"))
    expect(page.locator(".lead")).to_contain_text("South Local Policing Area")
    expect(updates).not_to_contain_text("Thurrock")
    expect(updates).not_to_contain_text("West LPA")
    expect(updates).to_contain_text("Southend: A two year Community Behaviour Order (CBO)")
    expect(updates).to_contain_text("Rayleigh: A two year CBO")
    # Force-wide updates stay: they apply to every area.
    expect(updates).to_contain_text("Community Trigger process")


def test_a_shared_link_restores_its_filters_after_reload_and_in_a_new_browser(
    page, live_server, open_page, browser
):
    open_page(f"{live_server}/priority/2")
    filter_select(page, "Area").select_option("south-lpa")
    expect(page).to_have_url(re.compile(r"area=south-lpa"))
    expect(page.locator("#updates")).not_to_contain_text("Thurrock")
    link = page.url
    assert query_of(link)["area"] == "south-lpa"

    page.reload()
    expect(page.locator("h1")).to_have_text(f"Priority 2: {PRIORITY_TITLES[2]}")
    expect(filter_select(page, "Area")).to_have_value("south-lpa")
    expect(page.locator("#updates")).to_contain_text("Community Behaviour Order")
    expect(page.locator("#updates")).not_to_contain_text("Thurrock")

    # A colleague opens the emailed link in a browser of their own.
    other = browser.new_context()
    try:
        theirs = other.new_page()
        theirs.goto(link)
        expect(theirs.get_by_role("combobox", name="Area", exact=True)).to_have_value("south-lpa")
        expect(theirs.locator("#updates")).to_contain_text("Community Behaviour Order")
        expect(theirs.locator("#updates")).not_to_contain_text("Thurrock")
    finally:
        other.close()

    # Back walks to the force-wide view the user came from.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"area="))
    expect(filter_select(page, "Area")).to_have_value("essex")
    expect(page.locator("#updates")).to_contain_text("Thurrock")
    page.go_forward()
    expect(filter_select(page, "Area")).to_have_value("south-lpa")


def test_narrative_search_finds_an_operation_and_keeps_the_words_in_the_link(
    page, live_server, open_page
):
    open_page(f"{live_server}/narrative")
    box = page.get_by_role("searchbox", name="Words to find", exact=True)
    box.fill("Operation SCEPTRE")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=Operation\+SCEPTRE"))
    expect(page.locator("p.lead")).to_contain_text("match “Operation SCEPTRE”")
    expect(page.locator("ul.narrative")).to_contain_text("SCEPTRE")
    page.reload()
    expect(page.get_by_role("searchbox", name="Words to find", exact=True)).to_have_value(
        "Operation SCEPTRE"
    )


# --- Keyboard only ----------------------------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const s = getComputedStyle(e);
            return {tag: e.tagName, id: e.id, text: (e.textContent || '').trim().slice(0, 60),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                    shadow: s.boxShadow !== 'none' && !/^rgba\\(0, 0, 0, 0\\) 0px 0px 0px 0px$/.test(s.boxShadow),
                    value: e.value === undefined ? null : e.value};
        }"""
    )


def filter_name(element_id: str) -> str | None:
    match = re.search(r'"name":"(\w+)"', element_id or "")
    return match.group(1) if match and '"type":"filter"' in element_id else None


def tab_to_filter(page, name: str, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if filter_name(now["id"]) == name:
            return now
    raise AssertionError(f"Tab never reached the {name} filter")


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(page, live_server, open_page):
    open_page(f"{live_server}/priority/2")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "A" and first["text"] == "Skip to main content"
    assert first["outline"] or first["shadow"], "the focused skip link shows no focus indicator"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab goes into the page content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('#main').contains(document.activeElement)")


FILTERS_BY_PAGE = [
    ("/", ["quarter", "area"]),
    ("/priority/2", ["quarter", "area"]),
    ("/metric/ksi-casualties", ["quarter", "area"]),
    ("/area/south-lpa", ["quarter"]),
    ("/narrative", ["q", "priority", "area", "quarter"]),
]


@pytest.mark.parametrize(("path", "names"), FILTERS_BY_PAGE, ids=[p for p, _ in FILTERS_BY_PAGE])
def test_a_keyboard_user_can_change_every_filter(page, live_server, open_page, settle, path, names):
    """From the top of the page: skip link, then Tab to each filter and change it by keys alone."""
    for name in names:
        open_page(f"{live_server}{path}")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # skip to main content
        before = tab_to_filter(page, name)
        assert before["outline"] or before["shadow"], f"no visible focus on the {name} filter"
        if before["tag"] == "SELECT":
            options = page.evaluate("() => [...document.activeElement.options].map(o => o.value)")
            expected = options[options.index(before["value"]) + 1]
            page.keyboard.press("ArrowDown")
        else:
            expected = "SCEPTRE"
            page.keyboard.type(expected)
            page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"[?&]{name}={re.escape(expected)}(&|#|$)"))
        settle()
        select = page.locator(f"[id='{before['id']}']")
        expect(select).to_have_value(expected)


def test_focus_stays_on_a_filter_while_its_choice_redraws_the_page(
    page, live_server, open_page, settle
):
    """Arrow keys on a select change it at once; each change redraws the page from the URL.
    A keyboard user pressing ArrowDown twice must still be on the select, not back at the top."""
    open_page(f"{live_server}/priority/2")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to_filter(page, "area")
    page.keyboard.press("ArrowDown")  # North LPA
    expect(page).to_have_url(re.compile(r"area=north-lpa"))
    settle()
    now = focused(page)
    assert filter_name(now["id"]) == "area", f"focus went to {now['tag']} {now['id']!r}"
    # The following options are North's districts (none today), then South: keep going.
    for _ in range(10):
        if focused(page)["value"] == "south-lpa":
            break
        page.keyboard.press("ArrowDown")
        settle()
    expect(page).to_have_url(re.compile(r"area=south-lpa"))
    expect(page.locator("#updates")).to_contain_text("Community Behaviour Order")
    expect(page.locator("#updates")).not_to_contain_text("Thurrock")
    assert filter_name(focused(page)["id"]) == "area"


# --- Friendly errors --------------------------------------------------------------------------

BAD_LINKS = [
    ("/priority/9", "There is no priority “9”: the plan has priorities 1 to 7."),
    ("/metric/nope", "There is no metric “nope” in the data."),
    ("/area/atlantis", "There is no area “atlantis” in the data."),
    ("/no/such/page", "There is no page at /no/such/page."),
    ("/?quarter=2019-20-Q5", "“2019-20-Q5” is not a quarter we recognise"),
    ("/?quarter=2010-11-Q1", "There are no figures for 2010/11 Q1"),
    ("/?area=atlantis", "“atlantis” is not an area in the data"),
    ("/priority/2?priority=12&area=atlantis", "“atlantis” is not an area in the data"),
]


@pytest.mark.parametrize(("path", "message"), BAD_LINKS, ids=[p for p, _ in BAD_LINKS])
def test_unknown_values_in_a_link_give_a_message_and_a_way_back(
    page, live_server, open_page, path, message
):
    open_page(f"{live_server}{path}")
    main = page.locator("#main")
    expect(main).to_contain_text(message)
    text = page.locator("body").inner_text()
    for bad in ("Traceback", "Something went wrong", "Error:", "Internal Server Error"):
        assert bad not in text
    # A way back: the page itself links to the plan at a glance (not only the header).
    if "/?" in path or path.startswith("/priority/2?"):
        expect(filter_select(page, "Quarter")).to_be_visible()  # the page still works
    else:
        back = main.get_by_role("link", name="Go to the plan at a glance")
        back.click()
        expect(page.locator("h1")).to_contain_text("Plan at a glance")


def test_no_severe_errors_in_the_browser_console_on_any_page(page, live_server, open_page):
    responses: list[str] = []
    page.on(
        "response",
        lambda r: responses.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    for path in (
        "/",
        "/priority/1",
        "/priority/7?area=south-lpa",
        "/metric/ksi-casualties",
        "/metric/road-serious-injuries",
        "/area/southend",
        "/narrative?q=Operation+SCEPTRE",
        "/about",
        "/priority/9",
    ):
        open_page(f"{live_server}{path}")
    assert page.browser_errors == []
    assert responses == []


# --- The shell stays, only the view changes ---------------------------------------------------


def test_a_filter_change_asks_the_server_once_and_leaves_the_filter_bar_in_place(
    page, live_server, open_page, settle
):
    """The query string is written in the browser; the one request renders the new view. The
    filter bar and header are the same elements before and after (nothing re-mounted)."""
    open_page(f"{live_server}/priority/2")
    page.evaluate(
        "() => { document.querySelector('.filter-bar').dataset.mark = 'before';"
        " document.querySelector('.site-header').dataset.mark = 'before'; }"
    )
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "_dash-update-component" in r.url else None)
    filter_select(page, "Area").select_option("south-lpa")
    expect(page.locator("#updates")).not_to_contain_text("Thurrock")
    settle()
    assert len(sent) == 1, sent
    assert page.evaluate("document.querySelector('.filter-bar').dataset.mark") == "before"
    assert page.evaluate("document.querySelector('.site-header').dataset.mark") == "before"
    # The navigation's links carry the new filter.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Plan at a glance")).to_have_attribute(
        "href", "/?area=south-lpa"
    )


def test_choosing_the_whole_force_again_shortens_the_link(page, live_server, open_page):
    open_page(f"{live_server}/priority/2?quarter=2018-19-Q4&area=south-lpa")
    filter_select(page, "Area").select_option("essex")
    expect(page).to_have_url(re.compile(r"/priority/2\?quarter=2018-19-Q4$"))
    expect(page.locator(".lead")).to_contain_text("Essex (force-wide)")


def test_a_bad_value_in_a_link_is_dropped_at_the_next_filter_change(page, live_server, open_page):
    open_page(f"{live_server}/?quarter=2019-20-Q5")
    expect(page.locator("#main")).to_contain_text("is not a quarter we recognise")
    filter_select(page, "Area").select_option("south-lpa")
    expect(page).to_have_url(re.compile(r"/\?area=south-lpa$"))
    expect(page.locator("#main")).not_to_contain_text("About this link")
