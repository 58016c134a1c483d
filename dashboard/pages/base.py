"""What every page builder is given and what it returns (the page table: registry.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..data.errors import Problem
from ..routing import Route
from ..views import ViewModel
from ..views.titles import with_view


@dataclass(frozen=True)
class Context:
    views: ViewModel
    route: Route
    #: Why the latest data files were not taken (the about page says so); empty when they were.
    problems: Sequence[Problem] = ()
    #: True when the problems are files in the data folder that differ from the live version
    #: (edited, missing, added) and wait for ``pcp-dashboard publish``.
    unpublished: bool = False

    @property
    def quarter(self) -> str | None:
        """The quarter the page shows: the chosen one, else the latest."""
        return self.route.quarter or self.views.latest_quarter

    def title(self, heading: str) -> str:
        """The heading with the view: its quarter, and its area when one is chosen."""
        area = self.route.area
        return with_view(heading, self.quarter, self.views.area_name(area) if area else None)


@dataclass(frozen=True)
class PageContent:
    """A page's parts of the shell: its head (the <h1> and lead, above the filter bar) and its
    body (below it)."""

    head: list[Any] = field(default_factory=list)
    body: list[Any] = field(default_factory=list)
