"""The view model's cache is bounded everywhere (issue 23): every namespace is declared once
with its bound, and a comparison is kept by the period it shows, not the text the URL asked for.

Before: ``"compare"`` had no bound and was keyed by the raw ``period`` of the URL, so 300
requests with made-up periods left 300 comparisons in the worker's memory.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from shell_helpers import SharedStore, text_of

from dashboard.shell import render_page
from dashboard.views import views_of
from dashboard.views.cache import NAMESPACES, VersionCache
from dashboard.views.compare import comparable_metrics

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"


def test_300_made_up_comparison_periods_leave_the_cache_at_its_bound(bundled_dataset):
    dataset = copy.copy(bundled_dataset)  # a view model (and cache) of this test's own
    store = SharedStore(dataset)
    vm = views_of(dataset)
    metric = comparable_metrics(vm)[0]["metric_id"]
    for number in range(300):
        made_up = f"1999-Q{number}"
        update = render_page(store, f"/compare/{metric}", f"?period={made_up}")
        if number % 50 == 0:  # each answer still names the period it was asked for
            assert f"“{made_up}” is not a period with a figure for Essex" in text_of(update.head)
    # every made-up period shows the latest period: one comparison, well within the bound
    assert vm.cache.size("compare") == 1
    assert vm.cache.size("compare") <= NAMESPACES["compare"]
    assert vm.cache.size("page") <= NAMESPACES["page"]
    for namespace, bound in NAMESPACES.items():
        assert vm.cache.size(namespace) <= bound, namespace


def test_a_namespace_keeps_its_bound_and_an_undeclared_one_is_refused():
    cache = VersionCache({"small": 3})
    for number in range(300):
        cache.get("small", number, lambda n=number: n)
    assert cache.size("small") == 3
    with pytest.raises(KeyError, match="not declared"):
        cache.get("elsewhere", 1, lambda: 1)
    with pytest.raises(ValueError, match="bound"):
        VersionCache({"unbounded": 0})


def test_every_namespace_the_code_uses_is_declared():
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\.cached\(\s*\"([a-z-]+)\"", text))
        for pair in re.findall(r"namespace = \"([a-z-]+)\" if .* else \"([a-z-]+)\"", text):
            used |= set(pair)  # views/model.py: "search" if words else "narrative"
    assert len(used) >= 15, sorted(used)  # the search found the calls
    assert used - NAMESPACES.keys() == set()
