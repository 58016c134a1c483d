"""/metric/<id>: one metric in depth: each basis, areas side by side, definition, sources, revisions."""

from __future__ import annotations

from dash import html

from ..components.chart import chart_block
from ..components.layout import filter_bar
from ..components.tables import data_table
from ..data.model import Dataset
from ..data.periods import BASIS_LABELS, period_display
from ..figures.metric import areas_figure
from ..figures.text import short_label
from ..figures.xmr import xmr_alt_text, xmr_figure, xmr_table_rows
from ..formatting import format_value
from ..routing import Route
from ..selection import metric_areas, metric_bases, metric_view
from .common import (
    area_filter,
    area_name,
    metric_chart,
    page_title,
    quarter_display,
    quarter_filter,
)

DIRECTION_WORDS = {
    "up": "Higher is better.",
    "down": "Lower is better.",
    "neutral": "Neither higher nor lower is better in itself (for example, demand on the police).",
}


def layout(dataset: Dataset, route: Route) -> html.Div:
    metric = dataset.metric_index[route.subject]
    quarter = route.quarter or dataset.latest_quarter
    metric_id = metric["metric_id"]
    sections = []
    for basis in metric_bases(dataset, metric_id):
        view = metric_view(
            dataset, metric_id, route.area, quarter if basis == metric["basis"] else None, basis
        )
        sections.append(
            html.Section(
                [
                    html.H2(f"On a {BASIS_LABELS.get(basis, basis)} basis"),
                    metric_chart(dataset, view, f"chart-{basis}"),
                    signal_section(dataset, view, basis),
                ],
                className="metric-section",
            )
        )
    areas = [a for a in metric_areas(dataset, metric_id) if a != dataset.force_id]
    if areas and quarter:
        frame = dataset.current
        chosen = frame[
            (frame["metric_id"] == metric_id)
            & (frame["period"] == quarter)
            & (frame["area_id"].isin(areas))
        ]
        if len(chosen):
            names = [area_name(dataset, a) for a in chosen["area_id"]]
            values = [float(v) for v in chosen["value"]]
            title = f"{short_label(metric['label'])} by area, {quarter_display(quarter)}"
            summary = (
                "; ".join(
                    f"{n}: {format_value(v, metric['unit'])}"
                    for n, v in zip(names, values, strict=False)
                )
                + "."
            )
            sections.append(
                html.Section(
                    [
                        html.H2("Areas side by side"),
                        chart_block(
                            "chart-areas",
                            areas_figure(names, values, metric["unit"], title),
                            summary,
                            title,
                            ["Area", short_label(metric["label"])],
                            [
                                [n, format_value(v, metric["unit"])]
                                for n, v in zip(names, values, strict=False)
                            ],
                        ),
                    ]
                )
            )

    obs = dataset.observations[dataset.observations["metric_id"] == metric_id]
    sources = obs.drop_duplicates("source_id")
    source_rows = []
    for source_id in sources["source_id"]:
        source = dataset.source_index.get(source_id, {})
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
            f"{period_display(r.basis, r.period)}",
            area_name(dataset, r.area_id),
            format_value(r.value, metric["unit"]),
            ("current" if r.current else "superseded")
            + (f", {r.status}" if r.status == "provisional" else ""),
            r.source_sentence,
        ]
        for r in obs.sort_values(["basis", "period_end", "published"]).itertuples()
    ]
    revisions = dataset.revisions[dataset.revisions["metric_id"] == metric_id]
    caveats = metric.get("caveats")
    return html.Div(
        [
            page_title(metric["label"]),
            html.P(
                f"Priority {metric['priority']} · {BASIS_LABELS.get(metric['basis'], metric['basis'])} · {DIRECTION_WORDS[metric['direction']]}",
                className="lead",
            ),
            filter_bar([quarter_filter(dataset, route), area_filter(dataset, route)]),
            html.Section(
                [
                    html.H2("What it measures"),
                    html.P(metric["definition"]),
                    html.P(["Caveats: ", caveats])
                    if isinstance(caveats, str) and caveats
                    else None,
                ]
            ),
            *sections,
            html.Section(
                [
                    html.H2("Every published value and the sentence it came from"),
                    data_table(
                        f"{short_label(metric['label'])}: values and sources",
                        ["Period", "Area", "Value", "Status", "Source sentence"],
                        evidence_rows,
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Revisions"),
                    html.P(
                        f"{revisions[['area_id', 'basis', 'period']].drop_duplicates().shape[0]} period(s) were published with more than one value; the latest publication is shown as current."
                        if len(revisions)
                        else "No value of this metric has been restated."
                    ),
                ]
            ),
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
        ]
    )


def signal_section(dataset: Dataset, view, basis: str) -> html.Div:
    """Signal or noise: the XmR chart when there are enough points, else the plain verdict."""
    metric = view.metric
    heading = html.H3("Signal or noise?")
    if not view.spc.judged:
        return html.Div(
            [heading, html.P(view.verdict, className="verdict")], className="signal-section"
        )
    name = short_label(metric["label"])
    reasons = {
        d.period: d.reason.split(":")[0][:40]
        for d in dataset.discontinuities.itertuples()
        if d.metric_id == metric["metric_id"] and d.basis == basis
    }
    figure = xmr_figure(
        view.spc,
        f"{name}: {view.verdict.split(';')[0]}",
        unit=metric["unit"],
        improvement=metric["direction"],
        discontinuity_labels=reasons or None,
    )
    rows = xmr_table_rows(view.spc, metric["unit"])
    columns = ["Period", "Value", "Mean", "Lower limit", "Upper limit", "Signal"]
    table_rows = [
        [r["period"], r["value"], r["centre"], r["lower"], r["upper"], r["signal"]] for r in rows
    ]
    summary = xmr_alt_text(view.spc, name, metric["unit"], metric["direction"])
    return html.Div(
        [
            heading,
            html.P(view.verdict, className="verdict"),
            chart_block(
                f"xmr-{basis}",
                figure,
                summary,
                f"{name}: values, mean and process limits",
                columns,
                table_rows,
                filename=f"{metric['metric_id']}-xmr",
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
