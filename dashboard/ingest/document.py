"""One document -> the dataset's tables (narrative, observations, glossary, sources, new
objectives/priorities) plus the analysts' tables (facts for review, revisions, tags)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.data.periods import Quarter
from dashboard.data.schema import TABLES

from .areas import AreaIndex, in_area_label, leading_label
from .catalogue import Phrasing, load_phrasings, match_sentence
from .extract import read_paragraphs
from .facts import find_facts
from .reference import Reference
from .structure import Document, parse
from .tags import definitions, operation_descriptions, operations
from .text import key, sentences

REVIEW_COLUMNS = [
    "document", "source_id", "item_id", "priority", "area_id", "sentence", "value", "raw",
    "unit", "period_offset", "period_phrase", "comparison", "reason",
]  # fmt: skip
REVISION_COLUMNS = [
    "metric_id", "area_id", "basis", "period", "previous_value", "previous_source_id",
    "value", "source_id", "source_sentence",
]  # fmt: skip
TAG_COLUMNS = ["item_id", "tag_kind", "tag"]


@dataclass
class Result:
    path: Path
    source_id: str
    document: Document
    tables: dict[str, pd.DataFrame]
    review: pd.DataFrame
    revisions: pd.DataFrame
    tags: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def ingest(
    path: Path,
    reference: Reference,
    phrasings: list[Phrasing] | None = None,
    prior_observations: pd.DataFrame | None = None,
) -> Result:
    """Read one document; ``prior_observations`` (the dataset's and earlier documents') are
    only compared against, to report restated values as revisions."""
    path = Path(path)
    document = parse(path, read_paragraphs(path))
    phrasings = load_phrasings(reference.metrics) if phrasings is None else phrasings
    quarter = document.title.quarter
    source_id = f"pcp-{quarter.label.lower()}"
    warnings = list(document.warnings)
    objective_ids, new_objectives, new_priorities = _objectives(document, reference)
    narrative = _narrative(
        document, source_id, objective_ids, AreaIndex.from_frame(reference.areas), warnings
    )
    observations, review = _figures(document, narrative, phrasings, source_id, warnings)
    if not phrasings:
        warnings.append(
            "no metric catalogue (metrics.csv with phrasings): every figure goes to review"
        )
    observations, revisions = _revisions(observations, prior_observations, source_id)
    tables = {
        "narrative": narrative,
        "observations": observations,
        "glossary": _glossary(document, narrative, source_id, warnings),
        "sources": _source(document, source_id),
    }
    if not new_objectives.empty:
        tables["objectives"] = new_objectives
    if not new_priorities.empty:
        tables["priorities"] = new_priorities
    return Result(path, source_id, document, tables, review, revisions, _tags(narrative), warnings)


# --- objectives ---------------------------------------------------------------------------


def _objectives(document: Document, reference: Reference):
    known = reference.objectives
    ids: list[str] = []
    new_rows: list[dict] = []
    for objective in document.objectives:
        candidates = known[known["priority"].astype(str) == str(objective.priority)]
        best, score = None, 0.0
        for row in candidates.itertuples(index=False):
            ratio = difflib.SequenceMatcher(None, key(row.text), key(objective.text)).ratio()
            if ratio > score:
                best, score = row.objective_id, ratio
        if best is not None and score >= 0.85:
            ids.append(best)
            continue
        taken = [*candidates["objective_id"], *(r["objective_id"] for r in new_rows)]
        numbers = [int(m[1]) for t in taken if (m := re.search(r"-o(\d+)$", t))]
        new_id = f"p{objective.priority}-o{max(numbers, default=0) + 1}"
        new_rows.append(
            {"objective_id": new_id, "priority": objective.priority,
             "preamble": objective.preamble, "text": objective.text}
        )  # fmt: skip
        ids.append(new_id)
    known_priorities = set(reference.priorities["priority"].astype(str))
    new_priorities = [
        {"priority": n, "title": _plain_title(title), "short_title": _plain_title(title)}
        for n, title in sorted(document.priorities.items())
        if str(n) not in known_priorities
    ]
    return (
        ids,
        pd.DataFrame(new_rows, columns=TABLES["objectives"].columns),
        pd.DataFrame(new_priorities, columns=TABLES["priorities"].columns),
    )


def _plain_title(title: str) -> str:
    return re.sub(r"\s*\([A-Z]{2,}\)\s*$", "", title).strip() or title


# --- narrative ----------------------------------------------------------------------------


def _narrative(document, source_id, objective_ids, areas: AreaIndex, warnings) -> pd.DataFrame:
    quarter: Quarter = document.title.quarter
    rows: list[dict] = []
    counters: dict[int, int] = {}
    ids: list[str] = []
    area_of: list[str] = []
    for order, item in enumerate(document.items, start=1):
        counters[item.priority] = counters.get(item.priority, 0) + 1
        item_id = f"{quarter.label.lower()}-p{item.priority}-{counters[item.priority]}"
        ids.append(item_id)
        label = leading_label(item.text)
        kind = item.kind
        if item.bulleted and _is_heading(item.text, label):
            kind = "heading"
        area = areas.resolve(label) if label else None
        if area is None and (found := in_area_label(item.text)):
            area = areas.resolve(found)
        if label and area is None and kind == "heading" and item.bulleted:
            warnings.append(
                f"{item_id}: area heading {label!r} is not in areas.csv; left force-wide"
            )
        if area is None and item.parent is not None:
            area = area_of[item.parent] or None
        area = "" if area in (None, "essex") else area
        area_of.append(area)
        rows.append(
            {
                "item_id": item_id,
                "quarter": quarter.label,
                "priority": item.priority,
                "objective_id": objective_ids[item.objective] if item.objective is not None else "",
                "parent_id": ids[item.parent] if item.parent is not None else "",
                "order": order,
                "level": item.level,
                "kind": kind,
                "area_id": area,
                "text": item.text,
                "source_id": source_id,
            }
        )
    return pd.DataFrame(rows, columns=TABLES["narrative"].columns)


def _is_heading(text: str, label: str | None) -> bool:
    """A bullet that only names a place or group: "West LPA:", "South Local Policing Area (LPA)"."""
    stripped = text.strip().rstrip(":").strip()
    if label and key(label) == key(stripped):
        return True
    return text.strip().endswith(":") and len(text.split()) <= 7


# --- figures ------------------------------------------------------------------------------


def period_label(basis: str, quarter: Quarter) -> str:
    if basis == "financial_year":
        return f"{quarter.start_year}-{(quarter.start_year + 1) % 100:02d}"
    if basis == "calendar_year":
        return str(quarter.end_date.year)
    if basis == "rolling_12m":
        return f"12m-to-{quarter.end_date:%Y-%m}"
    return quarter.label


def _figures(document, narrative, phrasings, source_id, warnings):
    quarter: Quarter = document.title.quarter
    observations: dict[tuple, dict] = {}
    review: list[dict] = []
    name = document.path.name
    for row in narrative.itertuples(index=False):
        area = row.area_id or "essex"
        for sentence in sentences(row.text):
            facts = find_facts(sentence, quarter)
            used: set[int] = set()
            for match in match_sentence(sentence, phrasings):
                ph = match.phrasing
                period = period_label(ph.basis, quarter.shift(ph.offset))
                obs_key = (ph.metric_id, area, ph.basis, period)
                for index, fact in enumerate(facts):
                    if fact.start < match.end and match.start < fact.end:
                        used.add(index)
                previous = observations.get(obs_key)
                if previous is not None:
                    if previous["value"] != match.value:
                        review.append(
                            _review_row(name, source_id, row, sentence, match.value,
                                        sentence[match.start:match.end], ph.unit, ph.offset, "", "",
                                        f"conflicts with {previous['value']:g} for {ph.metric_id} "
                                        f"{period} stated earlier in the document")
                        )  # fmt: skip
                    continue
                observations[obs_key] = {
                    "metric_id": ph.metric_id,
                    "area_id": area,
                    "basis": ph.basis,
                    "period": period,
                    "value": match.value,
                    "status": "final",
                    "source_id": source_id,
                    "source_sentence": sentence,
                    "note": "",
                }
            for index, fact in enumerate(facts):
                if index in used:
                    continue
                reason = (
                    "no metric in the catalogue matches this sentence"
                    if phrasings
                    else "no metric catalogue was available"
                )
                review.append(
                    _review_row(name, source_id, row, sentence, fact.value, fact.raw, fact.unit,
                                fact.offset, fact.period_phrase, fact.comparison, reason)
                )  # fmt: skip
    return (
        pd.DataFrame(list(observations.values()), columns=TABLES["observations"].columns),
        pd.DataFrame(review, columns=REVIEW_COLUMNS),
    )


def _review_row(
    name, source_id, row, sentence, value, raw, unit, offset, phrase, comparison, reason
):
    return {
        "document": name, "source_id": source_id, "item_id": row.item_id,
        "priority": row.priority, "area_id": row.area_id or "essex", "sentence": sentence,
        "value": value, "raw": raw, "unit": unit,
        "period_offset": "" if offset is None else offset, "period_phrase": phrase,
        "comparison": comparison, "reason": reason,
    }  # fmt: skip


def _revisions(observations: pd.DataFrame, prior: pd.DataFrame | None, source_id: str):
    """Values restated from another document: kept side by side, noted and reported."""
    revisions: list[dict] = []
    if prior is None or prior.empty or observations.empty:
        return observations, pd.DataFrame(revisions, columns=REVISION_COLUMNS)
    prior = prior[prior["source_id"] != source_id]
    index = {(r.metric_id, r.area_id, r.basis, r.period): r for r in prior.itertuples(index=False)}
    notes = []
    for row in observations.itertuples(index=False):
        old = index.get((row.metric_id, row.area_id, row.basis, row.period))
        note = row.note
        if old is not None and float(old.value) != float(row.value):
            note = f"restates {float(old.value):g} published in {old.source_id}"
            revisions.append(
                {"metric_id": row.metric_id, "area_id": row.area_id, "basis": row.basis,
                 "period": row.period, "previous_value": float(old.value),
                 "previous_source_id": old.source_id, "value": row.value,
                 "source_id": row.source_id, "source_sentence": row.source_sentence}
            )  # fmt: skip
        notes.append(note)
    observations = observations.assign(note=notes)
    return observations, pd.DataFrame(revisions, columns=REVISION_COLUMNS)


# --- glossary, tags, source -----------------------------------------------------------------


def _glossary(document, narrative, source_id, warnings) -> pd.DataFrame:
    texts = [
        *document.priorities.values(),
        *(o.text for o in document.objectives),
        *narrative["text"],
    ]
    entries: dict[str, str] = {}
    for text in texts:
        for definition in definitions(text):
            known = entries.get(definition.term)
            if known is None:
                entries[definition.term] = definition.expansion
            elif key(known) != key(definition.expansion):
                warnings.append(
                    f"glossary: {definition.term} is also expanded as {definition.expansion!r}; "
                    f"kept {known!r}"
                )
        for operation, description in operation_descriptions(text).items():
            entries.setdefault(operation, description)
    rows = [{"term": t, "expansion": e, "source_id": source_id} for t, e in entries.items()]
    return pd.DataFrame(rows, columns=TABLES["glossary"].columns)


def _tags(narrative: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in narrative.itertuples(index=False):
        for operation in operations(row.text):
            rows.append({"item_id": row.item_id, "tag_kind": "operation", "tag": operation})
        seen = set()
        for definition in definitions(row.text):
            if definition.term not in seen:
                seen.add(definition.term)
                rows.append({"item_id": row.item_id, "tag_kind": "acronym", "tag": definition.term})
    return pd.DataFrame(rows, columns=TAG_COLUMNS)


def _source(document: Document, source_id: str) -> pd.DataFrame:
    title = document.title
    quarter = title.quarter
    published = title.published or title.data_to or f"{quarter.end_date:%Y-%m}"
    name = f"{title.plan} Quarterly Update, {title.quarter_text}"
    if title.data_to_text:
        name += f" (data to {title.data_to_text})"
    row = {
        "source_id": source_id,
        "title": name,
        "publisher": title.producer or "Essex Police",
        "published": published,
        "version": title.version or "",
        "url": document.path.name,
        "kind": "official",
    }
    return pd.DataFrame([row], columns=TABLES["sources"].columns)
