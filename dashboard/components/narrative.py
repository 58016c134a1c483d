"""Narrative bullets as nested lists, acronyms expanded on hover and focus, operations and the
force's areas linked (an area's badge and the places the text names go to its own page).

Text from the data is only ever placed in components as text (Dash escapes it): never HTML.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from ..routing import build_query
from ..views import ViewModel
from ..views.narrative import OPERATION, AreaMentions, term_pattern


def area_href(area_id: str, query: str = "") -> str:
    """An area's own page: every priority's updates that name it."""
    return f"/area/{area_id}{query}"


def area_page_links(vm: ViewModel, area_ids: list[str], quarter: str | None) -> html.P | None:
    """'Area pages: Southend-on-Sea': links to the pages of areas a page is about."""
    if not area_ids:
        return None
    query = build_query(None, quarter=quarter)
    links: list = ["Area page: " if len(area_ids) == 1 else "Area pages: "]
    for i, area_id in enumerate(area_ids):
        name = vm.area_name(area_id)
        links += [", "] if i else []
        links.append(
            dcc.Link(
                f"{name}, all priorities",
                href=area_href(area_id, query),
                title=f"Every priority's updates that name {name}",
            )
        )
    return html.P(links, className="area-pages")


def update_marker(vm: ViewModel, quarter: str | None, here: str | None = None) -> TextMarker:
    """The marker for a page of updates: acronyms, operations and the force's areas linked
    (area links keep the page's quarter; ``here``: the area page it is on, not linked to
    itself)."""
    query = build_query(None, quarter=quarter)
    return TextMarker(vm.index.glossary, vm.index.area_mentions, query, here)


class TextMarker:
    """Turns a plain string into text, <abbr>, operation links and links to the pages of the
    areas it names (``areas``; ``area_query``: the query those links carry, the quarter)."""

    def __init__(
        self,
        glossary: dict[str, str],
        areas: AreaMentions | None = None,
        area_query: str = "",
        here: str | None = None,
    ):
        self.glossary = glossary
        self.pattern = term_pattern(glossary)
        self.focusable_done: set[str] = set()
        self.areas = areas
        self.area_query = area_query
        self.here = here

    def mark(self, text: str, linked: str | None = None) -> list:
        """``linked``: an area already linked beside the text (its badge), not linked again.
        Each other area the text names is linked once, where it is first named."""
        spans: list[tuple[int, int, str, str]] = [
            (m.start(), m.end(), "operation", m.group(0)) for m in OPERATION.finditer(text)
        ]
        if self.areas is not None:
            done = {linked, self.here}
            for start, end, area_id in self.areas.spans(text):
                if area_id not in done:
                    done.add(area_id)
                    spans.append((start, end, "area", area_id))
        pieces: list = []
        position = 0
        for start, end, kind, value in sorted(spans):
            if start < position:
                continue  # inside an operation's name
            pieces += self._abbreviations(text[position:start])
            pieces.append(self._link(text[start:end], kind, value))
            position = end
        pieces += self._abbreviations(text[position:])
        return pieces

    def _link(self, shown: str, kind: str, value: str) -> dcc.Link:
        if kind == "area":
            return dcc.Link(
                shown,
                href=area_href(value, self.area_query),
                className="area-link",
                title=f"All updates that name {shown}",
            )
        return dcc.Link(
            shown,
            href=f"/narrative?{urlencode({'q': value})}",
            className="operation",
            title=f"All updates on {value}",
        )

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
        badge = (
            area
            if isinstance(area, str) and area in area_names and item.get("kind") != "heading"
            else None
        )
        if badge is not None and badge == marker.here:
            content.append(html.Span(area_names[badge], className="badge area-badge"))
        elif badge is not None:
            content.append(
                dcc.Link(
                    area_names[badge],
                    href=area_href(badge, marker.area_query),
                    className="badge area-badge",
                    title=f"All updates that name {area_names[badge]}",
                )
            )
        if show_priority is not None:
            content.append(
                html.Span(
                    show_priority.get(int(item["priority"]), ""), className="badge priority-badge"
                )
            )
        content += marker.mark(str(item["text"]), badge)
        kids = children_of.get(item["item_id"], [])
        if kids:
            content.append(html.Ul([render(k) for k in sorted(kids, key=lambda k: k["order"])]))
        return html.Li(content, className="heading-item" if item.get("kind") == "heading" else None)

    top = sorted(children_of.get(None, []), key=lambda k: k["order"])
    return html.Ul([render(i) for i in top], className="narrative")
