"""`pcp-dashboard ingest DOC... --out DIR`: quarterly update documents -> dataset tables."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from dashboard.data.schema import TABLES

from .document import Result, catalogue_for, ingest
from .errors import IngestError
from .matcher import TermsError
from .reference import Reference, default_dataset_dir
from .write import ANALYST_FILES, write_tables


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="read quarterly update documents (.txt, .docx, .pdf) into dataset tables",
        description="Read quarterly update documents into narrative, observations, glossary and "
        "sources tables in DIR (ready for `validate` and `import`). Figures that match no metric "
        f"go to {ANALYST_FILES['review']}; restated values to {ANALYST_FILES['revisions']}.",
    )
    parser.add_argument("documents", nargs="+", type=Path, metavar="DOC")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR")
    parser.add_argument(
        "--dataset",
        type=Path,
        default=None,
        help="dataset folder for areas, objectives, the metric catalogue and existing "
        "observations (default: PCP_DATA_DIR or the bundled data/)",
    )
    parser.add_argument("--metrics", type=Path, default=None, help="metric catalogue CSV to use")
    parser.add_argument("--quiet", action="store_true", help="no progress or summary")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    dataset = args.dataset or default_dataset_dir()
    try:
        reference = Reference.load(dataset, args.metrics)
        catalogue_for(reference)  # a bad metric_terms row is reported before any document
    except (TermsError, OSError, pd.errors.ParserError) as exc:
        print(f"error: metric catalogue: {exc}", file=sys.stderr)
        return 2
    prior = _prior(reference, args.out)
    results: list[Result] = []
    total = len(args.documents)
    for number, path in enumerate(args.documents, start=1):
        started = time.perf_counter()
        try:
            result = ingest(path, reference, prior)
        except IngestError as exc:
            print(f"error: {exc}", file=sys.stderr)
            print("nothing written", file=sys.stderr)
            return 1
        results.append(result)
        prior = pd.concat([prior, result.tables["observations"].astype(str)], ignore_index=True)
        if not args.quiet:
            prefix = f"[{number}/{total}] " if total > 1 else ""
            print(
                f"{prefix}{_summary(result)} ({time.perf_counter() - started:.2f}s)",
                file=sys.stderr,
            )
            for warning in result.warnings:
                print(f"  warning: {warning}", file=sys.stderr)
            for rev in result.revisions.itertuples(index=False):
                print(
                    f"  revision: {rev.metric_id} {rev.area_id} {rev.period}: "
                    f"{rev.previous_value:g} ({rev.previous_source_id}) -> {rev.value:g}",
                    file=sys.stderr,
                )
    frames = _with_context(_combine(results), reference)
    try:
        written = write_tables(args.out, frames, {r.source_id for r in results})
    except OSError as exc:
        print(f"error: cannot write to {args.out}: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote {', '.join(p.name for p in written)} to {args.out}", file=sys.stderr)
    return 0


def _prior(reference: Reference, out: Path) -> pd.DataFrame:
    frames = [reference.observations]
    existing = out / "observations.csv"
    if existing.is_file():
        frames.append(pd.read_csv(existing, dtype=str, keep_default_na=False))
    return pd.concat(frames, ignore_index=True)


def _combine(results: list[Result]) -> dict[str, pd.DataFrame]:
    frames: dict[str, list[pd.DataFrame]] = {}
    for result in results:
        for name, frame in result.tables.items():
            frames.setdefault(name, []).append(frame)
        frames.setdefault("review", []).append(result.review)
        frames.setdefault("revisions", []).append(result.revisions)
        frames.setdefault("tags", []).append(result.tags)
    combined = {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
    for name, frame in combined.items():
        if name in TABLES:  # the same document given twice (say .txt and .pdf): keep one
            keep = "first" if name == "glossary" else "last"
            combined[name] = frame.drop_duplicates(list(TABLES[name].key), keep=keep)
    return combined


def _with_context(frames: dict[str, pd.DataFrame], reference: Reference) -> dict:
    """Add the dataset's priorities, objectives, areas and metrics (plus any new priorities or
    objectives the documents introduce) so that DIR validates on its own; importing them
    again changes nothing."""
    context = {
        "priorities": reference.priorities,
        "objectives": reference.objectives,
        "areas": reference.areas,
        "metrics": reference.metrics,
    }
    for name, known in context.items():
        parts = [known.astype(object)]
        if name in frames:
            parts.append(frames[name].astype(object))
        merged = pd.concat(parts, ignore_index=True)
        if not merged.empty:
            frames[name] = merged.drop_duplicates(list(TABLES[name].key), keep="first")
    return frames


def _summary(result: Result) -> str:
    narrative = result.tables["narrative"]
    bullets = int(((narrative["kind"] == "bullet") & (narrative["level"] == 0)).sum())
    subs = int(((narrative["kind"] == "bullet") & (narrative["level"] > 0)).sum())
    title = result.document.title
    return (
        f"{result.path.name}: {title.quarter.display} (data to {title.data_to_text or '?'}), "
        f"{bullets} bullets, {subs} sub-bullets, "
        f"{len(result.tables['observations'])} figures, {len(result.review)} facts for review, "
        f"{len(result.revisions)} revisions"
    )
