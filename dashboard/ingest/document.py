"""One document -> the dataset's tables (narrative, observations, glossary, sources, new
objectives/priorities) plus the analysts' tables (facts for review, revisions, tags)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.data.periods import Quarter
from dashboard.data.schema import TABLES

from .areas import AreaIndex, in_area_label, leading_label
from .extract import read_paragraphs
from .figures import Item, read_figures
from .matcher import Catalogue
from .reference import Reference
from .structure import Document, parse
from .tags import definitions, operation_descriptions, operations
from .text import key

#: The review file: what was found and why it was left, then the analyst's columns (a metric
#: and period to record it under, and optionally the words to remember as the metric's name).
REVIEW_COLUMNS = [
    "document", "source_id", "item_id", "priority", "area_id", "sentence", "value", "raw",
    "unit", "role", "period_offset", "period_phrase", "comparison", "reason",
    "suggested_metric_id", "suggested_period", "metric_id", "period", "synonym",
]  # fmt: skip
#: Restatements, earlier publication first; the later one's value is current.
REVISION_COLUMNS = [
    "metric_id", "area_id", "basis", "period", "earlier_value", "earlier_source_id",
    "earlier_published", "later_value", "later_source_id", "later_published", "current_value",
    "source_sentence",
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
    prior_observations: pd.DataFrame | None = None,
    *,
    partial: bool = False,
    published: dict[str, str] | None = None,
) -> Result:
    """Read one document; ``prior_observations`` (the dataset's and earlier documents') are
    only compared against, to report restated values as revisions (ordered by ``published``,
    source_id -> YYYY-MM). ``partial`` takes a truncated document's pages as they are."""
    path = Path(path)
    document = parse(path, read_paragraphs(path), partial=partial)
    quarter = document.title.quarter
    source_id = f"pcp-{quarter.label.lower()}"
    warnings = list(document.warnings)
    objective_ids, new_objectives, new_priorities = _objectives(document, reference)
    force = reference.force_id
    areas = AreaIndex.from_frame(reference.areas)
    narrative = _narrative(document, source_id, objective_ids, areas, warnings, force)
    catalogue = catalogue_for(reference, document)
    observations, review = _figures(document, narrative, catalogue, source_id, force)
    if not catalogue.metrics:
        warnings.append(
            "no metric catalogue (metrics.csv with metric_terms.csv): every figure goes to review"
        )
    sources = _source(document, source_id)
    dates = {**(published or {}), source_id: sources.iloc[0]["published"]}
    observations, revisions = _revisions(observations, prior_observations, source_id, dates)
    tables = {
        "narrative": narrative,
        "observations": observations,
        "glossary": _glossary(document, narrative, source_id, warnings),
        "sources": sources,
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


def _narrative(
    document, source_id, objective_ids, areas: AreaIndex, warnings, force: str
) -> pd.DataFrame:
    """The document's items as narrative rows; an item of the whole force has no area."""
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
        area = "" if area in (None, force) else area
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


def _items(narrative: pd.DataFrame, force: str) -> list[Item]:
    """Narrative rows -> items with the headings they sit under and the item before them."""
    items: list[Item] = []
    by_id: dict[str, tuple[Item, str]] = {}
    last_under: dict[tuple[str, str], Item] = {}
    for row in narrative.itertuples(index=False):
        context, parent = [], row.parent_id
        while parent and parent in by_id:
            context.append(by_id[parent][0].text)
            parent = by_id[parent][1]
        item = Item(row.item_id, row.text, row.area_id or force, context)
        group = (row.objective_id, row.parent_id)
        item.previous = last_under.get(group)
        last_under[group] = item
        by_id[row.item_id] = (item, row.parent_id)
        items.append(item)
    return items


def _data_to(document: Document) -> dt.date | None:
    """The "Data to" month, when the title names the quarter by a month ("Quarterly Update
    June 2018", data to May 2018): its quarter is then the three months to that month."""
    title = document.title
    if not title.data_to or re.search(r"\bQ(?:uarter)?\s*[1-4]\b", title.quarter_text, re.I):
        return None
    year, month = map(int, title.data_to.split("-"))
    return dt.date(year, month, 1)


def catalogue_for(reference: Reference, document: Document | None = None) -> Catalogue:
    """The reference's catalogue, with the dataset's glossary and the document's own acronyms."""
    catalogue = Catalogue.build(reference.metrics, reference.terms, reference.glossary)
    if document is not None:
        texts = [*(o.text for o in document.objectives), *(i.text for i in document.items)]
        catalogue.add_acronyms((d.term, d.expansion) for text in texts for d in definitions(text))
    return catalogue


def _figures(document, narrative, catalogue: Catalogue, source_id, force: str):
    quarter: Quarter = document.title.quarter
    observations: dict[tuple, dict] = {}
    review: list[dict] = []
    name = document.path.name
    rows = {row.item_id: row for row in narrative.itertuples(index=False)}
    found, left = read_figures(_items(narrative, force), quarter, catalogue, _data_to(document))
    for hit in found:
        row = rows[hit.item.item_id]
        area = row.area_id or force
        period = period_label(hit.basis, quarter.shift(hit.offset))
        obs_key = (hit.metric_id, area, hit.basis, period)
        previous = observations.get(obs_key)
        if previous is not None:
            if previous["value"] != hit.fact.value:
                review.append(
                    _review_row(name, source_id, row, hit.sentence, hit.fact, quarter, force,
                                f"conflicts with {previous['value']:g} for {hit.metric_id} "
                                f"{period} stated earlier in the document",
                                hit.metric_id, hit.offset)
                )  # fmt: skip
            continue
        observations[obs_key] = {
            "metric_id": hit.metric_id,
            "area_id": area,
            "basis": hit.basis,
            "period": period,
            "value": hit.fact.value,
            "status": "final",
            "source_id": source_id,
            "source_sentence": hit.sentence,
            "note": hit.note,
        }
    for miss in left:
        row = rows[miss.item.item_id]
        review.append(
            _review_row(name, source_id, row, miss.sentence, miss.fact, quarter, force, miss.reason,
                        miss.suggested_metric, miss.suggested_offset)
        )  # fmt: skip
    return (
        pd.DataFrame(list(observations.values()), columns=TABLES["observations"].columns),
        pd.DataFrame(review, columns=REVIEW_COLUMNS),
    )


def _review_row(
    name, source_id, row, sentence, fact, quarter, force, reason, metric="", offset=None
):
    return {
        "document": name, "source_id": source_id, "item_id": row.item_id,
        "priority": row.priority, "area_id": row.area_id or force, "sentence": sentence,
        "value": fact.value, "raw": fact.raw, "unit": fact.unit, "role": fact.role,
        "period_offset": "" if fact.offset is None else fact.offset,
        "period_phrase": fact.period_phrase, "comparison": fact.comparison, "reason": reason,
        "suggested_metric_id": metric,
        "suggested_period": "" if offset is None else quarter.shift(offset).label,
        "metric_id": "", "period": "", "synonym": "",
    }  # fmt: skip


def _revisions(observations, prior, source_id: str, published: dict[str, str]):
    """Values restated between documents: kept side by side, noted and reported in the order
    of publication (the later publication's value is current)."""
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
            this_date = published.get(source_id, "")
            old_date = published.get(old.source_id, "")
            newer = this_date >= old_date
            if newer:
                extra = f"restates {float(old.value):g} published in {old.source_id}"
                earlier, later = (float(old.value), old.source_id), (row.value, source_id)
            else:
                extra = f"restated as {float(old.value):g} in the later {old.source_id}"
                earlier, later = (row.value, source_id), (float(old.value), old.source_id)
            note = f"{note}; {extra}" if note else extra
            revisions.append(
                {"metric_id": row.metric_id, "area_id": row.area_id, "basis": row.basis,
                 "period": row.period, "earlier_value": earlier[0],
                 "earlier_source_id": earlier[1],
                 "earlier_published": published.get(earlier[1], ""), "later_value": later[0],
                 "later_source_id": later[1], "later_published": published.get(later[1], ""),
                 "current_value": later[0], "source_sentence": row.source_sentence}
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
    if document.missing:
        listed = ", ".join(str(n) for n in document.missing)
        name += f" [partial copy: Priority {listed} missing]"
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
