"""`pcp-dashboard build-data`: rebuild the dataset's national rows from the repository alone."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..config import data_dir, installed
from ..data.errors import DataError, Problem
from ..data.versions import LiveButUnfinished, LockTimeout, VersionStore
from .build import REPO_DATA, apply_build, bundle_records, plan_build, police_uk_files
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
    if args.dry_run:
        if build.changed:
            print("tables to rewrite: " + ", ".join(sorted(plan.changed_tables)))
        print("dry run: nothing written")
        return 0
    if not build.changed:
        print(f"{target} already holds exactly these rows: nothing to change")
        return _records(target, repo_data)
    print("tables to rewrite: " + ", ".join(sorted(plan.changed_tables)))
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
    return _records(target, repo_data)


def _records(target: Path, repo_data: Path) -> int:
    """The police.uk records of data/published/ kept in ``target``/records/ (issue 22) and, where
    the folder keeps versions, with the live version (its other months stay)."""
    started = time.perf_counter()
    try:
        built = bundle_records(target, repo_data)
    except DataError as exc:
        print(f"records not built: {len(exc.errors)} problem(s)", file=sys.stderr)
        _print(exc.errors, sys.stderr)
        return 1
    if built is None:
        return 0
    sizes = ", ".join(f"{name} {size / 2**20:,.2f} MB" for name, size in built.sizes.items())
    print(
        f"police.uk records of {len(built.sources)} month(s) "
        + ("rebuilt" if built.changed else "unchanged")
        + f" in {built.folder} ({sizes}; {time.perf_counter() - started:.1f} s)"
    )
    store = VersionStore(target)
    live = store.current_version() if store.writable else None
    if live is None:
        return 0
    manifest = store.manifest(live) or {}
    held = manifest.get("records") if isinstance(manifest.get("records"), dict) else None
    if held is not None and not built.changed and set(built.sources) <= set(held["sources"]):
        return 0
    try:
        with store.lock(installed().lock_timeout, action="build-data records"):
            if held is None:
                store.seed_records(live)
            else:
                store.add_records(live, police_uk_files(repo_data))
    except (DataError, LockTimeout) as exc:
        print(f"warning: the records were not kept with version {live}: {exc}", file=sys.stderr)
        return 0
    print(f"records kept with version {live}")
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
