"""The data commands against the shared store (``PCP_STORE``): import, history, rollback,
validate, and ``pcp-dashboard store copy`` (a file store's versions into PostgreSQL).

Each writer holds the store's advisory lock for the whole command, materialises the live
version into a throwaway folder (``PgStore.workspace``), runs the file store's own plan,
validation and import there unchanged, and publishes the version that made in one transaction.
See docs/shared-store.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

from ..commands import _guarded, _import, _print_problems, import_inputs, print_history
from ..commands import run_validate as validate_against
from ..config import Settings, installed
from .errors import DataError
from .pgstore import PgStore
from .versions import LockTimeout, VersionStore


def _store(settings: Settings) -> PgStore:
    return PgStore.from_settings(settings)


def _unreachable(store: PgStore, exc: psycopg.Error) -> int:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    print(
        f"the dataset database at {store.where} cannot be reached ({first}); nothing changed",
        file=sys.stderr,
    )
    return 1


def _publish_made(store: PgStore, conn: psycopg.Connection, work: Path, version: str) -> dict:
    """What the file store's own command made live in the workspace ``work`` (``version``)
    published in PostgreSQL, with the history line it wrote there (one transaction)."""
    local = VersionStore(work)
    record = dict(local.current() or {})
    detail = {k: v for k, v in record.items() if k not in ("version", "previous", "action", "at")}
    return store.publish(conn, local.version_dir(version), record.get("action", "import"), **detail)


def run_import(args: argparse.Namespace) -> int:
    files = import_inputs(args)
    if isinstance(files, int):
        return files
    settings = installed()
    store = _store(settings)
    options = {"seed": None, "lock_timeout": 5.0, "keep_versions": 0}
    names = ", ".join(f.name for f in files)
    try:
        with store.lock(settings.lock_timeout, action=f"import of {names}") as conn:
            store.ensure_seeded(conn)
            live = store.current(conn)
            with store.workspace(conn) as work:
                return _import(
                    files,
                    work,
                    args,
                    options,
                    where=store.where,
                    previous=live.get("version") if live else None,
                    finish=lambda version: _publish_made(store, conn, work, version),
                )
    except LockTimeout as exc:
        print(f"import refused: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:
        return _unreachable(store, exc)


def run_build(args: argparse.Namespace) -> int:
    """``build-data`` against PostgreSQL: the file store's own build (publishers/command.py)
    run unchanged on a throwaway copy of the live version, under the writers' lock; the
    version it makes published in one transaction. Its messages name the store, not the copy."""
    from ..publishers import command as build_command

    settings = installed()
    store = _store(settings)
    try:
        with store.lock(settings.lock_timeout, action="build-data") as conn:
            store.ensure_seeded(conn)
            before = store.current_version(conn)
            with store.workspace(conn, before) as work:
                told = io.StringIO()
                with contextlib.redirect_stdout(told):
                    status = build_command.run(
                        argparse.Namespace(**{**vars(args), "data_dir": work})
                    )
                made = VersionStore(work).current_version()
                if status == 0 and made is not None and made != before:
                    _publish_made(store, conn, work, made)
                print(told.getvalue().replace(str(work), store.where), end="")
                return status
    except LockTimeout as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"build refused, nothing changed: {len(exc.errors)} problem(s)", file=sys.stderr)
        _print_problems(exc.errors, sys.stderr)
        return 1
    except psycopg.Error as exc:
        return _unreachable(store, exc)


def run_history(args: argparse.Namespace) -> int:
    store = _store(installed())
    try:
        with store.session() as conn:
            entries = store.history(conn)
            live = store.current_version(conn)
            kept = set(store.versions(conn))
    except psycopg.Error as exc:
        return _unreachable(store, exc)
    print_history(entries, live, kept, f"in {store.where}")
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    settings = installed()
    store = _store(settings)
    try:
        with store.lock(settings.lock_timeout, action="rollback") as conn:
            restored, replaced = store.rollback(conn, args.snapshot)
    except (LookupError, LockTimeout) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"rollback refused, nothing changed: {len(exc.errors)} problem(s)", file=sys.stderr)
        _print_problems(exc.errors, sys.stderr)
        return 1
    except psycopg.Error as exc:
        return _unreachable(store, exc)
    print(
        f"restored version {restored} in {store.where}; the version it replaced ({replaced}) "
        f"is kept (pcp-dashboard rollback {replaced} brings it back)"
    )
    return 0


def run_validate(args: argparse.Namespace) -> int:
    """Files are checked against the live version; no paths: the live version itself."""
    store = _store(installed())
    try:
        with store.session() as conn:
            live = store.current_version(conn)
            if live is None:
                print(f"no versions in {store.where} yet: nothing to validate", file=sys.stderr)
                return 1
            with store.workspace(conn, live, writer=False) as work:
                return validate_against(
                    args, working=work, label=f"version {live} in {store.where}"
                )
    except psycopg.Error as exc:
        return _unreachable(store, exc)


def run_copy(args: argparse.Namespace) -> int:
    """Every version a file store keeps, and its history, into PostgreSQL; its live version
    made live there (one transaction: all of it or nothing)."""
    settings = installed()
    if not settings.store_url:
        print("store copy: set PCP_STORE to the PostgreSQL store to copy into", file=sys.stderr)
        return 2
    source = Path(args.data_dir) if args.data_dir else settings.data_dir
    files = VersionStore(source)
    versions = files.versions()
    live = files.current_version()
    if not versions or live is None:
        print(
            f"{source}: no versions to copy (a server start or `pcp-dashboard history` there "
            "makes its first one)",
            file=sys.stderr,
        )
        return 2
    store = _store(settings)
    try:
        with store.lock(settings.lock_timeout, action="store copy") as conn:
            known = set(store.versions(conn))
            seen = {(e.get("version"), e.get("at")) for e in store.history(conn)}
            with conn.transaction():
                added = [v for v in versions if v not in known]
                for version in added:
                    store.add_version(conn, files.version_dir(version))
                copied = 0
                for entry in files.history():
                    if (entry.get("version"), entry.get("at")) in seen:
                        continue
                    if entry.get("version") not in known | set(versions):
                        continue  # a version the file store no longer keeps
                    conn.execute(
                        "INSERT INTO pcp_history (record) VALUES (%s)",
                        (Jsonb({**entry, "copied_from": str(source)}),),
                    )
                    copied += 1
                if store.current_version(conn) != live:
                    store.switch(conn, live, "copied from a file store", source=str(source))
    except LockTimeout as exc:
        print(f"store copy refused: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"store copy refused, nothing changed: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:
        return _unreachable(store, exc)
    print(
        f"copied {len(added)} version(s) and {copied} history line(s) from {source} into "
        f"{store.where}; version {live} is live there"
    )
    return 0


def _either(files_store, shared):
    """The command against PostgreSQL when PCP_STORE is set, else the file store's."""

    def run(args: argparse.Namespace) -> int:
        return shared(args) if installed().store_url else files_store(args)

    run.__name__ = getattr(files_store, "__name__", "run")
    return run


#: The data commands (registered by dashboard/commands.py) that work on either store.
SHARED = {
    "import": run_import,
    "history": run_history,
    "rollback": run_rollback,
    "validate": run_validate,
    "build-data": run_build,
}


def register(subparsers) -> None:
    """``store copy``; and ``import``, ``history``, ``rollback``, ``validate`` (registered
    before, by dashboard/commands.py) and ``build-data`` (publishers/command.py) sent to
    PostgreSQL when PCP_STORE is set."""
    for name, shared in SHARED.items():
        parser = subparsers.choices.get(name)
        if parser is not None:
            parser.set_defaults(func=_either(parser.get_default("func"), _guarded(shared)))
    store = subparsers.add_parser(
        "store", help="the shared PostgreSQL store (PCP_STORE): copy a file store into it"
    )
    actions = store.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    copy = actions.add_parser(
        "copy",
        help="copy a data folder's versions and history into the store PCP_STORE names",
    )
    copy.add_argument(
        "--data-dir", help="the file store to copy (default: PCP_DATA_DIR or bundled data/)"
    )
    copy.set_defaults(func=run_copy)
