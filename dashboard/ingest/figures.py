"""A document's narrative -> figures on catalogue metrics and periods, and facts left for review.

For each sentence: stage 1 finds the facts (facts.py); this module works out the words that
belong to each fact (its own noun phrase, its clause, what it refers back to, the bullet and
heading around it), asks stage 2 (matcher.py) which metric they name, and places the value in
time on the metric's basis. When any step is unsure the fact goes to review with the reason:
a value is never put on a metric or period that the text does not support.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dashboard.data.periods import Quarter, quarter_of_date

from .facts import MONTHS, Fact, Period, find_facts
from .matcher import (
    CLAUSE,
    IN_BULLET,
    IN_CLAUSE,
    IN_SENTENCE,
    INHERITED,
    NP,
    SHARED,
    Bag,
    Catalogue,
    decide,
    token_stems,
)
from .matcher import candidates as find_candidates
from .terms import STOP_WORDS, Token, phrase, tokens, word_set
from .text import sentences, split_bullets

#: Words that end a figure's noun phrase: verbs, auxiliaries, prepositions, relatives.
_NP_STOP = word_set(
    """is are was were be been being has have had will would can could may might shall should
    do does did remain remains remained continue continues continued stand stands stood fell
    rose grew made took saw gave held met went came got kept ran won left in at on during
    over since between compared than from to for with across against by within under into
    per via through after before who which that whose where while whilst as including like
    because if when whereas against versus so but its"""
)
#: A number right after one of these is in a prepositional phrase: its measure is its own.
_PREP_ONLY = word_set(
    """for with across among between against including within over under per than"""
)
_OPERATION = re.compile(r"\bOp(?:eration|\.)s?\s+[A-Z][A-Z0-9]{2,}\b")
_CASE_BULLET = re.compile(r"^\s*Op(?:eration|\.)\s+[A-Z][A-Z0-9]{2,}[^:.]{0,60}:")
_OPERATION_FIRST = re.compile(r"^\s*Op(?:eration|\.)\s+[A-Z][A-Z0-9]{2,}\b")
_FORCE_WIDE = re.compile(
    r"\b(?:across (?:Essex|the county|the force)|force[- ]wide|county[- ]wide|launched|introduced)\b",
    re.I,
)
_CONTINUES = re.compile(r"^(?:A further|Further|In addition|Additionally|Also)\b", re.I)
#: Period words are never what a figure counts ("82,344 this quarter").
_PERIOD_WORDS = word_set(
    """quarter year month period week day time last previous same earlier ago end march"""
)
#: Verbs that only say "the value is" ("now stands at 598").
_LEVEL_VERBS = frozenset({"stand", "now", "reach", "total", "is", "are", "was", "were", "cam"})
#: Nouns that say nothing about what is counted ("231 people applied to join ...").
_GENERIC = frozenset({"person", "individual", "number", "total", "figur", "case"})
_TO_LEVEL = re.compile(
    r"\b(?:fell|rose|grew|increased|decreased|dropped|declined|reached|climbed|went\s+up|"
    r"went\s+down)\s+to\b|\bhas\s+(?:fallen|risen|grown|reached|increased|decreased)\b",
    re.I,
)
_PRESENT = re.compile(
    r"\b(?:is|are|has|have|remains?|continues?|stands?|retains?|holds?|totals?|numbers?|waiting|"
    r"awaiting|"
    r"there\s+are|currently|now)\b",
    re.I,
)
_LAUNCH = re.compile(
    rf"(?P<subject>[A-Z][^.;:]{{2,80}}?)\s+(?:went live|(?:was|were|has been|have been)\s+"
    rf"(?:launched|introduced|implemented)|came into (?:force|effect)|commenced|began|started)"
    rf"\s+(?:in|on|from)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?P<m>{MONTHS})\.?(?:\s+(?P<y>\d{{4}}))?"
)


@dataclass
class Item:
    """One narrative item as the figure reader needs it."""

    item_id: str
    text: str
    area_id: str
    context: list[str] = field(default_factory=list)  # the headings it sits under
    previous: Item | None = None  # the item before it under the same heading


@dataclass
class Found:
    item: Item
    sentence: str
    fact: Fact
    metric_id: str
    basis: str
    offset: int
    note: str
    explanation: str


@dataclass
class Left:
    item: Item
    sentence: str
    fact: Fact
    reason: str
    suggested_metric: str = ""
    suggested_offset: int | None = None


@dataclass
class _Span:
    """A fact's words: token index ranges in the sentence."""

    fact: Fact
    first: int  # first token of the number
    last: int  # one past the last token of the number
    np_end: int = 0
    left: list[int] = field(default_factory=list)
    right: list[int] = field(default_factory=list)
    paired: bool = False  # "93% (3,900)": a share and its count, sharing their words


def read_figures(
    items: list[Item], quarter: Quarter, catalogue: Catalogue, data_to: dt.date | None = None
) -> tuple[list[Found], list[Left]]:
    """``data_to``: for documents whose quarter is the three months to their "Data to" month
    (the June 2018 update has data to May 2018)."""
    items = [part for item in items for part in _bullets_of(item)]
    events = _launch_events(items, quarter)
    found: list[Found] = []
    left: list[Left] = []
    cues: dict[str, Period | None] = {}
    for item in items:
        reader = _ItemReader(item, quarter, catalogue, events, cues, data_to)
        f, l_ = reader.read()
        found += f
        left += l_
    return found, left


def _bullets_of(item: Item) -> list[Item]:
    """An item whose text runs the next bullet into the same line, read as one item per
    bullet (same id, area and headings), so that one bullet's named operation is not taken
    for the other's."""
    parts = split_bullets(item.text)
    if len(parts) == 1:
        return [item]
    out: list[Item] = []
    previous = item.previous
    for part in parts:
        out.append(Item(item.item_id, part, item.area_id, list(item.context), previous))
        previous = out[-1]
    return out


class _ItemReader:
    def __init__(self, item, quarter, catalogue, events, cues, data_to=None) -> None:
        self.item = item
        self.data_to = data_to
        self.quarter = quarter
        self.catalogue = catalogue
        self.events = events
        self.cues = cues  # item_id -> the item's last quarter cue (for "A further ...")
        self.bullet = Bag()
        for text in item.context:
            self.bullet.add(self._stems(tokens(text)), IN_BULLET)
        first = (sentences(item.text) or [""])[0]
        self.case = bool(_CASE_BULLET.match(item.text)) or bool(
            _OPERATION_FIRST.match(first) and not _FORCE_WIDE.search(first)
        )
        self.names_operation = bool(_OPERATION.search(item.text))
        self.span_cue: Period | None = None  # the latest quarter cue stated in the item
        self.point_cue: Period | None = None
        self.last_level: tuple[Bag, Fact] | None = None

    def _stems(self, toks: list[Token]) -> list[str]:
        return token_stems(toks, self.catalogue.acronyms)

    def read(self) -> tuple[list[Found], list[Left]]:
        found: list[Found] = []
        left: list[Left] = []
        for sentence in sentences(self.item.text):
            f, l_ = self._sentence(sentence)
            found += f
            left += l_
            self.bullet.add(self._stems(tokens(sentence)), IN_BULLET)
        self.cues[self.item.item_id] = self.span_cue
        return found, left

    # -- one sentence -------------------------------------------------------------------------
    def _sentence(self, sentence: str):
        facts = find_facts(sentence, self.quarter, self.data_to)
        for fact in facts:  # cues stated in the sentence carry to its later sentences
            if fact.period and not fact.period.comparison and fact.role == "level":
                if fact.period.kind == "quarter" and fact.period.offset == 0:
                    self.span_cue = fact.period
                elif fact.period.kind == "point" and fact.period.offset == 0:
                    self.point_cue = fact.period
        if not facts:
            return [], []
        toks = tokens(sentence)
        self._toks = toks
        spans = self._spans(sentence, toks, facts)
        sentence_bag = Bag()
        sentence_bag.add(self._stems(toks), IN_SENTENCE)
        case = (
            self.case
            or bool(_OPERATION.search(sentence))
            or (self.names_operation and re.search(r"\b(?:the|this) operation\b", sentence, re.I))
        )
        found: list[Found] = []
        left: list[Left] = []
        bags: list[Bag] = []
        for index in range(len(spans)):
            bags.append(self._measure_bag(toks, spans, index))
        for index, span in enumerate(spans):
            fact = span.fact
            measure = bags[index]
            inherited = self._inherited(fact, index, spans, bags)
            if inherited is not None:
                measure.add(inherited[0].levels.keys(), INHERITED)
            unit = fact.unit
            has_own = any(lv == NP for lv in measure.levels.values())
            if (
                unit == "count"
                and not has_own
                and measure.levels.get("hour") == CLAUSE
                and fact.role == "level"
                and not fact.raw[:1].isalpha()
            ):
                unit = "hours"  # "Hours of high visibility policing ... came to 16,878"
            if (
                inherited is not None
                and unit == "count"
                and inherited[1].unit == "hours"
                and not has_own
            ):
                unit = "hours"  # "of which 38,000 were operational"
            if fact.role == "level":
                self.last_level = (measure, fact)
            if case:
                left.append(
                    self._left(
                        sentence, fact, "details of a named operation, not a force-wide measure"
                    )
                )
                continue
            if fact.role in ("change", "bound", "projection", "average"):
                what = {
                    "change": "a change between two values, not a value",
                    "bound": f"a bound ('{fact.comparison}'), not a value",
                    "projection": "a projection or target, not a value",
                    "average": "an average or rate, not a count",
                }[fact.role]
                left.append(self._left(sentence, fact, what))
                continue
            topic = Bag(dict(self.bullet.levels))
            topic.add(sentence_bag.levels.keys(), IN_SENTENCE)
            topic.add(measure.levels.keys(), IN_CLAUSE)
            near = {s for s, lv in measure.levels.items() if lv <= CLAUSE}
            own = {st for st, lv in measure.levels.items() if lv == NP} - _PERIOD_WORDS - _GENERIC
            after_noun = set(self._stems([toks[i] for i in span.right[:2]]))
            decision = decide(
                find_candidates(self.catalogue, unit, measure, topic, near, own, after_noun)
            )
            if decision.metric_id is None:
                suggestion = decision.candidates[0].metric_id if decision.candidates else ""
                left.append(self._left(sentence, fact, decision.reason, suggestion))
                continue
            metric = self.catalogue.metrics[decision.metric_id]
            offset, note, problem = self._period(sentence, fact, metric, spans, index)
            if problem:
                left.append(self._left(sentence, fact, problem, metric.metric_id, offset))
                continue
            notes = [n for n in (note, *fact.notes) if n and n != "count beside a share"]
            if fact.approx:
                notes.append(f"approximately: written {fact.raw!r} with a qualifier")
            if fact.raw[:1].isalpha():
                notes.append(f"written {fact.raw!r}")
            found.append(
                Found(self.item, sentence, fact, metric.metric_id, metric.basis, offset,
                      "; ".join(notes), decision.reason)
            )  # fmt: skip
        return found, left

    def _left(self, sentence, fact, reason, metric="", offset=None) -> Left:
        return Left(self.item, sentence, fact, reason, metric, offset)

    # -- words of each fact ---------------------------------------------------------------------
    def _spans(self, sentence: str, toks: list[Token], facts: list[Fact]) -> list[_Span]:
        spans: list[_Span] = []
        for fact in facts:
            first = next(i for i, t in enumerate(toks) if t.end > fact.start)
            last = next((i for i, t in enumerate(toks) if t.start >= fact.end), len(toks))
            spans.append(_Span(fact, first, last))
        fact_tokens = {i for s in spans for i in range(s.first, s.last)}
        groups = _paren_groups(toks)
        transparent = {
            i for a, b in groups if not any(a < j < b for j in fact_tokens) for i in range(a, b + 1)
        }
        for span in spans:
            span.np_end = _noun_phrase_end(toks, span.last, fact_tokens, groups, transparent)
        for n, span in enumerate(spans):
            prev_end = spans[n - 1].np_end if n else 0
            next_start = spans[n + 1].first if n + 1 < len(spans) else len(toks)
            i = span.first - 1
            if toks[i].text == "£" if i >= 0 else False:
                i -= 1
            prep_only = i >= 0 and toks[i].text.lower() in _PREP_ONLY
            if i >= 0 and toks[i].text == ":":
                i -= 1  # "Warrants executed by SOCU this quarter: 16": the label is its words
            while i >= prev_end and not prep_only:
                if i in transparent:
                    span.left.insert(0, i)
                    i -= 1
                    continue
                if toks[i].text in ",;:()":
                    break
                span.left.insert(0, i)
                i -= 1
            j = span.np_end
            if (
                n + 1 < len(spans)
                and j < len(toks)
                and toks[j].text == "("
                and spans[n + 1].first == j + 1
                and spans[n + 1].last < len(toks)
                and toks[spans[n + 1].last].text == ")"
            ):
                # "93% (3,900) were retained": the words after the bracket are both figures'
                j = spans[n + 1].last + 1
                next_start = spans[n + 2].first if n + 2 < len(spans) else len(toks)
                span.paired = True
            elif n and spans[n - 1].paired and j < len(toks) and toks[j].text == ")":
                j += 1
            while j < next_start:
                if j in transparent:
                    span.right.append(j)
                    j += 1
                    continue
                if toks[j].text in ",;:()":
                    break
                span.right.append(j)
                j += 1
        return spans

    def _measure_bag(self, toks: list[Token], spans: list[_Span], index: int) -> Bag:
        span = spans[index]
        bag = Bag()
        bag.add(self._stems(toks[span.last : span.np_end]), NP)
        shared = set(spans[index - 1].right) if index else set()
        bag.add(self._stems([toks[i] for i in span.left if i not in shared]), CLAUSE)
        bag.add(self._stems([toks[i] for i in span.right]), CLAUSE)
        bag.add(self._stems([toks[i] for i in span.left if i in shared]), SHARED)
        return bag

    def _inherited(self, fact: Fact, index: int, spans: list[_Span], bags: list[Bag]):
        """The figure this one refers back to: "of which", "(11.2% ...)", a comparator's value."""
        ref = None
        if fact.paren_of is not None:
            ref = fact.paren_of
        elif fact.role in ("comparator", "change") and fact.anchor is not None:
            ref = fact.anchor
        elif fact.of_which:
            ref = next((j for j in range(index - 1, -1, -1) if spans[j].fact.role == "level"), None)
            if ref is None and self.last_level is not None:
                return self.last_level
        if ref is None:
            for j in range(index):  # "from 514 ... to 507": the words before A are B's too
                if spans[j].fact.anchor == index and spans[j].fact.role == "comparator":
                    bags[index].add((s for s, lv in bags[j].levels.items() if lv <= SHARED), CLAUSE)
            content = {s for s in bags[index].levels if s not in _PERIOD_WORDS | _LEVEL_VERBS}
            if not content and fact.role == "level":
                # "170 KSI casualties last year, and 168 in the last quarter": the same thing
                ref = next(
                    (j for j in range(index - 1, -1, -1)
                     if spans[j].fact.role == "level" and spans[j].fact.unit == fact.unit),
                    None,
                )  # fmt: skip
                if ref is None and index:
                    # "The Special Constabulary has grown by 122 officers and now stands at
                    # 598": the sentence's subject is this value's too
                    bags[index].add(self._stems([self._toks[i] for i in spans[0].left]), SHARED)
        if ref is None or ref == index:
            return None
        return bags[ref], spans[ref].fact

    # -- period -------------------------------------------------------------------------------------
    def _period(self, sentence, fact: Fact, metric, spans, index):
        """(offset, note, problem): the value's quarter, from the text only."""
        basis = metric.basis
        if basis not in ("quarter_count", "quarter_end"):
            return (
                None,
                "",
                f"{metric.metric_id} is a {basis} series: not read from a quarter's text",
            )
        cue = fact.period
        if fact.role == "comparator":
            if cue is None or not fact.own_period:
                cue = self._from_to(sentence, fact, spans)
                if cue is None:
                    return None, "", "the period of the compared value is not stated"
            anchor = spans[fact.anchor].fact if fact.anchor is not None else None
            if anchor is not None and anchor.period and anchor.period.offset == cue.offset:
                return None, "", "the compared value has the same period as the value"
        if cue is None and fact.of_which and self.last_level is not None:
            cue = self.last_level[1].period
        if cue is not None and cue.kind in ("quarter", "point"):
            if cue.offset is None:
                return None, "", f"the period '{cue.phrase}' is not a quarter"
            if basis == "quarter_count" and cue.kind == "point":
                alt = self.span_cue
                if alt is None:
                    return (
                        None,
                        "",
                        (f"a count over a period, but the text gives a moment ('{cue.phrase}')"),
                    )
                cue = alt
            return cue.offset, _period_note(cue, self.quarter), ""
        if (
            cue is not None
            and cue.kind == "rolling"
            and basis == "quarter_end"
            and fact.role == "level"
            and any(s.fact.anchor == index and s.fact.role == "comparator" for s in spans)
            and re.search(
                r"\b(?:over|in|during|across)\s+the\s+(?:last|past)\s+year\b", cue.phrase, re.I
            )
        ):
            return 0, "the level reached by a change over the year: at the time of the report", ""
        if cue is not None and cue.kind == "month" and cue.offset is not None:
            if basis == "quarter_end":
                return cue.offset, f"at '{cue.phrase}'", ""
            return None, "", f"a count in one month ('{cue.phrase}'), not the quarter's"
        if cue is not None:
            what = {"year": "a year", "since": "a running total", "rolling": "12 months",
                    "month": "a month"}.get(cue.kind, cue.kind)  # fmt: skip
            return None, "", f"the period '{cue.phrase}' is not a quarter ({what})"
        # nothing in the sentence: what the bullet, its tense or its context states
        if basis == "quarter_end":
            clause = sentence
            if _PRESENT.search(clause):
                return 0, "stated in the present tense: at the time of the report", ""
            if _TO_LEVEL.search(clause) and fact.role == "level":
                return 0, "the level it changed to: at the time of the report", ""
            if self.point_cue is not None or self.span_cue is not None:
                return 0, "", ""
            return None, "", "period not stated (no quarter, date or present tense)"
        if self.span_cue is not None:
            return 0, f"period from the bullet ('{self.span_cue.phrase}')", ""
        if _CONTINUES.match(sentence) and self.item.previous is not None:
            previous = self.cues.get(self.item.previous.item_id)
            if previous is not None:
                lead = " ".join(sentence.split()[:2])
                note = f"'{lead} ...' continues the previous bullet ('{previous.phrase}')"
                return previous.offset, note, ""
        for event_stems, month, text in self.events:
            if any(topic <= event_stems for topic in metric.topics):
                return 0, f"since {text} ({month:%B %Y}), within the quarter", ""
        return None, "", "period not stated: the text does not say which period the count covers"

    def _from_to(self, sentence: str, fact: Fact, spans) -> Period | None:
        """ "rose from 480 to 530 over the year": the earlier value of a change over a stated span."""
        if fact.anchor is None:
            return None
        later = spans[fact.anchor].fact
        base = later.period.offset if later.period and later.period.offset is not None else 0
        if re.search(
            r"\b(?:over|in|during)\s+the\s+(?:last|past)\s+(?:year|12\s+months|twelve\s+months)\b|"
            r"\bsince\s+(?:this\s+time\s+)?last\s+year\b|\byear[- ]on[- ]year\b",
            sentence,
            re.I,
        ):
            return Period("quarter", base - 4, "a year earlier (change over the year)")
        if re.search(
            r"\b(?:during|over|in)\s+the\s+quarter\b|\bquarter[- ]on[- ]quarter\b|"
            r"\bsince\s+the\s+(?:last|previous)\s+quarter\b",
            sentence,
            re.I,
        ):
            return Period("quarter", base - 1, "the previous quarter (change over the quarter)")
        return None


def _period_note(cue: Period, quarter: Quarter) -> str:
    if cue.offset == 0 and cue.phrase.lower() in ("currently", "now", "at present"):
        return f"'{cue.phrase}': at the time of the report, treated as the quarter's end"
    if cue.offset == -4 and cue.kind == "quarter":
        return f"same quarter a year earlier ('{cue.phrase}')"
    if cue.kind == "point" and cue.offset not in (0, None) or cue.offset not in (0, -4, None):
        return f"'{cue.phrase}'"
    return ""


def _paren_groups(toks: list[Token]) -> list[tuple[int, int]]:
    groups, stack = [], []
    for i, tok in enumerate(toks):
        if tok.text == "(":
            stack.append(i)
        elif tok.text == ")" and stack:
            groups.append((stack.pop(), i))
    return groups


def _noun_phrase_end(toks, start, fact_tokens, groups, transparent) -> int:
    """Index one past the noun phrase that follows a number ("emergency calls (999)")."""
    i = start
    words = 0
    previous = ""
    while i < len(toks) and words < 8:
        tok = toks[i]
        text = tok.text
        low = text.lower()
        if i in fact_tokens:
            break
        if text == "(":
            close = next((b for a, b in groups if a == i), None)
            if close is not None and i in transparent and close - i <= 8:
                i = close + 1
                continue
            break
        if text in ("/", "'", "’", "&"):
            i += 1
            continue
        if not tok.is_word:
            if text.isdigit():
                i += 1
                continue
            break
        if low in _NP_STOP or low in ("the", "a", "an", "this", "that", "these", "those"):
            break
        if low in ("and", "or", "of"):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is None or not nxt.is_word or (i + 1) in fact_tokens:
                break
            if low == "of" and nxt.text.lower() in ("which", "these", "them", "those"):
                break
            i += 1
            previous = low
            continue
        if (
            words
            and re.search(r"(?:ed|ing)$", low)
            and len(low) > 4
            and not previous.endswith("ly")
            and previous not in ("and", "or", "of")
            and not (text[0].isupper() and toks[i - 1].text[:1].isupper())  # a proper name
        ):
            break
        words += low not in STOP_WORDS
        previous = low
        i += 1
    return i


def _launch_events(items: list[Item], quarter: Quarter) -> list[tuple[frozenset, dt.date, str]]:
    """ "Stalking Protection Orders went live in January 2020" (inside the document's quarter):
    a count of them with no period stated is a count since then, so within the quarter."""
    events = []
    for item in items:
        for match in _LAUNCH.finditer(item.text):
            year = int(match["y"]) if match["y"] else quarter.end_date.year
            month = dt.datetime.strptime(match["m"][:3].title(), "%b").month
            day = dt.date(year, month, 1)
            if quarter_of_date(day) != quarter:
                continue
            subject = re.sub(r"^(?:The|These|This|A|An)\s+", "", match["subject"].strip())
            events.append((phrase(subject), day, subject))
    return events
