"""A national police.uk import (issue 22): another force's street-level month is kept with the
version's records and counted into none of the dataset's series, instead of being refused row
by row; a file whose rows name two forces is still refused, located.

Another force's file is made by code from a real Essex month (``Essex Police`` in 'Reported by'
and 'Falls within' rewritten as ``Kent Police``): a test input, never data. Expected counts are
the ``../shared/sources/local/README.md`` row counts (``Rows and checks``) that
``test_police_uk.README`` copies: 2018-01 has 14,786 rows, 2018-10 17,791.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.data.records import RECORDS
from dashboard.data.versions import VersionStore
from tests.integration.test_police_uk import (
    ISAVITA,
    README,
    _write,
    catalogue,
    month_file,
    read_month,
)


@pytest.fixture
def essex_only(bundled_data_dir, tmp_path) -> Path:
    """The bundled dataset without its police.uk months or records (test_police_uk's folder)."""
    folder = tmp_path / "data"
    shutil.copytree(
        bundled_data_dir, folder, ignore=shutil.ignore_patterns(".*", "published", "records")
    )
    for name in ("observations.csv", "sources.csv"):
        frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        frame = frame[~frame.source_id.str.startswith("police-uk-")]
        frame.to_csv(folder / name, index=False, lineterminator="\n")
    return folder


def kent_copy(folder: Path, month: str = "2018-10") -> Path:
    lines = month_file(month).read_text(encoding="utf-8").splitlines()
    rows = [
        lines[0],
        *(
            ln.replace(",Essex Police,Essex Police,", ",Kent Police,Kent Police,")
            for ln in lines[1:]
        ),
    ]
    assert sum(",Kent Police,Kent Police," in ln for ln in rows) == README[month][0]
    return _write(folder / f"{month}-kent-street.csv", rows)


def test_another_forces_month_is_read_as_records_only(tmp_path):
    result = read_month(kent_copy(tmp_path), catalogue(), published=ISAVITA)
    assert result.ok, [str(p) for p in result.errors]
    assert not result.tables  # no value of any of the dataset's series
    said = " ".join(str(p) for p in result.problems)
    assert "17,791 records of Kent Police" in said
    assert "counted into none of the dataset's series" in said


def test_a_file_naming_two_other_forces_is_refused_and_located(tmp_path):
    path = kent_copy(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",Kent Police,Kent Police,", ",Kent Police,Surrey Police,")
    result = read_month(_write(path, lines), catalogue(), published=ISAVITA)
    first = result.errors[0]
    assert (first.row, first.column) == (3, "Falls within"), str(first)
    assert "a row of Kent Police" in str(first)
    assert not result.tables


def test_import_keeps_another_forces_records_and_counts_only_its_own(essex_only, tmp_path, capsys):
    folder = essex_only
    args = ["import", "--data-dir", str(folder), "--published", ISAVITA]
    assert main([*args, str(month_file("2018-01")), str(kent_copy(tmp_path))]) == 0
    out = capsys.readouterr().out
    # Only Essex's month becomes values: 14 categories x (force + 14 districts) + 2 (as alone).
    assert "observations: 212 new row(s)" in out
    assert "records kept with version" in out
    store = VersionStore(folder)
    version = store.current_version()
    assert version is not None
    records = store.version_dir(version) / "records" / RECORDS
    by_force = dict(
        duckdb.sql(
            f"SELECT falls_within, count(*) FROM read_parquet('{records}') GROUP BY 1"
        ).fetchall()
    )
    assert by_force == {"Essex Police": README["2018-01"][0], "Kent Police": README["2018-10"][0]}
    # The record questions answer for the force's own records only: Kent's copy keeps Essex's
    # LSOA names, yet counts into no Essex district and not into Essex's months.
    from dashboard.data.records import RecordStore

    asked = RecordStore(records.parent)
    force = asked.force_counts().set_index("month")["rows"].to_dict()
    assert force == {"2018-01": README["2018-01"][0]}
    essex_rows = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{records}') WHERE falls_within = 'Essex Police' "
        "AND month = '2018-10'"
    ).fetchall()
    assert essex_rows == [(0,)]
    districts = asked.counts(["place"], month="2018-10")
    assert set(districts["place"]) == {"other_force"}
    kent = asked.counts(["falls_within"], month="2018-10")
    assert kent.to_dict("records") == [{"falls_within": "Kent Police", "n": README["2018-10"][0]}]


def test_a_month_imported_again_replaces_only_the_forces_it_holds(tmp_path, bundled_data_dir):
    """One vintage a force and month: Essex's 2018-10 again leaves Kent's 2018-10 records."""
    from dashboard.data.records import RecordStore, build

    areas = pd.read_csv(bundled_data_dir / "areas.csv", dtype=str, keep_default_na=False)
    first = tmp_path / "first"
    first.mkdir()
    build([month_file("2018-10"), kent_copy(tmp_path)], areas, first)
    again = tmp_path / "again"
    again.mkdir()
    build([month_file("2018-10")], areas, again, keep=first / RECORDS)
    kept = RecordStore(again).counts(["falls_within"], month="2018-10")
    assert kept.set_index("falls_within")["n"].to_dict() == {
        "Essex Police": README["2018-10"][0],
        "Kent Police": README["2018-10"][0],
    }
