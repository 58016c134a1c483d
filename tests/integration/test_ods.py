"""OpenDocument spreadsheets (LibreOffice's .ods) are read like XLSX: the first sheet, as the
analyst sees it, through the same validation and import.

The files are written here in the shape LibreOffice saves (the unused rest of the sheet as one
row repeated over a million times, cells repeated across); see workbook_bombs.py.
"""

from __future__ import annotations

import workbook_bombs as ods

from dashboard.cli import main
from dashboard.data.model import load_dataset
from dashboard.data.readers import read_table

HEADER = ods.HEADER
#: What LibreOffice writes after the last used row of a sheet.
REST_OF_SHEET = (
    '<table:table-row table:number-rows-repeated="1048573">'
    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
)


def percent_cell(value: str) -> str:
    return (
        f'<table:table-cell office:value-type="percentage" office:value="{value}">'
        f"<text:p>{float(value) * 100:g}%</text:p></table:table-cell>"
    )


def test_an_ods_file_is_imported_with_its_values_as_shown(data, tmp_path, capsys):
    rows = [
        ods.ods_row(HEADER),
        ods.ods_row(
            [
                "ksi-casualties",
                "essex",
                "quarter_count",
                "2017/18 Q4",
                "150",
                "final",
                "pcp-2019-20-q4",
                "There were 150 KSI casualties.",
                "",
            ]
        ),  # fmt: skip
        # A percentage cell (0.91 shown as 91%), an area written by its name.
        ods.ods_row(["rc-investigations-retained-pct", "essex", "quarter_count", "Q4 2017/18"])[
            : -len("</table:table-row>")
        ]
        + percent_cell("0.91")
        + "".join(ods.ods_cell(v) for v in ["final", "pcp-2019-20-q4", "Share.", ""])
        + "</table:table-row>",
        # Text with a run of spaces written as <text:s>, as LibreOffice does.
        ods.ods_row(
            [
                "emergency-calls-999",
                "South Local Policing Area (LPA)",
                "quarter_count",
                "2017-18-Q4",
                "21001",
                "final",
                "pcp-2019-20-q4",
                "Calls.",
                "",
            ]
        ).replace(  # fmt: skip
            "<text:p>Calls.</text:p>", '<text:p>Calls<text:s text:c="3"/>taken.</text:p>'
        ),
        REST_OF_SHEET,
    ]
    path = ods.write_ods(tmp_path / "figures.ods", rows)
    raw = read_table(path)
    assert [p for p in raw.problems if p.severity == "error"] == []
    assert raw.rows == [2, 3, 4]
    assert raw.frame["value"].tolist() == ["150", "91%", "21001"]
    assert raw.frame["source_sentence"].tolist()[2] == "Calls   taken."
    assert main(["import", str(path), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    current = load_dataset(data).current
    got = {
        (r.metric_id, r.area_id): r.value for r in current.itertuples() if r.period == "2017-18-Q4"
    }
    assert got == {
        ("ksi-casualties", "essex"): 150,
        ("rc-investigations-retained-pct", "essex"): 91,
        ("emergency-calls-999", "south-lpa"): 21001,
    }


def test_ods_formulas_merged_headers_and_other_sheets_are_reported(tmp_path):
    header = ods.ods_row(HEADER).replace(
        '<table:table-cell office:value-type="string"><text:p>note</text:p>',
        '<table:table-cell office:value-type="string" table:number-columns-spanned="2">'
        "<text:p>note</text:p>",
    )
    formula = ods.ods_row(["ksi-casualties", "essex", "quarter_count", "2017-18-Q4", "1"]).replace(
        '<table:table-cell office:value-type="float" office:value="1">',
        '<table:table-cell table:formula="of:=[.E1]+1" office:value-type="float" office:value="1">',
    )
    path = tmp_path / "book.ods"
    ods.write_ods(path, [header, formula, REST_OF_SHEET])
    text = path.read_bytes()
    # A second sheet after the first: read the first only, and say so.
    import zipfile

    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    content = content.replace(
        "</table:table></office:spreadsheet>",
        '</table:table><table:table table:name="Notes">'
        + ods.ods_row(["ignored"])
        + "</table:table></office:spreadsheet>",
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    assert text != path.read_bytes()
    shown = [str(p) for p in read_table(path).problems]
    assert any("book.ods, row 1: found 'I1:J1' — error: merged header cells" in s for s in shown), (
        shown
    )
    assert any("read the first sheet only ('Sheet1'); other sheets ignored" in s for s in shown), (
        shown
    )


def test_an_ods_formula_cell_asks_for_the_value(tmp_path):
    formula = ods.ods_row(ods.ROW).replace(
        '<table:table-cell office:value-type="float" office:value="150">',
        '<table:table-cell table:formula="of:=100+50" office:value-type="float" office:value="150">',
    )
    path = ods.write_ods(tmp_path / "formula.ods", [ods.ods_row(HEADER), formula, REST_OF_SHEET])
    shown = [str(p) for p in read_table(path).problems]
    assert (
        "formula.ods, row 2, column 'value': found '=100+50' — error: a formula; paste the values"
        in " ".join(shown)
    ), shown
