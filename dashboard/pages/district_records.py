"""On a district's profile: the month's mix of police.uk categories and how its crimes stood at
the file's last outcome, answered from the version's records (dashboard/views/records.py says
every number and sentence). Each chart has its one-line summary and its table; the tables list
every category and every outcome, the outcome chart the largest and one bar for the rest.
"""

from __future__ import annotations

from dash import html

from ..components.chart import ChartPayload, block, chart_payload
from ..figures.record_mix import Part, mix_bars, shown_parts
from ..formatting import format_number
from ..views import ViewModel
from ..views.records import ASB, RECORDS_BASIS, DistrictMonth, Share, district_month

#: Outcomes drawn one bar each; the rest are one bar (every one is in the table).
TOP_OUTCOMES = 7


def records_section(vm: ViewModel, area_id: str, name: str, month: str) -> html.Div | None:
    """The section, or None when the version keeps no records for the month."""
    answer = district_month(vm, area_id, name, month)
    if answer is None or not answer.records:
        return None
    mix = vm.cached("chart", ("record-mix", area_id, month), lambda: _mix_payload(answer))
    outcomes = vm.cached(
        "chart", ("record-outcomes", area_id, month), lambda: _outcome_payload(answer)
    )
    asb = next((s for s in answer.categories if s.label == ASB), None)
    return html.Div(
        [
            html.H3(f"Crime mix and outcomes in {answer.month_words}"),
            html.Ul(
                [
                    html.Li(
                        f"Basis: {RECORDS_BASIS} whose LSOA lies in {name}, every crime and "
                        "anti-social behaviour incident police.uk published for the month."
                    ),
                    html.Li(
                        "Anti-social behaviour incidents"
                        + (f" ({format_number(asb.count)})" if asb else "")
                        + " are not crimes and have no outcome: outcome shares are of the "
                        f"{format_number(answer.crimes)} crimes."
                    ),
                    html.Li(
                        f"Outcomes are the last the police.uk file for {answer.month_words} "
                        f"gives ({answer.file_words}). police.uk gives its files no date, and "
                        "outcomes change as cases progress: a later issue of the month can "
                        "differ."
                    ),
                ],
                className="hint district-records-notes",
            ),
            block(f"chart-record-mix-{area_id}", mix, answer.mix_summary),
            block(f"chart-record-outcomes-{area_id}", outcomes, answer.outcome_summary),
        ],
        className="district-records",
        id="district-records",
    )


def _parts(shares: tuple[Share, ...]) -> list[Part]:
    return [Part(s.label, s.count, s.percent) for s in shares]


def _mix_payload(answer: DistrictMonth) -> ChartPayload:
    figure = mix_bars(
        _parts(answer.categories),
        f"{answer.name}, {answer.month_words}: records by category ({RECORDS_BASIS})",
        "Number of records",
    )
    rows = [[s.label, format_number(s.count), f"{s.percent:.1f}%"] for s in answer.categories]
    rows.append(["All records", format_number(answer.records), "100.0%"])
    return chart_payload(
        figure,
        f"{answer.name}, {answer.month_words}: police.uk records by category ({RECORDS_BASIS}; "
        f"shares of the {format_number(answer.records)} records)",
        ["Category", "Records", "Share of the district's records"],
        rows,
        filename=f"record-mix-{answer.area_id}-{answer.month}",
    )


def _outcome_payload(answer: DistrictMonth) -> ChartPayload:
    figure = mix_bars(
        shown_parts(_parts(answer.outcomes), TOP_OUTCOMES, "Other outcomes"),
        f"{answer.name}, crimes recorded in {answer.month_words}: the last outcome the "
        f"month's file gives ({RECORDS_BASIS})",
        "Number of crimes",
    )
    rows = [[s.label, format_number(s.count), f"{s.percent:.1f}%"] for s in answer.outcomes]
    if answer.without_outcome:
        rows.append(
            [
                "No outcome given",
                format_number(answer.without_outcome),
                f"{100.0 * answer.without_outcome / answer.crimes:.1f}%",
            ]
        )
    rows.append(["All crimes", format_number(answer.crimes), "100.0%"])
    return chart_payload(
        figure,
        f"{answer.name}: last outcomes {answer.outcome_basis} ({RECORDS_BASIS})",
        ["Last outcome", "Crimes", "Share of the month's crimes"],
        rows,
        filename=f"record-outcomes-{answer.area_id}-{answer.month}",
    )
