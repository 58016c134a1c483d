"""`pcp-dashboard review DIR`: turn reviewed facts into figures and remember their wording.

``ingest`` leaves the facts it could not place in ``DIR/review_unmatched_facts.csv``. An
analyst fills ``metric_id`` and ``period`` on the rows to keep (and may write ``synonym``: the
words that name the metric in that sentence; left blank, the words around the number are
used). ``review DIR`` checks those rows against the catalogue, adds them to
``DIR/observations.csv`` with their sentence and source, adds each synonym to
``DIR/metric_terms.csv`` as a ``name`` of the metric (so the next ingest finds the same
wording by itself) and removes the rows from the review file. ``import DIR`` then brings both
into the dataset, shown first like any import.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from dashboard.data.periods import PeriodError, canonical_period
from dashboard.data.schema import TABLES

from .facts import MONTHS
from .reference import Reference, default_dataset_dir
from .terms import STOP_WORDS, tokens
from .write import ANALYST_FILES, write_tables

#: Words of a sentence kept as a remembered name, at most.
NAME_WORDS = 5


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "review",
        help="record reviewed facts from an ingest folder and remember their wording",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", type=Path, metavar="DIR", help="the folder `ingest` wrote")
    parser.add_argument("--dataset", type=Path, default=None, help="dataset for the catalogue")
    parser.add_argument("--list", action="store_true", help="only list the facts left for review")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = args.folder / ANALYST_FILES["review"]
    if not path.is_file():
        print(f"{path}: no review file here (run `pcp-dashboard ingest` first)", file=sys.stderr)
        return 2
    review = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("metric_id", "period", "synonym"):
        if column not in review.columns:
            review[column] = ""
    if args.list:
        for number, row in enumerate(review.itertuples(index=False), start=2):
            print(f"row {number}: {row.raw} ({row.reason}) in {row.sentence!r}")
        return 0
    reference = Reference.load(args.dataset or default_dataset_dir())
    chosen = review[review["metric_id"].str.strip() != ""]
    if chosen.empty:
        print(f"no row of {path.name} has a metric_id: fill metric_id and period on the facts "
              "to keep, then run this again")  # fmt: skip
        return 0
    observations, terms, problems = reviewed(chosen, reference)
    if problems:
        print(f"{path.name}: {len(problems)} problem(s); nothing changed", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    sources = set(observations["source_id"])
    remaining = review.drop(index=chosen.index)
    frames = {"observations": observations, "metric_terms": terms}
    write_tables(args.folder, frames, set())
    remaining.to_csv(path, index=False, lineterminator="\n")
    print(
        f"recorded {len(observations)} figure(s) from {', '.join(sorted(sources))}; remembered "
        f"{len(terms)} wording(s) as metric names; {len(remaining)} fact(s) still to review. "
        f"Import with: pcp-dashboard import {args.folder}"
    )
    return 0


def reviewed(rows: pd.DataFrame, reference: Reference):
    """Reviewed rows -> (observations, metric_terms rows, problems naming file, row, column)."""
    metrics = reference.metrics.set_index("metric_id")
    filename = ANALYST_FILES["review"]
    observations, terms, problems = [], [], []
    for index, row in rows.iterrows():
        line = int(index) + 2
        metric_id = row["metric_id"].strip()
        if metric_id not in metrics.index:
            problems.append(
                f"{filename} row {line}, metric_id: {metric_id!r} is not in metrics.csv"
            )
            continue
        basis = metrics.loc[metric_id, "basis"]
        try:
            period = canonical_period(basis, row["period"].strip())
        except PeriodError as exc:
            problems.append(f"{filename} row {line}, period: {row['period']!r}: {exc}")
            continue
        observations.append(
            {
                "metric_id": metric_id, "area_id": row["area_id"] or reference.force_id, "basis": basis,
                "period": period, "value": row["value"], "status": "final",
                "source_id": row["source_id"], "source_sentence": row["sentence"],
                "note": f"placed in review (ingest left it: {row['reason']})",
            }
        )  # fmt: skip
        name = row["synonym"].strip() or wording(row["sentence"], row["raw"])
        if name:
            terms.append(
                {"metric_id": metric_id, "kind": "name", "term": name, "origin": row["source_id"]}
            )
    columns = TABLES["observations"].columns
    frame = pd.DataFrame(observations, columns=columns)
    term_frame = pd.DataFrame(terms, columns=TABLES["metric_terms"].columns).drop_duplicates(
        ["metric_id", "kind", "term"]
    )
    return frame, term_frame, problems


def wording(sentence: str, raw: str) -> str:
    """The words nearest the number in its clause: what the sentence calls the thing counted."""
    at = sentence.find(raw)
    if at < 0:
        return ""
    clause_start = max(sentence.rfind(mark, 0, at) for mark in ",;:(") + 1
    ends = [i for mark in ",;:()." if (i := sentence.find(mark, at + len(raw))) >= 0]
    clause_end = min(ends) if ends else len(sentence)
    after = [t.text for t in tokens(sentence[at + len(raw) : clause_end]) if _keep(t.text)]
    before = [t.text for t in tokens(sentence[clause_start:at]) if _keep(t.text)]
    words = after[:NAME_WORDS]
    if len(words) < NAME_WORDS:
        words = before[-(NAME_WORDS - len(words)) :] + words
    return " ".join(words)


_TIME_WORDS = re.compile(
    rf"^(?:{MONTHS}|quarter|year|month|period|end|start|last|same|Q[1-4])$", re.I
)


def _keep(word: str) -> bool:
    return word[:1].isalpha() and word.lower() not in STOP_WORDS and not _TIME_WORDS.match(word)
