"""The engine's fast paths give the same numbers as the straightforward ones they replaced.

Each fast path (NumPy-sorted observations and revisions, the columnar series index, the
per-metric area values, the evidence of a metric page, the signals of every quarter found in
one NumPy pass) is checked here against a plain implementation of the same rule: pandas
filtering and sorting as the code did before, or one ``xmr`` analysis per series. On SYNTHETIC
data made by benchmarks/synthetic.py (restatements, gaps, discontinuities) and on made-up
series chosen to hit the rules' edges (ties, flat stretches, values on a limit or the centre).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis.spc import xmr
from dashboard.data.model import OBSERVATION_KEY, load_dataset
from dashboard.data.periods import QUARTER_BASES, Quarter, period_display, period_end
from dashboard.views import views_of
from dashboard.views.scan import SeriesInput, quarter_number, scan
from dashboard.views.signals import SignalRow, Signals, sort_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synthetic  # noqa: E402


@pytest.fixture(scope="module")
def synthetic_dataset(tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("synthetic") / "data"
    synthetic.write_dataset(folder, 24_000, seed=7)
    monkeypatch_module.setenv("PCP_MAX_FILE_MB", "200")
    return load_dataset(folder)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


# --- the model: observations, current values, revisions --------------------------------------


def observations_before(dataset) -> pd.DataFrame:
    """Dataset.observations as it was computed before the engine (pandas sort of the text)."""
    obs = dataset.table("observations").copy()
    published = dict(zip(dataset.sources["source_id"], dataset.sources["published"], strict=False))
    obs["published"] = obs["source_id"].map(published).fillna("")
    keys = list(zip(obs["basis"], obs["period"], strict=False))
    obs["period_end"] = [period_end(*k) for k in keys]
    obs["period_label"] = [period_display(*k) for k in keys]
    obs = obs.sort_values([*OBSERVATION_KEY, "published", "source_id"], kind="stable")
    obs = obs.reset_index(drop=True)
    obs["current"] = ~obs.duplicated(OBSERVATION_KEY, keep="last")
    return obs


def test_observations_current_and_revisions_are_as_before(synthetic_dataset, bundled_dataset):
    for dataset in (synthetic_dataset, bundled_dataset):
        before = observations_before(dataset)
        pd.testing.assert_frame_equal(dataset.observations, before)
        repeated = before[before.duplicated(OBSERVATION_KEY, keep=False)].reset_index(drop=True)
        pd.testing.assert_frame_equal(dataset.revisions, repeated)
    # The synthetic data restate about 2% of values: the comparison covered real revisions.
    assert len(synthetic_dataset.revisions) > 400
    assert synthetic_dataset.observations["current"].sum() < len(synthetic_dataset.observations)


def test_a_tie_on_the_publication_date_goes_to_the_later_source_id(tmp_path, bundled_dataset):
    """Two sources published the same month: `current` does not depend on the file's order."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(Path(bundled_dataset.path), folder, ignore=shutil.ignore_patterns(".*"))
    sources = pd.read_csv(folder / "sources.csv", dtype=str, keep_default_na=False)
    twin = sources.iloc[0].copy()
    twin["source_id"] = "a-same-month-twin"
    pd.concat([sources, twin.to_frame().T]).to_csv(folder / "sources.csv", index=False)
    obs = pd.read_csv(folder / "observations.csv", dtype=str, keep_default_na=False)
    first = obs[obs["source_id"] == sources.iloc[0]["source_id"]].iloc[[0]].copy()
    first["source_id"], first["value"] = "a-same-month-twin", "1"
    pd.concat([first, obs]).to_csv(folder / "observations.csv", index=False)
    dataset = load_dataset(folder)
    pd.testing.assert_frame_equal(dataset.observations, observations_before(dataset))
    key = first.iloc[0]
    rows = dataset.observations[
        (dataset.observations["metric_id"] == key["metric_id"])
        & (dataset.observations["area_id"] == key["area_id"])
        & (dataset.observations["period"] == key["period"])
    ]
    # "a-same-month-twin" sorts before the real id, so the real source's value stays current.
    assert rows.loc[rows["current"], "source_id"].tolist() == [sources.iloc[0]["source_id"]]


# --- the index: series, areas, quarters ---------------------------------------------------------


def test_every_series_is_the_current_values_in_time_order(synthetic_dataset):
    vm = views_of(synthetic_dataset)
    current = synthetic_dataset.current
    groups = current.sort_values("period_end", kind="stable").groupby(
        ["metric_id", "area_id", "basis"], sort=False
    )
    keys = list(vm.index.series_keys())
    assert sorted(keys) == sorted(groups.groups)
    for key in keys[::7]:
        rows = groups.get_group(key)
        series = vm.index.series(*key)
        assert series.periods == tuple(rows["period"])
        assert series.values == tuple(float(v) for v in rows["value"])
        assert series.labels == tuple(rows["period_label"])
        assert series.ends == tuple(rows["period_end"])
        assert series.source_ids == tuple(rows["source_id"])
    assert vm.index.series("no-such-metric", "essex", "quarter_count").periods == ()


def test_areas_by_quarter_and_metrics_by_quarter_are_as_a_filter_says(synthetic_dataset):
    vm = views_of(synthetic_dataset)
    current = synthetic_dataset.current
    quarterly = current[current["basis"].isin(QUARTER_BASES)]
    for metric_id in list(synthetic_dataset.metric_index)[:12]:
        for quarter in synthetic_dataset.quarters[-3:]:
            rows = quarterly[
                (quarterly["metric_id"] == metric_id) & (quarterly["period"] == quarter)
            ]
            rows = rows.sort_values(["area_id", "basis"], kind="stable")
            expected = list(zip(rows["area_id"], rows["value"].astype(float), strict=True))
            assert vm.index.area_values(metric_id, quarter) == expected
    for quarter in synthetic_dataset.quarters[::9]:
        found = set(quarterly.loc[quarterly["period"] == quarter, "metric_id"])
        assert vm.index.metrics_in_quarter.get(quarter, set()) == found


def test_a_metric_pages_evidence_is_every_value_of_the_area(synthetic_dataset):
    vm = views_of(synthetic_dataset)
    obs = synthetic_dataset.observations
    restated = synthetic_dataset.revisions.iloc[0]
    metric_id, area_id = restated["metric_id"], restated["area_id"]
    evidence = vm.evidence(metric_id, area_id)
    rows = obs[(obs["metric_id"] == metric_id) & (obs["area_id"] == area_id)]
    assert len(evidence.rows) == len(rows)
    assert (
        sum(1 for r in evidence.rows if r[2].startswith(("superseded", "republished unchanged")))
        == (~rows["current"]).sum()
    )
    assert evidence.other_areas == obs.loc[obs["metric_id"] == metric_id, "area_id"].nunique() - 1
    assert [r[0] for r in evidence.sources] == [
        synthetic_dataset.source_index[s]["title"]
        for s in dict.fromkeys(obs.loc[obs["metric_id"] == metric_id, "source_id"])
    ]


# The old way to the signals, one view (and its XmR analysis) per series: the reference the
# scan (views/scan.py) is checked against.


def quarterly_views(vm, quarter: str):
    """Every quarterly series as it stood at the quarter."""
    for metric_id, area_id, basis in vm.index.series_keys():
        if basis in QUARTER_BASES:
            yield vm.metric_view(metric_id, area_id, quarter, basis)


def signal_at_quarter(view, quarter: str) -> SignalRow | None:
    """The series' signal when its latest point is the quarter itself and is special cause."""
    result = view.spc
    if not result.judged or not view.periods or view.periods[-1] != quarter:
        return None
    here = result.signals_at(len(result.values) - 1)
    if not here:
        return None
    meanings = {s.meaning for s in here}
    meaning = meanings.pop() if len(meanings) == 1 else "mixed"
    return SignalRow(view.metric_id, view.area_id, view.basis, meaning)


def find_signals(views, quarter: str) -> Signals:
    rows, judged, series = [], 0, 0
    for view in views:
        series += 1
        judged += view.spc.judged
        row = signal_at_quarter(view, quarter)
        if row is not None:
            rows.append(row)
    return Signals(quarter, sort_rows(rows), judged, series)


# --- the signals of every quarter --------------------------------------------------------------


def test_the_overview_signals_are_those_of_one_xmr_per_series(synthetic_dataset):
    """New path (one NumPy pass at load) against the old (a view, and its XmR, per series)."""
    vm = views_of(synthetic_dataset)
    quarters = synthetic_dataset.quarters
    checked = 0
    for quarter in [quarters[-1], quarters[-2], quarters[-9], quarters[12], quarters[4]]:
        new = vm.signals(quarter)
        old = find_signals(quarterly_views(vm, quarter), quarter)
        assert new == old
        checked += len(new.rows)
    assert checked > 100  # made-up series with drift: plenty of signals to compare


def _last_point_meaning(points, improvement, discontinuities):
    result = xmr(points, improvement, discontinuities=discontinuities)
    if not result.judged:
        return result.judged, ""
    here = result.signals_at(len(result.values) - 1)
    meanings = {s.meaning for s in here}
    if not meanings:
        return True, ""
    return True, meanings.pop() if len(meanings) == 1 else "mixed"


def _edge_series(rng: np.random.Generator, n: int) -> list[float]:
    kind = rng.integers(0, 6)
    if kind == 0:  # flat stretches and exact repeats (ties in trends, points on the centre)
        return [float(v) for v in rng.choice([10.0, 10.0, 11.0, 12.0, 9.0], n)]
    if kind == 1:  # all equal: no variation
        return [5.0] * n
    if kind == 2:  # a step: shifts
        return [float(v) for v in np.r_[rng.normal(100, 3, n // 2), rng.normal(115, 3, n - n // 2)]]
    if kind == 3:  # a steady rise: trends
        return [float(v) for v in np.arange(n) * 2.0 + rng.normal(0, 0.5, n)]
    if kind == 4:  # small counts with outliers
        values = rng.poisson(3, n).astype(float)
        values[rng.integers(0, n)] += 20
        return [float(v) for v in values]
    return [round(float(v), 1) for v in rng.normal(50, 8, n)]


def test_the_scan_agrees_with_xmr_at_every_cut_of_made_up_series():
    """Every series cut at every one of its points, gaps and discontinuities included."""
    rng = np.random.default_rng(15)
    inputs, expected = [], []
    start = Quarter(2008, 1)
    for _ in range(900):
        n = int(rng.integers(1, 34))
        steps = rng.choice([1, 1, 1, 1, 1, 2, 3], n)  # some quarters skipped: gaps
        quarters = [start.shift(int(s)) for s in np.cumsum(steps)]
        values = _edge_series(rng, n)
        improvement = str(rng.choice(["up", "down", "neutral"]))
        breaks = []
        if rng.random() < 0.4:
            breaks.append(start.shift(int(rng.integers(0, 45))).label)
        labels = [q.label for q in quarters]
        inputs.append(
            SeriesInput(
                np.array([quarter_number(q) for q in labels], dtype=np.int64),
                np.array(values),
                improvement,
                tuple(breaks),
            )
        )
        expected.append(
            [
                _last_point_meaning(list(zip(labels[: k + 1], values[: k + 1], strict=True)),
                                    improvement, breaks)
                for k in range(n)
            ]
        )  # fmt: skip
    result = scan(inputs)
    signals = 0
    for i, series in enumerate(expected):
        for k, (judged, meaning) in enumerate(series):
            assert bool(result.judged[i][k]) == judged, (i, k)
            assert result.meaning[i][k] == meaning, (i, k, inputs[i])
            signals += bool(meaning)
    assert signals > 500  # the made-up series do reach the rules


def test_values_exactly_on_a_limit_or_the_centre_are_judged_as_xmr_judges_them():
    """A last point on the upper limit (to the last bit) is not outside it, as in xmr."""
    base = [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0]
    centre = sum(base) / len(base)
    labels = [Quarter(2015, 1).shift(i).label for i in range(len(base) + 1)]
    cases = []
    for last in (centre, 11.0, 16.0, 8.0, math.nextafter(16.0, 0)):
        values = [*base, last]
        cases.append(
            (values, _last_point_meaning(list(zip(labels, values, strict=True)), "up", []))
        )
    result = scan(
        [
            SeriesInput(np.array([quarter_number(q) for q in labels]), np.array(v), "up")
            for v, _ in cases
        ]
    )
    for i, (_, (judged, meaning)) in enumerate(cases):
        assert bool(result.judged[i][-1]) == judged
        assert result.meaning[i][-1] == meaning


@pytest.mark.parametrize("longest", [1, 2, 3, 5, 6])
def test_series_all_shorter_than_the_rules_reach_are_judged_as_xmr_judges_them(longest):
    """A dataset whose longest quarterly series is shorter than a run (a new force's first
    quarters, or one quarter imported into an empty store) still has its signals worked out:
    a new version with such data once failed to load in every worker."""
    rng = np.random.default_rng(longest)
    labels = [Quarter(2019, 1).shift(i).label for i in range(longest)]
    series = [[float(v) for v in rng.normal(50, 8, longest)] for _ in range(20)]
    result = scan(
        [
            SeriesInput(np.array([quarter_number(q) for q in labels]), np.array(v), "down")
            for v in series
        ]
    )
    for i, values in enumerate(series):
        for k in range(longest):
            points = list(zip(labels[: k + 1], values[: k + 1], strict=True))
            judged, meaning = _last_point_meaning(points, "down", [])
            assert bool(result.judged[i][k]) == judged
            assert result.meaning[i][k] == meaning
