"""District views (dashboard/views/districts.py): periods with the police.uk gaps, rates per
1,000, the 14 districts together, ranks worded by place and direction of good, small numbers.

Counts are counted here from the police.uk files themselves (../shared/sources/local/police-uk/,
the district is the LSOA name without its trailing code) and checked against the source
README's ASB table (Jan-Mar 2018: Basildon 1,214 ... Uttlesford 381); populations are the cells
of MYE 5, column G "Estimated Population mid-2018", rows 179-199 of
population/ukmidyearestimates20192020ladcodes.xls (read by hand, listed below).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from dashboard.views import districts as d

#: The police.uk months as published, bundled with the repository (byte for byte the copies in
#: ../shared/sources/local/police-uk/; data/published/README.md gives their provenance).
POLICE_UK = Path(__file__).resolve().parents[2] / "data" / "published" / "police-uk"

#: ONS code, name, mid-2018 population (MYE 5 column G; row in brackets).
MID_2018 = {
    "E07000066": ("Basildon", 185_862),  # row 188
    "E07000067": ("Braintree", 151_561),  # row 189
    "E07000068": ("Brentwood", 76_550),  # row 190
    "E07000069": ("Castle Point", 90_070),  # row 191
    "E07000070": ("Chelmsford", 177_079),  # row 192
    "E07000071": ("Colchester", 192_523),  # row 193
    "E07000072": ("Epping Forest", 131_137),  # row 194
    "E07000073": ("Harlow", 86_594),  # row 195
    "E07000074": ("Maldon", 64_425),  # row 196
    "E07000075": ("Rochford", 86_981),  # row 197
    "E06000033": ("Southend-on-Sea", 182_463),  # row 179
    "E07000076": ("Tendring", 145_803),  # row 198
    "E06000034": ("Thurrock", 172_525),  # row 180
    "E07000077": ("Uttlesford", 89_179),  # row 199
}
#: The source README's "ASB by district (count)", Jan-Mar 2018, in its order.
README_ASB_Q1_2018 = [1214, 673, 353, 405, 954, 1123, 712, 770, 209, 298, 1490, 809, 1132, 381]
SOURCE = "ONS mid-2019 estimates (MYE 5)"

needs_sources = pytest.mark.skipif(not POLICE_UK.is_dir(), reason="police.uk files not here")


def _count_months(months: list[str], crime_type: str) -> dict[str, Counter]:
    """Counts by district name and month, from the files (two header styles)."""
    out: dict[str, Counter] = {}
    for month in months:
        path = POLICE_UK / f"{month}-essex-street.csv"
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
            lsoa, kind = header.index("lsoa_name"), header.index("crime_type")
            for row in reader:
                if row[kind] != crime_type or not row[lsoa]:
                    continue
                name = re.sub(r" \d{3}[A-Z]$", "", row[lsoa])
                out.setdefault(name, Counter())[month] += 1
    return out


@pytest.fixture(scope="module")
def asb_q1() -> list[d.District]:
    counted = _count_months(["2018-01", "2018-02", "2018-03"], "Anti-social behaviour")
    return [
        d.District(
            name.lower(),
            name,
            code,
            dict(counted[name]),
            {2018: d.Population(people, 2018, SOURCE)},
        )
        for code, (name, people) in MID_2018.items()
    ]


@needs_sources
def test_counts_from_the_files_match_the_readme(asb_q1):
    period = d.Period("3m-2018-03")
    assert [d.count_in(x.counts, period) for x in asb_q1] == README_ASB_Q1_2018


@needs_sources
def test_rates_ranks_and_summary_for_asb_january_to_march_2018(asb_q1):
    period = d.Period("3m-2018-03")
    rows = [d.row_for(x, period) for x in asb_q1]
    by_name = {r.name: r for r in rows}
    # 1,490 / 182,463 x 1,000 = 8.166; Harlow 770 / 86,594 = 8.892; Maldon 209 / 64,425 = 3.244
    assert by_name["Southend-on-Sea"].rate == pytest.approx(8.166, abs=0.001)
    assert by_name["Harlow"].rate == pytest.approx(8.892, abs=0.001)
    assert by_name["Maldon"].rate == pytest.approx(3.244, abs=0.001)
    entries = d.ranked(rows, "rate")
    assert [e.row.name for e in entries][:2] == ["Harlow", "Southend-on-Sea"]
    assert entries[-1].row.name == "Maldon"
    southend = next(e for e in entries if e.row.name == "Southend-on-Sea")
    assert (
        d.rank_sentence(southend, entries, "rate", "down")
        == "the 2nd highest rate of the 14 districts (lower is better)"
    )
    maldon = entries[-1]
    assert d.rank_sentence(maldon, entries, "rate", "down") == (
        "the lowest rate of the 14 districts (lower is better)"
    )
    assert d.summary(entries, "rate", "anti-social behaviour", period, "down") == (
        "Harlow had the highest rate of anti-social behaviour, 8.89 per 1,000 people in "
        "the three months January to March 2018; Maldon the lowest, 3.24."
    )
    # The 14 together: 10,523 incidents (the README's row summed) over 1,832,752 people
    # (the 14 cells summed; the README's "force area, mid-2018" sum is the same).
    whole = d.together(rows, 2018)
    assert whole is not None
    assert whole.count == sum(README_ASB_Q1_2018) == 10_523
    assert whole.population.value == 1_832_752
    assert whole.rate == pytest.approx(10_523 / 1_832_752 * 1000)
    assert whole.name == "The 14 districts together"


def test_small_counts_are_flagged_and_not_ranked():
    pop = {2018: d.Population(100_000, 2018, SOURCE)}
    rows = [
        d.row_for(d.District("a", "A", "", {"2018-01": 9}, pop), d.Period("2018-01")),
        d.row_for(d.District("b", "B", "", {"2018-01": 40}, pop), d.Period("2018-01")),
        d.row_for(d.District("c", "C", "", {"2018-01": 20}, pop), d.Period("2018-01")),
    ]
    entries = d.ranked(rows, "rate")
    assert [(e.row.name, e.place) for e in entries] == [("B", 1), ("C", 2), ("A", None)]
    assert d.rank_sentence(entries[2], entries, "rate", "down") == ("not ranked: fewer than 10 (9)")
    assert d.rank_sentence(entries[1], entries, "rate", "down") == (
        "the lowest rate of the 2 districts ranked (lower is better)"
    )


def test_the_gap_months_are_named_and_periods_over_them_are_not_offered():
    held = [f"2018-{m:02d}" for m in range(1, 8)] + ["2018-10", "2018-11", "2018-12"]
    held += ["2019-01", "2019-02"]
    assert d.missing_months(held) == ["2018-08", "2018-09"]
    keys = [p.key for p in d.period_options(held)]
    assert keys[0] == "3m-2019-02"  # the latest three months held
    assert "3m-2018-10" not in keys and "3m-2018-09" not in keys and "3m-2018-11" not in keys
    assert "3m-2018-12" in keys and "3m-2018-07" in keys
    assert d.Period("3m-2019-02").words == "December 2018 to February 2019"
    # A year earlier than Jan 2019 is Jan 2018 (held); Dec 2018-Feb 2019 a year earlier
    # needs Dec 2017, which is not: no change.
    counts = {m: 100.0 for m in held}
    pop = {2019: d.Population(1000, 2019, SOURCE), 2018: d.Population(1000, 2018, SOURCE)}
    jan = d.row_for(d.District("x", "X", "", counts, pop), d.Period("2019-01"))
    assert jan.earlier == 100 and jan.change == 0
    three = d.row_for(d.District("x", "X", "", counts, pop), d.Period("3m-2019-02"))
    assert three.earlier is None and three.change_percent is None


def test_ties_share_a_place_counted_from_the_nearer_end():
    pop = {2018: d.Population(1000, 2018, SOURCE)}
    rows = [
        d.row_for(d.District(n, n, "", {"2018-01": c}, pop), d.Period("2018-01"))
        for n, c in (("A", 50), ("B", 40), ("C", 40), ("D", 30), ("E", 20), ("F", 20))
    ]
    entries = d.ranked(rows, "count")
    b = next(e for e in entries if e.row.name == "B")
    assert d.rank_sentence(b, entries, "count", "neutral") == (
        "joint 2nd highest count of the 6 districts ranked (neither higher nor lower is better)"
    )
    f = next(e for e in entries if e.row.name == "F")
    assert d.rank_sentence(f, entries, "count", "up").startswith("joint lowest count")


def test_period_keys_from_the_url():
    assert d.parse_period("3m-2019-02") == d.Period("3m-2019-02")
    assert d.parse_period("2018-13") is None
    assert d.parse_period("<script>") is None
    assert d.parse_period(None) is None


def test_the_14_together_a_year_earlier_uses_that_years_populations():
    """Jan 2019 against Jan 2018: each year's counts over each year's populations."""
    pops = {2018: d.Population(1000, 2018, SOURCE), 2019: d.Population(2000, 2019, SOURCE)}
    rows = [
        d.row_for(d.District(n, n, "", {"2018-01": 0, "2019-01": 10}, pops), d.Period("2019-01"))
        for n in ("A", "B")
    ]
    whole = d.together(rows, 2019)
    assert whole is not None
    assert whole.rate == pytest.approx(20 / 4000 * 1000)
    assert whole.earlier == 0 and whole.earlier_rate == 0  # 0 over 2,000 people, not "no figure"


def test_the_districts_address_names_every_choice_and_bad_ones_are_said(bundled_dataset):
    from dashboard.pages.registry import PATHS
    from dashboard.routing import resolve

    route = resolve(
        "/districts",
        "?measure=policeuk-anti-social-behaviour&period=3m-2019-02&by=change",
        bundled_dataset,
        PATHS,
    )
    assert (route.page, route.measure, route.period, route.rank_by) == (
        "districts",
        "policeuk-anti-social-behaviour",
        "3m-2019-02",
        "change",
    )
    assert route.params == {
        "measure": "policeuk-anti-social-behaviour",
        "period": "3m-2019-02",
        "by": "change",
    }
    bad = resolve("/districts", "?measure=nope&by=loudest", bundled_dataset, PATHS)
    assert bad.measure is None and bad.rank_by is None
    assert any("“nope” is not a measure" in p for p in bad.problems)
    assert any("“loudest” is not a way to rank" in p for p in bad.problems)
