"""/metric/<id>: one metric in depth: each basis, areas side by side, definition, sources, revisions."""

from __future__ import annotations

from dash import html

from ..components.chart import chart_block
from ..components.tables import data_table
from ..data.periods import period_display
from ..figures.metric import areas_figure
from ..figures.xmr import xmr_alt_text, xmr_figure, xmr_table_rows
from ..formatting import format_value
from ..views import MetricView, ViewModel
from ..views.meeting import plain_words
from ..views.since import restatements
from ..views.text import basis_label, direction_of_good, short_label, xmr_chart_title
from ..views.titles import quarter_display
from .base import Context, PageContent
from .common import metric_chart, page_title


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
                    metric_chart(view, f"chart-{basis}"),
                    signal_section(vm, view),
                ],
                className="metric-section",
            )
        )
    areas = [
        (area_id, value)
        for area_id, value in vm.index.area_values_by_quarter.get((metric_id, quarter or ""), [])
        if area_id != vm.force_id
    ]
    if areas:
        names = [vm.area_name(a) for a, _ in areas]
        values = [v for _, v in areas]
        title = f"{name} by area, {quarter_display(quarter)}"
        pairs = list(zip(names, values, strict=True))
        summary = "; ".join(f"{n}: {format_value(v, metric['unit'])}" for n, v in pairs) + "."
        sections.append(
            html.Section(
                [
                    html.H2("Areas side by side"),
                    chart_block(
                        "chart-areas",
                        areas_figure(names, values, metric["unit"], title),
                        summary,
                        title,
                        ["Area", name],
                        [[n, format_value(v, metric["unit"])] for n, v in pairs],
                    ),
                ]
            )
        )

    obs = vm.index.observations_of(metric_id)
    source_rows = []
    for source_id in dict.fromkeys(obs["source_id"]):
        source = vm.dataset.source_index.get(source_id, {})
        source_rows.append(
            [
                source.get("title", source_id),
                source.get("publisher", ""),
                source.get("published", ""),
                source.get("kind", ""),
            ]
        )
    evidence_rows = [
        [
            period_display(r.basis, r.period),
            vm.area_name(r.area_id),
            format_value(r.value, metric["unit"]),
            ("current" if r.current else "superseded")
            + (f", {r.status}" if r.status == "provisional" else ""),
            r.source_sentence,
        ]
        for r in obs.sort_values(["basis", "period_end", "published"]).itertuples()
    ]
    revisions = vm.index.revisions_of(metric_id)
    kinds = restatements(revisions)
    restated = sum(kinds.values())
    confirmed = len(kinds) - restated
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
            html.Section([html.H2("What it measures"), html.P(metric["definition"])]),
            *sections,
            html.Section(
                [
                    html.H2("Every published value and the sentence it came from"),
                    data_table(
                        f"{name}: values and sources",
                        ["Period", "Area", "Value", "Status", "Source sentence"],
                        evidence_rows,
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Revisions"),
                    html.P(
                        f"{restated} period(s) were published again with a different value; the latest publication is shown as current."
                        if restated
                        else "No value of this metric has been revised."
                    ),
                    html.P(
                        f"{confirmed} period(s) were published again with the same value: confirmed, not revised."
                    )
                    if confirmed
                    else None,
                ]
            ),
            analyst_notes(vm, metric_id, caveats),
            html.Section(
                [
                    html.H2("Sources"),
                    data_table(
                        "Sources of this metric",
                        ["Document", "Publisher", "Published", "Kind"],
                        source_rows,
                    ),
                ]
            ),
        ],
    )


def analyst_notes(vm: ViewModel, metric_id: str, caveats: object) -> html.Section:
    """The data's notes for analysts (caveats, breaks in a series, notes on single values): kept
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
    obs = vm.index.observations_of(metric_id)
    for row in obs.itertuples():
        if isinstance(row.note, str) and row.note:
            notes.append(
                html.Li(
                    f"{period_display(row.basis, row.period)}, {vm.area_name(row.area_id)}: {row.note}"
                )
            )
    return html.Section(
        [
            html.H2("Notes for analysts"),
            html.Ul(notes) if notes else html.P("No notes for this metric."),
        ],
        id="notes-for-analysts",
    )


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
    metric = view.metric
    reasons = {
        period: reason.split(":")[0][:40]
        for period, reason in vm.index.discontinuities.get((view.metric_id, view.basis), {}).items()
    }
    figure = xmr_figure(
        view.spc,
        xmr_chart_title(metric, view.area_name, view.spc.point_word),
        unit=view.unit,
        improvement=metric["direction"],
        discontinuity_labels=reasons or None,
    )
    rows = xmr_table_rows(view.spc, view.unit)
    columns = ["Period", "Value", "Mean", "Lower limit", "Upper limit", "Signal"]
    table_rows = [
        [r["period"], r["value"], r["centre"], r["lower"], r["upper"], r["signal"]] for r in rows
    ]
    return html.Div(
        [
            heading,
            verdict,
            chart_block(
                f"xmr-{view.basis}",
                figure,
                xmr_alt_text(view.spc, view.label, view.verdict, view.unit),
                f"{view.label}: values, mean and process limits",
                columns,
                table_rows,
                filename=f"{view.metric_id}-xmr",
            ),
            html.P(
                "Process limits show the range the figures would be expected to stay within if "
                "nothing has changed (statistical process control, XmR chart). Points outside the "
                "limits, or long runs on one side of the mean, are signals worth looking into.",
                className="hint",
            ),
        ],
        className="signal-section",
    )
