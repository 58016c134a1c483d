"""Narrative bullets as nested lists, acronyms expanded on hover and focus, operations linked.

Text from the data is only ever placed in components as text (Dash escapes it): never HTML.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from ..views.narrative import OPERATION, term_pattern


class TextMarker:
    """Turns a plain string into text, <abbr> and operation links."""

    def __init__(self, glossary: dict[str, str]):
        self.glossary = glossary
        self.pattern = term_pattern(glossary)
        self.focusable_done: set[str] = set()

    def mark(self, text: str) -> list:
        pieces: list = []
        position = 0
        for match in OPERATION.finditer(text):
            pieces += self._abbreviations(text[position : match.start()])
            name = match.group(0)
            query = urlencode({"q": name})
            pieces.append(
                dcc.Link(
                    name,
                    href=f"/narrative?{query}",
                    className="operation",
                    title=f"All updates on {name}",
                )
            )
            position = match.end()
        pieces += self._abbreviations(text[position:])
        return pieces

    def _abbreviations(self, text: str) -> list:
        if not text or self.pattern is None:
            return [text] if text else []
        pieces: list = []
        position = 0
        for match in self.pattern.finditer(text):
            term = match.group(1)
            pieces.append(text[position : match.start(1)])
            # Only the first use of a term on a page is a tab stop (its expansion shows on focus);
            # later uses keep the hover expansion without adding dozens of stops for keyboard users.
            first = term not in self.focusable_done
            self.focusable_done.add(term)
            pieces.append(
                html.Abbr(
                    term, title=self.glossary[term], className="term", tabIndex=0 if first else None
                )
            )
            position = match.end(1)
        pieces.append(text[position:])
        return [p for p in pieces if p != ""]


def narrative_list(
    items: list[dict],
    marker: TextMarker,
    area_names: dict[str, str],
    *,
    show_priority: dict[int, str] | None = None,
) -> html.Ul:
    """Items in document order; sub-bullets nested under their heading."""
    children_of: dict[str | None, list[dict]] = {}
    ids = {i["item_id"] for i in items}
    for item in items:
        parent = item.get("parent_id")
        parent = parent if isinstance(parent, str) and parent in ids else None
        children_of.setdefault(parent, []).append(item)

    def render(item: dict) -> html.Li:
        content: list = []
        area = item.get("area_id")
        if isinstance(area, str) and area in area_names and item.get("kind") != "heading":
            content.append(html.Span(area_names[area], className="badge area-badge"))
        if show_priority is not None:
            content.append(
                html.Span(
                    show_priority.get(int(item["priority"]), ""), className="badge priority-badge"
                )
            )
        content += marker.mark(str(item["text"]))
        kids = children_of.get(item["item_id"], [])
        if kids:
            content.append(html.Ul([render(k) for k in sorted(kids, key=lambda k: k["order"])]))
        return html.Li(content, className="heading-item" if item.get("kind") == "heading" else None)

    top = sorted(children_of.get(None, []), key=lambda k: k["order"])
    return html.Ul([render(i) for i in top], className="narrative")
