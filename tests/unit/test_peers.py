"""Comparison numbers worked by hand from cells read by eye.

Special Constables (headcount): data/published/home-office-workforce/
police-workforce-sep18-tables.ods, sheet Table_6, column B (30 Sep 2017) and column D
(30 Sep 2018); the sheet's own change columns E and F were used to check each difference.

    row 36 Essex            390 -> 476   (+86, +22.05%)
    row 50 Avon & Somerset  340 -> 332   (-8,  -2.35%)
    row 23 Derbyshire       233 -> 201   (-32, -13.73%)
    row 44 Hampshire        369 -> 350   (-19, -5.15%)
    row 37 Hertfordshire    246 -> 269   (+23, +9.35%)
    row 24 Leicestershire   307 -> 262   (-45, -14.66%)
    row 29 Staffordshire    254 -> 223   (-31, -12.20%)
    row 47 Sussex           258 -> 179   (-79, -30.62%)
    row 60 Total 43 forces  12,601 -> 11,029 (-1,572, -12.48%)

Group (the seven forces the January 2014 report names): 2,007 -> 1,816 in total, an average
of 286.714 -> 259.429 (-27.286, -9.52%). Among the 43 forces only Cleveland (+26.56%, row 8)
and Surrey (+37.82%, row 46) rose by more than Essex: Essex is 41st of 43 counting from the
lowest change, and 8th of 8 in its group.

Violence with injury: data/published/rec-crime-pfa.csv, 12 months ending 30-12-2017 and
31-12-2018 (text editor line numbers):

    Essex            13,612 (42109) -> 14,316 (45817)  (+704, +5.17%)
    Avon and Somerset 12,044 (41856) -> 12,804 (45564) (+760, +6.31%)
    Derbyshire        7,561 (42004) -> 9,390 (45712)   (+1,829, +24.19%)
    Hampshire        21,335 (42193) -> 21,387 (45901)  (+52, +0.24%)
    Hertfordshire     8,655 (42214) -> 8,726 (45922)   (+71, +0.82%)
    Leicestershire    6,821 (42298) -> 6,840 (46006)   (+19, +0.28%)
    Staffordshire    11,220 (42571) -> 10,886 (46279)  (-334, -2.98%)
    Sussex           13,210 (42634) -> 13,676 (46342)  (+466, +3.53%)

Group: 80,846 -> 83,709, an average of 11,549.43 -> 11,958.43 (+409, +3.54%). In the group,
by percentage change from the lowest: Staffordshire, Hampshire, Leicestershire, Hertfordshire,
Sussex, Essex, Avon and Somerset, Derbyshire: Essex is 6th of 8.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis.peers import compare_with_peers, trend_against_group, year_earlier

GROUP = [
    "avon",
    "derbyshire",
    "hampshire",
    "hertfordshire",
    "leicestershire",
    "staffordshire",
    "sussex",
]

SPECIALS = {  # area: (30 Sep 2017, 30 Sep 2018)
    "essex": (390, 476),
    "avon": (340, 332),
    "derbyshire": (233, 201),
    "hampshire": (369, 350),
    "hertfordshire": (246, 269),
    "leicestershire": (307, 262),
    "staffordshire": (254, 223),
    "sussex": (258, 179),
    "cleveland": (64, 81),
    "surrey": (119, 164),
    "england-and-wales": (12601, 11029),
}
# the other 33 forces of Table_6 (column B, column D), rows 8-58 by eye
OTHER_FORCES = {
    "durham": (62, 63),
    "northumbria": (200, 167),
    "cheshire": (443, 337),
    "cumbria": (86, 61),
    "greater-manchester": (512, 395),
    "lancashire": (455, 349),
    "merseyside": (208, 240),
    "humberside": (217, 152),
    "north-yorkshire": (126, 127),
    "south-yorkshire": (216, 164),
    "west-yorkshire": (436, 404),
    "lincolnshire": (152, 129),
    "northamptonshire": (345, 254),
    "nottinghamshire": (187, 164),
    "warwickshire": (203, 166),
    "west-mercia": (388, 291),
    "west-midlands": (180, 162),
    "bedfordshire": (195, 178),
    "cambridgeshire": (243, 216),
    "norfolk": (205, 190),
    "suffolk": (193, 165),
    "city-of-london": (75, 79),
    "metropolitan-police": (2470, 2062),
    "kent": (296, 283),
    "thames-valley": (471, 411),
    "devon-and-cornwall": (430, 325),
    "dorset": (118, 111),
    "gloucestershire": (144, 172),
    "wiltshire": (224, 245),
    "dyfed-powys": (98, 58),
    "gwent": (102, 54),
    "north-wales": (204, 183),
    "south-wales": (137, 135),
}
FORCES = [a for a in SPECIALS if a != "england-and-wales"] + list(OTHER_FORCES)


def frame(pairs: dict, periods: tuple[str, str]) -> pd.DataFrame:
    rows = [
        {"area_id": area, "period": period, "value": float(value)}
        for area, values in pairs.items()
        for period, value in zip(periods, values, strict=True)
    ]
    return pd.DataFrame(rows)


def specials(**kwargs):
    values = frame({**SPECIALS, **OTHER_FORCES}, ("2017-09-30", "2018-09-30"))
    options = dict(
        basis="as_at",
        period="2018-09-30",
        focus="essex",
        peers=GROUP,
        forces=FORCES,
        national="england-and-wales",
        improvement="up",
    )
    return compare_with_peers(values, **{**options, **kwargs})


def test_there_are_43_forces_in_the_hand_list():
    assert len(FORCES) == 43 and len(set(FORCES)) == 43


def test_special_constables_essex_and_each_force_of_the_group():
    result = specials()
    assert result.year_earlier_period == "2017-09-30"
    essex = result.focus.change
    assert (essex.absolute, round(essex.percent, 2), essex.assessment) == (86, 22.05, "better")
    by_area = {f.area_id: f.change for f in result.peers}
    assert [by_area[a].absolute for a in GROUP] == [-8, -32, -19, 23, -45, -31, -79]
    assert [round(by_area[a].percent, 2) for a in GROUP] == [
        -2.35,
        -13.73,
        -5.15,
        9.35,
        -14.66,
        -12.2,
        -30.62,
    ]


def test_special_constables_group_average_and_england_and_wales():
    result = specials()
    average = result.group_average
    assert average.value == pytest.approx(259.429, abs=5e-4)
    assert average.year_earlier == pytest.approx(286.714, abs=5e-4)
    assert average.change.absolute == pytest.approx(-27.286, abs=5e-4)
    assert average.change.percent == pytest.approx(-9.52, abs=5e-3)
    assert (average.computed, average.count) == (True, 7)
    national = result.national
    assert (national.value, national.year_earlier, national.computed) == (11029, 12601, False)
    assert national.change.absolute == -1572 and round(national.change.percent, 2) == -12.48


def test_special_constables_rank():
    result = specials()
    assert (result.national_rank.rank, result.national_rank.out_of) == (41, 43)
    assert (result.group_rank.rank, result.group_rank.out_of) == (8, 8)
    # Sussex, the largest fall in the group, is 1st of 8 from the lowest
    sussex = specials(focus="sussex", peers=[a for a in GROUP if a != "sussex"] + ["essex"])
    assert sussex.group_rank.rank == 1


def test_violence_with_injury_by_hand():
    values = frame(
        {
            "essex": (13612, 14316),
            "avon": (12044, 12804),
            "derbyshire": (7561, 9390),
            "hampshire": (21335, 21387),
            "hertfordshire": (8655, 8726),
            "leicestershire": (6821, 6840),
            "staffordshire": (11220, 10886),
            "sussex": (13210, 13676),
        },
        ("12m-to-2017-12", "12m-to-2018-12"),
    )
    result = compare_with_peers(
        values,
        basis="rolling_12m",
        period="12m-to-2018-12",
        focus="essex",
        peers=GROUP,
        forces=["essex", *GROUP],
        national=None,
        improvement="down",
    )
    assert result.year_earlier_period == "12m-to-2017-12"
    assert result.focus.change.absolute == 704 and round(result.focus.change.percent, 2) == 5.17
    assert result.focus.change.assessment == "worse"
    assert result.group_average.value == pytest.approx(83709 / 7)
    assert result.group_average.change.absolute == pytest.approx(409)
    assert result.group_average.change.percent == pytest.approx(2863 / 80846 * 100)
    assert (result.group_rank.rank, result.group_rank.out_of) == (6, 8)
    # no national row here and these are only 8 forces: the "national" line is their sum
    assert result.national.computed and result.national.value == 14316 + 83709


def test_no_sum_when_a_force_lacks_a_figure_and_no_average_with_a_member_missing():
    values = frame({**SPECIALS, **OTHER_FORCES}, ("2017-09-30", "2018-09-30"))
    values = values[
        ~(
            (values.area_id == "england-and-wales")
            | ((values.area_id == "sussex") & (values.period == "2018-09-30"))
        )
    ]
    result = compare_with_peers(
        values,
        basis="as_at",
        period="2018-09-30",
        focus="essex",
        peers=GROUP,
        forces=FORCES,
        national="england-and-wales",
        improvement="up",
    )
    assert result.group_average.value is None and "sussex" in result.group_average.note
    assert result.group_average.count == 6
    assert result.national.value is None and "no figure for 1 force" in result.national.note
    assert result.national_rank.out_of == 42 and result.national_rank.unranked == ("sussex",)
    # a percentage cannot be summed: no national figure without a published row
    assert (
        compare_with_peers(
            values,
            basis="as_at",
            period="2018-09-30",
            focus="essex",
            peers=GROUP,
            forces=FORCES,
            national=None,
            improvement="up",
            additive=False,
        ).national.value
        is None
    )


def test_ties_share_a_rank():
    values = frame({"essex": (100, 110), "a": (50, 55), "b": (10, 9)}, ("2017-09-30", "2018-09-30"))
    result = compare_with_peers(
        values,
        basis="as_at",
        period="2018-09-30",
        focus="essex",
        peers=["a", "b"],
        forces=["essex", "a", "b"],
        national=None,
        improvement="up",
    )
    assert result.group_rank.rank == 2  # b fell; essex and a both rose 10%


def test_two_values_for_one_area_and_period_are_refused():
    values = pd.DataFrame(
        {"area_id": ["essex", "essex"], "period": ["2018-09-30"] * 2, "value": [1.0, 2.0]}
    )
    with pytest.raises(ValueError, match="current values only"):
        compare_with_peers(
            values,
            basis="as_at",
            period="2018-09-30",
            focus="essex",
            peers=[],
            forces=["essex"],
            national=None,
            improvement="up",
        )


def test_trend_indexes_essex_and_the_group_on_one_axis():
    values = frame(
        {
            "essex": (390, 476),
            **{a: SPECIALS[a] for a in GROUP},
            "england-and-wales": (12601, 11029),
        },
        ("2017-09-30", "2018-09-30"),
    )
    trend = trend_against_group(
        values, focus="essex", peers=GROUP, forces=FORCES, national="england-and-wales"
    )
    assert [p.period for p in trend] == ["2017-09-30", "2018-09-30"]
    assert trend[0].focus_index == 100 and trend[0].group_index == 100
    assert trend[1].focus_index == pytest.approx(476 / 390 * 100)  # 122.05
    assert trend[1].group_index == pytest.approx(1816 / 2007 * 100)  # 90.48
    assert trend[1].national_index == pytest.approx(11029 / 12601 * 100)  # 87.52


@pytest.mark.parametrize(
    ("basis", "period", "expected"),
    [
        ("as_at", "2018-09-30", "2017-09-30"),
        ("as_at", "2016-02-29", "2015-02-28"),
        ("rolling_12m", "12m-to-2018-12", "12m-to-2017-12"),
        ("quarter_end", "2019-20-Q4", "2018-19-Q4"),
        ("calendar_year", "2019", "2018"),
        ("financial_year", "2019-20", "2018-19"),
    ],
)
def test_twelve_months_earlier(basis, period, expected):
    assert year_earlier(basis, period) == expected
