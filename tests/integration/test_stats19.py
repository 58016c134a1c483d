"""DfT STATS19 files (data/published/road-casualties/): Essex killed or seriously injured by year
and by quarter, counted here independently (csv module on the zips) and against the shared
sources' README; recognised unaided; malformed zips refused with a located message and nothing
changed.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.data.importer import history
from dashboard.data.validate import validate_folder
from dashboard.publishers import recognise
from dashboard.publishers.build import _catalogue, _national_tables
from dashboard.publishers.stats19 import MAX_RATIO, read

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
NATIONAL = DATA / "national"
ROADS = DATA / "published" / "road-casualties"
CASUALTIES = {y: ROADS / f"dftRoadSafetyData_Casualties_{y}.zip" for y in (2015, 2016, 2017, 2018)}
ACCIDENTS = {y: ROADS / f"dftRoadSafetyData_Accidents_{y}.zip" for y in (2015, 2017)}


def rows_of(path: Path) -> list[dict]:
    """Every row of the one CSV in a zip, read here with the csv module (BOM and CRLF)."""
    with zipfile.ZipFile(path) as archive:
        (name,) = archive.namelist()
        text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def in_essex(row: dict) -> bool:
    return row["Accident_Index"][4:6] == "42"


@pytest.fixture(scope="module")
def catalogue():
    base, _ = validate_folder(DATA)
    national, _ = _national_tables(NATIONAL)
    return _catalogue(base, national)


@pytest.fixture(scope="module")
def casualties() -> dict[int, list[dict]]:
    return {y: [r for r in rows_of(p) if in_essex(r)] for y, p in CASUALTIES.items()}


@pytest.fixture(scope="module")
def accidents() -> dict[int, list[dict]]:
    return {y: [r for r in rows_of(p) if in_essex(r)] for y, p in ACCIDENTS.items()}


def test_accident_counts_and_casualty_sums_match_the_readme(accidents, casualties):
    # README (road-casualties): 3,746 and 3,235 Essex accidents, all with Police_Force 42,
    # whose Number_of_Casualties sum to the casualty files' Essex rows: 4,926 and 4,363
    assert {y: len(rows) for y, rows in accidents.items()} == {2015: 3746, 2017: 3235}
    for year, rows in accidents.items():
        assert all(r["Police_Force"] == "42" for r in rows)
        assert sum(int(r["Number_of_Casualties"]) for r in rows) == len(casualties[year])
    assert (len(casualties[2015]), len(casualties[2017])) == (4926, 4363)


def test_severity_codes_agree_with_the_accident_files(accidents, casualties):
    """1 fatal, 2 serious, 3 slight: an accident's severity is its worst casualty's."""
    for year, rows in accidents.items():
        worst: dict[str, str] = {}
        for casualty in casualties[year]:
            index = casualty["Accident_Index"]
            worst[index] = min(worst.get(index, "3"), casualty["Casualty_Severity"])
        assert {r["Accident_Index"]: r["Accident_Severity"] for r in rows} == worst


@pytest.mark.parametrize(
    ("year", "fatal", "serious"),
    [(2015, 44, 734), (2016, 63, 962), (2017, 46, 881), (2018, 49, 882)],
)
def test_ksi_per_year_is_the_record_count(catalogue, casualties, year, fatal, serious):
    counted = Counter(r["Casualty_Severity"] for r in casualties[year])
    assert (counted["1"], counted["2"]) == (fatal, serious)  # counted here, as in the README
    published = read(CASUALTIES[year], catalogue, published=f"{year + 1}-09")
    assert published.ok, [str(p) for p in published.errors]
    frame = published.tables[1].frame
    assert list(zip(frame.basis, frame.period, frame.value, strict=True)) == [
        ("calendar_year", str(year), str(fatal + serious))
    ]
    assert frame.metric_id.iloc[0] == "stats19-ksi-casualties"
    assert f"{fatal + serious:,} killed or seriously injured" in frame.source_sentence.iloc[0]
    assert "Unadjusted" in frame.note.iloc[0]
    assert published.source_ids == [f"dft-stats19-casualties-{year}"]


def test_ksi_by_quarter_joins_accident_dates(catalogue, accidents, casualties):
    for year, quarters in ((2015, None), (2017, [202, 250, 243, 232])):
        month = {r["Accident_Index"]: int(r["Date"][3:5]) for r in accidents[year]}
        mine = Counter(
            (month[c["Accident_Index"]] - 1) // 3
            for c in casualties[year]
            if c["Casualty_Severity"] in ("1", "2")
        )
        published = read(ACCIDENTS[year], catalogue, published=f"{year + 1}-09")
        frame = published.tables[1].frame
        assert list(frame.basis.unique()) == ["quarter_count"]
        # January-March is the plan's policing-year Q4 of the year before
        assert list(frame.period) == [
            f"{year - 1}-{year % 100:02d}-Q4",
            *(f"{year}-{(year + 1) % 100:02d}-Q{q}" for q in (1, 2, 3)),
        ]
        values = [int(v) for v in frame.value]
        assert values == [mine[q] for q in range(4)]
        assert sum(values) == {2015: 778, 2017: 927}[year]  # the casualty file's KSI
        if quarters:
            assert values == quarters  # README: 202 / 250 / 243 / 232


def test_import_recognises_each_file_unaided(tmp_path, capsys):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns(".*", "published", "national"))
    for path in [*CASUALTIES.values(), *ACCIDENTS.values()]:
        assert recognise(path) == "dft-stats19"
    # a plain CSV (unzipped, with its BOM) is recognised too
    plain = tmp_path / "Cas.csv"
    with zipfile.ZipFile(CASUALTIES[2017]) as archive:
        plain.write_bytes(archive.read("Cas.csv"))
    assert plain.read_bytes()[:3] == b"\xef\xbb\xbf" and recognise(plain) == "dft-stats19"
    args = ["import", "--data-dir", str(folder), "--dry-run", "--published", "2018-09"]
    assert main([*args, str(CASUALTIES[2017])]) == 0
    out = capsys.readouterr().out
    assert (
        "dftRoadSafetyData_Casualties_2017.zip: dft-stats19 table, edition "
        "dft-stats19-casualties-2017: 1 value(s)"
    ) in out


# ------------------------------------------------------------------------- malformed files


def _zip(path: Path, name: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    return path


def _refused(tmp_path: Path, bad: Path, capsys, *extra: str) -> str:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns(".*", "published", "national"))
    before = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    snapshots = history(folder)
    args = ["import", "--data-dir", str(folder), "--published", "2018-09", *extra, str(bad)]
    assert main(args) == 1
    assert {p.name: p.read_bytes() for p in folder.glob("*.csv")} == before
    assert history(folder) == snapshots
    return capsys.readouterr().err


def test_a_zip_with_a_wrong_header_is_refused_with_nothing_changed(tmp_path, capsys):
    with zipfile.ZipFile(CASUALTIES[2017]) as archive:
        text = archive.read("Cas.csv").decode("utf-8-sig")
    header, rest = text.split("\r\n", 1)
    assert "Casualty_Severity" in header
    broken = header.replace("Casualty_Severity", "Severity").replace("Accident_Index", "Index")
    bad = _zip(
        tmp_path / "dftRoadSafetyData_Casualties_2017.zip", "Cas.csv", broken + "\r\n" + rest
    )
    assert recognise(bad) is None  # not recognised as STATS19 (nor as any table)
    err = _refused(tmp_path, bad, capsys, "--as", "dft-stats19")
    assert "import refused, nothing changed" in err
    assert (
        "dftRoadSafetyData_Casualties_2017.zip, row 1 — error: Cas.csv: the STATS19 columns "
        "Accident_Index, Police_Force, Date; missing Accident_Index, Police_Force, Date"
    ) in err


def test_a_severity_outside_the_codes_is_located(tmp_path, catalogue):
    with zipfile.ZipFile(CASUALTIES[2017]) as archive:
        lines = archive.read("Cas.csv").decode("utf-8-sig").split("\r\n")
    line = next(n for n, text in enumerate(lines[1:], 2) if text[4:6] == "42")
    cells = lines[line - 1].split(",")
    assert lines[0].split(",")[7] == "Casualty_Severity"
    cells[7] = "9"
    lines[line - 1] = ",".join(cells)
    bad = _zip(tmp_path / "bad.zip", "Cas.csv", "\r\n".join(lines))
    published = read(bad, catalogue, published="2018-09")
    assert [str(p) for p in published.errors] == [
        f"bad.zip, row {line}, column 'Casualty_Severity' — error: Cas.csv: a "
        "Casualty_Severity of 1 (fatal), 2 (serious) or 3 (slight)"
    ]


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path, capsys, catalogue):
    header = "Accident_Index,Vehicle_Reference,Casualty_Reference,Casualty_Severity\r\n"
    # 20 MB of one repeated row deflates about 1,000 to 1: far beyond any real file
    text = header + "2017420000001,1,1,3\r\n" * 1_000_000
    bad = _zip(tmp_path / "dftRoadSafetyData_Casualties_2017.zip", "Cas.csv", text)
    info = zipfile.ZipFile(bad).infolist()[0]
    assert info.file_size / info.compress_size > MAX_RATIO
    published = read(bad, catalogue, published="2018-09")
    assert len(published.errors) == 1
    message = str(published.errors[0])
    assert message.startswith("dftRoadSafetyData_Casualties_2017.zip — error: a CSV compressed")
    assert "(a zip bomb?), so nothing was read" in message
    err = _refused(tmp_path, bad, capsys)
    assert "a zip bomb?" in err


def test_a_zip_of_many_files_is_refused(tmp_path, catalogue):
    bad = tmp_path / "many.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        for n in range(20):
            archive.writestr(f"part{n}.csv", "Accident_Index,Casualty_Severity\r\n")
    published = read(bad, catalogue, published="2018-09")
    assert "a zip of one CSV file; this one has 20 entries" in str(published.errors[0])


def test_an_accident_file_needs_its_casualty_file_beside_it(tmp_path, catalogue):
    alone = tmp_path / ACCIDENTS[2017].name
    shutil.copy(ACCIDENTS[2017], alone)
    published = read(alone, catalogue, published="2018-09")
    assert [str(p) for p in published.errors] == [
        "dftRoadSafetyData_Accidents_2017.zip — error: the STATS19 casualty file of 2017 "
        "beside the accident file (a name with 'Casualties_2017'): casualties by quarter join "
        "the two on Accident_Index"
    ]
