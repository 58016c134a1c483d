"""The district profile at the top of a district's area page (/area/southend): its police.uk
figures by priority for the latest month and the latest three months held, rates per 1,000
people against the 14 districts together, its rank among the 14, the change on a year earlier
and the signal-or-noise verdict (dashboard/views/district_profile.py says every number).
"""

from __future__ import annotations

from dash import dcc, html

from ..components.chart import ChartPayload, block, chart_payload
from ..components.tables import data_table
from ..figures.monthly import gap_words, monthly_figure, monthly_rows
from ..formatting import format_number
from ..routing import Route
from ..views import ViewModel
from ..views.district_inputs import comparison
from ..views.district_profile import DistrictProfile, MeasureLine, district_profile
from ..views.districts import POLICE_UK_BASIS, TOGETHER, all_months, value_text
from .district_records import records_section
from .districts import districts_href

#: Sentences above the tables: the measures with the most records in the district.
KEY_LINES = 3


def profile_section(vm: ViewModel, area_id: str, route: Route) -> html.Section | None:
    profile = district_profile(vm, area_id)
    if profile is None or not profile.periods:
        return None
    parts: list = [
        html.H2(f"police.uk figures for {profile.name}"),
        html.P(
            [
                f"These are {POLICE_UK_BASIS}, by month: "
                f"{len(profile.months)} months held, "
                f"{_month_words(profile.months[0])} to {_month_words(profile.months[-1])}"
                + (
                    f"; {gap_words(profile.missing)} are not in the data (gaps, never filled in)"
                    if profile.missing
                    else ""
                )
                + f". Rates are per 1,000 people, from the {profile.population_words}; "
                f"“{TOGETHER}” is the sum of their counts over the sum of their populations. ",
                dcc.Link(
                    "All 14 districts side by side",
                    href=districts_href(None, profile.periods[0].key, "rate"),
                ),
                ".",
            ],
            className="hint",
        ),
    ]
    for index, period in enumerate(profile.periods):
        lines = profile.lines.get(period.key, ())
        key = sorted(lines, key=lambda line: -(line.row.count or 0))[:KEY_LINES]
        parts += [
            html.H3(f"{period.words[:1].upper()}{period.words[1:]}"),
            html.Ul([html.Li(line.sentence) for line in key], className="district-key-lines"),
            data_table(
                f"{profile.name}, {period.words}: each police.uk measure ({POLICE_UK_BASIS})",
                _columns(index == 0),
                [_row(line, index == 0) for line in lines],
                collapsed=f"Show every measure for {period.words} as a table",
            ),
        ]
    month = next((p.key for p in profile.periods if len(p.months) == 1), None)
    if month is not None:
        parts.append(records_section(vm, area_id, profile.name, month))
    chart = _rate_chart(vm, profile, route)
    if chart is not None:
        parts.append(chart)
    return html.Section(parts, className="district-profile", id="district-profile")


def _month_words(month: str) -> str:
    return gap_words([month])


def _columns(with_verdict: bool) -> list[str]:
    columns = [
        "Measure",
        "Priority",
        "Count",
        "Per 1,000 people",
        f"{TOGETHER[:1].upper()}{TOGETHER[1:]} (per 1,000)",
        "Rank among the 14 districts (by rate)",
        "Change on the same period a year earlier",
    ]
    if with_verdict:
        columns.append("Signal or noise (monthly counts)")
    return columns


def _row(line: MeasureLine, with_verdict: bool) -> list[str]:
    cells = [
        line.measure.label,
        str(line.priority),
        format_number(line.row.count) if line.row.count is not None else "not in the data",
        value_text(line.row, "rate"),
        value_text(line.together, "rate") if line.together is not None else "no figure",
        line.rank,
        line.change,
    ]
    if with_verdict:
        cells.append(line.verdict)
    return cells


def _rate_chart(vm: ViewModel, profile: DistrictProfile, route: Route) -> html.Div | None:
    """The district's monthly rate per 1,000 people against the 14 districts together, for the
    measure with the most records in the latest three months."""
    lines = profile.lines.get(profile.periods[-1].key, ())
    if not lines:
        return None
    top = max(lines, key=lambda line: line.row.count or 0).measure
    payload = vm.cached(
        "chart",
        ("district-rate", profile.area_id, top.metric_id),
        lambda: _rate_payload(vm, profile, top.metric_id, top.label),
    )
    summary = (
        f"{top.label} per 1,000 people in {profile.name}, month by month, against {TOGETHER}"
        + (
            f"; no line across {gap_words(profile.missing)} (not in the data)."
            if profile.missing
            else "."
        )
    )
    return html.Div(
        [
            html.H3(f"{top.label}: the rate month by month"),
            block(f"chart-district-rate-{top.metric_id}", payload, summary),
            html.P(
                dcc.Link(
                    f"{top.label} in {profile.name}: every month, and whether the latest is "
                    "signal or noise",
                    href=f"/metric/{top.metric_id}{route.query(area=profile.area_id)}",
                ),
                className="district-more",
            ),
        ]
    )


def _rate_payload(
    vm: ViewModel, profile: DistrictProfile, metric_id: str, label: str
) -> ChartPayload:
    mine: dict[str, float] = {}
    whole: dict[str, float] = {}
    for month in profile.months:
        c = comparison(vm, metric_id, month, "rate")
        row = next((r for r in c.rows if r.area_id == profile.area_id), None)
        if row is not None and row.rate is not None:
            mine[month] = row.rate
        if c.together is not None and c.together.rate is not None:
            whole[month] = c.together.rate
    months = all_months(list(profile.months))
    figure = monthly_figure(
        months,
        {m: round(v, 2) for m, v in mine.items()},
        f"{label} per 1,000 people: {profile.name} and {TOGETHER}",
        "rate",
        comparator={m: round(v, 2) for m, v in whole.items()},
        comparator_name=TOGETHER[:1].upper() + TOGETHER[1:],
        decimals=2,
        basis=POLICE_UK_BASIS,
    )
    rows = [
        r + [c[1]]
        for r, c in zip(
            monthly_rows(months, mine, "rate", 2),
            monthly_rows(months, whole, "rate", 2),
            strict=True,
        )
    ]
    return chart_payload(
        figure,
        f"{label} per 1,000 people by month: {profile.name} and {TOGETHER} ({POLICE_UK_BASIS}; "
        f"populations: {profile.population_words})",
        ["Month", profile.name, TOGETHER[:1].upper() + TOGETHER[1:]],
        rows,
        filename=f"district-rate-{profile.area_id}-{metric_id}",
    )
