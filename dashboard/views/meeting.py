"""What goes to a meeting: the quarter, the area, the priorities and the figures (in order), and
the last meeting's quarter, as the presenter chose them in the meeting builder (/meeting).

The choice lives in the URL (dashboard/routing.py reads it), so a link opens the same deck in
another browser, and it drives meeting mode and every pack: :meth:`ViewModel.pack
<dashboard.views.model.ViewModel.pack>` takes a :class:`Meeting`.

Figures. A figure is a metric on one basis (``metric`` on its headline basis, ``metric@basis``
on another). A figure *of the quarter* has a value for the chosen quarter itself (counts in the
quarter, snapshots at its end); any other (a rolling 12 months, a calendar year, an earlier
quarter) is a figure *from another period*: it always says its own period and is left off the
slides unless the presenter picks it. Without a choice, each priority shows its headline figures
of the quarter (the overview's cards). Nothing after the chosen quarter's end is ever shown for
it: a 2019/20 Q4 meeting does not see figures for the 12 months to December 2022.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis.spc import is_small_numbers
from ..data.periods import QUARTER_BASES, parse_quarter, period_display
from ..formatting import format_value
from .facade import Views
from .metric import MetricView, build_metric_view
from .text import plain_verdict
from .titles import quarter_label


@dataclass(frozen=True)
class Meeting:
    """A meeting's choice. ``None`` keeps a default: every priority in plan order; each
    priority's headline figures of the quarter."""

    quarter: str | None = None
    area: str | None = None
    priorities: tuple[int, ...] | None = None
    figures: tuple[str, ...] | None = None
    since: str | None = None

    def resolved(self, vm: Views) -> Meeting:
        """The same choice with the quarter and area canonical (PackError when the data do not
        have them) and the last meeting dropped when it is not before the quarter."""
        quarter, area = vm.resolve_quarter(self.quarter), vm.resolve_area(self.area)
        since = self.since
        if since:
            try:
                since = parse_quarter(since).label
            except ValueError:
                since = None
        if since and parse_quarter(since) >= parse_quarter(quarter):
            since = None
        return Meeting(quarter, area, self.priorities, self.figures, since)

    @property
    def key(self) -> tuple:
        return (self.quarter, self.area, self.priorities, self.figures, self.since)

    def chosen_priorities(self, every: Sequence[int]) -> list[int]:
        if self.priorities is None:
            return list(every)
        return [p for p in self.priorities if p in every]


def figure_token(metric: dict, basis: str) -> str:
    return metric["metric_id"] if basis == metric["basis"] else f"{metric['metric_id']}@{basis}"


def parse_token(token: str, vm: Views) -> tuple[str, str] | None:
    metric_id, _, basis = token.partition("@")
    if metric_id not in vm.dataset.metric_index:
        return None
    return metric_id, basis or str(vm.metric(metric_id)["basis"])


def meeting_view(
    vm: Views, metric_id: str, area: str | None, quarter: str, basis: str | None = None
) -> MetricView:
    """The metric for the meeting: up to the quarter on quarterly bases (as everywhere), and on
    other bases only the periods that end by the quarter's end."""
    return vm.cached(
        "meeting-view",
        (metric_id, area, quarter, basis),
        lambda: _meeting_view(vm, metric_id, area, quarter, basis),
    )


def _meeting_view(
    vm: Views, metric_id: str, area: str | None, quarter: str, basis: str | None
) -> MetricView:
    view = vm.metric_view(metric_id, area, quarter, basis)
    if view.basis in QUARTER_BASES:
        return view
    last = parse_quarter(quarter).end_date
    keep = sum(1 for p in view.points if p.end is None or p.end <= last)
    if keep == len(view.points):
        return view
    rows = vm.index.series(view.metric_id, view.area_id, view.basis).upto(keep)
    breaks = list(vm.index.discontinuities.get((view.metric_id, view.basis), {}))
    return build_metric_view(
        view.metric,
        view.area_id,
        view.area_name,
        view.area_is_fallback,
        view.basis,
        rows,
        None,
        breaks,
    )


def plain_words(view: MetricView) -> str:
    """The view's verdict for a lay audience (the statistical one is ``view.verdict``)."""
    small = view.unit == "count" and is_small_numbers(view.spc.values)
    return plain_verdict(view.spc, str(view.metric["direction"]), small_numbers=small)


def of_the_quarter(view: MetricView, quarter: str) -> bool:
    """True when the figure is for the chosen quarter itself."""
    return view.basis in QUARTER_BASES and bool(view.periods) and view.periods[-1] == quarter


def own_period(view: MetricView, quarter: str) -> str:
    """'in 2019/20 Q4', 'at the end of 2019/20 Q4', 'in the 12 months to Apr 2019', 'in 2019'."""
    if not view.points:
        return ""
    label = period_display(view.basis, view.periods[-1])
    if view.basis == "quarter_end":
        return f"at the end of {label}"
    if view.basis == "rolling_12m":
        return f"in the {label}"
    return f"in {label}"


@dataclass(frozen=True)
class FigureOption:
    """One figure the builder offers for a priority."""

    token: str
    metric_id: str
    label: str
    value: str  # "168"
    period: str  # "in 2019/20 Q4", "in the 12 months to Apr 2019"
    this_quarter: bool
    headline: bool


def figure_options(vm: Views, number: int, quarter: str, area: str) -> list[FigureOption]:
    """Every figure of the priority the meeting could show, the quarter's first (catalogue
    order), then those from other periods (each with its own period)."""
    ours: list[FigureOption] = []
    others: list[FigureOption] = []
    for metric in vm.priority_metrics(number):
        for basis in vm.metric_bases(metric["metric_id"]):
            view = meeting_view(vm, metric["metric_id"], area, quarter, basis)
            if not view.points:
                continue
            this = of_the_quarter(view, quarter)
            option = FigureOption(
                token=figure_token(metric, basis),
                metric_id=view.metric_id,
                label=view.label,
                value=format_value(view.points[-1].value, view.unit, with_unit=True),
                period=own_period(view, quarter),
                this_quarter=this,
                headline=bool(metric["headline"]) and this,
            )
            (ours if this else others).append(option)
    return ours + others


def chosen_views(vm: Views, meeting: Meeting, number: int) -> list[MetricView]:
    """The figures the meeting shows for a priority, in the presenter's order (by default its
    headline figures of the quarter, the overview's cards)."""
    quarter = meeting.quarter or ""
    if meeting.figures is None:
        return vm.headline_figures(number, quarter, meeting.area)
    views = []
    for token in meeting.figures:
        found = parse_token(token, vm)
        if found is None or int(vm.metric(found[0])["priority"]) != number:
            continue
        view = meeting_view(vm, found[0], meeting.area, quarter, found[1])
        if view.points:
            views.append(view)
    return views


def default_tokens(vm: Views, meeting: Meeting, numbers: Sequence[int]) -> list[str]:
    """The figures a meeting shows when the presenter has not chosen, as tokens (the builder
    starts from them)."""
    tokens = []
    for number in numbers:
        for view in vm.headline_figures(number, meeting.quarter, meeting.area):
            tokens.append(figure_token(dict(view.metric), view.basis))
    return tokens


def since_options(vm: Views, quarter: str) -> list[tuple[str, str]]:
    """Quarters a last meeting could have looked at: the four before the chosen one, and any
    earlier quarter the data have, latest first."""
    current = parse_quarter(quarter)
    found = {current.shift(-n).label for n in range(1, 5)}
    found |= {q for q in vm.quarters if parse_quarter(q) < current}
    ordered = sorted(found, key=parse_quarter, reverse=True)
    return [(q, quarter_label(q)) for q in ordered]
