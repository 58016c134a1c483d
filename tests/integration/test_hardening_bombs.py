"""Issue 25, findings 2 and 3: readers bounded by parsing cost, not only bytes.

Each file goes to a real child (`pcp-dashboard import` or `ingest`) under the watchdog of
test_workbook_limits.py (killed past 60 s or 1.5 GB), which reports the child's own peak
memory (VmHWM). Before: an 83 KB .xlsx with one row of 20,000,000 empty cells (80 MB unpacked,
under the 100 MB limit) took `import` 35 s and 2.58 GB and then imported its one valid row;
250,000 rows all numbered r="2" were read (29 s, 454 MB). Now each stops at a limit, with the
file and row named, in seconds and well under 500 MB.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import workbook_bombs as bombs
from test_workbook_limits import assert_refused


def wide_empty_row(path: Path, cells: int = 20_000_000) -> Path:
    """A header, one valid row, then one row of ``cells`` empty cells (no r attributes)."""

    def chunks():
        yield "".join(bombs._header_rows())
        yield '<row r="3">'
        batch = "<c/>" * 100_000
        for _ in range(cells // 100_000):
            yield batch
        yield "</row>"

    return bombs._write(path, chunks(), level=9)


def same_row_number(path: Path, rows: int = 250_000) -> Path:
    """A header and a valid row, then ``rows`` more rows all numbered r="2"."""
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>ksi-casualties</t></is></c></row>'

    def chunks():
        yield "".join(bombs._header_rows())
        for _ in range(rows // 1000):
            yield row * 1000

    return bombs._write(path, chunks())


def many_empty_cells(path: Path, rows: int = 99_000, columns: int = 40) -> Path:
    """A header and a valid row, then ``rows`` rows of ``columns`` empty cells each: under the
    row limit and 16 MB unpacked, but four million cells to parse."""
    row = "<c/>" * columns

    def chunks():
        yield "".join(bombs._header_rows())
        for number in range(3, rows + 3):
            yield f'<row r="{number}">{row}</row>'

    return bombs._write(path, chunks())


CASES = {
    "wide-empty-row.xlsx": (wide_empty_row, "row 3", "Excel's widest"),
    "same-row-number.xlsx": (same_row_number, "row 2", "comes after row 2"),
    "many-empty-cells.xlsx": (many_empty_cells, "row ", "PCP_MAX_CELLS"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_workbook_that_costs_more_than_its_bytes_is_refused_with_its_row(name, tmp_path, env):
    build, where, says = CASES[name]
    assert_refused(build(tmp_path / name), env, where, says)
