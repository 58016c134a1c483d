"""The bundled real dataset (data/*.csv): the facts a user would notice if they broke.

Every value must trace to a verbatim sentence of a published source; the metric phrasings used by
ingestion must find each metric's own figures in the reference report and nothing else.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

from dashboard.data.periods import canonical_period, parse_quarter
from dashboard.data.schema import TABLES

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
#: Copies of the published documents (provenance: tests/fixtures/reference/README.md).
REPORTS = REPO / "tests" / "fixtures" / "reference"
EXCERPTS = REPORTS / "excerpts"
REFERENCE_SOURCE = "pcp-2019-20-q4"
REFERENCE_REPORT = "2019-20-Q4-quarterly-update.txt"
REFERENCE_QUARTER = parse_quarter("2019-20-Q4")

NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}


def _read(name: str) -> list[dict[str, str]]:
    path = DATA / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    return tuple(_read(TABLES[name].filename))


def metrics() -> dict[str, dict[str, str]]:
    return {row["metric_id"]: row for row in table("metrics")}


def observations() -> tuple[dict[str, str], ...]:
    return table("observations")


def _reference_text() -> str:
    return (REPORTS / REFERENCE_REPORT).read_text(encoding="utf-8")


def sentences(text: str) -> list[str]:
    """Split report text into sentences: per line, without bullet marks, at a full stop."""
    out: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-•]\s*", "", line).strip()
        if line:
            out.extend(s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9£“\"‘(#])", line) if s)
    return out


def phrasings(metric: dict[str, str]) -> list[tuple[int, re.Pattern[str]]]:
    result = []
    for entry in filter(None, (metric.get("phrasings") or "").split(" || ")):
        offset, _, regex = entry.partition(":")
        result.append((int(offset), re.compile(regex, re.IGNORECASE)))
    return result


def to_number(written: str) -> float:
    cleaned = written.strip().lower().replace(",", "")
    if cleaned in NUMBER_WORDS:
        return float(NUMBER_WORDS[cleaned])
    return float(cleaned)


def matched_value(metric: dict[str, str], match: re.Match[str]) -> float:
    value = to_number(match["value"])
    if metric["unit"] == "gbp" and re.match(
        r"\s?(m\b|million)", match.string[match.end("value") :], re.I
    ):
        value *= 1_000_000
    return value


def written_forms(value: float) -> set[str]:
    forms = {repr(value), f"{value:g}"}
    if value.is_integer():
        whole = int(value)
        forms |= {str(whole), f"{whole:,}"}
        forms |= {word for word, number in NUMBER_WORDS.items() if number == whole}
        if whole % 100_000 == 0 and whole >= 1_000_000:
            forms.add(f"£{whole / 1_000_000:g}m")
    return forms


# --- tables are well formed -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["sources", "metrics", "observations", "glossary", "discontinuities"]
)
def test_table_has_exactly_the_schema_columns(name: str) -> None:
    path = DATA / TABLES[name].filename
    assert path.exists(), f"{path.name} is missing"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    schema = TABLES[name].schema.columns
    required = [c for c, column in schema.items() if column.required]
    # every required column, then optional ones (absent from older files), in schema order
    assert header == [c for c in TABLES[name].columns if c in header]
    assert set(required) <= set(header), set(required) - set(header)


@pytest.mark.parametrize(
    "name", ["sources", "metrics", "observations", "glossary", "discontinuities"]
)
def test_table_validates_against_its_schema(name: str) -> None:
    pd = pytest.importorskip("pandas")
    spec = TABLES[name]
    frame = pd.read_csv(DATA / spec.filename, dtype=str, keep_default_na=False).replace("", None)
    spec.schema.validate(frame, lazy=True)
    assert not frame.duplicated(list(spec.key)).any(), f"duplicate keys in {spec.filename}"


def test_ids_used_are_defined() -> None:
    metric_ids = set(metrics())
    area_ids = {row["area_id"] for row in table("areas")}
    source_ids = {row["source_id"] for row in table("sources")}
    objective_ids = {row["objective_id"] for row in table("objectives")}
    for row in observations():
        assert row["metric_id"] in metric_ids, row
        assert row["area_id"] in area_ids, row
        assert row["source_id"] in source_ids, row
    for row in table("discontinuities"):
        assert row["metric_id"] in metric_ids, row
        assert not row["source_id"] or row["source_id"] in source_ids, row
    for row in table("glossary"):
        assert not row["source_id"] or row["source_id"] in source_ids, row
    for row in metrics().values():
        assert not row["objective_id"] or row["objective_id"] in objective_ids, row
        assert row["objective_id"].startswith(f"p{row['priority']}-") or not row["objective_id"], (
            row
        )


def test_periods_are_canonical_for_their_basis() -> None:
    for row in observations():
        assert canonical_period(row["basis"], row["period"]) == row["period"], row
    for row in table("discontinuities"):
        assert canonical_period(row["basis"], row["period"]) == row["period"], row


def test_every_metric_is_observed_or_explains_why_not() -> None:
    observed = {row["metric_id"] for row in observations()}
    for metric_id, metric in metrics().items():
        if metric_id not in observed:
            assert (
                "no observations" in metric["caveats"].lower()
                or "not stored" in metric["caveats"].lower()
            ), metric_id


def test_headlines_are_few_and_only_where_quarterly_figures_exist() -> None:
    quarterly = {row["metric_id"] for row in observations() if row["source_id"] == REFERENCE_SOURCE}
    by_priority: dict[str, int] = {}
    for metric_id, metric in metrics().items():
        if metric["headline"] == "true":
            assert metric_id in quarterly, f"{metric_id} is a headline with no quarterly figure"
            by_priority[metric["priority"]] = by_priority.get(metric["priority"], 0) + 1
    assert all(1 <= count <= 3 for count in by_priority.values()), by_priority


def test_labels_explain_their_acronyms() -> None:
    for metric_id, metric in metrics().items():
        for acronym in re.findall(r"\b[A-Z]{2,}\b", metric["label"]):
            assert f"({acronym})" in metric["label"], f"{metric_id}: {acronym} is not expanded"


def test_approximate_values_say_so() -> None:
    for row in observations():
        sentence = row["source_sentence"].lower()
        for form in written_forms(float(row["value"])):
            if re.search(
                rf"\b(approximately|around|about|roughly)\s+{re.escape(form.lower())}\b", sentence
            ):
                assert "approximately" in row["note"].lower(), row


# --- provenance ---------------------------------------------------------------------------------


def test_reference_observations_quote_the_report_verbatim() -> None:
    text = _reference_text()
    rows = [row for row in observations() if row["source_id"] == REFERENCE_SOURCE]
    assert len(rows) >= 50
    for row in rows:
        assert row["source_sentence"] in text, (
            f"not verbatim in the report: {row['source_sentence']!r}"
        )
        sentence = row["source_sentence"].lower()
        forms = written_forms(float(row["value"]))
        assert any(form.lower() in sentence for form in forms), (
            row["metric_id"],
            row["value"],
            sentence,
        )


def test_other_sources_are_quoted_from_their_excerpts() -> None:
    texts = {}
    for path in EXCERPTS.glob("*.txt"):
        content = path.read_text(encoding="utf-8")
        texts[content.splitlines()[0].strip()] = content
        texts[path.name] = content
    urls = {row["source_id"]: row["url"] for row in table("sources")}
    for row in observations():
        if row["source_id"] == REFERENCE_SOURCE or row.get("source_file"):
            continue  # a published table's row: see test_national_rows_are_the_build_of_the_files
        content = texts.get(urls[row["source_id"]])
        assert content is not None, f"no excerpt for source {row['source_id']}"
        flat = " ".join(content.split())
        assert " ".join(row["source_sentence"].split()) in flat, row


def test_national_rows_are_the_build_of_the_files() -> None:
    """data/ holds the national tables exactly as `pcp-dashboard build-data` makes them from
    data/published and data/national (whose values tests/integration/test_national_dataset.py traces
    to the files' cells), or none of them: never a hand-edited or half-built state."""
    from dashboard.publishers.build import plan_build

    national_metrics = [m for m in metrics().values() if m.get("context") == "national_statistics"]
    from_files = [row for row in observations() if row.get("source_file")]
    if not national_metrics and not from_files:
        assert not (DATA / "groups.csv").exists() and not (DATA / "group_members.csv").exists()
        return
    build = plan_build(DATA)
    assert build.ok, [str(p) for p in build.errors][:5]
    assert not build.changed, f"data/ differs from the build in {sorted(build.plan.changed_tables)}"
    assert len(from_files) > 20_000


def test_sources_are_official_and_dated() -> None:
    for row in table("sources"):
        assert row["kind"] == "official", (
            "press items are context only, never the source of a value"
        )
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", row["published"]), row


def test_key_headline_figures() -> None:
    def value(metric_id: str, period: str, source: str = REFERENCE_SOURCE) -> float:
        found = [
            float(row["value"])
            for row in observations()
            if (row["metric_id"], row["area_id"], row["period"], row["source_id"])
            == (metric_id, "essex", period, source)
        ]
        assert len(found) == 1, (metric_id, period, found)
        return found[0]

    assert value("ksi-casualties", "2019-20-Q4") == 168
    assert value("ksi-casualties", "2018-19-Q4") == 170
    assert value("emergency-calls-999", "2019-20-Q4") == 82344
    assert value("emergency-calls-999", "2018-19-Q4") == 72401
    assert value("special-constable-headcount", "2019-20-Q4") == 507
    assert value("special-constable-headcount", "2018-19-Q4") == 514
    assert value("specials-salary-equivalent", "2019-20-Q4") == 5_400_000
    assert metrics()["ksi-casualties"]["direction"] == "down"
    assert metrics()["emergency-calls-999"]["direction"] == "neutral"
    assert metrics()["special-constable-headcount"]["direction"] == "up"


def test_restated_headcount_516_is_not_shipped() -> None:
    assert not [
        row
        for row in observations()
        if row["metric_id"] == "special-constable-headcount" and row["value"] == "516"
    ]


def test_comparators_are_stated_values_not_derived_ones() -> None:
    # "an increase of 20" on last year's DVPOs is a difference, not last year's value
    assert not [
        row
        for row in observations()
        if row["metric_id"] == "dvpo-granted" and row["period"] != "2019-20-Q4"
    ]


@pytest.mark.parametrize(
    ("metric_id", "period", "earlier", "later"),
    [
        ("ksi-casualties", "2020", 752, 722),
        ("road-deaths", "2020", 49, 47),
        ("road-serious-injuries", "2017", 861, 880),
        ("road-serious-injuries", "2016", 970, 961),
    ],
)
def test_revisions_are_kept_with_distinct_publication_dates(
    metric_id, period, earlier, later
) -> None:
    published = {row["source_id"]: row["published"] for row in table("sources")}
    rows = [
        row
        for row in observations()
        if row["metric_id"] == metric_id and row["period"] == period and row["area_id"] == "essex"
    ]
    by_value = {float(row["value"]): row for row in rows}
    assert {earlier, later} <= set(by_value), rows
    first, second = (
        published[by_value[earlier]["source_id"]],
        published[by_value[later]["source_id"]],
    )
    assert first != second
    assert first < second, "the later-published source must carry the current value"


def test_provisional_status_follows_the_source() -> None:
    for row in observations():
        if row["status"] == "provisional":
            assert "provisional" in (row["source_sentence"] + row["note"]).lower(), row


# --- phrasings used by ingestion -----------------------------------------------------------------


def test_phrasings_compile_with_one_value_group() -> None:
    for metric_id, metric in metrics().items():
        raw = metric["phrasings"]
        if not raw:
            continue
        for entry in raw.split(" || "):
            offset, sep, regex = entry.partition(":")
            assert sep and re.fullmatch(r"-?\d+", offset), f"{metric_id}: bad entry {entry!r}"
            pattern = re.compile(regex, re.IGNORECASE)
            assert list(pattern.groupindex) == ["value"], (
                f"{metric_id}: needs exactly one named group 'value'"
            )
            assert regex.count("(?P<value>") == 1, metric_id


def test_phrasings_find_each_reference_observation_in_its_sentence() -> None:
    all_metrics = metrics()
    for row in observations():
        if row["source_id"] != REFERENCE_SOURCE:
            continue
        metric = all_metrics[row["metric_id"]]
        found = set()
        for offset, pattern in phrasings(metric):
            for match in pattern.finditer(row["source_sentence"]):
                found.add((REFERENCE_QUARTER.shift(offset).label, matched_value(metric, match)))
        assert (row["period"], float(row["value"])) in found, (
            row["metric_id"],
            row["period"],
            row["value"],
            found,
        )


def test_phrasings_match_nothing_else_in_the_reference_report() -> None:
    text = _reference_text()
    stored = {
        (row["metric_id"], row["period"], float(row["value"]))
        for row in observations()
        if row["source_id"] == REFERENCE_SOURCE
    }
    wrong = []
    for sentence in sentences(text):
        for metric_id, metric in metrics().items():
            for offset, pattern in phrasings(metric):
                match = pattern.search(sentence)
                if match:
                    key = (
                        metric_id,
                        REFERENCE_QUARTER.shift(offset).label,
                        matched_value(metric, match),
                    )
                    if key not in stored:
                        wrong.append((key, sentence))
    assert not wrong, wrong


def test_reference_sentences_are_whole_sentences_of_the_report() -> None:
    report_sentences = set(sentences(_reference_text()))
    for row in observations():
        if row["source_id"] == REFERENCE_SOURCE:
            assert row["source_sentence"] in report_sentences, row["source_sentence"]


# --- documentation ---------------------------------------------------------------------------------


def test_readme_documents_every_schema_column() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name, spec in TABLES.items():
        assert spec.filename in readme, spec.filename
        for column in spec.columns:
            assert f"`{column}`" in readme, f"{name}.{column} is not documented in data/README.md"


def test_cpt_is_the_force_wide_meaning() -> None:
    glossary = {row["term"]: row for row in table("glossary")}
    assert glossary["CPT"]["expansion"].startswith("Community Policing Team")
    assert "Case Progression Team" in glossary["CPT"]["expansion"]


# Wording as other quarters' updates might phrase it (invented sentences, used only to test the
# phrasings' reach; no value here is data).
OTHER_QUARTER_WORDING = [
    (
        "emergency-calls-999",
        "74,120 emergency calls (999) were taken this quarter compared to 70,002 in the same "
        "quarter last year (an increase of 5.9%).",
        {(0, 74120), (-4, 70002)},
    ),
    (
        "special-constable-headcount",
        "The Special Constable headcount rose to 530 at the end of June 2020, up from 480 at the "
        "end of June 2019 (50 more officers).",
        {(0, 530), (-4, 480)},
    ),
    (
        "ksi-casualties",
        "There were 201 Killed and Seriously Injured (KSI) casualties in the last quarter.",
        {(0, 201)},
    ),
    (
        "road-deaths",
        "Nine of these were fatalities down from 14 in the same period in 2019/20.",
        {(0, 9), (-4, 14)},
    ),
    (
        "drink-drive-arrests",
        "During Q1 a total of 298 drivers were arrested for drink driving compared to 310 during "
        "the same period in 2019/20.",
        {(0, 298), (-4, 310)},
    ),
    ("csc-patrolling", "Fourteen CSCs are actively patrolling for twelve councils.", {(0, 14)}),
    (
        "specials-salary-equivalent",
        "The hours worked were equivalent to having an additional 98 full time officers, who would "
        "attract an annual salary cost of £6.1m.",
        {(0, 6_100_000)},
    ),
    ("nhw-coordinators", "There are now 3,150 NHW Coordinators across the county.", {(0, 3150)}),
    ("nhw-coordinators", "There are over 3,000 NHW Coordinators across the county.", set()),
]


@pytest.mark.parametrize(("metric_id", "sentence", "expected"), OTHER_QUARTER_WORDING)
def test_phrasings_reach_other_quarters_wording(metric_id, sentence, expected) -> None:
    all_metrics = metrics()
    found = set()
    for other_id, metric in all_metrics.items():
        for offset, pattern in phrasings(metric):
            match = pattern.search(sentence)
            if match:
                if other_id == metric_id:
                    found.add((offset, matched_value(metric, match)))
                elif not (
                    metric_id == "specials-salary-equivalent"
                    and other_id == "specials-fte-equivalent"
                ):
                    pytest.fail(f"{other_id} also matches: {sentence!r}")
    assert found == expected


def test_readme_counts_match_the_tables() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in ("sources", "metrics", "observations", "glossary", "discontinuities"):
        filename = TABLES[name].filename
        stated = re.search(rf"\| `{re.escape(filename)}` \| (\d+) \|", readme)
        assert stated, f"data/README.md gives no row count for {filename}"
        assert int(stated[1]) == len(table(name)), filename
