"""A district profile's crime mix and outcomes, answered from the bundled police.uk records
(data/records/, built by `pcp-dashboard build-data`), against counts this test makes itself with
the csv module from the published file data/published/police-uk/2019-02-essex-street.csv (the
district is the LSOA name without its trailing code, as the source README says)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from shell_helpers import SharedStore, text_of

from dashboard.data.model import load_dataset
from dashboard.data.versions import folder_records
from dashboard.shell import render_page

REPO_DATA = Path(__file__).resolve().parents[2] / "data"
FEB_2019 = REPO_DATA / "published" / "police-uk" / "2019-02-essex-street.csv"


def _records_of(path: Path, district: str) -> list[dict[str, str]]:
    """The file's rows whose LSOA name, less its trailing ' NNNX', is ``district``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if re.sub(r"\s+\d{3}[A-Z]$", "", r["LSOA name"]) == district]


def _props(node) -> list[dict]:
    """The props of every component in a tree (components, or their JSON)."""
    if isinstance(node, list | tuple):
        return [p for n in node for p in _props(n)]
    if hasattr(node, "to_plotly_json"):
        node = node.to_plotly_json()
    if not isinstance(node, dict) or "props" not in node:
        return []
    props = dict(node["props"])
    return [props, *_props(props.get("children"))]


def _prop(body, component_id: str, name: str) -> dict:
    for props in _props(body):
        if props.get("id") == component_id:
            return json.loads(props[name])
    raise AssertionError(f"no component {component_id}")


def _table(body, island_id: str) -> dict:
    return _prop(body, island_id, "data-table")


def _table_in(body, section_id: str) -> dict:
    """The first table inside the component ``section_id``."""
    for props in _props(body):
        if props.get("id") == section_id:
            for inner in _props(props.get("children")):
                if "data-table" in inner:
                    return json.loads(inner["data-table"])
    raise AssertionError(f"no table in {section_id}")


@pytest.fixture(scope="module")
def store(bundled_data_dir):
    """The bundled data with its records, as a server seeded from it serves them."""
    assert folder_records(bundled_data_dir) is not None, "data/records/ missing or changed"
    dataset = load_dataset(bundled_data_dir).with_records(bundled_data_dir / "records")
    return SharedStore(dataset)


def test_southend_february_2019_mix_is_the_files_count_by_category(store):
    rows = _records_of(FEB_2019, "Southend-on-Sea")
    by_type = Counter(r["Crime type"] for r in rows)
    body = render_page(store, "/area/southend", "").body
    table = _table(body, "chart-record-mix-southend-table")
    assert table["columns"] == ["Category", "Records", "Share of the district's records"]
    shown = {row[0]: row[1:] for row in table["rows"]}
    assert shown.pop("All records") == [f"{len(rows):,}", "100.0%"]
    assert shown == {kind: [f"{n:,}", f"{100 * n / len(rows):.1f}%"] for kind, n in by_type.items()}
    (top, n), (second, m) = by_type.most_common(2)
    text = text_of(body)
    assert (
        f"{len(rows):,} police.uk records in Southend-on-Sea in February 2019: the most were "
        f"{top.lower()}, {n:,} ({100 * n / len(rows):.1f}%); then {second.lower()}, {m:,} "
        f"({100 * m / len(rows):.1f}%)" in text
    )
    assert "police.uk records (not Home Office recorded crime)" in text


def test_southend_february_2019_outcomes_are_shares_of_its_crimes_as_the_file_gives(store):
    rows = _records_of(FEB_2019, "Southend-on-Sea")
    crimes = [r for r in rows if r["Crime type"] != "Anti-social behaviour"]
    outcomes = Counter(r["Last outcome category"] for r in crimes)
    assert "" not in outcomes  # every crime of the month has an outcome in this file
    body = render_page(store, "/area/southend", "").body
    table = _table(body, "chart-record-outcomes-southend-table")
    shown = {row[0]: row[1:] for row in table["rows"]}
    assert shown.pop("All crimes") == [f"{len(crimes):,}", "100.0%"]
    assert shown == {
        kind: [f"{n:,}", f"{100 * n / len(crimes):.1f}%"] for kind, n in outcomes.items()
    }
    text = text_of(body)
    (top, n), *_ = outcomes.most_common(1)
    assert (
        f"Of the {len(crimes):,} crimes recorded in Southend-on-Sea in February 2019, the most "
        f"common last outcome was “{top}”, {n:,} ({100 * n / len(crimes):.1f}%)" in text
    )
    # What the share is of, and as at what: the file (no release date), the copy's date.
    assert (
        "Outcomes are the last the police.uk file for February 2019 gives "
        "(2019-02-essex-street.csv, a copy dated 22 December 2021)" in text
    )
    asb = len(rows) - len(crimes)
    assert (
        f"Anti-social behaviour incidents ({asb:,}) are not crimes and have no outcome: "
        f"outcome shares are of the {len(crimes):,} crimes." in text
    )


def test_the_outcome_chart_draws_the_largest_and_one_bar_for_the_rest(store):
    crimes = [
        r for r in _records_of(FEB_2019, "Basildon") if r["Crime type"] != "Anti-social behaviour"
    ]
    outcomes = Counter(r["Last outcome category"] for r in crimes).most_common()
    body = render_page(store, "/area/basildon", "").body
    figure = _prop(body, "chart-record-outcomes-basildon", "data-figure")
    bars = figure["data"][0]
    rest = outcomes[7:]
    assert bars["x"][:7] == [n for _, n in outcomes[:7]]
    assert bars["x"][7] == sum(n for _, n in rest)
    assert bars["y"][7].replace("<br>", " ") == f"Other outcomes ({len(rest)} kinds)"


def test_a_version_without_records_shows_no_record_section(bundled_dataset):
    body = render_page(SharedStore(bundled_dataset), "/area/southend", "").body
    assert "police.uk figures for Southend-on-Sea" in text_of(body)
    assert "Crime mix and outcomes" not in text_of(body)


def test_changed_bundled_records_are_not_served(bundled_data_dir, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(bundled_data_dir, copy, ignore=shutil.ignore_patterns(".*"))
    assert folder_records(copy) is not None
    counts = copy / "records" / "police_uk_counts.parquet"
    counts.write_bytes(counts.read_bytes()[:-1] + b"\0")
    assert folder_records(copy) is None


DISTRICTS = {
    "Basildon", "Braintree", "Brentwood", "Castle Point", "Chelmsford", "Colchester",
    "Epping Forest", "Harlow", "Maldon", "Rochford", "Southend-on-Sea", "Tendring", "Thurrock",
    "Uttlesford",
}  # fmt: skip


def test_districts_page_gives_each_districts_burglary_outcomes_for_february_2019(store):
    """/districts for burglary, February 2019: each district's burglary crimes and the share of
    each of the two outcomes most common across the 14, counted here from the file."""
    with FEB_2019.open(encoding="utf-8", newline="") as handle:
        rows = [
            (re.sub(r"\s+\d{3}[A-Z]$", "", r["LSOA name"]), r["Last outcome category"])
            for r in csv.DictReader(handle)
            if r["Crime type"] == "Burglary"
        ]
    rows = [(d, o) for d, o in rows if d in DISTRICTS]
    whole = Counter(o for _, o in rows)
    top = [o for o, _ in sorted(whole.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    body = render_page(
        store, "/districts", "?measure=policeuk-burglary&period=2019-02&by=rate"
    ).body
    table = _table_in(body, "district-outcomes")
    assert table["columns"] == ["District", "Crimes", *(f"“{o}”" for o in top), "Any other outcome"]
    shown = {r[0]: r[1:] for r in table["rows"]}
    for district in DISTRICTS:
        mine = Counter(o for d, o in rows if d == district)
        n = sum(mine.values())
        assert n >= 10  # every district has 10 or more burglaries this month: shares given
        rest = n - sum(mine[o] for o in top)
        assert shown[district] == [
            f"{n:,}",
            *(f"{mine[o]:,} ({100 * mine[o] / n:.1f}%)" for o in top),
            f"{rest:,} ({100 * rest / n:.1f}%)",
        ]
    assert shown["The 14 districts together"][0] == f"{len(rows):,}"
    text = text_of(body)
    assert (
        f"Of the {len(rows):,} burglary crimes recorded in the 14 districts in February 2019, "
        f"{100 * whole[top[0]] / len(rows):.1f}% had the last outcome “{top[0]}”" in text
    )


def test_districts_page_for_anti_social_behaviour_has_no_outcome_section(store):
    body = render_page(
        store, "/districts", "?measure=policeuk-anti-social-behaviour&period=2019-02"
    ).body
    assert "by last outcome" not in text_of(body)
