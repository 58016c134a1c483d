"""/about lists each value published more than once in one row: the restated ones first.

The table used to hold one row per publication in seven columns (890 rows, 855 px wide at 200%
zoom); now a row is one value with its publications in one cell, so it reflows."""

from __future__ import annotations

from dashboard.pages.about import REVISION_COLUMNS, _revision_rows
from dashboard.views import views_of


def test_a_restated_value_is_one_row_with_both_figures_and_the_later_shown(bundled_dataset):
    rows, republished, restated = _revision_rows(views_of(bundled_dataset))
    knife = [
        r
        for r in rows
        if r[0].startswith("Knife or sharp instrument offences")
        and r[1].startswith("Essex")
        and r[2] == "12 months to Mar 2018"
    ]
    # ONS 'Table P5', Essex, Apr '17 to Mar '18: 704 in the March 2018 edition, 938 in the
    # June 2018 (corrected) to June 2019 editions, 937 in the December 2019 edition.
    assert len(knife) == 1
    published, shown = knife[0][3], knife[0][4]
    assert published.index("704 in") < published.index("938 in") < published.index("937 in")
    assert "published 2018-07" in published and "published 2020-04" in published
    assert shown == "937 (restated)"
    assert len(knife[0]) == len(REVISION_COLUMNS)
    assert 0 < restated < republished


def test_the_restated_values_come_before_those_published_again_unchanged(bundled_dataset):
    rows, _, restated = _revision_rows(views_of(bundled_dataset))
    flags = [r[4].endswith("(restated)") for r in rows]
    listed = min(restated, len(rows))  # the page lists the first REVISIONS_SHOWN only
    assert flags[:listed] == [True] * listed
    assert not any(flags[listed:])
