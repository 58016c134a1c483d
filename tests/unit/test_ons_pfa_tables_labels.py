"""The ONS PFA tables' labels as printed: footnote digits glued to names and headings, and the
period headings of Tables P5 and P7 (examples copied from the editions' cells)."""

from __future__ import annotations

import pytest

from dashboard.publishers.ons_pfa_tables import _span_period, split_footnotes


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Essex10", ("Essex", [10])),  # pfatablesdec19.xlsx, 'Table P1' B38
        ("ENGLAND AND WALES7,8", ("ENGLAND AND WALES", [7, 8])),  # same sheet, B7
        ("Stalking and harassment 5", ("Stalking and harassment", [5])),  # I5
        ("Residential burglary6,7", ("Residential burglary", [6, 7])),
        (
            "Total recorded crime (excluding fraud3)",
            ("Total recorded crime (excluding fraud)", [3]),
        ),
        ("Violence with injury", ("Violence with injury", [])),
        ("West Midlands", ("West Midlands", [])),
    ],
)
def test_footnote_digits_are_split_from_labels(label, expected):
    assert split_footnotes(label) == expected


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Apr '10 to Mar '11", ("12m-to-2011-03", "Apr '10 to Mar '11", [])),  # P5, C4
        ("Jan '19 to Dec '19", ("12m-to-2019-12", "Jan '19 to Dec '19", [])),
        # P7 of the March 2019 edition: footnote markers glued after the year
        ("Apr '07 to Mar '084", ("12m-to-2008-03", "Apr '07 to Mar '08", [4])),
        ("Apr '11 to Mar '126,7,8", ("12m-to-2012-03", "Apr '11 to Mar '12", [6, 7, 8])),
        ("% change Jan 2019 to Dec 2019\n compared with:", None),
        ("Apr '10 to Mar '12", None),  # not 12 months
    ],
)
def test_period_headings(heading, expected):
    assert _span_period(heading) == expected
