"""Bad input gets a clear, located error and changes nothing; unambiguous input is accepted and
the user is told what was done with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from dashboard.cli import main
from dashboard.data.errors import DataError, Problem
from dashboard.data.model import load_dataset
from dashboard.data.readers import read_table
from dashboard.data.validate import (
    area_aliases,
    validate_folder,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"
OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
KSI_SENTENCE = "There were 168 Killed and seriously Injured (KSI) casualties in the last quarter."


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    return target


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def obs(
    metric="ksi-casualties",
    area="essex",
    basis="quarter_count",
    period="2017-18-Q4",
    value="150",
    status="final",
    source="pcp-2019-20-q4",
    sentence=KSI_SENTENCE,
    note="",
) -> str:
    cells = [metric, area, basis, period, value, status, source, sentence, note]
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


def csv_file(folder: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def refused(data: Path, file: Path, capsys) -> str:
    """Import ``file``; assert it is refused and nothing changed; return what the user saw."""
    before = files_of(data)
    code = main(["import", str(file), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "import refused, nothing changed" in err
    assert files_of(data) == before
    assert not (data / ".history").exists()
    assert "Traceback" not in out + err
    return err


# --- each bad input, through the import command --------------------------------------------

BAD_OBSERVATIONS = [
    # (case, lines after the header, row, column, value, words of the message)
    ("missing column", None, 1, "status", None, "this column is missing"),
    ("misspelt column", None, 1, "vaule", "vaule", "did you mean 'value'?"),
    ("extra column", None, 1, "comment", "comment", "unknown column"),
    (
        "unknown area",
        [obs(area="atlantis")],
        2,
        "area_id",
        "atlantis",
        "an area listed in areas.csv",
    ),
    (
        "unknown metric",
        [obs(metric="ksi-casualtis")],
        2,
        "metric_id",
        "ksi-casualtis",
        "did you mean 'ksi-casualties'?",
    ),
    (
        "unknown source",
        [obs(source="pcp-2020-21-q1")],
        2,
        "source_id",
        "pcp-2020-21-q1",
        "a source listed in sources.csv",
    ),
    ("quarter 5", [obs(period="2019/20 Q5")], 2, "period", "2019/20 Q5", "Q5 does not exist"),
    (
        "years backwards",
        [obs(period="2020/19 Q1")],
        2,
        "period",
        "2020/19 Q1",
        "two consecutive years",
    ),
    ("not a quarter", [obs(period="last spring")], 2, "period", "last spring", "is not a quarter"),
    ("n/a", [obs(value="n/a")], 2, "value", "n/a", "a number, such as 82344"),
    ("list of numbers", [obs(value="1,2,3")], 2, "value", "1,2,3", "a number, such as 82344"),
    ("empty value", [obs(value="")], 2, "value", None, "may not be empty"),
    ("negative count", [obs(value="-5")], 2, "value", "-5", "cannot be negative"),
    ("fractional count", [obs(value="150.5")], 2, "value", "150.5", "a whole number"),
    (
        "money in a count",
        [obs(value="£5.4m")],
        2,
        "value",
        "5,400,000",
        "is in count, not money",
    ),
    (
        "percent over 100",
        [obs(metric="rc-investigations-retained-pct", value="105")],
        2,
        "value",
        "105",
        "between 0 and 100",
    ),
    (
        "percent sign over 100",
        [obs(metric="rc-investigations-retained-pct", value="105%")],
        2,
        "value",
        "105",
        "between 0 and 100",
    ),
    ("bad status", [obs(status="draft")], 2, "status", "draft", "one of provisional, final"),
    ("unknown basis", [obs(basis="weekly")], 2, "basis", "weekly", "one of quarter_count"),
    (
        "duplicate key, different values",
        [obs(value="150"), obs(value="151", period="2017/18 Q4")],
        3,
        "value",
        "151",
        "row 2 gives 150",
    ),
    (
        "absurd size",
        [obs(value="5000000000000")],
        2,
        "value",
        "5000000000000",
        "a number smaller than a million million",
    ),
]


@pytest.mark.parametrize(
    ("case", "lines", "row", "column", "value", "words"),
    BAD_OBSERVATIONS,
    ids=[c[0] for c in BAD_OBSERVATIONS],
)
def test_bad_observation_is_refused_with_a_located_message(
    data, tmp_path, capsys, case, lines, row, column, value, words
):
    header = OBS_HEADER
    if case == "missing column":
        header = header.replace(",status", "")
        lines = [obs().replace(",final", "")]
    elif case == "misspelt column":
        header = header.replace("value", "vaule")
        lines = [obs()]
    elif case == "extra column":
        header += ",comment"
        lines = [obs() + ",checked by AB"]
    path = csv_file(tmp_path, "analyst.csv", header, *lines)
    err = refused(data, path, capsys)
    where = f"analyst.csv, row {row}, column '{column}'"
    matching = [line for line in err.splitlines() if where in line and words in line]
    assert matching, f"expected a line with {where!r} and {words!r} in:\n{err}"
    if value is not None:
        assert f"found '{value}'" in matching[0]


def test_every_problem_is_reported_at_once(data, tmp_path, capsys):
    path = csv_file(
        tmp_path,
        "analyst.csv",
        OBS_HEADER,
        obs(value="n/a"),
        obs(period="2018-19-Q4", area="atlantis"),
        obs(period="2016-17-Q4", value="-3"),
    )
    err = refused(data, path, capsys)
    assert "3 problem(s)" in err
    assert "row 2, column 'value'" in err
    assert "row 3, column 'area_id'" in err
    assert "row 4, column 'value'" in err


def test_empty_file(data, tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    err = refused(data, path, capsys)
    assert "empty.csv — error: the file is empty" in err


def test_blank_lines_only_count_as_empty(data, tmp_path, capsys):
    path = csv_file(tmp_path, "blank.csv", "", "   ", "")
    assert "the file is empty" in refused(data, path, capsys)


def test_header_only(data, tmp_path, capsys):
    path = csv_file(tmp_path, "analyst.csv", OBS_HEADER)
    assert "analyst.csv — error: the file has a header but no data rows" in refused(
        data, path, capsys
    )


def test_unknown_priority_and_objective_in_a_metrics_file(data, tmp_path, capsys):
    header = "metric_id,label,priority,objective_id,unit,basis,direction,definition,caveats,phrasings,headline,target"
    path = csv_file(
        tmp_path,
        "new-metrics.csv",
        header,
        "repeat-victims,Repeat victims,9,p1-o1,count,quarter_count,down,Victims again.,,,false,",
        "hate-crime,Hate crime,2,p2-o9,count,quarter_count,neutral,Hate crimes.,,,false,",
        "bad-unit,Bad unit,2,p2-o1,litres,quarter_count,neutral,Nonsense.,,,maybe,",
    )
    err = refused(data, path, capsys)
    assert (
        "new-metrics.csv, row 2, column 'priority': found '9' — error: a priority listed in priorities.csv"
        in err
    )
    assert (
        "new-metrics.csv, row 3, column 'objective_id': found 'p2-o9' — error: an objective listed in objectives.csv"
        in err
    )
    assert "row 4, column 'unit': found 'litres' — error: one of count, percent" in err
    assert "row 4, column 'headline': found 'maybe' — error: true or false" in err


def test_a_file_over_the_size_limit_is_not_read(data, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PCP_MAX_FILE_MB", "0.01")  # about 10 kB: the fixture tables are smaller
    path = csv_file(
        tmp_path,
        "huge.csv",
        OBS_HEADER,
        *[obs(period=f"{y}-{(y + 1) % 100:02d}-Q1") for y in range(1950, 2020)],
    )
    assert path.stat().st_size > 10_500
    err = refused(data, path, capsys)
    assert "huge.csv — error: the file is" in err
    assert "larger than any real table (limit 0.010 MB, set by PCP_MAX_FILE_MB)" in err


def test_a_bad_size_setting_falls_back_to_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("PCP_MAX_FILE_MB", "lots")
    path = csv_file(tmp_path, "analyst.csv", OBS_HEADER, obs())
    assert not [p for p in read_table(path).problems if p.severity == "error"]


def test_ragged_csv_row(data, tmp_path, capsys):
    path = csv_file(tmp_path, "analyst.csv", OBS_HEADER, obs() + ",extra,cells")
    err = refused(data, path, capsys)
    assert "analyst.csv — error: the file is not valid CSV" in err
    assert "Expected 9 fields in line 2, saw 11" in err


def test_not_a_table_at_all(data, tmp_path, capsys):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "photo.xlsx — error: the file is not a readable Excel workbook" in refused(
        data, path, capsys
    )


def test_unknown_file_type(data, tmp_path, capsys):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    assert "notes.docx — error: expected a .csv, .xlsx or .ods file" in refused(data, path, capsys)


# --- accepted with a note ------------------------------------------------------------------


def imported(data: Path, files: list[Path], capsys) -> str:
    code = main(["import", *map(str, files), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "imported into" in out
    return out


def current_value(data: Path, metric: str, period: str, area: str = "essex") -> float:
    current = load_dataset(data).current
    row = current[
        (current["metric_id"] == metric)
        & (current["period"] == period)
        & (current["area_id"] == area)
    ]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def test_thousands_separator_is_accepted_and_said(data, tmp_path, capsys):
    path = csv_file(
        tmp_path,
        "calls.csv",
        OBS_HEADER,
        obs(metric="emergency-calls-999", value="82,345", period="2017/18 Q4"),
    )
    out = imported(data, [path], capsys)
    assert (
        "calls.csv, row 2, column 'value': found '82,345' — note: read as 82,345 (thousands form)"
        in out
    )
    assert current_value(data, "emergency-calls-999", "2017-18-Q4") == 82345


def test_money_is_accepted_for_a_money_metric(data, tmp_path, capsys):
    path = csv_file(
        tmp_path,
        "salary.csv",
        OBS_HEADER,
        obs(metric="specials-salary-equivalent", value="£5.4m", period="2018-19-Q4"),
    )
    out = imported(data, [path], capsys)
    assert "found '£5.4m' — note: read as 5,400,000 (money form)" in out
    assert current_value(data, "specials-salary-equivalent", "2018-19-Q4") == 5_400_000


def test_percent_sign_is_accepted_for_a_percentage(data, tmp_path, capsys):
    path = csv_file(
        tmp_path, "rc.csv", OBS_HEADER, obs(metric="rc-investigations-retained-pct", value="91%")
    )
    out = imported(data, [path], capsys)
    assert "read as 91 (percent form)" in out
    assert current_value(data, "rc-investigations-retained-pct", "2017-18-Q4") == 91


def test_windows_1252_with_a_pound_sign(data, tmp_path, capsys):
    sentence = "The hours worked were equivalent to an annual salary cost of £5.4m."
    path = csv_file(
        tmp_path,
        "salary.csv",
        OBS_HEADER,
        obs(
            metric="specials-salary-equivalent",
            value="£5.4m",
            sentence=sentence,
            period="2018-19-Q4",
        ),
        encoding="cp1252",
    )
    assert "£".encode("cp1252") in path.read_bytes()
    out = imported(data, [path], capsys)
    assert "read as Windows-1252 (not UTF-8); characters such as £ kept" in out
    current = load_dataset(data).current
    assert sentence in set(current["source_sentence"])
    assert "£5.4m" in (data / "observations.csv").read_text(encoding="utf-8")


def test_utf8_bom_is_not_part_of_the_first_column(data, tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (OBS_HEADER + "\n" + obs() + "\n").encode("utf-8"))
    imported(data, [path], capsys)
    assert current_value(data, "ksi-casualties", "2017-18-Q4") == 150


def test_text_starting_with_equals_is_kept_as_text(data, tmp_path, capsys):
    formula = '=HYPERLINK("http://example.com","click")'
    path = csv_file(tmp_path, "analyst.csv", OBS_HEADER, obs(note=formula.replace('"', "'")))
    out = imported(data, [path], capsys)
    assert "starts like a spreadsheet formula: kept as text, neutralised in exports" in out
    notes = set(load_dataset(data).current["note"].dropna())
    assert formula.replace('"', "'") in notes


def test_identical_repeated_row_is_kept_once(data, tmp_path, capsys):
    path = csv_file(tmp_path, "analyst.csv", OBS_HEADER, obs(), obs(period="Q4 2017/18"))
    out = imported(data, [path], capsys)
    assert "analyst.csv, row 3 — note: repeats row 2" in out
    assert "observations: 1 new row(s)" in out


def test_blank_lines_and_multi_line_cells_keep_row_numbers_right(data, tmp_path, capsys):
    path = csv_file(
        tmp_path,
        "analyst.csv",
        OBS_HEADER,
        obs(sentence='"A sentence\nover two lines."'.strip('"')).replace(
            "A sentence\nover two lines.", '"A sentence\nover two lines."'
        ),
        "",
        obs(period="2016-17-Q4", value="n/a"),
    )
    # header line 1, a record on lines 2-3, a blank line 4, the bad record on line 5
    assert "analyst.csv, row 5, column 'value'" in refused(data, path, capsys)


def test_trailing_commas_from_excel_are_ignored(data, tmp_path, capsys):
    path = csv_file(tmp_path, "analyst.csv", OBS_HEADER + ",,", obs() + ",,", ",,,,,,,,,,")
    out = imported(data, [path], capsys)
    assert "observations: 1 new row(s)" in out


def test_repeated_column_name(data, tmp_path, capsys):
    path = csv_file(tmp_path, "analyst.csv", OBS_HEADER + ",value", obs() + ",151")
    assert (
        "analyst.csv, row 1, column 'value': found 'value' — error: the column appears twice"
        in refused(data, path, capsys)
    )


# --- areas by name --------------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["South LPA", "South Local Policing Area (LPA)", "south lpa"])
def test_area_alias_is_resolved_to_its_id(data, tmp_path, capsys, alias):
    path = csv_file(
        tmp_path,
        "south.csv",
        OBS_HEADER,
        obs(metric="emergency-calls-999", area=alias, value="20000"),
    )
    out = imported(data, [path], capsys)
    assert (
        f"found '{alias}' — note: read as area 'south-lpa' (a name listed for it in areas.csv)"
        in out
    )
    assert current_value(data, "emergency-calls-999", "2017-18-Q4", area="south-lpa") == 20000


def test_an_alias_shared_by_two_areas_is_refused(data, tmp_path, capsys):
    areas = data / "areas.csv"
    areas.write_text(
        areas.read_text(encoding="utf-8").replace("West LPA|", "West LPA|South|", 1),
        encoding="utf-8",
    )
    assert area_aliases(load_dataset(data).areas)["south"] == {"south-lpa", "west-lpa"}
    path = csv_file(tmp_path, "south.csv", OBS_HEADER, obs(area="South"))
    err = refused(data, path, capsys)
    assert (
        "found 'South' — error: an area id: this name fits more than one area (south-lpa, west-lpa)"
        in err
    )


# --- XLSX -----------------------------------------------------------------------------------


def workbook(path: Path, rows: list[list], setup=None) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if setup:
        setup(sheet)
    book.save(path)
    return path


OBS_COLUMNS = OBS_HEADER.split(",")


def test_xlsx_long_layout(data, tmp_path, capsys):
    path = workbook(
        tmp_path / "ksi.xlsx",
        [
            OBS_COLUMNS,
            [
                "ksi-casualties",
                "essex",
                "quarter_count",
                "2017/18 Q4",
                150,
                "final",
                "pcp-2019-20-q4",
                KSI_SENTENCE,
                None,
            ],
        ],
    )
    imported(data, [path], capsys)
    assert current_value(data, "ksi-casualties", "2017-18-Q4") == 150


def test_xlsx_percent_cell_is_read_as_shown(data, tmp_path, capsys):
    def as_percent(sheet):
        sheet["E2"].number_format = "0%"

    path = workbook(
        tmp_path / "rc.xlsx",
        [
            OBS_COLUMNS,
            [
                "rc-investigations-retained-pct",
                "essex",
                "quarter_count",
                "2017/18 Q4",
                0.91,
                "final",
                "pcp-2019-20-q4",
                "91% were retained.",
                None,
            ],
        ],
        as_percent,
    )
    out = imported(data, [path], capsys)
    assert "found '91%' — note: read as 91 (percent form)" in out
    assert current_value(data, "rc-investigations-retained-pct", "2017-18-Q4") == 91


def test_xlsx_merged_header_cells(data, tmp_path, capsys):
    def merge(sheet):
        sheet.merge_cells("H1:I1")

    path = workbook(
        tmp_path / "merged.xlsx",
        [
            [*OBS_COLUMNS[:7], "source", None],
            [
                "ksi-casualties",
                "essex",
                "quarter_count",
                "2017/18 Q4",
                150,
                "final",
                "pcp-2019-20-q4",
                KSI_SENTENCE,
                "",
            ],
        ],
        merge,
    )
    err = refused(data, path, capsys)
    assert (
        "merged.xlsx, row 1: found 'H1:I1' — error: merged header cells: give every column its own header cell"
        in err
    )


def test_xlsx_formula_cell(data, tmp_path, capsys):
    path = workbook(
        tmp_path / "formula.xlsx",
        [
            OBS_COLUMNS,
            [
                "ksi-casualties",
                "essex",
                "quarter_count",
                "2017/18 Q4",
                "=100+50",
                "final",
                "pcp-2019-20-q4",
                KSI_SENTENCE,
                None,
            ],
        ],
    )
    err = refused(data, path, capsys)
    assert (
        "formula.xlsx, row 2, column 'value': found '=100+50' — error: a formula; paste the values"
        in err
    )


def test_xlsx_wide_layout_takes_the_basis_from_the_catalogue(data, tmp_path, capsys):
    path = workbook(
        tmp_path / "wide.xlsx",
        [
            [
                "metric_id",
                "area_id",
                "status",
                "source_id",
                "source_sentence",
                "Q4 2016/17",
                "2017/18 Q4",
                "Quarter 1 – 2018/19",
            ],
            ["ksi-casualties", "essex", "final", "pcp-2019-20-q4", KSI_SENTENCE, 171, 150, None],
            [
                "emergency-calls-999",
                "South LPA",
                "final",
                "pcp-2019-20-q4",
                "Calls.",
                None,
                "20,000",
                19000,
            ],
        ],
    )
    out = imported(data, [path], capsys)
    assert (
        "wide layout: 3 quarter column(s) turned into 4 row(s); basis taken from the metric catalogue"
        in out
    )
    assert current_value(data, "ksi-casualties", "2016-17-Q4") == 171
    assert current_value(data, "emergency-calls-999", "2018-19-Q1", area="south-lpa") == 19000
    current = load_dataset(data).current
    assert set(current.loc[current["metric_id"] == "ksi-casualties", "basis"]) >= {"quarter_count"}


def test_wide_layout_with_an_impossible_quarter_column(data, tmp_path, capsys):
    path = csv_file(
        tmp_path,
        "wide.csv",
        "metric_id,area_id,status,source_id,source_sentence,2019/20 Q5",
        "ksi-casualties,essex,final,pcp-2019-20-q4,S.,150",
    )
    err = refused(data, path, capsys)
    assert "wide.csv, row 1, column '2019/20 Q5'" in err
    assert "Q5 does not exist" in err


def test_wide_layout_refuses_a_metric_that_is_not_quarterly(data, tmp_path, capsys):
    metrics = data / "metrics.csv"
    text = metrics.read_text(encoding="utf-8").replace(
        ",count,quarter_count,down,", ",count,calendar_year,down,", 1
    )
    metrics.write_text(text, encoding="utf-8")
    assert not [p for p in validate_folder(data)[1] if p.severity == "error"]
    path = csv_file(
        tmp_path,
        "wide.csv",
        "metric_id,area_id,status,source_id,source_sentence,2017/18 Q4",
        "ksi-casualties,essex,final,pcp-2019-20-q4,S.,150",
    )
    err = refused(data, path, capsys)
    assert "metric ksi-casualties is on a calendar_year basis" in err


# --- the dataset itself ---------------------------------------------------------------------


def test_fixture_dataset_is_valid_and_holds_the_reported_figures(data):
    dataset = load_dataset(data)
    current = dataset.current.set_index(["metric_id", "period"])["value"]
    assert current[("ksi-casualties", "2019-20-Q4")] == 168
    assert current[("ksi-casualties", "2018-19-Q4")] == 170
    assert current[("emergency-calls-999", "2019-20-Q4")] == 82344
    assert current[("emergency-calls-999", "2018-19-Q4")] == 72401
    assert current[("rc-investigations-retained-pct", "2019-20-Q4")] == 93
    assert current[("specials-salary-equivalent", "2019-20-Q4")] == 5_400_000
    assert dataset.latest_quarter == "2019-20-Q4"


def test_invalid_dataset_raises_every_problem(data):
    text = (data / "observations.csv").read_text(encoding="utf-8")
    (data / "observations.csv").write_text(text.replace(",168,", ",lots,"), encoding="utf-8")
    (data / "sources.csv").write_text(
        (data / "sources.csv").read_text(encoding="utf-8").replace(",2020-04,", ",April 2020,"),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    shown = [str(p) for p in caught.value.errors]
    assert any("observations.csv, row" in s and "found 'lots'" in s for s in shown)
    assert any(
        "sources.csv, row 2, column 'published': found 'April 2020' — error: a date written YYYY-MM-DD or YYYY-MM"
        in s
        for s in shown
    )


def test_missing_required_table(data):
    (data / "metrics.csv").unlink()
    _, problems = validate_folder(data)
    assert (
        Problem(
            "metrics.csv",
            None,
            None,
            None,
            "missing: a dataset needs metrics.csv (The metric catalogue)",
        )
        in problems
    )
