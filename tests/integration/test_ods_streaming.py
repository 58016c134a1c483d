"""The Home Office workforce editions read by the streaming .ods reader (issue 25, 3).

The reader replaced pandas with odfpy, which built every sheet in memory. The four bundled
editions must give exactly the rows they gave before: tests/fixtures/publishers/
ho-workforce-rows-odfpy.csv.gz is the importer's output captured from the odfpy-based code
(commit 082ab79) before the reader changed, and a few of its cells are checked here against
content.xml by hand. Hostile files are refused by a real `pcp-dashboard import` process with a
located message, its time and peak memory printed.
"""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import workbook_bombs as bombs
from test_workbook_limits import assert_refused

from dashboard.publishers import Catalogue, read_published
from dashboard.publishers.ods import read_workbook

REPO = Path(__file__).resolve().parents[2]
WORKFORCE = REPO / "data" / "published" / "home-office-workforce"
BEFORE = REPO / "tests" / "fixtures" / "publishers" / "ho-workforce-rows-odfpy.csv.gz"
EDITIONS = sorted(p.name for p in WORKFORCE.glob("*.ods"))


@cache
def catalogue() -> Catalogue:
    national = REPO / "data" / "national"
    areas = pd.concat(
        [
            pd.read_csv(REPO / "data" / "areas.csv", dtype=str),
            pd.read_csv(national / "areas.csv", dtype=str),
        ]
    ).drop_duplicates("area_id")
    return Catalogue.from_tables(pd.read_csv(national / "metrics.csv", dtype=str), areas)


def rows_of(edition: str) -> pd.DataFrame:
    """The importer's tables for one edition: one line per row, as the fixture holds them."""
    result = read_published(WORKFORCE / edition, catalogue())
    assert result.ok, [str(p) for p in result.errors]
    frames = [
        t.frame.astype(str).assign(edition=edition, table=t.file, line=t.rows)
        for t in result.tables
    ]
    return pd.concat(frames, ignore_index=True)


@cache
def before() -> pd.DataFrame:
    return pd.read_csv(BEFORE, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_edition_gives_exactly_the_rows_odfpy_gave(edition):
    ours = rows_of(edition)
    theirs = before()[before().edition == edition]
    assert len(theirs) > 300  # every force, three dates, several tables
    columns = list(theirs.columns)
    ours = ours.reindex(columns=columns).fillna("")
    ours["line"] = ours["line"].astype(str)
    key = ["table", "line", "metric_id", "period"]
    pd.testing.assert_frame_equal(
        ours.sort_values(key).reset_index(drop=True),
        theirs.sort_values(key).reset_index(drop=True),
    )


def _value(frame, edition: str, table: str, metric: str, area: str, period: str) -> str:
    chosen = frame[
        (frame.edition == edition)
        & frame.table.str.endswith(f"sheet {table}")
        & (frame.metric_id == metric)
        & (frame.area_id == area)
        & (frame.period == period)
    ]
    assert len(chosen) == 1, chosen
    return chosen.iloc[0].value


@pytest.mark.parametrize(
    ("edition", "table", "metric", "area", "period", "cell"),
    [
        # Table_1 row 8, column B: office:value="1273.53" (shown 1,274)
        ("police-workforce-sep18-tables.ods", "Table_1", "ho-police-officers-fte", "cleveland",
         "2017-09-30", "1273.53"),
        # ... column C: office:value="1257.4000000000001" (a float written with its error)
        ("police-workforce-sep18-tables.ods", "Table_1", "ho-police-officers-fte", "cleveland",
         "2018-03-31", "1257.4"),
        # jan17 (the 30 September 2017 edition) Table_1, Essex, column D:
        # office:value="2857.1907999999999", shown as 2,857
        ("police-workforce-tables-jan17.ods", "Table_1", "ho-police-officers-fte", "essex",
         "2017-09-30", "2857.1908"),
        # ... Table_3 (PCSOs), Essex, column B: office:value="99.994600000000005", shown as 100
        ("police-workforce-tables-jan17.ods", "Table_3", "ho-pcso-fte", "essex",
         "2016-09-30", "99.9946"),
    ],
)  # fmt: skip
def test_cells_read_by_hand_from_content_xml(edition, table, metric, area, period, cell):
    assert _value(rows_of(edition), edition, table, metric, area, period) == cell
    assert _value(before(), edition, table, metric, area, period) == cell


# --------------------------------------------------------------------------- the reader itself

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
    "<office:spreadsheet>"
)
TAIL = "</office:spreadsheet></office:body></office:document-content>"


def _ods(path: Path, sheets: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", HEAD + sheets + TAIL)
    return path


def test_cells_as_a_person_sees_them(tmp_path):
    """Numbers from office:value (not the shown text), repeats expanded, text:s as spaces, a
    second paragraph on a new line, a covered cell empty, dates as dates."""
    sheet = (
        '<table:table table:name="T"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Avon and<text:s text:c="3"/>'
        "Somerset</text:p><text:p>line two</text:p></table:table-cell>"
        '<table:table-cell office:value-type="float" office:value="2965.21" '
        'table:number-columns-spanned="2"><text:p>2,965</text:p></table:table-cell>'
        '<table:covered-table-cell office:value-type="string"><text:p>hidden</text:p>'
        "</table:covered-table-cell>"
        '<table:table-cell office:value-type="float" office:value="7" '
        'table:number-columns-repeated="2"><text:p>7</text:p></table:table-cell>'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="3"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="date" '
        'office:date-value="2018-09-30"><text:p>Sep-18</text:p></table:table-cell>'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row></table:table>'
    )
    workbook = read_workbook(_ods(tmp_path / "cells.ods", sheet))
    assert workbook.problems == []
    cells = workbook.sheets["T"].to_numpy(dtype=object).tolist()
    assert cells[0] == ["Avon and   Somerset\nline two", 2965.21, None, 7, 7]
    assert cells[1:4] == [[None] * 5] * 3  # three empty rows kept: a row follows them
    assert cells[4][0] == pd.Timestamp("2018-09-30")
    assert len(cells) == 5  # the million empty rows below the table cost nothing


def test_only_the_sheets_wanted_are_kept(tmp_path):
    sheets = "".join(
        f'<table:table table:name="{name}"><table:table-row><table:table-cell '
        f'office:value-type="string"><text:p>{title}</text:p></table:table-cell>'
        "</table:table-row></table:table>"
        for name, title in [("Index", "Contents"), ("Notes", "Definitions")]
    )
    path = _ods(tmp_path / "two.ods", sheets)
    workbook = read_workbook(path, keep=lambda name, head: head[0][0] == "Contents")
    assert list(workbook.sheets) == ["Index"]
    assert workbook.skipped == ["Notes"]


def test_a_broken_repeat_is_refused_with_its_place(tmp_path):
    sheet = (
        '<table:table table:name="T"><table:table-row><table:table-cell '
        'office:value-type="float" office:value="1"/></table:table-row><table:table-row>'
        '<table:table-cell table:number-columns-repeated="-5"/></table:table-row></table:table>'
    )
    workbook = read_workbook(_ods(tmp_path / "bad.ods", sheet))
    assert [str(p) for p in workbook.problems] == [
        "bad.ods, sheet T, row 2 — error: table:number-columns-repeated as a whole number from "
        "1 to 999,999,999; found '-5'"
    ]


# --------------------------------------------------------------------------- bombs

#: file name -> (builder, where the message points, the limit it names).
BOMBS = {
    # 46 MB stored without compression, about 1.5 million cells.
    "stored-46mb.ods": (bombs.ods_stored_cells, "sheet Table_2, row ", "PCP_MAX_CELLS"),
    # one row of 3 numbers repeated ten million times
    "repeated-rows.ods": (
        lambda p: bombs.ods_repeated_force_rows(p, columns=3),
        "sheet Table_1, row 100001",
        "PCP_MAX_ROWS",
    ),
    # one row of a number repeated a thousand times across, repeated ten million times down
    "repeated-cells.ods": (
        bombs.ods_repeated_force_rows,
        "sheet Table_1, row 2, column 'GS'",
        "PCP_MAX_COLUMNS",
    ),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_costly_edition_is_refused_quickly_with_its_place(name, tmp_path, env):
    """odfpy took 43 s and 2.3 GB on the 46 MB file (issue 25); the watchdog stops at 60 s."""
    build, where, limit = BOMBS[name]
    assert_refused(build(tmp_path / name), env, where, limit)
