"""The sources a pack quotes besides its own figures' and updates': for each "How Essex
compares" table, the published values it prints and ranks (every force and England and Wales,
at the period and a year earlier) and the document that names the group of forces.

Pure: reads the comparison (:func:`~dashboard.views.compare.comparison`) and the dataset's
current observations; the pack lists the sources in the words the About page uses
(:meth:`~dashboard.views.model.ViewModel.source_lines`).
"""

from __future__ import annotations

from ..analysis.peers import year_earlier
from .compare import comparison, forces, national_area
from .facade import Views


def comparison_sources(vm: Views, metric_id: str, quarter: str | None) -> list[str]:
    """Source ids of what a pack's comparison of ``metric_id`` says, earliest published first."""
    return vm.cached(
        "pack-compare-sources", (metric_id, quarter), lambda: _sources(vm, metric_id, quarter)
    )


def _sources(vm: Views, metric_id: str, quarter: str | None) -> list[str]:
    c = comparison(vm, metric_id, None, quarter)
    if c.period is None:
        return []
    periods = {c.period, year_earlier(c.basis, c.period)}
    national = national_area(vm)
    areas = set(forces(vm)) | ({national} if national else set())
    obs = vm.index.observations_of(metric_id)
    quoted = obs[
        obs["current"]
        & (obs["basis"] == c.basis)
        & obs["period"].isin(periods)
        & obs["area_id"].isin(areas)
    ].sort_values(["published", "source_id"], kind="stable")
    found = [str(s) for s in quoted["source_id"]]
    if c.group is not None:
        groups = vm.dataset.table("groups")
        named = groups.loc[groups["group_id"] == c.group.group_id, "source_id"]
        found += [str(s) for s in named]
    return list(dict.fromkeys(found))
