"""The pure parts of the police.uk importer: header names and the district of an LSOA name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.publishers.catalogue import Catalogue
from dashboard.publishers.police_uk import _LSOA_NAME, REQUIRED, header_key

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "written, key",
    [
        ("Crime ID", "crime_id"),  # police.uk's own header
        ("crime_id", "crime_id"),  # the snake_case copy
        ("\ufeffCrime ID", "crime_id"),  # a byte-order mark before the first name
        ("LSOA name", "lsoa_name"),
        (" Falls  within ", "falls_within"),
        ("Last outcome category", "last_outcome_category"),
    ],
)
def test_both_header_styles_give_one_name(written, key):
    assert header_key(written) == key


def test_the_columns_read_are_in_both_headers():
    police_uk = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
    snake = "crime_id,month,reported_by,falls_within,longitude,latitude,location,lsoa_code,lsoa_name,crime_type,last_outcome_category,context"
    for header in (police_uk, snake):
        assert set(REQUIRED) <= {header_key(h) for h in header.split(",")}


@pytest.mark.parametrize(
    "lsoa, district",
    [
        ("Basildon 001A", "Basildon"),
        ("Southend-on-Sea 023E", "Southend-on-Sea"),
        ("Castle Point 010B", "Castle Point"),
        ("Epping Forest 019C", "Epping Forest"),
        ("Havering 001A", "Havering"),
    ],
)
def test_the_district_is_the_lsoa_name_without_its_code(lsoa, district):
    match = _LSOA_NAME.match(lsoa)
    assert match and match["district"] == district


def test_an_lsoa_name_without_a_code_is_not_read_as_a_district():
    assert _LSOA_NAME.match("Basildon") is None
    assert _LSOA_NAME.match("Basildon 01A") is None


def test_district_names_map_to_the_areas_and_nothing_else():
    areas = pd.read_csv(REPO / "data" / "areas.csv", dtype=str)
    catalogue = Catalogue.from_tables(None, areas)
    assert catalogue.district("Southend-on-Sea") == "southend"
    assert catalogue.district("Castle Point") == "castle-point"  # not the partner grouping
    assert catalogue.district("Castle Point and Rochford") is None
    assert catalogue.district("Havering") is None  # outside the force area
    assert catalogue.district("Essex") is None  # the force is not a district
    assert len(set(catalogue.districts.values())) == 14
    assert catalogue.codes["E07000066"] == "basildon"
    assert catalogue.codes["E10000012"] == "essex-county"
    assert catalogue.force == "essex"
