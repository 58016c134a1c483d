"""The dataset's tables: one machine-readable definition (pandera) that validation, import,
documentation and tests all read. ``data/README.md`` describes the same columns for people;
``tests/unit/test_schema_docs.py`` fails if the two drift.

Cross-table rules (a metric must exist, an area must exist, a period must parse on its basis)
live in ``validate.py``; they need more than one table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa
from pandera import Check

from .periods import BASES

# --- National statistics context (issue 10): the published national tables ------------------
#: ONS police recorded crime by police force area and the Home Office police workforce tables
#: bring full-time equivalents, the other police force areas of England and Wales, the national
#: total, groups of forces (Essex's most similar group) and caveats that mark a chart without
#: rebasing it. Every column added to an existing table here is optional: older files lack it.
NATIONAL_UNITS = ("fte",)  # full-time equivalent staff: a count with decimals
NATIONAL_AREA_TYPES = ("pfa", "country")  # another police force area; England and Wales
NATIONAL_CONTEXTS = ("national_statistics",)  # metrics.context: blank = the plan's own figures
# ---------------------------------------------------------------------------------------------

# --- Local detail (issue 21): police.uk street-level counts and ONS populations by district ----
#: police.uk counts are a basis of their own: not Home Office recorded crime (ONS) and not the
#: plan's own figures, so never on one axis with either. Every surface names a series' basis by
#: CONTEXT_LABELS (blank context: the quarterly updates' own figures).
LOCAL_CONTEXTS = ("police_uk", "population")
CONTEXTS = (*NATIONAL_CONTEXTS, *LOCAL_CONTEXTS)
CONTEXT_LABELS = {
    "": "the quarterly updates' own figures",
    "national_statistics": "national statistics (ONS police recorded crime, Home Office workforce)",
    "police_uk": "police.uk counts (street-level crime and anti-social behaviour records)",
    "population": "ONS mid-year population estimates",
}
#: county: a county council's area (Essex county, E10000012: the force area without Southend-on-Sea
#: and Thurrock), which holds published populations; never a filter value or an area page.
LOCAL_AREA_TYPES = ("county",)
GROUP_KINDS = ("most_similar",)  # groups.kind: Essex's most similar group of forces
DISCONTINUITY_KINDS = ("break", "caveat")  # blank = break (limits rebase); caveat: marked only
# ---------------------------------------------------------------------------------------------

UNITS = ("count", "percent", "percent_change", "hours", "gbp", "rate", *NATIONAL_UNITS)
DIRECTIONS = ("up", "down", "neutral")
STATUSES = ("provisional", "final")
AREA_TYPES = (
    "force",
    "lpa",
    "district",
    "town",
    "partner",
    *NATIONAL_AREA_TYPES,
    *LOCAL_AREA_TYPES,
)
SOURCE_KINDS = ("official", "press")

_ID = r"^[a-z0-9][a-z0-9_\-]*$"

#: Longest text we accept in a cell: far beyond any real sentence, short of a pasted document.
MAX_TEXT = 5000

# Each check carries what the analyst should have written (``error=``): validation reports it
# as it is, so a failed check reads "one of count, percent, ..." rather than pandera's own text.


def _one_of(values: tuple[str, ...]) -> Check:
    return Check.isin(values, error="one of " + ", ".join(values))


def _whole(low: int, high: int) -> Check:
    return Check.in_range(low, high, error=f"a whole number from {low} to {high}")


#: A priority's number: which numbers the plan has is data (priorities.csv; the other tables'
#: priorities are checked against it, validate.check_links), not a range written here.
_PRIORITY = Check.greater_than_or_equal_to(1, error="a whole number, 1 or more")


def _table(name: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    """A table's schema: exactly these columns (no others), cells coerced to their types."""
    return pa.DataFrameSchema(columns, strict=True, coerce=True, name=name)


def _text(required: bool = True, **kwargs) -> pa.Column:
    checks = [
        Check.str_length(max_value=MAX_TEXT, error=f"text of at most {MAX_TEXT:,} characters")
    ]
    if required:
        checks.append(Check.str_length(min_value=1, error="a value (this column may not be empty)"))
    return pa.Column(str, checks=checks, nullable=not required, required=required, **kwargs)


def _id(required: bool = True, **kwargs) -> pa.Column:
    check = Check.str_matches(
        _ID, error="an id of lower-case letters, digits, '-' or '_' (no spaces)"
    )
    return pa.Column(str, checks=check, nullable=not required, required=required, **kwargs)


def _optional_choice(choices: tuple[str, ...], description: str) -> pa.Column:
    return pa.Column(
        str, Check.isin(choices), nullable=True, required=False, description=description
    )


# --- National statistics context: optional columns of existing tables ----------------------
NATIONAL_METRIC_COLUMNS = {
    "context": _optional_choice(
        CONTEXTS,
        "national_statistics: a published national table's series, shown as context and never "
        "on one axis with the quarterly updates' own figures; police_uk: police.uk street-level "
        "counts (never on one axis with ONS figures or the plan's own); population: ONS mid-year "
        "population estimates; blank for the plan's own figures (labels: CONTEXT_LABELS)",
    ),
    "published_as": _text(
        required=False,
        description="The publisher's own name for the series, which the importers of published "
        "tables map to this metric: 'ons-pfa:<offence group>', "
        "'home-office-workforce:<table subject> (<measure>)', 'police-uk:<Crime type>' or "
        "'ons-population:Estimated Population'",
    ),
    "baseline_end": _text(
        required=False,
        description="Last period of the baseline on which process limits are fixed (blank: "
        "limits from every point)",
    ),
}
NATIONAL_OBSERVATION_COLUMNS = {
    "source_file": _text(required=False, description="The published file the value was read from"),
    "source_location": _text(
        required=False, description="Where in the file: sheet and table title, row, column"
    ),
}
NATIONAL_DISCONTINUITY_COLUMNS = {
    "kind": _optional_choice(
        DISCONTINUITY_KINDS,
        "break (blank): limits rebase at the period; caveat: the chart marks it, limits stay",
    ),
}
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """A table of the dataset: its file name, schema, key columns and a description."""

    name: str
    filename: str
    schema: pa.DataFrameSchema
    key: tuple[str, ...]
    description: str

    @property
    def columns(self) -> list[str]:
        return list(self.schema.columns)


PRIORITIES = _table(
    "priorities",
    {
        "priority": pa.Column(int, _PRIORITY),
        "title": _text(description="Title as the plan words it"),
        "short_title": _text(description="A few words for tabs, cards and slide headers"),
    },
)

OBJECTIVES = _table(
    "objectives",
    {
        "objective_id": _id(description="p<priority>-o<n>, for example p1-o2"),
        "priority": pa.Column(int, _PRIORITY),
        "preamble": _text(description='"We will:" or "Working with partners we will:"'),
        "text": _text(description="The objective, as the plan words it"),
    },
)

AREAS = _table(
    "areas",
    {
        "area_id": _id(description="Slug, for example south-lpa or castle-point-and-rochford"),
        "name": _text(description="Name for people"),
        "area_type": pa.Column(str, _one_of(AREA_TYPES)),
        "parent_id": _id(required=False, description="Enclosing area, blank for the force"),
        "aliases": _text(required=False, description="Other spellings reports use, separated by |"),
        "parent_evidence": _text(
            required=False, description="Where the parent link is stated (source and sentence)"
        ),
        "ons_code": pa.Column(
            str,
            Check.str_matches(
                r"^[EWSNK]\d{8}$",
                error="an ONS area code: a letter and eight digits, for example E07000066",
            ),
            nullable=True,
            required=False,
            description="The area's ONS (GSS) code where it is a statistical area (local "
            "authority district E06/E07, county E10, police force area E23); the importers of "
            "police.uk months and ONS populations find districts by it and by name",
        ),
    },
)

SOURCES = _table(
    "sources",
    {
        "source_id": _id(),
        "title": _text(),
        "publisher": _text(),
        "published": pa.Column(
            str,
            Check.str_matches(
                r"^\d{4}-\d{2}(-\d{2})?$",
                error="a date written YYYY-MM-DD or YYYY-MM, for example 2020-04",
            ),
            description="YYYY-MM-DD or YYYY-MM: orders restatements (the latest is current)",
        ),
        "version": _text(required=False),
        "url": _text(required=False, description="Address, or the file name in shared/"),
        "kind": pa.Column(str, _one_of(SOURCE_KINDS)),
    },
)

METRICS = _table(
    "metrics",
    {
        "metric_id": _id(),
        "label": _text(description="Plain-English name, no unexplained acronyms"),
        "priority": pa.Column(int, _PRIORITY),
        "objective_id": _id(required=False),
        "unit": pa.Column(str, _one_of(UNITS)),
        "basis": pa.Column(str, _one_of(BASES), description="The metric's headline basis"),
        "direction": pa.Column(str, _one_of(DIRECTIONS), description="Direction of improvement"),
        "definition": _text(),
        "caveats": _text(required=False),
        "phrasings": _text(
            required=False,
            description="Regular expressions, separated by ' || ', that identify the metric "
            "in a report sentence (used by ingestion)",
        ),
        "headline": pa.Column(bool, description="Shown on the overview card of its priority"),
        "target": pa.Column(float, nullable=True, required=False),
        **NATIONAL_METRIC_COLUMNS,
    },
)

OBSERVATIONS = _table(
    "observations",
    {
        "metric_id": _id(),
        "area_id": _id(),
        "basis": pa.Column(str, _one_of(BASES)),
        "period": _text(description="Canonical period label for the basis (see periods.py)"),
        "value": pa.Column(
            float,
            Check(
                lambda s: s.notna() & (s.abs() < 1e12), element_wise=False, error="a finite number"
            ),
        ),
        "status": pa.Column(str, _one_of(STATUSES)),
        "source_id": _id(),
        "source_sentence": _text(description="The sentence the value was read from, verbatim"),
        "note": _text(required=False),
        **NATIONAL_OBSERVATION_COLUMNS,
    },
)

NARRATIVE = _table(
    "narrative",
    {
        "item_id": _id(description="<quarter>-p<priority>-<n>, unique"),
        "quarter": _text(description="Canonical quarter, 2019-20-Q4"),
        "priority": pa.Column(int, _PRIORITY),
        "objective_id": _id(required=False),
        "parent_id": _id(required=False, description="The heading item a sub-bullet sits under"),
        "order": pa.Column(
            int,
            Check.ge(0, error="0 or more"),
            description="Position within the quarter's document",
        ),
        "level": pa.Column(int, _whole(0, 2), description="0 bullet, 1 sub-bullet"),
        "kind": pa.Column(str, _one_of(("bullet", "heading", "intro"))),
        "area_id": _id(required=False, description="Blank: force-wide"),
        "text": _text(),
        "source_id": _id(),
    },
)

GLOSSARY = _table(
    "glossary",
    {
        "term": _text(description="Acronym or short form as written, for example CSC"),
        "expansion": _text(description="In full, for example Community Special Constable"),
        "source_id": _id(required=False, description="Where the expansion is stated, if a report"),
    },
)

DISCONTINUITIES = _table(
    "discontinuities",
    {
        "metric_id": _id(),
        "basis": pa.Column(str, _one_of(BASES)),
        "period": _text(description="First period on the new footing"),
        "reason": _text(),
        "source_id": _id(required=False),
        **NATIONAL_DISCONTINUITY_COLUMNS,
    },
)

# --- National statistics context: groups of forces -----------------------------------------
GROUPS = _table(
    "groups",
    {
        "group_id": _id(description="Slug, for example essex-msg-2014-01"),
        "name": _text(description="Name for people"),
        "kind": pa.Column(str, Check.isin(GROUP_KINDS)),
        "area_id": _id(required=False, description="The force whose group this is"),
        "as_of": pa.Column(
            str,
            Check.str_matches(r"^\d{4}-\d{2}(-\d{2})?$"),
            description="When the source names the group (YYYY-MM or YYYY-MM-DD): groups are "
            "revised over the years",
        ),
        "source_id": _id(required=False),
        "source_sentence": _text(
            required=False, description="The sentence that names the members, verbatim"
        ),
        "note": _text(required=False),
    },
)

GROUP_MEMBERS = _table(
    "group_members",
    {
        "group_id": _id(),
        "area_id": _id(),
    },
)
# ---------------------------------------------------------------------------------------------


# --- metric terms (issue 11): the words ingestion reads as naming a metric -------------------
TERM_KINDS = ("topic", "measure", "counted", "name", "exclude")

METRIC_TERMS = _table(
    "metric_terms",
    {
        "metric_id": _id(),
        "kind": pa.Column(
            str,
            Check.isin(TERM_KINDS),
            description="topic, measure, counted, name (needs nothing else) or exclude",
        ),
        "term": _text(description="A phrase: its words in any order and any inflection"),
        "origin": _text(
            required=False,
            description="catalogue, or the source_id of the reviewed document it was learnt from",
        ),
    },
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "priorities", "priorities.csv", PRIORITIES, ("priority",), "The plan's priorities"
        ),
        TableSpec(
            "objectives", "objectives.csv", OBJECTIVES, ("objective_id",), '"We will:" objectives'
        ),
        TableSpec("areas", "areas.csv", AREAS, ("area_id",), "Force, LPAs, districts, towns"),
        TableSpec("sources", "sources.csv", SOURCES, ("source_id",), "Published documents"),
        TableSpec("metrics", "metrics.csv", METRICS, ("metric_id",), "The metric catalogue"),
        TableSpec(
            "metric_terms",
            "metric_terms.csv",
            METRIC_TERMS,
            ("metric_id", "kind", "term"),
            "Words that name each metric in a report (read by ingestion)",
        ),
        TableSpec(
            "observations",
            "observations.csv",
            OBSERVATIONS,
            ("metric_id", "area_id", "basis", "period", "source_id"),
            "One value per metric, area, period and source",
        ),
        TableSpec("narrative", "narrative.csv", NARRATIVE, ("item_id",), "Bullets of each quarter"),
        TableSpec("glossary", "glossary.csv", GLOSSARY, ("term",), "Acronyms and their expansions"),
        TableSpec(
            "discontinuities",
            "discontinuities.csv",
            DISCONTINUITIES,
            ("metric_id", "basis", "period"),
            "Known breaks in a series",
        ),
        TableSpec("groups", "groups.csv", GROUPS, ("group_id",), "Groups of police forces"),
        TableSpec(
            "group_members",
            "group_members.csv",
            GROUP_MEMBERS,
            ("group_id", "area_id"),
            "The forces in each group",
        ),
    )
}

#: Tables a dataset folder must have; the others may be absent (empty).
REQUIRED_TABLES = ("priorities", "objectives", "areas", "sources", "metrics", "observations")


def table_for_filename(filename: str) -> TableSpec | None:
    for spec in TABLES.values():
        if spec.filename == filename:
            return spec
    return None
