"""Published national tables in a dataset: `pcp-dashboard import`, `build-data`, revisions
between editions, the comparison numbers and discontinuities, on temporary copies of data/.

Hand-worked numbers come from cells read by eye in data/published/ (named in each test).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from national_tables import (
    DATA,
    NATIONAL,
    PUBLISHED,
    PUBLISHED_PREFIXES,
    REPO,
    snapshot_files,
    without_national,
)

from dashboard.analysis.peers import compare_with_peers, trend_against_group, year_earlier
from dashboard.analysis.spc import baseline_points, xmr
from dashboard.cli import main
from dashboard.data.importer import history, rollback
from dashboard.data.model import load_dataset
from dashboard.publishers.build import apply_build, plan_build

WORKFORCE = PUBLISHED / "home-office-workforce"
SEP15 = WORKFORCE / "police-workforce-tabs-30sep15.ods"
SEP16 = WORKFORCE / "police-workforce-tables-sep16.ods"
SEP18 = WORKFORCE / "police-workforce-sep18-tables.ods"
MSG = [
    "avon-and-somerset",
    "derbyshire",
    "hampshire",
    "hertfordshire",
    "leicestershire",
    "staffordshire",
    "sussex",
]


def register_periods(
    register: list[dict], metric_id: str, basis: str
) -> tuple[list[str], list[str]]:
    """(breaks, caveats) of the discontinuity register for one series, as the register says:
    limits rebase at a break (``kind`` blank or "break"); a caveat (the 2014 crime data
    integrity rise) is marked on the chart only."""
    breaks: list[str] = []
    caveats: list[str] = []
    for row in register:
        if row.get("metric_id") != metric_id or row.get("basis") != basis:
            continue
        kind = row.get("kind")
        is_caveat = isinstance(kind, str) and kind.strip() == "caveat"
        (caveats if is_caveat else breaks).append(str(row["period"]))
    return breaks, caveats


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A copy of data/ with the national build applied (as `pcp-dashboard build-data` does)."""
    folder = tmp_path_factory.mktemp("built") / "data"
    shutil.copytree(
        DATA, folder, ignore=shutil.ignore_patterns("published", "national", ".history")
    )
    build = plan_build(folder)
    assert build.ok, [str(p) for p in build.errors][:5]
    if build.changed:
        apply_build(build, folder)
    return folder


@pytest.fixture(scope="module")
def dataset(built):
    return load_dataset(built)


def essex_series(dataset, metric: str, area: str) -> pd.DataFrame:
    """Current values of one metric in one area on its basis, oldest first."""
    frame = dataset.current
    basis = dataset.metric_index[metric]["basis"]
    chosen = frame[(frame.metric_id == metric) & (frame.area_id == area) & (frame.basis == basis)]
    return chosen.sort_values("period_end").reset_index(drop=True)


def current(dataset, metric: str, basis: str) -> pd.DataFrame:
    frame = dataset.current
    return frame[(frame.metric_id == metric) & (frame.basis == basis)][
        ["area_id", "period", "value"]
    ]


# --------------------------------------------------------------------------- import


def test_import_recognises_an_edition_and_keeps_a_restatement_as_a_revision(tmp_path, capsys):
    folder = without_national(tmp_path / "data")
    catalogue = [str(NATIONAL / "metrics.csv"), str(NATIONAL / "areas.csv")]
    assert main(["import", "--data-dir", str(folder), *catalogue, str(SEP15)]) == 0
    out = capsys.readouterr().out
    assert (
        "police-workforce-tabs-30sep15.ods: home-office-workforce table, edition ho-police-workforce-2015-09"
        in out
    )
    assert main(["import", "--data-dir", str(folder), str(SEP16)]) == 0
    out = capsys.readouterr().out
    # sep15 Table_5 row 36 col D shows 361; sep16 Table_5 row 36 col B shows 353
    assert (
        "revision: ho-special-constables-headcount / essex / 2015-09-30: 361 "
        "(ho-police-workforce-2015-09, published 2016-01-28) restated as 353 "
        "(ho-police-workforce-2016-09, published 2017-01-26); the newer value is shown, both kept"
    ) in out
    data = load_dataset(folder)
    rows = data.observations[
        (data.observations.metric_id == "ho-special-constables-headcount")
        & (data.observations.area_id == "essex")
        & (data.observations.period == "2015-09-30")
    ]
    assert sorted(zip(rows.source_id, rows.value, rows.current, strict=True)) == [
        ("ho-police-workforce-2015-09", 361.0, False),
        ("ho-police-workforce-2016-09", 353.0, True),
    ]
    assert len(data.revisions[data.revisions.metric_id == "ho-special-constables-headcount"]) > 2
    kept = rows[rows.source_id == "ho-police-workforce-2015-09"].iloc[0]
    assert kept.source_file == "police-workforce-tabs-30sep15.ods"
    assert kept.source_location.endswith("row 36, column D (as at 30 September 2015)")
    # importing the same edition again changes nothing
    before = snapshot_files(folder)
    assert main(["import", "--data-dir", str(folder), str(SEP16)]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert snapshot_files(folder) == before


def test_a_malformed_edition_is_refused_and_nothing_changes(tmp_path, capsys):
    folder = without_national(tmp_path / "data")
    catalogue = [str(NATIONAL / "metrics.csv"), str(NATIONAL / "areas.csv")]
    assert main(["import", "--data-dir", str(folder), *catalogue]) == 0
    capsys.readouterr()
    sheets = pd.read_excel(SEP18, sheet_name=None, header=None, engine="odf", dtype=object)
    sheets["Table_6"].iat[35, 3] = "four hundred"  # Essex, 30 Sep 2018 (row 36, column D)
    bad = tmp_path / "police-workforce-sep18-tables.ods"
    with pd.ExcelWriter(bad, engine="odf") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    before, snapshots = snapshot_files(folder), history(folder)
    assert main(["import", "--data-dir", str(folder), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "import refused, nothing changed: 1 problem(s)" in err
    assert (
        "police-workforce-sep18-tables.ods, sheet Table_6, row 36, column 'D': found "
        "'four hundred' — error: a number of people (headcount) at 30 September 2018"
    ) in err
    assert snapshot_files(folder) == before and history(folder) == snapshots


def test_the_ons_table_needs_its_publication_date(tmp_path, capsys):
    folder = without_national(tmp_path / "data")
    ons = str(PUBLISHED / "rec-crime-pfa.csv")
    catalogue = [str(NATIONAL / "metrics.csv"), str(NATIONAL / "areas.csv")]
    assert main(["import", "--data-dir", str(folder), "--dry-run", *catalogue, ons]) == 1
    assert "--published YYYY-MM-DD" in capsys.readouterr().err
    args = [
        "import",
        "--data-dir",
        str(folder),
        "--dry-run",
        "--as",
        "ons-pfa",
        "--published",
        "2019-04",
    ]
    assert main([*args, *catalogue, ons]) == 0
    out = capsys.readouterr().out
    assert "rec-crime-pfa.csv: ons-pfa table, edition ons-prc-pfa-2018-12: 21," in out
    assert "dry run: nothing written" in out


# --------------------------------------------------------------------------- build-data


def test_build_from_the_repository_gives_the_national_dataset(built, dataset):
    obs = dataset.observations
    national = obs[obs.source_id.str.startswith(PUBLISHED_PREFIXES)]
    assert len(national) > 23_000
    assert set(national.source_id) == {
        "ons-prc-pfa-2018-12",
        "ho-police-workforce-2015-09",
        "ho-police-workforce-2016-09",
        "ho-police-workforce-2017-09",
        "ho-police-workforce-2018-09",
        # the seven ONS PFA tables editions, by the year each ends
        *(f"ons-pfa-tables-{m}" for m in ("2018-03", "2018-06", "2018-09", "2018-12")),
        *(f"ons-pfa-tables-{m}" for m in ("2019-03", "2019-06", "2019-12")),
        # DfT STATS19: casualties 2015-2018, accidents 2015 and 2017
        *(f"dft-stats19-casualties-{y}" for y in (2015, 2016, 2017, 2018)),
        "dft-stats19-accidents-2015",
        "dft-stats19-accidents-2017",
    }
    # every force and England and Wales, and Essex's own series with their whole span
    areas = set(national.area_id)
    assert len(areas) == 44 and "england-and-wales" in areas
    essex = essex_series(dataset, "pfa-violence-with-injury", "essex")
    # 52 points of the open data table, then March, June and December 2019 from the PFA
    # tables editions (pfatablesdec19.xlsx, Table P1, row 38, column G: 15,413)
    assert (essex.period.iloc[0], essex.period.iloc[-1], len(essex)) == (
        "12m-to-2003-03",
        "12m-to-2019-12",
        55,
    )
    assert essex.value.iloc[-1] == 15413
    # the quarterly updates' own figures are untouched
    assert len(obs[obs.source_id == "pcp-2019-20-q4"]) == 53
    assert dataset.latest_quarter == "2019-20-Q4"  # national snapshots are not quarters


def _cell(location: str) -> tuple[str, int, int]:
    """'sheet Table_6 (<title>), row 36, column D (as at ...)' -> ('Table_6', 36, 3)."""
    sheet = location.split(" ", 2)[1]
    row = int(location.rsplit(", row ", 1)[1].split(",")[0])
    letters = location.rsplit(", column ", 1)[1].split(" ")[0]
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return sheet, row, column - 1


def test_every_national_value_is_its_files_cell(dataset):
    # read the files independently of the importers (csv module, pandas' own .ods reader) and
    # check each value against the cell its provenance names
    obs = dataset.observations
    ons = obs[obs.source_file == "rec-crime-pfa.csv"]
    lines = (PUBLISHED / "rec-crime-pfa.csv").read_text(encoding="utf-8").splitlines()
    for row in ons.itertuples():
        line = lines[int(row.source_location.removeprefix("row ")) - 1]
        assert line == row.source_sentence
        assert float(line.rsplit(",", 1)[1]) == row.value
    workforce = obs[obs.source_file.fillna("").str.endswith(".ods")]
    assert len(ons) > 20_000 and len(workforce) > 1_700
    for name, rows in workforce.groupby("source_file"):
        sheets = pd.read_excel(WORKFORCE / name, sheet_name=None, header=None, engine="odf")
        for row in rows.itertuples():
            sheet, line, column = _cell(row.source_location)
            cell = sheets[sheet].iat[line - 1, column]
            assert float(cell) == pytest.approx(row.value, abs=5e-5), (name, row.source_location)
            label = str(sheets[sheet].iat[line - 1, 0]).strip()
            assert row.source_sentence.startswith(label)


def test_build_is_idempotent_and_can_be_rolled_back(built, tmp_path):
    assert not plan_build(built).changed
    folder = tmp_path / "data"
    shutil.copytree(
        DATA, folder, ignore=shutil.ignore_patterns("published", "national", ".history")
    )
    stripped = without_national(tmp_path / "stripped")
    for path in stripped.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    for name in ("groups.csv", "group_members.csv"):
        (folder / name).unlink(missing_ok=True)
    before = snapshot_files(folder)
    assert main(["build-data", "--data-dir", str(folder)]) == 0
    assert snapshot_files(folder) != before
    assert main(["build-data", "--data-dir", str(folder)]) == 0  # second run: nothing to change
    restored, _ = rollback(folder)
    assert {k: v for k, v in snapshot_files(folder).items() if k in before} == before


def test_most_similar_group_is_data_with_its_source(dataset):
    groups = dataset.table("groups")
    group = groups[groups.group_id == "essex-msg-2014-01"].iloc[0]
    assert (group.kind, group.area_id, group.as_of) == ("most_similar", "essex", "2014-01")
    source = dataset.source_index[group.source_id]
    assert source["url"] == "https://docsbay.net/doc/1303205/monthly-performance-report-april-2013"
    excerpt = (REPO / "tests/fixtures/reference/excerpts").glob("related_docsbay_1303205_*")
    text = " ".join(next(excerpt).read_text(encoding="utf-8").split())
    assert group.source_sentence in text
    members = dataset.table("group_members")
    assert sorted(members[members.group_id == group.group_id].area_id) == MSG
    assert "revised from time to time" in group.note


# --------------------------------------------------------------------------- comparisons


def forces(dataset) -> list[str]:
    return sorted(dataset.areas[dataset.areas.area_type.isin(["force", "pfa"])].area_id)


def test_special_constables_against_the_group_on_the_built_data(dataset):
    # the same figures as tests/unit/test_peers.py works by hand (sep18 Table_6, column B and D)
    result = compare_with_peers(
        current(dataset, "ho-special-constables-headcount", "as_at"),
        basis="as_at",
        period="2018-09-30",
        focus="essex",
        peers=MSG,
        forces=forces(dataset),
        national="england-and-wales",
        improvement="up",
    )
    assert (result.focus.value, result.focus.year_earlier) == (476, 390)
    assert result.group_average.value == pytest.approx(1816 / 7)
    assert result.group_average.year_earlier == pytest.approx(2007 / 7)
    assert (result.national.value, result.national.year_earlier, result.national.computed) == (
        11029,
        12601,
        False,
    )
    assert (result.national_rank.rank, result.national_rank.out_of) == (41, 43)
    assert (result.group_rank.rank, result.group_rank.out_of) == (8, 8)


def test_violence_with_injury_national_figure_is_the_sum_of_the_43_forces(dataset):
    values = current(dataset, "pfa-violence-with-injury", "rolling_12m")
    result = compare_with_peers(
        values,
        basis="rolling_12m",
        period="12m-to-2018-12",
        focus="essex",
        peers=MSG,
        forces=forces(dataset),
        national="england-and-wales",
        improvement="down",
    )
    # the ONS table has no England and Wales row: sum the 43 forces' lines, read independently
    with (PUBLISHED / "rec-crime-pfa.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Offence"] == "Violence with injury"]
    not_forces = {"British Transport Police", "Action Fraud", "CIFAS", "UK Finance"}

    def total(day):
        return sum(
            int(r["Rolling year total number of offences"])
            for r in rows
            if r["12 months ending"] == day and r["PFA"] not in not_forces
        )

    assert result.national.computed and result.national.count == 43
    assert result.national.value == total("31-12-2018")
    assert result.national.year_earlier == total("30-12-2017")
    assert "not published" in result.national.note
    # Essex 13,612 -> 14,316 (lines 42109 and 45817)
    assert (result.focus.value, result.focus.year_earlier) == (14316, 13612)

    # rank among 43, worked from the same lines: forces with a lower percentage change
    def change(area):
        now = next(
            int(r["Rolling year total number of offences"])
            for r in rows
            if r["12 months ending"] == "31-12-2018" and r["PFA"] == area
        )
        then = next(
            int(r["Rolling year total number of offences"])
            for r in rows
            if r["12 months ending"] == "30-12-2017" and r["PFA"] == area
        )
        return (now - then) / then

    names = {r["PFA"] for r in rows} - not_forces
    assert len(names) == 43
    lower = sum(1 for n in names if change(n) < change("Essex"))
    assert result.national_rank.rank == lower + 1 and result.national_rank.out_of == 43


def test_trend_of_essex_against_the_group(dataset):
    values = current(dataset, "ho-special-constables-headcount", "as_at")
    trend = trend_against_group(
        values, focus="essex", peers=MSG, forces=forces(dataset), national="england-and-wales"
    )
    periods = [p.period for p in trend]
    assert periods[0] == "2014-09-30" and periods[-1] == "2018-09-30" and len(periods) == 9
    first, last = trend[0], trend[-1]
    # sep15 Table_5 row 36: Essex 388 at 30 Sep 2014 (the index base); sep18: 476 at 30 Sep 2018
    assert (first.focus, first.focus_index) == (388, 100)
    assert last.focus_index == pytest.approx(476 / 388 * 100)
    assert last.group_average == pytest.approx(1816 / 7)
    assert not last.national_computed and last.national == 11029


# --------------------------------------------------------------------------- discontinuities


def test_breaks_rebase_the_limits_and_caveats_only_mark_the_chart(dataset):
    register = dataset.discontinuities.to_dict("records")
    breaks, caveats = register_periods(register, "pfa-stalking-harassment", "rolling_12m")
    assert breaks == ["12m-to-2018-06"] and caveats == ["12m-to-2014-03"]
    series = essex_series(dataset, "pfa-stalking-harassment", "essex")
    points = list(zip(series.period, series.value, strict=True))
    result = xmr(points, "neutral", discontinuities=breaks)
    starts = [series.period.iloc[s.start] for s in result.segments]
    assert starts == ["12m-to-2003-03", "12m-to-2018-06"]  # a break rebases; 2014 does not
    # six points on the new rules (June, September, December 2018 from the open data table;
    # March, June, December 2019 from the PFA tables editions): judged on trial limits
    assert result.latest.judged and result.latest.trial
    # without the break, the rise from the new counting rules reads as a signal
    assert xmr(points, "neutral").signals_at(len(points) - 1)


def test_burglary_definitions_and_fraud_move_to_action_fraud(dataset):
    register = dataset.discontinuities.to_dict("records")
    residential = essex_series(dataset, "pfa-residential-burglary", "essex")
    # 12 months to June, September, December 2017 partly on the new definition; from March
    # 2018 wholly on it (line 43029: "31-03-2018,Essex,East,Residential burglary,9251")
    assert list(residential.period[:4]) == [
        "12m-to-2017-06",
        "12m-to-2017-09",
        "12m-to-2017-12",
        "12m-to-2018-03",
    ]
    assert residential.value.iloc[3] == 9251
    breaks, _ = register_periods(register, "pfa-residential-burglary", "rolling_12m")
    result = xmr(
        list(zip(residential.period, residential.value, strict=True)),
        "down",
        discontinuities=breaks,
    )
    assert [residential.period.iloc[s.start] for s in result.segments] == [
        "12m-to-2017-06",
        "12m-to-2018-03",
    ]
    # line 42094: "30-12-2017,Essex,East,Domestic burglary,1595", the last before the table's 0s
    domestic = essex_series(dataset, "pfa-domestic-burglary", "essex")
    assert domestic.period.iloc[-1] == "12m-to-2017-12" and domestic.value.iloc[-1] == 1595
    # line 26695: "30-09-2013,Essex,East,Fraud offences,438"; December 2013's -22 is left out
    fraud = essex_series(dataset, "pfa-fraud-offences", "essex")
    assert (fraud.period.iloc[-1], fraud.value.iloc[-1]) == ("12m-to-2013-09", 438)
    breaks, _ = register_periods(register, "pfa-fraud-offences", "rolling_12m")
    assert breaks == ["12m-to-2011-06"]


def test_baselines_in_the_catalogue_fix_the_limits(dataset):
    metric = dataset.metric_index["pfa-violence-with-injury"]
    assert metric["context"] == "national_statistics" and metric["baseline_end"] == "12m-to-2016-03"
    series = essex_series(dataset, "pfa-violence-with-injury", "essex")
    n = baseline_points(list(series.period), metric["baseline_end"])
    assert n == 5 + 36  # five annual years ending March 2003-2007, then 36 quarters to March 2016
    result = xmr(list(zip(series.period, series.value, strict=True)), "down", fix_after=n)
    assert result.latest.fixed_on == n
    assert result.latest.centre == pytest.approx(series.value.iloc[:n].mean())


def test_every_national_metric_is_context_and_mapped_to_a_priority(dataset):
    national = dataset.metrics[dataset.metrics.context == "national_statistics"]
    # 15, then from the ONS PFA tables: total recorded crime (excluding fraud), knife or sharp
    # instrument offences, anti-social behaviour incidents, force populations
    assert len(national) == 19
    assert "pfa-knife-offences" in set(national[national.priority == 4].metric_id)
    assert set(national[national.priority == 2].metric_id) == {"pfa-asb-incidents"}
    by_priority = national.groupby("priority").metric_id.apply(set).to_dict()
    assert {"pfa-violence-with-injury", "pfa-possession-of-weapons", "pfa-homicide"} <= by_priority[
        4
    ]
    assert {"pfa-drug-offences", "pfa-robbery"} <= by_priority[5]
    assert {"pfa-sexual-offences", "pfa-stalking-harassment"} <= by_priority[6]
    assert by_priority[7] == {"pfa-death-serious-injury-illegal-driving"}
    assert {
        "ho-police-officers-fte",
        "ho-pcso-fte",
        "ho-special-constables-headcount",
        "ho-police-support-volunteers-headcount",
    } <= by_priority[1]
    own = dataset.metrics[dataset.metrics.context.isna()]
    assert len(own) > 40
    assert own.published_as.isna().all()  # the plan's own figures are not national statistics
    stats19 = dataset.metrics[dataset.metrics.context == "stats19"]
    assert list(stats19.metric_id) == ["stats19-ksi-casualties"]
    assert "not confirmed" in stats19.caveats.iloc[0]  # the CRASH switch date
    # the open data table's series and the workforce tables say why no rate per head is shown
    for row in national.itertuples():
        if str(row.published_as).startswith(("ons-pfa:", "home-office-workforce:")) and (
            row.metric_id != "pfa-total-recorded-crime"
        ):
            assert "No rate per head of population" in row.caveats, row.metric_id
    assert year_earlier("as_at", "2018-09-30") == "2017-09-30"


def test_the_view_model_rebases_at_breaks_not_at_caveats(dataset):
    from dashboard.views.model import views_of

    view = views_of(dataset).metric_view("pfa-violence-with-injury", "essex")
    # violence with injury has only the 2014 recording caveat: one segment, judged on its 13
    # yearly points (December 2007 to 2019) (the rolling totals overlap: issue 20)
    assert [s.start for s in view.spc.segments] == [0] and len(view.spc.values) == 13
    stalking = views_of(dataset).metric_view("pfa-stalking-harassment", "essex")
    starts = [stalking.spc.periods[s.start] for s in stalking.spc.segments]
    assert starts == ["12m-to-2007-12", "12m-to-2018-12"]
    assert stalking.spc.segments[1].break_label == "12m-to-2018-06"
