"""Claims about areas (issue 20, findings 1 and 8): the areas offered are the force's own, a URL
naming another force never puts its name over Essex's figures, and an update counts for an area
when it names it anywhere in its text (with its aliases), not only as a "Southend:" prefix.

Each assertion is what a person would read: the Area filter's choices, the message a link gets,
which updates an area's page lists and how many the overview counts.
"""

from __future__ import annotations

import pytest

from dashboard.pages.registry import PATHS
from dashboard.routing import resolve
from dashboard.views import views_of
from dashboard.views.narrative import bullets
from dashboard.views.pack import PackError

QUARTER = "2019-20-Q4"
WEYMOUTH = "2019-20-q4-p4-1"  # "Operation WEYMOUTH: ... the murder of a man in Southend ..."
LUSCOMBE = "2019-20-q4-p2-3"  # "Colchester: ... with Chelmsford preparing to implement this soon."
THURROCK_TEAM = "2019-20-q4-p2-10"  # under "West LPA:": "...Thurrock town team has expanded..."
DRINK_AWARE = "2019-20-q4-p6-4"  # "...in the South of the county ... Nightclub in Basildon..."


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


def ids(items) -> list[str]:
    return [i["item_id"] for i in items]


# -- finding 1: the areas are the force's own ------------------------------------------------


def test_the_area_filter_offers_essex_and_its_own_areas_only(vm):
    options = dict(vm.index.area_options)
    types = {vm.dataset.area_index[a]["area_type"] for a in options}
    assert types == {"force", "lpa", "district", "town"}
    labels = " ".join(options.values())
    assert "Hertfordshire" not in labels and "England and Wales" not in labels
    assert "Kent (Local Policing Area not stated)" not in labels  # as the filter once said
    # Essex's own areas are all still there, the force first.
    assert next(iter(options)) == "essex"
    for own in ("north-lpa", "south-lpa", "west-lpa", "southend", "colchester", "rayleigh"):
        assert own in options


def test_districts_whose_lpa_is_not_stated_say_so_in_words_that_are_true(vm):
    options = dict(vm.index.area_options)
    assert options["colchester"] == "Colchester (Local Policing Area not stated)"


@pytest.mark.parametrize("area", ["hertfordshire", "england-and-wales"])
def test_a_link_naming_another_force_as_the_area_gets_a_message_and_essex_figures(
    bundled_dataset, area
):
    route = resolve("/", f"?area={area}", bundled_dataset, PATHS)
    assert route.area is None  # the page shows the force, under the force's name
    name = bundled_dataset.area_index[area]["name"]
    message = " ".join(route.problems)
    assert name in message
    assert "not one of Essex's areas" in message
    assert f"this page shows Essex (force-wide), not {name}" in message
    assert "comparison pages" in message
    assert "area" not in route.params  # the filter bar and links do not carry it on


def test_an_area_page_for_another_force_is_refused_with_the_reason(bundled_dataset):
    route = resolve("/area/hertfordshire", "", bundled_dataset, PATHS)
    assert route.page == "not-found"
    assert any(
        "Hertfordshire is another police force area" in p
        and "it has no area page here" in p
        and "comparison pages" in p
        for p in route.problems
    ), route.problems


def test_packs_and_downloads_refuse_another_force_as_the_area(vm):
    with pytest.raises(PackError, match="Hertfordshire is another police force area"):
        vm.resolve_area("hertfordshire")
    with pytest.raises(PackError, match="England and Wales is the national total"):
        vm.resolve_area("England and Wales")
    assert vm.resolve_area("Southend") == "southend"


# -- finding 8: an update counts for an area when it names it anywhere ---------------------


def test_an_update_naming_southend_inside_the_sentence_is_on_southends_page(vm):
    listed = ids(vm.area_items(QUARTER, 4, "southend"))
    assert WEYMOUTH in listed
    # and on the page of the LPA Southend is in
    assert WEYMOUTH in ids(vm.area_items(QUARTER, 4, "south-lpa"))
    # but not on another district's own page
    assert WEYMOUTH not in ids(vm.area_items(QUARTER, 4, "colchester"))


def test_an_update_filed_under_one_area_counts_for_another_it_names(vm):
    # LUSCOMBE is a "Colchester:" bullet that names Chelmsford in its last sentence.
    assert LUSCOMBE in ids(vm.area_items(QUARTER, 2, "chelmsford"))
    assert LUSCOMBE in ids(vm.narrative_items(quarter=QUARTER, priority=2, area_id="chelmsford"))
    # A "West LPA:" sub-bullet about the Thurrock town team counts for Thurrock.
    assert THURROCK_TEAM in ids(vm.area_items(QUARTER, 2, "thurrock"))


def test_the_one_update_count_includes_updates_that_name_the_area(vm):
    shown = bullets(vm.narrative_items(quarter=QUARTER, priority=2, area_id="chelmsford"))
    assert LUSCOMBE in ids(shown)
    assert vm.update_count(QUARTER, 2, "chelmsford") == len(shown)


def test_a_compass_word_alone_is_not_an_lpa(vm):
    """'the South of the county' is a direction, not the South LPA: "South" is an alias for a
    "South:" label, never for a word in running text."""
    named = vm.index.area_mentions.named
    assert named("went live in December in the South of the county") == set()
    assert named("tasked across the South LPA and Southend") == {
        "south-lpa",
        "southend",
    }
    assert named("Drink Aware ... Unit 7 Nightclub in Basildon") == {"basildon"}
    # Another force named in an update is not one of the force's areas.
    assert named("officers from Hertfordshire and Kent") == set()


def test_drink_aware_counts_for_basildon_by_name_not_for_the_south_by_direction(vm):
    assert DRINK_AWARE in ids(vm.area_items(QUARTER, 6, "basildon"))
    assert DRINK_AWARE in ids(vm.area_items(QUARTER, 6, "colchester"))
    assert DRINK_AWARE not in ids(vm.area_items(QUARTER, 6, "north-lpa"))
