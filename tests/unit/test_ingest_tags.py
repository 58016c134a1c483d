"""Operations and acronym definitions stated in the text -> tags and glossary entries."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "ingest"))
from helpers import DATA, REFERENCE  # noqa: E402

from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402
from dashboard.ingest.tags import definitions, operations  # noqa: E402


@pytest.fixture(scope="module")
def result():
    return ingest(REFERENCE, Reference.load(DATA))


def test_glossary(result):
    glossary = result.tables["glossary"].set_index("term")["expansion"].to_dict()
    assert glossary["BAME"] == "Black, Asian and Minority Ethnic"
    assert glossary["CSC"] == "Community Special Constable"
    assert glossary["KSI"] == "Killed and seriously Injured"
    assert glossary["LPA"] == "Local Policing Area"
    assert glossary["UKBA"] == "UK Border Agency"
    assert glossary["POCA"] == "Proceeds of Crime Act"
    assert glossary["Operation METEOR"] == "a property marking campaign"
    assert "MPS" not in glossary  # "Metropolitan Police (MPS)": letters do not match
    assert set(result.tables["glossary"]["source_id"]) == {"pcp-2019-20-q4"}


def test_operations_tagged(result):
    tags = result.tags
    narrative = result.tables["narrative"].set_index("item_id")
    ops = tags[tags["tag_kind"] == "operation"]
    assert {"Operation SCEPTRE", "Operation TORPEDO", "Operation ORBITAL", "Operation ELF"} <= set(
        ops["tag"]
    )
    item = ops[ops["tag"] == "Operation TORPEDO"].iloc[0]["item_id"]
    assert narrative.loc[item, "text"].startswith("In the last quarter, Specials Constables")
    assert operations("Op. SCEPTRE and Operation WILDCAT") == [
        "Operation SCEPTRE",
        "Operation WILDCAT",
    ]


def test_definitions_need_matching_initials():
    assert definitions("(likely due to Covid-19 response)") == []
    found = {d.term: d.expansion for d in definitions("Hate Incident Reporting Centres (HIRCs)")}
    assert found == {"HIRC": "Hate Incident Reporting Centre"}
