"""police.uk street-level months: the importer on the 12 published files, as released.

The expected counts are those of ``../shared/sources/local/README.md`` ("Rows and checks" and
"ASB by district", marked **(count)** there: counts of the files' rows, not published figures),
copied here as the README gives them; the files are the bundled copies in
``data/published/police-uk/`` (the same sha256 as the README's). Re-laid-out and malformed files
are made by code from a real month: they are test inputs, never data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.data.model import load_dataset
from dashboard.publishers import Catalogue, read_published, recognise
from dashboard.publishers.police_uk import read as read_month

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
MONTHS_DIR = DATA / "published" / "police-uk"

#: month: (rows, ASB, violence and sexual offences, drugs, possession of weapons, robbery,
#: no LSOA, LSOA outside the 14 districts) - the README's "Rows and checks" table.
README = {
    "2018-01": (14786, 3420, 3949, 325, 156, 128, 2, 40),
    "2018-02": (13752, 3238, 3618, 276, 138, 117, 0, 38),
    "2018-03": (16014, 3878, 4216, 339, 219, 144, 17, 52),
    "2018-04": (16709, 4194, 4612, 323, 186, 108, 48, 52),
    "2018-05": (17618, 4525, 4836, 295, 221, 148, 16, 42),
    "2018-06": (17473, 4627, 4924, 287, 214, 129, 62, 46),
    "2018-07": (18713, 4868, 5536, 266, 178, 140, 73, 63),
    "2018-10": (17791, 3826, 5303, 363, 177, 161, 79, 37),
    "2018-11": (17050, 3228, 5288, 409, 174, 152, 91, 50),
    "2018-12": (16587, 3134, 5418, 368, 167, 167, 84, 51),
    "2019-01": (16428, 3003, 5433, 464, 158, 157, 52, 58),
    "2019-02": (16377, 3269, 5337, 380, 144, 180, 63, 29),
}
#: The README's sha256 of each month's file ("Files, sizes and checksums"), first 16 digits.
SHA256 = {
    "2018-01": "e1a1f1c777ed0623",
    "2018-07": "34c25017de247264",
    "2018-10": "4e007d80e9a15b14",
    "2019-02": "632e0cc4e9c9f2e4",
}
DISTRICTS = [
    "basildon",
    "braintree",
    "brentwood",
    "castle-point",
    "chelmsford",
    "colchester",
    "epping-forest",
    "harlow",
    "maldon",
    "rochford",
    "southend",
    "tendring",
    "thurrock",
    "uttlesford",
]
#: ASB by district (README), in the order of DISTRICTS, summed over three months.
ASB_BY_DISTRICT = {
    ("2018-01", "2018-02", "2018-03"): [
        1214, 673, 353, 405, 954, 1123, 712, 770, 209, 298, 1490, 809, 1132, 381,
    ],
    ("2018-04", "2018-05", "2018-06"): [
        1486, 924, 450, 591, 1112, 1408, 844, 1046, 228, 393, 1873, 1123, 1362, 488,
    ],
    ("2018-10", "2018-11", "2018-12"): [
        1139, 617, 319, 481, 889, 1172, 660, 823, 196, 243, 1400, 770, 1043, 421,
    ],
}  # fmt: skip
CATEGORIES = {
    "ASB": "policeuk-anti-social-behaviour",
    "VSO": "policeuk-violence-and-sexual-offences",
    "drugs": "policeuk-drugs",
    "weapons": "policeuk-possession-of-weapons",
    "robbery": "policeuk-robbery",
}
OUTSIDE = "policeuk-records-outside-districts"
NO_LSOA = "policeuk-records-without-lsoa"
ISAVITA = "2018-09-28"  # the manifest's date for the isavita/detective copies


def month_file(month: str) -> Path:
    return MONTHS_DIR / f"{month}-essex-street.csv"


@cache
def catalogue() -> Catalogue:
    areas = pd.read_csv(DATA / "areas.csv", dtype=str)
    metrics = pd.read_csv(DATA / "local" / "metrics.csv", dtype=str)
    return Catalogue.from_tables(metrics, areas)


@cache
def counted(path: Path, published: str = ISAVITA):
    result = read_month(path, catalogue(), published=published)
    assert result.ok, [str(p) for p in result.errors]
    return result


def values(result) -> dict[tuple[str, str, str], float]:
    frame = next(t.frame for t in result.tables if "metric_id" in t.frame.columns)
    return {
        (r.metric_id, r.area_id, r.period): float(r.value) for r in frame.itertuples(index=False)
    }


def observations(result) -> pd.DataFrame:
    return next(t.frame for t in result.tables if "metric_id" in t.frame.columns)


# --------------------------------------------------------------------------- the real files


def test_the_bundled_copies_are_the_readme_files():
    for month, prefix in SHA256.items():
        digest = hashlib.sha256(month_file(month).read_bytes()).hexdigest()
        assert digest.startswith(prefix), month
    assert sorted(p.name[:7] for p in MONTHS_DIR.glob("*.csv")) == sorted(README)


@pytest.mark.parametrize("month", sorted(README))
def test_every_month_counts_as_the_readme(month):
    rows, asb, vso, drugs, weapons, robbery, no_lsoa, outside = README[month]
    result = counted(month_file(month))
    got = values(result)
    force = {k[0]: v for k, v in got.items() if k[1] == "essex" and k[2] == month}
    assert force[CATEGORIES["ASB"]] == asb
    assert force[CATEGORIES["VSO"]] == vso
    assert force[CATEGORIES["drugs"]] == drugs
    assert force[CATEGORIES["weapons"]] == weapons
    assert force[CATEGORIES["robbery"]] == robbery
    assert force[NO_LSOA] == no_lsoa
    assert force[OUTSIDE] == outside
    categories = {m: v for m, v in force.items() if m not in (OUTSIDE, NO_LSOA)}
    assert sum(categories.values()) == rows  # every row is in exactly one category
    # every district has a count of every category found that month, 0 included; the districts'
    # counts, the records outside them and those without an LSOA add up to the force's
    assert len(categories) == 14
    for metric, total in categories.items():
        by_district = [got[(metric, d, month)] for d in DISTRICTS]
        assert len(by_district) == 14
        assert total >= sum(by_district)
    all_districts = sum(v for k, v in got.items() if k[1] in DISTRICTS)
    assert all_districts + outside + no_lsoa == rows
    # reported, never silently dropped: in the notes and the source's title
    said = " ".join(str(p) for p in result.problems if p.severity == "notice")
    assert f"{rows:,} records; {outside} with an LSOA outside the 14 districts" in said
    assert f"{no_lsoa} without an LSOA" in said
    source = next(t.frame for t in result.tables if "title" in t.frame.columns).iloc[0]
    assert f"{outside} with an LSOA outside the 14 districts, {no_lsoa} without an LSOA" in (
        source.title
    )


@pytest.mark.parametrize("months, expected", list(ASB_BY_DISTRICT.items()))
def test_asb_by_district_over_a_quarter_is_the_readme(months, expected):
    totals = dict.fromkeys(DISTRICTS, 0.0)
    for month in months:
        got = values(counted(month_file(month)))
        for district in DISTRICTS:
            totals[district] += got[(CATEGORIES["ASB"], district, month)]
    assert [totals[d] for d in DISTRICTS] == expected


def test_each_value_states_its_file_rule_and_rows():
    result = counted(month_file("2018-01"))
    frame = observations(result)
    row = frame[(frame.metric_id == CATEGORIES["ASB"]) & (frame.area_id == "southend")].iloc[0]
    assert row.source_file == "2018-01-essex-street.csv"
    assert row.basis == "month" and row.period == "2018-01"
    # the file has 14,786 records after its header: lines 2 to 14,787
    assert row.source_location.startswith("rows 2 to 14,787: ")
    assert "Crime type 'Anti-social behaviour' and an LSOA name in Southend-on-Sea" in (
        row.source_sentence
    )
    assert row.source_sentence.startswith(f"{int(float(row.value)):,} row(s) with Month 2018-01")
    assert "not Home Office recorded crime" in row.note
    assert "40 have an LSOA outside the 14 districts and 2 have none" in row.note


def test_the_source_names_the_repository_and_commit(bundled_dataset):
    sources = bundled_dataset.sources.set_index("source_id")
    jan = sources.loc[[s for s in sources.index if s.startswith("police-uk-essex-2018-01-")][0]]
    assert "isavita/detective" in jan.url
    assert "481270d05e9d3b4d42c23902bae56bf8f7c1a91b" in jan.url
    assert jan.version.endswith("e1a1f1c777ed0623150a3b49541bcff3c4f5ec5479a0f26d0a91cd90cfb8f000")
    feb19 = sources.loc[[s for s in sources.index if s.startswith("police-uk-essex-2019-02-")][0]]
    assert "mgsf08m002/GEOINFORMATION-IN-SOCIETY" in feb19.url
    assert "40d03289fffccef6d1fb8abc26f19ecf68cf0fda" in feb19.url


def test_the_bundled_dataset_holds_the_twelve_months_with_their_gaps(bundled_dataset):
    obs = bundled_dataset.observations
    asb = obs[(obs.metric_id == CATEGORIES["ASB"]) & (obs.area_id == "southend")]
    assert sorted(asb.period) == sorted(README)  # 2018-08, 2018-09 absent: never filled in
    assert set(asb.basis) == {"month"}
    metric = bundled_dataset.metric_index[CATEGORIES["ASB"]]
    assert (metric["context"], metric["priority"], metric["objective_id"]) == (
        "police_uk",
        2,
        "p2-o1",
    )
    for drugs_or_weapons in ("policeuk-drugs", "policeuk-possession-of-weapons"):
        assert bundled_dataset.metric_index[drugs_or_weapons]["direction"] == "neutral"


# --------------------------------------------------------------------------- layouts


def _relaid(source: Path, target: Path, *, header: str | None, ending: bytes, bom=False) -> Path:
    lines = source.read_bytes().replace(b"\r\n", b"\n").split(b"\n")
    if header is not None:
        lines[0] = header.encode()
    body = ending.join(lines)
    target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body)
    return target


POLICE_UK_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
SNAKE_HEADER = (
    "crime_id,month,reported_by,falls_within,longitude,latitude,location,lsoa_code,lsoa_name,"
    "crime_type,last_outcome_category,context"
)


@pytest.mark.parametrize(
    "month, header, ending, bom",
    [
        ("2018-01", POLICE_UK_HEADER, b"\n", False),  # snake_case CRLF as stored -> police.uk LF
        ("2018-01", None, b"\n", True),  # the snake_case header, LF, with a byte-order mark
        ("2018-10", SNAKE_HEADER, b"\r\n", False),  # police.uk LF as stored -> snake_case CRLF
        ("2018-10", None, b"\r\n", True),  # police.uk header, CRLF, byte-order mark
    ],
)
def test_both_header_styles_and_line_endings_count_the_same(tmp_path, month, header, ending, bom):
    original = month_file(month)
    copy = _relaid(original, tmp_path / original.name, header=header, ending=ending, bom=bom)
    assert recognise(copy) == "police-uk"
    assert values(counted(copy)) == values(counted(original))


def test_recognised_by_content_not_by_name(tmp_path):
    for month in ("2018-01", "2018-10"):  # one of each header style
        assert recognise(month_file(month)) == "police-uk"
        renamed = tmp_path / f"{month}.csv"
        shutil.copy(month_file(month), renamed)
        assert recognise(renamed) == "police-uk"
    assert recognise(DATA / "published" / "rec-crime-pfa.csv") == "ons-pfa"
    assert recognise(DATA / "observations.csv") is None


# --------------------------------------------------------------------------- malformed files


def _lines(month: str = "2018-10") -> list[str]:
    return month_file(month).read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _one_error(result, row: int | None, column: str | None, says: str) -> None:
    errors = result.errors
    assert errors, "the file was accepted"
    first = errors[0]
    assert first.file.endswith(".csv")
    assert (first.row, first.column) == (row, column), str(first)
    assert says in str(first), str(first)
    assert not result.tables  # nothing to import


def test_a_wrong_header_is_refused_and_located(tmp_path):
    lines = _lines()
    lines[0] = lines[0].replace("LSOA name", "Area")
    path = _write(tmp_path / "wrong-header.csv", lines)
    assert recognise(path) is None  # no longer a police.uk file by its content ...
    result = read_published(path, catalogue(), kind="police-uk", published="2021-12-19")
    _one_error(result, 1, None, "missing: lsoa_name")  # ... and named one, it is refused


def test_a_bad_month_is_refused_and_located(tmp_path):
    lines = _lines()
    lines[5] = lines[5].replace(",2018-10,", ",2018-13,", 1)
    result = read_month(_write(tmp_path / "bad-month.csv", lines), catalogue(), published="2021-12")
    _one_error(result, 6, "Month", "a month written YYYY-MM")
    assert result.errors[0].value == "2018-13"


def test_another_month_in_the_file_is_refused(tmp_path):
    lines = _lines()
    lines[7] = lines[7].replace(",2018-10,", ",2018-11,", 1)
    result = read_month(_write(tmp_path / "two.csv", lines), catalogue(), published="2021-12")
    _one_error(result, 8, "Month", "2018-10, the month of the file's first row")


def test_a_truncated_row_is_refused_and_located(tmp_path):
    lines = _lines()
    lines[-1] = ",".join(lines[-1].split(",")[:5])  # the file cut off mid-row
    result = read_month(_write(tmp_path / "cut.csv", lines), catalogue(), published="2021-12")
    _one_error(result, len(lines), None, "12 cells as in the header; this row has 5")


def test_an_oversize_line_stops_reading_and_is_located(tmp_path):
    lines = _lines()
    lines[3] = lines[3] + "x" * 40_000
    result = read_month(_write(tmp_path / "long.csv", lines), catalogue(), published="2021-12")
    _one_error(result, 4, None, "a line of at most 32,767 characters")


def test_a_row_of_another_force_is_refused(tmp_path):
    lines = _lines()
    lines[2] = lines[2].replace("Essex Police", "Kent Police")
    result = read_month(_write(tmp_path / "kent.csv", lines), catalogue(), published="2021-12")
    _one_error(result, 3, "Falls within", "a row of the force's own file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_opening_it(tmp_path):
    pipe = tmp_path / "2018-10-essex-street.csv"
    os.mkfifo(pipe)
    assert recognise(pipe) is None
    result = read_month(pipe, catalogue(), published="2021-12")
    _one_error(result, None, None, "a named pipe (FIFO), not a regular file")


def test_a_month_needs_its_vintage_date():
    result = read_month(month_file("2018-10"), catalogue())
    assert "--published" in str(result.errors[0])


# --------------------------------------------------------------------------- the import command


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture
def without_police_uk(bundled_data_dir, tmp_path) -> Path:
    """The bundled dataset without its police.uk months (as before they were imported)."""
    folder = tmp_path / "data"
    shutil.copytree(bundled_data_dir, folder, ignore=shutil.ignore_patterns(".*", "published"))
    for name in ("observations.csv", "sources.csv"):
        frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        frame = frame[~frame.source_id.str.startswith("police-uk-")]
        frame.to_csv(folder / name, index=False, lineterminator="\n")
    return folder


def test_import_recognises_a_month_unaided_and_twice_changes_nothing(without_police_uk, capsys):
    folder = without_police_uk
    month = str(month_file("2018-01"))
    args = ["import", "--data-dir", str(folder), "--published", ISAVITA]
    assert main([*args, month]) == 0
    out = capsys.readouterr().out
    assert "2018-01-essex-street.csv: police-uk table" in out
    assert "14,786 records; 40 with an LSOA outside the 14 districts" in out
    assert "observations: 212 new row(s)" in out
    after = snapshot(folder)
    assert main([*args, month]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert snapshot(folder) == after
    dataset = load_dataset(folder)
    obs = dataset.observations
    basildon = obs[
        (obs.metric_id == CATEGORIES["ASB"])
        & (obs.area_id == "basildon")
        & (obs.period == "2018-01")
    ]
    assert len(basildon) == 1


@pytest.mark.parametrize(
    "lines_of, says",
    [
        (lambda ls: [ls[0].replace("Crime type", "Kind"), *ls[1:]], "missing: crime_type"),
        (lambda ls: [*ls[:-1], ls[-1][:40]], "this row has"),
    ],
)
def test_a_malformed_month_changes_nothing(without_police_uk, tmp_path, capsys, lines_of, says):
    folder = without_police_uk
    before = snapshot(folder)
    bad = _write(tmp_path / "2018-10-essex-street.csv", lines_of(_lines()))
    code = main(
        [
            "import",
            "--data-dir",
            str(folder),
            "--as",
            "police-uk",
            "--published",
            "2021-12",
            str(bad),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "import refused, nothing changed" in err and says in err
    assert "2018-10-essex-street.csv" in err
    assert snapshot(folder) == before


def test_a_later_vintage_restates_a_month_as_a_revision(bundled_data_dir, tmp_path, capsys):
    """police.uk re-issues months; a later copy whose records differ is another source, and the
    counts it changes are kept as revisions (the later one shown)."""
    folder = tmp_path / "data"
    shutil.copytree(bundled_data_dir, folder, ignore=shutil.ignore_patterns(".*", "published"))
    lines = month_file("2018-01").read_text(encoding="utf-8").splitlines()
    changed = 0
    for number, line in enumerate(lines):
        if "Basildon 0" in line and ",Anti-social behaviour," in line and changed < 3:
            lines[number] = line.replace(",Anti-social behaviour,", ",Public order,")
            changed += 1
    vintage = _write(tmp_path / "2018-01-essex-street.csv", lines)
    assert main(["import", "--data-dir", str(folder), "--published", "2019-06", str(vintage)]) == 0
    out = capsys.readouterr().out
    # 408: the bundled count of ASB in Basildon, January 2018 (values of the month's import)
    assert (
        "revision: policeuk-anti-social-behaviour / basildon / 2018-01: 408" in out
        and "restated as 405" in out
    )
    dataset = load_dataset(folder)
    rows = dataset.observations
    asb = rows[
        (rows.metric_id == CATEGORIES["ASB"])
        & (rows.area_id == "basildon")
        & (rows.period == "2018-01")
    ]
    assert sorted(asb.value) == [405, 408]  # both kept
    current = dataset.current
    shown = current[
        (current.metric_id == CATEGORIES["ASB"])
        & (current.area_id == "basildon")
        & (current.period == "2018-01")
    ]
    assert list(shown.value) == [405]


# --------------------------------------------------------------------------- cost


def test_import_time_and_memory_of_one_month_and_of_twelve(without_police_uk, tmp_path):
    from tests.integration.test_workbook_limits import run_bounded

    env = {**os.environ, "PCP_DATA_DIR": str(without_police_uk), "_OUT": str(tmp_path / "o.txt")}
    base = [sys.executable, "-m", "dashboard.cli", "import", "--dry-run", "--as", "police-uk"]
    one = [*base, "--published", ISAVITA, str(month_file("2018-01"))]
    code, out, err, seconds, peak, killed = run_bounded(one, env)
    print(f"police.uk import, one month (dry run): {seconds:.1f} s, peak RSS {peak:.0f} MB")
    assert (code, killed) == (0, ""), out + err
    assert peak < 400
    twelve = [*base, "--published", "2021-12-22", *map(str, sorted(MONTHS_DIR.glob("*.csv")))]
    code, out, err, seconds, peak, killed = run_bounded(twelve, env)
    print(f"police.uk import, twelve months (dry run): {seconds:.1f} s, peak RSS {peak:.0f} MB")
    assert (code, killed) == (0, ""), out + err
    assert "observations: 2544 new row(s)" in out
    assert peak < 600
