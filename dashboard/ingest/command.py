"""`pcp-dashboard ingest DOC... [--out DIR] [--partial] [--import [--yes]]`: quarterly update
documents -> dataset tables, and (with --import) into the dataset in one reviewed step."""

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

#: How many facts left for review the summary lists before counting the rest.
SHOWN_FOR_REVIEW = 12


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="read quarterly update documents (.txt, .docx, .pdf) into dataset tables",
        description="Read quarterly update documents into narrative, observations, glossary and "
        "sources tables in DIR (ready for `validate` and `import`). Figures that cannot be put "
        f"on a metric and period go to {ANALYST_FILES['review']} (see `pcp-dashboard review`); "
        f"restated values to {ANALYST_FILES['revisions']}. Each document succeeds or fails on "
        "its own. With --import, the changes to the dataset are shown and, once confirmed "
        "(or with --yes), imported.",
    )
    parser.add_argument("documents", nargs="+", type=Path, metavar="DOC")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", default=Path("ingested"),
        help="folder for the tables and review files (default: ./ingested)",
    )  # fmt: skip
    parser.add_argument(
        "--dataset",
        type=Path,
        default=None,
        help="dataset folder for areas, objectives, the metric catalogue and existing "
        "observations (default: PCP_DATA_DIR or the bundled data/)",
    )
    parser.add_argument("--metrics", type=Path, default=None, help="metric catalogue CSV to use")
    parser.add_argument(
        "--partial",
        action="store_true",
        help="take what a truncated document holds (marked partial; missing priorities named)",
    )
    parser.add_argument(
        "--import",
        dest="do_import",
        action="store_true",
        help="then show what would change in the dataset and import it once confirmed",
    )
    parser.add_argument("--yes", action="store_true", help="with --import: do not ask")
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
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    prior = _prior(reference, args.out)
    published = _published(reference, args.out)
    results: list[Result] = []
    failed: list[tuple[Path, str]] = []
    total = len(args.documents)
    for number, path in enumerate(args.documents, start=1):
        started = time.perf_counter()
        prefix = f"[{number}/{total}] " if total > 1 else ""
        try:
            result = ingest(path, reference, prior, partial=args.partial, published=published)
        except IngestError as exc:
            failed.append((path, exc.message))
            print(f"{prefix}error: {exc}", file=sys.stderr)
            continue
        results.append(result)
        published[result.source_id] = str(result.tables["sources"].iloc[0]["published"])
        prior = pd.concat([prior, result.tables["observations"].astype(str)], ignore_index=True)
        say(f"{prefix}{_summary(result)} ({time.perf_counter() - started:.2f}s)")
        for warning in result.warnings:
            say(f"  warning: {warning}")
        for rev in result.revisions.itertuples(index=False):
            say(f"  revision: {_revision_text(rev)}")
    if not results:
        print("nothing written: no document could be read", file=sys.stderr)
        return 1
    frames = _with_context(_combine(results, published), reference)
    try:
        written = write_tables(args.out, frames, {r.source_id for r in results})
    except OSError as exc:
        print(f"error: cannot write to {args.out}: {exc}", file=sys.stderr)
        return 1
    say(f"wrote {', '.join(p.name for p in written)} to {args.out}")
    if total > 1 or failed:
        say(
            f"read {len(results)} of {total} document(s): "
            + ", ".join(r.path.name for r in results)
        )
        if failed:
            say(f"failed {len(failed)}: " + "; ".join(f"{p.name} ({m})" for p, m in failed))
    code = 1 if failed else 0
    if args.do_import:
        code = max(code, _import(args, results))
    return code


def _import(args: argparse.Namespace, results: list[Result]) -> int:
    """The dry-run diff of the output folder against the dataset, then the import."""
    from dashboard.commands import print_plan
    from dashboard.config import data_dir
    from dashboard.data.errors import DataError
    from dashboard.data.importer import apply_import, folder_files, plan_import
    from dashboard.data.versions import LiveButUnfinished, LockTimeout

    target = args.dataset or data_dir()
    files, skipped = folder_files(args.out)
    plan = plan_import(files, target)
    print(f"\nwhat importing {args.out} into {target} would change:")
    print_plan(plan)
    review = pd.concat([r.review for r in results], ignore_index=True)
    _print_review(review, args.out)
    if not plan.ok:
        print("not imported: resolve the conflicts above first", file=sys.stderr)
        return 1
    if not plan.changed_tables:
        return 0
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            print(
                "not imported: no terminal to confirm on; run again with --yes, or import the "
                f"folder later with `pcp-dashboard import {args.out}`",
                file=sys.stderr,
            )
            return 1
        answer = input(f"import these changes into {target}? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("not imported; nothing changed")
            return 1

    def imported(version: str | None) -> str:
        return (
            f"imported into {target}: version {version} is live; the previous version is kept "
            "(undo with: pcp-dashboard rollback)"
        )

    try:
        version = apply_import(plan, target, files)
    except LiveButUnfinished as exc:
        return exc.report(imported(exc.version))
    except (DataError, LockTimeout) as exc:
        problems = exc.errors if isinstance(exc, DataError) else []
        why = f"{len(problems)} problem(s)" if isinstance(exc, DataError) else str(exc)
        print(f"import refused, nothing changed: {why}", file=sys.stderr)
        for problem in problems[:50]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(imported(version))
    return 0


def _print_review(review: pd.DataFrame, out: Path) -> None:
    if review.empty:
        print("facts left for review: none")
        return
    print(f"facts left for review: {len(review)} (in {out / ANALYST_FILES['review']}):")
    for row in review.head(SHOWN_FOR_REVIEW).itertuples(index=False):
        print(f"  {row.raw} ({row.document}): {row.reason}")
    if len(review) > SHOWN_FOR_REVIEW:
        print(f"  ... and {len(review) - SHOWN_FOR_REVIEW} more")


def _revision_text(rev) -> str:
    """Earlier publication first: "516 (pcp-2018-19-q4, 2019-04) restated as 514 (...)"."""
    return (
        f"{rev.metric_id} {rev.area_id} {rev.period}: {rev.earlier_value:g} "
        f"({rev.earlier_source_id}, published {rev.earlier_published or '?'}) restated as "
        f"{rev.later_value:g} ({rev.later_source_id}, published {rev.later_published or '?'}); "
        f"{rev.current_value:g} is current"
    )


def _prior(reference: Reference, out: Path) -> pd.DataFrame:
    frames = [reference.observations]
    existing = out / "observations.csv"
    if existing.is_file():
        frames.append(pd.read_csv(existing, dtype=str, keep_default_na=False))
    return pd.concat(frames, ignore_index=True)


def _published(reference: Reference, out: Path) -> dict[str, str]:
    """source_id -> publication month, from the dataset and any earlier ingest in ``out``."""
    frames = [reference.sources] if reference.sources is not None else []
    existing = out / "sources.csv"
    if existing.is_file():
        frames.append(pd.read_csv(existing, dtype=str, keep_default_na=False))
    out_map: dict[str, str] = {}
    for frame in frames:
        if frame is not None and not frame.empty:
            out_map.update(zip(frame["source_id"], frame["published"].astype(str), strict=False))
    return out_map


def _combine(results: list[Result], published: dict[str, str]) -> dict[str, pd.DataFrame]:
    frames: dict[str, list[pd.DataFrame]] = {}
    for result in results:
        for name, frame in result.tables.items():
            frames.setdefault(name, []).append(frame)
        frames.setdefault("review", []).append(result.review)
        frames.setdefault("revisions", []).append(result.revisions)
        frames.setdefault("tags", []).append(result.tags)
    combined = {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
    if "glossary" in combined and not combined["glossary"].empty:
        # a term defined differently in a later document: the later definition is current
        glossary = combined["glossary"]
        order = glossary["source_id"].map(lambda s: published.get(s, ""))
        combined["glossary"] = glossary.assign(_order=order).sort_values("_order", kind="stable")
        combined["glossary"] = combined["glossary"].drop(columns="_order")
    for name, frame in combined.items():
        if name in TABLES:  # the same document given twice (say .txt and .pdf): keep one
            combined[name] = frame.drop_duplicates(list(TABLES[name].key), keep="last")
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
    partial = " [partial]" if result.document.missing else ""
    return (
        f"{result.path.name}: {title.quarter.display}{partial} (data to "
        f"{title.data_to_text or '?'}), {bullets} bullets, {subs} sub-bullets, "
        f"{len(result.tables['observations'])} figures, {len(result.review)} facts for review, "
        f"{len(result.revisions)} revisions"
    )
