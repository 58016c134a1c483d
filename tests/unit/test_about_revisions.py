"""/about lists each value published more than once in one row: the restated ones first.

The table used to hold one row per publication in seven columns (890 rows, 855 px wide at 200%
zoom); now a row is one value with its publications in one cell, so it reflows."""

from __future__ import annotations

from dashboard.pages.about import REVISION_COLUMNS, _revision_rows
from dashboard.views import views_of


def test_a_restated_value_is_one_row_with_both_figures_and_the_later_shown(bundled_dataset):
    rows, republished, restated = _revision_rows(views_of(bundled_dataset))
    specials = [
        r
        for r in rows
        if r[0].startswith("Special Constables")
        and r[1].startswith("Essex")
        and r[2] == "30 Sep 2015"
    ]
    # The Home Office's 30 September 2015 edition said 361; the 2016 edition restated it as 353.
    assert len(specials) == 1
    published, shown = specials[0][3], specials[0][4]
    assert published.index("361 in") < published.index("353 in")  # oldest first
    assert "published 2016-01-28" in published and "published 2017-01-26" in published
    assert shown == "353 (restated)"
    assert len(specials[0]) == len(REVISION_COLUMNS)
    assert 0 < restated < republished


def test_the_restated_values_come_before_those_published_again_unchanged(bundled_dataset):
    rows, _, restated = _revision_rows(views_of(bundled_dataset))
    flags = [r[4].endswith("(restated)") for r in rows]
    assert flags[:restated] == [True] * restated
    assert not any(flags[restated:])
