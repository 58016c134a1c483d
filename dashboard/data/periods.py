"""Periods on the bases the reports use, parsed from any spelling into one canonical label.

Policing (financial) years run April to March: 2019/20 Q1 = Apr-Jun 2019, Q4 = Jan-Mar 2020.
Each basis has its own canonical label, so a calendar year can never pass for a quarter:

    quarter_count, quarter_end   "2019-20-Q4"     (the URL form)
    financial_year               "2019-20"
    calendar_year                "2019"
    rolling_12m                  "12m-to-2019-12"  (twelve months ending with that month)
    as_at                        "2018-09-30"      (a snapshot on a stated date: the Home Office
                                                    workforce tables' 31 March / 30 September)
    month                        "2018-01"         (one calendar month: police.uk's street-level
                                                    counts)

Every period must also be a real stretch of days between ``FIRST_DAY`` and ``LAST_DAY``: a label
such as "9999/00 Q4" reads well but ends in the year 10000, which no date can hold, and one such
row used to take every page down. Parsing refuses it with the reason, so validation does too.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

QUARTER_BASES = ("quarter_count", "quarter_end")
BASES = (
    "quarter_count",
    "quarter_end",
    "rolling_12m",
    "calendar_year",
    "financial_year",
    "as_at",
    "month",
)

BASIS_LABELS = {
    "quarter_count": "count in the quarter",
    "quarter_end": "snapshot at the quarter's end",
    "rolling_12m": "rolling 12 months",
    "calendar_year": "calendar year",
    "financial_year": "financial year (April to March)",
    "as_at": "snapshot on the date",
    "month": "calendar month",
}


class PeriodError(ValueError):
    """A period label that cannot be read, or names an impossible period."""


#: The span any period must lie in. Police-recorded figures start long after 1900, and a year
#: after 2100 in a quarterly update is a typing slip (the calendar-year rule always said so).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


def _within_span(start: dt.date, end: dt.date, text: str) -> None:
    if start < FIRST_DAY or end > LAST_DAY:
        raise PeriodError(
            f"{text!r} runs from {start.isoformat()} to {end.isoformat()}; a period must lie "
            f"between {FIRST_DAY.year} and {LAST_DAY.year}"
        )


def _span(first: tuple[int, int], last: tuple[int, int], text: str) -> tuple[dt.date, dt.date]:
    """The first day of month ``first`` and the last day of month ``last`` (year, month), or a
    PeriodError when no calendar date can hold them (year 0, year 10000)."""
    try:
        start = dt.date(first[0], first[1], 1)
        year, month = last
        after = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        end = after - dt.timedelta(days=1)
    except (ValueError, OverflowError) as exc:
        raise PeriodError(
            f"{text!r} is not a real period: its dates fall outside the calendar ({exc}); "
            f"a period must lie between {FIRST_DAY.year} and {LAST_DAY.year}"
        ) from None
    _within_span(start, end, text)
    return start, end


_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_QUARTER_PATTERNS = (
    # "2019/20 Q4", "2019-20 Q4", "2019-20-Q4", "2019/2020 Q4", "2019/20Q4"
    re.compile(
        r"^(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2}|\d{4})\s*[- ]?\s*Q(?:uarter)?\s*(?P<q>\d+)$", re.I
    ),
    # "Q4 2019/20", "Q4 2019-20", "Quarter 4 - 2019/20", "Quarter 4 – 2019/20"
    re.compile(
        r"^Q(?:uarter)?\s*(?P<q>\d+)\s*[- ,]?\s*(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2}|\d{4})$", re.I
    ),
)
_FY_PATTERN = re.compile(r"^(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2}|\d{4})$")
_ROLLING_PATTERN = re.compile(r"^12m[- ]to[- ](?P<y>\d{4})-(?P<m>\d{2})$", re.I)
_YEAR_PATTERN = re.compile(r"^(?P<y>\d{4})$")
_DATE_PATTERN = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
# "2018-01" (canonical, as police.uk writes its Month column), "2018/01", "2018-1"
_MONTH_PATTERN = re.compile(r"^(?P<y>\d{4})\s*[-/]\s*(?P<m>\d{1,2})$")
# "Jan 2018", "January 2018"
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_NAMED_MONTH_PATTERN = re.compile(r"^(?P<name>[a-z]{3,9})\.?\s+(?P<y>\d{4})$", re.I)


def _normalise(text: str) -> str:
    text = str(text).strip()
    for dash in _DASHES:
        text = text.replace(dash, "-")
    return re.sub(r"\s+", " ", text)


def _second_year(y1: int, y2_text: str) -> int:
    y2 = int(y2_text)
    if len(y2_text) == 2:
        y2 = (y1 // 100) * 100 + y2
        if y1 % 100 == 99 and y2 % 100 == 0:  # 1999/00
            y2 += 100
    if y2 != y1 + 1:
        raise PeriodError(f"a policing year runs over two consecutive years; {y1} and {y2} are not")
    return y2


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of the policing year. ``start_year`` is the year the policing year begins."""

    start_year: int
    number: int

    @property
    def label(self) -> str:
        """Canonical (URL) form: 2019-20-Q4."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}-Q{self.number}"

    @property
    def display(self) -> str:
        """As the reports print it: 2019/20 Q4."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d} Q{self.number}"

    @property
    def months(self) -> str:
        first = dt.date(*self._first_month(), 1)
        last = self.end_date
        return f"{first:%b}–{last:%b %Y}"

    def _first_month(self) -> tuple[int, int]:
        month = 4 + 3 * (self.number - 1)
        year = self.start_year
        if month > 12:
            month -= 12
            year += 1
        return year, month

    @property
    def start_date(self) -> dt.date:
        return dt.date(*self._first_month(), 1)

    @property
    def end_date(self) -> dt.date:
        year, month = self._first_month()
        month += 2
        if month == 12:
            return dt.date(year, 12, 31)
        return dt.date(year, month + 1, 1) - dt.timedelta(days=1)

    def check_span(self, text: str | None = None) -> Quarter:
        """This quarter, or a PeriodError when it lies outside FIRST_DAY..LAST_DAY."""
        year, month = self._first_month()
        last_year, last_month = (year, month + 2) if month + 2 <= 12 else (year + 1, month - 10)
        _span((year, month), (last_year, last_month), text or self.display)
        return self

    def shift(self, quarters: int) -> Quarter:
        index = self.start_year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def previous(self) -> Quarter:
        return self.shift(-1)

    @property
    def year_earlier(self) -> Quarter:
        return self.shift(-4)

    def __str__(self) -> str:
        return self.label


@functools.lru_cache(maxsize=8192)  # pure, and a Quarter is immutable: read each spelling once
def parse_quarter(text: str) -> Quarter:
    """Read a policing-year quarter in any spelling the reports and analysts use."""
    cleaned = _normalise(text)
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            y1 = int(match["y1"])
            _second_year(y1, match["y2"])
            q = int(match["q"])
            if not 1 <= q <= 4:
                raise PeriodError(f"quarter Q{q} does not exist: a year has quarters Q1 to Q4")
            return Quarter(y1, q).check_span(str(text).strip())
    raise PeriodError(
        f"{text!r} is not a quarter; expected a policing-year quarter such as "
        "'2019-20-Q4', '2019/20 Q4', 'Q4 2019/20' or 'Quarter 4 – 2019/20'"
    )


def quarter_of_date(day: dt.date) -> Quarter:
    """The policing-year quarter containing ``day``."""
    start_year = day.year if day.month >= 4 else day.year - 1
    number = ((day.month - 4) % 12) // 3 + 1
    return Quarter(start_year, number)


def canonical_period(basis: str, text: str) -> str:
    """The canonical label of ``text`` on ``basis``; raises PeriodError with what was expected."""
    cleaned = _normalise(text)
    if basis in QUARTER_BASES:
        return parse_quarter(cleaned).label
    if basis == "financial_year":
        match = _FY_PATTERN.match(cleaned) or re.match(
            r"^FY\s*(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2,4})$", cleaned, re.I
        )
        if not match:
            raise PeriodError(f"{text!r} is not a financial year; expected for example '2019-20'")
        y1 = int(match["y1"])
        _second_year(y1, match["y2"])
        _span((y1, 4), (y1 + 1, 3), cleaned)
        return f"{y1}-{(y1 + 1) % 100:02d}"
    if basis == "calendar_year":
        match = _YEAR_PATTERN.match(cleaned)
        if not match or not 1900 <= int(match["y"]) <= 2100:
            raise PeriodError(f"{text!r} is not a calendar year; expected for example '2019'")
        return str(int(match["y"]))
    if basis == "rolling_12m":
        match = _ROLLING_PATTERN.match(cleaned)
        if not match or not 1 <= int(match["m"]) <= 12:
            raise PeriodError(
                f"{text!r} is not a rolling 12-month period; expected '12m-to-YYYY-MM', "
                "for example '12m-to-2019-12'"
            )
        year, month = int(match["y"]), int(match["m"])
        first = (year, month + 1) if month < 12 else (year + 1, 1)
        _span((first[0] - 1, first[1]), (year, month), cleaned)
        return f"12m-to-{year:04d}-{month:02d}"
    if basis == "as_at":
        day = _as_at_date(text, cleaned)
        _within_span(day, day, cleaned)
        return day.isoformat()
    if basis == "month":
        year, month = _month(text, cleaned)
        _span((year, month), (year, month), cleaned)
        return f"{year:04d}-{month:02d}"
    raise PeriodError(f"unknown basis {basis!r}; expected one of {', '.join(BASES)}")


def _month(text: str, cleaned: str) -> tuple[int, int]:
    """(year, month) of a calendar month written '2018-01', '2018/1', 'Jan 2018' or 'January 2018'."""
    expected = f"{text!r} is not a calendar month; expected 'YYYY-MM', for example '2018-01'"
    match = _MONTH_PATTERN.match(cleaned)
    if match:
        year, month = int(match["y"]), int(match["m"])
    else:
        named = _NAMED_MONTH_PATTERN.match(cleaned)
        if not named:
            raise PeriodError(expected)
        name = named["name"].lower()
        found = [n for n, full in enumerate(_MONTH_NAMES, 1) if name in (full, full[:3])]
        if name == "sept":
            found = [9]
        if not found:
            raise PeriodError(expected)
        year, month = int(named["y"]), found[0]
    if not 1 <= month <= 12:
        raise PeriodError(f"{text!r} names month {month}; a year has months 1 to 12")
    return year, month


def month_quarter(label: str) -> Quarter:
    """The policing-year quarter a calendar month ('2018-01') belongs to (2017/18 Q4)."""
    return quarter_of_date(period_start("month", label))


def month_financial_year(label: str) -> str:
    """The policing (financial) year a calendar month belongs to: '2018-01' -> '2017-18'."""
    start = month_quarter(label).start_year
    return f"{start}-{(start + 1) % 100:02d}"


def month_calendar_year(label: str) -> int:
    """The calendar year a month belongs to: '2018-01' -> 2018 (a population of mid-2018 meets
    it: see ``views/rates.py``)."""
    return period_start("month", label).year


def _as_at_date(text: str, cleaned: str) -> dt.date:
    match = _DATE_PATTERN.match(cleaned)
    if match:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            pass
    raise PeriodError(f"{text!r} is not a date; expected 'YYYY-MM-DD', for example '2018-09-30'")


def period_start(basis: str, label: str) -> dt.date:
    """First day of a canonical period."""
    if basis in QUARTER_BASES:
        return parse_quarter(label).start_date
    if basis == "financial_year":
        return dt.date(int(label[:4]), 4, 1)
    if basis == "calendar_year":
        return dt.date(int(label), 1, 1)
    if basis == "rolling_12m":
        year, month = int(label[7:11]), int(label[12:14])
        return dt.date(year, 1, 1) if month == 12 else dt.date(year - 1, month + 1, 1)
    if basis == "as_at":
        return dt.date.fromisoformat(label)
    if basis == "month":
        return dt.date(int(label[:4]), int(label[5:7]), 1)
    raise PeriodError(f"unknown basis {basis!r}")


def period_end(basis: str, label: str) -> dt.date:
    """Last day of a canonical period."""
    if basis in QUARTER_BASES:
        return parse_quarter(label).end_date
    if basis == "financial_year":
        return dt.date(int(label[:4]) + 1, 3, 31)
    if basis == "calendar_year":
        return dt.date(int(label), 12, 31)
    if basis == "rolling_12m":
        year, month = int(label[7:11]), int(label[12:14])
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    if basis == "as_at":
        return dt.date.fromisoformat(label)
    if basis == "month":
        year, month = int(label[:4]), int(label[5:7])
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    raise PeriodError(f"unknown basis {basis!r}")


def period_display(basis: str, label: str) -> str:
    """A label for people: '2019/20 Q4', '2019', '2019/20', '12 months to Dec 2019'."""
    if basis in QUARTER_BASES:
        return parse_quarter(label).display
    if basis == "financial_year":
        return f"{label[:4]}/{label[5:]}"
    if basis == "rolling_12m":
        return f"12 months to {period_end(basis, label):%b %Y}"
    if basis == "as_at":
        day = dt.date.fromisoformat(label)
        return f"{day.day} {day:%b %Y}"
    if basis == "month":
        return f"{period_start(basis, label):%b %Y}"
    return label


def display_label(label: str) -> str:
    """A canonical label of any basis, for people (the basis is read from the label's shape)."""
    text = str(label)
    if re.match(r"^\d{4}-\d{2}-Q\d$", text):
        return parse_quarter(text).display
    if _ROLLING_PATTERN.match(text):
        return period_display("rolling_12m", text)
    if re.match(r"^\d{4}-\d{2}$", text):
        # '2019-20' is a financial year (its second part is the next year); '2018-01' a month.
        # Both shapes meet only for 2000-01 to 2011-12, read as financial years here: callers
        # that know the basis use period_display.
        if int(text[5:]) == (int(text[:4]) + 1) % 100:
            return period_display("financial_year", text)
        if 1 <= int(text[5:]) <= 12:
            return period_display("month", text)
        return text
    if _DATE_PATTERN.match(text):
        return period_display("as_at", text)
    return text
