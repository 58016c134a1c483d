"""`pcp-dashboard build-data`: rebuild the dataset's national rows from the repository alone."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..config import data_dir
from ..data.errors import DataError, Problem
from ..data.versions import LiveButUnfinished, LockTimeout
from .build import REPO_DATA, apply_build, plan_build
from .intake import describe

MAX_PRINTED = 200
#: Revisions are many (every overlap of two editions); this many are printed as examples.
REVISION_EXAMPLES = 5


def _print(problems: list[Problem], stream) -> None:
    for problem in sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))[
        :MAX_PRINTED
    ]:
        print(f"  {problem}", file=stream)
    if len(problems) > MAX_PRINTED:
        print(f"  ... and {len(problems) - MAX_PRINTED:,} more", file=stream)


def run(args: argparse.Namespace) -> int:
    target = Path(args.data_dir) if args.data_dir else data_dir()
    repo_data = Path(args.repo_data) if args.repo_data else REPO_DATA
    if not target.is_dir():
        print(f"{target}: no dataset folder there", file=sys.stderr)
        return 2
    started = time.perf_counter()
    build = plan_build(target, repo_data)
    for result in build.published:
        if result.ok:
            print(describe(result))
    if not build.ok:
        print(f"build refused, nothing changed: {len(build.errors)} problem(s)", file=sys.stderr)
        _print(build.errors, sys.stderr)
        return 1
    plan = build.plan
    assert plan is not None  # a build without errors has a plan
    notices = [p for p in build.problems + plan.problems if p.severity != "error"]
    if args.verbose and notices:
        print(f"{len(notices)} note(s):")
        _print(notices, sys.stdout)
    elif notices:
        print(f"{len(notices)} note(s) on what was left out and why (--verbose lists them)")
    restated = [r for r in plan.revisions if "restated as" in r]
    print(
        f"{sum(plan.new_rows.values()):,} row(s) from data/national and data/published; "
        f"{len(plan.revisions) + len(plan.republished):,} value(s) published by more than "
        "one edition "
        f"({len(restated):,} restated, kept as revisions)"
    )
    for text in restated[:REVISION_EXAMPLES]:
        print(f"  revision: {text}")
    if not build.changed:
        print(f"{target} already holds exactly these rows: nothing to change")
        return 0
    print("tables to rewrite: " + ", ".join(sorted(plan.changed_tables)))
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    try:
        version = apply_build(build, target)
    except DataError as exc:
        print(f"build refused, nothing changed: {len(exc.errors)} problem(s)", file=sys.stderr)
        _print(exc.errors, sys.stderr)
        return 1
    except LockTimeout as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return 1
    except LiveButUnfinished as exc:
        return exc.report(
            f"rebuilt {target}: version {exc.version} is live; the previous version is kept"
        )
    print(
        f"rebuilt {target} in {time.perf_counter() - started:.1f} s: version {version} is live; "
        "the previous version is kept (undo with: pcp-dashboard rollback)"
    )
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "build-data",
        help="rebuild the dataset's national rows from data/published and data/national",
        description="Import the published national tables kept in the repository "
        "(data/published, listed in its manifest.csv) and the curated national catalogue rows "
        "(data/national) into the dataset, replacing the rows an earlier build added. Uses the "
        "importer's checks; the previous version is kept for rollback.",
    )
    parser.add_argument("--data-dir", help="dataset folder (default: PCP_DATA_DIR or data/)")
    parser.add_argument(
        "--repo-data",
        help="folder holding published/ and national/ (default: the repository's data/)",
    )
    parser.add_argument("--dry-run", action="store_true", help="show what would change")
    parser.add_argument("--verbose", action="store_true", help="list every note")
    parser.set_defaults(func=run)
