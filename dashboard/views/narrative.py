"""The quarter's updates as the pages, slides and packs show them: which bullets, which key
points, and acronyms written out on first use.

Pure functions over item dicts (rows of the narrative table), so the rules are tested without a
browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: "Operation SCEPTRE": how the updates name an operation (links and the operations list).
OPERATION = re.compile(r"\bOperation\s+[A-Z][A-Z]{2,}\b")

#: A spelling that is only a compass point ("South") names an LPA as a label ("South:", which
#: the importer reads), never in running text: "in the South of the county" is a direction.
_COMPASS = re.compile(r"(?i)(north|south|east|west|mid)\W*")

#: Item id -> the areas its text names (see :class:`AreaMentions`).
Named = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class AreaMentions:
    """The force's own areas as an update's text names them: each area's name and aliases
    (data/areas.csv) as whole words, written with a capital as place names are, longest first
    ("Southend-on-Sea" before "Southend"). A spelling two areas share, or a bare compass point,
    names neither."""

    spellings: dict[str, str]  # spelling -> area id
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, spellings: Iterable[tuple[str, str]]) -> AreaMentions:
        found: dict[str, set[str]] = {}
        for spelling, area_id in spellings:
            text = spelling.strip()
            if len(text) < 3 or not text[0].isupper() or _COMPASS.fullmatch(text):
                continue
            found.setdefault(text, set()).add(area_id)
        unique = {text: next(iter(ids)) for text, ids in found.items() if len(ids) == 1}
        if not unique:
            return cls({}, None)
        alternatives = "|".join(re.escape(t) for t in sorted(unique, key=len, reverse=True))
        return cls(unique, re.compile(rf"(?<![\w-])({alternatives})(?![\w-])"))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, area id) of each mention, in order."""
        if self.pattern is None:
            return []
        return [
            (m.start(1), m.end(1), self.spellings[m.group(1)]) for m in self.pattern.finditer(text)
        ]

    def named(self, text: str) -> set[str]:
        """The areas the text names."""
        return {area_id for _, _, area_id in self.spans(str(text))}


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A glossary term as a whole word (plural or possessive allowed), longest first."""
    ordered = sorted(terms, key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(re.escape(t) for t in ordered)
    return re.compile(rf"(?<![\w/])({alternatives})(?:'?s)?(?![\w])")


def _area(item: dict) -> str | None:
    area = item.get("area_id")
    return area if isinstance(area, str) else None


def _parent(item: dict) -> str | None:
    parent = item.get("parent_id")
    return parent if isinstance(parent, str) else None


def _names(item: dict, allowed: frozenset[str], named: Named | None) -> bool:
    """True when the item's text names one of ``allowed``."""
    return named is not None and not named.get(item["item_id"], frozenset()).isdisjoint(allowed)


def filter_items(
    items: Sequence[dict],
    allowed: frozenset[str] | None,
    words: str = "",
    named: Named | None = None,
) -> list[dict]:
    """Bullets for an area (``allowed``: it and the areas inside it; None: every area), in
    document order.

    Force-wide items, that area's and its sub-areas' are shown, and any item whose text names
    one of them (``named``: item id -> the areas its text names), wherever it was filed; a
    heading is kept when any of its sub-bullets is shown, so the context is not lost. ``words``
    keeps the items containing them (and the heading of a matching sub-bullet).
    """
    by_id = {i["item_id"]: i for i in items}

    def own_match(item: dict) -> bool:
        if allowed is None or _names(item, allowed, named):
            return True
        area = _area(item)
        if area is not None and area not in allowed:
            return False
        parent = _parent(item)
        if parent in by_id:
            parent_area = _area(by_id[parent])
            if area is None and parent_area is not None and parent_area not in allowed:
                return False
        return True

    shown = {i["item_id"] for i in items if own_match(i)}
    # A heading whose own area is outside the filter still shows if a child is inside it.
    for item in items:
        parent = _parent(item)
        if parent is not None and item["item_id"] in shown and parent in by_id:
            shown.add(parent)
    # A heading with no children shown, and whose own area is outside the filter, goes.
    if allowed is not None:
        with_children = {_parent(i) for i in items if i["item_id"] in shown}
        for item in items:
            if (
                item.get("kind") == "heading"
                and item["item_id"] not in with_children
                and _area(item) not in allowed
                and not _names(item, allowed, named)
            ):
                shown.discard(item["item_id"])
    if words:
        pattern = re.compile(re.escape(words.strip()), re.I)
        keep = set()
        for item in items:
            if item["item_id"] in shown and pattern.search(str(item["text"])):
                keep.add(item["item_id"])
                parent = _parent(item)
                if parent is not None and parent in shown:
                    keep.add(parent)
        shown = keep
    return [i for i in items if i["item_id"] in shown]


def own_items(items: Sequence[dict], own: frozenset[str], named: Named | None = None) -> list[dict]:
    """Items filed under one of ``own`` (an area and the areas inside it) or whose text names
    one of them, and the headings of sub-bullets that do: what an area's own page lists."""
    hits = {i["item_id"] for i in items if _area(i) in own or _names(i, own, named)}
    parents = {_parent(i) for i in items if i["item_id"] in hits}
    return [i for i in items if i["item_id"] in hits or i["item_id"] in parents]


def bullets(items: Iterable[dict]) -> list[dict]:
    """The updates themselves: bullets, not the headings they sit under."""
    return [i for i in items if i.get("kind") == "bullet"]


# ------------------------------------------------------------------------------ key points

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])")


def lead_sentences(text: str, short: int = 90) -> str:
    """The first sentence, or the first two when the first is short."""
    sentences = _SENTENCE.split(str(text).strip())
    lead = sentences[0]
    if len(lead) < short and len(sentences) > 1:
        lead = f"{lead} {sentences[1]}"
    return lead


def starts_with_area(text: str, area_name: str) -> bool:
    """True when a bullet already names its area first ('Southend: ...', 'West LPA: ...')."""
    return str(text).lower().startswith(re.split(r"[\s-]", area_name)[0].lower())


def point_text(item: dict, names: dict[str, str]) -> str:
    """A key point: the bullet's lead sentence, with its area in front unless it names it."""
    text = lead_sentences(item["text"])
    area = _area(item)
    if area is not None and area in names and not starts_with_area(text, names[area]):
        text = f"{names[area]}: {text}"
    return text


# ------------------------------------------------------------------------------ acronyms


def short_expansion(expansion: str) -> str:
    """The glossary's expansion without its notes: 'Killed or seriously injured'."""
    text = str(expansion)
    for stop in (";", ": ", " (", ", as the report", ", the report's"):
        cut = text.find(stop)
        if cut > 0:
            text = text[:cut]
    return text.strip()


class Expander:
    """Writes out the first use of each acronym on one slide or page: call :meth:`new_slide`
    between slides. 'KSI' -> 'killed or seriously injured (KSI)'."""

    def __init__(self, glossary: dict[str, str]):
        self.glossary = {term: short_expansion(text) for term, text in glossary.items()}
        self.pattern = term_pattern(self.glossary)
        self.seen: set[str] = set()

    def new_slide(self) -> Expander:
        self.seen = set()
        return self

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        out, position = [], 0
        for match in self.pattern.finditer(text):
            term = match.group(1)
            if term in self.seen:
                continue
            self.seen.add(term)
            before = text[: match.start(1)].rstrip()
            after = text[match.end(1) :]
            already = before.endswith("(") or after.startswith((":", " (", " –", " -"))
            if already:
                continue
            out.append(text[position : match.start(1)])
            out.append(f"{self.glossary[term]} ({term})")
            position = match.end(1)
        out.append(text[position:])
        return "".join(out)
