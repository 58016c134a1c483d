"""Import: what would change, conflicts refused, restatements kept as revisions, nothing lost."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from dashboard.cli import main
from dashboard.data.importer import apply_import, history, plan_import, rollback
from dashboard.data.model import load_dataset
from dashboard.data.validate import validate_folder

OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
SOURCES_HEADER = "source_id,title,publisher,published,version,url,kind"
# The June 2021 release restated 2020's provisional KSI figure (752 in February 2021).
NEW_SOURCE = (
    "serp-2021-06-provisional-2020,SERP releases provisional 2020 collision figures,"
    "Safer Essex Roads Partnership,2021-06-11,,"
    "https://saferessexroads.org/serp-releases-provision-2020-collision-figures/,official"
)
RESTATED_722 = (
    "ksi-casualties,essex,calendar_year,2020,722,provisional,serp-2021-06-provisional-2020,"
    '"“Seven hundred and twenty-two people were killed or seriously injured on the roads of '
    'Essex during 2020, which is a 17% reduction on the official figure for 2019.",'
)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_restatement_from_a_newer_source_is_a_revision(data, tmp_path, capsys):
    sources = write(tmp_path / "june-2021-source.csv", SOURCES_HEADER, NEW_SOURCE)
    figures = write(tmp_path / "ksi-2020.csv", OBS_HEADER, RESTATED_722)
    code = main(["import", str(sources), str(figures), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "sources: 1 new row(s)" in out
    assert "observations: 1 new row(s)" in out
    assert (
        "revision: ksi-casualties / essex / 2020: 752 (serp-2021-02-vision-zero, published "
        "2021-02-23) restated as 722 (serp-2021-06-provisional-2020, published 2021-06-11)" in out
    )
    dataset = load_dataset(data)
    current = dataset.current
    ksi_2020 = current[(current["metric_id"] == "ksi-casualties") & (current["period"] == "2020")]
    assert ksi_2020["value"].tolist() == [722]
    revisions = dataset.revisions
    assert revisions["value"].tolist() == [752, 722]
    assert revisions["source_id"].tolist() == [
        "serp-2021-02-vision-zero",
        "serp-2021-06-provisional-2020",
    ]
    assert revisions["current"].tolist() == [False, True]


def test_an_older_source_does_not_displace_the_current_value(data, tmp_path):
    older = NEW_SOURCE.replace("2021-06-11", "2021-01-05")
    files = [
        write(tmp_path / "src.csv", SOURCES_HEADER, older),
        write(tmp_path / "obs.csv", OBS_HEADER, RESTATED_722),
    ]
    plan = plan_import(files, data)
    assert plan.ok
    assert "is an older publication than 752" in plan.revisions[0]
    apply_import(plan, data, files)
    current = load_dataset(data).current
    ksi_2020 = current[(current["metric_id"] == "ksi-casualties") & (current["period"] == "2020")]
    assert ksi_2020["value"].tolist() == [752]


def test_observation_citing_an_unknown_source_is_refused(data, tmp_path, capsys):
    figures = write(tmp_path / "ksi-2020.csv", OBS_HEADER, RESTATED_722)
    before = files_of(data)
    assert main(["import", str(figures), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert (
        "ksi-2020.csv, row 2, column 'source_id': found 'serp-2021-06-provisional-2020' — "
        "error: a source listed in sources.csv" in err
    )
    assert files_of(data) == before


def test_conflicting_value_from_the_same_source_is_refused(data, tmp_path, capsys):
    figures = write(
        tmp_path / "ksi.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,2019/20 Q4,169,final,pcp-2019-20-q4,There were 169 KSI.,",
    )
    before = files_of(data)
    code = main(["import", str(figures), "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "ksi.csv, row 2, column 'value': found '169' — error: conflict: the dataset already holds 168"
        in err
    )
    assert "this file gives 169; refused, nothing changed" in err
    assert files_of(data) == before
    assert history(data) == []


def test_same_rows_again_change_nothing(data, capsys):
    code = main(["import", str(data / "observations.csv"), "--data-dir", str(data)])
    out = capsys.readouterr().out
    assert code == 0
    assert "nothing to change: every row is already in the dataset" in out
    assert history(data) == []


def test_dry_run_shows_the_change_and_writes_nothing(data, tmp_path, capsys):
    files = [
        write(tmp_path / "src.csv", SOURCES_HEADER, NEW_SOURCE),
        write(tmp_path / "obs.csv", OBS_HEADER, RESTATED_722),
    ]
    before = files_of(data)
    code = main(["import", *map(str, files), "--data-dir", str(data), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "revision: ksi-casualties / essex / 2020" in out
    assert "dry run: nothing written" in out
    assert files_of(data) == before
    assert not (data / ".history").exists()


def test_problems_name_the_file_they_are_in(data, tmp_path, capsys):
    good = write(
        tmp_path / "first.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,",
    )
    bad = write(
        tmp_path / "second.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,2016-17-Q4,150,final,pcp-2019-20-q4,S.,",
        "ksi-casualties,essex,quarter_count,2015-16-Q4,n/a,final,pcp-2019-20-q4,S.,",
    )
    assert main(["import", str(good), str(bad), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "second.csv, row 3, column 'value': found 'n/a'" in err
    assert "first.csv, row 3" not in err


def test_the_same_key_in_two_files_with_different_values(data, tmp_path, capsys):
    one = write(
        tmp_path / "one.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,",
    )
    two = write(
        tmp_path / "two.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,Q4 2017/18,151,final,pcp-2019-20-q4,S.,",
    )
    assert main(["import", str(one), str(two), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "two.csv, row 2, column 'value': found '151'" in err
    assert "one.csv row 2 gives 150" in err


def test_history_and_rollback_restore_the_previous_files_exactly(data, tmp_path, capsys):
    before = files_of(data)
    files = [
        write(tmp_path / "src.csv", SOURCES_HEADER, NEW_SOURCE),
        write(tmp_path / "obs.csv", OBS_HEADER, RESTATED_722),
    ]
    assert main(["import", *map(str, files), "--data-dir", str(data)]) == 0
    after_import = files_of(data)
    assert after_import != before
    capsys.readouterr()

    assert main(["history", "--data-dir", str(data)]) == 0
    listing = capsys.readouterr().out
    assert "first version" in listing
    assert "import of src.csv, obs.csv (2 new row(s)) <- live" in listing
    entries = history(data)
    assert [e["action"] for e in entries] == ["first version", "import"]
    first, imported = entries[0]["version"], entries[1]["version"]

    assert main(["rollback", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert f"restored version {first}; the version it replaced ({imported}) is kept" in out
    assert files_of(data) == before
    # The rolled-back version is kept: rolling back to it restores the import exactly.
    entries = history(data)
    assert [e["action"] for e in entries] == ["first version", "import", "rollback"]
    restored, replaced = rollback(data, imported[:6])  # a unique prefix is enough
    assert (restored, replaced) == (imported, first)
    assert files_of(data) == after_import


def test_rollback_without_history(data, capsys):
    assert main(["rollback", "--data-dir", str(data)]) == 1
    assert "nothing to roll back to" in capsys.readouterr().err
    assert main(["rollback", "no-such-id", "--data-dir", str(data)]) == 1


def test_import_leaves_no_temporary_files(data, tmp_path):
    files = [
        write(
            tmp_path / "obs.csv",
            OBS_HEADER,
            RESTATED_722.replace("serp-2021-06-provisional-2020", "pcp-2019-20-q4").replace(
                ",2020,", ",2018,"
            ),
        )
    ]
    plan = plan_import(files, data)
    assert plan.ok, plan.errors
    apply_import(plan, data, files)
    leftovers = [p.name for p in data.iterdir() if p.name.startswith(".") and p.name != ".versions"]
    assert leftovers == []
    store = data / ".versions"
    assert not any((store / "staging").glob("*")) if (store / "staging").exists() else True
    assert list(store.glob("*.tmp")) == []


def test_round_trip_import_validate_load_gives_the_same_values(data, tmp_path, capsys):
    """Every awkward form at once: XLSX wide layout, alias, thousands, money, a text '='."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "metric_id",
            "area_id",
            "status",
            "source_id",
            "source_sentence",
            "note",
            "2016/17 Q4",
            "2017-18-Q4",
        ]
    )
    sheet.append(
        [
            "emergency-calls-999",
            "South Local Policing Area (LPA)",
            "final",
            "pcp-2019-20-q4",
            "Calls.",
            "=check",
            "21,001",
            22002,
        ]
    )
    sheet.append(
        [
            "specials-salary-equivalent",
            "Essex",
            "final",
            "pcp-2019-20-q4",
            "Cost.",
            None,
            "£5.1m",
            "£5.25m",
        ]
    )
    sheet.append(
        [
            "rc-investigations-retained-pct",
            "essex",
            "final",
            "pcp-2019-20-q4",
            "Share.",
            None,
            88,
            "91%",
        ]
    )
    sheet["F2"].data_type = "s"  # typed as text in Excel ('=check), not a formula
    wide = tmp_path / "wide.xlsx"
    book.save(wide)
    before = load_dataset(data).current
    assert main(["import", str(wide), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    _, problems = validate_folder(data)
    assert [p for p in problems if p.severity == "error"] == []
    dataset = load_dataset(data)
    got = {
        (r.metric_id, r.area_id, r.period): r.value
        for r in dataset.current.itertuples()
        if r.period in ("2016-17-Q4", "2017-18-Q4")
    }
    assert got == {
        ("emergency-calls-999", "south-lpa", "2016-17-Q4"): 21001,
        ("emergency-calls-999", "south-lpa", "2017-18-Q4"): 22002,
        ("specials-salary-equivalent", "essex", "2016-17-Q4"): 5_100_000,
        ("specials-salary-equivalent", "essex", "2017-18-Q4"): 5_250_000,
        ("rc-investigations-retained-pct", "essex", "2016-17-Q4"): 88,
        ("rc-investigations-retained-pct", "essex", "2017-18-Q4"): 91,
    }
    notes = dataset.current.loc[dataset.current["period"] == "2016-17-Q4", "note"].tolist()
    assert "=check" in notes
    # What was there before is untouched.
    merged = dataset.current.merge(
        before, on=["metric_id", "area_id", "basis", "period", "source_id"]
    )
    assert (merged["value_x"] == merged["value_y"]).all()
    assert len(merged) == len(before)
