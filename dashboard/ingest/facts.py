"""Stage 1: a sentence -> its numeric facts, each with value, unit, role and period cue.

No catalogue is used here: this finds *that* a number is a fact, what kind of statement it is
part of and which period the sentence ties it to. Deciding *which metric* it measures is
stage 2 (matcher.py).

- Not facts: dates, years, quarter names, service numbers (999, 101), ages, durations, ranges,
  ordinals, "Unit 7", "M25", "tier 1".
- Roles: ``level`` (a value), ``comparator`` (the value it is compared with: "down from 514",
  "compared to 72,401", the A of "from A to B"), ``change`` ("an increase of 13.7%",
  "7 less officers"), ``bound`` ("over 3,000", "more than 400": not a value) and
  ``projection`` ("will see numbers grow to 400"), ``average`` ("89 hours per officer").
  ``approx`` marks "approximately 105,000".
- Period cues: the words that place a value in time, relative to the document's quarter
  ("this quarter", "the same period last year", "at the end of March 2019", "currently") or
  named ("during the same period in 2018/19", "Q3 2019/20"). A cue right after a number is
  that number's; a cue before the first number is the sentence's; a cue after comparison
  words ("down on the previous quarter") belongs to the comparison, not the value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from dashboard.data.periods import Quarter, quarter_of_date

from .numbers import WORDS, scale_after, to_number

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_MONTH = rf"(?:{MONTHS})\.?"
_NUMBER_WORDS = "|".join(
    sorted((w for w in WORDS if w not in ("one", "hundred", "a hundred")), key=len, reverse=True)
)
_NUMBER = re.compile(
    r"(?<![\w/£.-])(?P<gbp>£\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<pct>\s?%|\s?per\s?cent\b|\s?percent\b)?"
    r"(?P<scale>\s?(?:m|mn|bn|k|million|billion|thousand)\b)?(?![\w/]|\.\d)"
    rf"|(?<![\w-])(?P<word>(?:{_NUMBER_WORDS})(?:\s(?:hundred|thousand)\b)?)(?![\w-])"
    r"(?P<wpct>\s?(?:per\s?cent|percent)\b)?",
    re.I,
)
_DURATION = re.compile(
    r"^[\s-]*(?:(?:full|calendar|financial|working)\s)?"
    r"(?:years?|months?|weeks?|days?|minutes?|seconds?|nights?)\b(?!\s+(?:to|ending|ended)\b)",
    re.I,
)

ROLES = ("level", "comparator", "change", "bound", "projection", "average")


@dataclass(frozen=True)
class Period:
    """Where a cue puts a value: ``kind`` is quarter (a quarter's span), point (a date or
    "now"), month, year, rolling (12 months) or since (a cumulative count); ``offset`` is in
    quarters from the document's quarter (quarter and point kinds)."""

    kind: str
    offset: int | None
    phrase: str
    start: int = -1
    end: int = -1
    comparison: bool = False  # the cue follows comparison words ("down on the previous quarter")


@dataclass(frozen=True)
class Fact:
    raw: str
    value: float
    unit: str  # count | percent | hours | gbp
    start: int
    end: int
    role: str = "level"
    approx: bool = False
    period: Period | None = None  # the fact's own cue, or the sentence's
    own_period: bool = False  # the cue is the fact's own (not the sentence's)
    anchor: int | None = None  # comparator/change: index of the fact it compares with
    of_which: bool = False  # "of which 38,000", "Twelve of these": a part of an earlier fact
    paren_of: int | None = None  # "(11.2% BAME, ...)" after a count: a share of that count
    comparison: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def offset(self) -> int | None:
        return self.period.offset if self.period else None

    @property
    def period_phrase(self) -> str:
        return self.period.phrase if self.period else ""


def find_facts(sentence: str, quarter: Quarter, data_to: dt.date | None = None) -> list[Fact]:
    """``data_to``: the document's "Data to" month, when its quarter is the three months to
    it (older issues: "Data to May 2018" for the June 2018 update)."""
    matches = [m for m in _NUMBER.finditer(sentence) if not _skip(sentence, m)]
    cues = find_periods(sentence, quarter, data_to)
    facts: list[Fact] = []
    for match in matches:
        raw = match.group(0).rstrip()
        try:
            value = to_number(match["num"] or match["word"])
        except ValueError:
            continue
        after = sentence[match.end() :]
        unit = "count"
        if match["gbp"]:
            unit = "gbp"
            value *= scale_after(match["scale"] or "")
        elif match["pct"] or match["wpct"]:
            unit = "percent"
        elif match["scale"]:
            value *= scale_after(match["scale"])
        elif re.match(r"\s*(?:[A-Za-z][\w,-]*\s){0,3}?(?:hours?|hrs?)\b", after) and not re.match(
            r"\s*(?:[A-Za-z][\w,-]*\s){0,3}?(?:hours?|hrs?)\s+(?:of reporting|a week|a day|per week)",
            after,
            re.I,
        ):
            unit = "hours"
        if unit == "count" and re.match(r"\s*(?:thousand)\b", after, re.I):
            value *= 1000
        facts.append(Fact(raw, value, unit, match.start(), match.start() + len(raw)))
    facts = [_roles(sentence, facts, i) for i in range(len(facts))]
    facts = _anchors(sentence, facts)
    return _attach_periods(sentence, facts, cues)


# --- what is not a fact ---------------------------------------------------------------------


def _skip(sentence: str, match: re.Match) -> bool:
    """Dates, years, quarter names, service numbers, ages, durations and ranges."""
    raw = match.group(0)
    before = sentence[: match.start()]
    after = sentence[match.end() :]
    num = match["num"]
    if num:
        if match["gbp"]:
            return False
        if match["pct"]:
            return bool(re.search(r"\d\s?[-–]\s?$", before))  # "10-15%"
        if re.fullmatch(r"(19|20)\d\d", num) and not re.match(
            r"\s*(?:hours|calls|crimes|offences|arrests|investigations|applications|members)",
            after,
        ):
            return True  # a year
        if re.match(r"\s*(?:st|nd|rd|th)\b", after) or re.match(rf"\s*{_MONTH}\b", after):
            return True  # "23rd March", "13 February"
        if re.search(rf"\b{_MONTH}\s*$", before) or re.search(
            r"\b(?:Q|Unit|M|A|C|Tier|tier|Level|level|Page|page|No\.?|Phase|phase|Year|year)\s?$",
            before,
        ):
            return True  # "April 19", "Q4", "Unit 7", "M25", "C17", "tier 1", "Year 6"
        if (
            re.match(r"\s*/\s*\d", after)
            or re.match(r"^\s?[-–]\s?\d", after)
            or re.search(r"\d\s?[/–-]\s?$", before)
            or re.match(r"\s*(?:to|or)\s+\d+\s+(?:hours?\s+)?(?:a|per)\s", after)
        ):
            return True  # "2019/20", ranges "4-6"
        if num in ("999", "101", "111", "55", "112") and (
            re.match(
                r"\s*(?:calls?|contacts?|line|number|service|system|non-emergency|emergency)\b",
                after,
                re.I,
            )
            or not re.match(r"\s+[a-z]", after)
            or re.search(
                r"(?:\d|\(|\b(?:a|to|the|on|via|dial|dialled|call|press|silent))\s*$", before, re.I
            )
        ):
            return True  # the service's number ("999 calls", "calls to 101"), not a count
        if re.search(r"press\s*$", before, re.I):
            return True
    if _DURATION.match(after):
        return True  # "two year CBO", "76 year old", "six month operation"
    if re.search(r"\b(?:aged|age|within|under the age of|over the age of)\s*$", before, re.I):
        return True
    if match["word"] and re.match(r"\s*(?:of (?:the|our|them|those)\b|times?\b)", after, re.I):
        return True  # "two of the suspects", "three times"
    return not raw.strip()


# --- roles ------------------------------------------------------------------------------------

_BOUND_BEFORE = re.compile(
    r"(?:\bover|\bmore than|\bfewer than|\bless than|\bat least|\bin excess of|\bup to|"
    r"\bnearly|\balmost|\bjust under|\bjust over|\bunder|\bupwards of|\bexceeding|\bbelow|"
    r"\babove|\bno fewer than|\bno less than|\bminimum of|\bmaximum of)\s*(?:£\s?)?$",
    re.I,
)
_APPROX_BEFORE = re.compile(
    r"(?:\bapproximately|\bapprox\.?|\baround|\babout|\bcirca|\bc\.|\broughly|\bsome|"
    r"\ban estimated|\bestimated|\bapproaching)\s*(?:£\s?)?$",
    re.I,
)
_CHANGE_BEFORE = re.compile(
    r"(?:\b(?:increase|decrease|reduction|rise|fall|drop|growth|decline|change|uplift|"
    r"improvement|deterioration)s?\s+of|\b(?:up|down|rose|fell|risen|fallen|increased|"
    r"decreased|reduced|grown|grew|dropped|declined|improved)\s+by|:\s*by)\s*(?:£\s?)?$",
    re.I,
)
_CHANGE_AFTER = re.compile(
    r"\s*(?:%\s*)?(?:percentage\s+)?(?:points?\s+)?"
    r"(?:more|less|fewer|additional|extra|higher|lower|increase|decrease|reduction|rise|fall|"
    r"drop|up\b|down\b)\b",
    re.I,
)
_COMPARATOR_BEFORE = re.compile(
    r"(?:\bfrom|\bcompared\s+(?:to|with)|\bcomparison\s+(?:to|with)|\bagainst|\bversus|\bvs\.?|"
    r"\bthan|\bon)\s*(?:the\s+)?(?:£\s?)?$",
    re.I,
)
_PROJECTION = re.compile(
    r"\b(?:will|expected to|forecast|projected|anticipated|aim(?:s|ing)? to|plan(?:s|ned)? to|"
    r"target(?:s|ed)?|intend(?:s|ed)? to|hope(?:s|d)? to)\b",
    re.I,
)


def _segment_before(sentence: str, facts: list[Fact], index: int) -> str:
    start = facts[index - 1].end if index else 0
    return sentence[start : facts[index].start]


def _segment_after(sentence: str, facts: list[Fact], index: int) -> str:
    end = facts[index + 1].start if index + 1 < len(facts) else len(sentence)
    return sentence[facts[index].end : end]


def _roles(sentence: str, facts: list[Fact], index: int) -> Fact:
    fact = facts[index]
    before = sentence[: fact.start]
    near = _segment_before(sentence, facts, index)
    after = sentence[fact.end :]
    if re.search(r"\baverage(?:\s+of)?\s*$|\bmean\s*$", before, re.I) or re.match(
        r"\s*(?:[A-Za-z]+\s){0,2}?(?:per|each|a)\s+(?:officer|person|head|volunteer|special|"
        r"week|month|day|shift)s?\b",
        after,
        re.I,
    ):
        return replace(fact, role="average")  # "an average of 89 hours per officer"
    if _BOUND_BEFORE.search(before) and not re.search(r"\bover\s+the\s*$", before, re.I):
        return replace(fact, role="bound", comparison=_bound_phrase(before, fact.raw))
    additional = re.match(r"\s*(?:additional|extra)\b", after, re.I) and re.search(
        r"\bequivalent\b", before, re.I
    )  # "the equivalent of 104 additional full time officers" is a level
    if _CHANGE_BEFORE.search(before) or (_CHANGE_AFTER.match(after) and not additional):
        return replace(fact, role="change", comparison=_comparison_text(sentence, fact))
    if _COMPARATOR_BEFORE.search(before):
        return replace(fact, role="comparator", comparison=_comparison_text(sentence, fact))
    clause = re.split(r"[;:]", near)[-1]
    if _PROJECTION.search(clause):
        return replace(fact, role="projection")
    if _APPROX_BEFORE.search(before):
        return replace(fact, approx=True)
    return fact


def _bound_phrase(before: str, raw: str) -> str:
    match = _BOUND_BEFORE.search(before)
    return f"{match.group(0).strip()} {raw}" if match else raw


def _comparison_text(sentence: str, fact: Fact) -> str:
    """The comparison as written, from its lead word to the end of its clause."""
    lead = re.search(
        r"(?:\b(?:an?\s+)?(?:increase|decrease|reduction|rise|fall|drop)\s+of|\b(?:up|down)\s+"
        r"(?:from|by|on)|\bcompared\s+(?:to|with)|\bfrom|\bthan|\bby)\s*(?:the\s+)?(?:£\s?)?$",
        sentence[: fact.start],
        re.I,
    )
    start = lead.start() if lead else fact.start
    tail = re.match(r"[^;()]*?(?=[;()]|\.(?:\s|$)|$)", sentence[fact.start :])
    end = fact.start + (tail.end() if tail else len(fact.raw))
    return sentence[start:end].strip(" ,")


def _anchors(sentence: str, facts: list[Fact]) -> list[Fact]:
    """Link comparators and changes to the value they compare with; mark parts and shares."""
    out = list(facts)
    for i, fact in enumerate(out):
        before = _segment_before(sentence, out, i)
        after = _segment_after(sentence, out, i)
        if re.search(r"\bof\s+(?:which|these|them|those)\s*,?\s*$", before, re.I) or re.match(
            r"\s*of\s+(?:these|them|those|which)\b", after, re.I
        ):
            out[i] = fact = replace(fact, of_which=True)
        if (
            fact.unit == "percent"
            and re.search(r"\(\s*$", before)
            and i
            and out[i - 1].unit != "percent"
        ):
            out[i] = fact = replace(fact, paren_of=i - 1)
        elif fact.unit == "percent" and i and out[i - 1].paren_of is not None:
            if "(" not in before and ")" not in sentence[out[i - 1].end : fact.start]:
                out[i] = fact = replace(fact, paren_of=out[i - 1].paren_of)
        elif (
            fact.unit == "percent"
            and fact.role == "level"
            and i
            and out[i - 1].unit == "count"
            and out[i - 1].role == "level"
            and re.fullmatch(r"[^;.()]*,[^;.()]*", before)
        ):
            out[i] = fact = replace(fact, paren_of=i - 1)  # "284 applications, 11.2% from ..."
        if (
            fact.unit != "percent"
            and re.search(r"\(\s*$", before)
            and i
            and out[i - 1].unit == "percent"
            and re.match(r"\s*\)", after)
        ):  # "93% (3,900) were retained": the count of the same thing as the share before it
            out[i] = fact = replace(fact, notes=(*fact.notes, "count beside a share"))
        if fact.role not in ("comparator", "change"):
            continue
        anchor = None
        is_from = bool(re.search(r"\bfrom\s*(?:£\s?)?$", sentence[: fact.start], re.I))
        if (
            is_from
            and i + 1 < len(out)
            and re.match(r"[^.;]{0,60}?\bto\s*(?:£\s?)?$", _segment_before(sentence, out, i + 1))
        ):
            anchor = i + 1  # "from A to B": A is compared with B
        else:
            for j in range(i - 1, -1, -1):
                if out[j].role == "level" and (fact.role == "change" or out[j].unit == fact.unit):
                    anchor = j
                    break
        if (
            fact.role == "comparator"
            and anchor is None
            and is_from
            and not re.search(
                r"\b(?:down|up|rise|fall|fell|rose|increase|decrease|compared)\b",
                sentence[: fact.start],
                re.I,
            )
        ):
            out[i] = replace(fact, role="level", comparison="")  # "hours from 75 volunteers"
            continue
        out[i] = replace(fact, anchor=anchor)
    return out


# --- periods ------------------------------------------------------------------------------------


def _month_number(name: str) -> int:
    return dt.datetime.strptime(name[:3].title(), "%b").month


def _fy_start(text: str) -> int:
    found = re.match(r"\d{4}", text)
    assert found is not None, text  # the cue patterns start with the year
    return int(found[0])


def _quarter_offset(target: Quarter, quarter: Quarter) -> int:
    return (target.start_year * 4 + target.number) - (quarter.start_year * 4 + quarter.number)


_FY = r"(?:19|20)\d\d\s*/\s*\d{2,4}"
_LAST_YEAR = (
    r"(?:last\s+year|of\s+last\s+year|(?:in|of|during)\s+the\s+previous\s+year|the\s+previous\s+"
    r"year|a\s+year\s+(?:ago|earlier|before)|the\s+year\s+before|twelve\s+months\s+(?:ago|earlier)|"
    r"12\s+months\s+(?:ago|earlier))"
)
_CUES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(p, re.I), kind)
    for p, kind in (
        (rf"\bsame\s+(?:quarter|period|three\s+months)\s+(?:in|of|during|for)\s+(?P<fy>{_FY})", "fy_same"),
        (rf"\b(?:Q(?P<q1>[1-4])|quarter\s+(?P<q2>[1-4]))\s*(?:of\s+|,\s*|[-–]\s*)?(?P<fy>{_FY})", "named_q"),
        (rf"\b(?P<fy>{_FY})\s*[-–,]?\s*(?:Q(?P<q1>[1-4])|quarter\s+(?P<q2>[1-4]))\b", "named_q"),
        (rf"\bsame\s+(?:quarter|period|three\s+months)\s+{_LAST_YEAR}", "last_year"),
        (r"\bthis\s+time\s+last\s+year\b", "last_year"),
        (rf"\b(?:(?:at|by|to)\s+)?(?:the\s+)?end\s+of\s+(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)", "date"),
        (rf"\b(?:as\s+)?at\s+(?:the\s+)?end\s+of\s+(?P<m>{_MONTH})(?![\s,]*(?:19|20)\d\d)", "date"),
        (rf"\bas\s+(?:at|of|on)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)", "date"),
        (rf"\b(?:on|at)\s+\d{{1,2}}(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)", "date"),
        (rf"\b(?:between|from)\s+(?P<m1>{_MONTH})\s+(?:\d{{4}}\s+)?(?:and|to)\s+(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)", "months"),
        (rf"\b(?P<m1>{_MONTH})\s*(?:[-–]|to)\s*(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)", "months"),
        (rf"\bthree\s+months\s+(?:to|ending|ended)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)", "months3"),
        (rf"\b(?:12|twelve)\s+months\s+(?:to|ending|ended)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)", "rolling"),
        (r"\b(?:last|past|previous|preceding)\s+(?:12|twelve)\s+months\b|\byear\s+end(?:ing|ed)\b|\brolling\s+year\b|\b(?:over|in|during|across)\s+the\s+(?:last|past|previous)\s+year\b", "rolling"),
        (r"\b(?:year\s+to\s+date|so\s+far\s+this\s+(?:year|financial\s+year)|financial\s+year\s+to\s+date|since\s+(?:the\s+start\s+of\s+)?(?:April|the\s+(?:financial|policing)\s+year))\b|\bto\s+date\b|\bsince\s+(?:launch|it\s+(?:began|launched|started)|the\s+(?:launch|start))\b", "since"),
        (rf"\bsince\s+(?:(?:19|20)\d\d|{_MONTH}|the\s+\w+|its\s+\w+|launch|inception)", "since"),
        (r"\b(?:this|the\s+current)\s+(?:financial\s+|policing\s+|calendar\s+)?year\b|\b(?:annual|yearly)\s+total\b", "year"),
        (rf"\b(?:in|during)\s+(?P<m>{_MONTH})(?:\s+(?P<y>(?:19|20)\d\d))?(?!\s*[-–]|\s+to\b)", "month"),
        (rf"\b(?:in|during|for|over)\s+(?:the\s+)?(?:financial\s+year\s+|year\s+)?(?P<fy>{_FY})(?!\s*Q)", "fy"),
        (r"\b(?:previous|preceding|prior|last)\s+quarter\b|\bquarter\s+before\b", "prev_q"),
        (r"\b(?:in|during|over|throughout|within)\s+(?:the\s+)?(?:(?:last|latest|past|most\s+recent|current|reporting)\s+)?quarter\b|\bthis\s+(?:reporting\s+)?(?:quarter|period)\b|\bthe\s+quarter\b|\b(?:last|past|latest)\s+three\s+months\b|\breporting\s+period\b|\bover\s+this\s+time\b", "this_q"),
        (r"\b(?:during|in|for|over|throughout|within)\s+Q(?P<q>[1-4])\b", "doc_q"),
        (r"\bcurrently\b|\bat\s+present\b|\bpresently\b|\bas\s+it\s+stands\b|\bnow\b|\bat\s+the\s+time\s+of\s+(?:this\s+|the\s+)?report(?:ing)?\b|\bto\s+this\s+day\b", "now"),
        (r"\blast\s+year\b|\ba\s+year\s+(?:ago|earlier|before)\b|\btwelve\s+months\s+(?:ago|earlier)\b|\b12\s+months\s+(?:ago|earlier)\b", "last_year"),
    )
)  # fmt: skip

_COMPARISON_LEAD = re.compile(
    r"\b(?:down|up|higher|lower|more|less|fewer|increase|decrease|rise|fall|reduction|"
    r"similar|compared|comparison|than|against|versus|on|from)\s+"
    r"(?:(?:to|with|on|in|during|for|over|the|that|of|levels?|figures?|seen)\s+){0,3}$",
    re.I,
)


def find_periods(sentence: str, quarter: Quarter, data_to: dt.date | None = None) -> list[Period]:
    """Every period cue of ``sentence``, in order, overlaps removed (first pattern wins)."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _CUES:
        for match in pattern.finditer(sentence):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            period = _cue(kind, match, quarter, data_to)
            if period is None:
                continue
            lead = sentence[max(0, span[0] - 40) : span[0]]
            comparison = bool(_COMPARISON_LEAD.search(lead)) and kind in (
                "prev_q", "last_year", "fy_same", "named_q", "date", "fy", "months", "this_q",
            )  # fmt: skip
            last = re.match(r"last\s+quarter", match.group(0), re.I)
            if kind == "prev_q" and last and not comparison:
                period = Period("quarter", 0, match.group(0))  # "in the last quarter"
            found.append(replace(period, start=span[0], end=span[1], comparison=comparison))
            taken.append(span)
    return sorted(found, key=lambda p: p.start)


def _months_from(day: dt.date, data_to: dt.date) -> int:
    return (day.year - data_to.year) * 12 + day.month - data_to.month


def _month_offset(day: dt.date, quarter: Quarter, data_to: dt.date | None) -> int:
    """The quarter a month falls in: counted in threes back from the "Data to" month when
    the document has one, else by the policing year's quarters."""
    if data_to is not None:
        return (_months_from(day, data_to) + 2) // 3  # May, April, March 2018 -> 0
    return _quarter_offset(quarter_of_date(day), quarter)


def _year_of(month: int, quarter: Quarter, data_to: dt.date | None) -> int:
    """The year of a month named without one ("at the end of September"): the document's own,
    the latest such month by its "Data to" month (else by its quarter's last month), so that
    "the end of September" in a report with data to September 2020 is 30 September 2020."""
    last = data_to or quarter.end_date
    return last.year if month <= last.month else last.year - 1


def _cue(kind: str, match: re.Match, quarter: Quarter, data_to: dt.date | None = None):
    text = match.group(0)
    groups = match.groupdict()
    if kind == "fy_same":
        return Period("quarter", (_fy_start(groups["fy"]) - quarter.start_year) * 4, text)
    if kind == "named_q":
        number = int(groups.get("q1") or groups["q2"])
        target = Quarter(_fy_start(groups["fy"]), number)
        return Period("quarter", _quarter_offset(target, quarter), text)
    if kind == "last_year":
        return Period("quarter", -4, text)
    if kind == "date":
        month = _month_number(groups["m"])
        year = int(groups["y"]) if groups.get("y") else _year_of(month, quarter, data_to)
        return Period("point", _month_offset(dt.date(year, month, 1), quarter, data_to), text)
    if kind in ("months", "months3"):
        last = dt.date(int(groups["y"]), _month_number(groups["m"]), 1)
        if kind == "months":
            span = (last.month - _month_number(groups["m1"])) % 12 + 1
            if span != 3:
                return Period("month", None, text)
        if data_to is not None and _months_from(last, data_to) % 3 == 0:
            return Period("quarter", _months_from(last, data_to) // 3, text)
        target = quarter_of_date(last)
        if target.end_date.month != last.month:
            return Period("month", None, text)
        return Period("quarter", _quarter_offset(target, quarter), text)
    if kind == "rolling":
        return Period("rolling", None, text)
    if kind == "since":
        return Period("since", None, text)
    if kind == "month":  # a moment for a snapshot ("compared to 420 in May 2017"), never a count
        if not groups.get("y"):
            return Period("month", None, text)
        day = dt.date(int(groups["y"]), _month_number(groups["m"]), 1)
        return Period("month", _month_offset(day, quarter, data_to), text)
    if kind in ("fy", "year"):
        return Period("year", None, text)
    if kind == "prev_q":
        return Period("quarter", -1, text)
    if kind == "this_q":
        return Period("quarter", 0, text)
    if kind == "doc_q":
        number = int(groups["q"])
        offset = (
            number - quarter.number if number <= quarter.number else number - quarter.number - 4
        )
        return Period("quarter", offset, text)
    if kind == "now":
        return Period("point", 0, text)
    return None


def _attach_periods(sentence: str, facts: list[Fact], cues: list[Period]) -> list[Fact]:
    """Give each fact the cue in its own segment, else the sentence's leading cue."""
    if not facts:
        return facts
    own: dict[int, Period] = {}
    leading: Period | None = None
    for cue in cues:
        holder = None
        for i in range(len(facts) - 1, -1, -1):
            if facts[i].end <= cue.start:
                holder = i
                break
        if holder is None:
            if leading is None and not cue.comparison:
                leading = cue
            elif cue.comparison and cue.start < facts[0].start:
                continue
            # a cue between the start and the first fact that follows comparison words
            # ("Compared with last year, ...") is not the sentence's period
            continue
        fact = facts[holder]
        if cue.comparison and fact.role == "level":
            # "down on the previous quarter": the period of an unstated comparison value,
            # unless the level itself has no cue yet and the words are "compared to 72,401"
            continue
        if holder in own:
            if own[holder].kind == "point" and own[holder].phrase.lower() in ("now", "currently"):
                own[holder] = cue
            continue
        gap = sentence[fact.end : cue.start]
        if re.search(r"[;]", gap):
            continue
        own[holder] = cue
    for cue in cues:
        for i, fact in enumerate(facts):
            gap = sentence[cue.end : fact.start]
            if i not in own and re.fullmatch(r"\s*\(\s*", gap):
                own[i] = cue  # "... on the end of May 2017 (475)"
                if cue.comparison and fact.role == "level":
                    facts[i] = replace(fact, role="comparator", anchor=_previous_level(facts, i))
    out = []
    for i, fact in enumerate(facts):
        if i in own:
            out.append(replace(fact, period=own[i], own_period=True))
        elif fact.role in ("level", "projection", "bound") and leading is not None:
            out.append(replace(fact, period=leading))
        elif fact.role == "level" and (shared := _clause_cue(sentence, facts, own, i)):
            out.append(replace(fact, period=shared))
        else:
            out.append(fact)
    return out


def _previous_level(facts: list[Fact], index: int) -> int | None:
    return next((j for j in range(index - 1, -1, -1) if facts[j].role == "level"), None)


def _clause_cue(sentence: str, facts: list[Fact], own: dict[int, Period], index: int):
    """ "75 Specials provided 861 hours over the quarter": the clause's cue, carried by a
    later value of the same clause, is this value's too (never an earlier value's: what
    follows a cue may be compared with it)."""
    for j in sorted(k for k in own if k > index):
        if facts[j].role != "level" or own[j].comparison:
            return None
        between = sentence[facts[index].end : own[j].start]
        if re.search(r"[;(]", between) or any(
            facts[index].end <= f.start < own[j].start and f.role != "level" for f in facts
        ):
            return None
        return own[j]
    return None
