"""Sentence -> numeric facts: value, unit, the period it refers to and the comparison stated.

Not every number is a fact: dates, years, quarter names, phone numbers (999, 101), ages and
durations ("two year CBO", "76 year old") are skipped. The period is an offset in quarters from
the document's quarter (0 this quarter, -1 previous, -4 the same quarter last year), read from
the words around the number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dashboard.data.periods import Quarter, quarter_of_date

from .numbers import WORDS, scale_after, to_number

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_NUMBER = re.compile(
    r"(?<![\w/£.-])(?P<gbp>£\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<pct>\s?%|\s?per\s?cent\b)?(?P<scale>\s?(?:m|mn|bn|k|million|billion)\b)?(?![\w/]|\.\d)"
    r"|(?<![\w-])(?P<word>"
    + "|".join(
        sorted(
            (w for w in WORDS if w not in ("one", "hundred", "a hundred")), key=len, reverse=True
        )
    )
    + r")(?![\w-])",
    re.I,
)
_DURATION = re.compile(r"^[\s-]*(?:year|month|week|day)s?\b", re.I)
_CHANGE = re.compile(
    r"(?:increase|decrease|reduction|rise|fall|drop)\s+of\s*$|(?:up|down)\s+by\s*$", re.I
)


@dataclass(frozen=True)
class Fact:
    raw: str
    value: float
    unit: str  # count | percent | hours | gbp
    start: int
    end: int
    offset: int | None  # quarters from the document's quarter; None when not stated
    period_phrase: str
    comparison: str


def find_facts(sentence: str, quarter: Quarter) -> list[Fact]:
    tokens = [m for m in _NUMBER.finditer(sentence) if not _skip(sentence, m)]
    facts: list[Fact] = []
    for index, match in enumerate(tokens):
        raw = match.group(0)
        try:
            value = to_number(match["num"] or match["word"])
        except ValueError:
            continue
        unit = "count"
        if match["gbp"]:
            unit = "gbp"
            value *= scale_after(match["scale"] or "")
        elif match["pct"]:
            unit = "percent"
        elif match["scale"]:
            value *= scale_after(match["scale"])
        elif re.match(
            r"\s*(?:[\w,-]+\s){0,3}?hours?\b", sentence[match.end() :], re.I
        ) and not re.match(
            r"\s*(?:[\w,-]+\s){0,3}?hours?\s+(?:of reporting|a week)", sentence[match.end() :], re.I
        ):
            unit = "hours"
        before_end = tokens[index - 1].end() if index else 0
        after_start = tokens[index + 1].start() if index + 1 < len(tokens) else len(sentence)
        after = sentence[match.end() : after_start]
        before = sentence[before_end : match.start()]
        comparison = _comparison(before, after, raw, sentence[match.end() :])
        if _CHANGE.search(before) or re.match(r"\s*(?:more|less|fewer)\b", after, re.I):
            offset, phrase = 0, "change on the comparison stated"
        else:
            offset, phrase = _period(after, quarter)
            if offset is None:
                offset, phrase = _period(before, quarter)
        facts.append(Fact(raw, value, unit, match.start(), match.end(), offset, phrase, comparison))
    return facts


def _skip(sentence: str, match: re.Match) -> bool:
    """Dates, years, quarter names, service numbers, ages and durations are not facts."""
    raw = match.group(0)
    before = sentence[: match.start()]
    after = sentence[match.end() :]
    num = match["num"]
    if num:
        if match["pct"] or match["gbp"]:
            return False
        if re.fullmatch(r"(19|20)\d\d", num) and not re.match(
            r"\s*(hours|calls|crimes|offences)", after
        ):
            return True  # a year
        if re.match(r"\s*(?:st|nd|rd|th)\b", after) or re.match(rf"\s*{_MONTHS}\b", after):
            return True  # "23rd March", "13 February"
        if re.search(rf"{_MONTHS}\s*$", before) or re.search(
            r"\b(?:Q|Unit|M|A|C|Tier|tier|Level)\s?$", before
        ):
            return True  # "April 19", "Q4", "Unit 7", "M25", "C17", "tier 1"
        if (
            re.match(r"\s*/\s*\d", after)
            or re.match(r"^[/-]\d", after)
            or re.search(r"\d[/-]$", before)
        ):
            return True  # "2019/20", ranges "4-6"
        if num in ("999", "101", "111", "55") and not re.match(r"\s*(?:calls|incidents)", after):
            return True
        if re.search(r"\((?:\s)?$", before) and re.match(r"\s?\)", after) and num in ("999", "101"):
            return True
        if re.search(r"press\s*$", before, re.I):
            return True
    if _DURATION.match(after):
        return True  # "two year CBO", "76 year old", "six month operation"
    if match["word"] and re.match(r"\s*(?:of (?:the|our|these|them|those)|times?\b)", after, re.I):
        return "these" not in after[:12].lower()
    return not raw.strip()


_PERIODS: tuple[tuple[str, int | None], ...] = (
    (
        r"same (?:quarter|period) (?:last|the previous) year|same (?:quarter|period) in the previous year|last year",
        -4,
    ),
    (r"previous quarter|preceding quarter|quarter before", -1),
    (
        r"this quarter|the quarter\b|in the last quarter|over the last quarter|last three months|"
        r"this period|reporting period|during Q[1-4]|in Q[1-4]|over this time|currently|now\b",
        0,
    ),
)


def _period(window: str, quarter: Quarter) -> tuple[int | None, str]:
    text = window
    match = re.search(
        r"same (?:quarter|period) (?:in|of) (?P<y>\d{4})\s*/\s*(?P<y2>\d{2,4})", text, re.I
    )
    if match:
        offset = (int(match["y"]) - quarter.start_year) * 4
        return offset, match.group(0)
    match = re.search(rf"(?:end of|at|to|in) (?P<m>{_MONTHS}) (?P<y>\d{{4}})", text, re.I)
    if match:
        month = dt.datetime.strptime(match["m"][:3], "%b").month
        stated = quarter_of_date(dt.date(int(match["y"]), month, 1))
        offset = (stated.start_year * 4 + stated.number) - (quarter.start_year * 4 + quarter.number)
        return offset, match.group(0)
    for pattern, offset in _PERIODS:
        for match in re.finditer(pattern, text, re.I):
            if not _COMPARED_PERIOD.search(text[: match.start()]):
                return offset, match.group(0)
    return None, ""


#: "down on the previous quarter": the period belongs to the comparison, not the value.
_COMPARED_PERIOD = re.compile(
    r"(?:down|up|higher|lower|more|less|fewer|than|compared (?:to|with)|on)\s+(?:in\s+|on\s+)?(?:the\s+)?$",
    re.I,
)


_COMPARISON = re.compile(
    r"(?:compared (?:to|with)|(?:up|down|increase|decrease|rise|fall|reduction)\s(?:of\s)?(?:from)?|from|"
    r"an increase of|a decrease of|a reduction of|a rise of|a fall of|more than|less than)\s*$",
    re.I,
)


def _comparison(before: str, after: str, raw: str, rest: str) -> str:
    """The comparison a number takes part in, as written ("compared to 72,401 in the same ...")."""
    lead = _COMPARISON.search(before)
    if lead:
        tail = re.match(r"[^.;()]*", after)[0].rstrip(" ,")
        return f"{lead.group(0)}{raw}{tail}".strip()
    trail = re.match(r"\s*(?:more|less|fewer)\b[^.;()]*", after, re.I)
    if trail:
        return f"{raw}{trail.group(0)}".strip()
    follow = re.search(
        r"(?:compared (?:to|with)|(?:up|down) (?:from|on)|an? (?:increase|decrease|reduction|rise|fall) of)"
        r"(?:[^.;()]|\.\d)*",
        rest,
        re.I,
    )
    return follow.group(0).strip() if follow else ""
