"""The one Pack every renderer uses: figures, chart choice, ranked key points, plain words,
other periods, a meeting's choice and order, acronyms, bad input."""

from __future__ import annotations

import pytest

from dashboard.views import PackError, views_of
from dashboard.views.keypoints import rank_key_points
from dashboard.views.meeting import Meeting
from dashboard.views.narrative import Expander, lead_sentences, short_expansion


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


def test_key_points_are_ranked_a_figures_own_sentence_first(pack):
    for section in pack.sections:
        assert 1 <= len(section.key_points) <= 5, section.heading
    roads = pack.sections[6].key_points
    # The KSI figure's own sentence, then the drink-drive figure's: the room hears the numbers
    # it sees on the slide, in the order of the figures.
    assert (
        roads[0]
        == "There were 168 Killed and seriously Injured (KSI) casualties in the last quarter."
    )
    assert roads[1].startswith("During Q4 a total of 346 drivers were arrested for drink driving")
    # Then an operation and its results, not the next bullet in the document.
    assert roads[2].startswith("Operation ORBITAL")


def test_a_figures_sentence_is_given_the_context_it_leans_on(pack):
    domestic = pack.sections[2].key_points
    # The figure's sentence is the bullet's third; its short first sentence says what it is about.
    assert domestic[0].startswith("Stalking Protection Orders went live in January 2020. A number")
    # "This quarter has seen 69 ..." names nothing: the figure's own name comes first.
    assert domestic[1].startswith("Domestic Violence Protection Orders granted: This quarter has")


def test_operations_and_results_come_before_other_updates():
    items = [
        {"item_id": "a", "kind": "bullet", "text": "Training is under way.", "area_id": None},
        {"item_id": "b", "kind": "bullet", "text": "12 in North.", "area_id": "north-lpa"},
        {"item_id": "c", "kind": "heading", "text": "West LPA:", "area_id": "west-lpa"},
        {
            "item_id": "d",
            "kind": "bullet",
            "text": "Six suspects were charged and remanded.",
            "area_id": None,
        },
        {"item_id": "e", "kind": "bullet", "text": "Operation TEST ran.", "area_id": "west-lpa"},
        {
            "item_id": "f",
            "kind": "bullet",
            "text": "There are 34 of them. More words.",
            "area_id": None,
        },
    ]
    names = {"north-lpa": "North LPA", "west-lpa": "West LPA"}
    ranked = rank_key_points(items, [("Things", "There are 34 of them.")], names)
    assert ranked == [
        "There are 34 of them.",  # a figure on the slide: its own sentence
        "Six suspects were charged and remanded.",  # a result, force-wide first
        "West LPA: Operation TEST ran.",  # an operation
        "North LPA: 12 in North.",  # a figure not on the slide
        "Training is under way.",
    ]


def test_the_default_pack_leaves_other_periods_off(pack):
    """The 2019/20 Q4 pack once showed domestic abuse to April 2019 as Priority 3's chart (and
    public confidence to December 2022): a figure from another period is shown only if picked."""
    for section in pack.sections:
        assert all(h.this_quarter for h in section.headlines), section.heading
        if section.chart is not None:
            assert section.chart.points[-1].label == "2019/20 Q4", section.heading
    assert pack.sections[2].chart is None


def test_a_picked_figure_from_another_period_says_its_period_and_its_caveat(vm):
    pack = vm.pack(
        meeting=Meeting("2019-20-Q4", priorities=(3,), figures=("domestic-abuse-change-pct",))
    )
    (figure,) = pack.sections[0].headlines
    assert not figure.this_quarter
    assert figure.value == "43.8%" and figure.period == "in the 12 months to Apr 2019"
    assert "Home Office Counting Rules change for stalking and harassment" in figure.caveat
    assert "ingest" not in figure.caveat and "shipped" not in figure.caveat
    assert [p.label for p in pack.sections[0].chart.points][-1] == "12 months to Apr 2019"


def test_nothing_after_the_quarter_is_shown_for_it(vm):
    pack = vm.pack(meeting=Meeting("2019-20-Q4", priorities=(1,), figures=("public-confidence",)))
    (figure,) = pack.sections[0].headlines
    assert figure.period == "in the 12 months to Dec 2019"  # not December 2022


def test_the_meetings_priorities_and_figures_keep_their_order(vm):
    pack = vm.pack(
        meeting=Meeting(
            "2019-20-Q4",
            priorities=(7, 1),
            figures=("drink-drive-arrests", "ksi-casualties", "emergency-calls-999"),
        )
    )
    assert [s.number for s in pack.sections] == [7, 1]
    assert [h.metric_id for h in pack.sections[0].headlines] == [
        "drink-drive-arrests",
        "ksi-casualties",
    ]
    assert [h.metric_id for h in pack.sections[1].headlines] == ["emergency-calls-999"]
    # The chart is the first figure in the meeting's order with two or more points.
    assert pack.sections[0].chart.metric_id == "drink-drive-arrests"
    assert pack.sections[0].key_points[0].startswith("During Q4 a total of 346 drivers")


def test_verdicts_are_in_plain_words_beside_the_statistical_term(pack):
    ksi = pack.sections[6].headlines[0]
    assert ksi.plain == "Too early to tell if this is a real change (2 quarters so far)"
    assert ksi.verdict.startswith("Too few points to judge")
    words = " ".join(h.plain for s in pack.sections for h in s.headlines)
    for term in ("special cause", "common-cause", "XmR", "trial limits", "Signal or noise"):
        assert term.lower() not in words.lower()


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
