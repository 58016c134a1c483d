"""The ONS police force area tables editions (data/published/ons-pfa-tables/): each read by its
importer, recognised by `pcp-dashboard import`, restatements kept as revisions, malformed
editions refused with nothing changed.

Expected values are cells read by eye (with openpyxl, not the importer's streaming reader) and
named in each test; the shared sources' README table gives the same P1 totals.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from national_tables import DATA, NATIONAL, snapshot_files, without_national

from dashboard.cli import main
from dashboard.data.importer import history
from dashboard.data.model import load_dataset
from dashboard.data.validate import validate_folder
from dashboard.publishers import recognise
from dashboard.publishers.build import _catalogue, _national_tables
from dashboard.publishers.ons_pfa_tables import read

EDITIONS = DATA / "published" / "ons-pfa-tables"
MAR18 = EDITIONS / "policeforceareatablesyearendingmarch2018v2.xlsx"
JUN18 = EDITIONS / "policeforceareadatatablesyearendingjune2018corrected.xlsx"
SEP18 = EDITIONS / "policeforceareatablesyearendingsep18corrected.xlsx"
DEC18 = EDITIONS / "policeforceareatablesyearendingdecember2018.xlsx"
MAR19 = EDITIONS / "policeforceareatablesyeendingmarch2019.xlsx"
JUN19 = EDITIONS / "policeforceareatablesyearendingjune2019.xlsx"
DEC19 = EDITIONS / "pfatablesdec19.xlsx"


@pytest.fixture(scope="module")
def catalogue():
    base, _ = validate_folder(DATA)
    national, _ = _national_tables(NATIONAL)
    return _catalogue(base, national)


def essex(published, metric: str) -> dict[str, float]:
    frame = published.tables[1].frame
    rows = frame[(frame.metric_id == metric) & (frame.area_id == "essex")]
    return {p: float(v) for p, v in zip(rows.period, rows.value, strict=True)}


# ------------------------------------------------------------------------- values, per edition


@pytest.mark.parametrize(
    ("path", "period", "total"),
    [
        # 'Table P1', row 38 (E23000028 Essex), column C "Total recorded crime (excluding fraud)"
        (MAR18, "12m-to-2018-03", 134205),
        (JUN18, "12m-to-2018-06", 139290),
        (SEP18, "12m-to-2018-09", 144037),
        (DEC18, "12m-to-2018-12", 151103),
        (MAR19, "12m-to-2019-03", 158421),  # sheet 'Table P1 ' (a trailing space)
        (JUN19, "12m-to-2019-06", 162453),
        (DEC19, "12m-to-2019-12", 168643),  # the row's name is 'Essex10'
    ],
)
def test_p1_essex_total_excluding_fraud_per_edition(catalogue, path, period, total):
    published = read(path, catalogue, published="2020-04")
    assert published.ok, [str(p) for p in published.errors]
    assert essex(published, "pfa-total-recorded-crime") == {period: total}
    metric = catalogue.metric(next(k for k in catalogue.metrics if "total" in k.label))
    assert "(excluding fraud)" in metric["label"]
    # every police force area, never England and Wales (it includes British Transport Police)
    frame = published.tables[1].frame
    total_rows = frame[frame.metric_id == "pfa-total-recorded-crime"]
    assert "england-and-wales" not in set(total_rows.area_id)
    expected_forces = 42 if path == DEC19 else 43  # Greater Manchester's row is '..'
    assert total_rows.area_id.nunique() == expected_forces


def test_december_2019_homicide_carries_the_39_migrants_footnote(catalogue):
    published = read(DEC19, catalogue, published="2020-04")
    frame = published.tables[1].frame
    # 'Table P1', row 38 'Essex10', column F (Homicide): 60; footnote 10 (row 73)
    homicide = frame[(frame.metric_id == "pfa-homicide") & (frame.area_id == "essex")].iloc[0]
    assert float(homicide.value) == 60
    assert "39 migrants found dead inside the lorry in Essex" in homicide.note
    assert homicide.source_location == "sheet 'Table P1', row 38, column F"
    # the footnote names homicide: Essex's other offence groups do not carry it
    others = frame[(frame.area_id == "essex") & (frame.metric_id != "pfa-homicide")]
    assert not others.note.str.contains("39 migrants").any()
    # Greater Manchester's '..' (row 16) is no figure, never 0, and said so in a note
    assert "greater-manchester" not in set(frame[frame.metric_id == "pfa-homicide"].area_id)
    notes = " ".join(p.expected for p in published.problems)
    assert "never read as 0" in notes and "Greater Manchester Homicide" in notes


def test_knife_offences_each_edition_restates_year_ending_march_2018(catalogue):
    # 'Table P5' Essex row, column R (Apr '17 to Mar '18): 704 (March 2018 edition, row 38),
    # 938 (March 2019, row 40), 937 (December 2019, 'Table P5 ' row 40)
    found = {
        path.name: essex(read(path, catalogue, published="2020-04"), "pfa-knife-offences")
        for path in (MAR18, MAR19, DEC19)
    }
    assert [f["12m-to-2018-03"] for f in found.values()] == [704, 938, 937]
    # the December 2019 edition: YE Mar 2011 536 (column C) ... YE Dec 2019 998 (column X)
    dec19 = found[DEC19.name]
    assert dec19["12m-to-2011-03"] == 536 and dec19["12m-to-2019-12"] == 998
    assert (dec19["12m-to-2019-03"], dec19["12m-to-2018-12"]) == (737, 691)
    assert len(dec19) == 11  # YE Mar 2011 to 2019 (9) + YE Dec 2018, YE Dec 2019


def test_asb_incidents_years_ending_march_2008_to_2019(catalogue):
    published = read(MAR19, catalogue, published="2019-07")
    asb = essex(published, "pfa-asb-incidents")
    # 'Table P7 ' (no area-code column: the row named exactly 'Essex', row 45):
    # column B (Apr '07 to Mar '08) 95,164; F (YE Mar 2012) 61,643; X (YE Mar 2019) 46,425
    assert (asb["2007-08"], asb["2011-12"], asb["2018-19"]) == (95164, 61643, 46425)
    assert len(asb) == 12
    frame = published.tables[1].frame
    rows = frame[(frame.metric_id == "pfa-asb-incidents") & (frame.area_id == "essex")]
    notes = dict(zip(rows.period, rows.note, strict=True))
    assert "National Policing Improvement Agency (NPIA)" in notes["2007-08"]
    assert "Inspectorate of Constabulary" in notes["2010-11"]
    assert "Home Office" in notes["2011-12"] and "not directly comparable" in notes["2011-12"]
    # West Midlands is a region and a force: the force is the smaller row, said so
    assert any("West Midlands" in p.expected for p in published.problems)
    assert rows.source_location.iloc[0] == "sheet 'Table P7 ', row 45, column B"
    # every force of the catalogue has a row (matched by name in this table)
    assert frame[frame.metric_id == "pfa-asb-incidents"].area_id.nunique() == 43
    # the March 2018 edition gives YE Mar 2008-2018 for the same force (area code E23000028)
    earlier = essex(read(MAR18, catalogue, published="2018-07"), "pfa-asb-incidents")
    assert (earlier["2007-08"], earlier["2017-18"], len(earlier)) == (95164, 49329, 11)


@pytest.mark.parametrize(
    ("path", "as_at", "population"),
    [
        # 'Table P3' row 38, column C "Population figures (mid-YYYY) rounded to 100"
        (MAR18, "2016-06-30", 1806900),
        (MAR19, "2017-06-30", 1820400),
        (DEC19, "2018-06-30", 1832800),
    ],
)
def test_p3_force_populations(catalogue, path, as_at, population):
    assert essex(read(path, catalogue, published="2020-04"), "pfa-population") == {
        as_at: population
    }


def test_every_value_is_the_cell_its_provenance_names(catalogue):
    """Each observation's sheet, row and column, read back with openpyxl (not the importer's
    streaming reader), holds its value."""
    for path in (MAR18, JUN18, DEC19, MAR19):
        published = read(path, catalogue, published="2020-04")
        book = openpyxl.load_workbook(path, read_only=False, data_only=True)
        frame = published.tables[1].frame
        assert len(frame) > 900
        for row in frame.itertuples():
            found = re.fullmatch(r"sheet '(.+)', row (\d+), column ([A-Z]+)", row.source_location)
            assert found, row.source_location
            sheet, number, letters = found.groups()
            assert float(book[sheet][f"{letters}{number}"].value) == float(row.value), (
                path.name,
                row.source_location,
            )


# ------------------------------------------------------------------------- import, revisions


def test_import_recognises_an_edition_unaided_and_keeps_restatements(tmp_path, capsys):
    folder = without_national(tmp_path / "data")
    catalogue = [str(NATIONAL / "metrics.csv"), str(NATIONAL / "areas.csv")]
    assert recognise(DEC19) == "ons-pfa-tables" and recognise(JUN18) == "ons-pfa-tables"
    # the corrected edition states its publication date: no --published needed
    assert main(["import", "--data-dir", str(folder), *catalogue, str(JUN18)]) == 0
    out = capsys.readouterr().out
    assert (
        "policeforceareadatatablesyearendingjune2018corrected.xlsx: ons-pfa-tables table, "
        "edition ons-pfa-tables-2018-06"
    ) in out
    args = ["import", "--data-dir", str(folder), "--published"]
    assert main([*args, "2019-07", str(MAR19)]) == 0
    out = capsys.readouterr().out
    # both editions give knife offences for the years ending March 2011 to 2018 (Essex, YE Mar
    # 2018: 938 in each, 'Table P5' row 40, column R): published again, not revised
    assert "republished unchanged" in out
    assert main([*args, "2020-04", str(DEC19)]) == 0
    out = capsys.readouterr().out
    assert (
        "revision: pfa-knife-offences / essex / 12m-to-2018-03: 938 (ons-pfa-tables-2019-03, "
        "published 2019-07) restated as 937 (ons-pfa-tables-2019-12, published 2020-04); "
        "the newer value is shown, both kept"
    ) in out
    data = load_dataset(folder)
    obs = data.observations
    rows = obs[
        (obs.metric_id == "pfa-knife-offences")
        & (obs.area_id == "essex")
        & (obs.period == "12m-to-2018-03")
    ]
    assert sorted(zip(rows.source_id, rows.value, rows.current, strict=True)) == [
        ("ons-pfa-tables-2018-06", 938.0, False),
        ("ons-pfa-tables-2019-03", 938.0, False),
        ("ons-pfa-tables-2019-12", 937.0, True),
    ]
    sources = data.source_index
    assert sources["ons-pfa-tables-2018-06"]["published"] == "2019-02-06"
    assert sources["ons-pfa-tables-2018-06"]["version"] == "corrected edition, published 2019-02-06"


def test_an_edition_without_a_stated_date_needs_published(tmp_path, capsys):
    folder = without_national(tmp_path / "data")
    catalogue = [str(NATIONAL / "metrics.csv"), str(NATIONAL / "areas.csv")]
    assert main(["import", "--data-dir", str(folder), "--dry-run", *catalogue, str(DEC19)]) == 1
    assert "--published YYYY-MM-DD" in capsys.readouterr().err


# ------------------------------------------------------------------------- malformed editions


def _prepared(tmp_path: Path, capsys) -> Path:
    folder = without_national(tmp_path / "data")
    catalogue = [str(NATIONAL / "metrics.csv"), str(NATIONAL / "areas.csv")]
    assert main(["import", "--data-dir", str(folder), *catalogue]) == 0
    capsys.readouterr()
    return folder


def test_a_workbook_without_an_area_code_header_is_refused_and_nothing_changes(tmp_path, capsys):
    folder = _prepared(tmp_path, capsys)
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "Crime in England and Wales, year ending December 2019 - PFA tables"
    table = book.create_sheet("Table P1")
    table["A5"], table["B5"], table["C5"] = "Code", "Name", "Homicide"
    table["A7"], table["B7"], table["C7"] = "E23000028", "Essex", 60
    bad = tmp_path / "pfatablesdec19.xlsx"
    book.save(bad)
    assert recognise(bad) == "ons-pfa-tables"
    before, snapshots = snapshot_files(folder), history(folder)
    args = ["import", "--data-dir", str(folder), "--published", "2020-04", str(bad)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "import refused, nothing changed" in err
    assert (
        "pfatablesdec19.xlsx, sheet 'Table P1' — error: a header row whose first cell is "
        "'Area Code'"
    ) in err
    assert snapshot_files(folder) == before and history(folder) == snapshots


def test_a_p1_without_essex_is_refused_and_nothing_changes(tmp_path, capsys):
    folder = _prepared(tmp_path, capsys)
    bad = tmp_path / DEC19.name
    shutil.copy(DEC19, bad)
    book = openpyxl.load_workbook(bad)
    sheet = book["Table P1"]
    assert sheet["A38"].value == "E23000028" and sheet["B38"].value == "Essex10"
    sheet.delete_rows(38)
    book.save(bad)
    before, snapshots = snapshot_files(folder), history(folder)
    assert main(["import", "--data-dir", str(folder), "--published", "2020-04", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "import refused, nothing changed" in err
    assert (
        "pfatablesdec19.xlsx, sheet 'Table P1', column 'Area Code' — error: a row for every "
        "police force area in areas.csv, matched by area code (Essex: E23000028); none found "
        "for Essex (force-wide)"
    ) in err
    assert snapshot_files(folder) == before and history(folder) == snapshots


def test_a_word_in_a_count_cell_is_located(tmp_path, catalogue):
    bad = tmp_path / DEC19.name
    shutil.copy(DEC19, bad)
    book = openpyxl.load_workbook(bad)
    book["Table P1"]["F38"] = "sixty"  # Essex's homicide
    book.save(bad)
    published = read(bad, catalogue, published="2020-04")
    assert not published.ok
    assert [str(p) for p in published.errors] == [
        "pfatablesdec19.xlsx, sheet 'Table P1', row 38, column 'F': found 'sixty' — error: a "
        "number, or a symbol for no figure ('..', '-', '+', 'NA', '*')"
    ]


def test_the_cell_limit_bounds_every_sheet_read_together(tmp_path):
    """Reading several sheets shares one cell budget (PCP_MAX_CELLS): many sheets cannot
    multiply it."""
    from dashboard.data import sheets

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Table P1"
    second = book.create_sheet("Table P3")
    for sheet in (first, second):
        for row in range(1, 11):
            for column in range(1, 4):
                sheet.cell(row, column, row * column)
    path = tmp_path / "two.xlsx"
    book.save(path)
    wanted = lambda title: title.startswith("Table")  # noqa: E731
    found = sheets.read_xlsx_sheets(path, sheets.Limits(cells=60), wanted)
    assert [s.title for s in found] == ["Table P1", "Table P3"]
    with pytest.raises(sheets.LimitReached) as refused:
        sheets.read_xlsx_sheets(path, sheets.Limits(cells=45), wanted)
    assert "more than 45 cells" in str(refused.value) and refused.value.row == 6
