"""The one Pack every renderer uses: figures, chart choice, key points, acronyms, bad input."""

from __future__ import annotations

import pytest

from dashboard.views import PackError, views_of
from dashboard.views.narrative import Expander, choose_key_points, lead_sentences, short_expansion


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


@pytest.fixture(scope="module")
def pack(vm):
    return vm.pack("2019/20 Q4")


def test_pack_has_seven_priorities_in_order(pack):
    assert [s.number for s in pack.sections] == [1, 2, 3, 4, 5, 6, 7]
    assert pack.quarter == "2019-20-Q4"
    assert pack.as_at_line.startswith("Data as at ")


def test_priority_7_headlines_and_chart_are_the_published_figures(pack):
    roads = pack.sections[6]
    ksi = roads.headlines[0]
    assert ksi.metric_id == "ksi-casualties"
    assert ksi.value == "168"
    assert ksi.comparisons[0].startswith("▼ down 2 (1.2%) on the same quarter last year")
    assert roads.chart is not None and roads.chart.metric_id == "ksi-casualties"
    assert [p.value for p in roads.chart.points] == [170.0, 168.0]
    assert "168" in roads.chart.summary


def test_key_points_are_three_to_five_in_document_order(pack):
    for section in pack.sections:
        assert 3 <= len(section.key_points) <= 5, section.heading
    first = pack.sections[6].key_points[0]
    assert first.startswith("There were 168 Killed and seriously Injured (KSI) casualties")


def test_key_points_prefer_bullets_with_figures_then_force_wide():
    items = [
        {"item_id": "a", "kind": "bullet", "text": "No figures here.", "area_id": None},
        {"item_id": "b", "kind": "bullet", "text": "12 in North.", "area_id": "north-lpa"},
        {"item_id": "c", "kind": "heading", "text": "West LPA:", "area_id": "west-lpa"},
        {"item_id": "d", "kind": "bullet", "text": "34 force-wide.", "area_id": None},
        {"item_id": "e", "kind": "bullet", "text": "Words only.", "area_id": "west-lpa"},
    ]
    chosen = [i["item_id"] for i in choose_key_points(items)]
    assert chosen == ["a", "b", "d"]  # two with figures, filled to three, shown in document order


def test_lead_sentences_keeps_a_short_first_sentence_with_the_next():
    assert (
        lead_sentences("Short one. Second sentence here. Third.")
        == "Short one. Second sentence here."
    )
    long_first = "A" * 100 + ". Next."
    assert lead_sentences(long_first) == "A" * 100 + "."


def test_acronyms_are_expanded_once_per_slide():
    expand = Expander({"KSI": "Killed or seriously injured (road casualties); the report writes x"})
    assert (
        short_expansion("Killed or seriously injured (road casualties); x")
        == "Killed or seriously injured"
    )
    assert expand("KSI fell. KSI again.") == "Killed or seriously injured (KSI) fell. KSI again."
    assert expand("KSI on the same slide") == "KSI on the same slide"
    expand.new_slide()
    assert expand("Total KSI").startswith("Total Killed or seriously injured (KSI)")
    expand.new_slide()
    # Already expanded in the text: left alone.
    assert expand("Killed and seriously Injured (KSI) casualties") == (
        "Killed and seriously Injured (KSI) casualties"
    )


def test_area_pack_uses_area_narrative_and_force_figures_where_not_published(vm):
    pack = vm.pack("2019-20-Q4", "South")  # an alias is accepted
    assert pack.area_id == "south-lpa"
    assert pack.sections[6].headlines[0].note.startswith("Force-wide figure")


@pytest.mark.parametrize(
    ("quarter", "area", "message"),
    [
        ("nonsense", None, "not a quarter we recognise"),
        ("2016-17-Q1", None, "no figures for 2016/17 Q1"),
        (None, "atlantis", "not an area in the data"),
    ],
)
def test_bad_quarter_or_area_is_a_plain_message(vm, quarter, area, message):
    with pytest.raises(PackError, match=message):
        vm.pack(quarter, area)


def test_counts_are_the_overviews(pack, vm):
    """The pack counts updates (bullets, not headings) and headline figures as the overview does:
    Priority 1 has 26 updates under 4 headings (the PDF once said 30)."""
    assert pack.sections[0].updates == 26
    for section in pack.sections:
        assert section.updates == vm.update_count(pack.quarter, section.number, None)
        figures = vm.headline_figures(section.number, pack.quarter, None)
        assert [h.metric_id for h in section.headlines] == [v.metric_id for v in figures]
        assert section.counts.endswith(f"{section.updates} updates")
