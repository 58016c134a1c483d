"""The quarter's updates as the pages, slides and packs show them: which bullets, which key
points, and acronyms written out on first use.

Pure functions over item dicts (rows of the narrative table), so the rules are tested without a
browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: "Operation SCEPTRE": how the updates name an operation (links and the operations list).
OPERATION = re.compile(r"\bOperation\s+[A-Z][A-Z]{2,}\b")


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


def filter_items(
    items: Sequence[dict], allowed: frozenset[str] | None, words: str = ""
) -> list[dict]:
    """Bullets for an area (``allowed``: it and the areas inside it; None: every area), in
    document order.

    Force-wide items, that area's and its sub-areas' are shown; a heading is kept when any of its
    sub-bullets is shown, so the context is not lost. ``words`` keeps the items containing them
    (and the heading of a matching sub-bullet).
    """
    by_id = {i["item_id"]: i for i in items}

    def own_match(item: dict) -> bool:
        if allowed is None:
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


def own_items(items: Sequence[dict], own: frozenset[str]) -> list[dict]:
    """Items that name one of ``own`` (an area and the areas inside it), and the headings of
    sub-bullets that do: what an area's own page lists."""
    named = {i["item_id"] for i in items if _area(i) in own}
    parents = {_parent(i) for i in items if i["item_id"] in named}
    return [i for i in items if i["item_id"] in named or i["item_id"] in parents]


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
