"""URL -> which page, with which filters. Pure: no Dash, so every odd URL can be tested.

Which paths exist is the page table's business (dashboard/pages/registry.py): it passes
``resolve`` a mapping from the first path segment to the page's name and what follows it (a
priority, metric or area, or nothing). Filters live in the query string (``quarter``, ``area``,
and on some pages ``priority``, ``q``, ``slide``), so a link opens the same view and
back/forward work. Unknown values are reported with a friendly message, never a traceback.

A meeting's choice (dashboard/views/meeting.py) is in the query too, so it follows every link
and drives meeting mode and every pack: ``priorities`` (``7,1,3``: which, in order),
``figures`` (metric ids, ``metric@basis`` for another basis, in order; ``none`` for none) and
``since`` (the last meeting's quarter). ``text=large`` is meeting mode's larger type
(``text=standard``: the usual type, even on a small or zoomed screen).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from .data.model import Dataset
from .data.periods import BASES, parse_quarter
from .views.choices import ascii_digits_only, check_quarter, not_own_area

#: What may follow a page's first path segment: nothing, or one priority, metric or area.
SUBJECTS = ("priority", "metric", "area")


@dataclass(frozen=True)
class PathRule:
    page: str  # the page's name in the table
    subject: str | None = None  # one of SUBJECTS, or None for a page without one


@dataclass
class Route:
    page: str
    subject: str | None = None
    quarter: str | None = None
    area: str | None = None
    priority: int | None = None
    words: str = ""
    period: str | None = None  # a period of the subject metric's own basis (/compare)
    slide: int = 0
    contrast: bool = False
    priorities: tuple[int, ...] | None = None  # the meeting's priorities, in order (None: all)
    figures: tuple[str, ...] | None = None  # the meeting's figures, in order (None: default)
    since: str | None = None  # the last meeting's quarter
    text: str | None = None  # meeting mode's type: "large", "standard" or None (the screen's)
    problems: list[str] = field(default_factory=list)
    #: The query's parameters that were understood, canonical, in the URL's order (the bad ones
    #: left out): what a filter change starts from.
    params: dict[str, str] = field(default_factory=dict)

    def query(self, **overrides: object) -> str:
        return build_query(self, **overrides)


def build_query(route: Route | None = None, **values: object) -> str:
    """A query string with the route's filters, changed by ``values`` (None removes a key)."""
    params: dict[str, str] = {}
    if route is not None:
        if route.quarter:
            params["quarter"] = route.quarter
        if route.area:
            params["area"] = route.area
        params.update(meeting_params(route))
    for key, value in values.items():
        if value in (None, "", False):
            params.pop(key, None)
        else:
            params[key] = str(value) if value is not True else "1"
    return "?" + urlencode(params, safe=",@") if params else ""


def meeting_params(route: Route) -> dict[str, str]:
    """The meeting's choice as query parameters (empty when the defaults are kept)."""
    params: dict[str, str] = {}
    if route.priorities is not None:
        params["priorities"] = ",".join(str(p) for p in route.priorities) or NO_FIGURES
    if route.figures is not None:
        params["figures"] = ",".join(route.figures) or NO_FIGURES
    if route.since:
        params["since"] = route.since
    return params


#: ``figures=none`` (``priorities=none``): the presenter left every figure (priority) out.
NO_FIGURES = "none"


def priority_words(numbers: Sequence[int]) -> str:
    """'1 to 7' for a plan's priorities numbered without a gap, else '1, 2, 4 and 5'."""
    if not numbers:
        return "none"
    if list(numbers) == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"{numbers[0]} to {numbers[-1]}"
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else f"{', '.join(text[:-1])} and {text[-1]}"


def _priority(text: str, dataset: Dataset) -> int | None:
    """The priority ``text`` names, if the plan has it (two ASCII digits at most)."""
    number = ascii_number(text, digits=2)
    return number if number in dataset.priority_numbers and str(number) == text else None


def _priorities(text: str, route: Route, dataset: Dataset) -> None:
    if text == NO_FIGURES:
        route.priorities = ()
        return
    parts = [p.strip() for p in text.split(",") if p.strip()]
    numbers = [_priority(p, dataset) for p in parts]
    if parts and all(n is not None for n in numbers):
        route.priorities = tuple(dict.fromkeys(n for n in numbers if n is not None))
    else:
        plan = dataset.priority_numbers
        picked = (plan[-1], plan[0], plan[min(2, len(plan) - 1)]) if plan else ()
        example = ",".join(str(n) for n in dict.fromkeys(picked))
        route.problems.append(
            f"“{text}” is not a list of priorities "
            f"({priority_words(dataset.priority_numbers)}, for example {example}); showing all."
        )


def _figures(text: str, route: Route, dataset: Dataset) -> None:
    if text == NO_FIGURES:
        route.figures = ()
        return
    chosen, unknown = [], []
    for token in (t.strip() for t in text.split(",")):
        metric, _, basis = token.partition("@")
        if metric in dataset.metric_index and (not basis or basis in BASES):
            chosen.append(token)
        elif token:
            unknown.append(token)
    if unknown:
        route.problems.append(f"Not figures in the data, left out: {', '.join(unknown)}.")
    route.figures = tuple(dict.fromkeys(chosen))


def _since(text: str, route: Route, dataset: Dataset) -> None:
    try:
        if not ascii_digits_only(text):
            raise ValueError(text)
        since = parse_quarter(text)
    except ValueError:
        route.problems.append(f"“{text}” is not a quarter; the last meeting is left out.")
        return
    shown = route.quarter or dataset.latest_quarter
    if shown and since >= parse_quarter(shown):
        route.problems.append(
            f"The last meeting ({since.display}) must come before the quarter shown; left out."
        )
        return
    route.since = since.label


def ascii_number(text: str, *, digits: int) -> int | None:
    """``text`` as a whole number when it is 1 to ``digits`` ASCII digits, else None.

    Strict on purpose: ``str.isdigit()`` accepts "²", "①" and Arabic-Indic digits, which
    ``int()`` refuses or reads as another number; a URL's number is 0-9 only."""
    if re.fullmatch(rf"[0-9]{{1,{digits}}}", text, flags=re.ASCII):
        return int(text)
    return None


def _first(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[0].strip() if values and values[0].strip() else None


def resolve(
    pathname: str | None, search: str | None, dataset: Dataset, paths: Mapping[str, PathRule]
) -> Route:
    path = (pathname or "/").strip("/")
    parts = [p for p in path.split("/") if p]
    head = parts[0] if parts else ""
    rule = paths.get(head)
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    route = Route(page=rule.page if rule else "not-found")
    if rule is None:
        route.problems.append(f"There is no page at /{path}.")
        return route
    if rule.subject:
        if len(parts) != 2:
            route.page = "not-found"
            route.problems.append(
                f"/{head}/ needs one {rule.subject} after it, for example "
                f"/{head}/{_example(rule.subject, dataset)}."
            )
            return route
        route.subject = parts[1]
    elif len(parts) > 1:
        route.page = "not-found"
        route.problems.append(f"There is no page at /{path}.")
        return route

    quarter = _first(query, "quarter")
    if quarter:
        found = check_quarter(quarter, dataset.quarters)
        route.quarter = found.label
        if found.problem:
            route.problems.append(f"{found.problem}; showing the latest quarter instead.")
    area = _first(query, "area")
    if area:
        force = dataset.area_index.get(dataset.force_id, {}).get("name", dataset.force_id)
        name = dataset.area_index.get(area, {}).get("name", area)
        if outside := not_own_area(dataset, area, f"this page shows {force}, not {name}"):
            route.problems.append(outside)
        elif area in dataset.area_index:
            route.area = area
        else:
            route.problems.append(
                f"“{area}” is not an area in the data; showing force-wide figures instead."
            )
    priority = _first(query, "priority")
    if priority:
        if (number := _priority(priority, dataset)) is not None:
            route.priority = number
        else:
            route.problems.append(
                f"“{priority}” is not a priority ({priority_words(dataset.priority_numbers)}); "
                "showing all priorities."
            )
    route.words = (_first(query, "q") or "")[:200]
    period = _first(query, "period")
    if period and re.fullmatch(r"[0-9a-zA-Z-]{1,20}", period):
        route.period = period  # checked against the metric's periods by the page that reads it
    slide = _first(query, "slide")
    if slide:
        number = ascii_number(slide, digits=4)
        if number is None:
            route.problems.append(
                f"“{slide[:40]}” is not a slide number (the digits 0 to 9); "
                "showing the first slide."
            )
        else:
            route.slide = number
    route.contrast = _first(query, "contrast") == "1"
    text = _first(query, "text")
    route.text = text if text in ("large", "standard") else None
    if text := _first(query, "priorities"):
        _priorities(text, route, dataset)
    if text := _first(query, "figures"):
        _figures(text, route, dataset)
    if text := _first(query, "since"):
        _since(text, route, dataset)
    understood = {
        "quarter": route.quarter,
        "area": route.area,
        "priority": str(route.priority) if route.priority else None,
        "q": route.words or None,
        "period": route.period,
        "slide": str(route.slide) if slide and ascii_number(slide, digits=4) is not None else None,
        "contrast": "1" if route.contrast else None,
        "text": route.text,
        **meeting_params(route),
    }
    route.params = {k: v for k in query if (v := understood.get(k))}

    if rule.subject == "priority":
        if _priority(route.subject or "", dataset) is None:
            route.page = "not-found"
            route.problems.append(
                f"There is no priority “{route.subject}”: the plan has priorities "
                f"{priority_words(dataset.priority_numbers)}."
            )
    elif rule.subject == "metric" and route.subject not in dataset.metric_index:
        route.page = "not-found"
        route.problems.append(f"There is no metric “{route.subject}” in the data.")
    elif rule.subject == "area" and route.subject not in dataset.area_index:
        route.page = "not-found"
        route.problems.append(f"There is no area “{route.subject}” in the data.")
    elif rule.subject == "area" and (
        outside := not_own_area(dataset, route.subject or "", "it has no area page here")
    ):
        route.page = "not-found"
        route.problems.append(outside)
    return route


def _example(subject: str, dataset: Dataset) -> str:
    if subject == "priority":
        return "1"
    if subject == "metric" and dataset.metric_index:
        return next(iter(dataset.metric_index))
    return dataset.force_id
