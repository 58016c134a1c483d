"""What every publisher reader returns, and the small helpers they share."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..data.errors import Outcome, Problem
from ..data.files import why_not_readable
from ..data.readers import RawTable
from ..data.schema import TABLES

OBSERVATION_COLUMNS = TABLES["observations"].columns
SOURCE_COLUMNS = TABLES["sources"].columns

#: Cells that say "no figure" in published tables ("..": not available, "*": not applicable or
#: suppressed, "-": nil or not applicable, "x"/"z"/"[c]": the newer GSS symbols).
NOT_AVAILABLE = {"..", "…", "*", "-", "–", "—", ":", "n/a", "na", "x", "z", "[x]", "[z]", "[c]"}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "30 September 2015", "30 September 20151" (a footnote marker after the year), "30 Sep 2015"
_DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\d{{0,3}}$", re.I
)
# "Sep-15", "Sep 2015", "September 2015"
_MONTH_YEAR = re.compile(rf"^({_MONTH})\.?[\s\-/]+(\d{{2}}|\d{{4}})$", re.I)
_NUMERIC_DATES = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$"), ("d", "m", "y")),
)


@dataclass
class Published(Outcome):
    """A published file as the dataset's own tables (text cells), with located problems."""

    file: str
    kind: str
    tables: list[RawTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)

    @classmethod
    def failed(cls, file: str, kind: str, *problems: Problem) -> Published:
        return cls(file, kind, [], list(problems), [])

    @property
    def observation_count(self) -> int:
        return sum(len(t.frame) for t in self.tables if "metric_id" in t.frame.columns)

    def table_names(self) -> set[str]:
        return {
            "observations" if "metric_id" in t.frame.columns else "sources" for t in self.tables
        }


def text_table(file: str, records: list[dict], rows: list[int], columns: list[str]) -> RawTable:
    """Records (dicts of text) as a RawTable the validator reads like any file."""
    frame = pd.DataFrame.from_records(records, columns=columns).fillna("").astype(str)
    return RawTable(file, frame, [], list(rows))


def number_text(value: float) -> str:
    """A published cell value as the dataset writes it: no binary noise, no exponent.

    Four decimal places at most (full-time equivalents are published to two or four); whole
    numbers without decimals.
    """
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cell_text(value: object) -> str:
    """A cell as a person reads it in the row's text (dates as '30 Sep 2015')."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | pd.Timestamp):
        value = value.date() if not isinstance(value, pd.Timestamp) else value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer():
            return str(int(number))
        return f"{number:.10g}"
    return " ".join(str(value).split())


def parse_date(value: object) -> dt.date | None:
    """A date as publishers write it in a header cell, or None. A month alone is its last day."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\u00a0", " ").split()).strip(" :")
    if not text:
        return None
    match = _DAY_MONTH_YEAR.match(text)
    try:
        if match:
            return dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        match = _MONTH_YEAR.match(text)
        if match:
            year = int(match[2]) if len(match[2]) == 4 else 2000 + int(match[2])
            return month_end(year, _MONTHS[match[1].lower()])
        for pattern, order in _NUMERIC_DATES:
            match = pattern.match(text)
            if match:
                parts = dict(zip(order, map(int, match.groups()), strict=True))
                return dt.date(parts["y"], parts["m"], parts["d"])
    except ValueError:
        return None
    return None


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as a spreadsheet names its columns)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def publication_date(text: str) -> str | None:
    """A --published value checked: YYYY-MM or YYYY-MM-DD (None if it is not one)."""
    text = str(text).strip()
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        try:
            dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
        except ValueError:
            return None
        return text
    return None


def opened(path: Path, publisher: str, expected: str, file_bytes: int) -> Published:
    """The result of reading ``path``, begun: with an error already if it may not be read.

    The preamble every file reader shares: a FIFO, device or missing file is never opened
    (``expected`` names what should be there, "an ONS .xls workbook"), and a file over
    ``file_bytes`` (PCP_MAX_FILE_MB) is refused before a byte of it is read.
    """
    path = Path(path)
    result = Published(path.name, publisher)
    if why := why_not_readable(path):
        result.problems.append(Problem.of_file(path.name, f"{why}; expected {expected}"))
        return result
    size = path.stat().st_size
    if size > file_bytes:
        result.problems.append(
            Problem.of_file(
                path.name,
                f"a file of at most {file_bytes / 1048576:,.0f} MB (PCP_MAX_FILE_MB); "
                f"this one is {size / 1048576:,.1f} MB, so nothing was read",
            )
        )
    return result


def not_in_catalogue(result: Published, needed: str) -> Published:
    """``result`` refused because the dataset's catalogue lacks what the reader maps to.

    ``needed`` names it and where it is declared ("metrics for ... (metrics.published_as ...)").
    """
    result.problems.append(
        Problem.of_file(
            result.file, f"{needed}; the dataset's catalogue lacks this, so nothing can be read"
        )
    )
    return result
