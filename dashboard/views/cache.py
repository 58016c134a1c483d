"""The one cache: results of pure computations on one dataset version, shared by every thread.

A :class:`VersionCache` belongs to one :class:`~dashboard.views.model.ViewModel`, which belongs to
one loaded dataset: a reload brings a new dataset, a new view model and so an empty cache, and
nothing needs invalidating. Values are computed at most once per key (a second thread asking for
a key being computed waits for it rather than computing it again) and must be treated as
read-only. A namespace can be bounded (least recently used first out) where its keys are not
bounded by the data, such as built pack files; the others hold one entry per key the data allow.

Per process: each gunicorn worker keeps its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class VersionCache:
    def __init__(self, limits: Mapping[str, int] | None = None):
        self._limits = dict(limits or {})
        self._lock = threading.Lock()
        self._tables: dict[str, OrderedDict[Hashable, Any]] = {}
        self._pending: dict[tuple[str, Hashable], threading.Lock] = {}

    def get(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` in ``namespace``, computed by ``compute()`` the first time."""
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
                limit = self._limits.get(namespace)
                while limit is not None and len(table) > limit:
                    table.popitem(last=False)
                self._pending.pop((namespace, key), None)
            return value

    def size(self, namespace: str) -> int:
        with self._lock:
            return len(self._tables.get(namespace, ()))
