"""/metric/<id>: one metric in depth: each basis, areas side by side, definition, sources, revisions."""

from __future__ import annotations

from textwrap import shorten

import numpy as np
from dash import dcc, html

from ..components.chart import ChartPayload, block, chart_payload
from ..components.tables import data_table
from ..data.periods import period_display
from ..figures.metric import areas_figure
from ..figures.monthly import gap_words
from ..figures.xmr import xmr_alt_text, xmr_figure, xmr_table_rows
from ..formatting import format_value
from ..views import MetricView, ViewModel
from ..views.districts import is_police_uk, missing_months
from ..views.evidence import revision_sentences, status_hint
from ..views.meeting import plain_words
from ..views.text import (
    basis_label,
    break_words,
    direction_of_good,
    short_label,
    xmr_chart_title,
)
from ..views.titles import quarter_display
from .base import Context, PageContent
from .common import metric_chart, page_title
from .compare import compare_link
from .districts import districts_href

#: The XmR chart's break label fits one line above the plot at 200% zoom with its period.
XMR_BREAK_CHARS = 40


def title(ctx: Context) -> str:
    return ctx.title(ctx.views.metric(ctx.route.subject or "")["label"])


def layout(ctx: Context) -> PageContent:
    vm, route, quarter = ctx.views, ctx.route, ctx.quarter
    metric = vm.metric(route.subject or "")
    metric_id = metric["metric_id"]
    name = short_label(metric["label"])
    sections = []
    for basis in vm.metric_bases(metric_id):
        view = vm.metric_view(
            metric_id, route.area, quarter if basis == metric["basis"] else None, basis
        )
        sections.append(
            html.Section(
                [
                    html.H2(f"On a {basis_label(basis)} basis"),
                    metric_chart(vm, view, f"chart-{basis}"),
                    signal_section(vm, view),
                ],
                className="metric-section",
            )
        )
    areas = vm.cached(
        "areas-chart", (metric_id, quarter), lambda: _areas_chart(vm, metric, quarter)
    )
    if areas is not None:
        payload, summary = areas
        sections.append(
            html.Section([html.H2("Areas side by side"), block("chart-areas", payload, summary)])
        )

    headline = vm.metric_view(metric_id, route.area, quarter)
    evidence = vm.evidence(metric_id, headline.area_id)
    others = (
        f" {evidence.other_areas} other area{'s have' if evidence.other_areas != 1 else ' has'} "
        "values of this metric: choose one with the Area filter above to see them."
        if evidence.other_areas
        else ""
    )
    caveats = metric.get("caveats")
    return PageContent(
        head=[
            page_title(metric["label"]),
            html.P(
                f"Priority {metric['priority']} · {basis_label(metric['basis'])} · {direction_of_good(metric)}.",
                className="lead",
            ),
        ],
        body=[
            compare_link(vm, metric_id, route),
            html.P(
                dcc.Link(
                    f"{metric['label']}: the 14 districts side by side, with a map",
                    href=districts_href(metric_id, None, None),
                ),
                className="compare-link",
            )
            if is_police_uk(metric)
            else None,
            html.Section([html.H2("What it measures"), html.P(metric["definition"])]),
            *sections,
            html.Section(
                [
                    html.H2("Every published value and the sentence it came from"),
                    html.P(
                        status_hint(vm.area_name(evidence.area_id), evidence.statuses) + others,
                        className="hint",
                    ),
                    data_table(
                        f"{name}, {vm.area_name(evidence.area_id)}: values and sources",
                        ["Period", "Value", "Status", "Source sentence"],
                        evidence.rows,
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Revisions"),
                    *[
                        html.P(text)
                        for text in revision_sentences(
                            evidence,
                            vm.area_name(evidence.area_id),
                            {b: basis_label(b) for b in vm.metric_bases(metric_id)},
                        )
                    ],
                ]
            ),
            analyst_notes(vm, metric_id, evidence.area_id, caveats),
            html.Section(
                [
                    html.H2("Sources"),
                    html.Div(  # a title can hold an ONS file name of 45 characters, no break
                        data_table(
                            "Sources of this metric",
                            ["Document", "Publisher", "Published", "Kind"],
                            evidence.sources,
                        ),
                        className="wrap-anywhere",
                    ),
                ]
            ),
        ],
    )


def analyst_notes(vm: ViewModel, metric_id: str, area_id: str, caveats: object) -> html.Section:
    """The data's notes for analysts (caveats, breaks in a series, notes on single values in
    the area shown): kept
    here, never in meeting mode or the packs, which say what they mean in plain words."""
    notes: list = []
    if isinstance(caveats, str) and caveats:
        notes.append(html.Li(caveats))
    for (metric, basis), breaks in vm.index.discontinuities.items():
        if metric == metric_id:
            for period, reason in breaks.items():
                notes.append(
                    html.Li(f"Break in the series ({period_display(basis, period)}): {reason}")
                )
    obs = vm.index.observations_in(metric_id, area_id)
    # A boolean array, not a Series: an empty object Series would select columns instead.
    noted = obs[np.array([isinstance(n, str) and bool(n) for n in obs["note"]], dtype=bool)]
    for basis, period, note in zip(noted["basis"], noted["period"], noted["note"], strict=True):
        notes.append(html.Li(f"{period_display(basis, period)}, {vm.area_name(area_id)}: {note}"))
    return html.Section(
        [
            html.H2("Notes for analysts"),
            html.Ul(notes) if notes else html.P("No notes for this metric."),
        ],
        id="notes-for-analysts",
    )


def _areas_chart(
    vm: ViewModel, metric: dict, quarter: str | None
) -> tuple[ChartPayload, str] | None:
    """Every area's value for the quarter (not the force's), as a chart and its summary."""
    areas = [
        (area_id, value)
        for area_id, value in vm.index.area_values(metric["metric_id"], quarter or "")
        if area_id != vm.force_id
    ]
    if not areas:
        return None
    name = short_label(metric["label"])
    names = [vm.area_name(a) for a, _ in areas]
    values = [v for _, v in areas]
    title = f"{name} by area, {quarter_display(quarter)}"
    pairs = list(zip(names, values, strict=True))
    summary = "; ".join(f"{n}: {format_value(v, metric['unit'])}" for n, v in pairs) + "."
    payload = chart_payload(
        areas_figure(names, values, metric["unit"], title),
        title,
        ["Area", name],
        [[n, format_value(v, metric["unit"])] for n, v in pairs],
    )
    return payload, summary


def signal_section(vm: ViewModel, view: MetricView) -> html.Div:
    """Signal or noise: the XmR chart when there are enough points, else the plain verdict."""
    heading = html.H3("Signal or noise?")
    verdict = html.Div(
        [
            html.P(["In plain words: ", html.Strong(plain_words(view))], className="plain-verdict"),
            html.P(["For analysts: ", html.Span(view.verdict, className="verdict")]),
        ]
    )
    if not view.spc.judged:
        return html.Div([heading, verdict], className="signal-section")
    payload = vm.cached(
        "chart",
        ("xmr", view.metric_id, view.area_id, view.quarter, view.basis),
        lambda: _xmr_payload(vm, view),
    )
    return html.Div(
        [
            heading,
            verdict,
            block(
                f"xmr-{view.basis}",
                payload,
                xmr_alt_text(view.spc, view.label, view.verdict, view.unit, _context(view)),
            ),
            html.P(
                "Process limits show the range the figures would be expected to stay within if "
                "nothing has changed (statistical process control, XmR chart). Points outside the "
                "limits, or long runs on one side of the mean, are signals worth looking into.",
                className="hint",
            ),
            html.P(_overlap_hint(view), className="hint overlap-hint")
            if view.judged_on.overlapping
            else None,
            html.P(month_gap_hint(view.periods), className="hint gap-hint")
            if view.basis == "month" and missing_months(list(view.periods))
            else None,
        ],
        className="signal-section",
    )


def month_gap_hint(periods: tuple[str, ...]) -> str:
    """Which months a monthly series is judged on, the gap named."""
    gaps = missing_months(list(periods))
    return (
        f"Judged on the {len(periods)} months held. {gap_words(gaps)} "
        f"{'are' if len(gaps) > 1 else 'is'} not in the data: the limits are worked out from "
        "the months held, side by side, and nothing is filled in for the gap."
    )


def _context(view: MetricView) -> list[tuple[str, float]] | None:
    """Every point, for a series judged on the points that do not overlap (else None)."""
    if not view.judged_on.overlapping:
        return None
    return [(period, point.value) for period, point in zip(view.periods, view.points, strict=True)]


def _judged_words(view: MetricView) -> str:
    """'judged on 12 yearly points, years ending December', as the verdict says it."""
    latest = view.spc.latest
    return view.judged_on.sentence(latest.n if latest is not None and latest.judged else None)


def _overlap_hint(view: MetricView) -> str:
    judged = view.judged_on
    return (
        f"Each value covers {judged.months} months, so values less than "
        f"{judged.months} months apart share months and are not separate readings. Only "
        f"values that share no month are judged against the limits: {judged.count} of the "
        f"{len(view.points)}, one a year for the years ending {judged.ending} (filled circles, "
        f"and “yes” in the table's Judged column); the others are drawn as hollow circles."
    )


def _xmr_payload(vm: ViewModel, view: MetricView) -> ChartPayload:
    metric = view.metric
    reasons = {
        # one line above the plot: what changed, cut at a word (the trend chart has it whole)
        period: shorten(break_words(reason), XMR_BREAK_CHARS, placeholder="…")
        for period, reason in vm.index.discontinuities.get((view.metric_id, view.basis), {}).items()
    }
    figure = xmr_figure(
        view.spc,
        xmr_chart_title(metric, view.area_name, view.spc.point_word),
        unit=view.unit,
        improvement=metric["direction"],
        discontinuity_labels=reasons or None,
        context=_context(view),
    )
    rows = xmr_table_rows(view.spc, view.unit, _context(view))
    columns = ["Period", "Value", "Mean", "Lower limit", "Upper limit", "Signal"]
    keys = ["period", "value", "centre", "lower", "upper", "signal"]
    if view.judged_on.overlapping:
        columns.insert(2, "Judged")
        keys.insert(2, "judged")
    table_rows = [[r[k] for k in keys] for r in rows]
    return chart_payload(
        figure,
        f"{view.label}: values, mean and process limits"
        + (f" ({_judged_words(view)})" if view.judged_on.overlapping else ""),
        columns,
        table_rows,
        filename=f"{view.metric_id}-xmr",
    )
