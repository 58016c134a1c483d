"""Claims about areas on the rendered pages (issue 20, findings 1 and 8), read as a person reads
them: the notice a link gets, the name over the figures, the Area filter's choices, and the links
that lead to an area's own page from every page that mentions the area.
"""

from __future__ import annotations

import re

import pytest
from dash import html
from dash.development.base_component import Component
from shell_helpers import text_of

from dashboard.shell import render_page

QUARTER = "2019-20-Q4"


def find(node, class_name: str) -> list[Component]:
    found: list[Component] = []
    if isinstance(node, list | tuple):
        for child in node:
            found += find(child, class_name)
    elif isinstance(node, Component):
        if class_name in str(getattr(node, "className", "") or "").split():
            found.append(node)
        found += find(getattr(node, "children", None), class_name)
    return found


def links(node) -> list[tuple[str, str]]:
    """(text, address) of every link, in order."""
    found: list[tuple[str, str]] = []
    if isinstance(node, list | tuple):
        for child in node:
            found += links(child)
    elif isinstance(node, Component):
        href = getattr(node, "href", None)
        if href:
            found.append((text_of(node), href))
        found += links(getattr(node, "children", None))
    return found


def page(store, path: str, query: str = ""):
    update = render_page(store, path, query)
    return update, text_of(update.head), text_of(update.body)


def options(update, name: str) -> dict[str, str]:
    """value -> label of the filter bar's select for ``name``."""
    found: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif isinstance(node, Component):
            own = getattr(node, "id", None)
            if isinstance(own, dict) and own.get("name") == name and hasattr(node, "options"):
                found.update({o["value"]: o["label"] for o in node.options})
            walk(getattr(node, "children", None))

    walk(update.filters)
    return found


# -- finding 1 -------------------------------------------------------------------------------


def test_the_overview_never_puts_another_forces_name_over_essex_figures(store):
    _, head, body = page(store, "/", f"?quarter={QUARTER}&area=hertfordshire")
    _, force_head, force_body = page(store, "/", f"?quarter={QUARTER}")
    assert "Hertfordshire: 7 priorities" not in head
    assert "Hertfordshire is another police force area, not one of Essex's areas" in head
    assert "this page shows Essex (force-wide), not Hertfordshire" in head
    # What follows the notice is the force's own overview, word for word.
    assert head.endswith(force_head)
    assert body == force_body


def test_a_metric_page_for_another_force_shows_essex_under_essex_name(store):
    _, head, body = page(store, "/metric/ho-pcso-fte", "?area=hertfordshire")
    _, _, force_body = page(store, "/metric/ho-pcso-fte", "")
    assert "Hertfordshire is another police force area" in head
    assert "in Hertfordshire" not in body
    assert body == force_body  # Essex's figures and verdict, said as Essex's


def test_an_area_page_for_another_force_is_a_clear_message(store):
    _, head, body = page(store, "/area/hertfordshire")
    assert "We could not find that page" in head
    assert "Hertfordshire is another police force area" in body
    assert "it has no area page here" in body
    assert "Domestic burglary in Hertfordshire" not in body


def test_the_area_filter_lists_no_other_force(store):
    update, _, _ = page(store, "/", "")
    shown = options(update, "area")
    assert "southend" in shown and "south-lpa" in shown
    assert "hertfordshire" not in shown and "england-and-wales" not in shown
    assert not any("Kent" in label or "Hertfordshire" in label for label in shown.values())


# -- finding 8 -------------------------------------------------------------------------------


def test_southends_page_lists_operation_weymouth(store):
    _, _, body = page(store, "/area/southend", f"?quarter={QUARTER}")
    assert "Operation WEYMOUTH: An operation focused on investigating the murder of a man" in body


def test_the_priority_page_links_southend_where_an_update_names_it(store):
    update, _, _ = page(store, "/priority/4", f"?quarter={QUARTER}")
    weymouth = next(
        li
        for li in find(update.body, "narrative")[0].children
        if "Operation WEYMOUTH" in text_of(li)
    )
    assert ("Southend", f"/area/southend?quarter={QUARTER}") in links(weymouth)


def test_an_area_badge_is_a_link_to_the_areas_page(store):
    update, _, _ = page(store, "/priority/2", f"?quarter={QUARTER}")
    badges = find(update.body, "area-badge")
    assert badges
    for badge in badges:
        assert not isinstance(badge, html.Span)
        name = text_of(badge)
        href = badge.href
        assert href.startswith("/area/") and href.endswith(f"?quarter={QUARTER}"), href
        area_id = href.removeprefix("/area/").split("?")[0]
        assert store.get().area_index[area_id]["name"] == name


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/", "?area=southend"),
        ("/priority/4", "?area=southend"),
        ("/narrative", "?area=southend"),
        ("/narrative", "?q=southend"),
        ("/narrative", "?q=murder+in+Southend"),
    ],
)
def test_pages_that_mention_southend_link_to_its_page(store, path, query):
    update, _, _ = page(store, path, query)
    found = links([update.head, *update.body])
    assert ("Southend-on-Sea, all priorities", "/area/southend") in found, found[:5]


def test_the_overview_counts_an_update_filed_under_colchester_that_names_chelmsford(store):
    update, _, _ = page(store, "/", f"?quarter={QUARTER}&area=chelmsford")
    counts = {}
    for section in find(update.body, "priority-section"):
        number = int(re.match(r"Priority (\d)", text_of(find(section, "priority-title"))).group(1))
        counts[number] = int(re.match(r"(\d+)", text_of(find(section, "update-count"))).group(1))
    priority, _, body = page(store, "/priority/2", f"?quarter={QUARTER}&area=chelmsford")
    assert "Colchester: Operation LUSCOMBE targets town centre begging" in body
    listed = [
        li
        for ul in find(priority.body, "narrative")
        for li in _items(ul)
        if "heading-item" not in str(getattr(li, "className", "") or "")
    ]
    assert counts[2] == len(listed)
    # meeting mode's title slide says the same count
    title_slide = render_page(store, "/present", f"?quarter={QUARTER}&area=chelmsford").body
    line = text_of(find(title_slide, "present-items")[0].children[1])
    assert re.search(rf"\b{counts[2]} updates?\b", line), line


def _items(node) -> list[Component]:
    found: list[Component] = []
    if isinstance(node, list | tuple):
        for child in node:
            found += _items(child)
    elif isinstance(node, Component):
        if isinstance(node, html.Li):
            found.append(node)
        found += _items(getattr(node, "children", None))
    return found


@pytest.mark.parametrize(
    "address",
    [
        "/download/pack.csv?area=hertfordshire",
        "/download/pack.pdf?quarter=2019-20-Q4&area=hertfordshire",
        "/download/chart/ho-pcso-fte.svg?area=hertfordshire",
    ],
)
def test_a_download_for_another_force_is_refused_with_the_reason(
    tmp_path, address, bundled_data_dir
):
    from dashboard.app import create_app
    from dashboard.config import Settings

    settings = Settings(data_dir=bundled_data_dir, cache_dir=tmp_path, reload_interval=3600)
    response = create_app(settings).server.test_client().get(address)
    assert response.status_code == 400
    said = response.get_data(as_text=True)
    assert "Hertfordshire is another police force area, not one of Essex's areas" in said
    assert "packs and downloads are not made for it" in said


def test_an_area_page_does_not_link_to_itself_but_to_the_areas_its_updates_name(store):
    update, _, _ = page(store, "/area/southend", f"?quarter={QUARTER}")
    found = [href for _, href in links(update.body)]
    assert not any(h.startswith("/area/southend") for h in found)
    assert f"/area/thurrock?quarter={QUARTER}" in found  # ENCOMPASS: "Southend, Essex, Thurrock"
