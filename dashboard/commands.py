"""Data and server subcommands: validate, import, history, rollback, serve."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .config import Settings, SettingsError, positive_int
from .data.errors import DataError, Problem, errors_only
from .data.files import why_not_readable
from .data.importer import apply_import, expand_inputs, plan_import, rollback
from .data.readers import read_table
from .data.validate import identify_table, validate_folder, validate_incoming
from .data.versions import LiveButUnfinished, LockTimeout, VersionStore, has_tables
from .publishers import registry as publishers
from .resources import GUNICORN_CONFIG, WSGI_APP
from .views import model as _views  # noqa: F401 - versions made here store the view frames

#: More problems than this are counted, not listed: the first ones show what to fix.
MAX_PRINTED = 500


def _print_problems(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stdout
    problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
    for problem in problems[:MAX_PRINTED]:
        print(f"  {problem}", file=stream)
    if len(problems) > MAX_PRINTED:
        print(
            f"  ... and {len(problems) - MAX_PRINTED:,} more (fix the ones above and run again)",
            file=stream,
        )


def _shared() -> bool:
    """True when PCP_STORE names a PostgreSQL store (whose commands are data/command.py's)."""
    return bool(Settings.from_env().store_url)


def _validate_files(paths: list[Path], working: Path | None = None) -> tuple[list[Problem], str]:
    """Files checked on their own rules and against the dataset (metrics, areas, sources)."""
    settings = Settings.from_env()
    if working is None:
        working = VersionStore(settings.data_dir, seed=settings.seed_dir).working_dir()
    base, base_problems = validate_folder(working)
    context = ""
    if errors_only(base_problems):
        base, context = {}, " (the dataset is not valid, so links to it were not checked)"
    groups: dict[str, list] = {}
    problems: list[Problem] = []
    for path in paths:
        raw = read_table(path)
        spec = identify_table(raw)
        if spec is None:
            problems += raw.problems
            if not errors_only(raw.problems):
                problems.append(
                    Problem(
                        path.name,
                        1,
                        None,
                        ", ".join(map(str, raw.frame.columns)),
                        "the columns of a table of the dataset (see data/README.md)",
                    )
                )
            continue
        groups.setdefault(spec.name, []).append(raw)
    _, found = validate_incoming(groups, base)
    return problems + found, context


def run_validate(
    args: argparse.Namespace, working: Path | None = None, label: str | None = None
) -> int:
    """``working``/``label``: the dataset to check against and how to name it (the shared
    store's live version, materialised); default: the data folder's."""
    settings = Settings.from_env()
    default = working or VersionStore(settings.data_dir, seed=settings.seed_dir).working_dir()
    paths = [Path(p) for p in args.paths] or [default]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print("no such file or folder: " + ", ".join(map(str, missing)), file=sys.stderr)
        return 2
    folders = [p for p in paths if p.is_dir()]
    if folders and len(paths) > 1:
        print("give one dataset folder, or one or more files", file=sys.stderr)
        return 2
    if folders:
        _, problems = validate_folder(folders[0])
        what, context = f"dataset {label if folders[0] == working and label else folders[0]}", ""
    else:
        problems, context = _validate_files(paths, working)
        what = "file " + ", ".join(map(str, paths))
    errors = errors_only(problems)
    notices = [p for p in problems if p.severity != "error"]
    if notices and not args.quiet:
        print(f"{len(notices)} note(s):")
        _print_problems(notices)
    if errors:
        print(f"{what}: {len(errors)} problem(s){context}", file=sys.stderr)
        _print_problems(errors, sys.stderr)
        return 1
    print(f"{what}: valid{context}")
    return 0


def _store_settings(args: argparse.Namespace) -> tuple[Path, dict]:
    settings = Settings.from_env()
    target = Path(args.data_dir) if getattr(args, "data_dir", None) else settings.data_dir
    options = {
        "seed": settings.seed_dir,
        "lock_timeout": settings.lock_timeout,
        "keep_versions": settings.keep_versions,
    }
    return target, options


def print_plan(plan) -> None:
    """An import plan as the analyst reads it: notes, then problems or what would change."""
    notices = [p for p in plan.problems if p.severity != "error"]
    if notices:
        print(f"{len(notices)} note(s):")
        _print_problems(notices)
    if not plan.ok:
        print(f"import refused, nothing changed: {len(plan.errors)} problem(s)", file=sys.stderr)
        _print_problems(plan.errors, sys.stderr)
        return
    print("\n".join(plan.summary()))


def import_inputs(args: argparse.Namespace) -> list[Path] | int:
    """The table files an import names (a folder's tables), checked before anything opens
    them; or the exit status after saying why there are none to import."""
    given = [Path(f) for f in args.files]
    missing = [f for f in given if not f.exists()]
    if missing:
        print("no such file or folder: " + ", ".join(map(str, missing)), file=sys.stderr)
        return 2
    files, skipped = expand_inputs(given)
    if skipped:
        print("left alone (not dataset tables): " + ", ".join(p.name for p in skipped))
    if not files:
        print("no dataset tables to import in " + ", ".join(map(str, given)), file=sys.stderr)
        return 2
    # Before anything opens them: a device never ends and a FIFO never answers (finding 5).
    unreadable = [(f, why) for f in files if (why := why_not_readable(f))]
    if unreadable:
        print(f"import refused, nothing changed: {len(unreadable)} problem(s)", file=sys.stderr)
        for path, why in unreadable:
            print(f"  {path}: {why}; expected a .csv, .xlsx or .ods file", file=sys.stderr)
        return 2
    return files


def run_import(args: argparse.Namespace) -> int:
    target, options = _store_settings(args)
    files = import_inputs(args)
    if isinstance(files, int):
        return files
    if not target.is_dir():
        print(f"{target}: no dataset folder there", file=sys.stderr)
        return 2
    store = VersionStore(target, seed=options["seed"], keep=options["keep_versions"])
    try:
        if store.writable:
            # The plan is made under the lock too, so that it is made on the dataset it will
            # be applied to (a second import waits here for the first, then plans on top).
            with store.lock(options["lock_timeout"], action="import"):
                return _import(files, target, args, options)
        return _import(files, target, args, options)
    except LockTimeout as exc:
        print(f"import refused: {exc}", file=sys.stderr)
        return 1


def _import(
    files: list[Path],
    target: Path,
    args: argparse.Namespace,
    options: dict,
    *,
    where: str | None = None,
    previous: str | None = None,
    finish=None,
) -> int:
    """``where``, ``previous``, ``finish``: for the shared store, ``target`` is a throwaway
    copy of its live version; ``finish(version)`` publishes what the import made there."""
    intake = _published_intake(files, target, args)
    if intake.errors:
        print(f"import refused, nothing changed: {len(intake.errors)} problem(s)", file=sys.stderr)
        _print_problems(intake.errors, sys.stderr)
        return 1
    plan = plan_import(intake.items, target, seed=options["seed"])
    plan.problems = intake.problems + plan.problems
    print_plan(plan)
    if not plan.ok:
        return 1
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    if finish is None:
        previous = VersionStore(target).current_version() or plan.base_version

    def imported(version: str | None) -> str:
        return (
            f"imported into {where or target}: version {version} is live; the previous version "
            f"{previous} is kept (undo with: pcp-dashboard rollback)"
        )

    unfinished: LiveButUnfinished | None = None
    try:
        version = apply_import(plan, target, intake.items, **options)
    except DataError as exc:
        print(f"import refused, nothing changed: {len(exc.errors)} problem(s)", file=sys.stderr)
        _print_problems(exc.errors, sys.stderr)
        return 1
    except LiveButUnfinished as exc:
        version, unfinished = exc.version, exc
    if version:
        _keep_records(target, version, files, intake.published)
    if version and finish is not None and version != previous:
        finish(version)
    if unfinished is not None:
        return unfinished.report(imported(version))
    if version:
        print(imported(version))
    return 0


def _keep_records(target: Path, version: str, files: list[Path], published: list) -> None:
    """police.uk months imported: their records kept with the version (issue 22)."""
    names = {r.file for r in published if r.kind == "police-uk" and r.ok}
    police = [f for f in files if f.name in names]
    store = VersionStore(target)
    if not police or not store.writable:
        return
    try:
        entry = store.add_records(version, police)
    except DataError as exc:
        print("warning: the police.uk records were not kept with the version:", file=sys.stderr)
        _print_problems(exc.errors, sys.stderr)
        return
    print(f"records kept with version {version}: {', '.join(entry['sources'])}")


def _published_intake(files: list[Path], target: Path, args: argparse.Namespace):
    """Published national tables (recognised, or named with --as) read into dataset tables."""
    from .publishers.intake import describe, prepare

    intake = prepare(
        files,
        target,
        kind=getattr(args, "kind", None),
        published=getattr(args, "published", None),
        origin=getattr(args, "origin", None),
    )
    for result in intake.published:
        if result.ok:
            print(describe(result))
    return intake


def _describe(entry: dict) -> str:
    action = entry.get("action", "?")
    if "imported" in entry:
        rows = sum((entry.get("new_rows") or {}).values())
        names = ", ".join(Path(p).name for p in entry["imported"])
        return f"import of {names} ({rows} new row(s))"
    if action == "rollback":
        return f"rollback (replacing {entry.get('replaced') or '-'})"
    if "source" in entry:
        return f"{action} ({entry['source']})"
    return action


def print_history(entries: list[dict], live: str | None, kept: set[str], where: str) -> None:
    """The versions' history as ``pcp-dashboard history`` prints it, for either store
    (``where``: "of /srv/data", "in postgresql://..."); oldest first, the live one marked."""
    if not entries:
        print(f"no versions {where} yet (the first import or server start makes one)")
        return
    print(f"{'version':<12}  {'when (UTC)':<19}  what")
    for entry in entries:
        version = entry.get("version", "?")
        when = str(entry.get("at", ""))[:19].replace("T", " ")
        marks = " <- live" if entry is entries[-1] and version == live else ""
        if version not in kept:
            marks += " (no longer kept)"
        print(f"{version:<12}  {when:<19}  {_describe(entry)}{marks}")


def run_history(args: argparse.Namespace) -> int:
    target, options = _store_settings(args)
    store = VersionStore(target, seed=options["seed"])
    if store.writable:
        # Finish what a killed import or rollback left, if nobody else is at work.
        with store.try_lock("history") as got:
            if got:
                store.recover()
    print_history(store.history(), store.current_version(), set(store.versions()), f"of {target}")
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    target, options = _store_settings(args)
    try:
        result = rollback(target, args.snapshot, **options)
        (restored, replaced), kept = result, result.kept
    except LiveButUnfinished as exc:
        return exc.report(
            f"restored version {exc.version}; the version it replaced ({exc.previous}) is kept"
        )
    except (LookupError, LockTimeout) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"rollback refused, nothing changed: {len(exc.errors)} problem(s)", file=sys.stderr)
        _print_problems(exc.errors, sys.stderr)
        return 1
    print(
        f"restored version {restored}; the version it replaced ({replaced}) is kept "
        f"(pcp-dashboard rollback {replaced} brings it back)"
    )
    if kept:
        print(f"the edited files in {target}, which were not valid, were kept in {kept}")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    """The folder's files made live (after validating them), or the live files put back."""
    if _shared():
        print(
            "publish makes a data folder's edited files live in its own file store; with "
            "PCP_STORE set the shared store changes only by import, rollback and store copy "
            "(docs/shared-store.md)",
            file=sys.stderr,
        )
        return 2
    target, options = _store_settings(args)
    store = VersionStore(target, seed=options["seed"], keep=options["keep_versions"])
    if not store.writable:
        print(
            f"{target}: the folder keeps no versions (read-only); nothing to publish",
            file=sys.stderr,
        )
        return 2
    try:
        with store.lock(options["lock_timeout"], action="publish"):
            store.recover()
            before = store.current_version()
            if args.restore:
                live, kept = store.restore_working_copy()
                print(f"the files in {target} are those of the live version {live} again")
                if kept:
                    print(f"the files that differed were kept in {kept}")
                return 0
            if before is not None and not has_tables(target):
                print(
                    f"publish refused, nothing changed: {target} holds no table files; "
                    "`pcp-dashboard publish --restore` puts the live version's files back",
                    file=sys.stderr,
                )
                return 1
            result = store.sync(publish=True)
    except LockTimeout as exc:
        print(f"publish refused: {exc}", file=sys.stderr)
        return 1
    except LiveButUnfinished as exc:
        return exc.report(f"published the files in {target}: version {exc.version} is live")
    if errors_only(result.problems):
        print(
            f"publish refused, nothing changed: {len(errors_only(result.problems))} problem(s)",
            file=sys.stderr,
        )
        _print_problems(errors_only(result.problems), sys.stderr)
        return 1
    if result.current == before:
        print(f"the files in {target} are the live version {before}: nothing to publish")
        return 0
    print(
        f"published the files in {target}: version {result.current} is live; the previous "
        f"version {before} is kept (undo with: pcp-dashboard rollback)"
    )
    return 0


def serve_command(settings: Settings) -> list[str]:
    """gunicorn from this interpreter (never a ``gunicorn`` found on PATH), with the shipped
    settings module; the resolved bind, workers and threads go on its command line, where they
    beat the settings module (so a flag beats the environment, which beats the default)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        GUNICORN_CONFIG,
        "--bind",
        settings.bind,
        "--workers",
        str(settings.workers),
        "--threads",
        str(settings.threads),
        "--access-logfile",
        "-",
        WSGI_APP,
    ]


def run_serve(args: argparse.Namespace) -> int:
    """Replace this process by gunicorn serving the dashboard (Docker's CMD runs this)."""
    try:
        settings = Settings.from_env(bind=args.bind, workers=args.workers, threads=args.threads)
    except SettingsError as exc:
        print(f"cannot serve: {exc}", file=sys.stderr)
        return 2
    command = serve_command(settings)
    serving: str | Path = settings.data_dir
    if settings.store_url:  # the shared store: what is served is PostgreSQL's live version
        from .data.pgstore import redacted

        serving = f"the live version in {redacted(settings.store_url)}"
    if settings.proxy:
        from .proxy import find_nginx, serve_behind_nginx

        nginx = find_nginx(settings)
        if nginx is None:
            print(
                f"cannot serve: nginx is not at {settings.nginx_path} (PCP_NGINX) nor on PATH "
                "(bash scripts/setup.sh installs it); "
                "PCP_PROXY=0 serves gunicorn alone, which slow clients can stop",
                file=sys.stderr,
            )
            return 2
        print(
            f"serving {serving} on http://{settings.bind} (nginx in front of gunicorn)",
            file=sys.stderr,
            flush=True,
        )
        return serve_behind_nginx(settings, command, nginx)
    print(f"serving {serving} on http://{settings.bind}", file=sys.stderr, flush=True)
    os.execv(command[0], command)  # noqa: S606 - replaces this process by design
    return 0  # pragma: no cover


def run_balance(args: argparse.Namespace) -> int:
    """nginx in front of several app hosts (docs/shared-store.md: the two-host topology)."""
    try:
        settings = Settings.from_env(bind=args.bind)
    except SettingsError as exc:
        print(f"cannot balance: {exc}", file=sys.stderr)
        return 2
    from .proxy import balance, find_nginx

    nginx = find_nginx(settings)
    if nginx is None:
        print(f"cannot balance: nginx is not at {settings.nginx_path} (PCP_NGINX)", file=sys.stderr)
        return 2
    print(
        f"balancing {', '.join(args.upstream)} on http://{settings.bind}",
        file=sys.stderr,
        flush=True,
    )
    return balance(settings, args.upstream, nginx)


def _guarded(func):
    """A file-system failure (permissions, a full disk) is a message, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except OSError as exc:
            print(f"{exc.filename or ''}: {exc.strerror or exc}; nothing changed", file=sys.stderr)
            return 1

    run.__name__ = func.__name__
    return run


def _positive(text: str) -> int:
    try:
        return positive_int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected {exc}, not {text!r}") from None


def register(subparsers) -> None:
    validate = subparsers.add_parser("validate", help="check a dataset folder or single files")
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a dataset folder, or files checked against the dataset "
        "(default: PCP_DATA_DIR or the bundled data/)",
    )
    validate.add_argument("--quiet", action="store_true", help="print errors only")
    validate.set_defaults(func=_guarded(run_validate))

    importer = subparsers.add_parser(
        "import",
        help="add analysts' CSV/XLSX files (or a folder `ingest` wrote), or published national "
        f"tables as released ({publishers.labels()}), to the dataset",
        description="Add analysts' CSV/XLSX files (or a folder `ingest` wrote), or published "
        f"national tables as released ({publishers.labels()}), to the dataset.",
    )
    importer.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="table files, or a folder: its dataset tables are imported, review files left alone",
    )
    importer.add_argument(
        "--data-dir", help="dataset folder (default: PCP_DATA_DIR or bundled data/)"
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    importer.add_argument(
        "--as",
        dest="kind",
        choices=publishers.names(),
        help="read the files (other than the dataset's own tables, such as metrics.csv) as this "
        "publisher's table (default: recognised from the content)",
    )
    importer.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication date of a published table that states none (the ONS table, a "
        "police.uk month: the date of its vintage)",
    )
    importer.add_argument(
        "--origin",
        metavar="TEXT",
        help="where a police.uk month or ONS population workbook was taken from (repository, "
        "commit, path), recorded as its source's address",
    )
    importer.set_defaults(func=_guarded(run_import))

    hist = subparsers.add_parser(
        "history", help="list the versions of the dataset: imports, rollbacks, edits"
    )
    hist.add_argument("--data-dir")
    hist.set_defaults(func=_guarded(run_history))

    back = subparsers.add_parser(
        "rollback", help="restore an earlier version (default: the latest)"
    )
    back.add_argument(
        "snapshot", nargs="?", metavar="VERSION", help="a version from `pcp-dashboard history`"
    )
    back.add_argument("--data-dir")
    back.set_defaults(func=_guarded(run_rollback))

    publish = subparsers.add_parser(
        "publish",
        help="make the table files edited in the data folder live (the server never does)",
        description="The server and `import` never take files edited, deleted or added in the "
        "data folder by hand: they report them (/healthz, the log, the About page). This makes "
        "them the live version once they validate; with --restore, puts the live version's "
        "files back instead (the differing files are kept in .versions/kept/).",
    )
    publish.add_argument("--data-dir")
    publish.add_argument(
        "--restore", action="store_true", help="put the live version's files back instead"
    )
    publish.set_defaults(func=_guarded(run_publish))

    serve = subparsers.add_parser(
        "serve",
        help="run the dashboard under gunicorn (a flag beats its environment variable)",
    )
    serve.add_argument(
        "--bind", metavar="HOST:PORT", help="address (default: PCP_BIND or 127.0.0.1:8050)"
    )
    serve.add_argument(
        "--workers", type=_positive, metavar="N", help="processes (default: PCP_WORKERS or 2)"
    )
    serve.add_argument(
        "--threads",
        type=_positive,
        metavar="N",
        help="threads a worker (default: PCP_THREADS or 4)",
    )
    serve.set_defaults(func=run_serve)

    balancer = subparsers.add_parser(
        "balance",
        help="nginx alone in front of several app hosts (each `PCP_PROXY=0 pcp-dashboard serve` "
        "with the same PCP_STORE)",
    )
    balancer.add_argument(
        "--bind", metavar="HOST:PORT", help="address (default: PCP_BIND or 127.0.0.1:8050)"
    )
    balancer.add_argument(
        "--upstream",
        action="append",
        required=True,
        metavar="HOST:PORT",
        help="an app host (give it once for each)",
    )
    balancer.set_defaults(func=run_balance)
