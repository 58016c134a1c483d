"""On /districts, for a police.uk crime category: how the period's crimes of that category stood
at the file's last outcome in each of the 14 districts, from the version's records
(dashboard/views/records.py says every number). A table with its one-line summary: the outcomes
most common in the districts together a column each, the rest one column; districts with fewer
than 10 such crimes are listed, their shares not given.
"""

from __future__ import annotations

from dash import html

from ..components.tables import data_table
from ..formatting import format_number
from ..views import ViewModel
from ..views.district_inputs import DistrictComparison
from ..views.records import RECORDS_BASIS, SMALL_CRIMES, OutcomeRow, outcomes_across

PREFIX = "police-uk:"


def outcomes_section(vm: ViewModel, c: DistrictComparison) -> html.Section | None:
    """The section, or None: no records for the period, not a police.uk crime category."""
    if c.measure is None or c.period is None:
        return None
    published = str(vm.metric(c.measure.metric_id).get("published_as") or "")
    if not published.startswith(PREFIX):
        return None
    districts = tuple((r.area_id, r.name) for r in c.rows)
    answer = outcomes_across(vm, published[len(PREFIX) :], tuple(c.period.months), districts)
    if answer is None or not answer.together.crimes:
        return None
    columns = [
        "District",
        "Crimes",
        *(f"“{name}”" for name in answer.columns),
        "Any other outcome",
    ]
    rows = [_cells(r) for r in answer.rows] + [_cells(answer.together)]
    return html.Section(
        [
            html.H2(f"{answer.crime_type} crimes by last outcome, {answer.period_words}"),
            html.P(answer.summary, className="latest-note", id="district-outcomes-summary"),
            html.P(
                f"{RECORDS_BASIS}: each district's crimes of the category by the last outcome "
                f"the police.uk file for the month gives ({answer.file_words}). police.uk gives "
                "its files no date, and outcomes change as cases progress. Shares of a "
                f"district's own crimes; fewer than {SMALL_CRIMES} crimes: no share given.",
                className="hint",
            ),
            data_table(
                f"{answer.crime_type} crimes in the 14 districts, {answer.period_words}, by last "
                f"outcome ({RECORDS_BASIS}; shares of each district's crimes)",
                columns,
                rows,
                page_size=None,
            ),
        ],
        className="metric-section district-outcomes",
        id="district-outcomes",
    )


def _cells(row: OutcomeRow) -> list[str]:
    if row.small:
        return [
            row.name,
            f"{format_number(row.crimes)} (fewer than {SMALL_CRIMES}: no shares)",
            *(format_number(s.count) for s in row.shares),
        ]
    return [row.name, format_number(row.crimes), *(s.words for s in row.shares)]
