"""The page table: every page's path, builder, title, navigation label and filters, in one place.

A new page is a module in this folder with ``layout(ctx) -> PageContent`` and ``title(ctx) ->
str``, and one row below. The shell (dashboard/shell.py), the URL resolver (dashboard/routing.py)
and the main navigation all read this table; nothing else lists pages.

Why a table of our own rather than Dash Pages (``dash.register_page``):

* Resolving a URL needs the dataset: /priority/9, an unknown metric or a quarter with no figures
  get a friendly message naming what is wrong (routing.resolve). Dash Pages hands each layout the
  raw path variables and query strings, so every page would repeat that checking, and an
  exception in a layout becomes a failed callback instead of a message.
* One page callback fills several parts of a persistent shell: the head, the page's own filter
  bar (kept mounted while its filters change), the body, the navigation with ``aria-current``,
  the footer and the tab's title. Dash Pages renders one container and sets the title from its
  own store; the rest would need extra callbacks per navigation.
* Titles say what the view shows ("Priority 7: Improve Safety on our Roads, 2019/20 Q4"), which
  depends on the dataset and the query; Dash Pages' title functions see path variables only.
* Dash Pages keeps a process-wide ``dash.page_registry`` filled at import time; the tests build
  several apps in one process, and a plain tuple is simply data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..routing import SUBJECTS, PathRule
from . import (
    about,
    area,
    compare,
    districts,
    meeting,
    metric,
    narrative,
    not_found,
    overview,
    present,
    priority,
)
from .base import Context, PageContent


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str  # "/priority/<priority>": the first segment, then at most one subject
    layout: Callable[[Context], PageContent]
    title: Callable[[Context], str]  # what the view shows; the shell adds the site's name
    nav: str | None = None  # label in the main navigation, if the page is listed there
    filters: tuple[str, ...] = ()  # names in dashboard.components.filters.FILTERS

    @property
    def head(self) -> str:
        return self.path.strip("/").split("/")[0]

    @property
    def subject(self) -> str | None:
        parts = self.path.strip("/").split("/")
        found = parts[1].strip("<>") if len(parts) > 1 else None
        assert found is None or found in SUBJECTS, f"{self.path}: unknown subject {found}"
        return found


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "/", overview.layout, overview.title, "Plan at a glance", ("quarter", "area")),
    PageSpec("priority", "/priority/<priority>", priority.layout, priority.title, None, ("quarter", "area")),
    PageSpec("metric", "/metric/<metric>", metric.layout, metric.title, None, ("quarter", "area")),
    PageSpec("area", "/area/<area>", area.layout, area.title, None, ("quarter",)),
    PageSpec("compare", "/compare/<metric>", compare.layout, compare.title, None, ("period",)),
    PageSpec("districts", "/districts", districts.layout, districts.title, "Districts", ("measure", "district-period", "rank-by")),
    PageSpec("narrative", "/narrative", narrative.layout, narrative.title, "Search updates", ("words", "priority", "area", "any-quarter")),
    PageSpec("meeting", "/meeting", meeting.layout, meeting.title, "Plan a meeting", ("quarter", "area", "since")),
    PageSpec("present", "/present", present.layout, present.title, "Meeting mode"),
    PageSpec("about", "/about", about.layout, about.title, "About the data"),
)  # fmt: skip

#: Shown for any address the table does not have, or a subject the data do not have.
NOT_FOUND = PageSpec("not-found", "", not_found.layout, not_found.title)

BY_NAME = {page.name: page for page in (*PAGES, NOT_FOUND)}
PATHS = {page.head: PathRule(page.name, page.subject) for page in PAGES}
NAV = tuple(("/" + page.head, page.nav) for page in PAGES if page.nav)


def page_for(name: str) -> PageSpec:
    return BY_NAME.get(name, NOT_FOUND)


def nav_current(spec: PageSpec) -> str | None:
    """The navigation href of the page shown, if it is listed in the navigation."""
    return "/" + spec.head if spec.nav else None
