"""Claims of issue 20 about what a meeting is handed (findings 4, 5, 6 and the first half of 8):
links that keep their meaning after a later import, a partial document said as such, packs that
name every source they quote, and what got better and what got worse since the last meeting.

Each test reads what a person reads: the pack's lines, the slides' text, the links' addresses.
"""

from __future__ import annotations

import pytest

from dashboard.views import views_of
from dashboard.views.meeting import Meeting
from dashboard.views.slides import STANDARD, deck

Q4 = "2019-20-Q4"
SINCE = "2018-19-Q4"


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


def changed(pack) -> list[str]:
    """The lines of meeting mode's "What changed since the last meeting" slides, in order."""
    return [item for s in deck(pack, STANDARD) if s.kind == "changes" for item in s.items]


def about_line(vm, source_id: str) -> str:
    """A source as the About page lists it: its title, publisher and publication date."""
    s = vm.dataset.source_index[source_id]
    return f"{s['title']} ({s['publisher']}, published {s['published']})"


# ----------------------------------------------------------- 6: packs name every source they quote


def test_a_pack_names_the_national_tables_its_comparisons_print(vm):
    """The 2019/20 Q4 pack prints "How Essex compares" tables of ONS recorded crime and Home
    Office workforce figures and the group named in a 2014 report: it lists each of them, with
    publisher and date, as the About page does, not only the quarter's update."""
    pack = vm.pack(Q4)
    for source_id in (
        "pcp-2019-20-q4",
        "ons-prc-pfa-2018-12",  # rolling 12 months to December 2018, every force
        "ho-police-workforce-2018-09",  # workforce at 30 September 2018
        "ho-police-workforce-2017-09",  # and a year earlier (the table's "A year earlier")
        "mpr-2014-01",  # names Essex's most similar group of forces
    ):
        assert about_line(vm, source_id) in pack.sources, source_id
    priority_1 = pack.sections[0]
    assert about_line(vm, "ho-police-workforce-2018-09") in priority_1.sources
    slides = [s for s in deck(pack, STANDARD) if s.kind == "sources"]
    listed = [item for s in slides for item in s.items]
    assert about_line(vm, "ons-prc-pfa-2018-12") in listed


def test_a_pack_names_the_sources_of_the_revisions_it_quotes(vm):
    """Since 2018/19 Q4, Priority 7 quotes road casualty figures published again in February
    2021: the pack lists that publication and the one it revised."""
    pack = vm.pack(meeting=Meeting(Q4, None, (7,), None, SINCE))
    section = pack.sections[0]
    assert any("published February 2021" in line for line in changed(pack))
    assert about_line(vm, "serp-2021-02-vision-zero") in section.sources
    assert about_line(vm, "serp-2018-01-road-deaths-2017") in pack.sources


# --------------------------------------------------- 8: what got better, what got worse, in order


def test_since_the_last_meeting_lists_better_then_worse_by_the_direction_of_good(vm):
    """Road safety since 2018/19 Q4: fewer killed or seriously injured (lower is better) is
    better, more deaths is worse, drink-drive arrests (neither is better) are said neutrally;
    better first, then worse, each with the size of the change and whether it is a signal."""
    pack = vm.pack(meeting=Meeting(Q4, None, (7,), None, SINCE))
    heading, *lines = changed(pack)
    assert heading.startswith("Priority 7: Improve Safety on our Roads: ")
    assert lines[0] == (
        "Better: Killed or seriously injured (KSI) road casualties: 168 in 2019/20 Q4, down 2 "
        "(1.2%) from 170 in 2018/19 Q4; too early to tell if this is a real change "
        "(2 quarters so far)."
    )
    assert lines[1].startswith(
        "Worse: People killed in road traffic collisions: 12 in 2019/20 Q4, up 4 (50%) from 8 "
        "in 2018/19 Q4;"
    )
    assert lines[2].startswith(
        "Moved, on a measure where neither higher nor lower is better: Drivers arrested for "
        "drink driving: 346 in 2019/20 Q4, down 7 (2%) from 353 in 2018/19 Q4;"
    )
    assert not any(line.startswith(("Better: Drivers", "Worse: Drivers")) for line in lines)


def test_a_fall_where_higher_is_better_is_listed_as_worse(vm):
    """Special Constables fell from 514 to 507: higher is better, so it is worse, not better."""
    pack = vm.pack(meeting=Meeting(Q4, None, (1,), None, SINCE))
    _, *lines = changed(pack)
    assert lines[0].startswith(
        "Worse: Special Constables (volunteer police officers): headcount: 507 in 2019/20 Q4, "
        "down 7 (1.4%) from 514 in 2018/19 Q4;"
    )
    assert not any(line.startswith("Better: Special Constables") for line in lines)


def test_the_slides_list_better_and_worse_first(vm):
    """Meeting mode's "What changed" slide and each priority's slide say the same lines, by
    priority in the meeting's order."""
    pack = vm.pack(meeting=Meeting(Q4, None, (7, 1), None, SINCE))
    slides = deck(pack, STANDARD)
    lines = changed(pack)
    assert lines[0].startswith("Priority 7")
    assert lines[1].startswith("Better: Killed or seriously injured")
    assert lines[2].startswith("Worse: People killed")
    assert lines.index(next(x for x in lines if x.startswith("Priority 1"))) > 2
    road = next(s for s in slides if s.kind == "priority" and s.number == 7)
    assert any(line.startswith("Better: Killed or seriously injured") for line in road.changes)


# ------------------------------------------------------------ 5: partial documents said as such


def test_a_partial_copy_is_read_from_the_mark_ingest_writes():
    """The mark `ingest --partial` puts on a source's title is the record of a partial copy:
    a quarter whose every update source carries it holds the priorities no copy lacks, and a
    complete copy of the same quarter makes it whole."""
    from dashboard.data.partial import held_words, missing_priorities, partial_quarters

    cut = "Quarterly Update, Quarter 2 – 2020/21 [partial copy: Priority 2, 3, 4, 5, 6, 7 missing]"
    assert missing_priorities(cut) == frozenset({2, 3, 4, 5, 6, 7})
    assert missing_priorities("Quarterly Update, Quarter 4 – 2019/20") is None
    titles = {"a": cut, "b": "Quarterly Update, Quarter 2 – 2020/21", "c": cut}
    plan = range(1, 8)
    assert partial_quarters([("2020-21-Q2", "a")], titles, plan) == {"2020-21-Q2": (1,)}
    assert partial_quarters([("2020-21-Q2", "a"), ("2020-21-Q2", "b")], titles, plan) == {}
    assert held_words((1,)) == "Priority 1 only"
    assert held_words((1, 2, 3)) == "Priorities 1 to 3 only"
    assert held_words((1, 3, 5)) == "Priorities 1, 3 and 5 only"


def test_a_figure_with_nothing_to_compare_with_is_named_not_dropped(vm):
    """Domestic abuse's two headline figures have no value for 2018/19 Q4: the changes name
    them as not compared, rather than leaving them out without a word."""
    pack = vm.pack(meeting=Meeting(Q4, None, (3,), None, SINCE))
    _, *lines = changed(pack)
    assert lines[0].startswith("No figure for 2018/19 Q4 to compare with: ")
    assert not any(line.startswith(("Better: ", "Worse: ")) for line in lines)


def test_the_meetings_summary_counts_better_and_worse(vm):
    """The line on the title slide and the builder: how many of the meeting's figures got
    better and how many worse (Special Constables and road deaths worse, KSI better)."""
    pack = vm.pack(meeting=Meeting(Q4, None, (1, 7), None, SINCE))
    title = next(s for s in deck(pack, STANDARD) if s.kind == "title")
    assert (
        # + 6 new ONS figures (years ending June and December 2019 of the PFA tables editions)
        # and 1 revised (driving, YE March 2018: 37 in the v2 edition, 38 in the open data table)
        "Since the last meeting (2018/19 Q4): 50 new figures, 3 revised figures, no new signals; "
        "better: 1, worse: 2." in title.intro
    )
