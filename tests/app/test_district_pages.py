"""The districts page and a district profile as rendered (the page callback as a function), on
the bundled data, against the source README's ASB counts by district (Oct-Dec 2018: Basildon
1,139 ... Uttlesford 421) and the mid-2018 cells of MYE 5 column G (rows 179-199)."""

from __future__ import annotations

import pytest
from shell_helpers import SharedStore, text_of

from dashboard.shell import render_page

NAMES = [
    "Basildon", "Braintree", "Brentwood", "Castle Point", "Chelmsford", "Colchester",
    "Epping Forest", "Harlow", "Maldon", "Rochford", "Southend-on-Sea", "Tendring", "Thurrock",
    "Uttlesford",
]  # fmt: skip
#: The source README, "ASB by district (count)", Oct-Dec 2018, in NAMES' order.
ASB_Q3_2018 = [1139, 617, 319, 481, 889, 1172, 660, 823, 196, 243, 1400, 770, 1043, 421]
#: MYE 5 column G (mid-2018), in NAMES' order (rows 188-191, 192-197, 179, 198, 180, 199).
MID_2018 = [
    185_862, 151_561, 76_550, 90_070, 177_079, 192_523, 131_137, 86_594, 64_425, 86_981,
    182_463, 145_803, 172_525, 89_179,
]  # fmt: skip


@pytest.fixture(scope="module")
def store(bundled_dataset):
    return SharedStore(bundled_dataset)


def test_districts_page_ranks_asb_october_to_december_2018_by_rate(store):
    rates = {n: c / p * 1000 for n, c, p in zip(NAMES, ASB_Q3_2018, MID_2018, strict=True)}
    order = sorted(rates, key=lambda n: -rates[n])
    update = render_page(
        store, "/districts", "?measure=policeuk-anti-social-behaviour&period=3m-2018-12&by=rate"
    )
    body = text_of(update.body)
    assert (
        f"{order[0]} had the highest rate of anti-social behaviour incidents, "
        f"{rates[order[0]]:.2f} per 1,000 people in the three months October to December 2018; "
        f"{order[-1]} the lowest, {rates[order[-1]]:.2f}." in body
    )
    together = sum(ASB_Q3_2018) / sum(MID_2018) * 1000
    assert "police.uk counts (not Home Office recorded crime)" in text_of(update.head)
    assert "the 14 districts together" in body.lower()
    assert update.title.startswith("Districts side by side: Anti-social behaviour incidents")
    assert f"{together:.2f}" in str(update.body)  # the dashed line's label, in the chart JSON


def test_a_period_over_the_gap_is_refused_with_a_notice(store):
    update = render_page(
        store, "/districts", "?measure=policeuk-anti-social-behaviour&period=3m-2018-09"
    )
    assert "“3m-2018-09” is not a period the data hold for every month" in text_of(update.head)


def test_southend_profile_ranks_its_asb_rate_among_the_14(store):
    update = render_page(store, "/area/southend", "")
    body = text_of(update.body)
    assert "police.uk figures for Southend-on-Sea" in body
    assert "Aug 2018 and Sep 2018 are not in the data" in body
    # A district without police.uk figures of its own is not profiled: an LPA.
    assert "police.uk figures for" not in text_of(render_page(store, "/area/south-lpa", "").body)
