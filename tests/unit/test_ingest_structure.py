"""The reference report's structure: every bullet under the right priority, objective, area."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import DATA, REFERENCE  # noqa: E402

from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402


@pytest.fixture(scope="module")
def result():
    return ingest(REFERENCE, Reference.load(DATA))


@pytest.fixture(scope="module")
def narrative(result):
    return result.tables["narrative"]


def _report_bullets() -> list[tuple[int, str, int]]:
    """(priority, text, level) of every "- " line, read the simplest way from the .txt."""
    out, priority = [], 0
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^Priority (\d) [-–] .*[^\d]$", line)
        if heading:
            priority = int(heading[1])
        match = re.match(r"^( ?)- (.*)$", line)
        if match and priority:
            out.append((priority, match[2].strip(), 1 if match[1] else 0))
    return out


def test_title_block(result):
    title = result.document.title
    assert title.plan == "Police and Crime Plan 2016-2020"
    assert title.quarter.label == "2019-20-Q4"
    assert title.quarter_text == "Quarter 4 – 2019/20"
    assert (title.data_to, title.version, title.published) == ("2020-03", "1.2", "2020-04")
    assert title.producer == "Performance Analysis Unit, Essex Police"
    source = result.tables["sources"].iloc[0]
    assert source["source_id"] == "pcp-2019-20-q4"
    assert source["title"] == (
        "Police and Crime Plan 2016-2020 Quarterly Update, Quarter 4 – 2019/20 (data to March 2020)"
    )


def test_every_bullet_recovered_once_with_its_level_and_priority(narrative):
    expected = _report_bullets()
    got = [
        (r.priority, r.text, r.level)
        for r in narrative[narrative["text"].str.len() > 0].itertuples()
        if r.kind != "intro"
        and r.text not in ("The Force Control Room (FCR):", "The Resolution Centre (RC):")
    ]
    assert got == expected
    assert len(expected) == 95


def test_counts_per_priority(narrative):
    bullets = narrative[narrative["level"] == 0].groupby("priority").size().to_dict()
    subs = narrative[narrative["level"] == 1].groupby("priority").size().to_dict()
    # level-0 items include the "West LPA:" style headings and P1's two unbulleted headings
    assert bullets == {1: 25, 2: 5, 3: 8, 4: 10, 5: 16, 6: 11, 7: 6}
    assert subs == {1: 5, 2: 6, 3: 4, 4: 2}


def test_noise_removed(narrative):
    text = " ".join(narrative["text"])
    assert "Quarterly Update 2019/20 Q4" not in text
    assert "Contents" not in text
    assert not any(t.startswith(("-", "•", "▪", "*")) for t in narrative["text"])
    assert not narrative["text"].str.fullmatch(r"\d+").any()


def test_objectives_match_the_catalogue(narrative):
    per_priority = narrative.groupby("priority")["objective_id"].unique().map(sorted).to_dict()
    assert per_priority[1] == ["p1-o1", "p1-o2", "p1-o3"]
    assert per_priority[4] == ["p4-o1", "p4-o2"]
    assert per_priority[7] == ["p7-o1"]


def test_west_lpa_in_priority_1_has_three_sub_bullets(narrative):
    heading = narrative[(narrative["text"] == "West LPA:") & (narrative["objective_id"] == "p1-o1")]
    assert len(heading) == 1 and heading.iloc[0]["kind"] == "heading"
    children = narrative[narrative["parent_id"] == heading.iloc[0]["item_id"]]
    assert len(children) == 3
    assert set(children["area_id"]) == {"west-lpa"} and set(children["level"]) == {1}


def test_southend_cbo_sits_under_south_lpa_with_area_southend(narrative):
    row = narrative[
        narrative["text"].str.startswith("Southend: A two year Community Behaviour Order")
    ]
    assert len(row) == 1
    row = row.iloc[0]
    parent = narrative.set_index("item_id").loc[row["parent_id"]]
    assert parent["text"] == "South Local Policing Area (LPA):" and parent["area_id"] == "south-lpa"
    assert (row["priority"], row["level"], row["area_id"]) == (2, 1, "southend")


def test_areas_of_top_level_and_prefixed_items(narrative):
    by_start = lambda s: narrative[narrative["text"].str.startswith(s)].iloc[0]  # noqa: E731
    assert by_start("Castle Point and Rochford:")["area_id"] == "castle-point-and-rochford"
    assert by_start("South LPA (Local Policing Area):")["area_id"] == "south-lpa"
    assert by_start("In Thurrock, an expedited")["area_id"] == "thurrock"
    heading = by_start("South Local Policing Area (LPA)")  # P4 writes it without a colon
    assert heading["kind"] == "heading"
    assert by_start("Call-handling demand")["area_id"] == ""  # force-wide
    fcr = by_start("The Force Control Room (FCR):")
    assert fcr["kind"] == "heading"
    assert by_start("Call-handling demand")["parent_id"] == fcr["item_id"]
    assert by_start("Partnership Working - ")["kind"] == "intro"


def test_item_ids_and_order(narrative):
    assert narrative["item_id"].is_unique
    assert narrative["item_id"].iloc[0] == "2019-20-q4-p1-1"
    assert list(narrative["order"]) == list(range(1, len(narrative) + 1))
    assert set(narrative["quarter"]) == {"2019-20-Q4"}
