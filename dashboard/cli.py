"""`pcp-dashboard`: serve, validate, import, history, rollback, ingest, review, export, build-data.

Each subcommand lives in the module that does the work; this file only wires them. A module
offers ``register(subparsers)`` which adds its parser and sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import sys

from . import commands
from .config import Settings, SettingsError, install
from .export import command as export_command
from .ingest import command as ingest_command
from .ingest import review as ingest_review
from .publishers import command as publishers_command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pcp-dashboard",
        description="Police and Crime Plan performance dashboard: data tools and server.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (commands, ingest_command, ingest_review, export_command, publishers_command):
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # The environment is read here, once: code below reads the installed settings.
        settings = Settings.from_env()
    except SettingsError as exc:  # a bad environment variable: say which, no traceback
        print(f"pcp-dashboard: {exc}", file=sys.stderr)
        return 2
    before = install(settings)
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:  # a bad environment variable: say which, no traceback
        print(f"pcp-dashboard: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        install(before)


if __name__ == "__main__":
    sys.exit(main())
