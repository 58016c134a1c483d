"""The one cache: results of pure computations on one dataset version, shared by every thread.

A :class:`VersionCache` belongs to one :class:`~dashboard.views.model.ViewModel`, which belongs to
one loaded dataset: a reload brings a new dataset, a new view model and so an empty cache, and
nothing needs invalidating. Values are computed at most once per key (a second thread asking for
a key being computed waits for it rather than computing it again) and must be treated as
read-only.

Every namespace is declared once, in :data:`NAMESPACES`, with its bound (least recently used
first out): a namespace nobody declared is an error, not an unbounded table. Keys are resolved
values (the period a comparison shows, not the text a URL asked for), so made-up input adds no
entries where the answer is the same.

Per process: each gunicorn worker keeps its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


#: Every namespace of the cache and the most entries it keeps. Built files and free-text
#: searches have keys the data do not bound; a metric's views (metric, area, quarter, basis)
#: are bounded by the data only as series x quarters, hundreds of thousands at 2x10^5
#: observations, so a worker keeps the ones people have been looking at; a meeting's choice
#: (its pack and its slides at each screen size) is a key from the URL, not the data.
NAMESPACES: dict[str, int] = {
    "file": 16,  # built pack files (bytes), per format and meeting
    "search": 64,  # updates matching free words
    "narrative": 2000,  # updates of a quarter, priority and area
    "metric": 6000,  # MetricView per metric, area, quarter, basis
    "meeting-view": 6000,  # a meeting's view of a metric
    "evidence": 500,  # a metric page's published values, per metric and area
    "pack": 32,  # a meeting's Pack
    "deck": 64,  # a meeting's slides at one screen size
    "chart": 3000,  # chart payloads (figure, table, summary)
    "page": 400,  # a page's components, per resolved route
    "page-json": 400,  # the same, as the JSON the browser gets
    "shown": 400,  # the shell as rendered for a URL the browser says it shows (shell.patch_from)
    "patch": 1000,  # the set_props from one page view to another (shell.patch_from), per page keys
    "compare": 2000,  # Comparison per metric and the period it shows (not the one asked)
    "comparable": 2000,  # whether a metric can be compared, per metric
    "pack-compare": 500,  # a priority's comparisons for a pack, per quarter
    "pack-compare-sources": 2000,  # the sources a pack's comparison quotes
    "national-signals": 200,  # the overview's national signals, per quarter
    "areas-chart": 2000,  # a metric page's chart of every area, per quarter
    "about-revisions": 1,  # the About page's table of restated values
    "district-areas": 1,  # the districts with police.uk figures
    "district-measures": 1,  # the police.uk measures the districts page offers
    "district-counts": 200,  # a measure's counts by district and month, per metric
    "district-comparison": 2000,  # districts side by side, per measure, resolved period, ranking
    "district-profile": 100,  # a district's profile, per district
    "records-months": 1,  # the months the version's police.uk records hold
    "records-files": 200,  # the file(s) a month's records came from, per month
    "records-district": 400,  # a district's record mix and outcomes, per district and month
    "records-outcomes-across": 400,  # a category's outcomes by district, per category and period
}


class VersionCache:
    def __init__(self, limits: Mapping[str, int] = NAMESPACES):
        if any(bound < 1 for bound in limits.values()):
            raise ValueError("every cache namespace needs a bound of at least one entry")
        self._limits = dict(limits)
        self._lock = threading.Lock()
        self._tables: dict[str, OrderedDict[Hashable, Any]] = {}
        self._pending: dict[tuple[str, Hashable], threading.Lock] = {}

    def get(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` in ``namespace``, computed by ``compute()`` the first time."""
        if namespace not in self._limits:
            raise KeyError(f"cache namespace {namespace!r} is not declared in views/cache.py")
        with self._lock:
            table = self._tables.setdefault(namespace, OrderedDict())
            if key in table:
                table.move_to_end(key)
                return table[key]
            pending = self._pending.setdefault((namespace, key), threading.Lock())
        with pending:
            with self._lock:
                if key in table:
                    return table[key]
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._pending.pop((namespace, key), None)
                raise
            with self._lock:
                table[key] = value
                while len(table) > self._limits[namespace]:
                    table.popitem(last=False)
                self._pending.pop((namespace, key), None)
            return value

    def size(self, namespace: str) -> int:
        with self._lock:
            return len(self._tables.get(namespace, ()))
