"""police.uk records kept as Parquet and the record-to-aggregate rule (issue 22, step 3), on the
bundled published files (data/published/police-uk/, as released).

Expected counts are those of ../shared/sources/local/README.md ("Rows and checks", each marked
(count) there: rows, ASB, violence and sexual offences, no LSOA, LSOA outside the 14 districts per
month; ASB by district for January to March 2018), and the police.uk counts the publisher wrote
into the bundled observations.csv (metrics ``policeuk-*``)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.errors import DataError
from dashboard.data.records import RecordStore, build

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = sorted((DATA / "published" / "police-uk").glob("*-essex-street.csv"))

# month: (rows, ASB, violence and sexual offences, no LSOA, LSOA outside the 14 districts)
README_MONTHS = {
    "2018-01": (14786, 3420, 3949, 2, 40),
    "2018-02": (13752, 3238, 3618, 0, 38),
    "2018-03": (16014, 3878, 4216, 17, 52),
    "2018-04": (16709, 4194, 4612, 48, 52),
    "2018-05": (17618, 4525, 4836, 16, 42),
    "2018-06": (17473, 4627, 4924, 62, 46),
    "2018-07": (18713, 4868, 5536, 73, 63),
    "2018-10": (17791, 3826, 5303, 79, 37),
    "2018-11": (17050, 3228, 5288, 91, 50),
    "2018-12": (16587, 3134, 5418, 84, 51),
    "2019-01": (16428, 3003, 5433, 52, 58),
    "2019-02": (16377, 3269, 5337, 63, 29),
}
# ASB by district, January to March 2018 (the README's order: Basildon ... Uttlesford).
README_ASB_Q1_2018 = dict(
    zip(
        ["basildon", "braintree", "brentwood", "castle-point", "chelmsford", "colchester",
         "epping-forest", "harlow", "maldon", "rochford", "southend", "tendring", "thurrock",
         "uttlesford"],
        [1214, 673, 353, 405, 954, 1123, 712, 770, 209, 298, 1490, 809, 1132, 381],
        strict=True,
    )
)  # fmt: skip


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> RecordStore:
    out = tmp_path_factory.mktemp("records")
    areas = pd.read_csv(DATA / "areas.csv", dtype=str, keep_default_na=False)
    build(FILES, areas, out)
    return RecordStore(out)


def test_the_twelve_bundled_months_are_read():
    assert [f.name[:7] for f in FILES] == list(README_MONTHS)


def test_rows_asb_violence_and_places_per_month_are_the_readmes(records):
    places = records.force_counts().set_index("month")
    asb = records.counts(["month"], crime_type="Anti-social behaviour").set_index("month")["n"]
    violence = records.counts(["month"], crime_type="Violence and sexual offences")
    violence = violence.set_index("month")["n"]
    for month, (rows, asb_n, violence_n, no_lsoa, outside) in README_MONTHS.items():
        assert places.loc[month, "rows"] == rows, month
        assert places.loc[month, "no_lsoa"] == no_lsoa, month
        assert places.loc[month, "outside"] == outside, month
        assert asb[month] == asb_n, month
        assert violence[month] == violence_n, month


def test_asb_by_district_january_to_march_2018_is_the_readmes(records):
    found = {d: 0 for d in README_ASB_Q1_2018}
    for month in ("2018-01", "2018-02", "2018-03"):
        table = records.category_across_districts("Anti-social behaviour", month)
        for district, n in zip(table["district"], table["n"], strict=True):
            found[district] += int(n)
    assert found == README_ASB_Q1_2018


def test_the_records_give_the_counts_the_publisher_wrote_into_the_dataset(records):
    """Every police.uk category x district x month value of the bundled observations.csv (the
    first vintage of each month: one file a month here) equals the records' count."""
    obs = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    metrics = pd.read_csv(DATA / "metrics.csv", dtype=str, keep_default_na=False)
    category = {
        m: p.split(":", 1)[1]
        for m, p in zip(metrics["metric_id"], metrics["published_as"], strict=True)
        if p.startswith("police-uk:") and not p.startswith("police-uk:[")
    }
    districts = set(README_ASB_Q1_2018)
    rows = obs[obs["metric_id"].isin(category) & obs["area_id"].isin(districts)]
    assert len(rows) >= 14 * 12 * 10  # most categories of every district and month
    counts = records.counts(["month", "district", "crime_type"], place="district")
    index = {
        (m, d, c): int(n)
        for m, d, c, n in zip(
            counts["month"], counts["district"], counts["crime_type"], counts["n"], strict=True
        )
    }
    for metric, area, period, value in zip(
        rows["metric_id"], rows["area_id"], rows["period"], rows["value"], strict=True
    ):
        assert index.get((period, area, category[metric]), 0) == float(value), (
            metric,
            area,
            period,
        )


def test_a_district_month_and_a_category_across_districts_answer_in_tens_of_ms(records):
    categories = records.district_categories("basildon", "2018-01")
    outcomes = records.district_outcomes("basildon", "2018-01")
    assert categories["n"].sum() == outcomes["n"].sum() + int(
        categories.loc[categories["crime_type"] == "Anti-social behaviour", "n"].sum()
    )  # every crime has an outcome; ASB rows have none
    took = []
    for _ in range(20):
        start = time.perf_counter()
        records.district_categories("colchester", "2018-11")
        records.category_across_districts("Robbery", "2019-02")
        took.append(time.perf_counter() - start)
    assert sorted(took)[10] < 0.1  # two questions, median well under 100 ms


def test_a_file_that_is_not_police_uk_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "2018-01-essex-street.csv"
    bad.write_text("metric_id,value\nx,1\n", encoding="utf-8")
    areas = pd.read_csv(DATA / "areas.csv", dtype=str, keep_default_na=False)
    with pytest.raises(DataError) as caught:
        build([bad], areas, tmp_path / "out")
    assert str(bad) in str(caught.value.problems[0])
    assert not (tmp_path / "out").exists()


def test_a_row_with_a_broken_month_is_refused_and_nothing_written(tmp_path):
    copy = tmp_path / "2018-02-essex-street.csv"
    shutil.copyfile(FILES[1], copy)
    text = copy.read_text(encoding="utf-8").replace(",2018-02,", ",2018-2,", 1)
    copy.write_text(text, encoding="utf-8")
    areas = pd.read_csv(DATA / "areas.csv", dtype=str, keep_default_na=False)
    with pytest.raises(DataError) as caught:
        build([copy], areas, tmp_path / "out")
    problem = caught.value.problems[0]
    assert problem.file == copy.name and problem.value == "2018-2"
    assert not (tmp_path / "out" / "police_uk.parquet").exists()
