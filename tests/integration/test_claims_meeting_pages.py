"""Claims of issue 20 about the links a meeting is handed and partial documents (findings 4 and
5), on the pages as the page callback renders them, before and after a later quarter's update is
imported with the ordinary commands (`pcp-dashboard ingest --import --yes`, with `--partial` for
a copy that holds Priority 1 only)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from dash.development.base_component import Component

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from shell_helpers import SharedStore, text_of  # noqa: E402

from dashboard.cli import main
from dashboard.data.model import load_dataset
from dashboard.shell import render_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import DATA, REFERENCE, variant_text  # noqa: E402

Q4 = "2019-20-Q4"
Q2 = "2020-21-Q2"
MEETING = "?priorities=1,4,7&since=2018-19-Q4"


def _imported(root: Path, *, partial: bool) -> SharedStore:
    """The bundled data with the 2020/21 Q2 update imported (cut after Priority 1 if partial)."""
    data = root / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".versions"))
    text = variant_text(REFERENCE.read_text(encoding="utf-8"))
    if partial:
        text = text[: text.index("Priority 2 – Crack Down on Anti-social Behaviour (ASB)")]
    document = root / "2020-21-q2.txt"
    document.write_text(text, encoding="utf-8")
    args = ["ingest", str(document), "--out", str(root / "out"), "--dataset", str(data)]
    args += ["--import", "--yes"] + (["--partial"] if partial else [])
    assert main(args) == 0
    return SharedStore(load_dataset(data))


@pytest.fixture(scope="module")
def bundled(bundled_dataset) -> SharedStore:
    return SharedStore(bundled_dataset)


@pytest.fixture(scope="module")
def newer(tmp_path_factory) -> SharedStore:
    return _imported(tmp_path_factory.mktemp("newer"), partial=False)


@pytest.fixture(scope="module")
def partial(tmp_path_factory) -> SharedStore:
    return _imported(tmp_path_factory.mktemp("partial"), partial=True)


def find(node, wanted: str):
    """The component with id ``wanted`` in a tree (None when there is none)."""
    if isinstance(node, list | tuple):
        for child in node:
            if (found := find(child, wanted)) is not None:
                return found
    elif isinstance(node, Component):
        if getattr(node, "id", None) == wanted:
            return node
        return find(getattr(node, "children", None), wanted)
    return None


def hrefs(node) -> list[str]:
    found: list[str] = []
    if isinstance(node, list | tuple):
        for child in node:
            found += hrefs(child)
    elif isinstance(node, Component):
        if href := getattr(node, "href", None):
            found.append(href)
        found += hrefs(getattr(node, "children", None))
    return found


def split(link: str) -> tuple[str, str]:
    parts = urlsplit(link)
    return parts.path, "?" + parts.query


# ------------------------------------------------------------ 4: links that keep their meaning


def test_the_builders_link_opens_the_same_deck_after_a_newer_quarter_is_imported(bundled, newer):
    """The builder opened without a quarter (the latest, 2019/20 Q4) hands out a link; after
    2020/21 Q2 is imported the same link still opens the 2019/20 Q4 deck with the same counts,
    not 2020/21 Q2 with "0 updates"."""
    builder = render_page(bundled, "/meeting", MEETING)
    link = find(builder.body, "builder-present").href
    path, query = split(link)
    assert path == "/present"
    assert parse_qs(query[1:]).get("quarter") == [Q4], link
    before = render_page(bundled, path, query)
    after = render_page(newer, path, query)
    assert "2019/20 Q4 (Jan–Mar 2020)" in text_of(after.body)
    assert "2020/21 Q2" not in text_of(after.body).split("Newer data")[0]
    for line in (
        "Priority 1: More Local, Visible and Accessible Policing — 3 headline figures, 26 updates",
        "Priority 4: Reverse the Trend in Serious Violence — 0 headline figures, 10 updates",
        "Priority 7: Improve Safety on our Roads — 3 headline figures, 6 updates",
    ):
        assert line in text_of(before.body)
        assert line in text_of(after.body)


def test_every_paper_and_copy_link_names_the_quarter_and_the_choices(bundled):
    """The papers' links of the builder, meeting mode and the overview name the quarter (and
    the builder's the figures, written out), though the page's own URL did not."""
    builder = render_page(bundled, "/meeting", MEETING)
    deck = render_page(bundled, "/present", MEETING)
    overview = render_page(bundled, "/", "")
    for update in (builder, deck, overview):
        papers = [h for h in hrefs(update.body) if h.startswith("/download/pack.")]
        assert papers, "no pack links"
        for href in papers:
            assert parse_qs(split(href)[1][1:]).get("quarter") == [Q4], href
    code = find(builder.body, "builder-link")
    params = parse_qs(split(code.children)[1][1:])
    assert params["quarter"] == [Q4] and params["priorities"] == ["1,4,7"]
    assert params["figures"] == [
        "special-constable-headcount,specials-hours-total,emergency-calls-999,"
        "ksi-casualties,road-deaths,drink-drive-arrests"
    ]
    assert params["since"] == ["2018-19-Q4"]


def test_an_older_meeting_says_newer_data_exist_and_links_to_them(bundled, newer):
    """Opened after 2020/21 Q2 is imported, the 2019/20 Q4 meeting says newer data exist and
    offers the 2020/21 Q2 meeting, with 2019/20 Q4 as its last meeting."""
    query = f"?quarter={Q4}&priorities=1,4,7"
    for page in ("/present", "/meeting"):
        update = render_page(newer, page, query)
        assert "Newer data: the data now go to 2020/21 Q2. Show 2020/21 Q2" in text_of(
            update.body if page == "/present" else update.head
        )
        link = find([update.head, update.body], "newer-link").href
        path, found = split(link)
        params = parse_qs(found[1:])
        assert path == page
        assert params["quarter"] == [Q2] and params["since"] == [Q4]
        assert params["priorities"] == ["1,4,7"] and "figures" not in params
    # Nothing newer on the bundled data: nothing said.
    assert "Newer data" not in text_of(render_page(bundled, "/present", query).body)


def test_the_builder_shows_the_address_with_a_copy_button(bundled):
    """The address to copy, a real button to copy it and a live region that says what
    happened (tests/browser/test_claims_meeting_copy.py presses it in Chromium)."""
    update = render_page(bundled, "/meeting", MEETING)
    code = find(update.body, "builder-link")
    assert code.children.startswith(f"/present?quarter={Q4}&area=essex&priorities=1,4,7&")
    button = find(update.body, "builder-copy")
    assert button.children == "Copy link" and button.type == "button"
    status = find(update.body, "builder-copy-status")
    assert status.role == "status"


# ------------------------------------------------------------ 5: partial documents said as such


def test_a_partial_quarter_is_not_the_default_while_a_complete_one_exists(partial):
    """With a copy of the 2020/21 Q2 update holding Priority 1 only, the overview still opens on
    2019/20 Q4, and says the newer partial quarter is there."""
    update = render_page(partial, "/", "")
    head = text_of(update.head)
    assert "Plan at a glance: 2019/20 Q4" in head
    assert (
        "Newer data: 2020/21 Q2 is in the data, from a partial copy of the update: "
        "Priority 1 only." in head
    )


def test_a_partial_quarters_overview_says_it_is_partial(partial):
    """The partial quarter's overview says so, and says Priorities 2 to 7 were not in the copy
    rather than that nothing was published for them."""
    update = render_page(partial, "/", f"?quarter={Q2}")
    head, body = text_of(update.head), text_of(update.body)
    assert (
        "2020/21 Q2 (Jul–Sep 2020), Essex (force-wide): Priority 1 only (from a partial copy "
        "of the update), 26 updates and 3 headline figures." in head
    )
    assert "2020/21 Q2 is from a partial copy of the update: Priority 1 only." in head
    assert "No headline figures were published for this priority" not in body
    assert body.count("Not in the partial copy of the 2020/21 Q2 update") == 6


def test_priority_and_area_pages_say_the_quarter_is_partial(partial):
    priority = text_of(render_page(partial, "/priority/2", f"?quarter={Q2}").head)
    assert "2020/21 Q2 is from a partial copy of the update: Priority 1 only" in priority
    assert "Not in the partial copy of the 2020/21 Q2 update" in priority
    area = text_of(render_page(partial, "/area/southend", f"?quarter={Q2}").head)
    assert "2020/21 Q2 is from a partial copy of the update: Priority 1 only" in area


def test_the_slides_of_a_partial_quarter_say_so(partial):
    """Meeting mode's title slide and every priority slide name the quarter as partial."""
    title = text_of(render_page(partial, "/present", f"?quarter={Q2}").body)
    assert "2020/21 Q2 (Jul–Sep 2020), from a partial copy of the update: Priority 1 only" in title
    assert (
        "Priority 2: Crack Down on Anti-social Behaviour — not in the partial copy of the update"
        in title
    )
    slide = text_of(render_page(partial, "/present", f"?quarter={Q2}&priorities=2&slide=1").body)
    assert "from a partial copy of the update: Priority 1 only" in slide
    assert "Not in the partial copy of the 2020/21 Q2 update" in slide
