"""/compare/<metric>?period=...: how Essex compares with its most similar group of forces and
England and Wales, for one metric and period (dashboard/views/compare.py says every number).

Reached from the metric page and the priority pages (:func:`compare_link`); the period is in the
URL (the Period filter), so a link opens the same comparison.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import dcc, html

from ..components.chart import ChartPayload, block, chart_payload
from ..components.layout import notices
from ..components.tables import data_table
from ..data.periods import period_display, period_end
from ..figures.compare import change_figure, group_trend_figure
from ..formatting import format_value
from ..routing import Route, build_query
from ..views import ViewModel
from ..views.compare import (
    GROUP_WORDS,
    Comparison,
    comparable,
    comparable_metrics,
    comparison,
    force_name,
    ranked_by_good,
    signed_percent,
    signed_value,
)
from ..views.ranks import better_count, rank_reading, standing_sentence, table_order
from ..views.text import basis_label, direction_of_good
from .base import Context, PageContent
from .common import page_title

HEADING = "How Essex compares"


def compare_href(metric_id: str, route: Route | None = None, period: str | None = None) -> str:
    """The comparison of a metric, for the route's quarter (its latest period by then)."""
    query = build_query(None, quarter=route.quarter if route else None, period=period)
    return f"/compare/{metric_id}{query}"


def compare_link(vm: ViewModel, metric_id: str, route: Route) -> html.P | None:
    """'How Essex compares with its most similar group of forces': on the metric and priority
    pages, for a metric other forces publish too."""
    if not comparable(vm, metric_id):
        return None
    force = force_name(vm, vm.force_id)
    return html.P(
        dcc.Link(
            f"How {force} compares with its {GROUP_WORDS} and England and Wales",
            href=compare_href(metric_id, route),
        ),
        className="compare-link",
    )


def title(ctx: Context) -> str:
    vm = ctx.views
    found = comparison(vm, ctx.route.subject or "", ctx.route.period, ctx.quarter)
    words = f", {found.period_label}" if found.period else ""
    return f"{HEADING}: {found.name}{words}"


def layout(ctx: Context) -> PageContent:
    vm, route = ctx.views, ctx.route
    metric_id = route.subject or ""
    metric = vm.metric(metric_id)
    force = force_name(vm, vm.force_id)
    head: list[Any] = [page_title(f"{HEADING}: {_name(metric)}")]
    if not comparable(vm, metric_id):
        return PageContent(head=head, body=_not_comparable(vm, metric, force, route))
    c = comparison(vm, metric_id, route.period, ctx.quarter)
    head.append(
        html.P(
            f"{c.period_words[:1].upper()}{c.period_words[1:]} · {basis_label(c.basis)} · "
            f"{direction_of_good(metric)} · national statistics",
            className="lead",
        )
    )
    if c.problem:
        head.append(notices([c.problem]))
    body: list = [
        html.P(
            [
                dcc.Link(f"Back to {metric['label']}", href=f"/metric/{metric_id}{route.query()}"),
            ],
            className="hint",
        ),
        html.P(
            [
                html.Strong(c.latest_note[:1].upper() + c.latest_note[1:] + ". "),
                _latest_sentence(c),
            ],
            className="latest-note",
        )
        if c.latest_note
        else None,
        _change_section(vm, c, force),
        _rank_section(c, force),
        _trend_section(vm, c, force),
        _group_section(c, force),
        html.Section(
            [
                html.H2("Reading these figures"),
                html.Ul(
                    [
                        html.Li(
                            "These are counts, not rates per head of population: no population "
                            "figure for every force and year is in the sources, so forces of "
                            "different sizes are compared by their change over 12 months, not "
                            "by their level."
                        ),
                        html.Li(rank_reading(str(metric["direction"]))),
                        html.Li(["Caveats: ", metric["caveats"]])
                        if isinstance(metric.get("caveats"), str) and metric["caveats"]
                        else None,
                    ]
                ),
            ]
        ),
    ]
    return PageContent(head=head, body=body)


def _latest_sentence(c: Comparison) -> str:
    """The national tables end before the quarterly updates' quarters: said in a few words."""
    return "The national tables end there, before the quarter chosen elsewhere."


def _not_comparable(vm: ViewModel, metric: dict, force: str, route: Route) -> list:
    others = comparable_metrics(vm)
    return [
        html.P(
            f"No other force's figures for {metric['label'].lower()} are in the data, so there "
            f"is nothing to compare {force} with. These measures are published for every "
            "force in England and Wales:"
        ),
        html.Ul(
            [
                html.Li(dcc.Link(m["label"], href=compare_href(m["metric_id"], route)))
                for m in others
            ]
        ),
    ]


def _group_section(c: Comparison, force: str) -> html.Section:
    group = c.group
    if group is None:
        return html.Section(
            [html.H2(f"The {GROUP_WORDS}"), html.P(f"No group of forces is named for {force}.")]
        )
    names = [line.name for line in c.lines if line.role == "peer"]
    return html.Section(
        [
            html.H2(f"{force}'s {GROUP_WORDS}"),
            html.P(
                f"Each police force is grouped nationally with the forces most like it, so that "
                f"like can be compared with like: its {GROUP_WORDS}. This page uses {force}'s "
                f"group as named in {group.source_title} ({_month(group.as_of)}): "
                + ", ".join(names)
                + ". Groups are revised from time to time; no later source in the data names "
                "the members, so this group is used for every period."
            ),
            html.Blockquote(f"“{group.source_sentence}”", className="source-quote"),
        ],
        className="compare-group",
    )


def _month(as_of: str) -> str:
    try:
        return f"{dt.date.fromisoformat(as_of + '-01'):%B %Y}"
    except ValueError:
        return as_of


def _change_section(vm: ViewModel, c: Comparison, force: str) -> html.Section:
    payload = vm.cached(
        "chart", ("compare-change", c.metric["metric_id"], c.period), lambda: _change_payload(c)
    )
    return html.Section(
        [
            html.H2(f"Change on a year earlier: {c.period_words}"),
            block("chart-compare-change", payload, c.summary),
        ],
        className="metric-section",
    )


def _change_payload(c: Comparison) -> ChartPayload:
    title = f"{c.name}: change on a year earlier, {c.period_words}"
    columns = ["Area", c.earlier_label, c.period_label, "Change", "Change (%)", "Note"]
    rows = [
        [
            line.name,
            format_value(line.before, c.unit) if line.before is not None else "–",
            format_value(line.now, c.unit) if line.now is not None else "–",
            signed_value(line.change.absolute if line.change else None, c.unit),
            signed_percent(line.percent),
            line.note,
        ]
        for line in c.lines
    ]
    return chart_payload(
        change_figure(c.lines, title),
        f"{c.name}: {c.earlier_label} and {c.period_label}, and the change",
        columns,
        rows,
        filename=f"compare-{c.metric['metric_id']}-{c.period}",
    )


def _rank_section(c: Comparison, force: str) -> html.Section:
    if c.national_rank is None or c.national_standing is None:
        return html.Section(
            [
                html.H2("Rank among the forces"),
                html.P(f"{force} has no change over 12 months to rank for this period."),
            ]
        )
    direction = str(c.metric["direction"])
    out_of = c.national_standing.out_of
    rows = [
        [
            str(place),
            r.name,
            format_value(r.before, c.unit),
            format_value(r.now, c.unit),
            signed_percent(r.percent),
        ]
        for place, r in ranked_by_good(c)
    ]
    sentence = standing_sentence(force, c.national_standing, c.group_standing, direction)
    return html.Section(
        [
            html.H2(f"Rank among the {out_of} forces"),
            html.P(
                f"{sentence}: {better_count(c.national_standing, direction)}.",
                id="compare-rank",
            ),
            data_table(
                f"Every force's change over 12 months to {c.period_label}, "
                f"{table_order(direction)}",
                [
                    "Rank" if direction != "neutral" else "Place",
                    "Force",
                    c.earlier_label,
                    c.period_label,
                    "Change (%)",
                ],
                rows,
                row_headers=False,
                collapsed=f"Show all {len(rows)} forces as a table",
            ),
        ],
        className="metric-section",
        id="compare-rank-section",
    )


def _trend_section(vm: ViewModel, c: Comparison, force: str) -> html.Section:
    payload = vm.cached(
        "chart", ("compare-trend", c.metric["metric_id"]), lambda: _trend_payload(vm, c, force)
    )
    return html.Section(
        [
            html.H2(f"{force} against its group over time"),
            html.P(
                f"Each line is shown as an index: its figure divided by its figure in the first "
                f"period, times 100, so {force}, the group's average and England and Wales share "
                "one scale whatever their size.",
                className="hint",
            ),
            block("chart-compare-trend", payload, c.trend_summary),
        ],
        className="metric-section",
    )


def _trend_payload(vm: ViewModel, c: Comparison, force: str) -> ChartPayload:
    marks = []
    for row in vm.dataset.discontinuities.itertuples():
        if row.metric_id == c.metric["metric_id"] and row.basis == c.basis:
            word = "Caveat" if getattr(row, "kind", None) == "caveat" else "Break"
            marks.append(
                (period_end(c.basis, row.period), f"{word}: {period_display(c.basis, row.period)}")
            )
    series = {
        "focus": [p.focus_index for p in c.trend],
        "group": [p.group_index for p in c.trend],
        "national": [p.national_index for p in c.trend],
    }
    figure = group_trend_figure(
        c.trend_ends,
        series,
        f"{c.name}: {force}, the group's average and England and Wales (index)",
        names={"focus": force},
        marks=marks,
        axis_title="Twelve months ending" if c.basis == "rolling_12m" else "",
    )

    def text(value: float | None, unit: str = "count") -> str:
        return "–" if value is None else format_value(value, unit)

    rows = [
        [
            period_display(c.basis, p.period),
            text(p.focus, c.unit),
            text(p.group_average, c.unit),
            text(p.national, c.unit),
            text(p.focus_index),
            text(p.group_index),
            text(p.national_index),
        ]
        for p in c.trend
    ]
    return chart_payload(
        figure,
        f"{c.name}: {force}, the group's average and England and Wales, and each as an index",
        [
            "Period",
            force,
            "Group average",
            "England and Wales",
            f"{force} index",
            "Group index",
            "England and Wales index",
        ],
        rows,
        filename=f"compare-trend-{c.metric['metric_id']}",
    )


def _name(metric: dict) -> str:
    """The metric in a few words, as the comparison names it ('Special Constables')."""
    return str(metric["label"]).split(" (")[0].split(":")[0]
