"""A meeting's own views: plain words for the verdicts, what changed since the last meeting,
and the slides cut to fit (every part placed once, in order, type never below its minimum)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.analysis.spc import xmr
from dashboard.data.periods import parse_quarter
from dashboard.views import views_of
from dashboard.views.meeting import Meeting, figure_options, since_options
from dashboard.views.signals import SignalRow, Signals
from dashboard.views.since import priority_changes
from dashboard.views.slides import LARGE, PPTX, STANDARD, deck
from dashboard.views.text import plain_verdict

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def quarters(n: int, start: str = "2016-17-Q1") -> list[str]:
    first = parse_quarter(start)
    return [first.shift(i).label for i in range(n)]


def series(values):
    return list(zip(quarters(len(values)), values, strict=True))


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


# ------------------------------------------------------------------------------ plain words

STEADY = [10, 12, 11, 13, 12, 11, 12, 13, 11, 12, 12, 11, 12]


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        ([5], "up", "First published figure: nothing earlier to compare it with yet"),
        ([5, 6], "up", "Too early to tell if this is a real change (2 quarters so far)"),
        (STEADY, "up", "No sign of real change yet: the ups and downs are within the usual range"),
        (STEADY + [30], "down", "A real rise: look into it"),
        (STEADY + [30], "up", "A real rise: an improvement"),
        (STEADY + [1], "down", "A real fall: an improvement"),
        (STEADY + [30], "neutral", "A real rise, neither good nor bad in itself"),
    ],
)
def test_plain_words_say_what_the_statistics_mean(values, direction, expected):
    result = xmr(series(values), direction)
    assert plain_verdict(result, direction) == expected


def test_plain_words_say_when_limits_are_early_and_numbers_small():
    result = xmr(series(STEADY[:8]), "up")
    said = plain_verdict(result, "up", small_numbers=True)
    assert said.startswith("No sign of real change yet")
    assert "early reading: fewer than 12 quarters" in said
    assert said.endswith("small numbers, so expect big swings")


# ------------------------------------------------------------------------ since last meeting


def _changes(vm, number, since="2018-19-Q4", quarter="2019-20-Q4", area="essex"):
    return priority_changes(
        vm, number, area, quarter, since, vm.signals(quarter), vm.signals(since)
    )


def test_revised_figures_give_both_values_and_when_each_was_published(vm):
    roads = _changes(vm, 7)
    texts = [r.text for r in roads.revised]
    assert texts == [
        "People seriously injured in road traffic collisions, 2016: was 970 (published "
        "January 2018), now 961 (published February 2021)",
        "People seriously injured in road traffic collisions, 2017: was 861 (published "
        "January 2018), now 880 (published February 2021)",
        # ONS: 37 in 'Table P1' of the YE March 2018 "v2" PFA tables edition (column J, Essex),
        # 38 in the open data table (rec-crime-pfa.csv, published April 2019)
        "Death or serious injury caused by illegal driving: police recorded crime, 12 months "
        "to Mar 2018: was 37 (published July 2018), now 38 (published April 2019)",
    ]


def test_a_second_source_with_the_same_value_is_not_a_revision(vm):
    """Road deaths in 2016 were published as 64 and again as 64: a confirmation."""
    roads = _changes(vm, 7)
    assert not [r for r in roads.revised if r.metric_id == "road-deaths"]


def test_new_figures_are_those_for_periods_after_the_last_meetings_quarter(vm):
    roads = _changes(vm, 7)
    new = {(f.metric_id, f.period) for f in roads.new}
    assert ("ksi-casualties", "2019-20-Q4") in new
    assert ("ksi-casualties", "2019") in new  # calendar 2019 ended after March 2019
    assert ("ksi-casualties", "2018-19-Q4") not in new  # the last meeting's own quarter
    assert ("ksi-casualties", "2020") not in new  # after this meeting's quarter
    # A meeting one quarter back sees the year 2019 as already known (it ended in December).
    later = _changes(vm, 7, since="2019-20-Q3")
    assert ("ksi-casualties", "2019") not in {(f.metric_id, f.period) for f in later.new}


def test_new_signals_are_those_not_seen_at_the_last_meeting(vm):
    view = vm.metric_view("ksi-casualties", None, "2019-20-Q4")
    row = SignalRow(view.metric_id, view.area_id, view.basis, "concern")
    now = Signals("2019-20-Q4", [row], 1, 1)
    found = priority_changes(
        vm, 7, "essex", "2019-20-Q4", "2018-19-Q4", now, Signals("x", [], 0, 0)
    )
    assert found.signals == [
        f"{view.label}: Too early to tell if this is a real change (2 quarters so far)"
    ]
    seen = priority_changes(vm, 7, "essex", "2019-20-Q4", "2018-19-Q4", now, now)
    assert seen.signals == []


def test_the_pack_marks_new_and_revised_figures(vm):
    pack = vm.pack(
        meeting=Meeting(
            "2019-20-Q4", priorities=(7,), figures=("ksi-casualties",), since="2018-19-Q4"
        )
    )
    assert pack.sections[0].headlines[0].change == "New since the last meeting"
    # Then how many of the meeting's figures got better and worse (issue 20): KSI, better.
    # 2 road casualty revisions + the ONS March 2018 driving figure (37 in the PFA tables' v2
    # edition, 38 in the open data table published later)
    assert pack.changes.summary.endswith("3 revised figures, no new signals; better: 1, worse: 0")


def test_a_last_meeting_after_the_quarter_is_dropped(vm):
    assert vm.pack(meeting=Meeting("2018-19-Q4", since="2019-20-Q4")).changes is None
    assert since_options(vm, "2019-20-Q4")[0] == ("2019-20-Q3", "2019/20 Q3")


# ------------------------------------------------------------------------------ the builder


def test_the_builder_offers_the_quarters_figures_then_other_periods_with_their_own(vm):
    options = figure_options(vm, 7, "2019-20-Q4", "essex")
    first_other = next(i for i, o in enumerate(options) if not o.this_quarter)
    assert all(o.this_quarter for o in options[:first_other])
    assert not any(o.this_quarter for o in options[first_other:])
    ksi_year = next(o for o in options if o.token == "ksi-casualties@calendar_year")
    assert (ksi_year.value, ksi_year.period) == ("873", "in 2019")
    assert [o.token for o in options if o.headline] == [
        "ksi-casualties",
        "road-deaths",
        "drink-drive-arrests",
    ]


# ------------------------------------------------------------------------------ the slides


@pytest.mark.parametrize("geo", [STANDARD, LARGE, PPTX], ids=lambda g: g.name)
@pytest.mark.parametrize("since", [None, "2018-19-Q4"])
def test_every_figure_and_key_point_is_on_exactly_one_slide_in_order(vm, geo, since):
    pack = vm.pack(meeting=Meeting("2019-20-Q4", since=since))
    slides = deck(pack, geo)
    assert slides[0].kind == "title" and slides[-1].kind == "sources"
    for section in pack.sections:
        mine = [s for s in slides if s.kind == "priority" and s.number == section.number]
        assert [s.part for s in mine] == list(range(1, len(mine) + 1))
        assert all(s.parts == len(mine) for s in mine)
        assert [t.metric_id for s in mine for t in s.tiles] == [
            h.metric_id for h in section.headlines
        ]
        assert sum(s.chart is not None for s in mine) == (section.chart is not None)
        shown = [p for s in mine for p in s.points]
        assert len(shown) == max(len(section.key_points), 1)
        # Reading order: figures, then the chart, then key points (a point never precedes a figure).
        order = [
            ("t" * len(s.tiles)) + ("c" if s.chart else "") + ("p" * len(s.points)) for s in mine
        ]
        assert re.fullmatch(r"t*c?p*", "".join(order)), order


def test_acronyms_are_spelt_out_on_each_slide_where_first_used(vm):
    pack = vm.pack("2019-20-Q4")
    slides = deck(pack, STANDARD)
    roads = next(s for s in slides if s.number == 7)
    assert roads.tiles[0].label.startswith("Killed or seriously injured (KSI)")
    anti_social = next(s for s in slides if s.number == 2)
    text = " ".join(anti_social.points)
    # Written out where the slide first uses it, then left short.
    assert "Rayleigh: A two year Community Behaviour Order (CBO) obtained" in text
    assert "A CBO has also been obtained" in text


def test_a_row_of_first_figures_says_so_once_not_on_each_tile(vm):
    slides = deck(vm.pack("2019-20-Q4"), STANDARD)
    gangs = next(s for s in slides if s.number == 5)
    assert gangs.shared_note.startswith("First published figures")
    assert all("nothing earlier" not in t.plain for t in gangs.tiles)


def test_type_is_never_below_24px_at_1920_or_18pt_in_powerpoint():
    for geo in (STANDARD, LARGE):
        smallest = min(
            geo.size(x) for x in (geo.body, geo.small, geo.context, geo.h2, geo.chart_title)
        )
        assert smallest * 19.2 >= 24, geo.name
    assert min(PPTX.body, PPTX.small, PPTX.context) * 9.6 >= 18  # 1 u is 9.6 pt


def test_the_stylesheet_uses_the_budgets_numbers():
    """views/slides.py fills slides from the sizes assets/present.css draws them with."""
    css = (ASSETS / "present.css").read_text(encoding="utf-8")

    def size(selector: str) -> float:
        block = re.search(
            re.escape(selector) + r"\s*\{[^}]*?font-size: calc\(([\d.]+) \* var\(--t\)", css
        )
        assert block, selector
        return float(block.group(1))

    assert size(".present-h1") == STANDARD.h1
    assert size(".present-frame") == STANDARD.body
    assert size(".present-h2") == STANDARD.h2
    assert size(".present-chart-title") == STANDARD.chart_title
    assert size(".present-value") == STANDARD.value
    assert ".present.text-large { --t: 1.6; }" in css and LARGE.t == 1.6
    assert "grid-template-columns: calc(40 * var(--u)) 1fr" in css and STANDARD.chart_width == 40
    assert "flex: 0 0 calc(4.4 * var(--u))" in css  # the controls: 56.25 - 4.4 - 2.5 >= 48
