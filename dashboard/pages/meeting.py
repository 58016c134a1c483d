"""/meeting: plan a meeting. Pick the quarter, the area and the last meeting's quarter (the filter
bar), then the priorities and the figures, and their order; open the deck or take the papers.

Every choice is a link to this page with the new choice in its query string (dashboard/routing.py
reads ``priorities``, ``figures`` and ``since``), so the choice is always the URL: meeting mode,
every pack and the overview read the same query, and a link opens the same meeting in another
browser. Links work without scripts and from the keyboard; after a move, assets/meeting.js puts
the focus back on the control that was used (its id is the link's fragment).

The links the page hands out (meeting mode, the plan at a glance, the papers and the link to
copy) name every choice explicitly: the quarter, the area, the priorities and the figures (the
defaults written out), so they open the same meeting after a newer quarter is imported. The
full address is shown with a "Copy link" button (assets/meeting.js copies it and says so in a
live region); where newer data exist, the page says so and links to the newer meeting.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import dcc, html

from ..components.downloads import paper_links
from ..components.layout import attrs
from ..routing import Route, build_query
from ..views.meeting import FigureOption, Meeting, default_tokens, figure_options, parse_token
from ..views.titles import priority_heading, quarter_display
from .base import Context, PageContent
from .common import page_title
from .coverage_notes import quarter_notes


def title(ctx: Context) -> str:
    return ctx.title("Plan a meeting")


def _move(items: list, index: int, step: int) -> list:
    moved = list(items)
    other = index + step
    if 0 <= other < len(moved):
        moved[index], moved[other] = moved[other], moved[index]
    return moved


def _link(text: str, route: Route, anchor: str, label: str, **changes: Any) -> dcc.Link:
    href = "/meeting" + build_query(replace(route, **changes)) + f"#{anchor}"
    # dcc.Link takes no aria-label: the rest of the name is there for screen readers only.
    return dcc.Link(
        [text, html.Span(f": {label}", className="visually-hidden")],
        href=href,
        id=anchor,
        className="btn btn-outline-primary builder-action",
    )


def _figure_row(
    option: FigureOption, route: Route, tokens: list[str], position: int | None
) -> html.Li:
    what = f"{option.label}: {option.value} {option.period}"
    if not option.this_quarter:
        what += " (another period than the meeting's quarter)"
    key = option.token.replace("@", "-")
    if position is None:
        actions = [
            _link("Add", route, f"add-{key}", f"{option.label} {option.period}",
                  figures=tuple([*tokens, option.token]))
        ]  # fmt: skip
    else:
        actions = [
            _link("Leave out", route, f"out-{key}", f"{option.label} {option.period}",
                  figures=tuple(t for t in tokens if t != option.token)),
            _link("Move up", route, f"up-{key}", f"{option.label} {option.period}",
                  figures=tuple(_move(tokens, tokens.index(option.token), -1))),
            _link("Move down", route, f"down-{key}", f"{option.label} {option.period}",
                  figures=tuple(_move(tokens, tokens.index(option.token), 1))),
        ]  # fmt: skip
    return html.Li(
        [
            html.Span(what, className="builder-what"),
            html.Span(actions, className="builder-actions"),
        ],
        className="builder-row",
    )


def _priority_block(
    ctx: Context,
    route: Route,
    number: int,
    chosen: list[int],
    tokens: list[str],
    quarter: str,
) -> html.Section:
    vm = ctx.views
    heading = priority_heading(number, vm.priority(number)["title"])
    included = number in chosen
    options = figure_options(vm, number, quarter, route.area or vm.force_id)
    order = {t: i for i, t in enumerate(tokens)}
    shown = sorted((o for o in options if o.token in order), key=lambda o: order[o.token])
    spare_now = [o for o in options if o.token not in order and o.this_quarter]
    spare_other = [o for o in options if o.token not in order and not o.this_quarter]
    anchor = f"p{number}"
    if included:
        at = chosen.index(number)
        status = f"In the meeting, {at + 1} of {len(chosen)}"
        actions = [
            _link("Leave out", route, f"{anchor}-out", heading,
                  priorities=tuple(p for p in chosen if p != number)),
            _link("Move up", route, f"{anchor}-up", heading,
                  priorities=tuple(_move(chosen, at, -1))),
            _link("Move down", route, f"{anchor}-down", heading,
                  priorities=tuple(_move(chosen, at, 1))),
        ]  # fmt: skip
    else:
        status = "Left out of the meeting"
        actions = [
            _link("Include", route, f"{anchor}-in", heading,
                  priorities=tuple([*chosen, number]))
        ]  # fmt: skip
    parts: list = [
        html.H3(heading, className="builder-priority"),
        html.P([html.Strong(status), " "], className="builder-status"),
        html.P(actions, className="builder-actions"),
    ]
    if included:
        parts.append(html.H4("Figures on its slides, in order", className="builder-h4"))
        parts.append(
            html.Ol([_figure_row(o, route, tokens, order[o.token]) for o in shown])
            if shown
            else html.P("No figures: its slides show the key points only.", className="hint")
        )
        if spare_now:
            parts += [
                html.H4(f"More figures for {quarter_display(quarter)}", className="builder-h4"),
                html.Ul([_figure_row(o, route, tokens, None) for o in spare_now]),
            ]
        if spare_other:
            parts += [
                html.H4("Figures from other periods", className="builder-h4"),
                html.P(
                    "Each says its own period on the slide. They are left out unless you add them.",
                    className="hint",
                ),
                html.Ul([_figure_row(o, route, tokens, None) for o in spare_other]),
            ]
    return html.Section(parts, className="builder-block" + ("" if included else " left-out"))


def pinned(ctx: Context, quarter: str, area: str, chosen: list[int], tokens: list[str]) -> Route:
    """The route with every choice written out (the figures of the chosen priorities only):
    what a link handed out carries."""
    shown = []
    for token in tokens:
        found = parse_token(token, ctx.views)
        if found is not None and int(ctx.views.metric(found[0])["priority"]) in chosen:
            shown.append(token)
    return replace(
        ctx.route, quarter=quarter, area=area, priorities=tuple(chosen), figures=tuple(shown)
    )


def copy_block(path: str) -> html.P:
    """The meeting's address, a button that copies it, and where the result is said. The page is
    cached for every visitor, so it holds the path; assets/meeting.js writes the browser's own
    origin in front of it ('https://host/present?...'), the full address the button copies."""
    return html.P(
        [
            html.Span("Link to this meeting: ", id="builder-link-label"),
            html.Code(path, id="builder-link", **attrs({"data-path": path})),
            " ",
            html.Button(
                "Copy link",
                id="builder-copy",
                type="button",
                className="btn btn-outline-primary builder-action",
                **attrs({"aria-describedby": "builder-link-label builder-link"}),
            ),
            " ",
            html.Span(
                "", id="builder-copy-status", role="status", **attrs({"aria-live": "polite"})
            ),
        ],
        className="builder-address",
    )


def layout(ctx: Context) -> PageContent:
    vm, route = ctx.views, ctx.route
    quarter = ctx.quarter or ""
    # Every control keeps the quarter the page shows, so no link changes meaning on import.
    route = replace(route, quarter=quarter or None)
    every = [int(p["priority"]) for p in vm.index.priorities]
    chosen = list(route.priorities) if route.priorities is not None else every
    meeting = Meeting(quarter, route.area or vm.force_id, route.priorities, route.figures)
    tokens = (
        list(route.figures) if route.figures is not None else default_tokens(vm, meeting, every)
    )
    query = build_query(pinned(ctx, quarter, route.area or vm.force_id, chosen, tokens))
    pack = vm.pack(
        meeting=Meeting(route.quarter, route.area, route.priorities, route.figures, route.since)
    )
    papers: list = ["Papers: ", *paper_links(query)]
    summary = (
        f"{len(pack.sections)} of {len(vm.dataset.priority_numbers)} priorities, "
        f"{sum(len(s.headlines) for s in pack.sections)} figures"
        + (
            f"; since the last meeting ({pack.changes.since_display}): {pack.changes.summary}"
            if pack.changes
            else ""
        )
        + "."
    )
    ordered = chosen + [n for n in every if n not in chosen]
    return PageContent(
        head=[
            page_title("Plan a meeting"),
            html.P(
                "Choose what the meeting sees: the quarter, the area and the last meeting's quarter "
                "(below), then the priorities and the figures, in the order they are shown. The "
                "choice is kept in this page's address: meeting mode, the papers and the plan at a "
                "glance all show it, and the link opens the same meeting for anyone.",
                className="lead",
            ),
            *quarter_notes(ctx, "/meeting", since=quarter or None, figures=None),
        ],
        body=[
            html.Section(
                [
                    html.H2("This meeting"),
                    html.P(summary, id="builder-summary"),
                    html.P(
                        [
                            dcc.Link(
                                "Open meeting mode",
                                href="/present" + query,
                                className="btn btn-primary meeting-link",
                                id="builder-present",
                            ),
                            " ",
                            dcc.Link("See it on the plan at a glance", href="/" + query),
                        ]
                    ),
                    html.P(papers, className="pack-links"),
                    copy_block("/present" + query),
                ],
                className="builder-open",
            ),
            html.Section(
                [
                    html.H2("Priorities and figures, in the order shown"),
                    *[_priority_block(ctx, route, n, chosen, tokens, quarter) for n in ordered],
                ]
            ),
        ],
    )
