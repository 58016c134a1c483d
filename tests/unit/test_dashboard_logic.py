"""Pure logic behind the pages: routing, the view model's selections, figures and their words
(no browser)."""

from __future__ import annotations

import pytest

from dashboard.figures.metric import comparison_figure, trend_figure
from dashboard.figures.theme import pin_category_positions, wrap_title
from dashboard.formatting import format_percent_change, format_value
from dashboard.pages.registry import PATHS, page_for
from dashboard.routing import build_query, resolve
from dashboard.views import Point, chart_kind, views_of
from dashboard.views.text import chart_summary, chart_title, comparison_phrase, xmr_chart_title


@pytest.fixture(scope="module")
def dataset(bundled_dataset):
    return bundled_dataset


@pytest.fixture(scope="module")
def vm(bundled_dataset):
    return views_of(bundled_dataset)


# -- formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (82344, "count", "82,344"),
        (5_400_000, "gbp", "£5.4m"),
        (100_000, "gbp", "£100,000"),
        (11.2, "percent", "11.2%"),
        (48144, "hours", "48,144"),
        (float("nan"), "count", "–"),
    ],
)
def test_numbers_are_written_as_people_write_them(value, unit, expected):
    assert format_value(value, unit) == expected


def test_percent_change_has_one_decimal_and_no_trailing_zero():
    assert format_percent_change(13.733) == "13.7%"
    assert format_percent_change(-20.0) == "20%"


# -- routing -------------------------------------------------------------------------------


def test_a_shared_link_resolves_to_its_filters(dataset):
    route = resolve("/priority/2", "?quarter=2019/20%20Q4&area=south-lpa", dataset, PATHS)
    assert (route.page, route.subject, route.quarter, route.area) == (
        "priority",
        "2",
        "2019-20-Q4",
        "south-lpa",
    )
    assert route.problems == []
    assert route.query() == "?quarter=2019-20-Q4&area=south-lpa"


@pytest.mark.parametrize(
    ("path", "search", "page", "says"),
    [
        ("/priority/9", "", "not-found", "priorities 1 to 7"),
        ("/metric/nope", "", "not-found", "no metric"),
        ("/area/atlantis", "", "not-found", "no area"),
        ("/nowhere", "", "not-found", "no page"),
        ("/", "?quarter=2019-20-Q5", "overview", "not a quarter"),
        ("/", "?quarter=2030-31-Q1", "overview", "no figures for 2030/31 Q1"),
        ("/", "?area=atlantis", "overview", "not an area"),
    ],
)
def test_unknown_values_in_a_url_get_a_friendly_message(dataset, path, search, page, says):
    route = resolve(path, search, dataset, PATHS)
    assert route.page == page
    assert any(says.lower() in message.lower() for message in route.problems), route.problems


def test_build_query_drops_empty_values():
    assert build_query(None, quarter="2019-20-Q4", area=None, q="") == "?quarter=2019-20-Q4"


# -- selections ----------------------------------------------------------------------------


def test_choosing_south_lpa_shows_its_updates_and_hides_the_west(vm):
    items = vm.narrative_items(quarter="2019-20-Q4", priority=2, area_id="south-lpa")
    text = " ".join(i["text"] for i in items)
    assert "Community Behaviour Order" in text  # Southend, a district of the South LPA
    assert "Rayleigh" in text
    assert "Thurrock" not in text  # a West LPA update
    # Force-wide updates stay.
    assert "Community Trigger" in text


def test_all_areas_show_every_update(vm):
    everything = vm.narrative_items(quarter="2019-20-Q4", priority=2)
    south = vm.narrative_items(quarter="2019-20-Q4", priority=2, area_id="south-lpa")
    assert len(everything) > len(south)


def test_search_words_keep_the_heading_of_a_matching_sub_bullet(vm):
    items = vm.narrative_items(quarter="2019-20-Q4", words="Operation GAMBLER")
    kinds = {i["kind"] for i in items}
    assert "heading" in kinds and "bullet" in kinds
    assert all("GAMBLER" in i["text"] or i["kind"] == "heading" for i in items)


def test_operations_are_found_across_the_narrative(vm):
    found = vm.index.operations
    assert "Operation SCEPTRE" in found
    assert found["Operation SCEPTRE"] == ["2019-20-Q4"]


def test_update_counts_are_bullets_for_the_area(vm):
    counts = {n: vm.update_count("2019-20-Q4", n, None) for n in range(1, 8)}
    assert all(n > 0 for n in counts.values())
    # Priority 1 has 26 bullets under 4 headings: headings are not updates.
    assert counts[1] == 26
    south = vm.update_count("2019-20-Q4", 1, "south-lpa")
    assert 0 < south < counts[1]  # the West's updates are not South's


def test_ksi_view_compares_with_the_same_quarter_last_year(vm):
    view = vm.metric_view("ksi-casualties", None, "2019-20-Q4")
    assert view.current == 168
    change = view.comparisons["same_quarter_last_year"]
    assert (change.baseline, change.absolute) == (170, -2)
    assert view.comparisons["previous_quarter"] is None
    assert view.verdict.startswith("Too few points to judge")


def test_a_metric_without_area_figures_falls_back_to_force_wide_and_says_so(vm, dataset):
    view = vm.metric_view("ksi-casualties", "south-lpa", "2019-20-Q4")
    assert view.area_id == dataset.force_id
    assert view.area_is_fallback


def test_viewing_an_earlier_quarter_leaves_out_later_figures(vm):
    view = vm.metric_view("ksi-casualties", None, "2018-19-Q4")
    assert [p.value for p in view.points] == [170]


# -- figures and words ---------------------------------------------------------------------


def test_number_of_points_decides_the_display():
    assert chart_kind([]) == "none"
    assert chart_kind([Point("2019/20 Q4", 1)]) == "card"
    assert chart_kind([Point("a", 1), Point("b", 2)]) == "comparison"
    assert chart_kind([Point("a", 1), Point("b", 2), Point("c", 3)]) == "trend"


def test_comparison_bars_start_at_zero_and_carry_their_values():
    figure = comparison_figure([Point("2018/19 Q4", 170), Point("2019/20 Q4", 168)], "count", "t")
    assert figure["layout"]["yaxis"]["rangemode"] == "tozero"
    assert figure["data"][0]["text"] == ["170", "168"]


def test_trend_is_labelled_directly_without_a_legend():
    points = [
        Point(str(y), v) for y, v in zip(range(2016, 2021), [1025, 926, 931, 873, 722], strict=True)
    ]
    figure = trend_figure(points, "count", "t")
    assert figure["layout"]["showlegend"] is False
    label = figure["layout"]["annotations"][0]
    assert label["text"] == "<b>722</b>"
    # Pinned to the category's position: "2020" as a label would be read as index 2020.
    assert label["x"] == 4


def test_pin_category_positions_moves_shapes_too():
    figure = {
        "data": [{"x": ["2016", "2017", "2018"]}],
        "layout": {
            "xaxis": {"type": "category"},
            "shapes": [{"x0": "2017", "x1": "2017"}],
            "annotations": [],
        },
    }
    pin_category_positions(figure)
    assert figure["layout"]["shapes"][0]["x0"] == 1


def test_long_titles_wrap_for_plotly():
    wrapped = wrap_title(
        "Killed or seriously injured (KSI) road casualties: down 2 (1.2%) on the same quarter last year"
    )
    assert "<br>" in wrapped
    assert all(len(line) <= 52 for line in wrapped.split("<br>"))


def test_title_and_summary_say_the_same_change(vm):
    view = vm.metric_view("ksi-casualties", None, "2019-20-Q4")
    title, summary = view.title, view.summary
    assert title == chart_title(view.metric, view.points, view.comparisons)
    assert summary == chart_summary(
        view.metric, view.points, view.comparisons, view.area_name, view.basis
    )
    assert "down 2 (1.2%) on the same quarter last year" in title
    assert "down 2 (1.2%) on the same quarter last year" in summary
    assert "168" in summary


def test_neutral_metric_change_is_not_called_better_or_worse(vm):
    view = vm.metric_view("emergency-calls-999", None, "2019-20-Q4")
    phrase = comparison_phrase(
        view.comparisons["same_quarter_last_year"], "count", "same_quarter_last_year"
    )
    assert phrase == "up 9,943 (13.7%) on the same quarter last year"
    assert "improv" not in phrase and "deterior" not in phrase


def test_trend_places_uneven_periods_in_time(vm):
    view = vm.metric_view("public-confidence", None, None)
    figure = trend_figure(view.points, "percent", "t")
    axis = figure["layout"]["xaxis"]
    assert axis["type"] == "date"
    # 12 months to Dec 2019, Dec 2021, Dec 2022: the axis keeps the two-year gap.
    assert figure["data"][0]["x"] == ["2019-12-31", "2021-12-31", "2022-12-31"]
    assert axis["ticktext"] == ["Dec<br>2019", "Dec<br>2021", "Dec<br>2022"]  # month over year
    assert axis["title"]["text"] == "Twelve months ending"


def test_percent_change_metrics_read_as_percentages(vm):
    assert format_value(43.8, "percent_change") == "43.8%"
    view = vm.metric_view("domestic-abuse-change-pct", None, None)
    assert "43.8%" in view.title


def test_xmr_chart_title_says_what_is_plotted_in_about_ten_words(vm):
    view = vm.metric_view("ksi-casualties", None, None, "calendar_year")
    title = xmr_chart_title(view.metric, view.area_name, view.spc.point_word)
    assert title.startswith("Killed or seriously injured (KSI) road casualties, Essex")
    assert title.endswith("each point against its process limits")
    assert len(title.split()) <= 16


def test_data_as_at_is_the_latest_quarter_end(dataset):
    assert str(dataset.data_as_at) == "2020-03-31"
    assert dataset.latest_figure_end >= dataset.data_as_at


def test_filters_as_first_shown_match_the_page(vm):
    from dashboard.components.filters import build

    def shown(path, search=""):
        route = resolve(path, search, vm.dataset, PATHS)
        names = page_for(route.page).filters
        return build(names, vm, route, search)[1]["shown"]

    assert shown("/priority/2")["quarter"] == "2019-20-Q4"
    assert shown("/narrative")["quarter"] == "all"
    assert shown("/", "?area=south-lpa")["area"] == "south-lpa"
    assert shown("/")["area"] == vm.force_id
