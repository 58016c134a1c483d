"""The district pages in a real browser (issue 21): a district profile, the 14 districts ranked
and on the map with their table, the area filter changing a metric page's chart; axe clean on
each (and at 200% zoom); the districts page's controls by keyboard, focus kept.

Expected figures are worked out here from the published files themselves, not from the code:
counts from ../shared/sources/local/police-uk/ (the district is the LSOA name without its
trailing " NNNX" code, as the source README says), populations from the cells of MYE 5 in
population/ukmidyearestimates20192020ladcodes.xls (listed below, with their rows).
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

#: The police.uk months as published, bundled with the repository (byte for byte the copies in
#: ../shared/sources/local/police-uk/; data/published/README.md gives their provenance).
POLICE_UK = Path(__file__).resolve().parents[2] / "data" / "published" / "police-uk"

#: MYE 5, columns E (mid-2019) and G (mid-2018); the row of each district in brackets.
POPULATION = {
    "Basildon": (187_199, 185_862),  # row 188
    "Braintree": (152_604, 151_561),  # row 189
    "Brentwood": (77_021, 76_550),  # row 190
    "Castle Point": (90_376, 90_070),  # row 191
    "Chelmsford": (178_388, 177_079),  # row 192
    "Colchester": (194_706, 192_523),  # row 193
    "Epping Forest": (131_689, 131_137),  # row 194
    "Harlow": (87_067, 86_594),  # row 195
    "Maldon": (64_926, 64_425),  # row 196
    "Rochford": (87_368, 86_981),  # row 197
    "Southend-on-Sea": (183_125, 182_463),  # row 179
    "Tendring": (146_561, 145_803),  # row 198
    "Thurrock": (174_341, 172_525),  # row 180
    "Uttlesford": (91_284, 89_179),  # row 199
}
ASB = "Anti-social behaviour"
VSO = "Violence and sexual offences"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

pytestmark = pytest.mark.skipif(not POLICE_UK.is_dir(), reason="police.uk files not here")


def _counts(months: list[str], crime_type: str) -> Counter:
    """Records of the category in the months, by district (rows without an LSOA or outside the
    14 districts are in no district)."""
    found: Counter = Counter()
    for month in months:
        with (POLICE_UK / f"{month}-essex-street.csv").open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
            lsoa, kind = header.index("lsoa_name"), header.index("crime_type")
            for row in reader:
                name = re.sub(r" \d{3}[A-Z]$", "", row[lsoa])
                if row[kind] == crime_type and name in POPULATION:
                    found[name] += 1
    return found


def _rates(counts: Counter, year_column: int) -> dict[str, float]:
    return {n: counts[n] / POPULATION[n][year_column] * 1000 for n in POPULATION}


def _place(rates: dict[str, float], name: str) -> str:
    """'the 2nd highest' / 'the lowest': counted from the nearer end, as a listener hears it."""
    order = sorted(rates, key=lambda n: -rates[n])
    top = order.index(name) + 1
    bottom = len(order) - top + 1
    n, end = (top, "highest") if top <= bottom else (bottom, "lowest")
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {end}" if n == 1 else f"the {n}{suffix} {end}"


def _metric_id(category: str) -> str:
    """The police.uk metric of a category (``published_as`` police-uk:<category>), from the
    served data's catalogue."""
    data = Path(os.environ.get("PCP_DATA_DIR") or Path(__file__).resolve().parents[2] / "data")
    with (data / "metrics.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get("context") == "police_uk" and row["published_as"] == f"police-uk:{category}":
                return row["metric_id"]
    pytest.fail(f"no police.uk metric of {category!r} in {data}/metrics.csv")


def _axe_clean(page, path: str) -> None:
    charts = page.locator(".js-plotly-plot")
    if charts.count():
        expect(charts.first.locator(".main-svg").first).to_be_attached()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], f"axe on {path}: " + "; ".join(
        f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )


def test_southend_profile_gives_its_rates_and_ranks_for_asb_and_violence(
    page, live_server, open_page
):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(f"{live_server}/area/southend")
    profile = page.locator("#district-profile")
    expect(profile.locator("h2")).to_have_text("police.uk figures for Southend-on-Sea")
    expect(profile).to_contain_text("police.uk counts (not Home Office recorded crime)")
    # The latest month held is February 2019 (2019-02-essex-street.csv); mid-2019 populations.
    expect(profile.locator("h3").first).to_have_text("February 2019")
    table = profile.locator("table").first
    profile.get_by_text("Show every measure for February 2019 as a table").click()
    for category in (ASB, VSO):
        counts = _counts(["2019-02"], category)
        rates = _rates(counts, 0)
        row = table.locator("tr", has=page.locator("th", has_text=re.compile(f"^{category}")))
        expect(row).to_have_count(1)
        cells = row.locator("td")
        expect(cells.nth(1)).to_have_text(f"{counts['Southend-on-Sea']:,}")
        expect(cells.nth(2)).to_have_text(f"{rates['Southend-on-Sea']:.2f}")
        expect(cells.nth(4)).to_contain_text(
            f"{_place(rates, 'Southend-on-Sea')} rate of the 14 districts ("
        )
        together = sum(counts.values()) / sum(p[0] for p in POPULATION.values()) * 1000
        expect(cells.nth(3)).to_have_text(f"{together:.2f}")
    # February 2018 is held: a change on a year earlier; the three months Dec 2018 to Feb 2019
    # have no year-earlier figure (Dec 2017 is not in the data).
    asb_feb18 = _counts(["2018-02"], ASB)["Southend-on-Sea"]
    expect(profile).to_contain_text(f"on February 2018 ({asb_feb18:,})")
    expect(profile.locator("h3").nth(1)).to_have_text("December 2018 to February 2019")
    expect(profile).to_contain_text("no figure for the same three months a year earlier")
    _axe_clean(page, "/area/southend")


def test_districts_ranked_with_the_map_and_its_table(page, live_server, open_page):
    page.set_viewport_size({"width": 1366, "height": 768})
    asb = _metric_id(ASB)
    path = f"/districts?measure={asb}&period=3m-2018-03&by=rate"
    open_page(f"{live_server}{path}")
    counts = _counts(["2018-01", "2018-02", "2018-03"], ASB)
    # The source README's ASB table, Jan-Mar 2018: Southend-on-Sea 1,490, Harlow 770.
    assert counts["Southend-on-Sea"] == 1490 and counts["Harlow"] == 770
    rates = _rates(counts, 1)  # mid-2018 populations for a period ending in 2018
    order = sorted(rates, key=lambda n: -rates[n])
    summary = (
        f"{order[0]} had the highest rate of anti-social behaviour incidents, "
        f"{rates[order[0]]:.2f} per 1,000 "
        f"people in the three months January to March 2018; {order[-1]} the lowest, "
        f"{rates[order[-1]]:.2f}."
    )
    expect(page.locator("#districts-summary")).to_have_text(summary)
    # The ranked chart and the map are drawn, each with the one-line summary under it.
    for chart in ("chart-district-ranks", "chart-district-map"):
        block = page.locator(f"#{chart}-block")
        block.scroll_into_view_if_needed()
        expect(block.locator(".main-svg").first).to_be_attached()
        expect(block.locator("figcaption")).to_contain_text(summary)
    # The map writes every district's name and value on it: colour is never the only signal.
    map_text = page.locator("#chart-district-map .annotation-text")
    expect(map_text).to_have_count(14)
    texts = " ".join(map_text.all_text_contents())
    for name in POPULATION:
        assert name in texts
    assert f"{rates['Maldon']:.2f}" in texts
    # Its table: the 14 districts A to Z and the 14 together, with count, population, rate.
    block = page.locator("#chart-district-map-block")
    block.get_by_text("Show the figures as a table").click()
    rows = block.locator("tbody tr")
    expect(rows).to_have_count(15)
    southend = block.locator("tr", has=page.locator("th", has_text="Southend-on-Sea"))
    expect(southend.locator("td").nth(1)).to_have_text("1,490")
    expect(southend.locator("td").nth(2)).to_have_text("182,463 (mid-2018)")
    expect(southend.locator("td").nth(3)).to_have_text(f"{rates['Southend-on-Sea']:.2f}")
    expect(page.locator("#main")).to_contain_text("Contains Ordnance Survey data © Crown copyright")
    _axe_clean(page, path)
    page.set_viewport_size({"width": 683, "height": 384})  # 1366x768 at 200% zoom
    _axe_clean(page, f"{path} at 200%")


def test_the_area_filter_changes_a_metric_pages_chart(page, live_server, open_page, settle):
    page.set_viewport_size({"width": 1366, "height": 768})
    asb = _metric_id(ASB)
    open_page(f"{live_server}/metric/{asb}")
    summary = page.locator("#chart-month-summary")
    expect(summary).to_contain_text("Essex")
    page.get_by_label("Area").select_option("southend")
    page.wait_for_url(re.compile(r"area=southend"))
    settle()
    feb = _counts(["2019-02"], ASB)["Southend-on-Sea"]
    expect(summary).to_contain_text(f"in Southend-on-Sea: {feb:,} in Feb 2019")
    # The missing months are a gap: rows that say so, never a made-up value.
    block = page.locator("#chart-month-block")
    block.get_by_text("Show the figures as a table").click()
    for month in ("Aug 2018", "Sep 2018"):
        row = block.locator("tr", has=page.locator("th", has_text=month))
        expect(row.locator("td")).to_have_text("not in the data")
    expect(page.locator(".gap-hint")).to_contain_text("Aug 2018 and Sep 2018")
    # A figure not published by district says so, as before.
    open_page(f"{live_server}/metric/emergency-calls-999?area=southend")
    expect(page.locator("#main")).to_contain_text("Force-wide figure: not published by area.")
    open_page(f"{live_server}/metric/{asb}?area=southend")
    _axe_clean(page, f"/metric/{asb}?area=southend")


def test_the_districts_controls_work_by_keyboard_and_keep_the_focus(
    page, live_server, open_page, settle
):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(f"{live_server}/districts")
    page.locator("#page-title").focus()
    for label in ("Measure", "Period", "Rank by"):
        for _ in range(6):
            page.keyboard.press("Tab")
            active = page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.labels && e.labels[0] ? e.labels[0].textContent.trim() : e.tagName; }"
            )
            if active.startswith(label):
                break
        assert active.startswith(label), f"Tab did not reach {label}: {active}"
    page.keyboard.press("ArrowDown")  # Rank by: the next choice, count
    page.wait_for_url(re.compile(r"by=count"))
    settle()
    assert page.evaluate("() => document.activeElement.labels[0].textContent.trim()").startswith(
        "Rank by"
    )
    expect(page.locator("#main h2", has_text="Ranked by")).to_have_text("Ranked by count")
    # The choice is in the address: the link opens the same view.
    url = page.url
    assert "by=count" in url
    open_page(url)
    expect(page.get_by_label("Rank by")).to_have_value("count")
