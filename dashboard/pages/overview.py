"""/ : Plan at a glance for a quarter: the plan's priorities, headline figures, number of updates."""

from __future__ import annotations

from dash import dcc, html

from ..components.cards import metric_card
from ..components.downloads import meeting_and_downloads
from ..components.tables import Link, data_table
from ..data.partial import held_words
from ..routing import Route
from ..views import ViewModel
from ..views.coverage import held as partial_held
from ..views.coverage import missing_note
from ..views.meeting import Meeting
from ..views.since import CHANGES_NOTE
from ..views.text import update_count_line
from ..views.titles import overview_heading, quarter_display
from .base import Context, PageContent
from .common import metric_href, page_title, priority_link
from .coverage_notes import quarter_notes
from .national_signals import national_block


def title(ctx: Context) -> str:
    return ctx.title("Plan at a glance")


def layout(ctx: Context) -> PageContent:
    vm, route, quarter = ctx.views, ctx.route, ctx.quarter
    area_chosen = bool(route.area) and route.area != vm.force_id
    sections = []
    total_figures = total_updates = 0
    for priority in vm.index.priorities:
        number = int(priority["priority"])
        cards = [
            metric_card(
                view,
                metric_href(view.metric_id, route),
                "in the quarter" if view.basis == "quarter_count" else "at the quarter's end",
            )
            for view in vm.headline_figures(number, quarter, route.area)
        ]
        updates = vm.update_count(quarter, number, route.area)
        total_figures += len(cards)
        total_updates += updates
        missing = missing_note(vm, quarter, number)
        sections.append(
            html.Section(
                [
                    html.H2(
                        priority_link(number, priority["title"], route.query()),
                        className="priority-title",
                    ),
                    html.P(missing, className="card-note partial-note")
                    if missing
                    else html.P(
                        update_count_line(updates, area_chosen=area_chosen),
                        className="update-count",
                    ),
                    html.Div(cards, className="card-grid")
                    if cards
                    else None
                    if missing
                    else html.P(
                        "No headline figures were published for this priority in this quarter.",
                        className="card-note",
                    ),
                ],
                className="priority-section",
            )
        )
    held = partial_held(vm, quarter)
    priorities = (
        f"{held_words(held)} (from a partial copy of the update)"
        if held is not None
        else f"{len(vm.dataset.priority_numbers)} priorities"
    )
    summary = (
        f"{quarter_display(quarter)}, {vm.area_name(route.area)}: {priorities}, "
        f"{total_updates} updates and {total_figures} headline figures."
    )
    return PageContent(
        head=[
            page_title(overview_heading(quarter)),
            html.P(summary, className="lead"),
            *quarter_notes(ctx, "/"),
        ],
        body=[
            meeting_and_downloads(route, quarter, vm.force_id),
            since_panel(vm, route),
            signals_panel(vm, route, quarter),
            html.Div(sections, className="priority-grid"),
        ],
    )


def since_panel(vm: ViewModel, route: Route) -> html.Section | None:
    """What changed since the last meeting (``since`` in the URL, from the meeting builder):
    the same lines as the meeting's slides and papers."""
    if not route.since:
        return None
    pack = vm.pack(
        meeting=Meeting(route.quarter, route.area, route.priorities, route.figures, route.since)
    )
    if pack.changes is None:
        return None
    items = []
    for section in pack.sections:
        changes = section.changes
        if changes is None:
            continue
        details = [html.Li(line) for line in changes.detail_lines]
        items.append(
            html.Li(
                [
                    priority_link(section.number, section.title, route.query()),
                    f": {changes.summary}.",
                    html.Ul(details) if details else None,
                ]
            )
        )
    return html.Section(
        [
            html.H2(pack.changes.heading),
            html.P(CHANGES_NOTE, className="hint"),
            html.Ul(items),
        ],
        className="since-panel",
        id="since",
    )


#: Signals listed with their verdicts; the next ones are in a table one click away (at most
#: TABLED_SIGNALS: the answer stays small however many series there are).
SHOWN_SIGNALS = 10
TABLED_SIGNALS = 250
MEANING_WORDS = {
    "concern": "special cause (concern)",
    "mixed": "special cause (improvement and concern)",
    "improvement": "special cause (improvement)",
    "neutral": "special cause (neither good nor bad)",
}


def signals_panel(vm: ViewModel, route: Route, quarter: str | None) -> html.Section:
    """Where to start a meeting: series showing special-cause variation in the quarter, each with
    the verdict its own card and metric page give. The first few (concerns first) are listed;
    the others are in a table that is built when it is opened."""
    if not quarter:
        return html.Section()
    found = vm.signals(quarter)
    body: list
    if found.rows:
        items = []
        for row in found.rows[:SHOWN_SIGNALS]:
            view = vm.metric_view(row.metric_id, row.area_id, quarter, row.basis)
            items.append(
                html.Li(
                    [
                        dcc.Link(view.metric["label"], href=metric_href(view.metric_id, route)),
                        f" ({view.area_name}): {view.verdict}",
                    ]
                )
            )
        body = [html.Ul(items)]
        rest = len(found.rows) - SHOWN_SIGNALS
        if rest > 0:
            counts = ", ".join(
                f"{n} {word}" for word, n in
                ((w, found.count(m)) for m, w in (("concern", "concerns"), ("mixed", "mixed"),
                 ("improvement", "improvements"), ("neutral", "neither good nor bad"))) if n
            )  # fmt: skip
            names = vm.index.area_names
            body.append(
                html.P(
                    f"{len(found.rows):,} of {found.series:,} quarterly series show special cause "
                    f"in {quarter_display(quarter)} ({counts}); the first {SHOWN_SIGNALS} are above.",
                    className="hint",
                )
            )
            tabled = found.rows[:TABLED_SIGNALS]
            more = (
                f"the first {len(tabled):,} (concerns first)"
                if len(tabled) < len(found.rows)
                else f"all {len(tabled):,}"
            )
            body.append(
                data_table(
                    f"Series with special cause in {quarter_display(quarter)}",
                    ["Metric", "Area", "Signal"],
                    [
                        [
                            Link(
                                vm.metric(r.metric_id)["label"],
                                f"/metric/{r.metric_id}{route.query(area=r.area_id)}",
                            ),
                            names.get(r.area_id, r.area_id),
                            MEANING_WORDS[r.meaning],
                        ]
                        for r in tabled
                    ],
                    collapsed=f"Show {more} as a table",
                )
            )
    else:
        judged = (
            f"none of its {found.series} series has yet the 5 or more quarters needed to "
            "judge, so they are shown as plain comparisons with earlier quarters"
            if found.judged == 0
            else f"{found.judged} of its {found.series} series have the 5 or more quarters "
            "needed to judge; the others are shown as plain comparisons with earlier quarters"
        )
        body = [
            html.P(
                f"No figure of the quarterly updates shows a signal in {quarter_display(quarter)}: "
                f"{judged}."
            )
        ]
    return html.Section(
        [
            html.H2("Signals this quarter"),
            html.P(SIGNAL_WORDS, className="hint"),
            *body,
            *national_block(vm, route, quarter),
        ],
        className="signals-panel",
    )


#: What a signal is, in plain words (statistical process control, as the metric pages chart it).
SIGNAL_WORDS = (
    "A signal (special cause) is a figure outside the range its own history would lead us to "
    "expect, or part of an unusual run; anything else is the usual ups and downs (common-cause "
    "variation)."
)
