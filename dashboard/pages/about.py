"""/about: sources, data as at, revisions, caveats, glossary and the accessibility statement."""

from __future__ import annotations

import pandas as pd
from dash import html

from ..components.tables import data_table
from ..data.periods import period_display
from ..figures.district_map import ATTRIBUTION
from ..formatting import format_value
from ..views import ViewModel
from .base import Context, PageContent
from .common import page_title

HEADING = "About the data"


def title(ctx: Context) -> str:
    return HEADING


#: Values published more than once listed on this page; each metric page lists all of its own.
REVISIONS_SHOWN = 200

REVISION_COLUMNS = ["Metric", "Area", "Period", "As published, oldest first", "Shown"]


def _revision_rows(vm: ViewModel) -> tuple[list[list[str]], int, int]:
    """One row per value published more than once (not one per publication: seven columns of
    publications do not fit a narrow screen, and a person asks "what changed?"): the restated
    values first, the most recently published first. Returns the rows, how many values were
    published more than once and how many of them with a different figure."""
    dataset = vm.dataset
    revisions = dataset.revisions
    key = ["metric_id", "area_id", "basis", "period"]
    groups = revisions.groupby(key, sort=False)
    order = pd.DataFrame(
        {
            "restated": groups["value"].nunique() > 1,
            "latest": groups["published"].max(),
        }
    ).sort_values(["restated", "latest"], ascending=[False, False], kind="stable")
    restated = int(order["restated"].sum())
    rows = []
    for group_key, restated_here in order["restated"].head(REVISIONS_SHOWN).items():
        metric_id, area_id, basis, period = group_key
        metric = dataset.metric_index.get(metric_id, {})
        unit = metric.get("unit", "count")
        versions = groups.get_group(group_key)  # oldest first (Dataset.revisions)
        published = "; ".join(
            f"{format_value(r.value, unit)} in "
            f"{dataset.source_index.get(r.source_id, {}).get('title', r.source_id)} "
            f"(published {r.published})"
            for r in versions.itertuples()
        )
        shown = versions[versions["current"]]["value"]
        rows.append(
            [
                metric.get("label", metric_id),
                vm.area_name(area_id),
                period_display(basis, period),
                published,
                (format_value(shown.iloc[0], unit) if len(shown) else "")
                + (" (restated)" if restated_here else " (the same each time)"),
            ]
        )
    return rows, len(order), restated


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
    revision_rows, republished, restated = vm.cached(
        "about-revisions", None, lambda: _revision_rows(vm)
    )
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
    if problems and ctx.unpublished:
        warning = html.Div(
            [
                html.H2("Files in the data folder are not live"),
                html.P(
                    "The table files in the data folder differ from the data shown here. The "
                    "dashboard keeps showing the live version: the files go live only when "
                    "someone runs pcp-dashboard publish. What differs:"
                ),
                html.Ul([html.Li(str(p)) for p in problems][:10]),
            ],
            className="alert alert-warning",
            role="alert",
        )
    elif problems:
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
                    html.Div(  # a version is a file's sha256, a title a file name
                        data_table(
                            "Published documents the figures come from",
                            ["Document", "Publisher", "Published", "Version", "Kind", "Values"],
                            sources,
                        ),
                        className="wrap-anywhere",
                    ),
                    html.P(
                        [
                            html.Strong("District map: "),
                            "the boundaries of the 14 districts on the districts page are "
                            "simplified from UK-GeoJSON by Martin Chorley "
                            "(github.com/martinjc/UK-GeoJSON), licensed under Creative Commons "
                            "Attribution 4.0 (CC BY 4.0), converted from the Office for National "
                            "Statistics' generalised clipped boundaries (2013 codes). "
                            + ATTRIBUTION.split("simplified. ")[-1]
                            + " They are drawn for display, not for analysis.",
                        ],
                        id="map-attribution",
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2("Revisions"),
                    html.P(
                        f"{republished:,} values were published more than once: {restated:,} "
                        "with a different figure the second time (restated), the rest with the "
                        "same figure again. The later publication is the one shown. "
                        + (
                            f"The {len(revision_rows):,} most recent are listed here, the "
                            "restated first; each metric's page lists its own, area by area."
                            if len(revision_rows) < republished
                            else "All are listed here, the restated first."
                        ),
                        className="hint",
                    )
                    if revision_rows
                    else None,
                    html.Div(  # a source's title can hold a file name with no break
                        data_table(
                            "Values published more than once, the restated first",
                            REVISION_COLUMNS,
                            revision_rows,
                        ),
                        className="wrap-anywhere",
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
                                "After you open another page, the keyboard focus is on its main heading, so the next Tab reaches the page's own filters. "
                                "Leaving meeting mode with Escape takes you back to the page and choices you opened it from."
                            ),
                            html.Li(
                                "A chart takes at most two Tab stops: its table and its downloads. "
                                "The chart toolbar (zoom and pan) needs a mouse and is left out of the Tab order; the table has the same figures."
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
                            html.Li(
                                "Pages reflow at 200% zoom without losing content, and no chart label is drawn over another."
                            ),
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
