"""/about: sources, data as at, revisions, caveats, glossary and the accessibility statement."""

from __future__ import annotations

from dash import html

from ..components.tables import data_table
from ..data.periods import period_display
from ..formatting import format_value
from ..views import ViewModel
from ..views.since import restatements
from .base import Context, PageContent
from .common import page_title

HEADING = "About the data"


def title(ctx: Context) -> str:
    return HEADING


#: Restated values listed on this page (the newest first); each metric page lists its own.
REVISIONS_SHOWN = 200


def _revision_rows(vm: ViewModel) -> tuple[list[list[str]], int]:
    dataset = vm.dataset
    revisions = dataset.revisions
    # Each restated value with its earlier publications, the most recently restated first.
    key = ["metric_id", "area_id", "basis", "period"]
    latest = revisions.groupby(key, sort=False)["published"].transform("max")
    newest = revisions.assign(_latest=latest).sort_values(
        ["_latest", *key, "published", "source_id"],
        ascending=[False, True, True, True, True, True, True],
        kind="stable",
    )
    shown = newest.head(REVISIONS_SHOWN)
    # Revised (a later value differs) or confirmed (the same value again), judged on every
    # publication of the values shown.
    kinds = restatements(newest[newest.set_index(key).index.isin(shown.set_index(key).index)])
    rows = []
    for r in shown.itertuples():
        metric = dataset.metric_index.get(r.metric_id, {})
        rows.append(
            [
                metric.get("label", r.metric_id),
                vm.area_name(r.area_id),
                period_display(r.basis, r.period),
                format_value(r.value, metric.get("unit", "count")),
                dataset.source_index.get(r.source_id, {}).get("title", r.source_id),
                str(r.published),
                ("current" if r.current else "superseded")
                + (
                    ""
                    if kinds.get((r.metric_id, r.area_id, r.basis, r.period), True)
                    else ": confirmed, the same value (not a revision)"
                ),
            ]
        )
    return rows, len(revisions)


def layout(ctx: Context) -> PageContent:
    vm, problems = ctx.views, ctx.problems
    dataset = vm.dataset
    counts = vm.index.values_per_source
    sources = [
        [
            s["title"],
            s["publisher"],
            s["published"],
            s["version"] if isinstance(s.get("version"), str) else "",
            s["kind"],
            str(counts.get(source_id, 0)),
        ]
        for source_id, s in dataset.source_index.items()
    ]
    revision_rows, restated = vm.cached("about-revisions", None, lambda: _revision_rows(vm))
    caveats = [
        [m["label"], m["caveats"]]
        for m in dataset.metric_index.values()
        if isinstance(m.get("caveats"), str) and m["caveats"]
    ]
    glossary = [[g.term, g.expansion] for g in dataset.glossary.sort_values("term").itertuples()]
    breaks = [
        [
            dataset.metric_index.get(d.metric_id, {}).get("label", d.metric_id),
            period_display(d.basis, d.period),
            d.reason,
        ]
        for d in dataset.discontinuities.itertuples()
    ]
    warning = None
    if problems:
        warning = html.Div(
            [
                html.H2("The latest data files could not be used"),
                html.P(
                    f"{len([p for p in problems if p.severity == 'error'])} problem(s) were found, so the dashboard is still showing the last good data. The first few:"
                ),
                html.Ul([html.Li(str(p)) for p in problems if p.severity == "error"][:10]),
            ],
            className="alert alert-warning",
            role="alert",
        )
    return PageContent(
        head=[page_title(HEADING)],
        body=[
            warning,
            html.Section(
                [
                    html.H2("Data as at"),
                    html.P(
                        f"Quarterly figures run to {dataset.data_as_at:%d %B %Y}; the latest figure on any basis covers the period to {dataset.latest_figure_end:%d %B %Y}. The latest source was published {dataset.last_published}. "
                        f"The dashboard last read the data files at {dataset.loaded_at:%d %B %Y %H:%M} UTC."
                    ),
                    html.P(
                        "Figures are real published figures only: each value comes from a named document and the sentence it appeared in. "
                        "Nothing is estimated or filled in. Where a later document restated a value, both are kept and the later one is shown."
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Sources"),
                    data_table(
                        "Published documents the figures come from",
                        ["Document", "Publisher", "Published", "Version", "Kind", "Values"],
                        sources,
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Revisions"),
                    html.P(
                        f"{restated:,} values were published more than once; the "
                        f"{len(revision_rows):,} rows of the most recently restated are listed "
                        "here, and "
                        "each metric's page lists all of its own.",
                        className="hint",
                    )
                    if len(revision_rows) < restated
                    else None,
                    data_table(
                        "Values published more than once (revised, or confirmed with the same "
                        "value), the most recently restated first",
                        ["Metric", "Area", "Period", "Value", "Source", "Published", "Status"],
                        revision_rows,
                    )
                    if revision_rows
                    else html.P("No value has been restated."),
                ]
            ),
            html.Section(
                [
                    html.H2("Breaks in series"),
                    data_table("Known discontinuities", ["Metric", "From", "Reason"], breaks)
                    if breaks
                    else html.P("None recorded."),
                ]
            ),
            html.Section(
                [html.H2("Caveats"), data_table("Caveats by metric", ["Metric", "Caveat"], caveats)]
            ),
            html.Section(
                [
                    html.H2("Glossary"),
                    data_table("Acronyms used in the updates", ["Term", "In full"], glossary),
                ],
                id="glossary",
            ),
            html.Section(
                [
                    html.H2("Accessibility statement"),
                    html.P(
                        "This dashboard is run for the Police, Fire and Crime Commissioner for Essex. We want as many people as possible to be able to use it. "
                        "It aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA, as the Public Sector Bodies Accessibility Regulations 2018 require."
                    ),
                    html.Ul(
                        [
                            html.Li(
                                "Every page can be used with a keyboard alone; a 'Skip to main content' link comes first."
                            ),
                            html.Li(
                                "Every chart has a one-line summary and a table of its figures."
                            ),
                            html.Li(
                                "Change is shown by arrows and words as well as colour; figures that are neither good nor bad are never coloured as if they were."
                            ),
                            html.Li(
                                "Acronyms are expanded when you hover over or move keyboard focus to them."
                            ),
                            html.Li("Pages reflow at 200% zoom without losing content."),
                        ]
                    ),
                    html.P(
                        "Known limits: chart hover labels need a mouse, so the same figures are in each chart's table. "
                        "Every page is checked automatically with the axe-core accessibility engine on each change."
                    ),
                    html.P(
                        "If you find a problem or need the information in another format, contact the Office of the Police, Fire and Crime Commissioner for Essex."
                    ),
                ],
                id="accessibility",
            ),
        ],
    )
