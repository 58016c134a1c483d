"""/districts?measure=...&period=...&by=...: Essex's 14 districts side by side for one police.uk
measure and period: ranked (rate per 1,000 people, count, or change on a year earlier), the 14
districts together marked, and the map shaded by the same measure with the same figures as a
table. Every number and sentence comes from dashboard/views/district_inputs.py.
"""

from __future__ import annotations

from dash import dcc, html

from ..components.chart import ChartPayload, block, chart_payload
from ..components.layout import notices
from ..figures.district_bars import Bar, ranked_bars
from ..figures.district_map import ATTRIBUTION, MapArea, district_map
from ..figures.monthly import gap_words
from ..formatting import format_number
from ..routing import build_query
from ..views import ViewModel
from ..views.district_inputs import DistrictComparison, comparison
from ..views.districts import (
    MEASURES,
    POLICE_UK_BASIS,
    SMALL_COUNT,
    TOGETHER,
    Row,
    rank_sentence,
    value_text,
)
from ..views.ranks import GOOD_WORDS
from .base import Context, PageContent
from .common import page_title
from .district_outcomes import outcomes_section

HEADING = "Districts side by side"
AXIS = {
    "rate": "Per 1,000 people",
    "count": "Count",
    "change": "Change on the same period a year earlier",
}


def districts_href(measure: str | None, period: str | None, by: str | None = None) -> str:
    """A link naming every choice, so it opens the same view after new months arrive."""
    return "/districts" + build_query(None, measure=measure, period=period, by=by)


def title(ctx: Context) -> str:
    c = _comparison(ctx)
    if c.measure is None or c.period is None:
        return HEADING
    return f"{HEADING}: {c.measure.label}, {c.period.words}"


def _comparison(ctx: Context) -> DistrictComparison:
    route = ctx.route
    return comparison(ctx.views, route.measure, route.period, route.rank_by)


def layout(ctx: Context) -> PageContent:
    vm = ctx.views
    c = _comparison(ctx)
    head: list = [page_title(HEADING)]
    if c.measure is None or c.period is None:
        head.append(html.P(c.summary, className="lead"))
        return PageContent(head=head)
    head.append(
        html.P(
            f"{c.measure.label} · {c.period.words} · {POLICE_UK_BASIS} · ranked by "
            f"{MEASURES[c.by]}",
            className="lead",
        )
    )
    if c.problem:
        head.append(notices([c.problem]))
    key = (c.measure.metric_id, c.period.key, c.by)
    bars = vm.cached("chart", ("district-bars", *key), lambda: _bars_payload(c))
    map_payload = vm.cached("chart", ("district-map", *key), lambda: _map_payload(c))
    body = [
        html.P(c.summary, className="latest-note", id="districts-summary"),
        html.Section(
            [
                html.H2(f"Ranked by {MEASURES[c.by]}"),
                block("chart-district-ranks", bars, c.summary),
            ],
            className="metric-section",
        ),
        html.Section(
            [
                html.H2("On the map"),
                block("chart-district-map", map_payload, _map_summary(c)),
                html.P(ATTRIBUTION, className="hint map-attribution"),
            ],
            className="metric-section",
        ),
        _reading(c),
        outcomes_section(vm, c),
    ]
    return PageContent(head=head, body=body)


def _columns(c: DistrictComparison) -> list[str]:
    assert c.period is not None
    earlier = c.period.year_earlier()
    return [
        "District",
        "Rank" if c.by != "change" else "Place",
        f"Count, {c.period.short}",
        "Population (mid-year)",
        "Per 1,000 people",
        f"Count, {earlier.short}",
        "Change on a year earlier",
        "Note",
    ]


def _table_rows(c: DistrictComparison) -> list[list[str]]:
    def cells(place: str, row: Row, note: str) -> list[str]:
        return [
            row.name,
            place,
            format_number(row.count) if row.count is not None else "not in the data",
            f"{format_number(row.population.value)} (mid-{row.population.year})"
            if row.population
            else "no population",
            value_text(row, "rate"),
            format_number(row.earlier) if row.earlier is not None else "not in the data",
            value_text(row, "change"),
            note,
        ]

    out = []
    for entry in c.entries:
        note = "" if entry.place is not None else rank_sentence(entry, c.entries, c.by, "neutral")
        if entry.row.small and entry.place is not None:
            note = f"fewer than {SMALL_COUNT}"
        place = "" if entry.place is None else f"{'=' if entry.tied else ''}{entry.place}"
        out.append(cells(place, entry.row, note))
    if c.together is not None:
        out.append(cells("", c.together, "sum of the counts over the sum of the populations"))
    return out


def _caption(c: DistrictComparison) -> str:
    assert c.measure is not None and c.period is not None
    return (
        f"{c.measure.label}, {c.period.words}: the 14 districts ranked by {MEASURES[c.by]}, "
        f"highest first ({POLICE_UK_BASIS}; populations: {c.population_words})"
    )


def _bars_payload(c: DistrictComparison) -> ChartPayload:
    assert c.measure is not None and c.period is not None
    bars = [
        Bar(
            e.row.name,
            e.row.value(c.by),
            value_text(e.row, c.by)
            if e.place is not None
            else f"{value_text(e.row, c.by) if e.row.value(c.by) is not None else ''} "
            f"({rank_sentence(e, c.entries, c.by, 'neutral')})".strip(),
            e.place is not None,
        )
        for e in c.entries
    ]
    line = c.together.value(c.by) if c.together is not None and c.by != "count" else None
    line_label = (
        f"{TOGETHER}, {value_text(c.together, c.by)}"
        if c.together is not None and line is not None
        else ""
    )
    figure = ranked_bars(
        bars,
        f"{c.measure.label}, {MEASURES[c.by]}, {c.period.words}: {POLICE_UK_BASIS}",
        AXIS[c.by],
        line=line,
        line_label=line_label,
        percent=c.by == "change",
    )
    return chart_payload(
        figure,
        _caption(c),
        _columns(c),
        _table_rows(c),
        filename=f"districts-{c.measure.metric_id}-{c.period.key}-{c.by}",
    )


def _map_summary(c: DistrictComparison) -> str:
    return f"Map of the 14 districts shaded by {MEASURES[c.by]}, each labelled. {c.summary}"


def _map_payload(c: DistrictComparison) -> ChartPayload:
    assert c.measure is not None and c.period is not None
    areas = [
        MapArea(
            e.row.code,
            e.row.name,
            e.row.value(c.by),
            value_text(e.row, c.by),
            small=e.row.small,
        )
        for e in c.entries
    ]
    legend = {"rate": "Per 1,000 people", "count": "Count", "change": "Change (%)"}[c.by]
    figure = district_map(
        areas,
        f"{c.measure.label}, {MEASURES[c.by]}, {c.period.words}: {POLICE_UK_BASIS}",
        legend,
        value_format={"rate": ",.1f", "count": ",d", "change": "+,.0f"}[c.by],
    )
    rows = sorted(_table_rows(c)[: len(c.entries)], key=lambda r: r[0])
    if c.together is not None:
        rows += _table_rows(c)[len(c.entries) :]
    return chart_payload(
        figure,
        f"{c.measure.label}, {c.period.words}: each district's figures, A to Z "
        f"({POLICE_UK_BASIS}; populations: {c.population_words})",
        _columns(c),
        rows,
        filename=f"districts-map-{c.measure.metric_id}-{c.period.key}-{c.by}",
    )


def _reading(c: DistrictComparison) -> html.Section:
    assert c.measure is not None and c.period is not None
    gaps = (
        f"The data hold no police.uk figures for {gap_words(c.missing)}: periods that would "
        "include them are not offered, and nothing is filled in."
        if c.missing
        else ""
    )
    direction = GOOD_WORDS.get(c.measure.direction, GOOD_WORDS["neutral"])
    return html.Section(
        [
            html.H2("Reading these figures"),
            html.Ul(
                [
                    html.Li(
                        f"These are {POLICE_UK_BASIS}: police.uk's own categories, its "
                        "anti-social behaviour rows are incidents, and its counts do not "
                        "reconcile with the ONS recorded crime tables."
                    ),
                    html.Li(
                        f"Rates are per 1,000 people: the district's count over its own "
                        f"population, from the {c.population_words}. A period uses the "
                        "population of the year its last month is in."
                    ),
                    html.Li(
                        f"{TOGETHER[:1].upper()}{TOGETHER[1:]}: the sum of the 14 districts' "
                        "counts over the sum of their populations. police.uk records outside "
                        "the 14 districts or without a location are not in any district's count."
                    ),
                    html.Li(
                        f"Districts with a count under {SMALL_COUNT} are flagged and not ranked: "
                        "small numbers swing widely from month to month."
                    ),
                    html.Li(
                        f"Ranks are places from the highest value ({direction} for this "
                        "measure); districts with the same value share a place (=)."
                    ),
                    html.Li(gaps) if gaps else None,
                    html.Li(
                        "A change on a year earlier compares two periods only; it is not a "
                        "verdict (each district's page says whether its months are signal or "
                        "noise). The Home Office Counting Rules changed for stalking and "
                        "harassment in April 2018 (a break the data record for the force's own "
                        "and the ONS violence series): a change in a violence measure across "
                        "April 2018 may reflect it."
                    )
                    if c.by == "change"
                    else None,
                    html.Li(
                        [
                            "Each district's own page has its figures month by month: ",
                            *_district_links(c),
                        ]
                    ),
                ]
            ),
        ],
        id="districts-reading",
    )


def _district_links(c: DistrictComparison) -> list:
    links: list = []
    for row in sorted(c.rows, key=lambda r: r.name):
        if links:
            links.append(", ")
        links.append(dcc.Link(row.name, href=f"/area/{row.area_id}"))
    return links


def districts_link(vm: ViewModel) -> html.P:
    return html.P(dcc.Link("Districts side by side", href=districts_href(None, None)))
