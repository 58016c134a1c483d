"""The filter bar a page asks for by name (the page table's ``filters``), and what it shows.

Each filter is one query parameter. The bar is drawn by the server when a page opens (or the URL
changes from outside it: back, forward, a link) and then stays mounted while people use it:
assets/shell.js turns a change into a new query string in the browser, from the
:class:`FilterState` the server sends with every page (what each filter shows for the URL, its
default, and the value that means "no filter").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from dash import html

from ..routing import Route, build_query
from ..views import ViewModel, district_inputs
from ..views import districts as districts_view
from ..views.compare import comparison
from ..views.meeting import since_options
from ..views.titles import priority_heading, quarter_label
from .layout import filter_bar, search_box, select
from .narrative import area_page_links


@dataclass(frozen=True)
class Filter:
    param: str  # the query parameter it writes
    shown: str  # what it shows for this URL
    default: str  # what it shows when the URL does not say
    blank: str  # the value that means "no filter": left out of the URL
    control: html.Div


def quarter(vm: ViewModel, route: Route) -> Filter:
    options = [(q, quarter_label(q)) for q in reversed(vm.quarters)]
    default = vm.latest_quarter or ""
    shown = route.quarter or default
    return Filter("quarter", shown, default, "all", select("quarter", "Quarter", options, shown))


def any_quarter(vm: ViewModel, route: Route) -> Filter:
    """The quarter, or every quarter (the default: search covers them all)."""
    options = [("all", "All quarters")] + [(q, quarter_label(q)) for q in reversed(vm.quarters)]
    shown = route.quarter or "all"
    return Filter("quarter", shown, "all", "all", select("quarter", "Quarter", options, shown))


def area(vm: ViewModel, route: Route) -> Filter:
    force = vm.force_id
    shown = route.area or force
    return Filter("area", shown, force, force, select("area", "Area", vm.index.area_options, shown))


def area_page_link(names: Sequence[str], vm: ViewModel, route: Route) -> html.P | None:
    """Above a page whose Area filter names one of the force's areas: a link to that area's
    own page (every priority's updates that name it). Outside the filter bar, which is not
    drawn again when a filter changes."""
    if "area" not in names or not route.area or route.area == vm.force_id:
        return None
    return area_page_links(vm, [route.area], route.quarter)


def priority(vm: ViewModel, route: Route) -> Filter:
    options = [("all", "All priorities")] + [
        (str(p["priority"]), priority_heading(int(p["priority"]), p["short_title"]))
        for p in vm.index.priorities
    ]
    shown = str(route.priority) if route.priority else "all"
    return Filter("priority", shown, "all", "all", select("priority", "Priority", options, shown))


def period(vm: ViewModel, route: Route) -> Filter:
    """A period of the page's metric on its own basis (the comparison page), newest first."""
    found = comparison(vm, route.subject or "", route.period, route.quarter or vm.latest_quarter)
    shown = found.period or ""
    latest = found.periods[0][0] if found.periods else ""
    return Filter(
        "period", shown, latest, "", select("period", "Period", list(found.periods), shown)
    )


def words(vm: ViewModel, route: Route) -> Filter:
    return Filter("q", route.words, "", "", search_box("q", "Words to find", route.words))


def since(vm: ViewModel, route: Route) -> Filter:
    """The last meeting's quarter (the meeting builder): what changed since then."""
    shown_quarter = route.quarter or vm.latest_quarter
    options = [("none", "No earlier meeting")]
    if shown_quarter:
        options += since_options(vm, shown_quarter)
    shown = route.since or "none"
    return Filter(
        "since", shown, "none", "none", select("since", "Last meeting looked at", options, shown)
    )


def measure(vm: ViewModel, route: Route) -> Filter:
    """A police.uk category held by district (/districts)."""
    found = district_inputs.measures(vm)
    options = [(m.metric_id, m.label) for m in found]
    default = options[0][0] if options else ""
    shown = route.measure if route.measure in {o[0] for o in options} else default
    return Filter("measure", shown or "", default, "", select("measure", "Measure", options, shown))


def district_period(vm: ViewModel, route: Route) -> Filter:
    """A month, or three months ending with one, every month of it held (/districts)."""
    chosen = district_inputs.measure(vm, route.measure)
    held = district_inputs.months_held(vm, chosen.metric_id) if chosen else []
    options = [(p.key, p.words) for p in districts_view.period_options(held)]
    default = options[0][0] if options else ""
    shown = route.period if route.period in {o[0] for o in options} else default
    return Filter("period", shown, default, "", select("period", "Period", options, shown))


def rank_by(vm: ViewModel, route: Route) -> Filter:
    options = [
        (key, words[:1].upper() + words[1:]) for key, words in districts_view.MEASURES.items()
    ]
    shown = route.rank_by or "rate"
    return Filter("by", shown, "rate", "", select("by", "Rank by", options, shown))


FILTERS: dict[str, Callable[[ViewModel, Route], Filter]] = {
    "quarter": quarter,
    "any-quarter": any_quarter,
    "area": area,
    "priority": priority,
    "words": words,
    "period": period,
    "since": since,
    "measure": measure,
    "district-period": district_period,
    "rank-by": rank_by,
}


@dataclass(frozen=True)
class FilterState:
    """What the browser needs to turn a filter change into a query string (assets/shell.js)."""

    search: str  # the query string this state is for
    query: str  # its parameters that were understood, canonical (bad values left out)
    shown: dict[str, str]
    defaults: dict[str, str]
    blank: dict[str, str]

    def as_data(self) -> dict:
        return asdict(self)


def build(names: Sequence[str], vm: ViewModel, route: Route, search: str) -> tuple[list, dict]:
    """The page's filter bar (none when it has no filters) and its state for the browser."""
    filters = [FILTERS[name](vm, route) for name in names]
    state = FilterState(
        search=search or "",
        query=build_query(None, **route.params),
        shown={f.param: f.shown for f in filters},
        defaults={f.param: f.default for f in filters},
        blank={f.param: f.blank for f in filters},
    )
    bar = [filter_bar([f.control for f in filters])] if filters else []
    return bar, state.as_data()
