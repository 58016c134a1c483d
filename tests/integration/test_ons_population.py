"""The ONS mid-year population workbook (``ukmidyearestimates20192020ladcodes.xls``), as released.

Cells were read with xlrd from sheet ``MYE 5`` (row numbers as a spreadsheet shows them, header
= row 5; columns as letters: E = "Estimated Population mid-2019", AO = "Estimated Population
mid-2001"); the mid-2019 values are also those the README of ``../shared/sources/local/`` prints.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.data.model import load_dataset
from dashboard.data.readers import ReadLimits
from dashboard.publishers import Catalogue, read_published, recognise
from dashboard.publishers.ons_population import read as read_workbook

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
WORKBOOK = DATA / "published" / "population" / "ukmidyearestimates20192020ladcodes.xls"
METRIC = "population-mid-year"

#: (area, 30 June of the year): (value, sheet MYE 5 row, column) - cells read by hand.
CELLS = {
    ("essex-county", "2019-06-30"): (1_489_189, 187, "E"),
    ("southend", "2019-06-30"): (183_125, 179, "E"),
    ("thurrock", "2019-06-30"): (174_341, 180, "E"),
    ("basildon", "2019-06-30"): (187_199, 188, "E"),
    ("uttlesford", "2019-06-30"): (91_284, 199, "E"),
    ("uttlesford", "2001-06-30"): (68_969, 199, "AO"),
    ("uttlesford", "2002-06-30"): (69_529, 199, "AM"),
    ("essex-county", "2001-06-30"): (1_312_599, 187, "AO"),
    ("basildon", "2001-06-30"): (165_895, 188, "AO"),
}


@cache
def catalogue() -> Catalogue:
    areas = pd.read_csv(DATA / "areas.csv", dtype=str)
    metrics = pd.read_csv(DATA / "local" / "metrics.csv", dtype=str)
    return Catalogue.from_tables(metrics, areas)


@cache
def result():
    got = read_workbook(WORKBOOK, catalogue())
    assert got.ok, [str(p) for p in got.errors]
    return got


def frame(got) -> pd.DataFrame:
    return next(t.frame for t in got.tables if "metric_id" in t.frame.columns)


def test_recognised_by_content():
    assert recognise(WORKBOOK) == "ons-population"


def test_cells_read_by_hand():
    rows = frame(result())
    for (area, period), (value, row, column) in CELLS.items():
        found = rows[(rows.area_id == area) & (rows.period == period)]
        assert len(found) == 1, (area, period)
        got = found.iloc[0]
        assert float(got.value) == value, (area, period)
        assert (got.metric_id, got.basis) == (METRIC, "as_at")
        assert got.source_location.startswith("sheet MYE 5 (MYE5: Population estimates")
        assert got.source_location.endswith(
            f"row {row}, column {column} (Estimated Population mid-{period[:4]})"
        )
        assert got.source_sentence.split(" | ")[0] in (
            "E10000012",
            "E06000033",
            "E06000034",
            "E07000066",
            "E07000077",
        )


def test_fifteen_areas_nineteen_years_no_force_total():
    rows = frame(result())
    assert len(rows) == 15 * 19
    assert sorted(rows.period.str[:4].unique()) == [str(y) for y in range(2001, 2020)]
    assert "essex" not in set(rows.area_id)  # the force area's population is not published here
    # the 12 county districts sum to the county, mid-2015 to mid-2019 (README, "(count)")
    county_districts = [
        a for a in set(rows.area_id) if a not in ("southend", "thurrock", "essex-county")
    ]
    assert len(county_districts) == 12
    for year in range(2015, 2020):
        at = rows[rows.period == f"{year}-06-30"].set_index("area_id").value.astype(float)
        assert at[county_districts].sum() == at["essex-county"]


def test_source_and_publication_date_from_the_workbook():
    got = result()
    source = next(t.frame for t in got.tables if "title" in t.frame.columns).iloc[0]
    assert source.source_id == "ons-mid-year-population-2019"
    assert source.published == "2020-06-24"  # Notes and definitions, row 60: "24th June 2020"
    assert "mid-2001 to mid-2019" in source.title
    assert any("Date published" in str(p) for p in got.problems)


def test_bundled_dataset_holds_the_populations_with_the_copy_named(bundled_dataset):
    source = bundled_dataset.source_index["ons-mid-year-population-2019"]
    assert "TheDebata/Young-Claimants-by-LA" in source["url"]
    assert "f8291795ac0982fc3484fe523f23c510a85d2ceb" in source["url"]
    obs = bundled_dataset.observations
    southend = obs[(obs.metric_id == METRIC) & (obs.area_id == "southend")]
    assert southend.set_index("period").value["2019-06-30"] == 183_125
    assert bundled_dataset.metric_index[METRIC]["context"] == "population"


def test_a_workbook_without_the_sheet_is_refused(tmp_path):
    not_xls = tmp_path / "book.xls"
    not_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert recognise(not_xls) is None
    got = read_published(not_xls, catalogue(), kind="ons-population")
    assert not got.ok and not got.tables
    assert "book.xls" in str(got.errors[0]) and "Excel 97" in str(got.errors[0])


def test_a_truncated_workbook_is_refused(tmp_path):
    cut = tmp_path / "cut.xls"
    cut.write_bytes(WORKBOOK.read_bytes()[:600_000])
    got = read_published(cut, catalogue(), kind="ons-population")
    assert not got.ok and not got.tables
    assert "cut.xls" in str(got.errors[0])


def test_an_oversize_workbook_is_refused_before_reading():
    limits = ReadLimits(file_bytes=1024 * 1024)  # PCP_MAX_FILE_MB=1; the workbook is 2.4 MB
    got = read_workbook(WORKBOOK, catalogue(), limits=limits)
    assert not got.ok
    assert "at most 1 MB (PCP_MAX_FILE_MB)" in str(got.errors[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused(tmp_path):
    pipe = tmp_path / "pop.xls"
    os.mkfifo(pipe)
    assert recognise(pipe) is None
    got = read_published(pipe, catalogue(), kind="ons-population")
    assert "a named pipe (FIFO), not a regular file" in str(got.errors[0])


def test_import_unaided_then_again_changes_nothing(bundled_data_dir, tmp_path, capsys):
    folder = tmp_path / "data"
    shutil.copytree(bundled_data_dir, folder, ignore=shutil.ignore_patterns(".*", "published"))
    for name in ("observations.csv", "sources.csv"):
        table = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        table = table[table.source_id != "ons-mid-year-population-2019"]
        table.to_csv(folder / name, index=False, lineterminator="\n")
    assert main(["import", "--data-dir", str(folder), str(WORKBOOK)]) == 0
    out = capsys.readouterr().out
    assert "ons-population table, edition ons-mid-year-population-2019: 285 value(s)" in out
    after = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    assert main(["import", "--data-dir", str(folder), str(WORKBOOK)]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in folder.glob("*.csv")} == after
    assert load_dataset(folder).metric_index[METRIC]["unit"] == "count"
