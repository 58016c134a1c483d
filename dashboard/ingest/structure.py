"""Paragraphs -> title block, priorities, objectives and narrative items, noise removed.

The rules are the series' layout, not one document's wording: a title block before the
contents; running headers ("<plan> – Quarterly Update ..."), page numbers and protective
markings on every page; a "Priority N – Title" heading, a preamble ending "we will:" and the
objective, repeated at the top of each continuation page; then bullets, sub-bullets indented
under an LPA or district heading, and the odd unbulleted heading ("The Force Control Room
(FCR):") or introduction. The quarter comes from the title block only: running headers are
known to name the wrong quarter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.data.periods import PeriodError, Quarter, parse_quarter, quarter_of_date

from .errors import IngestError
from .extract import Para
from .text import key, squash

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (dt.date(2000, number, 1).strftime("%B"), dt.date(2000, number, 1).strftime("%b"))
}
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"

_PRIORITY = re.compile(r"^Priority\s+(?P<n>[1-9])\b\s*[-–—:.]?\s*(?P<title>.*)$", re.I)
_PAGE_REF = re.compile(r"(?:\t|\s|\.{2,}|…)\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?$")
_PREAMBLE = re.compile(r"\bwe will\s*:?\s*$", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.I)
_MARKING = re.compile(
    r"^\[?\s*(?:official|official[\s-]+sensitive|not protectively marked)\s*\]?$", re.I
)
_RUNNING_HEADER = re.compile(
    r"^(?:\[official\]\s*)?.{0,60}\bPlan\b.{0,40}\bquarterly update\b.{0,60}$", re.I
)
_QUARTER_TEXT = re.compile(
    r"(Quarter\s*[1-4]\s*[-–—,]?\s*\d{4}\s*/\s*\d{2,4}|\d{4}\s*/\s*\d{2,4}\s*[-–]?\s*Q[1-4]"
    r"|Q[1-4]\s*[-–,]?\s*\d{4}\s*/\s*\d{2,4})",
    re.I,
)


@dataclass
class TitleBlock:
    plan: str
    quarter: Quarter
    quarter_text: str
    data_to: str | None  # YYYY-MM
    data_to_text: str | None
    version: str | None
    published: str | None  # YYYY-MM, from "Produced <Month YYYY>"
    producer: str | None


@dataclass
class Objective:
    priority: int
    preamble: str
    text: str


@dataclass
class Item:
    """A narrative item before ids and areas are assigned."""

    priority: int
    objective: int | None  # index into Document.objectives
    level: int
    kind: str  # bullet | heading | intro
    text: str
    bulleted: bool
    page: int
    parent: int | None = None  # index into Document.items


@dataclass
class Document:
    path: Path
    title: TitleBlock
    priorities: dict[int, str]
    objectives: list[Objective]
    items: list[Item]
    contents: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # priorities listed but absent (--partial)


def parse(path: Path, paras: list[Para], *, partial: bool = False) -> Document:
    start = _title_end(paras)
    title = parse_title(path, [p.text for p in paras[:start]])
    body = [p for p in paras[start:] if not _noise(p)]
    contents, body = _strip_contents(body)
    document = Document(path, title, {}, [], [], contents)
    _read_body(document, body)
    if not document.items:
        raise IngestError(
            path,
            "no priority sections with bullets found; expected 'Priority N – ...' headings, "
            "a 'We will:' objective and bullet points",
        )
    found = set(document.priorities)
    missing = [n for n in contents if n not in found]
    if missing and max(found) < max(missing):
        listed = f"{missing[0]}{'–' + str(missing[-1]) if len(missing) > 1 else ''}"
        if not partial:
            raise IngestError(
                path,
                f"the document looks truncated: its contents list Priority {listed} but the "
                f"text ends in Priority {max(found)} (use --partial to take what is there)",
            )
        document.missing = missing
        document.warnings.append(
            f"partial: the contents list Priority {listed} but the text ends in Priority "
            f"{max(found)}; only what is there was read and the source is marked partial"
        )
    return document


def _title_end(paras: list[Para]) -> int:
    """The title block ends at the contents, the first priority, or (once its "Data to",
    "Version" or "Produced" line is passed) the first running header."""
    seen_details = False
    for index, para in enumerate(paras):
        text = para.text.strip()
        if index and (text.lower() == "contents" or _PRIORITY.match(text)):
            return index
        if seen_details and _is_running_header(text, index):
            return index
        seen_details = seen_details or bool(re.search(r"\b(Data to|Version|Produced)\b", text))
    return len(paras)


def _is_running_header(text: str, index: int) -> bool:
    return index > 0 and bool(_RUNNING_HEADER.match(text)) and len(text) < 160


def parse_title(path: Path, lines: list[str]) -> TitleBlock:
    """Read plan, quarter, "Data to" month, version, publication month and producer."""
    joined = "\n".join(squash(line) for line in lines)
    if not re.search(r"quarterly\s+update", joined, re.I):
        raise IngestError(
            path,
            "not a quarterly update: expected a title block naming a 'Quarterly Update' "
            "(plan, quarter, 'Data to' month, version, 'Produced' month)",
        )
    plan_match = re.search(r"([A-Z][\w,' ]*?\bPlan\b\s*\d{4}\s*[-–]\s*\d{2,4})", joined)
    plan = squash(plan_match[1]) if plan_match else squash(lines[0])
    data_to = _month(joined, r"Data\s+to\s+")
    published = _month(joined, r"Produced\s+")
    version = re.search(r"Version\s+(?P<v>\d+(?:\.\d+)*)", joined, re.I)
    producer = None
    produced = re.search(rf"Produced\s+{_MONTH}\s+\d{{4}}\.?[ \t]*(?P<rest>[^\n]*)", joined, re.I)
    if produced:
        producer = produced["rest"].strip(" .,") or None
        if producer is None:
            after = joined[produced.end() :].strip().split("\n")
            producer = after[0].strip(" .") if after and after[0].strip() else None
    # A word processor may print the running header on the title page too: it can name the
    # wrong quarter, so the title's own lines are read first.
    own = "\n".join(squash(line) for line in lines if not _is_running_header(squash(line), 1))
    try:
        quarter, quarter_text = _title_quarter(path, own, data_to)
    except IngestError:
        quarter, quarter_text = _title_quarter(path, joined, data_to)
    return TitleBlock(
        plan=plan,
        quarter=quarter,
        quarter_text=quarter_text,
        data_to=data_to[0] if data_to else None,
        data_to_text=data_to[1] if data_to else None,
        version=version["v"] if version else None,
        published=published[0] if published else None,
        producer=producer,
    )


def _month(text: str, prefix: str) -> tuple[str, str] | None:
    match = re.search(rf"{prefix}{_MONTH}\s+(?P<year>\d{{4}})", text, re.I)
    if not match:
        return None
    month = MONTHS[
        match["month"].lower()[:3]
        if match["month"].lower().startswith("sep")
        else match["month"].lower()
    ]
    return f"{match['year']}-{month:02d}", squash(
        match[0].split(None, 2)[-1] if prefix.startswith("Data") else match[0]
    )


def _title_quarter(path: Path, joined: str, data_to) -> tuple[Quarter, str]:
    for match in _QUARTER_TEXT.finditer(joined):
        try:
            return parse_quarter(squash(match[1])), squash(match[1])
        except PeriodError:
            continue
    # Older issues name a month instead: "Quarterly Update June 2018" (data to May 2018).
    named = re.search(rf"Quarterly\s+Update\b[^\n]*?\b{_MONTH}\s+(?P<year>\d{{4}})", joined, re.I)
    if named and not re.search(r"(Data\s+to|Produced)\s*$", joined[: named.start("month")], re.I):
        month = MONTHS[named["month"].lower()[:3]]
        day = dt.date(int(named["year"]), month, 1)
        return quarter_of_date(day), squash(f"{named['month']} {named['year']}")
    if data_to:
        year, month = map(int, data_to[0].split("-"))
        return quarter_of_date(dt.date(year, month, 1)), f"Data to {data_to[1]}"
    raise IngestError(
        path,
        "the title block names no quarter; expected e.g. 'Quarter 4 – 2019/20' or '2019/20 Q4'",
    )


def _noise(para: Para) -> bool:
    text = para.text.strip()
    if para.glyph is not None:
        return False
    return bool(_PAGE_NUMBER.match(text) or _MARKING.match(text) or _is_running_header(text, 1))


def _strip_contents(body: list[Para]) -> tuple[list[int], list[Para]]:
    """Remove the contents page; return the priority numbers it lists."""
    listed: list[int] = []
    out: list[Para] = []
    in_contents = False
    for para in body:
        text = para.text.strip()
        if para.glyph is None and text.lower() == "contents":
            in_contents = True
            continue
        if in_contents:
            if para.glyph is None and _PAGE_REF.search(text):
                match = _PRIORITY.match(text)
                if match:
                    listed.append(int(match["n"]))
                continue
            in_contents = False
        out.append(para)
    return listed, out


def _read_body(document: Document, body: list[Para]) -> None:
    levels = _bullet_levels(body)
    priority: int | None = None
    preamble = ""
    objective: int | None = None
    expect_objective = False
    heading: int | None = None  # an unbulleted heading the following bullets sit under
    last_at_level: dict[int, int] = {}
    for para in body:
        text = squash(para.text)
        match = _PRIORITY.match(text) if para.glyph is None else None
        if match and not _PAGE_REF.search(text):
            priority = int(match["n"])
            document.priorities.setdefault(priority, squash(match["title"]))
            preamble, objective, expect_objective, heading = "", None, True, None
            last_at_level = {}
            continue
        if priority is None:
            continue  # matter between the contents and Priority 1 (scorecards, notes)
        if para.glyph is None and _PREAMBLE.search(text) and len(text) < 300:
            preamble, expect_objective = text, True
            continue
        if para.glyph is None and expect_objective:
            objective = _objective_index(document, priority, preamble or "We will:", text)
            expect_objective, heading, last_at_level = False, None, {}
            continue
        expect_objective = False
        if para.glyph is None:
            kind = "heading" if text.endswith(":") and len(text.split()) <= 12 else "intro"
            document.items.append(Item(priority, objective, 0, kind, text, False, para.page))
            heading = len(document.items) - 1 if kind == "heading" else None
            last_at_level = {}
            continue
        level = levels.get((para.indent, para.glyph), 0)
        while level > 0 and (level - 1) not in last_at_level:
            level -= 1  # a sub-bullet with nothing above it is a bullet
        parent = last_at_level[level - 1] if level > 0 else heading
        document.items.append(
            Item(priority, objective, level, "bullet", text, True, para.page, parent)
        )
        index = len(document.items) - 1
        last_at_level = {k: v for k, v in last_at_level.items() if k < level}
        last_at_level[level] = index


def _objective_index(document: Document, priority: int, preamble: str, text: str) -> int:
    for index, objective in enumerate(document.objectives):
        if objective.priority == priority and key(objective.text) == key(text):
            return index
    document.objectives.append(Objective(priority, preamble, text))
    return len(document.objectives) - 1


def _bullet_levels(body: list[Para]) -> dict[tuple[float, str | None], int]:
    """(indent, glyph) -> level. Indentation decides; where every bullet has the same
    indentation (flattened text) the order in which glyphs first appear does."""
    bullets = [p for p in body if p.glyph is not None]
    indents = sorted({p.indent for p in bullets})
    clusters: list[list[float]] = []
    for indent in indents:
        if clusters and indent - clusters[-1][-1] < 1.0:
            clusters[-1].append(indent)
        else:
            clusters.append([indent])
    by_indent = {indent: min(n, 2) for n, group in enumerate(clusters) for indent in group}
    glyph_order: list[str | None] = []
    for para in bullets:
        if para.glyph not in glyph_order:
            glyph_order.append(para.glyph)
    use_glyphs = len(clusters) == 1 and len(glyph_order) > 1
    return {
        (p.indent, p.glyph): min(glyph_order.index(p.glyph), 2)
        if use_glyphs
        else by_indent[p.indent]
        for p in bullets
    }
